"""Drive the wizard as a user does: clicks, typing, dropping files."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QWidget, QWizard

from migration_assistant.gui.pages import ids

TIMEOUT = 20_000


def click_next(qtbot, wizard: QWizard) -> None:  # type: ignore[no-untyped-def]
    button = wizard.button(QWizard.WizardButton.NextButton)
    qtbot.waitUntil(button.isEnabled, timeout=TIMEOUT)
    before = wizard.currentId()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.currentId() != before, timeout=TIMEOUT)


def drop_paths(widget: QWidget, paths: list[Path]) -> None:
    """Simulate dragging *paths* from a file manager and dropping them on *widget*."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    centre = widget.rect().center()
    enter = QDragEnterEvent(
        QPointF(centre),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(widget, enter)
    assert enter.isAccepted(), "the drop zone refused the drag"
    drop = QDropEvent(
        QPointF(centre),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(widget, drop)


def choose_template_source(qtbot, wizard) -> None:  # type: ignore[no-untyped-def]
    """Welcome -> Your old software, search "template", Next."""
    if wizard.currentId() == ids.WELCOME:
        click_next(qtbot, wizard)
    page = wizard.currentPage()
    qtbot.keyClicks(page.search, "templ")
    qtbot.waitUntil(page.isComplete, timeout=TIMEOUT)
    click_next(qtbot, wizard)
    assert wizard.currentId() == ids.FILES


def add_by_drop(qtbot, wizard, paths: list[Path]) -> None:  # type: ignore[no-untyped-def]
    page = wizard.currentPage()
    drop_paths(page.drop, paths)
    qtbot.waitUntil(lambda: bool(page.state.files) and not page.reading, timeout=TIMEOUT)


def go_to_review(qtbot, wizard, folder: Path) -> None:  # type: ignore[no-untyped-def]
    choose_template_source(qtbot, wizard)
    add_by_drop(qtbot, wizard, [folder])
    click_next(qtbot, wizard)  # "Check my files"
    assert wizard.currentId() == ids.CHECK
    qtbot.waitUntil(wizard.currentPage().isComplete, timeout=TIMEOUT)
    click_next(qtbot, wizard)
    assert wizard.currentId() == ids.REVIEW
