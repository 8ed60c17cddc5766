"""Fixes over every text cell of every file: garbled accented letters, cells Excel would run."""

from __future__ import annotations

import re

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from migration_assistant.core.cell_bytes import all_ascii, first_bytes
from migration_assistant.core.fixes.base import FixContext, fix
from migration_assistant.core.normalise import as_arrow
from migration_assistant.core.rules.text_cells import (
    _HARMLESS,
    _MOJIBAKE,
    _TRIGGERS,
    _repairs,
    excel_error_cells,
)

_GARBLED = re.compile(_MOJIBAKE)
_LAYERS = 3
"""Text garbled twice (saved, misread, saved again) is repaired layer by layer, up to this many."""


def repaired(value: str) -> str | None:
    """The text before UTF-8 was read as Windows-1252, layer by layer; None when it does not round-trip.

    The same test as the mojibake rule (a repair must encode back to exactly the bytes it came
    from), repeated while the repaired text still reads as garbled, so the result is never
    flagged again.
    """
    text, changed = value, False
    for _ in range(_LAYERS):
        fixed = _repairs(text)
        if fixed is None or fixed.encode("utf-8").decode("cp1252", errors="strict") != text:
            break
        text, changed = fixed, True
        if not _GARBLED.search(text):
            break
    return text if changed else None


@fix(
    "repair-mojibake",
    ("mojibake",),
    "Repair garbled accented letters",
    certain_when="only when reversing the damage gives back exactly the bytes of the garbled text",
)
def repair_mojibake(ctx: FixContext) -> None:
    """Text saved as UTF-8 and read as Windows-1252 ("JosÃ©") is decoded again ("José").

    The cells the mojibake rule flags are found with its regular expression over whole
    columns; each distinct garbled value is then re-encoded as Windows-1252 and decoded as
    UTF-8, and kept only when that round-trips exactly.
    """
    for index, table in enumerate(ctx.tables):
        for label in table.labels:
            column = table.data[label]
            if all_ascii(column):
                continue
            hits = np.asarray(
                pc.match_substring_regex(as_arrow(column), _MOJIBAKE).to_numpy(zero_copy_only=False),
                dtype=bool,
            )
            positions = np.flatnonzero(hits)
            if not len(positions):
                continue
            values = column.iloc[positions]
            repairs = {v: repaired(str(v)) for v in values.unique().tolist()}
            after = values.map(repairs).to_numpy(dtype=object)
            ok = np.asarray([isinstance(a, str) for a in after], dtype=bool)
            ctx.propose(index, label, positions[ok], after[ok])


@fix(
    "inert-formula",
    ("formula-injection",),
    "Make formula-like text harmless",
    certain_when="always: the apostrophe only tells a spreadsheet to show the text as it is",
)
def inert_formula(ctx: FixContext) -> None:
    """A cell starting with =, +, -, @ or a tab gets an apostrophe in front, so Excel shows it as text.

    OWASP's advice for CSV injection: the specialist opens these files in a spreadsheet, which
    would otherwise run the cell as a formula. Exactly the cells the formula-injection rule
    flags (plain numbers and phone numbers are left alone).
    """
    for index, table in enumerate(ctx.tables):
        for label in table.labels:
            column = table.data[label]
            candidates = np.flatnonzero(_TRIGGERS[first_bytes(column)])
            if not len(candidates):
                continue
            harmless = pc.match_substring_regex(pc.take(as_arrow(column), pa.array(candidates)), _HARMLESS)
            positions = candidates[~np.asarray(harmless.to_numpy(zero_copy_only=False), dtype=bool)]
            values = column.iloc[positions].to_numpy(dtype=object)
            ctx.propose(index, label, positions, np.asarray(["'" + str(v) for v in values], dtype=object))


@fix(
    "inert-excel-error",
    (),
    "Keep Excel error values as text",
    certain_when="always: the apostrophe only tells a spreadsheet to show the text as it is",
)
def inert_excel_error(ctx: FixContext) -> None:
    """A cell holding an Excel error value (#N/A, #REF!, #VALUE!...) gets an apostrophe in front.

    Opened in Excel, such a cell becomes an error again and breaks every sum over its column;
    with the apostrophe it stays text the specialist can see and ask about. The excel-error-value
    rule still reports such a cell (the value behind the error is lost either way), so this fix
    resolves no finding: it is applied by "fix all" and on the command line, not offered on a finding.
    """
    for index, table in enumerate(ctx.tables):
        for label in table.labels:
            column = table.data[label]
            positions = excel_error_cells(column, inert_too=False)
            if not len(positions):
                continue
            values = column.iloc[positions].to_numpy(dtype=object)
            ctx.propose(index, label, positions, np.asarray(["'" + str(v) for v in values], dtype=object))
