"""One finding and its severity: what a check found, where, and how bad it is.

The value every stage makes; :mod:`~migration_assistant.core.findings` (the report, and
what front ends import) and :mod:`~migration_assistant.core.finding_table` (findings held
as columns) build on it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
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

    @classmethod
    def about_file(
        cls,
        rule: str,
        severity: Severity,
        file: str,
        sheet: str | None,
        message: str,
        hint: str,
        *,
        entity: str | None = None,
        column: str | None = None,
        value: str | None = None,
    ) -> Finding:
        """A finding about a whole file or sheet (no row): readers, recognition, file-level checks."""
        return cls(rule, severity, entity, file, sheet, None, column, value, message, hint)

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
