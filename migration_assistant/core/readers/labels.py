"""Header labels: cleaned, made unique, and their structural problems found."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from migration_assistant.core.findings import Finding, Severity
from migration_assistant.core.schema import normalise_label

if TYPE_CHECKING:
    import pandas as pd

MAX_COLUMNS = 2_000
"""The most columns a file or sheet may have and still be read as a table.

The widest record the new system takes has 16 fields, and a practice-management export
with every custom field rarely reaches a few hundred columns; 2,000 leaves room for the
widest real export several times over. Past it the file is not plausibly a table (a
report laid out sideways, a damaged file, a stray value far to the right), and checking it
costs time in proportion to its width for nothing: matching every heading against every
source system took 6 s at 2,000 columns and half a minute at 10,000 (measured).
"""


def too_many_columns(file: str, sheet: str | None, columns: int, where: str = "") -> Finding:
    """The one finding for a file or sheet wider than :data:`MAX_COLUMNS`, which is not read further.

    Args:
        file: The file's display name.
        sheet: The sheet, for a workbook.
        columns: How many columns it has (at least).
        where: An extra sentence saying where the far cell is, when that is known.
    """
    what = f"The sheet “{sheet}”" if sheet else "This file"
    return Finding.about_file(
        "too-many-columns",
        Severity.BLOCKER,
        file,
        sheet,
        f"{what} has {columns:,} columns, more than the {MAX_COLUMNS:,} a table of records can plausibly "
        f"have, so it was not read.{where}",
        "Check that this is the right export file. If a value sits far to the right of the data, delete "
        "those columns and save again; if the file is a report laid out across the page, export the "
        "records as a list instead.",
    )


def clean_label(raw: object) -> str:
    return str(raw if raw is not None else "").replace("\ufeff", "").strip()


def unique_labels(raw: list[str]) -> list[str]:
    """Labels usable as DataFrame columns: blanks named by position, repeats numbered."""
    seen: Counter[str] = Counter()
    out: list[str] = []
    for index, label in enumerate(raw, start=1):
        base = label or f"(blank column {index})"
        seen[normalise_label(base)] += 1
        count = seen[normalise_label(base)]
        out.append(base if count == 1 else f"{base} ({count})")
    return out


def header_findings(
    raw: list[str],
    file: str,
    sheet: str | None,
    header_row: int,
    data: pd.DataFrame | None = None,
    labels: list[str] | None = None,
) -> list[Finding]:
    """Blank and repeated header labels, reported at the header row.

    A blank label after the last heading (a header row ending in a delimiter) is only
    reported when *data* (the records, with columns named by *labels*) has a value under it.
    """
    findings: list[Finding] = []
    seen: dict[str, int] = {}
    last_filled = max((i for i, lab in enumerate(raw) if lab), default=-1)
    for index, label in enumerate(raw, start=1):
        if not label:
            if index - 1 > last_filled and not _has_values(data, labels, index - 1):
                # A trailing empty label (a header ending in a comma) only matters if data sits under it.
                continue
            findings.append(
                Finding(
                    rule="blank-header",
                    severity=Severity.ERROR,
                    entity=None,
                    file=file,
                    sheet=sheet,
                    row=header_row,
                    column=f"(blank column {index})",
                    value="",
                    message=f"Column {index} has no heading, so nobody can tell what its values are.",
                    hint="Type the column's name into the header row, or delete the column if it is not needed.",
                )
            )
            continue
        key = normalise_label(label)
        if key in seen:
            findings.append(
                Finding(
                    rule="duplicate-header",
                    severity=Severity.ERROR,
                    entity=None,
                    file=file,
                    sheet=sheet,
                    row=header_row,
                    column=label,
                    value=label,
                    message=(
                        f"The heading “{label}” appears twice (columns {seen[key]} and {index}); "
                        "only one of them can be used."
                    ),
                    hint="Rename one of the two columns so each heading is unique, or delete the extra one.",
                )
            )
        else:
            seen[key] = index
    return findings


def _has_values(data: pd.DataFrame | None, labels: list[str] | None, position: int) -> bool:
    if data is None or labels is None or position >= len(labels) or labels[position] not in data:
        return False
    return bool((data[labels[position]].str.strip() != "").any())
