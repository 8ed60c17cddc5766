"""The Package page driven as a user does: a verified package for a public key or a passphrase, cancel, errors."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any

import keyring
import keyring.backends.fail
import pyrage
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLineEdit, QWizard

from migration_assistant.core import handoff
from migration_assistant.core.checklist import ChecklistItem
from migration_assistant.core.package import (
    InsufficientSpaceError,
    PackageFormat,
    PackageProgress,
    Phase,
    keystore,
    load_secret,
    public_key_fingerprint,
    verify_package,
)
from migration_assistant.gui.pages import ids
from tests.gui.driving import (
    GAP_LIMIT_MS,
    TIMEOUT,
    acknowledge_everything,
    click_next,
    event_loop_gaps,
    go_to_limitations,
    slowed,
)
from tests.gui.exports import CLIENT_WORDS
from tests.gui.test_accessibility import unnamed_controls
from tests.gui.test_privacy import leaks

FIRM = "Harbourview Legal"
CONTACT = "office@harbourview.example"


@pytest.fixture(autouse=True)
def fresh_session_secrets() -> Iterator[None]:
    """Session-only secrets (no-keychain fallback) must not leak from one test into another."""
    keystore.clear_session_secrets()
    yield
    keystore.clear_session_secrets()


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "to-send"
    folder.mkdir()
    return folder


@pytest.fixture
def specialist() -> Any:
    return pyrage.x25519.Identity.generate()


def go_to_package(qtbot, wizard, folder: Path) -> Any:  # type: ignore[no-untyped-def]
    go_to_limitations(qtbot, wizard, folder)
    acknowledge_everything(qtbot, wizard.currentPage(), "Jane Partner")
    click_next(qtbot, wizard)
    assert wizard.currentId() == ids.PACKAGE
    return wizard.currentPage()


def fill_in(qtbot, dialogs, page, out: Path) -> None:  # type: ignore[no-untyped-def]
    """Firm, contact, and the Save dialog's answer."""
    qtbot.keyClicks(page.firm, FIRM)
    qtbot.keyClicks(page.contact, CONTACT)
    assert page.path_edit.text().endswith(f"Harbourview-Legal-migration-{time.strftime('%Y-%m-%d')}.age")
    dialogs.save_paths.append(out)
    qtbot.mouseClick(page.choose_button, Qt.MouseButton.LeftButton)
    assert page.path_edit.text() == str(out)


def paste(qtbot, field: QLineEdit, text: str) -> None:  # type: ignore[no-untyped-def]
    QGuiApplication.clipboard().setText(text)
    field.setFocus()
    field.selectAll()
    qtbot.keyClick(field, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert field.text() == text


def click_option(qtbot, button) -> None:  # type: ignore[no-untyped-def]
    """Click a radio button on its circle (the widget is as wide as its box; its label is not)."""
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(8, button.height() // 2))
    assert button.isChecked()


def create(qtbot, page) -> None:  # type: ignore[no-untyped-def]
    assert page.create_button.isEnabled(), page.missing.text()
    qtbot.mouseClick(page.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.running, timeout=TIMEOUT)


def test_seals_a_verified_package_for_the_specialists_key(
    qtbot, wizard, dialogs, export_dir: Path, out_dir: Path, specialist: Any
) -> None:
    page = go_to_package(qtbot, wizard, export_dir)
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    assert not next_button.isEnabled()
    assert "this computer's keychain" in page.firm_key_note.text()  # where the firm key lives
    assert unnamed_controls(page) == []
    out = out_dir / "Harbourview-Legal-migration.age"
    fill_in(qtbot, dialogs, page, out)

    key = str(specialist.to_public())
    paste(qtbot, page.key_edit, key)
    assert page.key_status.text().startswith("✔")
    assert page.fingerprint.text() == public_key_fingerprint(key)
    assert len(page.fingerprint.text().split()) == 5  # in groups, to read out
    assert "on the phone" in page.fingerprint_hint.text() and page.fingerprint_hint.isVisible()

    create(qtbot, page)
    assert dialogs.kinds() == ["save_file"]  # no error, no question
    assert next_button.isEnabled()
    assert sorted(p.name for p in out_dir.iterdir()) == [out.name]  # no partial file left beside it

    package = wizard.state.package
    assert package is not None and package.path == out
    digest = hashlib.sha256(out.read_bytes()).hexdigest()
    summary = page.summary
    assert summary.isVisible()
    assert summary.file_name.text() == out.name
    assert summary.sha256.text() == digest == package.sha256
    assert f"{out.stat().st_size:,} bytes" in summary.file_size.text()
    assert "upload link" in summary.how.text()
    assert public_key_fingerprint(key) in summary.sealed.text()
    qtbot.mouseClick(summary.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == digest

    # The specialist opens it with their key, and the firm with its own.
    opened = verify_package(out, identity=specialist)
    assert opened.ok, opened.summary()
    assert opened.bag_info["Source-Organization"] == FIRM
    assert opened.bag_info["Contact-Email"] == CONTACT
    assert opened.bag_info["Acknowledged-By"] == "Jane Partner"
    assert verify_package(out, identity=keystore.firm_identity()).ok

    # Done shows the same name, size and SHA-256, and how to send it.
    click_next(qtbot, wizard)
    assert wizard.currentId() == ids.DONE
    done = wizard.currentPage()
    assert done.package_summary.isVisible() and done.package_summary.sha256.text() == digest
    # This export still has errors: Done says to fix them first, not to send this package.
    assert "Fix first, then send" in done.steps.text() and "Do not send the package" in done.steps.text()
    assert unnamed_controls(page) == [] and unnamed_controls(done) == []


def test_seals_with_a_generated_passphrase_kept_in_the_keychain(
    qtbot, wizard, dialogs, export_dir: Path, out_dir: Path
) -> None:
    page = go_to_package(qtbot, wizard, export_dir)
    out = out_dir / "with-passphrase.age"
    fill_in(qtbot, dialogs, page, out)
    click_option(qtbot, page.use_passphrase)
    assert page.passphrase_panel.isVisible() and not page.key_panel.isVisible()
    passphrase = page.passphrase_view.text()
    assert len(passphrase.split()) == 7
    assert "by phone" in page.passphrase_hint.text()
    assert page.keep_passphrase.isChecked() and "this computer's keychain" in page.keep_passphrase.text()
    qtbot.mouseClick(page.copy_passphrase, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == passphrase

    # Privacy mode hides the passphrase on a shared screen; Copy still works.
    wizard.privacy.set_enabled(True)
    assert page.passphrase_view.echoMode() == QLineEdit.EchoMode.Password
    wizard.privacy.set_enabled(False)

    with event_loop_gaps() as gaps:
        create(qtbot, page)
    # Sealing and the page's own check each run scrypt (a second or more): in a child process, so the
    # window keeps painting its progress and hears Cancel (it froze for each before).
    assert gaps and max(gaps) < GAP_LIMIT_MS, f"the event loop was blocked for {max(gaps)} ms"
    package = wizard.state.package
    assert package is not None and package.sealed_with is PackageFormat.PASSPHRASE
    assert load_secret(f"package-passphrase:{out.name}") == passphrase
    assert "kept in this computer's keychain" in page.summary.sealed.text()
    assert "passphrase by phone" in page.summary.how.text()
    # The page's own check opened it with the passphrase (scrypt: seconds); the firm's key opens it too.
    assert verify_package(out, identity=keystore.firm_identity()).ok
    assert sorted(p.name for p in out_dir.iterdir()) == [out.name]


def test_without_a_keychain_the_page_says_secrets_last_this_session_only(
    qtbot, wizard, export_dir: Path
) -> None:
    keyring.set_keyring(keyring.backends.fail.Keyring())  # conftest restores the previous one
    page = go_to_package(qtbot, wizard, export_dir)
    assert page.firm_key_notice.isVisible()
    assert "only until you close the app" in page.firm_key_notice.text()
    page.use_passphrase.setChecked(True)
    assert "until the app is closed" in page.keep_passphrase.text()
    assert page.keep_notice.isVisible() and "Write it down" in page.keep_notice.text()


def test_cancel_mid_package_leaves_no_file(
    qtbot, wizard, dialogs, export_dir: Path, out_dir: Path, specialist: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(handoff, "iter_package", slowed(handoff.iter_package, 0.03))
    page = go_to_package(qtbot, wizard, export_dir)
    out = out_dir / "cancelled.age"
    fill_in(qtbot, dialogs, page, out)
    page.key_edit.setText(str(specialist.to_public()))
    qtbot.mouseClick(page.create_button, Qt.MouseButton.LeftButton)
    assert page.running and page.cancel_button.isVisible()
    qtbot.waitUntil(lambda: page.phase.text().startswith("Sealing"), timeout=TIMEOUT)
    assert any(p.name.startswith(".cancelled.age.partial-") for p in out_dir.iterdir())  # it is mid-write

    qtbot.mouseClick(page.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.running, timeout=TIMEOUT)
    assert list(out_dir.iterdir()) == []
    assert "Nothing was saved" in page.outcome.text() and "no partial file" in page.outcome.text()
    assert wizard.state.package is None and not page.isComplete()
    assert page.create_button.isEnabled()  # can start again


def test_an_invalid_key_blocks_with_a_plain_reason(
    qtbot, wizard, dialogs, export_dir: Path, out_dir: Path
) -> None:
    page = go_to_package(qtbot, wizard, export_dir)
    fill_in(qtbot, dialogs, page, out_dir / "never.age")

    qtbot.keyClicks(page.key_edit, "age1notarealkey")
    assert "not an age public key" in page.key_status.text()
    assert not page.fingerprint.isVisible()
    assert not page.create_button.isEnabled()
    assert "your specialist's public key" in page.missing.text()

    secret = str(pyrage.x25519.Identity.generate())
    page.key_edit.setText(secret)
    assert "private key" in page.key_status.text() and "never be shared" in page.key_status.text()
    page.key_edit.setText(keystore.firm_recipient())
    assert "your firm's own key" in page.key_status.text()

    page.create_package()  # as if the button were pressed anyway
    assert dialogs.calls[-1][0] == "warn" and "public key" in dialogs.calls[-1][2]
    assert list(out_dir.iterdir()) == []


def test_open_blockers_close_the_gate_with_a_plain_reason(
    qtbot, wizard, dialogs, export_dir: Path, out_dir: Path, specialist: Any
) -> None:
    page = go_to_package(qtbot, wizard, export_dir)
    fill_in(qtbot, dialogs, page, out_dir / "blocked.age")
    page.key_edit.setText(str(specialist.to_public()))
    assert page.create_button.isEnabled()
    wizard.state.checklist.items.append(
        ChecklistItem(
            "blocker:truncated-file", "1 blocking problem remains", "why", "instead", "finding", 1, True
        )
    )
    page.initializePage()
    assert page.gate_notice.isVisible() and "neither fixed nor accepted" in page.gate_notice.text()
    assert not page.create_button.isEnabled()
    page.create_package()
    kind, _title, text = dialogs.calls[-1]
    assert kind == "warn" and "limitations checklist" in text
    assert list(out_dir.iterdir()) == []


def test_a_full_disk_is_a_plain_dialog(
    qtbot, wizard, dialogs, export_dir: Path, out_dir: Path, specialist: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(*args: Any, **kwargs: Any) -> Generator[PackageProgress, None, Any]:
        yield PackageProgress(Phase.PREPARING, 0, 1)
        raise InsufficientSpaceError("the USB stick", 5_000_000)

    monkeypatch.setattr(handoff, "iter_package", full)
    page = go_to_package(qtbot, wizard, export_dir)
    fill_in(qtbot, dialogs, page, out_dir / "full.age")
    page.key_edit.setText(str(specialist.to_public()))
    create(qtbot, page)
    kind, title, text = dialogs.calls[-1]
    assert (kind, title) == ("warn", "The package was not created")
    assert "not enough free space on the USB stick" in text and "Nothing was saved" in text
    assert not page.isComplete()


def test_package_and_done_pages_show_no_client_data_in_privacy_mode(
    qtbot, wizard, dialogs, export_dir: Path, out_dir: Path, specialist: Any
) -> None:
    page = go_to_package(qtbot, wizard, export_dir)
    fill_in(qtbot, dialogs, page, out_dir / "private.age")
    page.key_edit.setText(str(specialist.to_public()))
    wizard.privacy.set_enabled(True)
    create(qtbot, page)
    assert page.banner.isVisible()
    assert leaks(wizard) == []
    click_next(qtbot, wizard)
    assert leaks(wizard) == []
    assert CLIENT_WORDS  # the export does hold the client (see tests.gui.exports)


def test_a_changed_sign_off_asks_for_a_new_package(
    qtbot, wizard, dialogs, export_dir: Path, out_dir: Path, specialist: Any
) -> None:
    page = go_to_package(qtbot, wizard, export_dir)
    fill_in(qtbot, dialogs, page, out_dir / "first.age")
    page.key_edit.setText(str(specialist.to_public()))
    create(qtbot, page)
    assert page.isComplete()

    # Back and forward without changing anything: the package still stands.
    wizard.back()
    assert wizard.currentId() == ids.LIMITATIONS
    click_next(qtbot, wizard)
    assert page.isComplete() and page.summary.isVisible()

    # Signed by someone else now: the package holds the old sign-off, so it must be made again.
    wizard.back()
    limitations = wizard.currentPage()
    limitations.name.clear()
    qtbot.keyClicks(limitations.name, "Sam Partner")
    click_next(qtbot, wizard)
    assert wizard.state.package is None and not page.isComplete()
    assert not page.summary.isVisible()
    assert "checklist changed" in page.outcome.text()
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
