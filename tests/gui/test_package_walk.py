"""Saving and leaving, as walked by a bookkeeper (issue 17 items 11, 12 and 13)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring
import keyring.backends.fail
import pyrage
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QWizard

from migration_assistant.core.package import keystore, verify_package
from migration_assistant.gui.pages.package_words import default_file_name
from migration_assistant.gui.settings import PACKAGE_FOLDER_KEY
from tests.gui.test_package_page import create, fill_in, go_to_package, paste


@pytest.fixture(autouse=True)
def fresh_session_secrets() -> Iterator[None]:
    keystore.clear_session_secrets()
    yield
    keystore.clear_session_secrets()


def sealed_session_only(qtbot, wizard, dialogs, export_dir: Path, out: Path, passphrase: bool) -> Any:  # type: ignore[no-untyped-def]
    keyring.set_keyring(keyring.backends.fail.Keyring())  # no keychain: conftest restores the real one
    page = go_to_package(qtbot, wizard, export_dir)
    fill_in(qtbot, dialogs, page, out)
    if passphrase:
        page.use_passphrase.setChecked(True)
    else:
        paste(qtbot, page.key_edit, str(pyrage.x25519.Identity.generate().to_public()))
    create(qtbot, page)
    assert wizard.state.package is not None
    return page


def test_finish_warns_and_saves_the_firm_key_and_shows_the_passphrase(
    qtbot, wizard, dialogs, export_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "p.age"
    page = sealed_session_only(qtbot, wizard, dialogs, export_dir, out, passphrase=True)
    passphrase = page.recipients.passphrase
    key_path = tmp_path / "firm-key.txt"
    # First "Stay in the app", then "Save the key file…" (to key_path), then close.
    dialogs.choices += [2, 1, 0]
    dialogs.save_paths.append(key_path)
    wizard.close()
    kind, title, text = dialogs.calls[-1]
    assert (kind, title) == ("choose", "Before you close") and wizard.isVisible()  # stayed
    assert passphrase in text and "no keychain" in text and "firm's own key" in text
    wizard.close()
    assert not wizard.isVisible()
    assert "privacy mode is on" not in text
    assert ("info", "Key saved") in [c[:2] for c in dialogs.calls]
    assert key_path.stat().st_mode & 0o077 == 0  # private to this user
    opened = verify_package(out, identity_file=key_path)  # the saved key reopens the package
    assert opened.ok, opened.summary()


def test_the_passphrase_is_not_shown_in_privacy_mode(
    qtbot, wizard, dialogs, export_dir: Path, tmp_path: Path
) -> None:
    page = sealed_session_only(qtbot, wizard, dialogs, export_dir, tmp_path / "p.age", passphrase=True)
    wizard.privacy.set_enabled(True)
    dialogs.choices += [len(["close", "save", "stay"]) - 1]  # stay
    wizard.close()
    _kind, _title, text = dialogs.calls[-1]
    assert page.recipients.passphrase not in text and "privacy mode is on" in text
    assert wizard.isVisible()
    dialogs.choices += [0]


def test_no_warning_where_a_keychain_keeps_everything(qtbot, wizard, dialogs) -> None:
    wizard.close()
    assert "choose" not in dialogs.kinds() and not wizard.isVisible()


def test_keep_it_suggests_a_free_name_and_the_folder_is_remembered(
    qtbot, wizard, dialogs, settings, export_dir: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "to-send"
    folder.mkdir()
    page = go_to_package(qtbot, wizard, export_dir)
    out = folder / "Harbourview-Legal-migration.age"
    fill_in(qtbot, dialogs, page, out)
    assert settings.value(PACKAGE_FOLDER_KEY) == str(folder)  # remembered for next time
    out.write_bytes(b"the last package")
    paste(qtbot, page.key_edit, str(pyrage.x25519.Identity.generate().to_public()))
    dialogs.confirms.append(False)  # "Keep it"
    dialogs.save_paths.append(None)  # the save dialog, offered again, is closed
    qtbot.mouseClick(page.create_button, Qt.MouseButton.LeftButton)
    assert out.read_bytes() == b"the last package"
    suggested = folder / "Harbourview-Legal-migration (2).age"
    assert dialogs.calls[-1] == ("save_file", "Save the package as", str(suggested))
    assert page.path_edit.text() == str(suggested)
    assert "was kept as it is" in page.outcome.text() and page.outcome.isVisible()
    create(qtbot, page)
    assert suggested.exists() and out.read_bytes() == b"the last package"


def test_the_default_name_never_collides_and_uses_the_remembered_folder(
    qtbot, make_wizard, settings, export_dir: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "packages"
    folder.mkdir()
    settings.setValue(PACKAGE_FOLDER_KEY, str(folder))
    name = default_file_name("Harbourview Legal", dt.date.today())
    (folder / name).write_bytes(b"made this morning")
    wizard = make_wizard()
    page = go_to_package(qtbot, wizard, export_dir)
    qtbot.keyClicks(page.firm, "Harbourview Legal")
    assert page.path_edit.text() == str(folder / name.replace(".age", " (2).age"))


def test_show_in_folder_says_where_the_file_is_when_no_file_manager_opens(
    qtbot, wizard, dialogs, export_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = go_to_package(qtbot, wizard, export_dir)
    out = tmp_path / "p.age"
    fill_in(qtbot, dialogs, page, out)
    paste(qtbot, page.key_edit, str(pyrage.x25519.Identity.generate().to_public()))
    create(qtbot, page)
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: False))
    qtbot.mouseClick(page.summary.open_folder, Qt.MouseButton.LeftButton)
    kind, _title, text = dialogs.calls[-1]
    assert kind == "show_path" and str(out) in text
    assert wizard.button(QWizard.WizardButton.NextButton).isEnabled()
