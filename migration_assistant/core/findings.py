"""Findings: what a check found, where, and how bad it is.

Results are data: a frozen :class:`Finding` per problem and a :class:`Report` that
holds them with the files they came from. The GUI, the CLI and the report writers
only render these objects.
"""

from __future__ import annotations

import enum
import io
import json
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from migration_assistant.core.finding_table import FindingTable


class Severity(enum.IntEnum):
    """How bad a finding is. Higher is worse; the names are the contract's words."""

    INFO = 0
    WARNING = 1
    ERROR = 2
    BLOCKER = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @property
    def meaning(self) -> str:
        return _LOOKS[self].meaning

    @property
    def word(self) -> str:
        """What people read: "Blocker", "Error", "Warning", "Note" (``info`` reads as a note)."""
        return _LOOKS[self].word

    @property
    def words(self) -> str:
        """The plural word: "Blockers", "Notes"."""
        return _LOOKS[self].words

    @property
    def mark(self) -> str:
        """A shape per severity, so severity is never told by colour alone."""
        return _LOOKS[self].mark

    @property
    def colour(self) -> str:
        """The severity's colour (``#rrggbb``) for text, badges and bars on white."""
        return _LOOKS[self].colour

    @property
    def fill(self) -> str:
        """A cell background (``#rrggbb``) for a spreadsheet cell with a problem of this severity."""
        return _LOOKS[self].fill

    @property
    def fill_name(self) -> str:
        """The fill colour in words ("amber"), for instructions that point at coloured cells."""
        return _LOOKS[self].fill_name

    @property
    def text(self) -> str:
        """The mark and the word, e.g. "▲ Error"."""
        return f"{self.mark} {self.word}"

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.strip().upper()]
        except KeyError:
            raise ValueError(f"unknown severity {text!r}: use blocker, error, warning or info") from None


@dataclass(frozen=True, slots=True)
class _Look:
    """How one severity is shown to people: the wizard, the HTML report and the Excel report
    all read it from here, so a severity has one name, one shape and one colour everywhere."""

    word: str
    words: str
    mark: str
    colour: str
    fill: str
    fill_name: str
    meaning: str


# Every colour reads at 4.5:1 or better against white (WCAG AA), as text or behind white text;
# the fills are light enough for black text, except the blocker's, which carries white text.
# The blocker's dark red is also the style sheet's for blocking checklist items (ui/style.qss).
_LOOKS = {
    Severity.BLOCKER: _Look(
        word="Blocker",
        words="Blockers",
        mark="\u25a0",  # black square
        colour="#8b1a1a",
        fill="#8b1a1a",
        fill_name="dark red",
        meaning="The file cannot be migrated as it is.",
    ),
    Severity.ERROR: _Look(
        word="Error",
        words="Errors",
        mark="\u25b2",  # triangle
        colour="#c0392b",
        fill="#f28b82",
        fill_name="red",
        meaning="The record will fail to import, or import wrong.",
    ),
    Severity.WARNING: _Look(
        word="Warning",
        words="Warnings",
        mark="\u25c6",  # diamond
        colour="#b45309",
        fill="#ffd966",
        fill_name="amber",
        meaning="Probably wrong: a person should look at it.",
    ),
    Severity.INFO: _Look(
        word="Note",
        words="Notes",
        mark="\u25cb",  # circle
        colour="#2e6da4",
        fill="#9fc5e8",
        fill_name="blue",
        meaning="A note for the migration specialist.",
    ),
}


_LABELS = {s: s.label for s in Severity}
"""Each severity's contract word, looked up once: the JSON writer asks for it per finding."""


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem, traced to the original file and spreadsheet row.

    ``row`` is the row a spreadsheet program shows (header row 1, first record 2);
    it is None only for file-level findings.
    """

    rule: str
    severity: Severity
    entity: str | None
    file: str
    sheet: str | None
    row: int | None
    column: str | None
    value: str | None
    message: str
    hint: str

    def to_json(self) -> dict[str, Any]:
        # Written out rather than dataclasses.asdict, which deep-copies every field: this runs
        # once per finding, and a systematic problem can mean a finding on every row.
        return {
            "rule": self.rule,
            "severity": _LABELS[self.severity],
            "entity": self.entity,
            "file": self.file,
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "message": self.message,
            "hint": self.hint,
        }

    @property
    def key(self) -> tuple[str, str, str | None, str | None, str | None]:
        """Identity used to compare two runs ("fixed / new / remaining").

        Rows shift when a user deletes a line, so the value stands in for the row.
        """
        return (self.rule, self.file, self.sheet, self.column, self.value if self.row is not None else None)


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


def _new_table() -> Sequence[Finding]:
    from migration_assistant.core.finding_table import FindingTable

    return FindingTable()


@dataclass(slots=True)
class Report:
    """Everything one validation run produced.

    ``findings`` is a :class:`~migration_assistant.core.finding_table.FindingTable` after a
    check (findings held as columns, made when read); any sequence of findings will do.
    """

    source: str
    files: list[FileInfo] = field(default_factory=list)
    findings: Sequence[Finding] = field(default_factory=_new_table)
    records: dict[str, int] = field(default_factory=dict)
    date_ranges: dict[str, tuple[str, str]] = field(default_factory=dict)
    tool_version: str = ""
    cancelled: bool = False

    def table(self) -> FindingTable:
        """The findings as a :class:`~migration_assistant.core.finding_table.FindingTable`
        (a plain list given to the report is turned into one, once)."""
        from migration_assistant.core.finding_table import as_table

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
        """Everything of :meth:`to_json` but the findings."""
        return {
            "tool": {"name": "migration-assistant", "version": self.tool_version},
            "source": self.source,
            "files": [f.to_json() for f in self.files],
            "summary": self.summary(),
        }


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
