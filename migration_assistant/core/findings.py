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
    fixed: Sequence[Finding] = field(default_factory=list)
    """Findings of the unfixed files that the fixes applied resolved (empty when none were applied);
    after a check, a view of the unfixed check's table (:func:`resolved_by_fixes`)."""
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
        out = self.to_json_head()
        if self.fixes_applied:
            out["fixed"] = [f.to_json() for f in self.fixed]
        out["findings"] = [f.to_json() for f in self.findings]
        return out

    def iter_json_text(self) -> Iterator[str]:
        """:meth:`to_json_text` in pieces of a few thousand findings, for writing as it is made."""
        yield _line_safe(json.dumps(self.to_json_head(), indent=2, ensure_ascii=False)[:-2])
        if self.fixes_applied:
            yield from _json_list("fixed", as_table(self.fixed))
        yield from _json_list("findings", self.table())
        yield "\n}\n"

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
        """Everything of :meth:`to_json` but the lists of findings (those found and, after fixes,
        those the fixes resolved), which are written one finding per line."""
        head: dict[str, Any] = {
            "tool": {"name": "migration-assistant", "version": self.tool_version},
            "source": self.source,
            "files": [f.to_json() for f in self.files],
            "summary": self.summary(),
        }
        if self.fixes_applied:
            head["fixes"] = {"cells_changed": self.fixes_applied, "findings_fixed": len(self.fixed)}
        return head


def _json_list(name: str, findings: FindingTable) -> Iterator[str]:
    """The member *name* of the findings JSON: its findings one per line, each through the C encoder
    (``indent`` would switch it off), a few thousand at a time."""
    one = json.JSONEncoder(ensure_ascii=False).encode
    first = True
    for chunk in findings.chunks():
        lines = ",\n".join("    " + one(f.to_json()) for f in chunk)
        yield _line_safe((f',\n  "{name}": [\n' if first else ",\n") + lines)
        first = False
    yield f',\n  "{name}": []' if first else "\n  ]"


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


def _key_ids(*tables: FindingTable, by_place: bool = False) -> list[np.ndarray]:
    """Per table, one integer per finding that is equal exactly when :attr:`Finding.key` is.

    *by_place*: the row stands in for the value, (code, file, sheet, row, column): a fix changes a
    cell's value, never its place.
    """
    parts: list[list[np.ndarray]] = [[] for _ in tables]
    for name in ("rule", "file", "sheet", "column"):
        seen: dict[Any, int] = {}
        for i, table in enumerate(tables):
            codes, labels = table.codes(name)
            shared = np.asarray([seen.setdefault(label, len(seen)) for label in labels], dtype=np.int64)
            parts[i].append(shared[codes] if len(labels) else np.zeros(len(table), dtype=np.int64))
    values: dict[Any, int] = {None: 0}
    for i, table in enumerate(tables):
        rows = table.row_numbers()
        if by_place:
            parts[i].append(rows + 1)  # a file-level finding (-1) is 0
            continue
        cells = table.cell_values()
        # A plain loop, not one call over a million values: the window's thread gets its turns.
        ids = np.fromiter(
            (values.setdefault(v, len(values)) for v in cells), dtype=np.int64, count=len(cells)
        )
        ids[rows < 0] = 0  # a file-level finding's key has no value
        parts[i].append(ids)
    # One number per key (mixed radix over the fields' code counts): sorting plain integers lets
    # numpy release the interpreter, where sorting rows of five would not.
    sizes = [max(int(max((p[f].max() for p in parts if len(p[f])), default=0)) + 1, 1) for f in range(5)]
    if float(np.prod(np.asarray(sizes, dtype=np.float64))) >= 2.0**62:
        stacked = [np.stack(p, axis=1) for p in parts]
        _rows, inverse = np.unique(np.concatenate(stacked), axis=0, return_inverse=True)
        ids = inverse.reshape(-1)
        bounds = np.cumsum([len(t) for t in tables])[:-1]
        return list(np.split(ids, bounds))
    out = []
    for p in parts:
        number = np.zeros(len(p[0]), dtype=np.int64)
        for f, size in enumerate(sizes):
            number = number * size + p[f]
        out.append(number)
    return out


def _first_occurrences(ids: np.ndarray, other: np.ndarray) -> np.ndarray:
    """For each of *ids*, whether it is among the first n of its key, n being how often *other* has it."""
    if not len(ids):
        return np.zeros(0, dtype=bool)
    # How many of each key *other* has, for the keys *ids* holds (keys are large numbers: no bincount).
    keys, counts = np.unique(other, return_counts=True)
    at = np.searchsorted(keys, ids)
    found = (
        (at < len(keys)) & (keys[np.minimum(at, len(keys) - 1)] == ids)
        if len(keys)
        else np.zeros(len(ids), bool)
    )
    available = np.where(found, counts[np.minimum(at, max(len(keys) - 1, 0))] if len(keys) else 0, 0)
    order = np.argsort(ids, kind="stable")
    ordered = ids[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    occurrence = np.arange(len(ids)) - np.repeat(starts, np.diff(np.r_[starts, len(ids)]))
    nth = np.empty(len(ids), dtype=np.int64)
    nth[order] = occurrence
    first: np.ndarray = nth < available
    return first


def resolved_by_fixes(unfixed: Report, fixed: Report) -> FindingTable:
    """The findings of the check of the files as they are (*unfixed*) that the check of the fixed
    data (*fixed*) no longer has at the same place: code, file, sheet, row and column (not the value:
    a fix changes it). A place held *n* times before and *m* times after keeps its first min(n, m).
    """
    old_table, new_table = unfixed.table(), fixed.table()
    old_ids, new_ids = _key_ids(old_table, new_table, by_place=True)
    return old_table.where(~_first_occurrences(old_ids, new_ids))


def with_fixed_first(diff: RunDiff, fixed: Sequence[Finding]) -> RunDiff:
    """*diff* with *fixed* (resolved by fixes) as its fixed findings, followed by those of its own
    fixed findings that no finding of *fixed* shares a key with (fixed by hand in the files)."""
    fixed_table, by_diff = as_table(fixed), as_table(diff.fixed)
    fixed_ids, diff_ids = _key_ids(fixed_table, by_diff)
    others = by_diff.where(~np.isin(diff_ids, fixed_ids))
    return RunDiff(fixed=FindingTable.joined(fixed_table, others), new=diff.new, remaining=diff.remaining)


def compare_runs(before: Report, after: Report) -> RunDiff:
    """Split findings into fixed, new and remaining, matching them by :attr:`Finding.key`.

    A key present *n* times before and *m* times after keeps its first min(n, m) findings on
    each side (the rest are fixed or new). Worked out on integer codes of the key's fields, so a
    check with half a million findings is compared without a Python object per finding, and
    without one long call that would hold the interpreter from the window (bench/review_fixes.py).
    """
    old_table, new_table = before.table(), after.table()
    old_ids, new_ids = _key_ids(old_table, new_table)
    matched = _first_occurrences(old_ids, new_ids)
    kept = _first_occurrences(new_ids, old_ids)
    return RunDiff(
        fixed=old_table.where(~matched), new=new_table.where(~kept), remaining=new_table.where(kept)
    )
