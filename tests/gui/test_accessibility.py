"""Every control on every page has a name a screen reader can say, and the keyboard reaches it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QLabel,
    QLineEdit,
    QProgressBar,
    QWidget,
)

from migration_assistant.gui.pages import ids
from tests.gui.driving import TIMEOUT, add_by_drop, choose_template_source, click_next

CONTROLS = (QAbstractButton, QLineEdit, QComboBox, QAbstractItemView, QProgressBar)


def unnamed_controls(page: QWidget) -> list[str]:
    buddies = {id(label.buddy()) for label in page.findChildren(QLabel) if label.buddy() is not None}
    missing = []
    for widget in page.findChildren(QWidget):
        if not isinstance(widget, CONTROLS) or not widget.isVisibleTo(page):
            continue
        if widget.parent() is not None and isinstance(
            widget.parent(), QLineEdit | QAbstractItemView | QComboBox
        ):
            continue  # Qt's own sub-widgets (clear buttons, viewports)
        if type(widget).__module__.startswith("PySide6") and widget.objectName().startswith("qt_"):
            continue
        named = widget.accessibleName() or id(widget) in buddies
        if isinstance(widget, QAbstractButton) and widget.text():
            named = True
        if not named:
            missing.append(f"{type(widget).__name__} {widget.objectName()!r}")
    return missing


def test_every_page_names_its_controls(qtbot, wizard, export_dir: Path) -> None:
    seen = []
    assert unnamed_controls(wizard.currentPage()) == []
    seen.append(wizard.currentId())
    choose_template_source(qtbot, wizard)
    seen.append(ids.SOURCE)
    assert unnamed_controls(wizard.page(ids.SOURCE)) == []
    assert unnamed_controls(wizard.page(ids.EXPORT_GUIDE)) == []
    add_by_drop(qtbot, wizard, [export_dir])
    assert unnamed_controls(wizard.currentPage()) == []
    click_next(qtbot, wizard)
    assert wizard.currentId() == ids.MAP_COLUMNS
    assert unnamed_controls(wizard.currentPage()) == []
    click_next(qtbot, wizard)
    qtbot.waitUntil(wizard.currentPage().isComplete, timeout=TIMEOUT)
    assert unnamed_controls(wizard.currentPage()) == []
    click_next(qtbot, wizard)
    assert wizard.currentId() == ids.REVIEW
    assert unnamed_controls(wizard.currentPage()) == []
    wizard.currentPage().tabs.setCurrentIndex(1)  # the balances brought forward
    assert unnamed_controls(wizard.currentPage()) == []
    click_next(qtbot, wizard)
    assert wizard.currentId() == ids.LIMITATIONS
    assert unnamed_controls(wizard.currentPage()) == []
    assert wizard.privacy_button.accessibleName().startswith("Privacy mode")


def test_review_is_usable_from_the_keyboard(qtbot, wizard, export_dir: Path) -> None:
    from tests.gui.driving import go_to_review

    go_to_review(qtbot, wizard, export_dir)
    review = wizard.currentPage()
    review.table.setFocus()
    review.table.selectRow(0)
    first = review.message.text()
    qtbot.keyClick(review.table, Qt.Key.Key_Down)
    assert review.message.text() != first  # arrow keys move through the problems and update the details
    # Alt+S (the "Search:" label's mnemonic) reaches the search box through its buddy.
    labels = review.findChildren(QLabel)
    search_label = next(label for label in labels if label.buddy() is review.search)
    assert search_label.text() == "&Search:"
    for box in (review.severity_filter, review.entity_filter, review.rule_filter, review.file_filter):
        assert any(label.buddy() is box for label in labels)
