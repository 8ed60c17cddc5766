"""The app's own settings (remembered preferences), stored as an INI file in paths.config_dir().

QSettings' native locations (the Windows registry, macOS plists) are avoided on
purpose: every file the app writes lives below the directories of
``migration_assistant.core.paths``, so tests and portable runs stay contained.
"""

from __future__ import annotations

from pathlib import Path

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


PACKAGE_FOLDER_KEY = "package/folder"
"""The folder the last package was saved in (chosen by the user), offered again next time."""


def remembered_folder(settings: QSettings | None, key: str) -> Path | None:
    """A folder remembered under *key*, if it still exists."""
    if settings is None:
        return None
    text = str(settings.value(key, "") or "")
    return Path(text) if text and Path(text).is_dir() else None


def remember_folder(settings: QSettings | None, key: str, folder: Path) -> None:
    if settings is not None:
        settings.setValue(key, str(folder))
        settings.sync()
