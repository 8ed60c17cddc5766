"""The excepthook logs the traceback without client data and shows the crash dialog."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtGui import QGuiApplication

from migration_assistant.gui.crash import CRASH_TEXT, CrashDialog, make_excepthook, safe_details


def raise_with_client_data() -> None:
    raise ValueError("could not convert 'Eleanor Vance' to float")


def test_hook_logs_and_shows_without_client_data(isolated_home: Path) -> None:
    shown: list[tuple[str, str]] = []
    hook = make_excepthook(lambda text, details: shown.append((text, details)))
    try:
        raise_with_client_data()
    except ValueError:
        hook(*sys.exc_info())
    log = (isolated_home / "logs" / "crash.log").read_text(encoding="utf-8")
    assert "raise_with_client_data" in log and "builtins.ValueError" in log
    assert "Eleanor" not in log
    assert shown and shown[0][0] == CRASH_TEXT and "Eleanor" not in shown[0][1]
    assert str(Path.home()) not in log or str(Path.home()) == "/"


def test_crash_dialog_copies_the_details(qtbot) -> None:  # type: ignore[no-untyped-def]
    try:
        raise_with_client_data()
    except ValueError:
        details = safe_details(*sys.exc_info())
    dialog = CrashDialog(CRASH_TEXT, details)
    qtbot.addWidget(dialog)
    dialog.copy_button.click()
    assert QGuiApplication.clipboard().text() == details
    assert dialog.isVisible() is False  # copying does not close (it was never shown here) nor crash
