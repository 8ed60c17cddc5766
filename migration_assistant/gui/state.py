"""What the user has chosen so far, shared by every page (and saved as the session)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from migration_assistant.gui.session import SavedFile, Session

if TYPE_CHECKING:
    from migration_assistant.core.adapters import Profile
    from migration_assistant.core.engine import ValidationResult
    from migration_assistant.core.findings import RunDiff

AUTO_SOURCE = "auto"
"""The "I'm not sure" choice: the engine picks the source system from the files."""


@dataclass(frozen=True, slots=True)
class FileEntry:
    """One table found in what the user added (a CSV, or one sheet of a workbook).

    ``key`` is the engine's name for it (``file`` or ``file#sheet``), used for role choices.
    ``error`` is set, in plain words, when the file could not be read at all.
    """

    key: str
    file: str
    sheet: str | None
    path: Path
    role: str | None
    confidence: float
    rows: int
    encoding: str | None
    sha256: str
    error: str | None = None
    ambiguous: bool = False
    runner_up: str | None = None

    @property
    def label(self) -> str:
        return self.file if self.sheet is None else f"{self.file} (sheet {self.sheet})"


class WizardState(QObject):
    """The choices and results that pages share.

    Signals:
        inputs_changed(): files or folders were added or removed.
        files_changed(): the files were (re)read: :attr:`files` is new.
        result_changed(): a check finished: :attr:`result` (and maybe :attr:`diff`) is new.
    """

    inputs_changed = Signal()
    files_changed = Signal()
    result_changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.catalog: dict[str, Profile] = {}
        self.catalog_problems: list[str] = []
        self.source_id: str | None = None
        self.detected_source: str | None = None
        self.inputs: list[Path] = []
        self.files: list[FileEntry] = []
        self.read_problems: list[str] = []
        self.role_choices: dict[str, str] = {}
        self.mappings: dict[str, dict[str, dict[str, str]]] = {}
        self.acknowledged: list[str] = []
        self.result: ValidationResult | None = None
        self.diff: RunDiff | None = None
        self.changed_since_last_time: list[str] = []
        self.resumed_from: Session | None = None

    # --- derived -----------------------------------------------------------------
    def load_catalog(self) -> None:
        from migration_assistant.core.adapters import load_catalog

        self.catalog, self.catalog_problems = load_catalog()

    @property
    def profile(self) -> Profile | None:
        """The chosen source system (or the one detected, for "I'm not sure")."""
        source = self.detected_source if self.source_id == AUTO_SOURCE else self.source_id
        return self.catalog.get(source or "")

    def role_of(self, entry: FileEntry) -> str | None:
        """The role the user chose for *entry*, else the detected one."""
        return self.role_choices.get(entry.key) or entry.role

    def roles_present(self) -> set[str]:
        return {r for e in self.files if e.error is None and (r := self.role_of(e))}

    def readable_files(self) -> list[FileEntry]:
        return [e for e in self.files if e.error is None]

    # --- changes --------------------------------------------------------------------
    def add_inputs(self, new: list[Path]) -> bool:
        """Add files or folders (duplicates ignored); True when anything was new."""
        known = {p.resolve() for p in self.inputs}
        added = False
        for path in new:
            if path.resolve() not in known:
                self.inputs.append(path)
                known.add(path.resolve())
                added = True
        if added:
            self._invalidate_result()
            self.inputs_changed.emit()
        return added

    def remove_inputs(self, gone: list[Path]) -> None:
        drop = {p.resolve() for p in gone}
        self.inputs = [p for p in self.inputs if p.resolve() not in drop]
        self._invalidate_result()
        self.inputs_changed.emit()

    def set_files(self, files: list[FileEntry], problems: list[str], detected_source: str | None) -> None:
        self.files = files
        self.read_problems = problems
        self.detected_source = detected_source
        self.files_changed.emit()

    def set_result(self, result: ValidationResult) -> None:
        """Store a finished check; when one existed before, keep what changed (fixed / new / remaining)."""
        from migration_assistant.core.findings import compare_runs

        previous = self.result
        self.diff = compare_runs(previous.report, result.report) if previous is not None else None
        self.result = result
        self.result_changed.emit()

    def _invalidate_result(self) -> None:
        self.result = None
        self.diff = None

    # --- the session -------------------------------------------------------------------
    def to_session(self, current_page: int, privacy: bool) -> Session:
        saved = [SavedFile(str(e.path), e.file, e.sha256) for e in self.files if e.error is None and e.sha256]
        unique = list({(s.path, s.sha256): s for s in saved}.values())
        if not unique and self.resumed_from is not None:
            unique = list(self.resumed_from.files)  # not read again yet: keep the fingerprints we had
        return Session(
            source=self.source_id,
            inputs=[str(p) for p in self.inputs],
            files=unique,
            roles=dict(self.role_choices),
            mappings=self.mappings,
            acknowledged=list(self.acknowledged),
            current_page=current_page,
            privacy=privacy,
        )

    def restore(self, session: Session) -> None:
        self.source_id = session.source
        self.inputs = [Path(p) for p in session.inputs]
        self.role_choices = dict(session.roles)
        self.mappings = dict(session.mappings)
        self.acknowledged = list(session.acknowledged)
        self.files = []
        self._invalidate_result()
        self.resumed_from = session
        self.inputs_changed.emit()

    def reset(self) -> None:
        self.source_id = None
        self.detected_source = None
        self.inputs = []
        self.files = []
        self.read_problems = []
        self.role_choices = {}
        self.mappings = {}
        self.acknowledged = []
        self.changed_since_last_time = []
        self.resumed_from = None
        self._invalidate_result()
        self.inputs_changed.emit()
