"""The Review page's balances brought forward and report buttons, and the firm's country for the dates."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt

from migration_assistant.gui.firm_place import COUNTRY_KEY, SUBDIV_KEY
from migration_assistant.gui.pages import ids
from migration_assistant.gui.privacy_view import MASK
from tests.gui.driving import TIMEOUT, go_to_review
from tests.gui.exports import CLIENT_EMAIL, CLIENT_WORDS, write_csv

TRUST = ["Transaction ID", "Date", "Client ID", "Matter Number", "Type", "Amount", "Reference", "Description"]
BILLS = ["Invoice Number", "Matter Number", "Issue Date", "Due Date", "Total", "Amount Paid", "Status"]


def add_money(folder: Path) -> Path:
    """Trust 1,000.00 in and 250.00 out on M-001; a 500.00 bill with 200.00 paid; a void bill."""
    write_csv(
        folder / "trust.csv",
        TRUST,
        [
            ["T1", "2024-03-01", "C001", "M-001", "Deposit", "1,000.00", "CHQ 1", "Retainer"],
            ["T2", "2024-03-05", "C001", "M-001", "Withdrawal", "250.00", "CHQ 2", "Fees"],
        ],
    )
    write_csv(
        folder / "bills.csv",
        BILLS,
        [
            ["INV-1", "M-001", "2024-03-10", "2024-04-10", "500.00", "200.00", "Partial"],
            ["INV-2", "M-001", "2024-03-11", "2024-04-11", "900.00", "0.00", "Void"],
        ],
    )
    return folder


def saved(qtbot, review) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: review._saving is None, timeout=TIMEOUT)


def test_balances_show_the_totals_and_hide_amounts_in_privacy_mode(qtbot, wizard, export_dir: Path) -> None:
    go_to_review(qtbot, wizard, add_money(export_dir))
    review = wizard.currentPage()
    review.tabs.setCurrentIndex(1)
    view = review.balances_view
    # Trust 1,000 - 250; A/R 500 - 200 (the void bill owes nothing); unbilled: the one 450.00 entry.
    totals = view.totals.text()
    assert "Trust held: <b>750.00</b>" in totals
    assert "Accounts receivable: <b>300.00</b>" in totals
    assert "Unbilled work: <b>450.00</b>" in totals
    assert view.model.rowCount() == 1
    assert [view.model.text(0, c) for c in range(5)] == ["M-001", "C001", "750.00", "300.00", "450.00"]
    assert "three ways" in view.reconcile.title() and "bank statement" in view.explanation.text()

    wizard.privacy.set_enabled(True)
    assert view.displayed_amounts() == [MASK, MASK, MASK]
    assert view.model.text(0, 0) == "M-001"  # matter numbers help find the line
    assert "each matter's amounts are hidden" in view.privacy_note.text()
    wizard.privacy.set_enabled(False)
    assert view.displayed_amounts() == ["750.00", "300.00", "450.00"]


def test_balances_are_saved_as_csv_through_the_dialog_service(
    qtbot, wizard, dialogs, export_dir: Path, tmp_path: Path
) -> None:
    go_to_review(qtbot, wizard, add_money(export_dir))
    review = wizard.currentPage()
    review.tabs.setCurrentIndex(1)
    target = tmp_path / "out" / "balances"
    dialogs.save_paths.append(target)
    qtbot.mouseClick(review.balances_view.save_button, Qt.MouseButton.LeftButton)
    saved(qtbot, review)
    text = (tmp_path / "out" / "balances.csv").read_text(encoding="utf-8-sig")
    assert "M-001,C001,750.00,300.00,450.00" in text and "Firm total" in text
    assert "was saved" in review.reports_notice.text()


def test_report_buttons_write_the_html_and_excel_reports(
    qtbot, wizard, dialogs, export_dir: Path, tmp_path: Path
) -> None:
    go_to_review(qtbot, wizard, add_money(export_dir))
    review = wizard.currentPage()
    html = tmp_path / "report.html"
    xlsx = tmp_path / "report.xlsx"

    dialogs.save_paths.append(html)
    qtbot.mouseClick(review.html_button, Qt.MouseButton.LeftButton)
    assert not review.html_button.isEnabled()  # written in a worker; the buttons wait for it
    saved(qtbot, review)
    page = html.read_text(encoding="utf-8")
    assert CLIENT_EMAIL in page and "750.00" in page
    assert str(html) in review.reports_notice.text()

    dialogs.save_paths.append(xlsx)
    qtbot.mouseClick(review.xlsx_button, Qt.MouseButton.LeftButton)
    saved(qtbot, review)
    book = load_workbook(xlsx, read_only=True)
    assert "Summary" in book.sheetnames
    book.close()

    # Privacy mode: the HTML report is the privacy-safe one, and the page says so.
    wizard.privacy.set_enabled(True)
    assert "reports saved now hide client" in review.reports_notice.text()
    private = tmp_path / "private.html"
    dialogs.save_paths.append(private)
    qtbot.mouseClick(review.html_button, Qt.MouseButton.LeftButton)
    saved(qtbot, review)
    text = private.read_text(encoding="utf-8")
    assert not any(word in text for word in CLIENT_WORDS)
    assert "privacy mode is on" in review.reports_notice.text()
    assert dialogs.calls[-1][2].endswith("migration-check-report-privacy.html")  # the suggested name says so

    # An existing file is replaced only when the user agrees.
    before = html.read_bytes()
    dialogs.save_paths.append(html)
    dialogs.confirms.append(False)
    qtbot.mouseClick(review.html_button, Qt.MouseButton.LeftButton)
    assert review._saving is None and html.read_bytes() == before
    assert dialogs.kinds()[-1] == "confirm"


def test_the_firms_country_and_state_date_the_timeline(qtbot, wizard, settings, export_dir: Path) -> None:
    welcome = wizard.currentPage()
    box = welcome.place
    box.country.setCurrentIndex(box.country.findData("CA"))
    assert box.subdiv.isVisible()
    box.subdiv.setCurrentIndex(box.subdiv.findData("ON"))
    assert (wizard.state.firm_country, wizard.state.firm_subdiv) == ("CA", "ON")
    assert settings.value(COUNTRY_KEY) == "CA" and settings.value(SUBDIV_KEY) == "ON"
    assert "(Ontario, Canada)" in welcome.timeline._summary.text()

    # The plan for the check uses it, and so does the Done page; the session keeps it.
    go_to_review(qtbot, wizard, export_dir)
    plan = wizard.ctx.timeline
    assert plan is not None and (plan.country, plan.subdiv) == ("CA", "ON")
    done = wizard.page(ids.DONE)
    done.initializePage()
    assert "(Ontario, Canada)" in done.timeline._summary.text()
    assert done.place.subdiv.currentData() == "ON"
    session = wizard.state.to_session(ids.REVIEW, False)
    assert (session.firm_country, session.firm_subdiv) == ("CA", "ON")
    # Changed on the Done page: the Welcome page follows.
    done.place.country.setCurrentIndex(done.place.country.findData("GB"))
    assert wizard.state.firm_subdiv is None and welcome.place.country.currentData() == "GB"
    assert wizard.ctx.timeline.country == "GB"


def test_privacy_reports_hide_what_a_blocker_quotes(qtbot, wizard, export_dir: Path) -> None:
    from migration_assistant.core.checklist import Checklist, ChecklistItem

    go_to_review(qtbot, wizard, export_dir)
    review = wizard.currentPage()
    quoted = "1 blocking problem(s) of this kind remain: “Eleanor Vance” cannot be read."
    wizard.state.checklist = Checklist(
        "template",
        [
            ChecklistItem("blocker:x", quoted, "why", "Fix “eleanor.vance@example”.", "finding", 1, True),
            ChecklistItem("target:y", "Rates are not migrated.", "why", "Print them.", "target"),
        ],
    )
    shown = review._checklist_for_report(privacy=True)
    assert not any(word in f"{i.what} {i.instead}" for i in shown.items for word in CLIENT_WORDS)
    assert shown.items[1].what == "Rates are not migrated."
    assert wizard.state.checklist.items[0].what == quoted  # the real checklist is untouched
    assert review._checklist_for_report(privacy=False) is wizard.state.checklist


def test_excel_report_save_shows_progress_and_stops_cleanly(
    qtbot, wizard, dialogs, export_dir: Path, tmp_path: Path, monkeypatch
) -> None:
    import time

    from migration_assistant.core.reports import xlsx_report

    monkeypatch.setattr(xlsx_report, "_STEP", 2)
    real = xlsx_report.iter_workbook

    def slow_workbook(*args, **kwargs):  # type: ignore[no-untyped-def]
        steps = real(*args, **kwargs)
        while True:
            try:
                step = next(steps)
            except StopIteration as end:
                return end.value
            time.sleep(0.02)  # a big export's pace, so the progress can be seen and stopped
            yield step

    monkeypatch.setattr(xlsx_report, "iter_workbook", slow_workbook)
    go_to_review(qtbot, wizard, export_dir)
    review = wizard.currentPage()
    target = tmp_path / "report.xlsx"
    dialogs.save_paths.append(target)
    qtbot.mouseClick(review.xlsx_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "%" in review.reports_notice.text(), timeout=TIMEOUT)
    assert review.reports_notice.text().startswith("Saving report.xlsx…")
    review._saving.cancel()  # what leaving the page or closing the wizard does
    saved(qtbot, review)
    assert review.reports_notice.text() == "The report was not saved."
    assert review.xlsx_button.isEnabled()
    assert not target.exists() and list(tmp_path.glob("report*")) == []


def test_review_columns_fit_the_table_and_never_clip_a_heading(qtbot, wizard, export_dir: Path) -> None:
    from PySide6.QtGui import QFontMetrics

    from migration_assistant.gui.models import FindingsModel

    go_to_review(qtbot, wizard, export_dir)
    review = wizard.currentPage()
    table = review.table

    def check() -> None:
        heading = QFontMetrics(table.horizontalHeader().font())
        shown = [c for c in range(review.proxy.columnCount()) if not table.isColumnHidden(c)]
        for column in shown:
            text = FindingsModel.HEADERS[column]
            assert table.columnWidth(column) >= heading.horizontalAdvance(text), text
        # The problem text keeps 45 % of the table, or what the headings (and the file names,
        # never cut to "Clie…") leave when they need more.
        others = sum(table.columnWidth(c) for c in shown if c != FindingsModel.PROBLEM)
        cells = table.fontMetrics()
        names = max(cells.horizontalAdvance(r.finding.file) + 16 for r in review.model.findings())
        file_floor = min(names, cells.horizontalAdvance("Time and expenses.csv") + 16)
        floors = sum(
            max(
                heading.horizontalAdvance(FindingsModel.HEADERS[c]) + 28,
                file_floor if c == FindingsModel.FILE else 0,
            )
            for c in shown
            if c != FindingsModel.PROBLEM
        )
        assert others <= max(0.55 * table.viewport().width(), floors) + len(shown), (others, floors)
        assert table.columnWidth(FindingsModel.PROBLEM) >= table.viewport().width() - others - 1
        assert sum(table.columnWidth(c) for c in shown) <= table.viewport().width() + 1

    qtbot.waitUntil(lambda: table.columnWidth(FindingsModel.PROBLEM) > 0, timeout=TIMEOUT)
    check()
    # Fitted again when the window, and so the table, gets narrower or wider.
    for width in (1100, 1400):
        before = table.viewport().width()
        wizard.resize(width, 800)
        qtbot.waitUntil(lambda before=before: table.viewport().width() != before, timeout=TIMEOUT)
        check()


def test_fit_widths_shares_the_room_and_keeps_every_floor() -> None:
    from migration_assistant.gui.widgets.column_fit import fit_widths

    wanted = {0: 100, 1: 200, 2: 300}
    assert fit_widths(wanted, {0: 10, 1: 10, 2: 10}, 1000) == wanted  # room enough: as wanted
    assert fit_widths(wanted, {0: 10, 1: 10, 2: 10}, 300) == {0: 50, 1: 100, 2: 150}
    # Column 0 would shrink to 50, below its floor of 90: it keeps 90, the others share the rest.
    fitted = fit_widths(wanted, {0: 90, 1: 10, 2: 10}, 300)
    assert fitted[0] == 90 and sum(fitted.values()) in (299, 300) and fitted[2] > fitted[1]
    # Floors larger than the room win: nothing goes below them.
    assert fit_widths(wanted, {0: 90, 1: 150, 2: 200}, 300) == {0: 90, 1: 150, 2: 200}


@pytest.mark.skipif(not hasattr(os, "fchmod"), reason="file modes are POSIX")
def test_the_firm_key_saved_over_a_readable_file_is_private_afterwards(tmp_path: Path) -> None:
    from migration_assistant.core.package import keystore
    from migration_assistant.gui.closing import save_key_file
    from migration_assistant.gui.dialogs import ScriptedDialogs

    keystore.firm_identity()  # the firm's key exists (in the tests' in-memory keyring)
    target = tmp_path / "firm-migration-key.txt"
    target.write_text("an old file anyone could read\n", encoding="ascii")
    target.chmod(0o644)
    assert save_key_file(None, ScriptedDialogs(save_paths=[target]))
    assert "AGE-SECRET-KEY-" in target.read_text(encoding="ascii")
    assert target.stat().st_mode & 0o777 == 0o600
