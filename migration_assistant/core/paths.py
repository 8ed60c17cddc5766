"""The one module that calls platformdirs. Tests point it elsewhere with :func:`override`."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from migration_assistant import APP_ID

_ENV = "MIGRATION_ASSISTANT_HOME"


def _base() -> Path | None:
    value = os.environ.get(_ENV)
    return Path(value) if value else None


def data_dir() -> Path:
    """Sessions, saved mappings, the user's own adapter profiles."""
    base = _base()
    path = base / "data" if base else Path(platformdirs.user_data_dir(APP_ID, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def config_dir() -> Path:
    base = _base()
    path = base / "config" if base else Path(platformdirs.user_config_dir(APP_ID, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def log_dir() -> Path:
    base = _base()
    path = base / "logs" if base else Path(platformdirs.user_log_dir(APP_ID, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def user_adapters_dir() -> Path:
    """Profiles a specialist drops in without a new release."""
    path = data_dir() / "adapters"
    path.mkdir(parents=True, exist_ok=True)
    return path


def override(base: Path) -> None:
    """Send every app directory below *base* (tests, portable runs)."""
    os.environ[_ENV] = str(base)
