"""Privacy mode: one switch, remembered between runs, that every view listens to."""

from __future__ import annotations

from PySide6.QtCore import QObject, QSettings, Signal

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
