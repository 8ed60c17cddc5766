"""Fixes of typed cells: dates rewritten as ISO, money as plain decimals, yes/no as Y or N."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from migration_assistant.core.fixes.base import FixContext, fix
from migration_assistant.core.normalise import as_arrow

_SLASH_DATE = r"^\s*\d{1,2}[/.]\d{1,2}[/.]\d{4}\s*$"
_SLASH_DATE_TIME = r"^\s*\d{1,2}[/.]\d{1,2}[/.]\d{4}(?:[ T]+\d{1,2}:\d{2}(?::\d{2})?\s*(?:[AaPp][Mm])?)?\s*$"


def _matches(values: pd.Series, pattern: str) -> np.ndarray:
    return np.asarray(
        pc.match_substring_regex(as_arrow(values), pattern).fill_null(False).to_numpy(zero_copy_only=False),
        dtype=bool,
    )


@fix(
    "date-iso",
    ("date-format",),
    "Write dates as YYYY-MM-DD",
    certain_when=(
        "only when the column's day/month order is known from its own dates (a day above 12) and every "
        "date written with slashes in it is a real date with a four-digit year"
    ),
)
def date_iso(ctx: FixContext) -> None:
    """A date column written in two ways is rewritten as YYYY-MM-DD throughout, where the day/month order is known.

    The engine decides each file's day/month order from its own dates: a first part above 12
    means day/month, a second part above 12 month/day. Only a column whose order is decided that
    way (never assumed), with no date contradicting it, no two-digit year and no impossible date,
    is rewritten: then each slash date has exactly one meaning, the one the check already read.
    The column's other slash dates are rewritten too (so it is written one way), each to the very
    date it was read as; ISO dates, Excel serial numbers and blanks are left alone.
    """
    for data in ctx.dataset.entities.values():
        for f in data.entity.fields:
            parsed = data.parsed.get(f.name)
            if parsed is None or not f.is_date:
                continue
            mixed = parsed.masks.get("mixed_format")
            if mixed is None or not mixed.any():
                continue
            for src, label, frame_pos, table_pos in ctx.field_cells(data, f.name):
                info = data.date_info.get((f.name, src), {})
                if (
                    not mixed[frame_pos].any()
                    or "ambiguous" in info
                    or info.get("order") not in ("MDY", "DMY")
                ):
                    continue
                if any(
                    parsed.masks[key][frame_pos].any()
                    for key in ("order_conflict", "two_digit_year", "impossible")
                    if key in parsed.masks
                ):
                    continue
                text = data.frame[f.name].iloc[frame_pos]
                with_time = f.type == "datetime"
                slash = _matches(text, _SLASH_DATE_TIME if with_time else _SLASH_DATE)
                values = parsed.values.iloc[frame_pos]
                slash &= values.notna().to_numpy()
                if not slash.any():
                    continue
                stamps = values[slash]
                iso = stamps.dt.strftime("%Y-%m-%d")
                if with_time:
                    seconds = (stamps.dt.second != 0).to_numpy()
                    timed = ((stamps.dt.hour != 0) | (stamps.dt.minute != 0)).to_numpy() | seconds
                    iso = pd.Series(
                        np.where(
                            seconds,
                            stamps.dt.strftime("%Y-%m-%d %H:%M:%S"),
                            np.where(timed, stamps.dt.strftime("%Y-%m-%d %H:%M"), iso),
                        ),
                        index=stamps.index,
                    )
                ctx.propose(src, label, table_pos[slash], iso.to_numpy(dtype=object))


_SIGNS = r"[$€£¥₹]"
_SPACES = "[\\s\u00a0\u202f\u2009\u2007]"
_CODES = r"^(?:[A-Z]{3}|US\$|CA\$|C\$|A\$|AU\$|NZ\$)|(?:[A-Z]{3})$"
_SHAPES = (
    # 1.234.567,89 / 1.234,5 (dots group thousands, a comma before the cents)
    (r"^(-?)(\d{1,3}(?:\.\d{3})+),(\d{1,2})$", "dot-groups"),
    (r"^(-?)(\d{1,3}(?:\.\d{3}){2,})$", "dot-groups-only"),
    # 1234,56 (a comma before the cents, no grouping)
    (r"^(-?)(\d+),(\d{1,2})$", "comma-decimal"),
    # 1'234.56 (apostrophes group thousands)
    (r"^(-?)(\d{1,3}(?:'\d{3})+)(?:\.(\d+))?$", "apostrophe-groups"),
)


@fix(
    "plain-money",
    ("invalid-value",),
    "Write amounts as plain decimals",
    certain_when=(
        "only for amounts whose separators can be read one way only (1.234,56 or 1 234,56 or 1'234.56, with "
        "any currency sign); 1.234 or 1,234 could be either"
    ),
)
def plain_money(ctx: FixContext) -> None:
    """An amount the check could not read because of its separators or sign becomes a plain decimal.

    "€ 1.234,56", "1 234,56 EUR", "1'234.50", "−12,50" (a typographic minus) become "1234.56",
    "1234.56", "1234.50", "-12.50". Only the cells the check reported as not an amount, and only
    those whose decimal separator cannot be mistaken: a comma followed by one or two digits at
    the end, or dots (or apostrophes) grouping every three digits. The digits are kept as written.
    """
    for data in ctx.dataset.entities.values():
        for f in data.entity.fields:
            parsed = data.parsed.get(f.name)
            if parsed is None or not f.money or not parsed.invalid.any():
                continue
            for src, label, frame_pos, table_pos in ctx.field_cells(data, f.name):
                bad = parsed.invalid[frame_pos]
                if not bad.any():
                    continue
                text = as_arrow(data.frame[f.name].iloc[frame_pos[bad]])
                cleaned = pc.utf8_trim_whitespace(pc.replace_substring_regex(text, _SPACES, " "))
                cleaned = pc.replace_substring(cleaned, "\u2212", "-")
                cleaned = pc.utf8_trim_whitespace(pc.replace_substring_regex(cleaned, _CODES, ""))
                cleaned = pc.utf8_trim_whitespace(pc.replace_substring_regex(cleaned, _SIGNS, ""))
                parens = pc.match_substring_regex(cleaned, r"^\(.*\)$")
                cleaned = pc.if_else(
                    parens,
                    pc.binary_join_element_wise("-", pc.utf8_slice_codeunits(cleaned, 1, -1), ""),
                    cleaned,
                )
                cleaned = pc.replace_substring_regex(cleaned, r"^(\d[\d.,' ]*)-$", r"-\1")
                # Spaces group thousands only before a decimal comma ("1 234,56"); elsewhere they are a typo.
                spaced = pc.match_substring_regex(cleaned, r"^-?\d{1,3}(?: \d{3})+(?:,\d{1,2})?$")
                cleaned = pc.if_else(spaced, pc.replace_substring(cleaned, " ", ""), cleaned)
                after = pa.nulls(len(cleaned), pa.string())
                for pattern, kind in _SHAPES:
                    hit = pc.and_(pc.match_substring_regex(cleaned, pattern), pc.is_null(after))
                    if not pc.any(hit).as_py():
                        continue
                    if kind == "dot-groups":
                        plain = pc.replace_substring_regex(
                            pc.replace_substring(cleaned, ".", ""), r"^(-?\d+),(\d{1,2})$", r"\1.\2"
                        )
                    elif kind == "dot-groups-only":
                        plain = pc.replace_substring(cleaned, ".", "")
                    elif kind == "comma-decimal":
                        plain = pc.replace_substring(cleaned, ",", ".")
                    else:
                        plain = pc.replace_substring(cleaned, "'", "")
                    after = pc.if_else(hit, plain, after)
                ok = np.asarray(pc.is_valid(after).to_numpy(zero_copy_only=False), dtype=bool)
                if ok.any():
                    values = np.asarray(after.to_numpy(zero_copy_only=False), dtype=object)
                    ctx.propose(src, label, table_pos[bad][ok], values[ok])


_YES = ("x", "✓", "✔", "☑", "☒", "yes.", "y.", "oui", "ja", "sí", "si", "on", "checked", "ticked")
_NO = ("no.", "n.", "non", "nein", "off", "unchecked", "☐")


@fix(
    "yes-no",
    ("invalid-value",),
    "Write yes/no values as Y or N",
    certain_when=(
        "only for the usual ways of writing yes or no (x or a tick for yes, oui/non, ja/nein, on/off); "
        "anything else could mean either"
    ),
)
def yes_no(ctx: FixContext) -> None:
    """A yes/no cell written as a tick, an "x", "on"/"off" or in another language becomes Y or N.

    Yes, True, T and 1 (and their opposites) are read as Y and N already; only the cells the
    check reported as not Y or N, and only spellings with one meaning, are rewritten.
    """
    for data in ctx.dataset.entities.values():
        for f in data.entity.fields:
            parsed = data.parsed.get(f.name)
            if parsed is None or f.type != "boolean" or not parsed.invalid.any():
                continue
            for src, label, frame_pos, table_pos in ctx.field_cells(data, f.name):
                bad = parsed.invalid[frame_pos]
                if not bad.any():
                    continue
                folded = pc.utf8_lower(
                    pc.utf8_trim_whitespace(as_arrow(data.frame[f.name].iloc[frame_pos[bad]]))
                )
                yes = np.asarray(pc.is_in(folded, pa.array(_YES)).to_numpy(zero_copy_only=False), dtype=bool)
                no = np.asarray(pc.is_in(folded, pa.array(_NO)).to_numpy(zero_copy_only=False), dtype=bool)
                hit = yes | no
                if hit.any():
                    ctx.propose(src, label, table_pos[bad][hit], np.where(yes[hit], "Y", "N").astype(object))
