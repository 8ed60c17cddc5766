"""Rules over every text cell of every file, mapped or not: mojibake, formula injection, Excel error values."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from migration_assistant.core.cell_bytes import all_ascii, first_bytes
from migration_assistant.core.findings import Severity
from migration_assistant.core.normalise import as_arrow
from migration_assistant.core.rules.base import CheckContext, rule

# UTF-8 lead byte read as Windows-1252 (Ã, Â, â, ...) followed by a continuation byte's cp1252 character.
_CP1252_CONT = (
    "\u0080-\u00bf\u20ac\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u017d"
    "\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u017e\u0178"
)
_MOJIBAKE = f"[\u00c2-\u00df][{_CP1252_CONT}]|[\u00e0-\u00ef][{_CP1252_CONT}][{_CP1252_CONT}]"
_TRIGGERS = np.zeros(256, dtype=bool)
_TRIGGERS[[ord(c) for c in "=+-@\t\r"]] = True
"""First bytes that make a spreadsheet treat a cell as a formula."""
_PHONE = r"\+?[\d\s().-]*\d[\d\s().-]*(?:\s*(?i:ext\.?|x|#)\s*\d+)?"
"""A phone number, perhaps with an extension ("+1-418-656-9254 ext. 102")."""
_HARMLESS = (
    r"^[+-]?\s*[$€£¥]?\s*[\d\s().,/-]*\d[\d\s().,/-]*$|^-+$|^[+-]\s*$"
    # A list of phone numbers (Google's " ::: ", ";", "," or a line break between them).
    rf"|^{_PHONE}(?:\s*(?::::|;|,)\s*{_PHONE}|\s*[\r\n]+\s*{_PHONE})*$"
)


def _repairs(value: str) -> str | None:
    """The text as it was before UTF-8 was read as Windows-1252, if that round trip works."""
    try:
        fixed = value.encode("cp1252").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return None
    return fixed if fixed != value else None


@rule("mojibake", Severity.ERROR, "Garbled accented letters", slow=True)
def mojibake(ctx: CheckContext) -> None:
    """Text that was saved as UTF-8 and then read as Windows-1252, e.g. "JosÃ©" for "José".

    Candidates are found with one regular expression over each column that has any
    non-ASCII text; each candidate is confirmed by reversing the damage (encode as
    cp1252, decode as UTF-8).
    """
    for table in ctx.tables:
        for label in table.labels:
            if all_ascii(table.data[label]):
                continue
            arr = as_arrow(table.data[label])
            flags = pc.match_substring_regex(arr, _MOJIBAKE)
            candidates = np.flatnonzero(np.asarray(flags.to_numpy(zero_copy_only=False), dtype=bool))
            values = table.data[label].iloc[candidates].to_numpy()
            repaired = [_repairs(str(value)) for value in values]  # candidates only: a handful
            keep = np.asarray([fixed is not None for fixed in repaired], dtype=bool)
            ctx.flag_cells(
                table,
                label,
                candidates[keep],
                rule="mojibake",
                severity=Severity.ERROR,
                extra={"fixed": np.asarray([f for f in repaired if f is not None], dtype=object)},
                message=lambda c: (
                    f"“{c['value']}” looks garbled: it should probably read “{c['fixed']}”. The file was saved "
                    "in one text encoding and opened in another."
                ),
                hint="Export again as UTF-8 (in Excel: “CSV UTF-8”), or correct the text by hand.",
            )


@rule("formula-injection", Severity.WARNING, "Cells a spreadsheet would run as a formula", slow=True)
def formula_injection(ctx: CheckContext) -> None:
    """Cells starting with =, +, -, @ (or a tab) that are not plain numbers or phone numbers.

    A list of phone numbers ("+1 416 555 0199 ::: +1 416 555 0100") and a number with its
    extension are phone numbers too: Excel cannot run them.

    The specialist opens these files in Excel, which would run such a cell as a
    formula (CSV injection); the report writers store them as text.
    """
    for table in ctx.tables:
        for label in table.labels:
            candidates = np.flatnonzero(_TRIGGERS[first_bytes(table.data[label])])
            if not len(candidates):
                continue
            # Only cells that start with a trigger are examined further (negative numbers are common).
            arr = as_arrow(table.data[label])
            harmless = pc.match_substring_regex(pc.take(arr, pa.array(candidates)), _HARMLESS)
            positions = candidates[~np.asarray(harmless.to_numpy(zero_copy_only=False), dtype=bool)]
            ctx.flag_cells(
                table,
                label,
                positions,
                rule="formula-injection",
                severity=Severity.WARNING,
                message=lambda c: (
                    f"This cell starts with “{str(c['value'])[:1]}”, so Excel would treat it as a formula and "
                    "run it when the file is opened."
                ),
                hint="If it is meant as text, put an apostrophe before it or remove the leading symbol; if it "
                "came from outside the firm, check it is not malicious.",
            )


EXCEL_ERRORS = (
    "#NULL!",
    "#DIV/0!",
    "#VALUE!",
    "#REF!",
    "#NAME?",
    "#NUM!",
    "#N/A",
    "#GETTING_DATA",
    "#SPILL!",
    "#CALC!",
)
"""The error values Excel shows in a cell whose formula failed."""
_FREE_TEXT = {"notes", "description", "body", "subject"}
"""Canonical fields people write sentences in: "#N/A" typed there may mean "not applicable"."""


def excel_error_cells(column: pd.Series, *, inert_too: bool) -> np.ndarray:
    """Positions of the cells that hold nothing but an Excel error value (spaces and case aside).

    *inert_too*: also those made inert with a leading apostrophe (``'#N/A``, the inert-excel-error
    fix): the spreadsheet no longer breaks on them, but the value behind the error is still lost.
    """
    first = first_bytes(column)
    candidates = np.flatnonzero((first == ord("#")) | ((first == ord("'")) if inert_too else False))
    if not len(candidates):
        return candidates
    text = pc.utf8_upper(pc.utf8_trim_whitespace(pc.take(as_arrow(column), pa.array(candidates))))
    if inert_too:
        text = pc.replace_substring_regex(text, r"^'", "")
    hits = pc.is_in(text, value_set=pa.array(EXCEL_ERRORS))
    found: np.ndarray = candidates[np.asarray(hits.to_numpy(zero_copy_only=False), dtype=bool)]
    return found


@rule("excel-error-value", Severity.ERROR, "An Excel error value in a cell", slow=True)
def excel_error_value(ctx: CheckContext) -> None:
    """A cell holding nothing but an Excel error value (#N/A, #REF!, #VALUE!, #DIV/0!, #NAME?, #NUM!, #NULL!,
    #SPILL!, #CALC!, #GETTING_DATA): a formula failed and the value it should have given is lost.

    Only a cell that is exactly the error value counts (a sentence mentioning "#N/A" does not).
    In a notes, description, body or subject column a person may have typed "#N/A" to mean
    "not applicable", so there it is a warning; anywhere else (an ID, a date, an amount, a
    name) it is an error.
    """
    for index, table in enumerate(ctx.tables):
        labels = ctx.dataset.labels[index] if index < len(ctx.dataset.labels) else {}
        free_text = {label for name, label in labels.items() if name in _FREE_TEXT}
        for label in table.labels:
            positions = excel_error_cells(table.data[label], inert_too=True)
            if not len(positions):
                continue
            if label in free_text:
                ctx.flag_cells(
                    table,
                    label,
                    positions,
                    rule="excel-error-value",
                    severity=Severity.WARNING,
                    message=lambda c: (
                        f"This cell reads “{str(c['value']).strip()}”, Excel's error value for a formula that "
                        "failed. In a text column it may have been typed on purpose (“not applicable”); if not, "
                        "what the cell should say was lost."
                    ),
                    hint="If it was meant, write it in words instead (for example “not applicable”); "
                    "otherwise type in what the cell should hold.",
                )
                continue
            ctx.flag_cells(
                table,
                label,
                positions,
                rule="excel-error-value",
                severity=Severity.ERROR,
                message=lambda c: (
                    f"This cell holds “{str(c['value']).strip()}”, Excel's error value for a formula that "
                    "failed, instead of a value: what it should hold was lost when the file was saved from a "
                    "spreadsheet."
                ),
                hint="Find what the cell should hold (the formula behind it, or the old system) and type "
                "the value in.",
            )
