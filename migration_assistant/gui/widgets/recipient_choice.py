"""Who can open a package: the specialist's public key or a generated passphrase, plus the firm's key.

The Package page's second section. The key is checked as it is typed (in core:
:func:`~migration_assistant.core.package.recipient_key_problem`) and its fingerprint
shown to read out over the phone; the passphrase is generated here, shown once, and
can be kept in the keychain. The firm's own key is always added; this section says
where it is kept.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from migration_assistant.gui.widgets.banner import Notice


class RecipientChoice(QGroupBox):
    """The "Who can open it" section: key or passphrase, and the firm's own key."""

    changed = Signal()
    """The key, or the choice between key and passphrase, changed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("2. Who can open it", parent)
        self.passphrase = ""
        self.firm_recipient = ""
        self.firm_key_problem: str | None = None
        layout = QVBoxLayout(self)
        self.use_key = QRadioButton("My specialist gave me a &public key (recommended)")
        self.use_passphrase = QRadioButton("I don't have a key: use a pa&ssphrase instead")
        self.recipient_mode = QButtonGroup(self)
        self.recipient_mode.addButton(self.use_key)
        self.recipient_mode.addButton(self.use_passphrase)
        self.use_key.setChecked(True)
        layout.addWidget(self.use_key)
        layout.addWidget(self._build_key_panel())
        layout.addWidget(self.use_passphrase)
        layout.addWidget(self._build_passphrase_panel())
        self.firm_key_note = QLabel()
        self.firm_key_note.setWordWrap(True)
        self.firm_key_note.setAccessibleName("Your firm's own key")
        layout.addWidget(self.firm_key_note)
        self.firm_key_notice = Notice()
        layout.addWidget(self.firm_key_notice)

        self.key_edit.textChanged.connect(self.changed)
        self.recipient_mode.buttonToggled.connect(self._on_mode_changed)
        self.copy_passphrase.clicked.connect(self._on_copy_passphrase)
        self.new_passphrase.clicked.connect(self.make_passphrase)

    def _build_key_panel(self) -> QWidget:
        big_mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        big_mono.setPointSizeF(big_mono.pointSizeF() * 1.35)
        self.key_panel = QWidget()
        key_layout = QVBoxLayout(self.key_panel)
        key_layout.setContentsMargins(24, 0, 0, 6)
        self.key_edit = QLineEdit()
        self.key_edit.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
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
        return self.key_panel

    def _build_passphrase_panel(self) -> QWidget:
        big_mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        big_mono.setPointSizeF(big_mono.pointSizeF() * 1.35)
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
        return self.passphrase_panel

    # --- what was chosen ---------------------------------------------------------------------------
    def uses_passphrase(self) -> bool:
        return self.use_passphrase.isChecked()

    def key_text(self) -> str:
        """The pasted key without spaces and line breaks, in lower case."""
        from migration_assistant.core.api import clean_key

        return clean_key(self.key_edit.text()).lower()

    def key_problem(self) -> str | None:
        """Why the pasted key cannot be used, when a key is chosen (None: it can, or a passphrase is used)."""
        from migration_assistant.core.api import recipient_key_problem

        if not self.use_key.isChecked():
            return None
        return recipient_key_problem(self.key_edit.text(), self.firm_recipient)

    # --- showing ------------------------------------------------------------------------------------
    def show_key_check(self) -> None:
        """Say under the key field whether it can be used, with its fingerprint when it can."""
        if not self.use_key.isChecked():
            return
        from migration_assistant.core.api import InvalidRecipientError, read_recipient_key

        try:
            key = read_recipient_key(self.key_edit.text(), self.firm_recipient)
        except InvalidRecipientError as exc:
            self.key_status.setText(("✖ " if self.key_edit.text().strip() else "") + str(exc))
            self.fingerprint.setText("")
            valid = False
        else:
            self.key_status.setText("✔ This is a valid public key. Its fingerprint is:")
            self.fingerprint.setText(key.fingerprint)
            valid = True
        self.fingerprint.setVisible(valid)
        self.fingerprint_hint.setVisible(valid)

    def set_privacy(self, enabled: bool) -> None:
        """Hide the passphrase while the screen may be shared (Copy still works)."""
        self.passphrase_view.setEchoMode(
            QLineEdit.EchoMode.Password if enabled else QLineEdit.EchoMode.Normal
        )
        self.passphrase_view.setToolTip(
            "Hidden while privacy mode is on. Copy still works." if enabled else ""
        )

    def set_running(self, running: bool) -> None:
        """Lock the choice while a package is being sealed."""
        for widget in (self.use_key, self.use_passphrase, self.key_edit, self.new_passphrase):
            widget.setEnabled(not running)
        self.keep_passphrase.setEnabled(not running)

    def load_firm_key(self) -> None:
        """Read the firm's own key and say where it is kept (or why it could not be read)."""
        from migration_assistant.core.api import PackageError, firm_identity_storage, firm_recipient

        try:
            storage = firm_identity_storage()
            self.firm_recipient = firm_recipient()
        except PackageError as exc:
            self.firm_key_problem = str(exc)
            self.firm_key_note.setText("Your firm's own key could not be read.")
            self.firm_key_notice.set_notice(str(exc), "warning")
            return
        self.firm_key_problem = None
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

    def load_keychain_status(self) -> None:
        """Offer to keep the passphrase where this computer can keep it."""
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

    # --- reacting -----------------------------------------------------------------------------------
    def sync_mode(self) -> None:
        """Show the panel of the chosen way (making a passphrase the first time it is chosen)."""
        passphrase = self.use_passphrase.isChecked()
        self.key_panel.setVisible(not passphrase)
        self.passphrase_panel.setVisible(passphrase)
        if passphrase and not self.passphrase:
            self.make_passphrase()

    def make_passphrase(self) -> None:
        """A new passphrase (the Ne&w passphrase button)."""
        from migration_assistant.core.api import generate_passphrase

        self.passphrase = generate_passphrase()
        self.passphrase_view.setText(self.passphrase)
        self.copy_passphrase.setText("Cop&y passphrase")

    def _on_mode_changed(self, *_: Any) -> None:
        self.sync_mode()
        self.changed.emit()

    def _on_copy_passphrase(self) -> None:
        QGuiApplication.clipboard().setText(self.passphrase)
        self.copy_passphrase.setText("Copied")
