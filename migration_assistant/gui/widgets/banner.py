"""The "Privacy mode is on" banner shown at the top of every page."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from migration_assistant.gui.privacy import PrivacyState

BANNER_TEXT = (
    "<b>Privacy mode is on.</b> Client names, contact details, descriptions, notes and amounts "
    "are hidden on screen. Press Ctrl+Shift+P or the Privacy mode button to show them again."
)


class PrivacyBanner(QLabel):
    """Visible only while privacy mode is on; follows :class:`PrivacyState`."""

    def __init__(self, privacy: PrivacyState, parent: QWidget | None = None) -> None:
        super().__init__(BANNER_TEXT, parent)
        self.setObjectName("privacyBanner")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setAccessibleName("Privacy mode is on")
        self.setAccessibleDescription("Client data is hidden on screen.")
        self._privacy = privacy
        privacy.changed.connect(self._on_privacy_changed)
        self.setVisible(privacy.enabled)

    def _on_privacy_changed(self, enabled: bool) -> None:
        self.setVisible(enabled)


class Notice(QLabel):
    """A plain note in a box (``kind`` is "info", "warning" or "success"); the kind is also said in words."""

    def __init__(self, text: str = "", kind: str = "info", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("notice")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.set_notice(text, kind)

    def set_notice(self, text: str, kind: str = "info") -> None:
        self.setProperty("kind", kind)
        self.style().unpolish(self)
        self.style().polish(self)
        self.setText(text)
        self.setAccessibleName(f"{kind.capitalize()}: {text}" if text else "")
        self.setVisible(bool(text))
