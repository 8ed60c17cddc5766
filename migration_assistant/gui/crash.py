"""The global excepthook: log the traceback (never client data) and show a plain crash dialog.

Exception *messages* may quote a cell ("could not convert 'Eleanor Vance' to float"),
so what is logged and shown is the exception type and the stack (file, line,
function, source line of this program), never the message or any local variable.
"""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable
from types import TracebackType

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from migration_assistant import __version__
from migration_assistant.core import paths

log = logging.getLogger("migration_assistant.crash")

CRASH_TEXT = (
    "Something went wrong inside Migration Assistant. Your files have not been changed.\n\n"
    "You can keep working, or close the app and open it again: it offers to resume where you left off. "
    "If it happens again, send the details below to your migration specialist "
    "(they contain no client data)."
)


def safe_details(exc_type: type[BaseException], exc: BaseException | None, tb: TracebackType | None) -> str:
    """A traceback without the exception message or any value: safe to log and to send."""
    lines = [f"Migration Assistant {__version__} on Python {sys.version.split()[0]}, {sys.platform}"]
    lines.append(
        f"{exc_type.__module__}.{exc_type.__qualname__} (message withheld: it may quote client data)"
    )
    lines.append("Traceback (most recent call last):")
    for frame in traceback.extract_tb(tb):
        lines.append(f'  File "{_short(frame.filename)}", line {frame.lineno}, in {frame.name}')
    cause = exc.__cause__ if exc is not None else None
    if cause is not None:
        lines.append(f"Caused by {type(cause).__module__}.{type(cause).__qualname__}")
    return "\n".join(lines)


def _short(filename: str) -> str:
    """Path relative to the package (or to site-packages): the user's home folder name stays out."""
    norm = filename.replace("\\", "/")
    for marker in ("/migration_assistant/", "/site-packages/", "/lib/python"):
        if marker in norm:
            return norm[norm.index(marker) + 1 :]
    return norm.rsplit("/", 1)[-1]


def setup_logging() -> None:
    """Log to a rotating file under paths.log_dir()."""
    from logging.handlers import RotatingFileHandler

    root = logging.getLogger("migration_assistant")
    if any(isinstance(h, RotatingFileHandler) for h in root.handlers):
        return
    handler = RotatingFileHandler(
        paths.log_dir() / "migration-assistant.log", maxBytes=1_000_000, backupCount=3, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(logging.INFO)


def make_excepthook(show: Callable[[str, str], None]) -> Callable[..., None]:
    """An excepthook that writes :func:`safe_details` to the crash log and calls *show(text, details)*."""

    def hook(exc_type: type[BaseException], exc: BaseException | None, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)  # type: ignore[arg-type]
            return
        details = safe_details(exc_type, exc, tb)
        try:
            with (paths.log_dir() / "crash.log").open("a", encoding="utf-8") as fh:
                fh.write(details + "\n\n")
            log.error("unexpected error\n%s", details)
        except OSError:
            pass
        try:
            show(CRASH_TEXT, details)
        except Exception:  # the crash dialog itself must never recurse into the hook
            sys.__excepthook__(exc_type, exc, tb)  # type: ignore[arg-type]

    return hook


class CrashDialog(QDialog):
    """A plain-language crash message with the safe details and a "Copy details" button."""

    def __init__(self, text: str, details: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Migration Assistant: something went wrong")
        layout = QVBoxLayout(self)
        message = QLabel(text)
        message.setWordWrap(True)
        message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(message)
        self.details = QPlainTextEdit(details)
        self.details.setReadOnly(True)
        self.details.setAccessibleName("Error details")
        layout.addWidget(self.details)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton("&Copy details")
        self.copy_button.setAccessibleName("Copy details to the clipboard")
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self._on_copy)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(640, 420)

    def _on_copy(self) -> None:
        QGuiApplication.clipboard().setText(self.details.toPlainText())
        self.copy_button.setText("Copied")
