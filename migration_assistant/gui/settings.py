"""The app's own settings (remembered preferences), stored as an INI file in paths.config_dir().

QSettings' native locations (the Windows registry, macOS plists) are avoided on
purpose: every file the app writes lives below the directories of
``migration_assistant.core.paths``, so tests and portable runs stay contained.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings

from migration_assistant.core import paths

PRIVACY_KEY = "privacy/enabled"


def open_settings() -> QSettings:
    """The settings file (created on first write)."""
    return QSettings(str(paths.config_dir() / "settings.ini"), QSettings.Format.IniFormat)


def read_bool(settings: QSettings, key: str, default: bool = False) -> bool:
    value = settings.value(key, default)
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on")
    return bool(value)
