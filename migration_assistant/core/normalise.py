"""Turning text cells into dates, numbers, money and yes/no values, column at a time.

Every parser works on a whole column with pyarrow compute and numpy, and returns
the typed values plus boolean masks of the cells it could not accept, so rules
can report them at their rows. Originals are never changed: parsing produces new
columns.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

_SERIAL = r"^\d{5}(?:\.\d+)?$"
_NUMBER = r"^-?(?:\d+\.?\d*|\.\d+)$"
_GROUPED = r"^-?\d{1,3}(?:,\d{3})+(?:\.\d+)?$"
EXCEL_EPOCH = np.datetime64("1899-12-30")


def as_arrow(series: pd.Series) -> pa.Array:
    """The column as a pyarrow string array (zero-copy for pandas' pyarrow-backed strings)."""
    arr = pa.array(series, type=pa.string(), from_pandas=True)
    return arr


def _strip(text: pa.Array) -> pa.Array:
    return pc.utf8_trim_whitespace(text)


@dataclass(slots=True)
class ParsedColumn:
    """A typed column and the cells that could not be parsed, as masks aligned with the frame."""

    values: pd.Series
    blank: np.ndarray
    invalid: np.ndarray
    masks: dict[str, np.ndarray] = field(default_factory=dict)
    info: dict[str, str] = field(default_factory=dict)


_DIRECT_BELOW = 4096
"""Columns shorter than this are parsed cell by cell: counting distinct values would not pay."""


def _repeating(series: pd.Series) -> tuple[np.ndarray, pa.Array] | None:
    """Each cell's index into the column's distinct values, and those values; None when it does
    not pay (a short column, or one of mostly distinct values such as IDs, or missing cells)."""
    if len(series) < _DIRECT_BELOW:
        return None
    codes, distinct = pd.factorize(series)
    if len(distinct) * 4 > len(series) or (codes < 0).any():
        return None
    return codes.astype(np.intp, copy=False), pa.array(np.asarray(distinct, dtype=object), type=pa.string())


def _via_uniques(
    series: pd.Series, parse: Callable[[pa.Array, np.ndarray | None], ParsedColumn]
) -> ParsedColumn:
    """Parse each distinct value once and spread the results back to every row.

    Exports repeat themselves: a million time entries hold a few thousand dates, a few
    dozen hour figures and two entry types. Parsing the distinct values and taking the
    results by index gives exactly what parsing every cell gives, for a fraction of the
    work and of the temporary memory. *parse* receives the values and, on the distinct
    path, how often each occurs (so decisions that count rows, such as the day/month
    order, weigh each value by its rows). Columns with mostly distinct values (IDs) are
    parsed cell by cell.
    """
    repeating = _repeating(series)
    if repeating is not None:
        take, distinct = repeating
        weights = np.bincount(take, minlength=len(distinct)).astype(np.float64)
        sub = parse(distinct, weights)
        return ParsedColumn(
            values=pd.Series(sub.values.array.take(take), index=series.index),
            blank=sub.blank[take],
            invalid=sub.invalid[take],
            masks={key: mask[take] for key, mask in sub.masks.items()},
            info=sub.info,
        )
    parsed = parse(as_arrow(series), None)
    parsed.values.index = series.index
    return parsed


def masks_by_distinct(series: pd.Series, *tests: Callable[[pa.Array], np.ndarray]) -> list[np.ndarray]:
    """Per-cell boolean *tests*, each run once per distinct value and spread back to every row.

    For columns that repeat (a million time entries on forty thousand matters); a column of
    mostly distinct values (IDs) is tested cell by cell. The results are what testing every
    cell gives.
    """
    repeating = _repeating(series)
    if repeating is not None:
        take, distinct = repeating
        return [np.asarray(test(distinct), dtype=bool)[take] for test in tests]
    text = as_arrow(series)
    return [np.asarray(test(text), dtype=bool) for test in tests]


def _ints(struct: pa.StructArray, name: str) -> np.ndarray:
    child = pc.struct_field(struct, name)
    child = pc.if_else(pc.equal(child, ""), None, child)
    return np.asarray(pc.cast(child, pa.float64()).to_numpy(zero_copy_only=False), dtype=np.float64)


@dataclass(slots=True)
class _Parts:
    """Date components of every cell (NaN where the shape did not match)."""

    is_iso: np.ndarray
    is_slash: np.ndarray
    year: np.ndarray
    first: np.ndarray
    second: np.ndarray
    hour: np.ndarray
    minute: np.ndarray
    second_of_minute: np.ndarray


def _fixed_width_parts(text: pa.Array, blank: np.ndarray) -> _Parts | None:
    """Fast path for the usual export: every date exactly ``MM/DD/YYYY`` or ``YYYY-MM-DD``.

    Slicing fixed positions and casting is ten times faster than a regular expression;
    any other shape returns None and the regular-expression path handles the column.
    """
    filled = pc.filter(text, pa.array(~blank))
    if len(filled) == 0 or not pc.all(pc.equal(pc.utf8_length(filled), 10)).as_py():
        return None
    n = len(text)
    padded = pc.if_else(pa.array(blank), "0000-00-00", text)
    nan = np.full(n, np.nan)
    zeros = np.zeros(n)

    def ints(a: int, b: int) -> np.ndarray:
        return np.asarray(
            pc.cast(pc.utf8_slice_codeunits(padded, a, b), pa.int32()).to_numpy(), dtype=np.float64
        )

    try:
        if (
            pc.all(pc.equal(pc.utf8_slice_codeunits(filled, 4, 5), "-")).as_py()
            and pc.all(pc.equal(pc.utf8_slice_codeunits(filled, 7, 8), "-")).as_py()
        ):
            year, month, day = ints(0, 4), ints(5, 7), ints(8, 10)
            keep = ~blank
            return _Parts(
                keep,
                np.zeros(n, bool),
                np.where(keep, year, nan),
                np.where(keep, month, nan),
                np.where(keep, day, nan),
                zeros,
                zeros,
                zeros,
            )
        padded = pc.if_else(pa.array(blank), "00/00/0000", text)
        if (
            pc.all(pc.equal(pc.utf8_slice_codeunits(filled, 2, 3), "/")).as_py()
            and pc.all(pc.equal(pc.utf8_slice_codeunits(filled, 5, 6), "/")).as_py()
        ):
            a, b, year = ints(0, 2), ints(3, 5), ints(6, 10)
            keep = ~blank
            return _Parts(
                np.zeros(n, bool),
                keep,
                np.where(keep, year, nan),
                np.where(keep, a, nan),
                np.where(keep, b, nan),
                zeros,
                zeros,
                zeros,
            )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    return None


def _regex_parts(text: pa.Array) -> tuple[_Parts, np.ndarray, np.ndarray]:
    """Every accepted shape, with optional times and AM/PM; returns parts, pm and am masks."""
    n = len(text)
    iso = pc.extract_regex(text, _named_iso())
    slash = pc.extract_regex(text, _named_slash())
    is_iso = np.asarray(pc.is_valid(iso).to_numpy(zero_copy_only=False), dtype=bool)
    is_slash = np.asarray(pc.is_valid(slash).to_numpy(zero_copy_only=False), dtype=bool) & ~is_iso
    nan = np.full(n, np.nan)
    year, first, second = nan.copy(), nan.copy(), nan.copy()
    hour, minute, sec = np.zeros(n), np.zeros(n), np.zeros(n)
    pm = np.zeros(n, dtype=bool)
    am = np.zeros(n, dtype=bool)
    if is_iso.any():
        year = np.where(is_iso, _ints(iso, "y"), year)
        first = np.where(is_iso, _ints(iso, "m"), first)
        second = np.where(is_iso, _ints(iso, "d"), second)
        hour = np.where(is_iso, np.nan_to_num(_ints(iso, "H")), hour)
        minute = np.where(is_iso, np.nan_to_num(_ints(iso, "M")), minute)
        sec = np.where(is_iso, np.nan_to_num(_ints(iso, "S")), sec)
    if is_slash.any():
        year = np.where(is_slash, _ints(slash, "y"), year)
        first = np.where(is_slash, _ints(slash, "a"), first)
        second = np.where(is_slash, _ints(slash, "b"), second)
        hour = np.where(is_slash, np.nan_to_num(_ints(slash, "H")), hour)
        minute = np.where(is_slash, np.nan_to_num(_ints(slash, "M")), minute)
        sec = np.where(is_slash, np.nan_to_num(_ints(slash, "S")), sec)
        ampm = pc.utf8_lower(pc.struct_field(slash, "p"))
        pm = np.asarray(pc.equal(ampm, "pm").fill_null(False).to_numpy(zero_copy_only=False), dtype=bool)
        am = np.asarray(pc.equal(ampm, "am").fill_null(False).to_numpy(zero_copy_only=False), dtype=bool)
    return _Parts(is_iso, is_slash, year, first, second, hour, minute, sec), pm, am


_DAYS_IN_MONTH = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.float64)


def _build(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """datetime64[D] values and a validity mask, with real month lengths and leap years."""
    ok = (month >= 1) & (month <= 12) & (day >= 1) & (year >= 1) & (year <= 9999)
    m = np.where(ok, month, 1).astype(np.int64)
    y = np.where(ok, year, 2000).astype(np.int64)
    leap = ((y % 4 == 0) & (y % 100 != 0)) | (y % 400 == 0)
    limit = _DAYS_IN_MONTH[m] + ((m == 2) & leap)
    ok &= day <= limit
    d = np.where(ok, day, 1).astype(np.int64)
    months = (y - 1970) * 12 + (m - 1)
    values = months.astype("datetime64[M]").astype("datetime64[D]") + (d - 1).astype("timedelta64[D]")
    return values, ok


def parse_dates(series: pd.Series, order: str = "auto", with_time: bool = False) -> ParsedColumn:
    """Parse a date (or date-time) column written in one of ISO, MM/DD/YYYY or DD/MM/YYYY.

    The day/month order of slash dates is detected from the column: a first part above
    12 means DD/MM, a second part above 12 means MM/DD. When nothing tells them apart,
    *order* ("MDY"/"DMY") decides and ``info["ambiguous"]`` is set.

    Masks: ``invalid`` (not a date at all), ``impossible`` (e.g. 02/30/2025),
    ``serial`` (an Excel serial number), ``two_digit_year``, ``mixed_format``
    (a different format from the column's main one), ``order_conflict``.
    """
    return _via_uniques(series, lambda text, weights: _parse_dates(text, order, with_time, weights))


def _parse_dates(raw: pa.Array, order: str, with_time: bool, weights: np.ndarray | None) -> ParsedColumn:
    text = _strip(raw)
    n = len(text)
    rows = np.ones(n) if weights is None else weights
    blank = np.asarray(pc.equal(text, "").to_numpy(zero_copy_only=False), dtype=bool)
    parts = _fixed_width_parts(text, blank)
    pm = am = np.zeros(n, dtype=bool)
    if parts is None:
        parts, pm, am = _regex_parts(text)
    is_iso, is_slash = parts.is_iso, parts.is_slash
    is_serial = (
        np.asarray(pc.match_substring_regex(text, _SERIAL).to_numpy(zero_copy_only=False), dtype=bool)
        & ~is_iso
        & ~is_slash
        if not (is_iso | is_slash | blank).all()
        else np.zeros(n, dtype=bool)
    )
    year = parts.year.copy()
    month = parts.first.copy()
    day = parts.second.copy()
    hour, minute, second = parts.hour, parts.minute, parts.second_of_minute
    info: dict[str, str] = {}
    masks: dict[str, np.ndarray] = {}

    if is_slash.any():
        a, b, y = parts.first, parts.second, parts.year
        first_big = is_slash & (a > 12)
        second_big = is_slash & (b > 12)
        if first_big.any() and second_big.any():
            resolved = "DMY" if rows[first_big].sum() >= rows[second_big].sum() else "MDY"
            masks["order_conflict"] = second_big if resolved == "DMY" else first_big
        elif first_big.any():
            resolved = "DMY"
        elif second_big.any():
            resolved = "MDY"
        else:
            resolved = order if order in ("MDY", "DMY") else "MDY"
            if (is_slash & (a != b)).any():
                info["ambiguous"] = resolved
        info["order"] = resolved
        two_digit = is_slash & (y < 100)
        masks["two_digit_year"] = two_digit
        pivot = (dt.date.today().year % 100) + 1
        y = np.where(two_digit, np.where(y <= pivot, 2000 + y, 1900 + y), y)
        month = np.where(is_slash, b if resolved == "DMY" else a, month)
        day = np.where(is_slash, a if resolved == "DMY" else b, day)
        year = np.where(is_slash, y, year)
        hour = np.where(pm & (hour < 12), hour + 12, np.where(am & (hour == 12), 0, hour))

    shape_ok = is_iso | is_slash
    days, valid = _build(year, month, day)
    valid &= shape_ok & (hour < 24) & (minute < 60) & (second < 60)
    impossible = shape_ok & ~valid
    good = valid.copy()
    stamps = days.astype("datetime64[s]") + (np.nan_to_num(hour * 3600 + minute * 60 + second)).astype(
        "timedelta64[s]"
    )
    if is_serial.any():
        serial = np.asarray(
            pc.cast(pc.if_else(pa.array(is_serial), text, None), pa.float64()).to_numpy(zero_copy_only=False),
            dtype=np.float64,
        )
        in_range = is_serial & (serial >= 1) & (serial < 2958466)
        converted = EXCEL_EPOCH.astype("datetime64[s]") + (np.nan_to_num(serial) * 86400).astype(
            "timedelta64[s]"
        )
        stamps = np.where(in_range, converted, stamps)
        masks["serial"] = in_range
        good = good | in_range
    values = pd.Series(np.where(good, stamps, np.datetime64("NaT"))).astype("datetime64[s]")
    if not with_time:
        values = values.dt.normalize()
    kinds = np.where(is_iso, 1, np.where(is_slash, 2, 0))
    used = kinds[kinds > 0]
    if used.size:
        main = np.bincount(used, weights=rows[kinds > 0]).argmax()
        masks["mixed_format"] = (kinds > 0) & (kinds != main)
        info["format"] = "ISO" if main == 1 else info.get("order", "MDY")
    masks["impossible"] = impossible
    invalid = ~blank & ~shape_ok & ~masks.get("serial", np.zeros(n, dtype=bool))
    return ParsedColumn(values=values, blank=blank, invalid=invalid, masks=masks, info=info)


def _named_iso() -> str:
    return (
        r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
        r"(?:[ T](?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$"
    )


def _named_slash() -> str:
    return (
        r"^(?P<a>\d{1,2})[/.](?P<b>\d{1,2})[/.](?P<y>\d{4}|\d{2})"
        r"(?:[ T]+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?\s*(?P<p>[AaPp][Mm])?)?$"
    )


def parse_numbers(series: pd.Series, money: bool = False) -> ParsedColumn:
    """Parse numbers; with *money*, also currency signs, codes, thousands separators and (negatives).

    Plain cells ("1.5", "$300.00") are cast in one step; only the cells with anything
    else in them (commas, parentheses, letters) go through the slower regular expressions.

    Masks: ``negative_parens`` (written as ``(12.50)``), ``scientific`` (``1.2E+15``).
    """
    return _via_uniques(series, lambda text, _weights: _parse_numbers(text, money))


def _parse_numbers(raw: pa.Array, money: bool) -> ParsedColumn:
    text = _strip(raw)
    n = len(text)
    blank = np.asarray(pc.equal(text, "").to_numpy(zero_copy_only=False), dtype=bool)
    candidate = pc.replace_substring(text, "$", "") if money else text
    unusual = np.asarray(
        pc.match_substring_regex(candidate, r"[^0-9.+-]").to_numpy(zero_copy_only=False), dtype=bool
    )
    values = np.full(n, np.nan)
    invalid = np.zeros(n, dtype=bool)
    masks = {"negative_parens": np.zeros(n, dtype=bool), "scientific": np.zeros(n, dtype=bool)}
    usual = np.flatnonzero(~unusual & ~blank)
    try:
        values[usual] = np.asarray(
            pc.cast(pc.take(candidate, pa.array(usual)), pa.float64()).to_numpy(zero_copy_only=False),
            dtype=np.float64,
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        unusual = ~blank  # something like "1.2.3" among them: let the careful path judge every cell
    rest = np.flatnonzero(unusual)
    if len(rest):
        # Thousands separators are the usual reason ("$12,500.00"): those are cast at once too.
        grouped_cells = pc.take(candidate, pa.array(rest))
        grouped = np.asarray(
            pc.match_substring_regex(grouped_cells, _GROUPED).to_numpy(zero_copy_only=False), dtype=bool
        )
        if grouped.any():
            plain = pc.replace_substring(pc.filter(grouped_cells, pa.array(grouped)), ",", "")
            values[rest[grouped]] = np.asarray(pc.cast(plain, pa.float64()).to_numpy(zero_copy_only=False))
            rest = rest[~grouped]
    if len(rest):
        sub_values, sub_invalid, sub_masks = _careful_numbers(pc.take(text, pa.array(rest)), money)
        values[rest] = sub_values
        invalid[rest] = sub_invalid
        for key, mask in sub_masks.items():
            masks[key][rest] = mask
    # pyarrow reads "nan" and "inf" as numbers; in a ledger they are not.
    invalid |= ~blank & ~np.isfinite(values) & ~invalid
    values[invalid] = np.nan
    return ParsedColumn(values=pd.Series(values), blank=blank, invalid=invalid, masks=masks)


def _careful_numbers(text: pa.Array, money: bool) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """Currency codes and signs, thousands separators, (negatives), trailing minus, scientific notation."""
    cleaned = text
    masks: dict[str, np.ndarray] = {}
    if money:
        cleaned = pc.replace_substring_regex(cleaned, r"^(?:[A-Z]{3}\s*)|(?:\s*[A-Z]{3})$", "")
        cleaned = pc.replace_substring_regex(cleaned, r"[$€£¥\s]", "")
    grouped = pc.match_substring_regex(cleaned, r"^\(?-?\d{1,3}(?:,\d{3})+(?:\.\d*)?\)?-?$")
    cleaned = pc.if_else(grouped, pc.replace_substring(cleaned, ",", ""), cleaned)
    parens = pc.match_substring_regex(cleaned, r"^\(.*\)$")
    masks["negative_parens"] = np.asarray(parens.to_numpy(zero_copy_only=False), dtype=bool)
    cleaned = pc.if_else(
        parens, pc.binary_join_element_wise("-", pc.utf8_slice_codeunits(cleaned, 1, -1), ""), cleaned
    )
    # A trailing minus ("12.50-", accounting style) means negative; "300.-" (Swiss for 300.00) is
    # not accepted as either, so it is reported rather than read as a negative amount.
    cleaned = pc.replace_substring_regex(cleaned, r"^(\d+(?:\.\d+)?)-$", r"-\1")
    sci = pc.match_substring_regex(cleaned, r"^-?\d+(?:\.\d+)?[eE][+-]?\d+$")
    masks["scientific"] = np.asarray(sci.to_numpy(zero_copy_only=False), dtype=bool)
    ok = pc.or_(pc.match_substring_regex(cleaned, _NUMBER), sci)
    numeric = pc.cast(pc.if_else(ok, cleaned, None), pa.float64())
    values = np.asarray(numeric.to_numpy(zero_copy_only=False), dtype=np.float64)
    okmask = np.asarray(ok.to_numpy(zero_copy_only=False), dtype=bool)
    blank = np.asarray(pc.equal(text, "").to_numpy(zero_copy_only=False), dtype=bool)
    return values, ~blank & ~okmask, masks


_TRUE = ("y", "yes", "true", "1", "t")
_FALSE = ("n", "no", "false", "0", "f")


def parse_booleans(series: pd.Series) -> ParsedColumn:
    """Y/N (the template's convention); Yes/No, True/False and 1/0 are accepted too."""
    return _via_uniques(series, lambda text, _weights: _parse_booleans(text))


def _parse_booleans(raw: pa.Array) -> ParsedColumn:
    text = pc.utf8_lower(_strip(raw))
    blank = np.asarray(pc.equal(text, "").to_numpy(zero_copy_only=False), dtype=bool)
    is_true = np.asarray(pc.is_in(text, pa.array(_TRUE)).to_numpy(zero_copy_only=False), dtype=bool)
    is_false = np.asarray(pc.is_in(text, pa.array(_FALSE)).to_numpy(zero_copy_only=False), dtype=bool)
    values = pd.Series(pd.array(np.where(is_true, True, False), dtype="boolean"))
    values[~(is_true | is_false)] = pd.NA
    return ParsedColumn(values=values, blank=blank, invalid=~blank & ~is_true & ~is_false)


def parse_enum(series: pd.Series, allowed: tuple[str, ...], value_map: dict[str, str]) -> ParsedColumn:
    """Match values case-insensitively to *allowed*, after the source profile's value map."""
    return _via_uniques(series, lambda text, _weights: _parse_enum(text, allowed, value_map))


def _parse_enum(raw: pa.Array, allowed: tuple[str, ...], value_map: dict[str, str]) -> ParsedColumn:
    text = _strip(raw)
    blank = np.asarray(pc.equal(text, "").to_numpy(zero_copy_only=False), dtype=bool)
    lookup = {k.casefold(): v for k, v in value_map.items()}
    lookup.update({a.casefold(): a for a in allowed})
    keys = pa.array(list(lookup))
    vals = pa.array(list(lookup.values()))
    folded = pc.utf8_lower(text)
    index = pc.index_in(folded, value_set=keys)
    mapped = pc.take(vals, index)
    canonical = pd.Series(np.asarray(mapped.to_numpy(zero_copy_only=False), dtype=object))
    hit = np.asarray(pc.is_valid(index).to_numpy(zero_copy_only=False), dtype=bool)
    return ParsedColumn(values=canonical, blank=blank, invalid=~blank & ~hit)
