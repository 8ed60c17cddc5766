"""Open a package (for the migration specialist, or the firm reopening its own).

Choose the file, unlock it (the key kept on this computer, a key file, or the
passphrase), and the app decrypts it and checks every checksum in one pass in a
worker. The small files it shows (findings, checklist, balances) are kept in memory
during that pass (``capture``); nothing decrypted reaches the disk unless the user
chooses "Extract to folder…", which checks the package again as it extracts into a
hidden folder that is renamed into place only when every checksum held.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from migration_assistant.core.privacy import known_labels, mask_message
from migration_assistant.gui.crash import safe_details
from migration_assistant.gui.models import FindingsFilter, FindingsModel
from migration_assistant.gui.package_ops import Opened, Unlock, open_op
from migration_assistant.gui.privacy import PrivacyToggle, privacy_shortcut
from migration_assistant.gui.privacy_view import FindingMasker, balance_text
from migration_assistant.gui.widgets.banner import Notice, PrivacyBanner
from migration_assistant.gui.words import SEVERITY_WORDS, plural
from migration_assistant.gui.workers import Operation, run_op

if TYPE_CHECKING:
    from migration_assistant.core.api import Checklist, PackageContents, VerifyProgress, VerifyResult
    from migration_assistant.gui.pages.base import AppContext

log = logging.getLogger(__name__)

PACKAGE_FILTER = "Migration packages (*.age *.tar);;All files (*)"
KEY_FILTER = "Key files (*.txt *.key *.age);;All files (*)"
WRONG_UNLOCK = ("wrong-key", "wrong-passphrase")
"""Why a package would not decrypt when the key or passphrase given is simply not its own."""
ORIGINS = {"source": "Old software", "target": "New system", "finding": "This export"}

INTRO = (
    "For migration specialists, and for firms reopening a package they sent. The app decrypts the package, "
    "checks that no file was lost or altered, and shows what the firm signed off. Nothing decrypted is "
    "written to this computer unless you choose Extract."
)


def when_text(stamp: str) -> str:
    """ "2026-11-20T09:30:00+00:00" -> "20 Nov 2026, 09:30 UTC" (the stamp as is when it cannot be read)."""
    try:
        moment = dt.datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    zone = moment.tzname() or ""
    return f"{moment.day} {moment:%b %Y, %H:%M}" + (f" {zone}" if zone else "")


def money(value: float) -> str:
    from migration_assistant.core.api import format_money

    return format_money(value)


def wrong_unlock(result: VerifyResult) -> bool:
    """The package could not be decrypted because the key or passphrase given is not its own.

    That says nothing about the package itself (it may well be intact), so it is told apart
    from a damaged one.
    """
    # ProblemKind and DecryptFailure are string enums: compared by value, through the public face.
    return bool(result.problems) and all(
        p.kind == "undecryptable" and p.reason in WRONG_UNLOCK for p in result.problems
    )


def outcome_text(result: VerifyResult) -> str:
    """What the check found, for the person who received the package."""
    if result.ok:
        return result.summary()
    problems = result.problems
    if wrong_unlock(result):
        passphrase = any(p.reason == "wrong-passphrase" for p in problems)
        head = (
            "Wrong passphrase: this passphrase does not open the package."
            if passphrase
            else "Wrong key: this key does not open the package."
        )
        tail = " The package itself may well be fine."
        return "\n".join([head + tail, *(f"• {p.message}" for p in problems)])
    lines = [
        f"The package did not pass the check: {plural(len(problems), 'problem')}. Do not use it as it is."
    ]
    lines += [f"• {p.message}" for p in problems]
    return "\n".join(lines)


def open_failure_text(exc: BaseException) -> str:
    """A plain sentence for why the package could not be opened at all."""
    from migration_assistant.core.api import PackageError

    if isinstance(exc, PackageError):
        return str(exc)
    if isinstance(exc, OSError):
        return f"The package could not be read ({exc.strerror or type(exc).__name__})."
    log.error("opening a package failed\n%s", safe_details(type(exc), exc, exc.__traceback__))
    return (
        "Something went wrong while opening the package. It has not been changed. Try again; if it happens "
        "again, send the log to whoever supports the app."
    )


class OpenPackageDialog(QDialog):
    """Choose, unlock, verify, read and extract a package."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("openPackageDialog")
        self.setWindowTitle("Open a package")
        self._operation: Operation | None = None
        self._cancelling = False
        self._extracting = False
        self._has_firm_key = False
        self._unlock_error = False  # the outcome shown says the key or passphrase did not open it
        self.opened: Opened | None = None

        outer = QVBoxLayout(self)
        self.banner = PrivacyBanner(ctx.privacy)
        outer.addWidget(self.banner)
        intro = QLabel(INTRO)
        intro.setObjectName("intro")
        intro.setWordWrap(True)
        outer.addWidget(intro)

        form = QGridLayout()
        self.path_edit = QLineEdit()
        self.path_edit.setPlaceholderText("The .age file you received")
        self.path_edit.setAccessibleName("Package file")
        self.choose_button = QPushButton("C&hoose…")
        self.choose_button.setAccessibleName("Choose the package file")
        package_label = QLabel("&Package file:")
        package_label.setBuddy(self.path_edit)
        form.addWidget(package_label, 0, 0)
        form.addWidget(self.path_edit, 0, 1, 1, 2)
        form.addWidget(self.choose_button, 0, 3)

        form.addWidget(QLabel("Unlock with:"), 1, 0, Qt.AlignmentFlag.AlignTop)
        self.use_firm_key = QRadioButton()
        self.use_key_file = QRadioButton("A &key file:")
        self.use_passphrase = QRadioButton("The pa&ssphrase:")
        self.unlock_mode = QButtonGroup(self)
        for button in (self.use_firm_key, self.use_key_file, self.use_passphrase):
            self.unlock_mode.addButton(button)
        self.key_file_edit = QLineEdit()
        self.key_file_edit.setPlaceholderText("A file holding AGE-SECRET-KEY-1…")
        self.key_file_edit.setAccessibleName("Key file")
        self.choose_key_button = QPushButton("Choose f&ile…")
        self.choose_key_button.setAccessibleName("Choose the key file")
        self.passphrase_edit = QLineEdit()
        self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase_edit.setPlaceholderText("The words the firm told you by phone")
        self.passphrase_edit.setAccessibleName("Passphrase")
        self.show_passphrase = QCheckBox("Sho&w")
        self.show_passphrase.setAccessibleName("Show the passphrase")
        form.addWidget(self.use_firm_key, 1, 1, 1, 3)
        form.addWidget(self.use_key_file, 2, 1)
        form.addWidget(self.key_file_edit, 2, 2)
        form.addWidget(self.choose_key_button, 2, 3)
        form.addWidget(self.use_passphrase, 3, 1)
        form.addWidget(self.passphrase_edit, 3, 2)
        form.addWidget(self.show_passphrase, 3, 3)
        form.setColumnStretch(2, 1)
        outer.addLayout(form)

        run_row = QHBoxLayout()
        self.open_button = QPushButton("&Open and check")
        self.open_button.setAccessibleName("Open and check the package")
        self.open_button.setDefault(True)  # Enter after typing the passphrase
        self.stop_button = QPushButton("S&top")
        self.stop_button.setAccessibleName("Stop opening the package")
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setAccessibleName("Progress")
        self.status = QLabel()
        self.status.setAccessibleName("Current step")
        run_row.addWidget(self.open_button)
        run_row.addWidget(self.stop_button)
        run_row.addWidget(self.progress, 1)
        run_row.addWidget(self.status, 1)
        outer.addLayout(run_row)
        self.outcome = Notice()
        outer.addWidget(self.outcome)

        # What the package holds.
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("What the package holds")
        self.details = self._table(("Detail", "Value"), "Package details", wrap_column=1)
        self.checklist_summary = QLabel()
        self.checklist_summary.setWordWrap(True)
        self.checklist = self._table(
            ("Item", "From", "Acknowledged by", "When"), "Limitations checklist", wrap_column=0
        )
        self.findings_summary = QLabel()
        self.findings_summary.setWordWrap(True)
        self.findings_model = FindingsModel(self)
        self.findings_proxy = FindingsFilter(self)
        self.findings_proxy.setSourceModel(self.findings_model)
        self.findings = QTableView()
        self.findings.setModel(self.findings_proxy)
        self.findings.setSortingEnabled(True)
        self.findings.sortByColumn(FindingsModel.SEVERITY, Qt.SortOrder.DescendingOrder)
        self.findings.setAccessibleName("Findings")
        self.findings.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.findings.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.findings.setAlternatingRowColors(True)
        self.findings.setWordWrap(False)
        self.findings.verticalHeader().setVisible(False)
        self.findings.setColumnHidden(FindingsModel.CHANGE, True)
        header = self.findings.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(FindingsModel.PROBLEM, QHeaderView.ResizeMode.Stretch)
        self.balances_summary = QLabel()
        self.balances_summary.setWordWrap(True)
        self.balances = self._table(
            ("Matter Number", "Client ID", "Trust held", "Billed, not paid", "Work not billed"),
            "Balances brought forward",
        )
        self.tabs.addTab(self._tab(self.details), "Package &details")
        self.tabs.addTab(self._tab(self.checklist_summary, self.checklist), "&Checklist")
        self.tabs.addTab(self._tab(self.findings_summary, self.findings), "&Findings")
        self.tabs.addTab(self._tab(self.balances_summary, self.balances), "&Balances")
        outer.addWidget(self.tabs, 1)
        self.spacer = QWidget()  # takes the room while there is nothing to show
        outer.addWidget(self.spacer, 1)

        bottom = QHBoxLayout()
        # The wizard's own Privacy button is behind this modal window: this one switches the same state.
        self.privacy_button = PrivacyToggle(ctx.privacy)
        self.privacy_shortcut = privacy_shortcut(self, ctx.privacy)
        bottom.addWidget(self.privacy_button)
        self.extract_button = QPushButton("&Extract to folder…")
        self.extract_button.setAccessibleName("Extract the package to a folder")
        self.extract_button.setToolTip(
            "Checks the package again while writing its files into a folder you choose."
        )
        self.close_button = QPushButton("Close")
        bottom.addWidget(self.extract_button)
        bottom.addStretch(1)
        bottom.addWidget(self.close_button)
        outer.addLayout(bottom)

        self.choose_button.clicked.connect(self._on_choose)
        self.choose_key_button.clicked.connect(self._on_choose_key)
        self.show_passphrase.toggled.connect(self._on_show_passphrase)
        self.open_button.clicked.connect(self.open_package)
        self.stop_button.clicked.connect(self.cancel)
        self.extract_button.clicked.connect(self.extract)
        self.close_button.clicked.connect(self.reject)
        self.unlock_mode.buttonToggled.connect(self._refresh)
        self.path_edit.textChanged.connect(self._refresh)
        self.key_file_edit.textChanged.connect(self._refresh)
        self.passphrase_edit.textChanged.connect(self._refresh)
        for edit in (self.path_edit, self.key_file_edit, self.passphrase_edit):
            edit.textEdited.connect(self._clear_unlock_error)
        self.unlock_mode.buttonToggled.connect(self._clear_unlock_error)
        ctx.privacy.changed.connect(self._on_privacy_changed)

        self._load_firm_key()
        self._show_running(False)
        self._show_tabs(False)
        self.extract_button.setEnabled(False)
        self._fit_to_screen()

    def _fit_to_screen(self) -> None:
        """1100×760 where there is room; on a small screen (1024×700) the window stays inside it."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        room = screen.availableGeometry() if screen is not None else None
        width, height = 1100, 760
        if room is not None:
            width, height = min(width, room.width() - 40), min(height, room.height() - 60)
        self.resize(max(width, 600), max(height, 480))

    # --- building blocks --------------------------------------------------------------------
    def _table(self, headers: tuple[str, ...], name: str, wrap_column: int | None = None) -> QTableWidget:
        table = QTableWidget(0, len(headers))
        table.setHorizontalHeaderLabels(list(headers))
        table.setAccessibleName(name)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setAlternatingRowColors(True)
        table.verticalHeader().setVisible(False)
        table.setWordWrap(True)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        if wrap_column is not None:
            header.setSectionResizeMode(wrap_column, QHeaderView.ResizeMode.Stretch)
            # Wrapped rows follow their text at the column's current width.
            table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        else:  # one line per row, however many rows (balances: one per matter)
            table.setWordWrap(False)
            header.setStretchLastSection(False)
            table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
        return table

    def _tab(self, *widgets: QWidget) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        for widget in widgets:
            layout.addWidget(widget, 1 if isinstance(widget, QAbstractItemView) else 0)
        return page

    def _fill(
        self, table: QTableWidget, rows: Sequence[Sequence[str]], align_right: tuple[int, ...] = ()
    ) -> None:
        table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                item = QTableWidgetItem(text)
                if c in align_right:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                table.setItem(r, c, item)

    # --- choices ---------------------------------------------------------------------------------
    def _load_firm_key(self) -> None:
        from migration_assistant.core.api import FIRM_IDENTITY_NAME, where_is

        storage = where_is(FIRM_IDENTITY_NAME)
        self._has_firm_key = storage is not None
        if storage is None:
            self.use_firm_key.setText("This computer's own key (none is kept on this computer)")
            self.use_firm_key.setEnabled(False)
            self.use_key_file.setChecked(True)
        else:
            self.use_firm_key.setText(f"This computer's own key (the firm's key, kept {storage.where})")
            self.use_firm_key.setChecked(True)
        self.use_firm_key.setAccessibleName("Unlock with this computer's own key")

    def _on_choose(self) -> None:
        start = Path(self.path_edit.text()).expanduser().parent if self.path_edit.text() else None
        chosen = self.ctx.dialogs.open_file(self, "Open a package", start, PACKAGE_FILTER)
        if chosen is not None:
            self.path_edit.setText(str(chosen))

    def _on_choose_key(self) -> None:
        chosen = self.ctx.dialogs.open_file(self, "Choose the key file", None, KEY_FILTER)
        if chosen is not None:
            self.key_file_edit.setText(str(chosen))
            self.use_key_file.setChecked(True)

    def _on_show_passphrase(self, shown: bool) -> None:
        self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password)

    def unlock(self) -> Unlock | None:
        """How the user chose to unlock the package, or None when that choice is incomplete."""
        if self.use_key_file.isChecked():
            text = self.key_file_edit.text().strip()
            return Unlock(key_file=Path(text).expanduser()) if text else None
        if self.use_passphrase.isChecked():
            text = self.passphrase_edit.text()
            return Unlock(passphrase=text) if text.strip() else None
        return Unlock() if self.use_firm_key.isChecked() else None

    def _package_path(self) -> Path | None:
        text = self.path_edit.text().strip()
        return Path(text).expanduser() if text else None

    def _refresh(self, *_: object) -> None:
        self.key_file_edit.setEnabled(self.use_key_file.isChecked() and not self.running)
        self.choose_key_button.setEnabled(not self.running)
        self.passphrase_edit.setEnabled(self.use_passphrase.isChecked() and not self.running)
        self.show_passphrase.setEnabled(self.use_passphrase.isChecked())
        ready = self._package_path() is not None and self.unlock() is not None and not self.running
        self.open_button.setEnabled(ready)

    # --- running ---------------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self._operation is not None

    def open_package(self) -> None:
        """Decrypt and check the chosen package (the button; tests call it too)."""
        self._start(None)

    def extract(self) -> None:
        """Check the package again, extracting it into a folder the user chooses."""
        if self.opened is None or not self.opened.result.ok:
            return
        folder = self.ctx.dialogs.open_folder(self, "Extract the package into which folder?")
        if folder is not None:
            self._start(folder)

    def _start(self, extract_to: Path | None) -> None:
        path = self._package_path()
        unlock = self.unlock()
        if self.running or path is None or unlock is None:
            return
        self._cancelling = False
        self._extracting = extract_to is not None
        if not self._extracting:
            self.opened = None
            self._show_tabs(False)
            self.extract_button.setEnabled(False)
        self.outcome.set_notice("")
        self.progress.setValue(0)
        self.status.setText("Extracting and checking…" if self._extracting else "Decrypting and checking…")
        operation = run_op(
            "open package",
            open_op(path, unlock, extract_to),
            on_success=self._on_success,
            on_failure=self._on_failure,
            on_progress=self._on_progress,
            on_cancelled=self._on_cancelled,
            owner=self,
            pool=self.ctx.pool,
        )
        if operation.running:
            self._operation = operation
            operation.finished.connect(self._on_finished)
            self._show_running(True)
        else:
            self._on_finished()

    def cancel(self, quiet: bool = False) -> None:
        operation = self._operation
        if operation is None:
            return
        if quiet:
            operation.on_cancelled = None
        operation.cancel()

    def _show_running(self, running: bool) -> None:
        self.stop_button.setVisible(running)
        self.stop_button.setEnabled(running)
        self.progress.setVisible(running)
        for widget in (self.path_edit, self.choose_button, self.use_key_file, self.use_passphrase):
            widget.setEnabled(not running)
        self.use_firm_key.setEnabled(not running and self._has_firm_key)
        self.extract_button.setEnabled(not running and self.opened is not None and self.opened.result.ok)
        self._refresh()
        if running:
            self.stop_button.setFocus()

    def _on_progress(self, progress: VerifyProgress) -> None:
        from migration_assistant.core.api import human_size

        if progress.busy:
            self.progress.setRange(0, 0)  # busy: one step that cannot say how far it is
            self.status.setText(progress.busy)
            return
        total = max(progress.total, 1)
        self.progress.setRange(0, 1000)
        self.progress.setValue(int(1000 * progress.done / total))
        self.status.setText(f"{human_size(progress.done)} of {human_size(progress.total)} checked")

    def _clear_unlock_error(self, *_: object) -> None:
        """The user is retyping the passphrase or choosing another key: the old "wrong key" goes."""
        if self._unlock_error and not self.running:
            self._unlock_error = False
            self.outcome.set_notice("")

    def _on_success(self, opened: Opened) -> None:
        result = opened.result
        if self._extracting and result.ok:
            self.outcome.set_notice(result.summary(), "success")  # "… It was extracted to <folder>."
            return
        self._show_result(opened)  # opened, or an extraction that failed its check: say why

    def _show_result(self, opened: Opened) -> None:
        self.opened = opened
        result = opened.result
        self._unlock_error = wrong_unlock(result)
        self.outcome.set_notice(outcome_text(result), "success" if result.ok else "warning")
        self._render(result, opened.contents)
        self._show_tabs(bool(result.bag_info) or bool(result.captured))

    def _show_tabs(self, shown: bool) -> None:
        self.tabs.setVisible(shown)
        self.spacer.setVisible(not shown)

    def _on_failure(self, exc: BaseException) -> None:
        text = open_failure_text(exc)
        self._unlock_error = True  # a key file that is not a key, no firm key: fixed by choosing again
        self.outcome.set_notice(text, "warning")
        self.ctx.dialogs.warn(self, "The package could not be opened", text)

    def _on_cancelled(self) -> None:
        self._cancelling = True
        self.stop_button.setEnabled(False)
        self.status.setText("Stopping…")

    def _on_finished(self) -> None:
        self._operation = None
        if self._cancelling:
            self._cancelling = False
            self.outcome.set_notice(
                "Stopped. Nothing was extracted."
                if self._extracting
                else "Stopped before the check finished.",
                "info",
            )
        self.status.setText("")
        self.progress.setRange(0, 1000)
        self._show_running(False)

    def done(self, result: int) -> None:
        self.cancel(quiet=True)  # the worker removes any half-extracted folder as it stops
        super().done(result)

    # --- showing what the package holds --------------------------------------------------------
    def _on_privacy_changed(self, enabled: bool) -> None:
        self.findings_model.set_privacy(enabled)
        if self.opened is not None:
            self._render(self.opened.result, self.opened.contents)

    def _render(self, result: VerifyResult, contents: PackageContents) -> None:
        from migration_assistant.core.api import PackageFormat, human_size

        privacy = self.ctx.privacy.enabled
        sealed = "a passphrase" if result.sealed_with is PackageFormat.PASSPHRASE else "public keys"
        rows = [
            ("Package file", result.path.name),
            ("Package size", f"{human_size(result.size)} ({result.size:,} bytes)"),
            (
                "SHA-256 (compare with the sender's)",
                result.sha256 or "(the file could not be read to its end)",
            ),
            ("Sealed with", sealed),
            ("Files inside", f"{plural(result.payload_files, 'file')} ({human_size(result.payload_bytes)})"),
        ]
        rows += [(label, value) for label, value in result.bag_info.items()]
        self._fill(self.details, rows)

        self._render_checklist(contents.checklist, contents, privacy)

        findings = list(contents.findings or ())
        self.findings_model.set_findings(findings, FindingMasker())
        self.findings_model.set_privacy(privacy)
        if contents.findings is None:
            self.findings_summary.setText(self._unreadable(contents, "findings") or "No findings.")
        elif not findings:
            self.findings_summary.setText("The check found no problems in this export.")
        else:
            counts = [
                plural(contents.summary.get(sev.label, 0), SEVERITY_WORDS[sev].lower())
                for sev in sorted(SEVERITY_WORDS, reverse=True)
                if contents.summary.get(sev.label, 0)
            ]
            self.findings_summary.setText(
                f"The firm's check found {plural(len(findings), 'problem')}: {', '.join(counts)}. "
                "The full report (HTML and Excel) is in the package's findings folder."
            )

        lines = list(contents.balances or ())
        hide = privacy
        self._fill(
            self.balances,
            [
                (
                    b.matter,
                    b.client,
                    balance_text(money(b.trust), privacy=hide),
                    balance_text(money(b.receivable), privacy=hide),
                    balance_text(money(b.unbilled), privacy=hide),
                )
                for b in lines
            ],
            align_right=(2, 3, 4),
        )
        if contents.balances is None:
            self.balances_summary.setText(self._unreadable(contents, "balances"))
        else:
            trust, receivable, unbilled = contents.balance_totals()
            trust_text, receivable_text, unbilled_text = (
                balance_text(money(value), privacy=hide, matters=len(lines))
                for value in (trust, receivable, unbilled)
            )
            totals = f"trust held {trust_text}, billed and not paid {receivable_text}, work not billed {unbilled_text}"
            if hide and len(lines) < 2:
                totals += " (hidden in privacy mode: over one matter they are its client's own figures)"
            self.balances_summary.setText(
                f"{plural(len(lines), 'line')} (one per matter). Firm totals: {totals}. These are the opening "
                "balances the new system will start from."
            )

    def _render_checklist(
        self, checklist: Checklist | None, contents: PackageContents, privacy: bool
    ) -> None:
        if checklist is None:
            self._fill(self.checklist, [])
            self.checklist_summary.setText(self._unreadable(contents, "checklist"))
            return
        keep = known_labels()
        rows = []
        for item in checklist.items:
            what = item.what
            if privacy and item.origin == "finding":
                what = mask_message(what, keep=keep)  # blocker items quote a finding's message
            if item.blocking:
                what = f"■ Blocker: {what}"
            who = item.acknowledged_by or "Not acknowledged"
            rows.append((what, ORIGINS.get(item.origin, item.origin), who, when_text(item.acknowledged_at)))
        self._fill(self.checklist, rows)
        done = sum(1 for i in checklist.items if i.acknowledged)
        open_blockers = sum(1 for i in checklist.items if i.blocking and not i.acknowledged)
        text = f"{done} of {plural(len(checklist.items), 'item')} acknowledged"
        text += ", so the checklist is complete." if checklist.complete else "."
        if open_blockers:
            text += f" {plural(open_blockers, 'blocker')} not accepted."
        self.checklist_summary.setText(text)

    def _unreadable(self, contents: PackageContents, word: str) -> str:
        return next((t for t in contents.unreadable if word in t.lower()), "")
