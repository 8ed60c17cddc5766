"""Every modal prompt goes through :class:`DialogService`, which tests replace.

Pages call ``self.ctx.dialogs.open_files(...)`` and never ``QFileDialog`` directly, so a
test swaps in :class:`ScriptedDialogs` and no modal window ever blocks a headless run.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

TABLE_FILTER = (
    "Exports (*.csv *.txt *.tsv *.xlsx *.xlsm *.xls *.ods *.ics *.vcf *.iif *.ledes);;All files (*)"
)


class DialogService:
    """Real dialogs."""

    def info(self, parent: QWidget | None, title: str, text: str) -> None:
        QMessageBox.information(parent, title, text)

    def warn(self, parent: QWidget | None, title: str, text: str) -> None:
        QMessageBox.warning(parent, title, text)

    def confirm(
        self, parent: QWidget | None, title: str, text: str, yes: str = "Yes", no: str = "No"
    ) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent)
        yes_button = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
        box.addButton(no, QMessageBox.ButtonRole.RejectRole)
        box.exec()
        return box.clickedButton() is yes_button

    def open_files(self, parent: QWidget | None, title: str, start: Path | None = None) -> list[Path]:
        names, _ = QFileDialog.getOpenFileNames(parent, title, str(start or Path.home()), TABLE_FILTER)
        return [Path(n) for n in names]

    def open_folder(self, parent: QWidget | None, title: str, start: Path | None = None) -> Path | None:
        name = QFileDialog.getExistingDirectory(parent, title, str(start or Path.home()))
        return Path(name) if name else None

    def open_file(
        self, parent: QWidget | None, title: str, start: Path | None = None, filter: str = "All files (*)"
    ) -> Path | None:
        """One existing file (a package, a key file), or None when the user cancelled."""
        name, _ = QFileDialog.getOpenFileName(parent, title, str(start or Path.home()), filter)
        return Path(name) if name else None

    def save_file(
        self, parent: QWidget | None, title: str, suggested: Path, filter: str = "All files (*)"
    ) -> Path | None:
        """Where to save a new file (the caller asks before replacing one), or None when cancelled."""
        name, _ = QFileDialog.getSaveFileName(
            parent, title, str(suggested), filter, options=QFileDialog.Option.DontConfirmOverwrite
        )
        return Path(name) if name else None

    def choose(self, parent: QWidget | None, title: str, text: str, options: list[str]) -> int:
        """One of *options* (button texts), as its index; the window's close box picks the last one.

        The second option, when there are three, is the default (the safe, helpful one).
        """
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, parent=parent)
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = [box.addButton(o, QMessageBox.ButtonRole.ActionRole) for o in options]
        box.setEscapeButton(buttons[-1])
        box.setDefaultButton(buttons[1] if len(buttons) > 2 else buttons[-1])
        box.exec()
        clicked = box.clickedButton()
        return next((i for i, b in enumerate(buttons) if b is clicked), len(options) - 1)

    def show_path(self, parent: QWidget | None, title: str, text: str, path: Path) -> None:
        """Say where a file is (when no file manager could show it), with the path to select or copy."""
        box = QMessageBox(QMessageBox.Icon.Information, title, f"{text}\n\n{path}", parent=parent)
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        copy = box.addButton("&Copy the path and close", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Close)
        box.exec()
        if box.clickedButton() is copy:
            QGuiApplication.clipboard().setText(str(path))

    def crash(self, parent: QWidget | None, text: str, details: str) -> None:
        from migration_assistant.gui.crash import CrashDialog

        CrashDialog(text, details, parent).exec()


@dataclass
class ScriptedDialogs(DialogService):
    """A stand-in for tests: records every prompt and answers from queues.

    Attributes:
        calls: ``(kind, title, text)`` per prompt shown.
        files: answers for :meth:`open_files`, first in first out.
        folders: answers for :meth:`open_folder`.
        confirms: answers for :meth:`confirm` (``True`` when the queue is empty).
        open_paths: answers for :meth:`open_file`.
        save_paths: answers for :meth:`save_file`.
        choices: answers for :meth:`choose` (the first option when the queue is empty).
    """

    calls: list[tuple[str, str, str]] = field(default_factory=list)
    files: list[list[Path]] = field(default_factory=list)
    folders: list[Path | None] = field(default_factory=list)
    confirms: list[bool] = field(default_factory=list)
    open_paths: list[Path | None] = field(default_factory=list)
    save_paths: list[Path | None] = field(default_factory=list)
    choices: list[int] = field(default_factory=list)

    def info(self, parent: QWidget | None, title: str, text: str) -> None:
        self.calls.append(("info", title, text))

    def warn(self, parent: QWidget | None, title: str, text: str) -> None:
        self.calls.append(("warn", title, text))

    def confirm(
        self, parent: QWidget | None, title: str, text: str, yes: str = "Yes", no: str = "No"
    ) -> bool:
        self.calls.append(("confirm", title, text))
        return self.confirms.pop(0) if self.confirms else True

    def open_files(self, parent: QWidget | None, title: str, start: Path | None = None) -> list[Path]:
        self.calls.append(("open_files", title, ""))
        return self.files.pop(0) if self.files else []

    def open_folder(self, parent: QWidget | None, title: str, start: Path | None = None) -> Path | None:
        self.calls.append(("open_folder", title, ""))
        return self.folders.pop(0) if self.folders else None

    def open_file(
        self, parent: QWidget | None, title: str, start: Path | None = None, filter: str = "All files (*)"
    ) -> Path | None:
        self.calls.append(("open_file", title, ""))
        return self.open_paths.pop(0) if self.open_paths else None

    def save_file(
        self, parent: QWidget | None, title: str, suggested: Path, filter: str = "All files (*)"
    ) -> Path | None:
        self.calls.append(("save_file", title, str(suggested)))
        return self.save_paths.pop(0) if self.save_paths else None

    def choose(self, parent: QWidget | None, title: str, text: str, options: list[str]) -> int:
        self.calls.append(("choose", title, text))
        return self.choices.pop(0) if self.choices else 0

    def show_path(self, parent: QWidget | None, title: str, text: str, path: Path) -> None:
        self.calls.append(("show_path", title, f"{text}\n\n{path}"))

    def crash(self, parent: QWidget | None, text: str, details: str) -> None:
        self.calls.append(("crash", text, details))

    def kinds(self) -> list[str]:
        return [c[0] for c in self.calls]

    def texts(self) -> Iterable[str]:
        return (f"{c[1]}\n{c[2]}" for c in self.calls)
