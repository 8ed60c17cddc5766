"""Drive the wizard as a user does: clicks, typing, dropping files."""

from __future__ import annotations

import time
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from PySide6.QtCore import QElapsedTimer, QMimeData, QPoint, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QWidget, QWizard

from migration_assistant.gui.pages import ids

TIMEOUT = 20_000
GAP_LIMIT_MS = 5 * 100
"""The longest event-loop gap a test allows: a user notices 100 ms; a busy CI machine (two cores
shared by several jobs) gets five times that, which still tells apart a call that blocks the
window for seconds."""


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
    """Welcome -> Your old software, search "template", Next -> Export guide, Next -> Add your files."""
    if wizard.currentId() == ids.WELCOME:
        click_next(qtbot, wizard)
    page = wizard.currentPage()
    qtbot.keyClicks(page.search, "templ")
    qtbot.waitUntil(page.isComplete, timeout=TIMEOUT)
    click_next(qtbot, wizard)
    assert wizard.currentId() == ids.EXPORT_GUIDE
    click_next(qtbot, wizard)  # the guide's ticks never hold Next
    assert wizard.currentId() == ids.FILES


def add_by_drop(qtbot, wizard, paths: list[Path]) -> None:  # type: ignore[no-untyped-def]
    page = wizard.currentPage()
    drop_paths(page.drop, paths)
    qtbot.waitUntil(lambda: bool(page.state.files) and not page.reading, timeout=TIMEOUT)


def go_to_check(qtbot, wizard) -> None:  # type: ignore[no-untyped-def]
    """Add your files -> Map columns (every needed field has a column) -> Check."""
    click_next(qtbot, wizard)  # "Next: match columns"
    assert wizard.currentId() == ids.MAP_COLUMNS
    click_next(qtbot, wizard)
    assert wizard.currentId() == ids.CHECK


def go_to_review(qtbot, wizard, folder: Path) -> None:  # type: ignore[no-untyped-def]
    choose_template_source(qtbot, wizard)
    add_by_drop(qtbot, wizard, [folder])
    go_to_check(qtbot, wizard)
    qtbot.waitUntil(wizard.currentPage().isComplete, timeout=TIMEOUT)
    click_next(qtbot, wizard)
    assert wizard.currentId() == ids.REVIEW


def go_to_limitations(qtbot, wizard, folder: Path) -> None:  # type: ignore[no-untyped-def]
    go_to_review(qtbot, wizard, folder)
    click_next(qtbot, wizard)
    assert wizard.currentId() == ids.LIMITATIONS


def acknowledge_everything(qtbot, page, name: str = "Jane Lawyer") -> None:  # type: ignore[no-untyped-def]
    """Tick every item of the Limitations page and type *name*, as a user does."""
    for view in page.views:
        if not view.check.isChecked():
            page.items_scroll.ensureWidgetVisible(view.check)
            box = view.check
            qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    page.name.clear()
    qtbot.keyClicks(page.name, name)


def choose_column(qtbot, wizard, file: str, title: str, label: str) -> None:  # type: ignore[no-untyped-def]
    """On Map columns, select *file* in the list and pick *label* in the dropdown of field *title*."""
    page = wizard.currentPage()
    assert wizard.currentId() == ids.MAP_COLUMNS
    for row in range(page.files.count()):
        if page.files.item(row).text().split("\n")[0] == file:
            page.files.setCurrentRow(row)
            break
    else:
        raise AssertionError(f"{file} is not listed on Map columns")
    titles = [
        page.fields.item(r, page.FIELD).text().removesuffix(" (needed)")
        for r in range(page.fields.rowCount())
    ]
    box = page.fields.cellWidget(titles.index(title), page.COLUMN)
    index = box.findData(label)
    assert index >= 0, f"{label} is not a column of {file}"
    box.setCurrentIndex(index)


def slowed(steps_of: Callable[..., Generator[Any, None, Any]], pause: float) -> Callable[..., Any]:
    """Wrap an engine generator function so each step takes *pause* seconds longer.

    Closing the wrapper closes the real generator, as a cancel does (partial files removed).
    """

    def slowly(*args: Any, **kwargs: Any) -> Generator[Any, None, Any]:
        steps = steps_of(*args, **kwargs)
        try:
            while True:
                try:
                    step = next(steps)
                except StopIteration as stop:
                    return stop.value
                yield step
                time.sleep(pause)
        finally:
            steps.close()

    return slowly


@contextmanager
def event_loop_gaps() -> Iterator[list[int]]:
    """The event loop's gaps in ms while the block runs, as a 10 ms QTimer on the GUI thread sees them
    (the block must let the loop run: qtbot.waitUntil does)."""
    gaps: list[int] = []
    clock = QElapsedTimer()
    ticker = QTimer()
    ticker.setInterval(10)
    ticker.timeout.connect(lambda: gaps.append(clock.restart()))
    clock.start()
    ticker.start()
    try:
        yield gaps
    finally:
        ticker.stop()
