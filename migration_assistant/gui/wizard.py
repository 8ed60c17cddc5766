"""The Migration Assistant wizard: pages in order (:data:`PAGES`), the privacy switch, the session.

Pages ask the wizard to move through the :class:`WizardNavigator` in their
:class:`~migration_assistant.gui.pages.base.AppContext`, never by calling it.
"""

from __future__ import annotations

import logging
import weakref
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, QThreadPool, QTimer
from PySide6.QtGui import QCloseEvent, QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import QApplication, QPushButton, QWidget, QWizard

from migration_assistant import APP_NAME
from migration_assistant.gui import workers
from migration_assistant.gui.closing import may_close
from migration_assistant.gui.dialogs import DialogService
from migration_assistant.gui.firm_place import SAMPLE_PLACE, load_place, place_is_chosen
from migration_assistant.gui.fix_log_saver import FixLogSaver
from migration_assistant.gui.pages import ids as page_ids
from migration_assistant.gui.pages.base import AppContext, WizardPage
from migration_assistant.gui.pages.check import CheckPage
from migration_assistant.gui.pages.done import DonePage
from migration_assistant.gui.pages.export_guide import ExportGuidePage
from migration_assistant.gui.pages.files import FilesPage
from migration_assistant.gui.pages.limitations import LimitationsPage
from migration_assistant.gui.pages.map_columns import MapColumnsPage
from migration_assistant.gui.pages.package import PackagePage
from migration_assistant.gui.pages.review import ReviewPage
from migration_assistant.gui.pages.source import SourcePage
from migration_assistant.gui.pages.welcome import WelcomePage
from migration_assistant.gui.privacy import PrivacyState
from migration_assistant.gui.session import Session, load_session, save_session
from migration_assistant.gui.state import WizardState
from migration_assistant.gui.widgets.steps import StepsList
from migration_assistant.gui.workers import ImmediatePool

if TYPE_CHECKING:
    from migration_assistant.core.api import FixLog

log = logging.getLogger(__name__)

PRIVACY_SHORTCUT = "Ctrl+Shift+P"
OPEN_PACKAGE_SHORTCUT = "Ctrl+O"
MOVING_BUTTONS = (
    QWizard.WizardButton.BackButton,
    QWizard.WizardButton.NextButton,
    QWizard.WizardButton.CommitButton,
    QWizard.WizardButton.FinishButton,
    QWizard.WizardButton.CancelButton,
)
"""The buttons right of the stretch: one width for all, so none moves when a page renames Next."""

PAGES: tuple[type[WizardPage], ...] = tuple(
    sorted(
        (
            WelcomePage,
            SourcePage,
            ExportGuidePage,
            FilesPage,
            MapColumnsPage,
            CheckPage,
            ReviewPage,
            LimitationsPage,
            PackagePage,
            DonePage,
        ),
        key=lambda p: p.PAGE_ID,
    )
)
"""Every page, in the order the wizard shows them. To add a page: write a
:class:`~migration_assistant.gui.pages.base.WizardPage` subclass whose ``PAGE_ID`` is its
slot in :mod:`~migration_assistant.gui.pages.ids`, and add the class here."""


class WizardNavigator:
    """The wizard's moves, as its pages may ask for them (a
    :class:`~migration_assistant.gui.navigation.Navigator`).

    It holds the wizard weakly: the pages hold it through their context and the wizard keeps
    its pages alive, so a strong reference back would keep the wizard alive for ever (Qt's
    ownership is invisible to the garbage collector). Once the wizard is gone it moves nowhere.
    """

    def __init__(self, wizard: MigrationWizard) -> None:
        self._wizard = weakref.ref(wizard)

    def current_id(self) -> int:
        wizard = self._wizard()
        return wizard.currentId() if wizard is not None else -1

    def step_name(self, page_id: int) -> str:
        wizard = self._wizard()
        return wizard.step_name(page_id) if wizard is not None else ""

    def resume(self, session: Session) -> None:
        wizard = self._wizard()
        if wizard is not None:
            wizard.resume(session)

    def start_sample(self) -> bool:
        wizard = self._wizard()
        return wizard.start_sample() if wizard is not None else False

    def stop_replay(self) -> None:
        wizard = self._wizard()
        if wizard is not None:
            wizard.stop_replay()

    def go_to(self, page_id: int) -> None:
        wizard = self._wizard()
        if wizard is not None:
            wizard.go_to(page_id)

    def focus_next(self) -> None:
        wizard = self._wizard()
        if wizard is not None:
            wizard.focus_next()

    def resumable(self) -> Session | None:
        wizard = self._wizard()
        return wizard.resumable() if wizard is not None else None


class MigrationWizard(QWizard):
    """The wizard window.

    Args:
        dialogs: the prompt service (tests pass :class:`~migration_assistant.gui.dialogs.ScriptedDialogs`).
        settings: where privacy mode is remembered (None: not remembered).
        pool: the worker pool (default: the global QThreadPool).
        save_sessions: write the session as the user moves on (off in some tests).
    """

    def __init__(
        self,
        *,
        dialogs: DialogService | None = None,
        settings: QSettings | None = None,
        pool: QThreadPool | ImmediatePool | None = None,
        save_sessions: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("migrationWizard")
        self.setWindowTitle(APP_NAME)
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setOption(QWizard.WizardOption.HaveCustomButton1, True)
        self.setOption(QWizard.WizardOption.HaveCustomButton2, True)
        # Close stays on the last page too: were it hidden there, Back would jump right under the pointer.
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, False)
        self.privacy = PrivacyState(settings, self)
        self.state = WizardState(self)
        self.state.set_firm_place(*load_place(settings))
        self.ctx = AppContext(
            self.state, self.privacy, dialogs or DialogService(), settings, pool, WizardNavigator(self)
        )
        self._save_sessions = save_sessions
        self._fix_log_saver = FixLogSaver()
        self._replay_target: int | None = None
        self._furthest = page_ids.WELCOME
        """The furthest page reached with the current choices: what Resume and the steps list go back to."""
        self._run_session: Session | None = None
        self._run_fix_log: FixLog | None = (
            None  # this run's log, resumed as it is (its file may be in writing)
        )
        """The work of this run as last saved (sample work too, which is never written to disk)."""

        self.privacy_button = QPushButton()
        self.privacy_button.setCheckable(True)
        self.privacy_button.setObjectName("privacyButton")
        self.privacy_button.setToolTip(
            f"Hide client data on screen, for example while sharing it ({PRIVACY_SHORTCUT})"
        )
        self.privacy_button.toggled.connect(self.privacy.set_enabled)
        self.setButton(QWizard.WizardButton.CustomButton1, self.privacy_button)
        # "Open a package…" from every page, as a specialist needs it (it used to be on Welcome only).
        self.open_package_button = QPushButton()
        self.open_package_button.setObjectName("openPackageButton")
        self.open_package_button.setAccessibleName("Open a package")
        self.open_package_button.setToolTip(
            f"For migration specialists: check and read a package a firm sent you ({OPEN_PACKAGE_SHORTCUT})"
        )
        self.open_package_button.clicked.connect(self.open_package)
        self.setButton(QWizard.WizardButton.CustomButton2, self.open_package_button)
        self.setButtonText(QWizard.WizardButton.CustomButton2, "Open a package…")
        self.setButtonLayout(
            [
                QWizard.WizardButton.CustomButton1,
                QWizard.WizardButton.CustomButton2,
                QWizard.WizardButton.Stretch,
                QWizard.WizardButton.BackButton,
                QWizard.WizardButton.NextButton,
                QWizard.WizardButton.FinishButton,
                QWizard.WizardButton.CancelButton,
            ]
        )
        self.setButtonText(QWizard.WizardButton.CancelButton, "&Close")
        self.privacy_button.setMinimumWidth(
            self.privacy_button.fontMetrics().horizontalAdvance("Privacy mode: off") + 32
        )
        self.setButtonText(QWizard.WizardButton.BackButton, "< &Back")
        self.setButtonText(QWizard.WizardButton.FinishButton, "&Finish")
        self.shortcut = QShortcut(QKeySequence(PRIVACY_SHORTCUT), self)
        self.shortcut.activated.connect(self.privacy.toggle)
        self.open_shortcut = QShortcut(QKeySequence(OPEN_PACKAGE_SHORTCUT), self)
        self.open_shortcut.activated.connect(self.open_package)
        self.privacy.changed.connect(self._on_privacy_changed)
        self._on_privacy_changed(self.privacy.enabled)

        self.pages: dict[int, WizardPage] = {}
        for page_class in PAGES:
            page = page_class(self.ctx)
            self.setPage(page_class.PAGE_ID, page)
            self.pages[page_class.PAGE_ID] = page
            page.completeChanged.connect(self._on_complete_changed)
        self.steps = StepsList([(pid, p.STEP) for pid, p in self.pages.items()])
        self.steps.step_chosen.connect(self.go_to)
        self.setSideWidget(self.steps)
        self._fix_button_widths()
        self.currentIdChanged.connect(self._on_page_changed)
        self.setStartId(page_ids.WELCOME)
        self.resize(1180, 760)
        self.setMinimumSize(720, 520)

    # --- pages ----------------------------------------------------------------------------------
    def page_object(self, page_id: int) -> WizardPage:
        return self.pages[page_id]

    def step_name(self, page_id: int) -> str:
        page = self.pages.get(self._known_page(page_id))
        return page.STEP if page else ""

    def _known_page(self, page_id: int) -> int:
        """The registered page at or before *page_id* (a session may name a page this version lacks)."""
        known = [pid for pid in self.pages if pid <= page_id]
        return max(known) if known else page_ids.WELCOME

    def _on_page_changed(self, page_id: int) -> None:
        if page_id == -1:
            return
        if page_id > page_ids.WELCOME and (self.state.source_id or self.state.inputs):
            self._furthest = max(self._furthest, page_id)
        self.steps.set_current(page_id, self._furthest)
        if self._replay_target is not None and page_id < self._last_page:
            self.stop_replay()  # the user went Back
        self._last_page = page_id
        if self._replay_target is None:
            self.save()
        welcome = self.pages[page_ids.WELCOME]
        if page_id == page_ids.WELCOME and isinstance(welcome, WelcomePage):
            welcome.show_resumable()  # Back does not reload a page: its Resume box would be stale
        self._schedule_replay()

    def _fix_button_widths(self) -> None:
        """One width for Back, Next, Finish and Close that fits every page's label, so none moves."""
        labels = [self.buttonText(which) for which in MOVING_BUTTONS]
        labels += [page.buttonText(QWizard.WizardButton.NextButton) for page in self.pages.values()]
        probe = QPushButton()
        probe.ensurePolished()
        metrics = probe.fontMetrics()
        width = 0
        for label in labels:
            probe.setText(label)
            # The focused button is drawn with a thicker border and padding (ui/style.qss): room for it too.
            text = metrics.horizontalAdvance(label.replace("&&", "\0").replace("&", "").replace("\0", "&"))
            width = max(width, probe.sizeHint().width(), text + 40)
        probe.deleteLater()
        for which in MOVING_BUTTONS:
            self.button(which).setMinimumWidth(width)

    def go_to(self, page_id: int) -> None:
        """Go to *page_id*: back at once, or forward through the pages as far as they are complete."""
        current = self.currentId()
        if current == -1 or page_id == current:
            return
        if page_id < current:
            self.stop_replay()
            while self.currentId() > page_id:
                self.back()
            return
        self._replay_target = page_id
        self._schedule_replay()

    def focus_next(self) -> None:
        """Keyboard focus on Next (or Finish), so Enter moves on; used when a page's own button vanished."""
        for which in (QWizard.WizardButton.NextButton, QWizard.WizardButton.FinishButton):
            button = self.button(which)
            if button.isVisible() and button.isEnabled():
                button.setDefault(True)
                button.setFocus()
                return

    def open_package(self) -> None:
        """Show "Open a package" (the specialist's side), from any page."""
        welcome = self.pages[page_ids.WELCOME]
        if isinstance(welcome, WelcomePage) and QApplication.activeModalWidget() is None:
            welcome.open_package()

    _last_page = 0

    # --- privacy ---------------------------------------------------------------------------------
    def _on_privacy_changed(self, enabled: bool) -> None:
        self.privacy_button.blockSignals(True)
        self.privacy_button.setChecked(enabled)
        self.privacy_button.blockSignals(False)
        # QWizard owns its buttons' texts: set it through the wizard or it is reset on each page.
        self.setButtonText(
            QWizard.WizardButton.CustomButton1, "Privacy mode: on" if enabled else "Privacy mode: off"
        )
        self.privacy_button.setAccessibleName("Privacy mode, on" if enabled else "Privacy mode, off")

    # --- resume and sample: replay the path to a page ---------------------------------------------
    def resume(self, session: Session) -> None:
        """Restore the saved choices and walk forward to the saved page (files are read and checked again)."""
        target = self._known_page(session.current_page)
        self.state.restore(session, self._run_fix_log if session is self._run_session else None)
        if session.privacy:
            self.privacy.set_enabled(True)  # never switched off by a resume: the screen may be shared now
        self.replay_to(target)
        self._furthest = target

    def resumable(self) -> Session | None:
        """The work to offer back on Welcome: this run's (the sample too), else the one saved on disk."""
        session = self._run_session
        if session is None or session.current_page <= page_ids.WELCOME:
            session = load_session()
        return session

    def start_sample(self) -> bool:
        """Preselect the bundled sample export (template source, files added) and go to Add your files."""
        from migration_assistant.core.api import sample_export_dir

        try:
            folder = sample_export_dir()
        except FileNotFoundError:
            self.ctx.dialogs.warn(
                self, "Sample data", "The sample export is not included in this copy of the app."
            )
            return False
        self.use_inputs("template", [folder])
        if not place_is_chosen(self.ctx.settings):
            self.state.set_firm_place(*SAMPLE_PLACE)  # the sample firm's holidays, not the computer's
        return True

    def use_inputs(self, source: str, paths: list[Path], target: int = page_ids.FILES) -> None:
        """Start from *source* with *paths* added, and go to *target*."""
        self.state.reset()
        self._furthest = page_ids.WELCOME
        self.state.source_id = source
        self.state.add_inputs(paths)
        self.replay_to(target)
        self._focus_next_on_arrival = True  # files given at launch: Enter moves on, not "Add files…"

    def replay_to(self, target: int) -> None:
        if self.currentId() == -1:
            self.restart()
        elif self.currentId() > page_ids.WELCOME:
            self._replay_target = None
            while self.currentId() > page_ids.WELCOME:
                self.back()
        self._replay_target = target
        self._schedule_replay()

    def stop_replay(self) -> None:
        self._replay_target = None
        self._focus_next_on_arrival = False

    _focus_next_on_arrival = False

    def _schedule_replay(self) -> None:
        # Never move pages from inside a page switch (initializePage emits completeChanged):
        # QWizard would show two pages at once. Step on the next turn of the event loop.
        if self._replay_target is not None:
            QTimer.singleShot(0, self, self._replay_step)

    def _on_complete_changed(self) -> None:
        self._schedule_replay()
        if self._replay_target is None:
            self._focus_on_arrival()

    def _focus_on_arrival(self) -> None:
        """Once the page the launch went to can be left (its files read), Next takes the focus."""
        page = self.currentPage()
        if self._focus_next_on_arrival and page is not None and page.isComplete():
            self._focus_next_on_arrival = False
            self.focus_next()

    def _replay_step(self) -> None:
        target = self._replay_target
        if target is None:
            return
        current = self.currentId()
        if current == -1 or current >= target:
            self._replay_target = None
            self.save()
            self._focus_on_arrival()
            return
        page = self.currentPage()
        if page is not None and page.isComplete():
            self.next()

    # --- session ------------------------------------------------------------------------------------
    def save(self) -> None:
        """Save the session (only once the user has chosen or added something).

        Back on Welcome the page saved is the furthest one reached, not Welcome: Welcome is where
        "Open a package…" and Resume are, and a session saved "at Welcome" resumes nowhere.
        """
        if not (self.state.source_id or self.state.inputs):
            return
        current = self.currentId()
        page = current if current > page_ids.WELCOME else self._furthest
        saving = self._save_sessions and not self._only_sample_data()
        # The log's file is written once, on a thread: the session only names it.
        fix_log_file = (
            self._fix_log_saver.name_for(self.state.fix_log, self.state.fix_log_file) if saving else ""
        )
        session = self.state.to_session(page, self.privacy.enabled, fix_log_file)
        self._run_session, self._run_fix_log = session, self.state.fix_log
        if not saving:
            return  # trying the sample must never replace the firm's own saved session
        try:
            save_session(session)
        except OSError as exc:
            log.warning("session not saved: %s", type(exc).__name__)

    def _only_sample_data(self) -> bool:
        from migration_assistant.core.api import sample_export_dir

        try:
            sample = sample_export_dir().resolve()
        except FileNotFoundError:
            return False
        inputs = [p.resolve() for p in self.state.inputs]
        return bool(inputs) and all(p == sample or sample in p.parents for p in inputs)

    def shutdown(self) -> None:
        """Stop background work and save, before the window goes."""
        self.stop_replay()
        self.save()
        self._fix_log_saver.wait()
        for operation in workers.live_operations():
            operation.cancel()

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Hide the steps list when the window is narrow (a small screen, or 200 % scaling)."""
        super().resizeEvent(event)
        narrow = self.width() < self.fontMetrics().horizontalAdvance("x") * 145  # about 1000 px at 100 %
        self.steps.setVisible(not narrow)

    def done(self, result: int) -> None:
        if not may_close(self):  # a session-only key or passphrase: warned, and the user may stay
            return
        self.shutdown()
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not may_close(self):
            event.ignore()
            return
        self.shutdown()
        super().closeEvent(event)
