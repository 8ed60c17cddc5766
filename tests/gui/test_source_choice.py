"""Your old software: searching names the program asked for; Add files offers a clearly better match."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from migration_assistant.gui.pages import ids
from tests.gui.driving import TIMEOUT, add_by_drop, click_next

CLIO = Path(__file__).resolve().parents[1] / "data" / "real_exports" / "clio"


def _visible(page) -> list[str]:  # type: ignore[no-untyped-def]
    items = [page.list.item(i) for i in range(page.list.count())]
    return [str(item.data(Qt.ItemDataRole.UserRole + 1)) for item in items if not item.isHidden()]


def test_clio_is_listed_and_searching_it_shows_only_clio(qtbot, wizard) -> None:
    click_next(qtbot, wizard)
    page = wizard.currentPage()
    assert "clio" in _visible(page)
    qtbot.keyClicks(page.search, "Clio")
    # PracticePanther's and MyCase's descriptions mention Clio's guides: they are not what was asked for.
    assert _visible(page) == ["clio", "auto"]
    assert page.isComplete() and page.list.currentItem().data(Qt.ItemDataRole.UserRole + 1) == "clio"
    # A word only a description holds still finds the program.
    page.search.clear()
    qtbot.keyClicks(page.search, "Display Name")
    assert "practicepanther" in _visible(page)


def test_add_files_offers_the_program_the_files_match(qtbot, wizard) -> None:
    click_next(qtbot, wizard)
    qtbot.keyClicks(wizard.currentPage().search, "PCLaw")
    click_next(qtbot, wizard)
    click_next(qtbot, wizard)
    assert wizard.currentId() == ids.FILES
    page = wizard.currentPage()
    add_by_drop(qtbot, wizard, [CLIO])
    assert page.mismatch.isVisible() and "not PCLaw" in page.mismatch.text()
    assert page.use_better_button.isVisible()
    assert page.use_better_button.text() == "&Use Clio Manage instead"
    qtbot.mouseClick(page.use_better_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.reading and wizard.state.source_id == "clio", timeout=TIMEOUT)
    qtbot.waitUntil(
        lambda: {e.role for e in wizard.state.files} == {"contacts", "matters", "activities"}, timeout=TIMEOUT
    )
    assert not page.mismatch.isVisible() and not page.use_better_button.isVisible()
