"""Package: seal the checked export in one encrypted file for the specialist, and prove it opens.

The page collects where to save, the firm's details and who can open the package
(the specialist's public key, or a generated passphrase; the firm's own key is always
added), then runs ``handoff.iter_package`` in a worker: reports written in memory,
the bag sealed, decrypted again and checked, and only then renamed into place. Next
is enabled once that verified package exists.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QStandardPaths, QTimer
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from migration_assistant.gui.package_ops import SealRequest, package_op
from migration_assistant.gui.pages import ids
from migration_assistant.gui.pages.base import WizardPage
from migration_assistant.gui.pages.package_words import (
    default_file_name,
    failure_text,
    free_name,
    gate_text,
    phase_text,
)
from migration_assistant.gui.settings import PACKAGE_FOLDER_KEY, remember_folder, remembered_folder
from migration_assistant.gui.widgets.banner import Notice
from migration_assistant.gui.widgets.package_summary import PackageSummary
from migration_assistant.gui.widgets.recipient_choice import RecipientChoice
from migration_assistant.gui.workers import Operation

if TYPE_CHECKING:
    from migration_assistant.core.api import Checklist, PackageProgress, PackageResult

PACKAGE_FILTER = "Migration packages (*.age);;All files (*)"
FIRM_KEY = "package/firm"
CONTACT_KEY = "package/contact"
PASSPHRASE_SECRET = "package-passphrase:{name}"
"""The keychain entry a package's passphrase is kept under (one per package file name)."""

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def documents_folder() -> Path:
    """The user's Documents folder (their home folder when there is none)."""
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(found) if found and Path(found).is_dir() else Path.home()


class PackagePage(WizardPage):
    PAGE_ID = ids.PACKAGE
    STEP = "Package"
    TITLE = "Seal your data for the specialist"
    INTRO = (
        "The app puts your original files, the checked data, the findings and the signed-off checklist into "
        "one encrypted file that only your specialist (and your firm) can open. It checks the file opens "
        "before saving it. Nothing is sent from here: you send the file yourself."
    )
    SCROLLS = True

    def build(self) -> None:
        self._operation: Operation | None = None
        self._cancelling = False
        self._path_chosen = False
        self._fallback: tuple[int, Checklist] | None = None
        self._sealing: str | None = None  # the checklist as it was when "Create" was pressed
        self._sealed: str | None = None  # ... and when the current package was sealed
        self._note = ""  # where the current package's passphrase is kept
        self._sealed_firm = ""  # the firm's key the current package was sealed to
        self._sealing_firm = ""
        self.sealed_passphrase = ""  # the last package's passphrase while it is kept for this session only
        self.body.addWidget(self._build_about())
        self.recipients = RecipientChoice()
        self._expose_recipient_widgets()
        self.body.addWidget(self.recipients)
        self.body.addWidget(self._build_create())
        self.summary = PackageSummary(dialogs=self.ctx.dialogs)
        self.body.addWidget(self.summary)
        self.body.addStretch(1)
        self._connect()
        self._show_running(False)
        self._set_phase("")
        self.recipients.sync_mode()
        self._refresh()

    def _build_about(self) -> QGroupBox:
        """1. Where to save, and the firm's details for the package label (bag-info.txt)."""
        where = QGroupBox("1. About the package")
        form = QFormLayout(where)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.firm = QLineEdit()
        self.firm.setPlaceholderText("For example: Harbourview Legal")
        self.firm.setAccessibleName("Firm name")
        self.contact = QLineEdit()
        self.contact.setPlaceholderText("Who the specialist writes to, e.g. office@harbourview.example")
        self.contact.setAccessibleName("Contact e-mail")
        self.path_edit = QLineEdit()
        self.path_edit.setAccessibleName("Save the package as")
        self.choose_button = QPushButton("C&hoose…")
        self.choose_button.setAccessibleName("Choose where to save the package")
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(self.choose_button)
        form.addRow(self.buddy_label("&Firm name:", self.firm), self.firm)
        form.addRow(self.buddy_label("Contact &e-mail:", self.contact), self.contact)
        form.addRow(self.buddy_label("Save &as:", self.path_edit), path_row)
        return where

    def _expose_recipient_widgets(self) -> None:
        # The section's controls, under the names the page has always had (the tests use them).
        r = self.recipients
        self.use_key, self.use_passphrase, self.recipient_mode = r.use_key, r.use_passphrase, r.recipient_mode
        self.key_panel, self.key_edit, self.key_status = r.key_panel, r.key_edit, r.key_status
        self.fingerprint, self.fingerprint_hint = r.fingerprint, r.fingerprint_hint
        self.passphrase_panel, self.passphrase_view = r.passphrase_panel, r.passphrase_view
        self.copy_passphrase, self.new_passphrase = r.copy_passphrase, r.new_passphrase
        self.passphrase_hint, self.keep_passphrase, self.keep_notice = (
            r.passphrase_hint,
            r.keep_passphrase,
            r.keep_notice,
        )
        self.firm_key_note, self.firm_key_notice = r.firm_key_note, r.firm_key_notice

    def _build_create(self) -> QGroupBox:
        """3. Create it: what is still needed, the button, the progress and the outcome."""
        create = QGroupBox("3. Create the package")
        create_layout = QVBoxLayout(create)
        self.gate_notice = Notice()
        create_layout.addWidget(self.gate_notice)
        self.missing = QLabel()
        self.missing.setWordWrap(True)
        self.missing.setAccessibleName("Still needed")
        create_layout.addWidget(self.missing)
        buttons = QHBoxLayout()
        self.create_button = QPushButton("C&reate the package")
        self.create_button.setAccessibleName("Create the package")
        self.cancel_button = QPushButton("Cance&l")
        self.cancel_button.setAccessibleName("Cancel creating the package")
        self.cancel_button.setToolTip("Stops at once. Nothing is saved and no partial file is left behind.")
        buttons.addWidget(self.create_button)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        create_layout.addLayout(buttons)
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Packaging progress")
        self.progress.setRange(0, 1000)
        self.progress.setFormat("%p%")
        create_layout.addWidget(self.progress)
        self.phase = QLabel()
        self.phase.setWordWrap(True)
        self.phase.setAccessibleName("Current step")
        create_layout.addWidget(self.phase)
        self.outcome = Notice()
        create_layout.addWidget(self.outcome)
        return create

    def _connect(self) -> None:
        self.firm.textChanged.connect(self._on_firm_changed)
        self.contact.textChanged.connect(self._refresh)
        self.path_edit.textEdited.connect(self._on_path_edited)
        self.path_edit.textChanged.connect(self._refresh)
        self.choose_button.clicked.connect(self._on_choose)
        self.recipients.changed.connect(self._refresh)
        self.create_button.clicked.connect(self.create_package)
        self.cancel_button.clicked.connect(self.cancel)
        self.ctx.privacy.changed.connect(self.recipients.set_privacy)

    # --- contract ----------------------------------------------------------------------------
    def initializePage(self) -> None:
        settings = self.ctx.settings
        if settings is not None:
            if not self.firm.text():
                self.firm.setText(str(settings.value(FIRM_KEY, "") or ""))
            if not self.contact.text():
                self.contact.setText(str(settings.value(CONTACT_KEY, "") or ""))
        if not self._path_chosen:
            self._set_default_path()
        self.recipients.load_firm_key()
        self.recipients.load_keychain_status()
        self.recipients.set_privacy(self.ctx.privacy.enabled)
        package = self.state.package
        if package is not None and self._sealed != self._checklist_text():
            # Back on the checklist, the sign-off changed: the package no longer holds what was signed.
            self.state.package = package = None
            self.outcome.set_notice(
                "The limitations checklist changed after the package was made, so the package no longer "
                "matches it. Create the package again.",
                "info",
            )
        elif package is None or not package.path.exists():
            self.outcome.set_notice("")
        self.summary.set_package(None)
        if package is not None and package.path.exists():
            self._show_package(package)
        self._refresh()

    def cleanupPage(self) -> None:
        self.cancel(quiet=True)

    def isComplete(self) -> bool:
        package = self.state.package
        return package is not None and not self.running and package.path.exists()

    def validatePage(self) -> bool:
        return self.isComplete()

    # --- what the firm chose ---------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self._operation is not None

    def checklist(self) -> Checklist | None:
        """The signed-off checklist (from the Limitations page), or one built from the result."""
        given = getattr(self.ctx, "checklist", None)
        if given is not None:
            return given  # type: ignore[no-any-return]
        result = self.state.result
        if result is None:
            return None
        # Fallback while no Limitations page has produced one: nothing acknowledged yet.
        if self._fallback is None or self._fallback[0] != id(result):
            from migration_assistant.core.api import build_checklist

            self._fallback = (id(result), build_checklist(result))
        return self._fallback[1]

    def _checklist_text(self) -> str | None:
        import json

        checklist = self.checklist()
        return json.dumps(checklist.to_json(), sort_keys=True) if checklist is not None else None

    def gate_problem(self) -> str | None:
        """Why the checklist does not allow packaging yet, or None."""
        from migration_assistant.core.api import GateClosed, check_gate

        checklist = self.checklist()
        if checklist is None:
            return None
        try:
            check_gate(checklist)
        except GateClosed as exc:
            return f"Packaging is blocked. {gate_text(exc)}"
        return None

    def key_text(self) -> str:
        return self.recipients.key_text()

    def missing_reasons(self) -> list[str]:
        """What is still needed before the package can be created, in plain words."""
        reasons = []
        if self.state.result is None:
            reasons.append("a finished check of your files (go back to Check)")
        if not self.firm.text().strip():
            reasons.append("the firm's name")
        contact = self.contact.text().strip()
        if not contact:
            reasons.append("a contact e-mail address")
        elif not _EMAIL.match(contact):
            reasons.append("a contact e-mail address that looks like name@example.com")
        path_text = self.path_edit.text().strip()
        if not path_text:
            reasons.append("where to save the package")
        elif not Path(path_text).expanduser().parent.is_dir():
            reasons.append("a folder that exists, to save the package in")
        if self.recipients.key_problem():
            reasons.append("your specialist's public key (or choose a passphrase instead)")
        if self.recipients.firm_key_problem:
            reasons.append("your firm's own key (see above)")
        return reasons

    # --- reacting to input -------------------------------------------------------------------------
    def _set_default_path(self) -> None:
        current = self.path_edit.text().strip()
        if current:
            folder = Path(current).expanduser().parent
        else:
            folder = remembered_folder(self.ctx.settings, PACKAGE_FOLDER_KEY) or documents_folder()
        self.path_edit.setText(str(free_name(folder, default_file_name(self.firm.text()))))

    def _on_firm_changed(self) -> None:
        if not self._path_chosen:
            self._set_default_path()
        self._refresh()

    def _on_path_edited(self) -> None:
        self._path_chosen = True

    def _on_choose(self) -> None:
        current = Path(self.path_edit.text().strip() or default_file_name(self.firm.text())).expanduser()
        chosen = self.ctx.dialogs.save_file(self, "Save the package as", current, PACKAGE_FILTER)
        if chosen is None:
            return
        if not chosen.suffix:
            chosen = chosen.with_suffix(".age")
        self._path_chosen = True
        self.path_edit.setText(str(chosen))
        remember_folder(self.ctx.settings, PACKAGE_FOLDER_KEY, chosen.parent)

    def _refresh(self, *_: Any) -> None:
        self.recipients.show_key_check()
        gate = self.gate_problem()
        self.gate_notice.set_notice(gate or "", "warning")
        reasons = self.missing_reasons()
        self.missing.setText(
            "Still needed before you can create the package: " + "; ".join(reasons) + "." if reasons else ""
        )
        self.missing.setVisible(bool(reasons))
        ready = not reasons and gate is None and not self.running
        self.create_button.setEnabled(ready)
        self.create_button.setText(
            "C&reate the package again" if self.state.package is not None else "C&reate the package"
        )

    # --- running -----------------------------------------------------------------------------------
    def create_package(self) -> None:
        """Start sealing (the button; tests call it too)."""
        if self.running:
            return
        reasons = self.missing_reasons()
        gate = self.gate_problem()
        if reasons or gate:
            text = gate or ("Still needed: " + "; ".join(reasons) + ".")
            self.ctx.dialogs.warn(self, "The package cannot be created yet", text)
            return
        result = self.state.result
        checklist = self.checklist()
        assert result is not None and checklist is not None
        out = Path(self.path_edit.text().strip()).expanduser().absolute()
        overwrite = False
        if out.exists():
            if out.is_dir() or not self.ctx.dialogs.confirm(
                self,
                "Replace the file?",
                f"{out.name} already exists in {out.parent}. Replace it with the new package? "
                "The old file is replaced only once the new package has been checked.",
                yes="Replace it",
                no="Keep it",
            ):
                self._keep_existing(out)
                return
            overwrite = True
        if self.ctx.settings is not None:
            self.ctx.settings.setValue(FIRM_KEY, self.firm.text().strip())
            self.ctx.settings.setValue(CONTACT_KEY, self.contact.text().strip())
        passphrase = self.recipients.passphrase if self.recipients.uses_passphrase() else None
        recipients = [] if passphrase is not None else [self.key_text()]
        recipients.append(self.recipients.firm_recipient)
        request = SealRequest(
            out=out,
            firm=self.firm.text().strip(),
            contact=self.contact.text().strip(),
            recipients=tuple(recipients),
            passphrase=passphrase,
            overwrite=overwrite,
        )
        self._cancelling = False
        self._sealing = self._checklist_text()
        self._sealing_firm = self.recipients.firm_recipient
        self.summary.set_package(None)
        self.outcome.set_notice("")
        self.progress.setValue(0)
        self._set_phase("Starting…")
        operation = self.run(
            "package",
            package_op(
                result,
                checklist,
                request,
                timeline=getattr(self.ctx, "timeline", None),
                balances=getattr(self.ctx, "balances", None),
            ),
            on_success=self._on_success,
            on_failure=self._on_failure,
            on_progress=self._on_progress,
            on_cancelled=self._on_cancelled,
        )
        if operation.running:
            self._operation = operation
            operation.finished.connect(self._on_finished)
            self._show_running(True)
            self.completeChanged.emit()
        else:  # a synchronous pool (logic tests) has already finished it
            self._on_finished()

    def _keep_existing(self, out: Path) -> None:
        """ "Keep it": the old file stays; a free name is suggested and the user says where to save."""
        if out.is_dir():
            self.outcome.set_notice(f"{out} is a folder. Choose a file name for the package.", "warning")
            return
        suggested = free_name(out.parent, out.name)
        chosen = self.ctx.dialogs.save_file(self, "Save the package as", suggested, PACKAGE_FILTER)
        target = chosen.with_suffix(".age") if chosen is not None and not chosen.suffix else chosen
        self._path_chosen = True
        self.path_edit.setText(str(target or suggested))
        if target is not None:
            remember_folder(self.ctx.settings, PACKAGE_FOLDER_KEY, target.parent)
        self.outcome.set_notice(
            f"{out.name} was kept as it is. The new package will be saved as {Path(self.path_edit.text()).name}: "
            "press Create the package when you are ready.",
            "info",
        )
        self.path_edit.setFocus()

    def cancel(self, quiet: bool = False) -> None:
        """Stop sealing: the partial file is removed by the worker as it stops."""
        operation = self._operation
        if operation is None:
            return
        if quiet:
            operation.on_cancelled = None
        operation.cancel()

    def _show_running(self, running: bool) -> None:
        self.progress.setVisible(running or self.progress.value() > 0)
        self.cancel_button.setVisible(running)
        self.cancel_button.setEnabled(running)
        form: tuple[QWidget, ...] = (self.firm, self.contact, self.path_edit, self.choose_button)
        for widget in form:
            widget.setEnabled(not running)
        self.recipients.set_running(running)
        if running:
            self.create_button.setEnabled(False)
            self.cancel_button.setFocus()

    def _on_progress(self, progress: PackageProgress) -> None:
        if progress.busy:
            self.progress.setRange(0, 0)  # busy: one step that cannot say how far it is
        else:
            self.progress.setRange(0, 1000)
            self.progress.setValue(int(progress.overall * 1000))
        self._set_phase(phase_text(progress))

    def _on_success(self, package: PackageResult) -> None:
        self.state.package = package
        self._sealed = self._sealing
        self._sealed_firm = self._sealing_firm
        note = ""
        from migration_assistant.core.api import PackageFormat, store_secret

        self.sealed_passphrase = ""
        if package.sealed_with is PackageFormat.PASSPHRASE:
            # Shown again before the app closes unless the keychain keeps it (see gui.closing).
            self.sealed_passphrase = self.recipients.passphrase
        if package.sealed_with is PackageFormat.PASSPHRASE and self.keep_passphrase.isChecked():
            storage = store_secret(
                PASSPHRASE_SECRET.format(name=package.path.name), self.recipients.passphrase
            )
            note = f"The passphrase is kept {storage.where}."
            if storage.persisted:
                self.sealed_passphrase = ""
            else:
                self.keep_notice.set_notice(
                    f"The passphrase is kept {storage.where}. Write it down now: it cannot be shown again "
                    "after you close the app.",
                    "warning",
                )
        self.progress.setRange(0, 1000)
        self.progress.setValue(1000)
        self._set_phase("")
        self.outcome.set_notice(
            "The package was created and checked: it opens, and every file in it matches. "
            "How to send it is below.",
            "success",
        )
        self._note = note
        self._show_package(package)
        QTimer.singleShot(0, self, self._scroll_to_summary)

    def _show_package(self, package: PackageResult) -> None:
        self.summary.set_package(package, firm_recipient=self._sealed_firm, passphrase_note=self._note)

    def _scroll_to_summary(self) -> None:
        """Bring the result into view: on a small screen it is below the form."""
        parent = self.summary.parentWidget()
        while parent is not None and not isinstance(parent, QScrollArea):
            parent = parent.parentWidget()
        if isinstance(parent, QScrollArea):
            parent.ensureWidgetVisible(self.summary, 0, 0)
            parent.ensureWidgetVisible(self.outcome)

    def _set_phase(self, text: str) -> None:
        self.phase.setText(text)
        self.phase.setVisible(bool(text))

    def _on_failure(self, exc: BaseException) -> None:
        text = failure_text(exc)
        self._set_phase("")
        self.progress.setValue(0)
        self.outcome.set_notice(text, "warning")
        self.ctx.dialogs.warn(self, "The package was not created", text)

    def _on_cancelled(self) -> None:
        self._cancelling = True
        self.cancel_button.setEnabled(False)
        self._set_phase("Stopping and removing the unfinished file…")

    def _on_finished(self) -> None:
        self._operation = None
        self.progress.setRange(0, 1000)  # never left busy once the work has stopped
        if self._cancelling:
            self._cancelling = False
            self.progress.setValue(0)
            self._set_phase("")
            folder = Path(self.path_edit.text().strip()).expanduser().parent
            self.outcome.set_notice(
                f"Stopped. Nothing was saved: no package and no partial file was left in {folder}.", "info"
            )
        self._show_running(False)
        self._refresh()
        self.completeChanged.emit()
