"""Privacy mode: one switch, remembered between runs, that every view listens to."""

from __future__ import annotations

from PySide6.QtCore import QObject, QSettings, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QPushButton, QWidget

from migration_assistant.gui.settings import PRIVACY_KEY, read_bool


class PrivacyState(QObject):
    """Whether client data is hidden on screen (for screen sharing with the specialist).

    Signals:
        changed(bool): the mode was switched; the argument is the new state.
    """

    changed = Signal(bool)

    def __init__(self, settings: QSettings | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._settings = settings
        self._enabled = read_bool(settings, PRIVACY_KEY) if settings is not None else False

    @property
    def enabled(self) -> bool:
        return self._enabled

    def set_enabled(self, enabled: bool) -> None:
        enabled = bool(enabled)
        if enabled == self._enabled:
            return
        self._enabled = enabled
        if self._settings is not None:
            self._settings.setValue(PRIVACY_KEY, enabled)
            self._settings.sync()
        self.changed.emit(enabled)

    def toggle(self) -> None:
        self.set_enabled(not self._enabled)


PRIVACY_SHORTCUT = "Ctrl+Shift+P"
"""The key that switches privacy mode, in the wizard and in every window it opens."""


class PrivacyToggle(QPushButton):
    """A "Privacy mode: on/off" button tied to the app's one :class:`PrivacyState`.

    A modal window (Open a package) hides the wizard's own button, so it carries this one;
    both switch the same state, so the wizard and the window always agree.
    """

    def __init__(self, privacy: PrivacyState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._privacy = privacy
        self.setCheckable(True)
        self.setObjectName("privacyButton")
        self.setToolTip(f"Hide client data on screen, for example while sharing it ({PRIVACY_SHORTCUT})")
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("Privacy mode: off") + 32)
        self.toggled.connect(privacy.set_enabled)
        privacy.changed.connect(self._show)
        self._show(privacy.enabled)

    def _show(self, enabled: bool) -> None:
        self.blockSignals(True)
        self.setChecked(enabled)
        self.blockSignals(False)
        self.setText("Privacy mode: on" if enabled else "Privacy mode: off")
        self.setAccessibleName("Privacy mode, on" if enabled else "Privacy mode, off")


def privacy_shortcut(window: QWidget, privacy: PrivacyState) -> QShortcut:
    """Ctrl+Shift+P inside *window* (a modal dialog takes the keys the wizard's shortcut would get)."""
    shortcut = QShortcut(QKeySequence(PRIVACY_SHORTCUT), window)
    shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
    shortcut.activated.connect(privacy.toggle)
    return shortcut
