"""The whole wizard driven as a user would, on a small export and on the bundled sample."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QWizard

from migration_assistant.core.findings import Severity
from migration_assistant.gui.models import FindingsModel
from migration_assistant.gui.pages import ids
from migration_assistant.gui.widgets.record_view import MARKER
from tests.gui.driving import (
    TIMEOUT,
    acknowledge_everything,
    add_by_drop,
    choose_template_source,
    click_next,
    go_to_check,
    go_to_review,
)
from tests.gui.exports import CLIENT_EMAIL, write_csv


def test_user_walks_from_welcome_to_review(qtbot, wizard, export_dir: Path) -> None:
    assert wizard.currentId() == ids.WELCOME
    assert not wizard.button(QWizard.WizardButton.BackButton).isVisible()
    choose_template_source(qtbot, wizard)

    files = wizard.currentPage()
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    add_by_drop(qtbot, wizard, [export_dir])
    listed = {files.table.item(r, files.FILE).text(): r for r in range(files.table.rowCount())}
    assert set(listed) == {"users.csv", "contacts.csv", "matters.csv", "activities.csv"}
    role_box = files.table.cellWidget(listed["activities.csv"], files.ROLE)
    assert isinstance(role_box, QComboBox) and role_box.currentText() == "Time and expenses"
    assert files.table.item(listed["contacts.csv"], files.ROWS).text() == "4"
    assert files.table.item(listed["contacts.csv"], files.ENCODING).text().startswith("UTF-8")

    go_to_check(qtbot, wizard)
    check = wizard.currentPage()
    qtbot.waitUntil(check.isComplete, timeout=TIMEOUT)
    assert "Found" in check.outcome.text()
    click_next(qtbot, wizard)

    review = wizard.currentPage()
    report = wizard.state.result.report
    assert review.model.rowCount() == len(report.findings) > 0
    assert review.proxy.rowCount() == len(report.findings)
    assert sum(review.chart.counts.values()) == len(report.findings)
    assert "Contacts" in review.records_label.text()

    # Select the invalid e-mail: plain message, hint, and the record with the cell marked.
    review.search.setText("")
    qtbot.keyClicks(review.search, "valid e-mail")
    assert review.proxy.rowCount() == 1
    review.table.selectRow(0)
    assert CLIENT_EMAIL in review.message.text()
    assert review.hint.text().startswith("What to do:")
    assert "contacts.csv, row 2" in review.where.text()
    record = review.record
    assert record.problem_row is not None
    name = record.item(record.problem_row, 0)
    value = record.item(record.problem_row, 1)
    assert name.text() == f"{MARKER}Email" and name.font().bold() and value.font().bold()
    assert value.text() == CLIENT_EMAIL

    click_next(qtbot, wizard)
    assert wizard.currentId() == ids.LIMITATIONS
    limitations = wizard.currentPage()
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    acknowledge_everything(qtbot, limitations)
    assert wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    # The Done page's timeline (the Package page in between seals the package: its own tests drive it).
    done = wizard.page(ids.DONE)
    done.initializePage()
    stages = " ".join(row.accessibleName() for row in done.timeline._rows)
    assert "Stage 3: Data review. \u25b6 You are here" in stages


def test_files_page_names_unrecognised_and_missing_files(
    qtbot, wizard, tmp_path: Path, export_dir: Path
) -> None:
    choose_template_source(qtbot, wizard)
    odd = write_csv(tmp_path / "odd.csv", ["Colour", "Flavour"], [["red", "lemon"]])
    add_by_drop(qtbot, wizard, [export_dir / "contacts.csv", odd])
    page = wizard.currentPage()
    notes = [page.table.item(r, page.NOTE).text() for r in range(page.table.rowCount())]
    assert any("Not recognised" in n for n in notes)
    assert "not recognised" in page.problems.text()
    assert "Still missing: Matters" in page.missing.text()
    # Contacts alone is enough to check; the warning stays.
    assert page.isComplete()

    # Saying what the odd file holds is remembered for the check.
    row = [page.table.item(r, page.FILE).text() for r in range(page.table.rowCount())].index("odd.csv")
    box = page.table.cellWidget(row, page.ROLE)
    box.setCurrentIndex(box.findData("notes"))
    assert wizard.state.role_choices == {"odd.csv": "notes"}
    assert "You chose" in page.table.item(row, page.NOTE).text()


def test_browse_buttons_use_the_dialog_service(qtbot, wizard, dialogs, export_dir: Path) -> None:
    choose_template_source(qtbot, wizard)
    page = wizard.currentPage()
    dialogs.files.append([export_dir / "contacts.csv"])
    qtbot.mouseClick(page.add_files_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(wizard.state.files) == 1 and not page.reading, timeout=TIMEOUT)
    dialogs.folders.append(export_dir)
    qtbot.mouseClick(page.add_folder_button, Qt.MouseButton.LeftButton)
    # contacts.csv, added alone and again with its folder, is read once.
    qtbot.waitUntil(lambda: len(wizard.state.files) == 4 and not page.reading, timeout=TIMEOUT)
    assert dialogs.kinds() == ["open_files", "open_folder"]
    qtbot.mouseClick(page.clear_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.table.rowCount() == 0, timeout=TIMEOUT)
    assert not page.isComplete()


def test_source_search_filters_the_catalog(qtbot, wizard) -> None:
    click_next(qtbot, wizard)
    page = wizard.currentPage()
    qtbot.keyClicks(page.search, "no such software")
    visible = [page.list.item(i) for i in range(page.list.count()) if not page.list.item(i).isHidden()]
    assert len(visible) == 1 and "not sure" in visible[0].text()
    assert "No software by that name" in page.empty.text()
    page.search.clear()
    qtbot.keyClicks(page.search, "template")
    assert page.isComplete()
    assert "What it can export" in page.details.toPlainText()
    assert "What cannot be migrated" in page.details.toPlainText()


def test_check_again_shows_fixed_new_and_remaining(qtbot, wizard, export_dir: Path) -> None:
    go_to_review(qtbot, wizard, export_dir)
    review = wizard.currentPage()
    before = len(wizard.state.result.report.findings)
    # Fix the invalid e-mail, add a new problem (an impossible date).
    contacts = export_dir / "contacts.csv"
    contacts.write_text(
        contacts.read_text(encoding="utf-8").replace(CLIENT_EMAIL, "eleanor@vance.example.com"),
        encoding="utf-8",
    )
    matters = export_dir / "matters.csv"
    matters.write_text(
        matters.read_text(encoding="utf-8").replace("2024-01-15", "2024-13-45"), encoding="utf-8"
    )
    qtbot.mouseClick(review.again_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.state.diff is not None and review.isComplete(), timeout=TIMEOUT)
    diff = wizard.state.diff
    assert [f.rule for f in diff.fixed] == ["invalid-email"]
    assert [f.rule for f in diff.new] == ["impossible-date"]
    assert len(diff.remaining) == before - 1
    assert "1 fixed, 1 new" in review.diff_notice.text()
    assert not review.table.isColumnHidden(FindingsModel.CHANGE)
    review.status_filter.setCurrentIndex(review.status_filter.findData("fixed"))
    assert review.proxy.rowCount() == 1
    review.table.selectRow(0)
    assert "Fixed" in review.where.text()


def test_sample_export_opens_ready_to_check(qtbot, wizard) -> None:
    from migration_assistant.core.resources import sample_export_dir

    try:
        sample_export_dir()
    except FileNotFoundError:
        pytest.skip("the bundled sample export is not in this checkout")
    assert wizard.start_sample()
    qtbot.waitUntil(
        lambda: wizard.currentId() == ids.FILES and wizard.currentPage().isComplete(), timeout=TIMEOUT
    )
    assert wizard.state.source_id == "template"
    roles = {wizard.state.role_of(e) for e in wizard.state.files}
    assert {"contacts", "matters", "activities", "bills", "trust"} <= roles
    page = wizard.currentPage()
    shown = {
        page.table.item(r, 0).text(): page.table.item(r, page.ENCODING).text()
        for r in range(page.table.rowCount())
    }
    assert shown["Invoices.xlsx (sheet Invoices)"] == "Excel workbook"
    assert shown["Notes.csv"] == "Windows-1252"
    assert wizard.button(QWizard.WizardButton.NextButton).text().replace("&", "") == "Next: match columns"
    go_to_check(qtbot, wizard)
    qtbot.waitUntil(wizard.currentPage().isComplete, timeout=TIMEOUT)
    report = wizard.state.result.report
    assert any(f.severity >= Severity.ERROR for f in report.findings)


def test_removing_a_file_that_came_with_a_folder_asks_first(qtbot, wizard, dialogs, export_dir: Path) -> None:
    choose_template_source(qtbot, wizard)
    add_by_drop(qtbot, wizard, [export_dir])
    page = wizard.currentPage()
    page.table.selectRow(0)
    dialogs.confirms.append(False)
    qtbot.mouseClick(page.remove_button, Qt.MouseButton.LeftButton)
    assert wizard.state.inputs == [export_dir] and dialogs.kinds()[-1] == "confirm"
    dialogs.confirms.append(True)
    qtbot.mouseClick(page.remove_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.table.rowCount() == 0, timeout=TIMEOUT)
    assert wizard.state.inputs == []
