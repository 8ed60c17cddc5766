"""Map columns says, after a check, how many people a file named instead of giving their IDs."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QWizard

from migration_assistant.gui.pages import ids
from tests.gui.driving import TIMEOUT, add_by_drop, choose_template_source, go_to_check
from tests.gui.exports import write_small_export


def test_the_note_counts_the_attorneys_named_instead_of_ids(qtbot, wizard, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = write_small_export(tmp_path / "export")
    matters = folder / "matters.csv"
    # The first matter names its attorney ("Lawyer, Jane") and its client's company; the second keeps U1.
    text = matters.read_text(encoding="utf-8")
    matters.write_text(text.replace(",U1,U1,", ',"Lawyer, Jane",JL,', 1), encoding="utf-8")
    choose_template_source(qtbot, wizard)
    add_by_drop(qtbot, wizard, [folder])
    go_to_check(qtbot, wizard)
    qtbot.waitUntil(wizard.currentPage().isComplete, timeout=TIMEOUT)
    wizard.back()
    assert wizard.currentId() == ids.MAP_COLUMNS
    page = wizard.currentPage()
    for row in range(page.files.count()):
        if page.files.item(row).text().startswith("matters.csv"):
            page.files.setCurrentRow(row)
    note = page.by_name.text()
    assert "Responsible Attorney: 1 of 2 values are staff names or initials, matched to User IDs." in note
    assert "Originating Attorney: 1 of 1 values are staff names or initials, matched to User IDs." in note
    assert page.by_name.isVisible()
    # The contacts file references nobody: no note there.
    for row in range(page.files.count()):
        if page.files.item(row).text().startswith("contacts.csv"):
            page.files.setCurrentRow(row)
    assert page.by_name.text() == ""
    assert wizard.button(QWizard.WizardButton.NextButton).isEnabled()
