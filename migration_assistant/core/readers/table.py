"""What every reader produces: a table of text cells that remembers where each row came from."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from migration_assistant.core.finding_table import as_table
from migration_assistant.core.findings import Finding

ROW = "_row"
"""Column holding each record's spreadsheet row (header row 1, first record 2)."""


@dataclass(slots=True)
class SourceTable:
    """One table read from a file (a CSV, one sheet of a workbook, or a format such as LEDES).

    ``data`` has one column per original header label (made unique with " (2)", " (3)"
    suffixes when a label repeats), every cell as text ("" when empty), plus the
    :data:`ROW` column. Blank rows are already removed (and reported).

    Readers of interchange formats (LEDES, iCalendar, vCard, IIF) already know the
    entity: they set ``role`` and use the canonical template titles as column labels,
    and ``row`` then means the line (or record) number in the file.
    """

    file: str
    path: Path
    sheet: str | None
    data: pd.DataFrame
    labels: list[str]
    encoding: str | None = None
    delimiter: str | None = None
    header_row: int = 1
    sha256: str = ""
    findings: list[Finding] = field(default_factory=list)
    role: str | None = None
    role_confidence: float = 0.0
    format: str = "csv"
    waived: dict[tuple[str, str], frozenset[int]] = field(default_factory=dict)
    """Findings of the general rules that this file's own format makes wrong: (rule code, column
    label) -> the rows where the format allows what the rule would report (a LEDES expense line
    has no timekeeper). Only format readers set it, and each sets it beside a check of its own."""

    @property
    def rows(self) -> int:
        return len(self.data)


def drop_waived(findings: Sequence[Finding], tables: Iterable[SourceTable]) -> Sequence[Finding]:
    """*findings* without those a table's format waives (see :attr:`SourceTable.waived`).

    Only format readers waive anything, so an export without them returns *findings* itself,
    untouched. Otherwise the result is a view of the findings chosen on their columns (a large
    CSV beside a small LEDES file keeps its findings as columns: none is made to be looked at).
    """
    waivers = {
        (table.file, table.sheet, rule, column): rows
        for table in tables
        for (rule, column), rows in table.waived.items()
    }
    if not waivers:
        return findings
    table = as_table(findings)
    rows = table.row_numbers()
    codes = {name: table.codes(name) for name in ("file", "sheet", "rule", "column")}

    def matching(name: str, wanted: str | None) -> np.ndarray:
        column, labels = codes[name]
        # A finding's column is compared as "" when it has none, as the waivers name it.
        hits = [i for i, label in enumerate(labels) if (label or "" if name == "column" else label) == wanted]
        return np.isin(column, hits)

    keep = np.ones(len(table), dtype=bool)
    for (file, sheet, rule, column), waived_rows in waivers.items():
        drop = matching("file", file) & matching("sheet", sheet) & matching("rule", rule)
        drop &= matching("column", column) & np.isin(rows, np.fromiter(waived_rows, dtype=np.int64))
        keep &= ~drop
    return table.where(keep)
