"""Package: seal the checked export in one encrypted file for the specialist, and prove it opens.

The page collects where to save, the firm's details and who can open the package
(the specialist's public key, or a generated passphrase; the firm's own key is always
added), then runs ``handoff.iter_package`` in a worker: reports written in memory,
the bag sealed, decrypted again and checked, and only then renamed into place. Next
is enabled once that verified package exists.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QStandardPaths, Qt, QTimer
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from migration_assistant.gui.crash import safe_details
from migration_assistant.gui.package_ops import SealRequest, package_op
from migration_assistant.gui.pages import ids
from migration_assistant.gui.pages.base import WizardPage
from migration_assistant.gui.widgets.banner import Notice
from migration_assistant.gui.widgets.package_summary import PackageSummary
from migration_assistant.gui.workers import Operation

if TYPE_CHECKING:
    from migration_assistant.core.api import Checklist, PackageProgress, PackageResult

log = logging.getLogger(__name__)

PACKAGE_FILTER = "Migration packages (*.age);;All files (*)"
FIRM_KEY = "package/firm"
CONTACT_KEY = "package/contact"
PASSPHRASE_SECRET = "package-passphrase:{name}"
"""The keychain entry a package's passphrase is kept under (one per package file name)."""

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

PHASE_WORDS = {
    "preparing": "Preparing: writing {current} and listing your files…",
    "sealing": "Sealing (encrypting): {current}",
    "checking": "Checking: opening the sealed package again to make sure every file is intact…",
}


def default_file_name(firm: str, today: dt.date | None = None) -> str:
    """ "Harbourview Legal" -> "Harbourview-Legal-migration-2026-11-26.age"."""
    slug = re.sub(r"[\W_]+", "-", firm.strip()).strip("-") or "Law-firm"
    return f"{slug}-migration-{(today or dt.date.today()).isoformat()}.age"


def clean_key(text: str) -> str:
    """A pasted key without the spaces and line breaks an e-mail may have wrapped it with."""
    return "".join(text.split())


def key_problem(text: str, firm_recipient: str) -> str | None:
    """Why *text* cannot be used as the specialist's public key, in plain words (None: it can)."""
    from migration_assistant.core.api import InvalidRecipientError, public_key_fingerprint

    key = clean_key(text)
    if not key:
        return "Paste the public key your specialist sent you. It starts with “age1”."
    if key.upper().startswith("AGE-SECRET-KEY"):
        return (
            "This is a private key, not a public key. A private key must never be shared: delete it from "
            "where you copied it, and ask your specialist for their public key, which starts with “age1”."
        )
    if key.startswith(("ssh-", "ecdsa-")):
        return "This is an SSH key. The app needs an age public key, which starts with “age1”."
    try:
        public_key_fingerprint(key)
    except InvalidRecipientError as exc:
        return str(exc)
    if key.lower() == firm_recipient:
        return "This is your firm's own key, which is always added. Paste your specialist's key."
    return None


def gate_text(exc: BaseException) -> str:
    """The gate's reason as a sentence: "2 blocking problem(s) are neither fixed nor accepted (…): …"."""
    reason = str(exc).rstrip(".")
    return f"{reason[:1].upper()}{reason[1:]}."


def failure_text(exc: BaseException) -> str:
    """A plain sentence for why the package was not created."""
    from migration_assistant.core.api import GateClosed, InsufficientSpaceError, PackageError

    if isinstance(exc, GateClosed):
        return f"{gate_text(exc)} Nothing was saved."
    if isinstance(exc, InsufficientSpaceError):
        return f"{exc} Nothing was saved. Choose another drive (a USB stick, for example) or free some space."
    if isinstance(exc, PackageError):
        return f"{exc}" if "saved" in str(exc) or "deleted" in str(exc) else f"{exc} Nothing was saved."
    if isinstance(exc, OSError):
        return f"The package could not be written ({exc.strerror or type(exc).__name__}). Nothing was saved."
    log.error("packaging failed\n%s", safe_details(type(exc), exc, exc.__traceback__))
    return (
        "Something went wrong while creating the package. Nothing was saved and your files have not been "
        "changed. Try again; if it happens again, tell your migration specialist (the details are in the log)."
    )


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
        self._passphrase = ""
        self._firm_recipient = ""
        self._firm_key_problem: str | None = None
        self._fallback: tuple[int, Checklist] | None = None
        self._sealing: str | None = None  # the checklist as it was when "Create" was pressed
        self._sealed: str | None = None  # ... and when the current package was sealed
        self._note = ""  # where the current package's passphrase is kept
        self._sealed_firm = ""  # the firm's key the current package was sealed to
        self._sealing_firm = ""
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        big_mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        big_mono.setPointSizeF(big_mono.pointSizeF() * 1.35)

        # 1. Where to save, and the firm's details for the package label (bag-info.txt).
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
        self.body.addWidget(where)

        # 2. Who can open it.
        who = QGroupBox("2. Who can open it")
        who_layout = QVBoxLayout(who)
        self.use_key = QRadioButton("My specialist gave me a &public key (recommended)")
        self.use_passphrase = QRadioButton("I don't have a key: use a pa&ssphrase instead")
        self.recipient_mode = QButtonGroup(self)
        self.recipient_mode.addButton(self.use_key)
        self.recipient_mode.addButton(self.use_passphrase)
        self.use_key.setChecked(True)
        who_layout.addWidget(self.use_key)

        self.key_panel = QWidget()
        key_layout = QVBoxLayout(self.key_panel)
        key_layout.setContentsMargins(24, 0, 0, 6)
        self.key_edit = QLineEdit()
        self.key_edit.setFont(mono)
        self.key_edit.setPlaceholderText("age1…  (paste the key exactly as your specialist sent it)")
        self.key_edit.setAccessibleName("Your specialist's public key")
        key_layout.addWidget(self.key_edit)
        self.key_status = QLabel()
        self.key_status.setWordWrap(True)
        self.key_status.setTextFormat(Qt.TextFormat.PlainText)
        self.key_status.setAccessibleName("Public key check")
        key_layout.addWidget(self.key_status)
        self.fingerprint = QLabel()
        self.fingerprint.setFont(big_mono)
        self.fingerprint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.fingerprint.setAccessibleName("Fingerprint of the specialist's key")
        self.fingerprint_hint = QLabel(
            "Read this fingerprint out to your specialist on the phone to confirm: it must match the one "
            "they see. If it does not, do not send the package: the key may not be theirs."
        )
        self.fingerprint_hint.setWordWrap(True)
        key_layout.addWidget(self.fingerprint)
        key_layout.addWidget(self.fingerprint_hint)
        who_layout.addWidget(self.key_panel)

        who_layout.addWidget(self.use_passphrase)
        self.passphrase_panel = QWidget()
        pass_layout = QVBoxLayout(self.passphrase_panel)
        pass_layout.setContentsMargins(24, 0, 0, 6)
        self.passphrase_view = QLineEdit()
        self.passphrase_view.setReadOnly(True)
        self.passphrase_view.setFont(big_mono)
        self.passphrase_view.setAccessibleName("The passphrase")
        self.copy_passphrase = QPushButton("Cop&y passphrase")
        self.copy_passphrase.setAccessibleName("Copy the passphrase")
        self.new_passphrase = QPushButton("Ne&w passphrase")
        self.new_passphrase.setAccessibleName("Make a new passphrase")
        pass_row = QHBoxLayout()
        pass_row.addWidget(self.passphrase_view, 1)
        pass_row.addWidget(self.copy_passphrase)
        pass_row.addWidget(self.new_passphrase)
        pass_layout.addLayout(pass_row)
        self.passphrase_hint = QLabel(
            "It is shown only here. Write it down or copy it somewhere safe, then tell it to your specialist "
            "by phone: never in the same e-mail or message as the package."
        )
        self.passphrase_hint.setWordWrap(True)
        pass_layout.addWidget(self.passphrase_hint)
        self.keep_passphrase = QCheckBox()
        self.keep_passphrase.setChecked(True)
        pass_layout.addWidget(self.keep_passphrase)
        self.keep_notice = Notice()
        pass_layout.addWidget(self.keep_notice)
        who_layout.addWidget(self.passphrase_panel)

        self.firm_key_note = QLabel()
        self.firm_key_note.setWordWrap(True)
        self.firm_key_note.setAccessibleName("Your firm's own key")
        who_layout.addWidget(self.firm_key_note)
        self.firm_key_notice = Notice()
        who_layout.addWidget(self.firm_key_notice)
        self.body.addWidget(who)

        # 3. Create it.
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
        self.body.addWidget(create)

        self.summary = PackageSummary()
        self.body.addWidget(self.summary)
        self.body.addStretch(1)

        self.firm.textChanged.connect(self._on_firm_changed)
        self.contact.textChanged.connect(self._refresh)
        self.path_edit.textEdited.connect(self._on_path_edited)
        self.path_edit.textChanged.connect(self._refresh)
        self.choose_button.clicked.connect(self._on_choose)
        self.key_edit.textChanged.connect(self._refresh)
        self.recipient_mode.buttonToggled.connect(self._on_mode_changed)
        self.copy_passphrase.clicked.connect(self._on_copy_passphrase)
        self.new_passphrase.clicked.connect(self._on_new_passphrase)
        self.create_button.clicked.connect(self.create_package)
        self.cancel_button.clicked.connect(self.cancel)
        self.ctx.privacy.changed.connect(self._on_privacy_changed)
        self._show_running(False)
        self._set_phase("")
        self._on_mode_changed()

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
        self._load_firm_key()
        self._load_keychain_status()
        self._on_privacy_changed(self.ctx.privacy.enabled)
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
        return clean_key(self.key_edit.text()).lower()

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
        if self.use_key.isChecked() and key_problem(self.key_edit.text(), self._firm_recipient):
            reasons.append("your specialist's public key (or choose a passphrase instead)")
        if self._firm_key_problem:
            reasons.append("your firm's own key (see above)")
        return reasons

    # --- reacting to input -------------------------------------------------------------------------
    def _set_default_path(self) -> None:
        current = self.path_edit.text().strip()
        folder = Path(current).expanduser().parent if current else documents_folder()
        self.path_edit.setText(str(folder / default_file_name(self.firm.text())))

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

    def _on_mode_changed(self, *_: Any) -> None:
        passphrase = self.use_passphrase.isChecked()
        self.key_panel.setVisible(not passphrase)
        self.passphrase_panel.setVisible(passphrase)
        if passphrase and not self._passphrase:
            self._on_new_passphrase()
        self._refresh()

    def _on_new_passphrase(self) -> None:
        from migration_assistant.core.api import generate_passphrase

        self._passphrase = generate_passphrase()
        self.passphrase_view.setText(self._passphrase)
        self.copy_passphrase.setText("Cop&y passphrase")

    def _on_copy_passphrase(self) -> None:
        QGuiApplication.clipboard().setText(self._passphrase)
        self.copy_passphrase.setText("Copied")

    def _on_privacy_changed(self, enabled: bool) -> None:
        # A shared screen may be recorded: the passphrase is hidden too (Copy still works).
        self.passphrase_view.setEchoMode(
            QLineEdit.EchoMode.Password if enabled else QLineEdit.EchoMode.Normal
        )
        self.passphrase_view.setToolTip(
            "Hidden while privacy mode is on. Copy still works." if enabled else ""
        )

    def _load_firm_key(self) -> None:
        from migration_assistant.core.api import PackageError, firm_identity_storage, firm_recipient

        try:
            storage = firm_identity_storage()
            self._firm_recipient = firm_recipient()
        except PackageError as exc:
            self._firm_key_problem = str(exc)
            self.firm_key_note.setText("Your firm's own key could not be read.")
            self.firm_key_notice.set_notice(str(exc), "warning")
            return
        self._firm_key_problem = None
        note = (
            "Your firm's own key is always added as well, so your firm can reopen this package later "
            "(Welcome page, Open a package)."
        )
        if storage.persisted:
            self.firm_key_note.setText(f"{note} The key is kept {storage.where}.")
            self.firm_key_notice.set_notice("")
        else:
            self.firm_key_note.setText(note)
            self.firm_key_notice.set_notice(
                f"Your firm's key is kept {storage.where}. Once you close the app your firm cannot reopen "
                "this package; your specialist still can.",
                "warning",
            )

    def _load_keychain_status(self) -> None:
        from migration_assistant.core.api import secure_storage

        storage = secure_storage()
        self.keep_passphrase.setText(
            f"Also &keep the passphrase {storage.where}"
            if storage.persisted
            else "Also &keep the passphrase until the app is closed (this computer has no secure keychain)"
        )
        self.keep_passphrase.setAccessibleName("Keep the passphrase on this computer")
        if storage.persisted:
            self.keep_notice.set_notice("")
        else:
            self.keep_notice.set_notice(
                "There is no secure keychain on this computer, so the passphrase cannot be kept after you "
                "close the app. Write it down now.",
                "warning",
            )

    def _refresh(self, *_: Any) -> None:
        if self.use_key.isChecked():
            problem = key_problem(self.key_edit.text(), self._firm_recipient)
            if problem is None:
                from migration_assistant.core.api import public_key_fingerprint

                self.key_status.setText("✔ This is a valid public key. Its fingerprint is:")
                self.fingerprint.setText(public_key_fingerprint(self.key_text()))
            else:
                self.key_status.setText(("✖ " if self.key_edit.text().strip() else "") + problem)
                self.fingerprint.setText("")
            self.fingerprint.setVisible(problem is None)
            self.fingerprint_hint.setVisible(problem is None)
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
                return
            overwrite = True
        if self.ctx.settings is not None:
            self.ctx.settings.setValue(FIRM_KEY, self.firm.text().strip())
            self.ctx.settings.setValue(CONTACT_KEY, self.contact.text().strip())
        passphrase = self._passphrase if self.use_passphrase.isChecked() else None
        recipients = [] if passphrase is not None else [self.key_text()]
        recipients.append(self._firm_recipient)
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
        self._sealing_firm = self._firm_recipient
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
        for widget in (*form, self.use_key, self.use_passphrase, self.key_edit, self.new_passphrase):
            widget.setEnabled(not running)
        self.keep_passphrase.setEnabled(not running)
        if running:
            self.create_button.setEnabled(False)
            self.cancel_button.setFocus()

    def _on_progress(self, progress: PackageProgress) -> None:
        self.progress.setValue(int(progress.overall * 1000))
        template = PHASE_WORDS.get(progress.phase.value, "{current}")
        current = progress.current.removeprefix("data/") or "the package"
        self._set_phase(template.format(current=current))

    def _on_success(self, package: PackageResult) -> None:
        self.state.package = package
        self._sealed = self._sealing
        self._sealed_firm = self._sealing_firm
        note = ""
        from migration_assistant.core.api import PackageFormat, store_secret

        if package.sealed_with is PackageFormat.PASSPHRASE and self.keep_passphrase.isChecked():
            storage = store_secret(PASSPHRASE_SECRET.format(name=package.path.name), self._passphrase)
            note = f"The passphrase is kept {storage.where}."
            if not storage.persisted:
                self.keep_notice.set_notice(
                    f"The passphrase is kept {storage.where}. Write it down now: it cannot be shown again "
                    "after you close the app.",
                    "warning",
                )
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
