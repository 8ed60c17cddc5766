"""What the user has chosen so far, shared by every page (and saved as the session)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from migration_assistant.gui.session import (
    SavedAcknowledgement,
    SavedFile,
    Session,
    fix_log_path,
    text_fingerprint,
)

if TYPE_CHECKING:
    from migration_assistant.core.api import (
        Balances,
        Checklist,
        FixIndex,
        FixLog,
        PackageResult,
        Profile,
        Timeline,
    )
    from migration_assistant.core.findings import Report, RunDiff
    from migration_assistant.core.results import ValidationResult

AUTO_SOURCE = "auto"
"""The "I'm not sure" choice: the engine picks the source system from the files."""

DEFAULT_COUNTRY = "US"
INTERCHANGE_FORMATS = frozenset({"ledes", "ics", "vcf", "iif"})
"""Formats whose readers set the record kind and the column names (``core.recognise.signatures.INTERCHANGE``)."""
PREVIEW_ROWS = 5
"""Rows of each file kept for the Map columns page's preview."""


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
    labels: tuple[str, ...] = ()
    """The table's column headings as the engine names them (made unique)."""
    preview: tuple[tuple[str, ...], ...] = ()
    """The first rows' cells, in :attr:`labels` order (shown masked in privacy mode)."""
    format: str = "csv"
    """The reader's format: "csv", "xlsx", or an interchange format ("ledes", "ics", "vcf", "iif")."""
    also: tuple[str, ...] = ()
    """Other kinds of record the file holds, which the check reads from it as well (PCLaw's
    client/matter list also gives the clients)."""

    @property
    def fixed_columns(self) -> bool:
        """An interchange format: its reader names the columns itself; there is nothing to map."""
        return self.format in INTERCHANGE_FORMATS

    @property
    def label(self) -> str:
        return self.file if self.sheet is None else f"{self.file} (sheet {self.sheet})"


@dataclass(frozen=True, slots=True)
class CheckOutcome:
    """What a check produces: the engine's result, and what later pages derive from it.

    Balances and the checklist are computed in the worker, with the check, so the UI
    thread never waits for them.
    """

    result: ValidationResult
    balances: Balances | None = None
    checklist: Checklist | None = None
    fix_plan: FixLog | None = None
    """What the fixes would change in the checked data (the Review page's preview), planned in the worker."""
    stale_fixes: str = ""
    """Why the saved fixes were set aside (the files changed since they were made, or the saved log
    could not be read); "" when they were not."""
    prepared: Prepared | None = None
    """What the state derives from the result (see :func:`prepare`), worked out in the worker."""


@dataclass
class Prepared:
    """What :meth:`WizardState.set_result` derives from a check, against the check before it.

    Made by :func:`prepare`, in the worker (half a million fixed findings take seconds to compare
    and index), so taking a result on the GUI thread is only assignments.
    """

    previous: ValidationResult | None
    """The result it was compared with: used only while it is still the state's current one."""
    diff: RunDiff | None
    fix_plan: FixIndex
    applied: FixIndex | None
    unfixed_report: Report | None
    """The report without fixes, when no fixes were applied (None keeps the state's)."""
    rows: list[Any] | None = None
    """The findings model's rows for *diff* (``gui.models.finding_rows``), made in the worker too."""


def prepare(outcome: CheckOutcome, previous: ValidationResult | None) -> Prepared:
    """What taking *outcome* after *previous* changes in the state (pure: no Qt, no signals)."""
    from migration_assistant.core.api import FixIndex, FixLog
    from migration_assistant.core.findings import RunDiff, compare_runs, with_fixed_first

    result = outcome.result
    diff = compare_runs(previous.report, result.report) if previous is not None else None
    fix_plan = FixIndex(outcome.fix_plan if outcome.fix_plan is not None else FixLog())
    applied_log = result.fix_log if result.fix_log is not None and len(result.fix_log) else None
    applied = FixIndex(applied_log) if applied_log is not None else None
    if applied_log is None:
        return Prepared(previous, diff, fix_plan, None, result.report)
    fixed = result.report.fixed
    if len(fixed):
        # Fixed by a fix is shown as fixed, not as vanished, whatever the previous check held;
        # what went otherwise (fixed by hand in the files) is added from the comparison.
        if diff is None:
            diff = RunDiff(fixed=fixed, new=[], remaining=result.report.findings)
        else:
            diff = with_fixed_first(diff, fixed)
    return Prepared(previous, diff, fix_plan, applied, None)


class WizardState(QObject):
    """The choices and results that pages share.

    Signals:
        inputs_changed(): files or folders were added or removed.
        files_changed(): the files were (re)read: :attr:`files` is new.
        result_changed(): a check finished: :attr:`result` (and maybe :attr:`diff`, and
            :attr:`balances` and :attr:`checklist`) is new.
        firm_place_changed(): the firm's country or state/province changed (the timeline's holidays).
    """

    inputs_changed = Signal()
    files_changed = Signal()
    result_changed = Signal()
    firm_place_changed = Signal()

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
        self.diff_rows: list[Any] | None = None
        """The findings model's rows for :attr:`diff`, when the worker made them (else None)."""
        self.changed_since_last_time: list[str] = []
        self.resumed_from: Session | None = None
        self.guide_done: dict[str, list[str]] = {}
        """Source id -> titles of the export-guide steps ticked."""
        self.left_out: set[str] = set()
        """Table keys the user left out of the check (their role choice is kept for later)."""
        self.acknowledged_by = ""
        self.firm_country = DEFAULT_COUNTRY
        self.firm_subdiv: str | None = None
        self.balances: Balances | None = None
        self.checklist: Checklist | None = None
        """The limitations checklist of the latest result, with the acknowledgements so far."""
        self._last_checklist: Checklist | None = None
        self._saved_acknowledgements: list[SavedAcknowledgement] = []
        self._timeline: tuple[object, str, str | None, Timeline | None] | None = None
        self.package: PackageResult | None = None
        """The package sealed (and verified) from the current result, if any."""
        self.fix_log: FixLog | None = None
        self.saved_fix_log: Path | None = None
        self.fix_log_file = ""
        """The file beside the session that already holds :attr:`fix_log` (a resumed one), so it is
        not written again; "" for a log made in this run."""
        """A resumed session's fix log, not read yet: the next check reads it in its worker
        (half a million fixes take seconds to read) and :meth:`set_result` makes it :attr:`fix_log`."""
        """The fixes the user applied (None: none); the next check runs with them."""
        self.fix_plan: FixIndex | None = None
        """The fixes possible on the latest result's data, grouped for the Review page."""
        self.applied: FixIndex | None = None
        """The latest result's own fix log, grouped (the cells shown as fixed)."""
        self.unfixed_report: Report | None = None
        """The report of the latest check without fixes (the re-check's ``before``)."""
        self.stale_fixes = ""

    # --- derived -----------------------------------------------------------------
    def load_catalog(self) -> None:
        from migration_assistant.core.api import load_catalog

        self.catalog, self.catalog_problems = load_catalog()

    @property
    def profile(self) -> Profile | None:
        """The chosen source system (or the one detected, for "I'm not sure")."""
        source = self.detected_source if self.source_id == AUTO_SOURCE else self.source_id
        return self.catalog.get(source or "")

    def role_of(self, entry: FileEntry) -> str | None:
        """The role the user chose for *entry*, else the detected one."""
        return self.role_choices.get(entry.key) or entry.role

    def is_left_out(self, entry: FileEntry) -> bool:
        return entry.key in self.left_out

    def roles_present(self) -> set[str]:
        present = {
            r for e in self.files if e.error is None and not self.is_left_out(e) and (r := self.role_of(e))
        }
        present.update(r for e in self.files if e.error is None and not self.is_left_out(e) for r in e.also)
        return present

    def readable_files(self) -> list[FileEntry]:
        return [e for e in self.files if e.error is None]

    def timeline(self) -> Timeline | None:
        """The dated plan for the latest result, in the firm's jurisdiction (None before a check)."""
        result = self.result
        if result is None:
            return None
        key = (result, self.firm_country, self.firm_subdiv)
        if self._timeline is not None and self._timeline[:3] == key:
            return self._timeline[3]
        import datetime as dt

        from migration_assistant.core.api import export_date, plan_for_report

        try:
            plan: Timeline | None = plan_for_report(
                result.report,
                country=self.firm_country,
                subdiv=self.firm_subdiv,
                exported=dt.date.fromisoformat(export_date(result)),  # one export date everywhere
            )
        except ValueError:
            plan = None
        self._timeline = (*key, plan)
        return plan

    def set_firm_place(self, country: str, subdiv: str | None) -> None:
        """The firm's country and state/province (ISO codes), for the timeline's public holidays."""
        if (country, subdiv) == (self.firm_country, self.firm_subdiv):
            return
        self.firm_country, self.firm_subdiv = country, subdiv
        self.firm_place_changed.emit()

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

    def set_result(self, outcome: CheckOutcome | ValidationResult) -> None:
        """Store a finished check; when one existed before, keep what changed (fixed / new / remaining).

        The new checklist keeps the acknowledgements of items unchanged (same id and text)
        since the last check, or since the saved session. What changed is worked out by
        :func:`prepare` (in the worker when the check op made the outcome).
        """
        if not isinstance(outcome, CheckOutcome):
            outcome = CheckOutcome(outcome)
        result = outcome.result
        self.balances = outcome.balances
        self.checklist = outcome.checklist
        if self.checklist is not None:
            self._adopt_acknowledgements(self.checklist)
        previous = self.result
        prepared = outcome.prepared
        if prepared is None or prepared.previous is not previous:
            prepared = prepare(outcome, previous)  # not made against this state's last check
        self.diff = prepared.diff
        self.diff_rows = prepared.rows
        self.stale_fixes = outcome.stale_fixes
        if self.saved_fix_log is not None:
            self.fix_log = result.fix_log if result.fix_log is not None and len(result.fix_log) else None
            self.fix_log_file = self.saved_fix_log.name if self.fix_log is not None else ""
            self.saved_fix_log = None
        if outcome.stale_fixes:
            self.fix_log, self.fix_log_file = None, ""
        self.fix_plan, self.applied = prepared.fix_plan, prepared.applied
        if prepared.unfixed_report is not None:
            self.unfixed_report = prepared.unfixed_report
        self.result = result
        self.package = None  # sealed from the previous check: no longer what the firm has reviewed
        self.result_changed.emit()

    def set_fix_log(self, log: FixLog | None) -> None:
        """The fixes applied from now on (None or empty: none); the caller checks again."""
        self.fix_log = log if log is not None and len(log) else None
        self.saved_fix_log = None
        self.fix_log_file = ""

    def use_checklist(self, checklist: Checklist) -> None:
        """Make *checklist* the current one, with the acknowledgements that still apply."""
        self.checklist = checklist
        self._adopt_acknowledgements(checklist)

    def _adopt_acknowledgements(self, checklist: Checklist) -> None:
        if self._last_checklist is not None and self._last_checklist is not checklist:
            checklist.merge_acknowledgements(self._last_checklist)
        saved = {a.id: a for a in self._saved_acknowledgements}
        for item in checklist.items:
            ack = saved.get(item.id)
            if not item.acknowledged and ack is not None and ack.what_sha256 == text_fingerprint(item.what):
                item.acknowledged_by, item.acknowledged_at = ack.by, ack.at
        self._last_checklist = checklist

    def acknowledgements(self) -> list[SavedAcknowledgement]:
        """The acknowledged checklist items, as the session keeps them."""
        checklist = self.checklist or self._last_checklist
        if checklist is None:
            return list(self._saved_acknowledgements)
        return [
            SavedAcknowledgement(i.id, text_fingerprint(i.what), i.acknowledged_by, i.acknowledged_at)
            for i in checklist.items
            if i.acknowledged
        ]

    def invalidate_result(self) -> None:
        """Forget the latest check: a choice changed that the next check must use."""
        self._invalidate_result()

    def _invalidate_result(self) -> None:
        self.result = None
        self.diff = None
        self.diff_rows = None
        self.balances = None
        self.checklist = None
        self.package = None
        self.fix_plan = None
        self.applied = None
        self.unfixed_report = None

    # --- the session -------------------------------------------------------------------
    def to_session(self, current_page: int, privacy: bool, fix_log_file: str = "") -> Session:
        """The session to save; *fix_log_file* names the file that holds :attr:`fix_log`
        (written apart: :class:`~migration_assistant.gui.fix_log_saver.FixLogSaver`)."""
        saved = [SavedFile(str(e.path), e.file, e.sha256) for e in self.files if e.error is None and e.sha256]
        unique = list({(s.path, s.sha256): s for s in saved}.values())
        if not unique and self.resumed_from is not None:
            unique = list(self.resumed_from.files)  # not read again yet: keep the fingerprints we had
        acknowledgements = self.acknowledgements()
        return Session(
            source=self.source_id,
            inputs=[str(p) for p in self.inputs],
            files=unique,
            roles=dict(self.role_choices),
            mappings=self.mappings,
            acknowledged=[a.id for a in acknowledgements],
            current_page=current_page,
            privacy=privacy,
            guide_done={k: list(v) for k, v in self.guide_done.items() if v},
            left_out=sorted(self.left_out),
            acknowledgements=acknowledgements,
            acknowledged_by=self.acknowledged_by,
            firm_country=self.firm_country,
            firm_subdiv=self.firm_subdiv,
            fix_log_file=(
                fix_log_file
                if self.fix_log is not None
                else (self.saved_fix_log.name if self.saved_fix_log is not None else "")
            ),
        )

    def restore(self, session: Session, fix_log: FixLog | None = None) -> None:
        """Take back *session*'s choices; *fix_log*: its log when it is at hand (else read from its file)."""
        self.source_id = session.source
        self.inputs = [Path(p) for p in session.inputs]
        self.role_choices = dict(session.roles)
        self.mappings = dict(session.mappings)
        self.acknowledged = list(session.acknowledged)
        self.guide_done = {k: list(v) for k, v in session.guide_done.items()}
        self.left_out = set(session.left_out)
        self.acknowledged_by = session.acknowledged_by
        self._saved_acknowledgements = list(session.acknowledgements)
        self._last_checklist = None
        if session.firm_country:
            self.set_firm_place(session.firm_country, session.firm_subdiv)
        self.files = []
        self._invalidate_result()
        self.saved_fix_log, self.fix_log_file = None, ""
        if fix_log is not None or session.fix_log is not None:
            self.fix_log = fix_log if fix_log is not None else _saved_fix_log(session.fix_log)
        else:
            self.fix_log = None
            saved = fix_log_path(session.fix_log_file) if session.fix_log_file else None
            self.saved_fix_log = saved if saved is not None and saved.is_file() else None
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
        self.guide_done = {}
        self.left_out = set()
        self.acknowledged_by = ""
        self._saved_acknowledgements = []
        self._last_checklist = None
        self._invalidate_result()
        self.fix_log = None
        self.saved_fix_log, self.fix_log_file = None, ""
        self.stale_fixes = ""
        self.inputs_changed.emit()


def _saved_fix_log(data: dict[str, object] | None) -> FixLog | None:
    """The fix log a saved session holds (None when it holds none, or one that cannot be read)."""
    if not data:
        return None
    from migration_assistant.core.api import FixLog, FixLogError

    try:
        log = FixLog.from_json(data)
    except FixLogError:
        return None
    return log if len(log) else None
