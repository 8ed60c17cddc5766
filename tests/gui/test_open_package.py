"""Open a package (Welcome page): unlock, verify in a worker, show what it holds, extract; tampering is caught."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyrage
import pytest
from PySide6.QtCore import QPoint, Qt

from migration_assistant.core import package as package_api
from migration_assistant.core.checklist import build_checklist
from migration_assistant.core.engine import validate
from migration_assistant.core.handoff import FirmDetails, iter_package
from migration_assistant.core.package import (
    PackageResult,
    PayloadEntry,
    firm_recipient,
    keystore,
    write_package,
)
from tests.gui.driving import TIMEOUT, slowed
from tests.gui.exports import CLIENT_EMAIL
from tests.gui.test_accessibility import unnamed_controls
from tests.gui.test_privacy import leaks

SIGNED_AT = dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.UTC)

# The dialog is a top-level window whose minimum size follows its layout; the offscreen platform
# used in tests cannot pass size hints to a window manager and says so. Nothing else is ignored.
pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)$")


@pytest.fixture(autouse=True)
def fresh_session_secrets() -> Iterator[None]:
    keystore.clear_session_secrets()
    yield
    keystore.clear_session_secrets()


@pytest.fixture
def specialist() -> Any:
    return pyrage.x25519.Identity.generate()


def seal(export: Path, out: Path, recipients: list[str]) -> PackageResult:
    """A real package of *export*, as the firm's wizard makes it (checklist signed by Jane Partner)."""
    result = validate([export], "template")
    checklist = build_checklist(result)
    checklist.acknowledge_all("Jane Partner", when=SIGNED_AT)
    steps = iter_package(
        result,
        checklist,
        out,
        details=FirmDetails("Harbourview Legal", "office@harbourview.example"),
        recipients=recipients,
        passphrase=None,
    )
    while True:
        try:
            next(steps)
        except StopIteration as stop:
            done: PackageResult = stop.value
            return done


@pytest.fixture
def sealed(tmp_path: Path, export_dir: Path, specialist: Any) -> Path:
    out = tmp_path / "received" / "Harbourview-Legal-migration.age"
    out.parent.mkdir()
    return seal(export_dir, out, [str(specialist.to_public()), firm_recipient()]).path


@pytest.fixture
def key_file(tmp_path: Path, specialist: Any) -> Path:
    path = tmp_path / "specialist-key.txt"
    path.write_text(f"# created: for the test\n{specialist}\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def passphrase_package(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """One small passphrase package for the module (scrypt costs seconds per seal and per open)."""
    folder = tmp_path_factory.mktemp("passphrase")
    passphrase = "maple river lantern copper meadow violet anchor"
    payload = [PayloadEntry.from_bytes("originals/notes.txt", b"nothing private\n")]
    result = write_package(
        payload, {"Source-Organization": "Harbourview Legal"}, folder / "p.age", passphrase=passphrase
    )
    return result.path, passphrase


def open_dialog(qtbot, wizard) -> Any:  # type: ignore[no-untyped-def]
    """The Welcome page's "Open a package" button."""
    welcome = wizard.currentPage()
    qtbot.mouseClick(welcome.open_package_button, Qt.MouseButton.LeftButton)
    dialog = welcome.package_dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return dialog


def choose_package(qtbot, dialogs, dialog, path: Path) -> None:  # type: ignore[no-untyped-def]
    dialogs.open_paths.append(path)
    qtbot.mouseClick(dialog.choose_button, Qt.MouseButton.LeftButton)
    assert dialog.path_edit.text() == str(path)


def click_option(qtbot, button) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(8, button.height() // 2))
    assert button.isChecked()


def check(qtbot, dialog) -> None:  # type: ignore[no-untyped-def]
    assert dialog.open_button.isEnabled()
    qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.running, timeout=TIMEOUT)


def cells(table: Any, column: int) -> list[str]:
    return [table.item(r, column).text() for r in range(table.rowCount())]


def test_a_good_package_opens_with_a_key_file_and_shows_what_the_firm_signed(
    qtbot, wizard, dialogs, sealed: Path, key_file: Path, export_dir: Path, tmp_path: Path
) -> None:
    dialog = open_dialog(qtbot, wizard)
    assert dialog.use_firm_key.isChecked()  # the default, when this computer holds a key
    assert "this computer's keychain" in dialog.use_firm_key.text()
    choose_package(qtbot, dialogs, dialog, sealed)
    click_option(qtbot, dialog.use_key_file)
    dialogs.open_paths.append(key_file)
    qtbot.mouseClick(dialog.choose_key_button, Qt.MouseButton.LeftButton)
    check(qtbot, dialog)

    assert "The package is intact" in dialog.outcome.text()
    assert dialog.tabs.isVisible()
    details = dict(zip(cells(dialog.details, 0), cells(dialog.details, 1), strict=True))
    assert details["Source-Organization"] == "Harbourview Legal"
    assert details["Contact-Email"] == "office@harbourview.example"
    assert details["Acknowledged-By"] == "Jane Partner"
    assert details["SHA-256 (compare with the sender's)"] == dialog.opened.result.sha256 != ""

    # The checklist: who acknowledged what, and when.
    assert set(cells(dialog.checklist, 2)) == {"Jane Partner"}
    assert set(cells(dialog.checklist, 3)) == {"20 Nov 2026, 09:30 UTC"}
    assert "complete" in dialog.checklist_summary.text()
    # The findings and the balances, read in memory during the one verification pass.
    assert dialog.findings_model.rowCount() == sum(dialog.opened.contents.summary.values()) > 0
    assert "found" in dialog.findings_summary.text()
    assert dialog.balances.rowCount() == len(dialog.opened.contents.balances or ())
    assert "Firm totals" in dialog.balances_summary.text()
    assert unnamed_controls(dialog) == []
    assert not (tmp_path / "received" / "Harbourview-Legal-migration").exists()  # nothing extracted

    # Extract to a folder the user chooses: the originals come out byte for byte.
    target = tmp_path / "extracted"
    dialogs.folders.append(target)
    assert dialog.extract_button.isEnabled()
    qtbot.mouseClick(dialog.extract_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.running, timeout=TIMEOUT)
    assert "It was extracted to" in dialog.outcome.text()
    (bag,) = [p for p in target.iterdir() if not p.name.startswith(".")]
    for original in export_dir.iterdir():
        assert (bag / "data" / "originals" / original.name).read_bytes() == original.read_bytes()
    assert [p.name for p in target.iterdir()] == [bag.name]  # no hidden half-extracted folder left


def test_the_firm_reopens_its_own_package_with_the_key_on_this_computer(
    qtbot, wizard, dialogs, sealed: Path
) -> None:
    dialog = open_dialog(qtbot, wizard)
    choose_package(qtbot, dialogs, dialog, sealed)
    check(qtbot, dialog)
    assert dialog.opened is not None and dialog.opened.result.ok


def test_a_passphrase_package_opens_with_its_passphrase(
    qtbot, wizard, dialogs, passphrase_package: tuple[Path, str]
) -> None:
    path, passphrase = passphrase_package
    dialog = open_dialog(qtbot, wizard)
    choose_package(qtbot, dialogs, dialog, path)
    click_option(qtbot, dialog.use_passphrase)
    assert not dialog.open_button.isEnabled()  # no passphrase typed yet
    qtbot.keyClicks(dialog.passphrase_edit, passphrase)
    check(qtbot, dialog)
    assert "The package is intact" in dialog.outcome.text()
    assert "cannot be shown here" in dialog.findings_summary.text()  # this one holds no findings


def test_a_tampered_package_shows_a_clear_failure(
    qtbot, wizard, dialogs, sealed: Path, key_file: Path
) -> None:
    data = bytearray(sealed.read_bytes())
    data[len(data) // 2] ^= 0x01
    tampered = sealed.with_name("tampered.age")
    tampered.write_bytes(bytes(data))

    dialog = open_dialog(qtbot, wizard)
    choose_package(qtbot, dialogs, dialog, tampered)
    check(qtbot, dialog)
    text = dialog.outcome.text()
    assert text.startswith("The package did not pass the check") and "damaged" in text
    assert "fresh copy" in text
    assert not dialog.extract_button.isEnabled()
    assert not dialog.tabs.isVisible()


def test_a_key_that_does_not_fit_says_so(qtbot, wizard, dialogs, sealed: Path, tmp_path: Path) -> None:
    other = tmp_path / "other-key.txt"
    other.write_text(f"{pyrage.x25519.Identity.generate()}\n", encoding="utf-8")
    dialog = open_dialog(qtbot, wizard)
    choose_package(qtbot, dialogs, dialog, sealed)
    click_option(qtbot, dialog.use_key_file)
    dialog.key_file_edit.setText(str(other))
    check(qtbot, dialog)
    assert "sealed for a different key" in dialog.outcome.text()


def test_a_missing_file_is_a_plain_dialog(qtbot, wizard, dialogs, tmp_path: Path, key_file: Path) -> None:
    dialog = open_dialog(qtbot, wizard)
    # No key is kept on this computer yet: that choice is offered but cannot be picked.
    assert not dialog.use_firm_key.isEnabled() and "none is kept" in dialog.use_firm_key.text()
    assert dialog.use_key_file.isChecked() and not dialog.open_button.isEnabled()
    dialog.key_file_edit.setText(str(key_file))
    dialog.path_edit.setText(str(tmp_path / "nowhere.age"))
    check(qtbot, dialog)
    kind, title, text = dialogs.calls[-1]
    assert (kind, title) == ("warn", "The package could not be opened")
    assert "could not be found" in text


def test_privacy_mode_hides_client_data_in_the_package_view(qtbot, wizard, dialogs, sealed: Path) -> None:
    dialog = open_dialog(qtbot, wizard)
    choose_package(qtbot, dialogs, dialog, sealed)
    check(qtbot, dialog)
    shown = " ".join(
        dialog.findings_model.text(r, dialog.findings_model.VALUE) for r in dialog.findings_model.findings()
    )
    assert CLIENT_EMAIL in shown
    assert leaks(dialog)  # the client is on screen before privacy mode

    wizard.privacy.set_enabled(True)
    assert dialog.banner.isVisible()
    for index in range(dialog.tabs.count()):
        dialog.tabs.setCurrentIndex(index)
        assert leaks(dialog) == []
    assert "hidden in privacy mode" in dialog.balances_summary.text()
    assert "\u2022" in cells(dialog.balances, 2)[0]
    wizard.privacy.set_enabled(False)
    assert leaks(dialog)


def test_stopping_an_extraction_leaves_nothing_behind(
    qtbot, wizard, dialogs, sealed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = open_dialog(qtbot, wizard)
    choose_package(qtbot, dialogs, dialog, sealed)
    check(qtbot, dialog)
    monkeypatch.setattr(package_api, "iter_verify_package", slowed(package_api.iter_verify_package, 0.03))
    target = tmp_path / "extract-here"
    dialogs.folders.append(target)
    qtbot.mouseClick(dialog.extract_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.progress.value() > 0, timeout=TIMEOUT)
    assert dialog.stop_button.isVisible()
    qtbot.mouseClick(dialog.stop_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.running, timeout=TIMEOUT)
    assert "Nothing was extracted" in dialog.outcome.text()
    assert list(target.iterdir()) == []


def test_closing_the_dialog_stops_the_check(
    qtbot, wizard, dialogs, sealed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(package_api, "iter_verify_package", slowed(package_api.iter_verify_package, 0.05))
    dialog = open_dialog(qtbot, wizard)
    choose_package(qtbot, dialogs, dialog, sealed)
    qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)
    assert dialog.running
    operation = dialog._operation
    dialog.close()
    qtbot.waitUntil(lambda: not operation.running, timeout=TIMEOUT)  # the worker stopped at its next step
