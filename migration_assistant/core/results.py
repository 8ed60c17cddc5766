"""The values that flow out of a run: progress, its outcome, and how a run ends early.

These sit below every stage (beside :mod:`~migration_assistant.core.findings` and
:mod:`~migration_assistant.core.readers.table`): the reports, the checklist and the
package read a :class:`ValidationResult` without importing the orchestrator that made
it, and the front ends name these types without loading pandas (the stages' types are
named for the type checker only).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from migration_assistant.core.findings import Finding, Report

if TYPE_CHECKING:
    from migration_assistant.core.adapters import Profile
    from migration_assistant.core.dataset import Dataset
    from migration_assistant.core.fixes.log import FixLog
    from migration_assistant.core.readers.inputs import InputFile
    from migration_assistant.core.readers.table import SourceTable
    from migration_assistant.core.recognise import RoleGuess, SourceGuess


class Cancelled(Exception):
    """The user cancelled the run."""


class ExportTooLarge(Exception):
    """The computer ran out of memory during a check; the message says what to do instead."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


@dataclass(frozen=True, slots=True)
class Progress:
    """How far a run has got: *step* is a plain-English phrase for the UI."""

    step: str
    done: int
    total: int

    @property
    def fraction(self) -> float:
        return self.done / self.total if self.total else 0.0


@dataclass(slots=True)
class ValidationResult:
    report: Report
    dataset: Dataset
    profile: Profile
    inputs: list[InputFile] = field(default_factory=list)
    skipped: list[InputFile] = field(default_factory=list)
    """Files in the folders given that were not read (each has a ``not-checked`` finding)."""
    fix_log: FixLog | None = None
    """The fixes applied to the files read before this check (None: the files as they are)."""


Mappings = dict[str, dict[str, str]]
"""entity -> canonical title -> source column label: the user's column choices ("" = leave unmapped)."""

LEFT_OUT = ""
"""The role that leaves a table out of the check at the user's request."""


def table_key(table: SourceTable) -> str:
    """How a table is named in saved role choices: the file, plus ``#sheet`` for a workbook sheet."""
    return table.file if table.sheet is None else f"{table.file}#{table.sheet}"


@dataclass(frozen=True, slots=True)
class Unread:
    """A file that was found but could not be read, and why (in plain words)."""

    input: InputFile
    message: str


@dataclass(slots=True)
class Recognised:
    """The first half of a run: every file read, and what each table holds.

    Attributes:
        inputs: The files found in what the user gave, in order.
        tables: Every table read, in input order, then the companion views (see *companions*);
            each has ``role`` and ``role_confidence`` set.
        guesses: One per table: its entity, confidence, column mapping and runner-up.
        profile: The source system the tables were read as.
        source_guess: How the source was picked, when it was picked from the content.
        findings: The readers' findings and recognition's (unrecognised, ambiguous,
            left-out files, unmapped columns, an ambiguous source).
        companions: How many of the last tables are second views of a file that holds two
            kinds of record (PCLaw's client/matter list: its clients); they share the
            file's :func:`table_key`.
        skipped: Files in the folders given that are not a table format.
        problems: Given paths that could not be used (only when reading kept going).
        unread: Files that could not be read (only when reading kept going).
    """

    inputs: list[InputFile]
    tables: list[SourceTable]
    guesses: list[RoleGuess]
    profile: Profile
    source_guess: SourceGuess | None = None
    findings: list[Finding] = field(default_factory=list)
    companions: int = 0
    skipped: list[InputFile] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    unread: list[Unread] = field(default_factory=list)

    @property
    def read_tables(self) -> list[SourceTable]:
        """The tables as read from the files (without the companion views)."""
        return self.tables[: len(self.tables) - self.companions]
