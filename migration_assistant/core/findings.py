"""Findings: what a check found, where, and how bad it is.

Results are data: a frozen :class:`Finding` per problem and a :class:`Report` that
holds them with the files they came from. The GUI, the CLI and the report writers
only render these objects. After a check the report holds its findings as columns
(:mod:`~migration_assistant.core.finding_table`), each :class:`Finding` made when it is
read, so a problem on every row of a million-row file costs megabytes, not gigabytes.
"""

from __future__ import annotations

import io
import json
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

import numpy as np

from migration_assistant.core.finding import Finding, Severity
from migration_assistant.core.finding_table import FindingTable, as_table

__all__ = [
    "WORKBOOK_ENCODING",
    "FileInfo",
    "Finding",
    "FindingTable",
    "Report",
    "RunDiff",
    "Severity",
    "as_table",
    "compare_runs",
    "encoding_label",
]


WORKBOOK_ENCODING = "Excel workbook"
"""Shown for a table read from an Excel workbook, whose cells carry no text encoding to report."""


def encoding_label(encoding: str | None) -> str:
    """How a table's encoding reads on screen and in reports: workbooks have none of their own."""
    return encoding or WORKBOOK_ENCODING


@dataclass(frozen=True, slots=True)
class FileInfo:
    """What was read from one file (or one sheet of a workbook)."""

    file: str
    sheet: str | None
    role: str | None
    encoding: str | None
    rows: int
    sha256: str
    path: str = ""
    delimiter: str | None = None
    header_row: int = 1
    role_confidence: float = 0.0
    columns: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "sheet": self.sheet,
            "role": self.role,
            "encoding": self.encoding,
            "rows": self.rows,
            "sha256": self.sha256,
        }


@dataclass(slots=True)
class Report:
    """Everything one validation run produced.

    ``findings`` is a :class:`~migration_assistant.core.finding_table.FindingTable` after a
    check (findings held as columns, made when read); any sequence of findings will do.
    """

    source: str
    files: list[FileInfo] = field(default_factory=list)
    findings: Sequence[Finding] = field(default_factory=FindingTable)
    records: dict[str, int] = field(default_factory=dict)
    date_ranges: dict[str, tuple[str, str]] = field(default_factory=dict)
    tool_version: str = ""
    cancelled: bool = False
    fixed: list[Finding] = field(default_factory=list)
    """Findings of the unfixed files that the fixes applied resolved (empty when none were applied)."""
    fixes_applied: int = 0
    """Cells changed by fixes before this check (the run's fix log); 0 for a check of the files as they are."""

    def table(self) -> FindingTable:
        """The findings as a :class:`~migration_assistant.core.finding_table.FindingTable`
        (a plain list given to the report is turned into one, once)."""
        table = as_table(self.findings)
        self.findings = table
        return table

    def extend(self, findings: Iterable[Finding]) -> None:
        self.table().extend(findings)

    def summary(self) -> dict[str, int]:
        counts = np.bincount(self.table().severities(), minlength=len(Severity))
        return {s.label: int(counts[s]) for s in sorted(Severity, reverse=True)}

    def rule_counts(self) -> dict[str, int]:
        """How many findings each rule made, without making the findings."""
        codes, rules = self.table().codes("rule")
        counts = np.bincount(codes, minlength=len(rules))
        return {rule: int(n) for rule, n in zip(rules, counts.tolist(), strict=True)}

    def worst(self) -> Severity | None:
        levels = self.table().severities()
        return Severity(int(levels.max())) if len(levels) else None

    def at_or_above(self, threshold: Severity) -> Iterator[Finding]:
        table = self.table()
        return iter(table.where(table.severities() >= threshold))

    def sort(self) -> None:
        self.table().sort_by_place()

    def to_json(self) -> dict[str, Any]:
        return {**self.to_json_head(), "findings": [f.to_json() for f in self.findings]}

    def iter_json_text(self) -> Iterator[str]:
        """:meth:`to_json_text` in pieces of a few thousand findings, for writing as it is made."""
        head = json.dumps(self.to_json_head(), indent=2, ensure_ascii=False)[:-2]
        yield _line_safe(head)
        one = json.JSONEncoder(ensure_ascii=False).encode
        first = True
        for chunk in self.table().chunks():
            lines = ",\n".join("    " + one(f.to_json()) for f in chunk)
            yield _line_safe((',\n  "findings": [\n' if first else ",\n") + lines)
            first = False
        yield ',\n  "findings": []\n}\n' if first else "\n  ]\n}\n"

    def write_json(self, out: IO[str]) -> None:
        """Write :meth:`to_json_text` to the text file *out*, a few thousand findings at a time."""
        for piece in self.iter_json_text():
            out.write(piece)

    def json_bytes(self) -> bytes:
        """:meth:`to_json_text` as UTF-8, built piece by piece (never the whole text as a str too)."""
        buffer = io.BytesIO()
        for piece in self.iter_json_text():
            buffer.write(piece.encode("utf-8"))
        return buffer.getvalue()

    def to_json_text(self) -> str:
        """The findings JSON as text: indented, one finding per line.

        The same document as ``json.dumps(self.to_json(), indent=2)``, laid out so that a
        report with hundreds of thousands of findings is written in seconds (each finding
        goes through the C encoder, which ``indent`` would switch off) and can be read and
        grepped line by line. :meth:`write_json` writes the same text without holding it.
        """
        out = io.StringIO()
        self.write_json(out)
        return out.getvalue()

    def to_json_head(self) -> dict[str, Any]:
        """Everything of :meth:`to_json` but the findings (and, after fixes, what they resolved)."""
        head: dict[str, Any] = {
            "tool": {"name": "migration-assistant", "version": self.tool_version},
            "source": self.source,
            "files": [f.to_json() for f in self.files],
            "summary": self.summary(),
        }
        if self.fixes_applied:
            head["fixes"] = {"cells_changed": self.fixes_applied, "findings_fixed": len(self.fixed)}
            head["fixed"] = [f.to_json() for f in self.fixed]
        return head


def _line_safe(text: str) -> str:
    # U+2028/U+2029 are line breaks to Unicode-aware tools (and Python's splitlines): escaped,
    # a cell holding one cannot split a finding over two lines. Same JSON value either way.
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


@dataclass(frozen=True, slots=True)
class RunDiff:
    """How a re-check compares with the previous run (views of the two runs' findings)."""

    fixed: Sequence[Finding]
    new: Sequence[Finding]
    remaining: Sequence[Finding]


def _keys(table: FindingTable) -> list[tuple[Any, ...]]:
    """:attr:`Finding.key` of every finding, read from the columns (no message is made)."""
    rows = table.row_numbers().tolist()
    values = table.cell_values()
    return list(
        zip(
            table.column("rule"),
            table.column("file"),
            table.column("sheet"),
            table.column("column"),
            [v if r >= 0 else None for r, v in zip(rows, values, strict=True)],
            strict=True,
        )
    )


def compare_runs(before: Report, after: Report) -> RunDiff:
    """Split findings into fixed, new and remaining, matching them by :attr:`Finding.key`."""
    old_table, new_table = before.table(), after.table()
    old_keys, new_keys = _keys(old_table), _keys(new_table)
    budget = Counter(old_keys)
    kept = np.zeros(len(new_keys), dtype=bool)
    for i, key in enumerate(new_keys):
        if budget[key] > 0:
            budget[key] -= 1
            kept[i] = True
    budget = Counter(new_keys)
    matched = np.zeros(len(old_keys), dtype=bool)
    for i, key in enumerate(old_keys):
        if budget[key] > 0:
            budget[key] -= 1
            matched[i] = True
    return RunDiff(
        fixed=old_table.where(~matched), new=new_table.where(~kept), remaining=new_table.where(kept)
    )
