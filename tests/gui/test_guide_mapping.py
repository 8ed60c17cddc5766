"""The Export guide and Map columns pages, driven as a user does."""

from __future__ import annotations

import csv
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QWizard

from migration_assistant.core.mapping_store import load_saved
from migration_assistant.gui.pages import ids
from migration_assistant.gui.session import load_session
from tests.gui.driving import (
    TIMEOUT,
    add_by_drop,
    choose_column,
    choose_template_source,
    click_next,
)
from tests.gui.exports import CLIENT_EMAIL, CLIENT_FIRST, write_csv, write_small_export


def next_enabled(wizard: QWizard) -> bool:
    return wizard.button(QWizard.WizardButton.NextButton).isEnabled()


def tick(qtbot, box) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))


def rename_column(path: Path, old: str, new: str | None) -> None:
    """Rename (or, with None, drop) one column of a CSV file."""
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    at = rows[0].index(old)
    if new is None:
        rows = [r[:at] + r[at + 1 :] for r in rows]
    else:
        rows[0][at] = new
    write_csv(path, rows[0], rows[1:])


def field_row(page, title: str) -> int:  # type: ignore[no-untyped-def]
    titles = [
        page.fields.item(r, page.FIELD).text().removesuffix(" (needed)")
        for r in range(page.fields.rowCount())
    ]
    return titles.index(title)


def select_file(page, name: str) -> None:  # type: ignore[no-untyped-def]
    for row in range(page.files.count()):
        if page.files.item(row).text().split("\n")[0] == name:
            page.files.setCurrentRow(row)
            return
    raise AssertionError(f"{name} is not listed")


# --- the export guide ----------------------------------------------------------------------------------------


def test_export_guide_steps_can_be_ticked_and_never_hold_next(qtbot, wizard) -> None:
    click_next(qtbot, wizard)
    qtbot.keyClicks(wizard.currentPage().search, "PCLaw")
    click_next(qtbot, wizard)
    assert wizard.currentId() == ids.EXPORT_GUIDE
    guide = wizard.currentPage()
    profile = wizard.state.catalog["pclaw"]
    assert guide.title() == "Export your data from PCLaw"
    assert [c.text() for c in guide.checks] == [f"{n}. {s.title}" for n, s in enumerate(profile.guide, 1)]
    # Nothing ticked, and Next still works: the page says so.
    assert next_enabled(wizard)
    assert "you can press Next" in guide.progress.text()
    # The exports with what each holds, its format and the file names to expect; honest about menus.
    exports = guide.exports.text()
    assert "client-matter-list.csv" in exports and "Format: CSV" in exports
    assert "as far as we know it" in guide.honesty.text()
    help_text = guide.help_text.text()
    for words in ("screen", "administrator", "cut-off date", "privacy mode"):
        assert words in help_text
    assert guide.help_box.title() == "Having trouble? Book an export session"

    tick(qtbot, guide.checks[0])
    tick(qtbot, guide.checks[2])
    assert wizard.state.guide_done == {"pclaw": [profile.guide[0].title, profile.guide[2].title]}
    assert "2 of" in guide.progress.text()
    tick(qtbot, guide.checks[2])
    assert wizard.state.guide_done == {"pclaw": [profile.guide[0].title]}

    # Ticks stay when the user goes back and forth, and are saved with the session.
    wizard.back()
    click_next(qtbot, wizard)
    assert [c.isChecked() for c in guide.checks][:2] == [True, False]
    click_next(qtbot, wizard)
    assert wizard.currentId() == ids.FILES
    saved = load_session()
    assert saved is not None and saved.guide_done == {"pclaw": [profile.guide[0].title]}

    # "Switch on privacy mode now" does what it says.
    wizard.back()
    qtbot.mouseClick(guide.privacy_now, Qt.MouseButton.LeftButton)
    assert wizard.privacy.enabled and not guide.privacy_now.isEnabled()


def test_export_guide_without_a_chosen_system_says_so(qtbot, wizard) -> None:
    click_next(qtbot, wizard)
    source = wizard.currentPage()
    source.list.setCurrentRow(source.list.count() - 1)  # "I'm not sure"
    click_next(qtbot, wizard)
    guide = wizard.currentPage()
    assert "no step-by-step guide" in guide.honesty.text()
    assert guide.checks == [] and not guide.steps_box.isVisibleTo(guide)
    assert next_enabled(wizard)


def test_templates_can_be_saved_from_the_guide(qtbot, wizard, dialogs, tmp_path: Path) -> None:
    click_next(qtbot, wizard)
    qtbot.keyClicks(wizard.currentPage().search, "templ")
    click_next(qtbot, wizard)
    guide = wizard.currentPage()
    assert guide.templates_row.isVisibleTo(guide)
    dialogs.save_paths.append(tmp_path / "my-templates")
    qtbot.mouseClick(guide.templates_button, Qt.MouseButton.LeftButton)
    saved = tmp_path / "my-templates.xlsx"
    assert saved.read_bytes()[:2] == b"PK"
    assert "Templates saved" in guide.templates_note.text()


# --- map columns -----------------------------------------------------------------------------------------------


def test_a_changed_column_is_used_by_the_check_and_remembered_next_time(
    qtbot, make_wizard, tmp_path: Path
) -> None:
    folder = write_small_export(tmp_path / "export")
    rename_column(folder / "contacts.csv", "Email", "E-mail address")
    wizard = make_wizard()
    choose_template_source(qtbot, wizard)
    add_by_drop(qtbot, wizard, [folder])
    click_next(qtbot, wizard)
    page = wizard.currentPage()
    assert wizard.currentId() == ids.MAP_COLUMNS
    select_file(page, "contacts.csv")
    row = field_row(page, "Email")
    box = page.fields.cellWidget(row, page.COLUMN)
    # Templates need exact headings: the similar one is only suggested, never applied.
    assert box.currentText() == "— not in this file —"
    assert "Maybe “E-mail address”" in page.fields.item(row, page.SURE).text()
    assert "E-mail address" in page.extra.text() and "custom fields" in page.extra.text()
    assert page.fields.item(field_row(page, "Contact ID"), page.SURE).text() == "Same name (100%)"

    choose_column(qtbot, wizard, "contacts.csv", "Email", "E-mail address")
    assert page.fields.item(row, page.SURE).text() == "Your choice"
    assert "E-mail address" not in page.extra.text()
    assert wizard.state.mappings == {"contacts.csv": {"contacts": {"Email": "E-mail address"}}}
    assert load_saved("template").columns == {"contacts": {"Email": "E-mail address"}}

    # The check maps the column as chosen: the bad e-mail address is found in it.
    click_next(qtbot, wizard)
    qtbot.waitUntil(wizard.currentPage().isComplete, timeout=TIMEOUT)
    report = wizard.state.result.report
    bad = [f for f in report.findings if f.rule == "invalid-email"]
    assert [(f.file, f.column, f.value) for f in bad] == [("contacts.csv", "E-mail address", CLIENT_EMAIL)]
    assert not any(f.rule == "unmapped-columns" and f.file == "contacts.csv" for f in report.findings)
    wizard.close()

    # Next time (a new run, not a resume) the choice is remembered for this software.
    again = make_wizard(save_sessions=False)
    choose_template_source(qtbot, again)
    add_by_drop(qtbot, again, [folder])
    click_next(qtbot, again)
    page = again.currentPage()
    select_file(page, "contacts.csv")
    assert page.fields.cellWidget(row, page.COLUMN).currentText() == "E-mail address"
    assert page.fields.item(row, page.SURE).text() == "Your choice"

    # "Use the suggestions again" forgets it, here and for next time.
    qtbot.mouseClick(page.reset_button, Qt.MouseButton.LeftButton)
    assert page.fields.cellWidget(row, page.COLUMN).currentText() == "— not in this file —"
    assert load_saved("template").columns == {}


def test_a_missing_needed_field_holds_next_with_the_reason(qtbot, wizard, tmp_path: Path) -> None:
    folder = write_small_export(tmp_path / "export")
    rename_column(folder / "activities.csv", "User ID", None)
    choose_template_source(qtbot, wizard)
    add_by_drop(qtbot, wizard, [folder])
    click_next(qtbot, wizard)
    page = wizard.currentPage()
    assert wizard.currentId() == ids.MAP_COLUMNS
    assert not next_enabled(wizard)
    reason = page.blocked.text()
    assert "activities.csv" in reason and "“User ID”" in reason and "Leave this file out" in reason
    assert page.blocked.isVisible()
    # The file needing attention is the one shown, and its list entry says why.
    assert page.files.currentItem().text().startswith("activities.csv")
    assert "1 needed field without a column" in page.files.currentItem().text()
    row = field_row(page, "User ID")
    assert "Needed" in page.fields.item(row, page.SURE).text()

    # Choosing a column releases Next; going back to "not in this file" holds it again.
    choose_column(qtbot, wizard, "activities.csv", "User ID", "Activity Code")
    assert next_enabled(wizard) and not page.blocked.isVisible()
    box = page.fields.cellWidget(row, page.COLUMN)
    box.setCurrentIndex(box.findData(""))
    assert not next_enabled(wizard)

    # Leaving the file out releases Next too, and the check skips the file and says so.
    tick(qtbot, page.leave_out)
    assert next_enabled(wizard)
    assert "Left out" in page.files.currentItem().text()
    assert not box.isEnabled()
    click_next(qtbot, wizard)
    qtbot.waitUntil(wizard.currentPage().isComplete, timeout=TIMEOUT)
    report = wizard.state.result.report
    assert "activities" not in report.records
    assert [f.rule for f in report.findings if f.file == "activities.csv"] == ["left-out-file"]
    assert load_session().left_out == ["activities.csv"]
    # Back on Add your files, the file says it is left out.
    wizard.back()
    wizard.back()
    files = wizard.currentPage()
    assert wizard.currentId() == ids.FILES
    notes = {
        files.table.item(r, files.FILE).text(): files.table.item(r, files.NOTE).text()
        for r in range(files.table.rowCount())
    }
    assert notes["activities.csv"].startswith("Left out at your request")


def test_the_preview_hides_client_data_in_privacy_mode(qtbot, wizard, export_dir: Path) -> None:
    choose_template_source(qtbot, wizard)
    add_by_drop(qtbot, wizard, [export_dir])
    click_next(qtbot, wizard)
    page = wizard.currentPage()
    select_file(page, "contacts.csv")

    def cells(column: str) -> list[str]:
        heads = [
            page.preview.horizontalHeaderItem(c).text().split("\n")[0]
            for c in range(page.preview.columnCount())
        ]
        at = heads.index(column)
        return [page.preview.item(r, at).text() for r in range(page.preview.rowCount())]

    assert page.preview.rowCount() == 4
    assert cells("First Name")[0] == CLIENT_FIRST
    wizard.privacy.set_enabled(True)
    assert CLIENT_FIRST not in cells("First Name") and "\u2022" in cells("First Name")[0]
    assert "\u2022" in cells("Email")[0]
    assert cells("Contact ID")[0] == "C001"  # identifiers stay: they help find the row
    assert "privacy mode is on" in page.preview_label.text()
    wizard.privacy.set_enabled(False)
    assert cells("First Name")[0] == CLIENT_FIRST


def test_a_standard_format_file_has_nothing_to_map(qtbot, wizard, export_dir: Path) -> None:
    (export_dir / "cards.vcf").write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:V1\r\nN:Reed;Marcus;;;\r\nFN:Marcus Reed\r\n"
        "EMAIL:marcus@example.com\r\nEND:VCARD\r\n",
        encoding="utf-8",
    )
    choose_template_source(qtbot, wizard)
    add_by_drop(qtbot, wizard, [export_dir])
    click_next(qtbot, wizard)
    page = wizard.currentPage()
    select_file(page, "cards.vcf")
    assert "standard vCard file" in page.extra.text()
    boxes = [page.fields.cellWidget(r, page.COLUMN) for r in range(page.fields.rowCount())]
    assert boxes and not any(b.isEnabled() for b in boxes)
    assert not page.reset_button.isEnabled()
