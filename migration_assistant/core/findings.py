"""Findings: what a check found, where, and how bad it is.

Results are data: a frozen :class:`Finding` per problem and a :class:`Report` that
holds them with the files they came from. The GUI, the CLI and the report writers
only render these objects.
"""

from __future__ import annotations

import enum
import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any


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
            "severity": self.severity.label,
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


@dataclass(slots=True)
class Report:
    """Everything one validation run produced."""

    source: str
    files: list[FileInfo] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    records: dict[str, int] = field(default_factory=dict)
    date_ranges: dict[str, tuple[str, str]] = field(default_factory=dict)
    tool_version: str = ""
    cancelled: bool = False
    fixed: list[Finding] = field(default_factory=list)
    """Findings of the unfixed files that the fixes applied resolved (empty when none were applied)."""
    fixes_applied: int = 0
    """Cells changed by fixes before this check (the run's fix log); 0 for a check of the files as they are."""

    def extend(self, findings: Iterable[Finding]) -> None:
        self.findings.extend(findings)

    def summary(self) -> dict[str, int]:
        counts = Counter(f.severity for f in self.findings)
        return {s.label: counts.get(s, 0) for s in sorted(Severity, reverse=True)}

    def worst(self) -> Severity | None:
        return max((f.severity for f in self.findings), default=None)

    def at_or_above(self, threshold: Severity) -> Iterator[Finding]:
        return (f for f in self.findings if f.severity >= threshold)

    def sort(self) -> None:
        self.findings.sort(
            key=lambda f: (f.file, f.sheet or "", f.row if f.row is not None else -1, -f.severity, f.rule)
        )

    def to_json(self) -> dict[str, Any]:
        return {**self.to_json_head(), "findings": [f.to_json() for f in self.findings]}

    def to_json_text(self) -> str:
        """The findings JSON as text: indented, one finding per line.

        The same document as ``json.dumps(self.to_json(), indent=2)``, laid out so that a
        report with hundreds of thousands of findings is written in seconds (each finding
        goes through the C encoder, which ``indent`` would switch off) and can be read and
        grepped line by line.
        """
        head = json.dumps(self.to_json_head(), indent=2, ensure_ascii=False)[:-2]
        one = json.JSONEncoder(ensure_ascii=False).encode
        lines = ",\n".join("    " + one(f.to_json()) for f in self.findings)
        text = head + (',\n  "findings": [\n' + lines + "\n  ]\n}\n" if lines else ',\n  "findings": []\n}\n')
        # U+2028/U+2029 are line breaks to Unicode-aware tools (and Python's splitlines): escaped,
        # a cell holding one cannot split a finding over two lines. Same JSON value either way.
        return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")

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


@dataclass(frozen=True, slots=True)
class RunDiff:
    """How a re-check compares with the previous run."""

    fixed: list[Finding]
    new: list[Finding]
    remaining: list[Finding]


def compare_runs(before: Report, after: Report) -> RunDiff:
    """Split findings into fixed, new and remaining, matching them by :attr:`Finding.key`."""
    old = Counter(f.key for f in before.findings)
    now = Counter(f.key for f in after.findings)
    remaining: list[Finding] = []
    new: list[Finding] = []
    budget = old.copy()
    for f in after.findings:
        if budget[f.key] > 0:
            budget[f.key] -= 1
            remaining.append(f)
        else:
            new.append(f)
    fixed: list[Finding] = []
    budget = now.copy()
    for f in before.findings:
        if budget[f.key] > 0:
            budget[f.key] -= 1
        else:
            fixed.append(f)
    return RunDiff(fixed=fixed, new=new, remaining=remaining)
