"""Open a package, as walked by a bookkeeper (issue 17 items 2, 5 and 9).

Privacy mode switches inside the modal dialog (its own button and Ctrl+Shift+P, one state with
the wizard); balance amounts follow one rule on both screens; a wrong key or passphrase is said
as such and the message goes once the user retypes; sealing and opening report progress that
moves, with a busy step (not a frozen 0 %) for the scrypt work that cannot count.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from migration_assistant.core.balances import compute_balances
from migration_assistant.core.engine import validate
from migration_assistant.core.package import (
    PackageProgress,
    PayloadEntry,
    Phase,
    VerifyProgress,
    iter_verify_package,
    package_steps,
)
from migration_assistant.core.package.verify import UNLOCKING
from migration_assistant.core.package.writer import LOCKING
from migration_assistant.core.privacy import MASK, balance_text
from migration_assistant.core.resources import sample_export_dir
from migration_assistant.gui.widgets.balances import BalancesView
from tests.gui import test_open_package as base
from tests.gui.test_open_package import check, choose_package, click_option, open_dialog

# The fixtures of the Open a package tests, shared.
fresh_session_secrets = base.fresh_session_secrets
key_file = base.key_file
passphrase_package = base.passphrase_package
sealed = base.sealed
specialist = base.specialist

pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)$")


def collect(steps: Any) -> tuple[list[Any], Any]:
    seen = []
    while True:
        try:
            seen.append(next(steps))
        except StopIteration as stop:
            return seen, stop.value


def test_ctrl_shift_p_and_the_dialogs_own_button_switch_privacy(qtbot, wizard, dialogs, sealed: Path) -> None:
    dialog = open_dialog(qtbot, wizard)
    assert not wizard.privacy.enabled and not dialog.banner.isVisible()
    assert dialog.privacy_button.isVisible() and dialog.privacy_button.text() == "Privacy mode: off"

    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=2000)
    qtbot.keyClick(
        dialog, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert wizard.privacy.enabled and dialog.banner.isVisible()
    assert dialog.privacy_button.isChecked() and dialog.privacy_button.text() == "Privacy mode: on"
    assert wizard.privacy_button.isChecked()  # one state: the wizard's button follows

    qtbot.mouseClick(dialog.privacy_button, Qt.MouseButton.LeftButton)
    assert not wizard.privacy.enabled and not dialog.banner.isVisible()


def test_one_rule_for_balance_amounts_on_both_screens(
    qtbot,
    wizard,
    dialogs,
    sealed: Path,
    key_file: Path,
) -> None:
    # The rule: a matter's amount is hidden; a total over several matters is the firm's own figure.
    assert balance_text("$10.00", privacy=True) == MASK
    assert balance_text("$10.00", privacy=True, matters=3) == "$10.00"
    assert balance_text("$10.00", privacy=False) == "$10.00"

    # The wizard's Balances tab, on the sample (many matters): amounts hidden, firm totals shown.
    balances = compute_balances(validate([sample_export_dir()], "auto").dataset)
    view = BalancesView()
    qtbot.addWidget(view)
    view.set_balances(balances, True)
    assert set(view.displayed_amounts()) == {MASK}
    assert MASK not in view.totals.text() and "Trust held: <b>" in view.totals.text()
    view.set_privacy(False)
    assert MASK not in "".join(view.displayed_amounts())

    # Open a package, on a one-matter package: the totals would be that client's figures, so both hide them.
    dialog = open_dialog(qtbot, wizard)
    choose_package(qtbot, dialogs, dialog, sealed)
    click_option(qtbot, dialog.use_key_file)
    dialog.key_file_edit.setText(str(key_file))
    check(qtbot, dialog)
    assert dialog.balances.rowCount() == 1
    wizard.privacy.set_enabled(True)
    assert MASK in dialog.balances_summary.text()
    assert balance_text("$1.00", privacy=True, matters=dialog.balances.rowCount()) == MASK


def test_a_wrong_passphrase_says_so_and_clears_when_retyped(
    qtbot,
    wizard,
    dialogs,
    passphrase_package: tuple[Path, str],
) -> None:
    path, passphrase = passphrase_package
    dialog = open_dialog(qtbot, wizard)
    choose_package(qtbot, dialogs, dialog, path)
    click_option(qtbot, dialog.use_passphrase)
    qtbot.keyClicks(dialog.passphrase_edit, "not the right words at all")
    check(qtbot, dialog)
    text = dialog.outcome.text()
    assert text.startswith("Wrong passphrase") and "did not pass the check" not in text
    assert "Do not use it" not in text and dialog.outcome.isVisible()

    qtbot.keyClick(dialog.passphrase_edit, Qt.Key.Key_Backspace)  # retyping
    assert not dialog.outcome.isVisible() and dialog.outcome.text() == ""
    dialog.passphrase_edit.clear()
    qtbot.keyClicks(dialog.passphrase_edit, passphrase)
    check(qtbot, dialog)
    assert "The package is intact" in dialog.outcome.text()


def test_a_key_that_is_not_the_packages_says_wrong_key(
    qtbot,
    wizard,
    dialogs,
    sealed: Path,
    tmp_path: Path,
) -> None:
    import pyrage

    other = tmp_path / "other-key.txt"
    other.write_text(f"{pyrage.x25519.Identity.generate()}\n", encoding="utf-8")
    dialog = open_dialog(qtbot, wizard)
    choose_package(qtbot, dialogs, dialog, sealed)
    click_option(qtbot, dialog.use_key_file)
    dialog.key_file_edit.setText(str(other))
    check(qtbot, dialog)
    assert dialog.outcome.text().startswith("Wrong key")
    qtbot.keyClicks(dialog.key_file_edit, "x")
    assert dialog.outcome.text() == ""


def test_sealing_and_opening_with_a_passphrase_report_progress_in_order(tmp_path: Path) -> None:
    passphrase = "maple river lantern copper meadow violet anchor"
    payload = [PayloadEntry.from_bytes(f"originals/file-{i}.csv", bytes(range(256)) * 8192) for i in range(4)]
    seen, result = collect(
        package_steps(payload, {"Source-Organization": "Test"}, tmp_path / "p.age", passphrase=passphrase)
    )
    assert all(isinstance(p, PackageProgress) for p in seen)
    measured = [p.overall for p in seen]
    assert measured == sorted(measured) and len(set(measured)) > 2
    assert measured[-1] == 1.0
    busy = [p for p in seen if p.busy]
    # The two scrypt calls (locking the key while sealing, unlocking it to check) are said, not frozen.
    assert [p.busy for p in busy] == [LOCKING, UNLOCKING]
    assert busy[0].phase is Phase.PREPARING and busy[1].phase is Phase.CHECKING
    sealing = [p.done for p in seen if p.phase is Phase.SEALING]
    assert len(sealing) > 2 and sealing == sorted(sealing)

    opened, checked = collect(iter_verify_package(result.path, passphrase=passphrase))
    assert checked.ok
    assert all(isinstance(p, VerifyProgress) for p in opened)
    done = [p.done for p in opened]
    assert done == sorted(done) and len(opened) > 2 and done[-1] == opened[-1].total
    assert [p.busy for p in opened if p.busy] == [UNLOCKING]


def test_the_package_page_shows_a_busy_bar_for_a_step_that_cannot_count(wizard) -> None:
    from migration_assistant.gui.pages import ids

    page = wizard.page_object(ids.PACKAGE)
    page._on_progress(PackageProgress(Phase.PREPARING, 5, 5, busy=LOCKING))
    assert page.progress.maximum() == 0 and page.phase.text() == LOCKING  # busy, with words
    page._on_progress(PackageProgress(Phase.SEALING, 50, 100, "data/originals/a.csv"))
    assert page.progress.maximum() == 1000 and page.progress.value() == int(1000 * (0.1 + 0.45 * 0.5))
