"""Nothing lost, in the wizard: files in a folder that are not read are listed on Add your files;
the balances say how many unbilled entries had their amount worked out or were left out."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from migration_assistant.core.balances import COLUMNS, Balances
from migration_assistant.gui.widgets.balances import BalancesView
from tests.gui.driving import add_by_drop, choose_template_source


def test_files_page_lists_the_files_it_does_not_read(qtbot, wizard, export_dir: Path) -> None:
    (export_dir / "scan.pdf").write_bytes(b"%PDF-1.4")
    (export_dir / "Thumbs.db").write_bytes(b"\x00")
    choose_template_source(qtbot, wizard)
    add_by_drop(qtbot, wizard, [export_dir])
    page = wizard.currentPage()
    rows = {
        page.table.item(r, page.FILE).text(): (
            page.table.item(r, page.ROLE),
            page.table.item(r, page.NOTE).text(),
        )
        for r in range(page.table.rowCount())
    }
    assert set(rows) == {"users.csv", "contacts.csv", "matters.csv", "activities.csv", "scan.pdf"}
    role, note = rows["scan.pdf"]
    assert role is not None and role.text() == "Not checked"
    assert note.startswith("Not checked: it is a PDF document, not a table of records.")
    assert "1 file of a kind the app does not read" in page.problems.text()
    # The readable files are still what the check runs on.
    assert len(wizard.state.files) == 4 and page.isComplete()


def test_balances_note_counts_amounts_worked_out_and_left_out(qtbot) -> None:
    view = BalancesView()
    qtbot.addWidget(view)
    table = pd.DataFrame({c: pd.Series(dtype=object if i < 2 else "float64") for i, c in enumerate(COLUMNS)})
    balances = Balances(table, 0.0, 0.0, 0.0, None, False, False, True, (), amounts_derived=2)
    view.set_balances(balances, privacy=False)
    assert (
        view.notes.text() == "Unbilled work: 2 entries have no amount, so hours × rate was counted instead."
    )
    assert view.notes.property("kind") == "info"
    view.set_balances(Balances(table, 0.0, 0.0, 0.0, None, False, False, True, (), amounts_missing=1), False)
    assert "1 entry has no amount and no hours × rate either, and was left out" in view.notes.text()
    assert view.notes.property("kind") == "warning"
