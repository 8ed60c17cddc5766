"""What every reader produces: a table of text cells that remembers where each row came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

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

    @property
    def rows(self) -> int:
        return len(self.data)
