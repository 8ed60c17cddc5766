"""Privacy mode hides client data in every view, follows one switch, and is remembered."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractListModel,
    QAbstractTableModel,
    QModelIndex,
    QSettings,
    Qt,
)
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QLabel,
    QLineEdit,
    QTextBrowser,
    QWidget,
)

from migration_assistant.gui.models import FINDING_ROLE
from migration_assistant.gui.pages import ids
from migration_assistant.gui.privacy import PrivacyState
from tests.gui.driving import go_to_review
from tests.gui.exports import CLIENT_WORDS

ROLES = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole)


def model_texts(model: QAbstractItemModel, parent: QModelIndex | None = None) -> Iterator[str]:
    parent = parent if parent is not None else QModelIndex()
    # List and table models keep columnCount/hasChildren private in PySide: they are flat anyway.
    flat = isinstance(model, QAbstractListModel | QAbstractTableModel)
    columns = 1 if isinstance(model, QAbstractListModel) else model.columnCount(parent)
    for row in range(model.rowCount(parent)):
        for column in range(columns):
            index = model.index(row, column, parent)
            for role in ROLES:
                value = model.data(index, role)
                if isinstance(value, str):
                    yield value
            if not flat and model.hasChildren(index):
                yield from model_texts(model, index)


def visible_texts(root: QWidget) -> Iterator[str]:
    """Every text a person (or a screen reader) can get from the window's widgets and models."""
    for widget in [root, *root.findChildren(QWidget)]:
        if isinstance(widget, QLineEdit) and widget.echoMode() == QLineEdit.EchoMode.Normal:
            yield widget.text()
        if isinstance(widget, QLabel):
            yield widget.text()
        if isinstance(widget, QTextBrowser):
            yield widget.toPlainText()
        if isinstance(widget, QAbstractButton | QComboBox):
            yield widget.text() if isinstance(widget, QAbstractButton) else widget.currentText()
        if isinstance(widget, QAbstractItemView) and widget.model() is not None:
            yield from model_texts(widget.model())
        yield widget.toolTip()
        yield widget.accessibleName()
        yield widget.accessibleDescription()


def leaks(root: QWidget) -> list[str]:
    words = [w.casefold() for w in CLIENT_WORDS]
    return [t for t in visible_texts(root) if t and any(w in t.casefold() for w in words)]


def select_every_finding(qtbot, review) -> Iterator[None]:  # type: ignore[no-untyped-def]
    for row in range(review.proxy.rowCount()):
        review.table.selectRow(row)
        yield


def test_privacy_mode_hides_the_client_everywhere(qtbot, wizard, export_dir: Path) -> None:
    go_to_review(qtbot, wizard, export_dir)
    review = wizard.currentPage()

    # Before: the client's name is on screen somewhere (the test would be empty otherwise).
    shown = []
    for _ in select_every_finding(qtbot, review):
        shown.extend(leaks(wizard))
    assert shown, "the export should show the known client before privacy mode"

    # The keyboard shortcut switches privacy mode on; the banner and the button say so.
    qtbot.keyClick(
        wizard, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert wizard.privacy.enabled
    assert review.banner.isVisible() and "Privacy mode is on" in review.banner.text()
    assert "on" in wizard.privacy_button.text()

    # Every finding selected in turn: the table, the message, the hint and the record reveal nothing.
    for _ in select_every_finding(qtbot, review):
        assert leaks(wizard) == []
    # Searching for the name finds nothing while it is hidden (the search sees what is on screen).
    review.search.setText("Vance")
    assert review.proxy.rowCount() == 0
    review.search.clear()

    # The other pages too (Back through them; nothing is re-read while going back).
    for page_id in (ids.LIMITATIONS,):
        wizard.next()
        assert wizard.currentId() == page_id
        assert leaks(wizard) == []
    while wizard.currentId() != ids.FILES:
        wizard.back()
    assert leaks(wizard) == []
    files = wizard.currentPage()
    names = [files.table.item(r, files.FILE).text() for r in range(files.table.rowCount())]
    assert "contacts.csv" in names  # file names are not client data: they stay

    # Off again: the data is back.
    wizard.privacy_button.click()
    assert not wizard.privacy.enabled and not files.banner.isVisible()


def test_record_preview_masks_client_columns_but_keeps_ids(qtbot, wizard, export_dir: Path) -> None:
    go_to_review(qtbot, wizard, export_dir)
    review = wizard.currentPage()
    review.search.setText("used twice")
    review.table.selectRow(0)
    wizard.privacy.set_enabled(True)
    cells = dict(
        (review.record.item(r, 0).text().lstrip("\u25b6 "), review.record.item(r, 1).text())
        for r in range(review.record.rowCount())
    )
    assert cells["Contact ID"] == "C001"  # identifiers help find the row and are not client data
    assert cells["Type"] == "Person"
    assert cells["First Name"] != "Eleanor" and "\u2022" in cells["First Name"]
    assert "\u2022" in cells["Email"] and "\u2022" in cells["Street"]


def test_privacy_mode_is_remembered(settings: QSettings) -> None:
    first = PrivacyState(settings)
    assert not first.enabled
    seen: list[bool] = []
    first.changed.connect(seen.append)
    first.toggle()
    assert seen == [True]
    assert PrivacyState(settings).enabled
    first.set_enabled(True)
    assert seen == [True]  # no signal when nothing changes


def test_the_selected_problem_stays_selected_through_privacy_and_filters(
    qtbot, wizard, export_dir: Path
) -> None:  # type: ignore[no-untyped-def]
    go_to_review(qtbot, wizard, export_dir)
    review = wizard.currentPage()
    assert review.proxy.rowCount() > 3
    review.table.selectRow(3)

    def selected_finding() -> object:
        rows = review.table.selectionModel().selectedRows()
        return rows[0].data(FINDING_ROLE) if rows else None

    chosen = selected_finding()
    assert chosen is not None
    wizard.privacy.set_enabled(True)
    assert selected_finding() is chosen
    review.severity_filter.setCurrentIndex(review.severity_filter.findData(chosen.severity))  # type: ignore[attr-defined]
    assert selected_finding() is chosen
    wizard.privacy.set_enabled(False)
    review.severity_filter.setCurrentIndex(0)
    assert selected_finding() is chosen
