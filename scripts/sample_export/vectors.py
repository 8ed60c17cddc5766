"""Small vectorised helpers: text, money, hours and dates formatted once per distinct value, random picks."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from scripts.sample_export.common import BoolArray, DayArray, IntArray, TextArray


def by_unique(values: npt.NDArray[Any], fmt: Callable[[Any], str]) -> TextArray:
    """Apply ``fmt`` once per distinct value and spread the results back (vectorised formatting)."""
    uniq, inverse = np.unique(values, return_inverse=True)
    table = np.array([fmt(v) for v in uniq.tolist()], dtype=object)
    return table[inverse.reshape(-1)]


def _text(values: npt.NDArray[Any]) -> TextArray:
    """Anything to an object array of Python strings."""
    return np.asarray(values.astype(str), dtype=object)


def cat(*parts: Any) -> TextArray:
    """Element-wise string concatenation of arrays and scalars."""
    out: Any = None
    for part in parts:
        piece = part.astype(str) if isinstance(part, np.ndarray) else str(part)
        out = piece if out is None else np.strings.add(out, piece)
    return np.asarray(out, dtype=object)


def make_ids(prefix: str, start: int, n: int, width: int) -> TextArray:
    numbers = np.arange(start, start + n).astype(str)
    return cat(prefix, np.strings.zfill(numbers, width)) if prefix or width else _text(numbers)


def us_dates(days: DayArray) -> TextArray:
    """MM/DD/YYYY text; NaT becomes ""."""
    return by_unique(days.astype("datetime64[D]"), lambda d: "" if d is None else d.strftime("%m/%d/%Y"))


def iso_dates(days: DayArray) -> TextArray:
    return by_unique(days.astype("datetime64[D]"), lambda d: "" if d is None else d.isoformat())


def us_datetimes(minutes: npt.NDArray[np.datetime64]) -> TextArray:
    """MM/DD/YYYY HH:MM text (24-hour clock)."""
    return by_unique(minutes.astype("datetime64[m]"), lambda d: d.strftime("%m/%d/%Y %H:%M"))


def money_text(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    return f"{sign}${abs(cents) / 100:,.2f}"


def money(cents: IntArray, blank: BoolArray | None = None) -> TextArray:
    """Integer cents to "$1,234.56" ("-$175.00" when negative); "" where ``blank``."""
    out = by_unique(cents, money_text)
    if blank is not None:
        out[blank] = ""
    return out


def hours_text(hundredths: int) -> str:
    text = f"{hundredths / 100:.2f}"
    return text[:-1] if text.endswith("0") else text  # "1.50" -> "1.5", "2.00" -> "2.0", "1.25" stays


def hours(hundredths: IntArray, blank: BoolArray | None = None) -> TextArray:
    out = by_unique(hundredths, hours_text)
    if blank is not None:
        out[blank] = ""
    return out


def yes_no(flags: BoolArray) -> TextArray:
    return np.where(flags, "Y", "N").astype(object)


def ascii_slug(text: str) -> str:
    """'Ó Súilleabháin' -> 'osuilleabhain', for e-mail addresses."""
    text = text.replace("Ł", "L").replace("ł", "l").replace("Ø", "O").replace("ø", "o")
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", plain.lower())


def pool(items: Sequence[str]) -> TextArray:
    return np.array(list(items), dtype=object)


def busday(days: DayArray, roll: Literal["forward", "backward"]) -> DayArray:
    rolled: DayArray = np.busday_offset(days.astype("datetime64[D]"), 0, roll=roll)
    return rolled


def uniform_days(rng: np.random.Generator, start: DayArray, end: DayArray) -> DayArray:
    """A business day in [start, end] for each pair (end before start collapses to start)."""
    span = np.maximum((end - start).astype(np.int64), 0)
    offset = np.floor(rng.random(len(start)) * (span + 1)).astype(np.int64)
    day = start + offset.astype("timedelta64[D]")
    rolled = busday(day, "backward")
    return np.where(rolled < start, start, rolled)


def choice(
    rng: np.random.Generator, n_items: int, size: int, weights: Sequence[float] | None = None
) -> IntArray:
    p = None if weights is None else np.asarray(weights, dtype=float) / np.sum(weights)
    return rng.choice(n_items, size=size, p=p).astype(np.int64)


def dedupe_suffix(keys: TextArray) -> TextArray:
    """ "" for the first occurrence of a key, "2", "3", ... for later ones."""
    occurrence = pd.Series(keys).groupby(keys).cumcount().to_numpy() + 1
    return np.where(occurrence > 1, occurrence.astype(str), "").astype(object)


def dedupe_codes(codes: TextArray) -> TextArray:
    return cat(codes.astype(str), dedupe_suffix(codes).astype(str))
