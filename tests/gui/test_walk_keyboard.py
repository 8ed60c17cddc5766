"""The wizard walked by keyboard and mouse as a bookkeeper walks it (issue 17).

Resume after going Back to Welcome, Enter after a check, one mnemonic per letter on every
page, Tab from the last checklist box to the name, buttons that stay put, "Open a package…"
from any page, steps that can be clicked, and a Review page that gives the problems the room.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QGroupBox, QLabel, QTabBar, QWidget, QWizard

from migration_assistant.core.api import AMOUNTS, CLIENT, MATTER, Balances
from migration_assistant.gui.pages import ids
from migration_assistant.gui.privacy_view import MASK
from migration_assistant.gui.session import load_session
from migration_assistant.gui.widgets.balances import BalancesView
from migration_assistant.gui.widgets.firm_place_box import WHOLE_COUNTRY
from migration_assistant.gui.wizard import MigrationWizard
from tests.gui.driving import (
    TIMEOUT,
    acknowledge_everything,
    add_by_drop,
    choose_template_source,
    click_next,
    go_to_check,
    go_to_limitations,
    go_to_review,
)

_MNEMONIC = re.compile(r"(?<!&)&([^&\s])")


def mnemonics(wizard: QWizard) -> dict[str, list[str]]:
    """Letter -> the visible controls whose Alt+letter it is (buttons, buddy labels, group boxes, tabs)."""
    found: dict[str, list[str]] = {}

    def add(text: str) -> None:
        for letter in _MNEMONIC.findall(text.replace("&&", "")):
            found.setdefault(letter.lower(), []).append(text)

    for widget in wizard.findChildren(QWidget):
        if not widget.isVisible():
            continue
        if isinstance(widget, QAbstractButton) or (isinstance(widget, QLabel) and widget.buddy() is not None):
            add(widget.text())
        elif isinstance(widget, QGroupBox):
            add(widget.title())
        elif isinstance(widget, QTabBar):
            for index in range(widget.count()):
                add(widget.tabText(index))
    return found


def duplicates(wizard: QWizard) -> dict[str, list[str]]:
    return {letter: texts for letter, texts in mnemonics(wizard).items() if len(texts) > 1}


def button_places(wizard: QWizard) -> tuple[QRect | None, QRect]:
    """Where Back (None where it is hidden) and the forward button (Next or Finish) are, in the window."""
    back = wizard.button(QWizard.WizardButton.BackButton)
    forward = wizard.button(QWizard.WizardButton.NextButton)
    if not forward.isVisible():
        forward = wizard.button(QWizard.WizardButton.FinishButton)
    return (
        QRect(back.mapTo(wizard, QPoint(0, 0)), back.size()) if back.isVisible() else None,
        QRect(forward.mapTo(wizard, QPoint(0, 0)), forward.size()),
    )


def test_mnemonics_are_unique_and_buttons_stay_put_on_every_page(
    qtbot, wizard: MigrationWizard, export_dir: Path
) -> None:
    seen: dict[int, tuple[QRect | None, QRect]] = {}

    def look() -> None:
        QApplication.processEvents()
        assert duplicates(wizard) == {}, f"page {wizard.currentId()}"
        seen[wizard.currentId()] = button_places(wizard)

    look()
    click_next(qtbot, wizard)
    look()
    choose_template_source(qtbot, wizard)
    look()
    add_by_drop(qtbot, wizard, [export_dir])
    look()
    click_next(qtbot, wizard)
    look()
    click_next(qtbot, wizard)
    qtbot.waitUntil(wizard.currentPage().isComplete, timeout=TIMEOUT)
    look()
    click_next(qtbot, wizard)
    look()
    review = wizard.currentPage()
    review.tabs.setCurrentIndex(1)  # the balances tab has its own buttons
    look()
    review.tabs.setCurrentIndex(0)
    click_next(qtbot, wizard)
    look()
    acknowledge_everything(qtbot, wizard.currentPage())
    click_next(qtbot, wizard)
    look()
    assert wizard.currentId() == ids.PACKAGE
    # Next says "Start", "Next: match columns", "Check my files"…: Back and Next never move.
    backs = {(back.x(), back.width()) for back, _ in seen.values() if back is not None}
    forwards = {(forward.x(), forward.width()) for _, forward in seen.values()}
    assert len(backs) == 1 and len(forwards) == 1, seen


def test_alt_b_on_review_goes_back_and_alt_n_on_the_checklist_goes_next(
    qtbot, wizard: MigrationWizard, export_dir: Path
) -> None:
    go_to_limitations(qtbot, wizard, export_dir)
    page = wizard.currentPage()
    acknowledge_everything(qtbot, page)
    qtbot.keyClick(page.name, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: wizard.currentId() == ids.PACKAGE, timeout=TIMEOUT)
    wizard.back()
    wizard.back()
    assert wizard.currentId() == ids.REVIEW
    review = wizard.currentPage()
    qtbot.keyClick(review.table, Qt.Key.Key_B, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: wizard.currentId() == ids.CHECK, timeout=TIMEOUT)


def test_tab_after_the_last_checklist_box_goes_to_the_name(
    qtbot, wizard: MigrationWizard, export_dir: Path
) -> None:
    go_to_limitations(qtbot, wizard, export_dir)
    page = wizard.currentPage()
    assert len(page.views) >= 2
    first, last = page.views[0].check, page.views[-1].check
    assert (
        first.nextInFocusChain() is page.views[1].check or first.nextInFocusChain().focusProxy() is not None
    )
    last.setFocus()
    qtbot.keyClick(last, Qt.Key.Key_Tab)
    assert wizard.focusWidget() is page.name


def test_enter_after_the_check_goes_on_to_review(qtbot, wizard: MigrationWizard, export_dir: Path) -> None:
    choose_template_source(qtbot, wizard)
    add_by_drop(qtbot, wizard, [export_dir])
    go_to_check(qtbot, wizard)
    check = wizard.currentPage()
    qtbot.waitUntil(check.isComplete, timeout=TIMEOUT)
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    assert wizard.focusWidget() is next_button, "the focus was left on a vanished button"
    assert next_button.isDefault()
    qtbot.keyClick(wizard.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: wizard.currentId() == ids.REVIEW, timeout=TIMEOUT)


def test_resume_after_going_back_to_welcome(qtbot, make_wizard, export_dir: Path) -> None:
    first = make_wizard()
    go_to_review(qtbot, first, export_dir)
    # Back to Welcome in one click on the steps list (it used to take nine presses of Back).
    welcome_step = first.steps.label(ids.WELCOME)
    qtbot.mouseClick(welcome_step, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: first.currentId() == ids.WELCOME, timeout=TIMEOUT)
    saved = load_session()
    assert saved is not None and saved.current_page == ids.REVIEW, (
        "saved as “at Welcome”: Resume would go nowhere"
    )
    welcome = first.currentPage()
    assert welcome.resume_box.isVisible()
    assert "Review problems" in welcome.resume_text.text()
    # The steps reached stay clickable from Welcome.
    assert first.steps.label(ids.REVIEW).toolTip()
    qtbot.mouseClick(welcome.resume_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: first.currentId() == ids.REVIEW, timeout=TIMEOUT)
    first.close()

    second = make_wizard()  # a relaunch
    welcome = second.currentPage()
    assert "Review problems" in welcome.resume_text.text()
    qtbot.mouseClick(welcome.resume_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: second.currentId() == ids.REVIEW, timeout=TIMEOUT)


def test_a_step_reached_can_be_clicked_forward_again(
    qtbot, wizard: MigrationWizard, export_dir: Path
) -> None:
    go_to_review(qtbot, wizard, export_dir)
    qtbot.mouseClick(wizard.steps.label(ids.FILES), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.currentId() == ids.FILES, timeout=TIMEOUT)
    assert not wizard.steps.label(ids.PACKAGE).toolTip(), "a step never reached is not a link"
    qtbot.mouseClick(wizard.steps.label(ids.REVIEW), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.currentId() == ids.REVIEW, timeout=TIMEOUT)


@pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)$")  # offscreen, a dialog
def test_open_a_package_from_any_page(qtbot, wizard: MigrationWizard, export_dir: Path) -> None:
    go_to_review(qtbot, wizard, export_dir)
    welcome = wizard.page_object(ids.WELCOME)
    qtbot.keyClick(wizard.currentPage().table, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    dialog = welcome.package_dialog
    assert dialog is not None and dialog.isVisible()
    dialog.reject()
    qtbot.mouseClick(wizard.open_package_button, Qt.MouseButton.LeftButton)
    assert welcome.package_dialog is not None and welcome.package_dialog.isVisible()
    welcome.package_dialog.reject()


def test_review_gives_the_problems_the_room(qtbot, make_wizard, export_dir: Path) -> None:
    wizard = make_wizard()
    wizard.resize(1024, 700)
    wizard.privacy.set_enabled(True)  # its banner takes two lines
    go_to_review(qtbot, wizard, export_dir)
    review = wizard.currentPage()
    qtbot.waitUntil(lambda: review.table.viewport().height() > 0, timeout=TIMEOUT)
    rows = review.table.viewport().height() // review.table.rowHeight(0)
    assert rows >= 6, f"only {rows} problem rows in view"
    metrics = review.table.fontMetrics()
    file_column = review.table.columnWidth(review.model.FILE)
    names = {r.finding.file for r in review.model.findings()}
    assert file_column >= min(metrics.horizontalAdvance(n) for n in names) + 8, "file names are cut off"


def test_the_preview_shows_all_its_rows(qtbot, make_wizard, export_dir: Path) -> None:
    wizard = make_wizard()
    wizard.resize(1024, 700)
    choose_template_source(qtbot, wizard)
    add_by_drop(qtbot, wizard, [export_dir])
    click_next(qtbot, wizard)
    page = wizard.currentPage()
    preview = page.preview
    qtbot.waitUntil(lambda: preview.rowCount() > 0, timeout=TIMEOUT)
    wanted = sum(preview.rowHeight(r) for r in range(preview.rowCount()))
    assert preview.viewport().height() >= wanted


def test_the_sample_firm_is_in_toronto_and_the_place_fits(qtbot, wizard: MigrationWizard) -> None:
    assert wizard.start_sample()
    assert (wizard.state.firm_country, wizard.state.firm_subdiv) == ("CA", "ON")
    place = wizard.page_object(ids.WELCOME).place
    place.subdiv.setCurrentIndex(0)
    assert place.subdiv.currentText() == WHOLE_COUNTRY
    assert place.subdiv.sizeHint().width() >= place.subdiv.fontMetrics().horizontalAdvance(WHOLE_COUNTRY)


def test_a_trust_ledger_below_zero_is_named(qtbot) -> None:
    table = pd.DataFrame(
        {
            MATTER: ["2022-0038", "2022-0040"],
            CLIENT: ["C00015", "C00016"],
            AMOUNTS[0]: [-1000.0, 50.0],
            AMOUNTS[1]: [0.0, 0.0],
            AMOUNTS[2]: [0.0, 0.0],
        }
    )
    balances = Balances(
        table=table,
        trust_total=-950.0,
        receivable_total=0.0,
        unbilled_total=0.0,
        as_of=None,
        has_trust=True,
        has_bills=False,
        has_activities=False,
        notes=("1 trust ledger is below zero.",),
    )
    view = BalancesView()
    qtbot.addWidget(view)
    view.set_balances(balances, False)
    assert "matter 2022-0038 (client C00015)" in view.notes.text()
    assert "1,000.00" in view.notes.text() and "2022-0040" not in view.notes.text()
    view.set_privacy(True)
    assert "1,000.00" not in view.notes.text() and MASK in view.notes.text()
