"""A sealed package as the firm needs to see it: name, size, SHA-256 to copy, and how to send it."""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from migration_assistant.core.api import PackageFormat, PackageResult, human_size
from migration_assistant.gui.dialogs import DialogService

EMAIL_LIMIT = 20_000_000
"""Above this, most e-mail services refuse the attachment (Gmail 25 MB, Outlook 20 MB)."""


def sending_steps(package: PackageResult) -> list[str]:
    """How to send *package*, as plain-English steps (rich text)."""
    if package.size <= EMAIL_LIMIT:
        how = (
            "Send the file the way your specialist asked: usually the secure upload link they gave you. "
            f"At {human_size(package.size)} it is also small enough to attach to an e-mail, if they agree."
        )
    else:
        how = (
            "Send the file the way your specialist asked: use the secure upload link they gave you. "
            f"At {human_size(package.size)} it is too large for most e-mail."
        )
    steps = [how]
    if package.sealed_with is PackageFormat.PASSPHRASE:
        steps.append(
            "<b>Tell your specialist the passphrase by phone.</b> Never write it in the same e-mail or "
            "message as the file: anyone who gets both can open the package."
        )
    else:
        steps.append(
            "Nothing else needs to be sent: only your specialist's key (and your firm's own) can open it."
        )
    steps.append(
        "Give them the SHA-256 shown above (by phone or in a separate message), so they can confirm the file "
        "arrived exactly as it left."
    )
    steps.append("Keep the package until your specialist confirms the migration is complete.")
    return steps


class PackageSummary(QGroupBox):
    """Shows a finished :class:`PackageResult`; hidden until :meth:`set_package` is given one."""

    def __init__(self, parent: QWidget | None = None, dialogs: DialogService | None = None) -> None:
        super().__init__("Your package is ready", parent)
        self._dialogs = dialogs or DialogService()
        self.setObjectName("packageSummary")
        layout = QVBoxLayout(self)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.file_name = self._value("Package file name")
        self.folder = self._value("Saved in folder")
        self.file_size = self._value("Package size")
        self.sealed = self._value("Who can open it")
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.sha256 = QLineEdit()
        self.sha256.setReadOnly(True)
        self.sha256.setFont(mono)
        self.sha256.setAccessibleName("SHA-256 of the package file")
        self.sha256.setMinimumWidth(self.sha256.fontMetrics().horizontalAdvance("0" * 66))
        self.copy_button = QPushButton("Copy SHA-&256")
        self.copy_button.setAccessibleName("Copy the SHA-256")
        self.copy_button.setToolTip("Copy the SHA-256 to the clipboard")
        self.copy_button.clicked.connect(self._on_copy)
        self.open_folder = QPushButton("Show in f&older")
        self.open_folder.setAccessibleName("Show the package in its folder")
        self.open_folder.clicked.connect(self._on_open_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(self.open_folder)
        sha_row = QHBoxLayout()
        sha_row.addWidget(self.sha256, 1)
        sha_row.addWidget(self.copy_button)
        form.addRow("File:", self.file_name)
        form.addRow("Folder:", folder_row)
        form.addRow("Size:", self.file_size)
        form.addRow("SHA-256:", sha_row)
        form.addRow("Who can open it:", self.sealed)
        layout.addLayout(form)
        layout.addWidget(QLabel("<b>How to send it</b>"))
        self.how = QLabel()
        self.how.setWordWrap(True)
        self.how.setTextFormat(Qt.TextFormat.RichText)
        self.how.setAccessibleName("How to send the package")
        layout.addWidget(self.how)
        self.package: PackageResult | None = None
        self.setVisible(False)

    def _value(self, name: str) -> QLabel:
        label = QLabel()
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label.setAccessibleName(name)
        return label

    def set_package(
        self, package: PackageResult | None, *, firm_recipient: str = "", passphrase_note: str = ""
    ) -> None:
        """Show *package* (None hides the box).

        Args:
            package: The package written and verified.
            firm_recipient: The firm's own public key, to tell it apart from the specialist's.
            passphrase_note: Where the passphrase is kept, as a sentence (passphrase packages).
        """
        self.package = package
        self.setVisible(package is not None)
        if package is None:
            return
        self.file_name.setText(package.path.name)
        self.folder.setText(str(package.path.parent))
        self.file_size.setText(f"{human_size(package.size)} ({package.size:,} bytes)")
        self.sha256.setText(package.sha256)
        self.copy_button.setText("Copy SHA-&256")
        self.sha256.setCursorPosition(0)
        who = []
        if package.sealed_with is PackageFormat.PASSPHRASE:
            who.append("anyone with the passphrase (your specialist, once you tell them)")
        for recipient, fingerprint in zip(package.recipients, package.fingerprints, strict=True):
            owner = "your firm's own key" if recipient == firm_recipient else "your specialist's key"
            who.append(f"{owner} (fingerprint {fingerprint})")
        text = "; ".join(who) + "."
        self.sealed.setText(text[:1].upper() + text[1:] + (f" {passphrase_note}" if passphrase_note else ""))
        self.how.setText("<ol>" + "".join(f"<li>{step}</li>" for step in sending_steps(package)) + "</ol>")

    def _on_copy(self) -> None:
        QGuiApplication.clipboard().setText(self.sha256.text())
        self.copy_button.setText("Copied")

    def _on_open_folder(self) -> None:
        if self.package is None:
            return
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.package.path.parent))):
            # No file manager here (a bare Linux desktop, a locked-down machine): say where it is.
            self._dialogs.show_path(
                self,
                "Where the package is",
                "No file manager could be opened on this computer. The package is saved here:",
                self.package.path,
            )
