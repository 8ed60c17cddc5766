"""From launch on the sample export to a verified package in at most 20 user actions.

The wizard is driven with real mouse clicks and key presses (QTest through qtbot), and every
action a user would make is counted: a click, a key press that moves on, a typed field.
Launching with ``--sample`` is not counted (it is how the app was started).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QLineEdit, QWidget, QWizard

from migration_assistant.core.package import keystore, verify_package
from migration_assistant.gui.pages import ids
from migration_assistant.gui.pages import package as package_page
from tests.gui.driving import TIMEOUT

MOST_ACTIONS = 20


class User:
    """Clicks, keys and typing, each one counted."""

    def __init__(self, qtbot, wizard: QWizard) -> None:  # type: ignore[no-untyped-def]
        self.qtbot = qtbot
        self.wizard = wizard
        self.actions: list[str] = []

    def click(self, widget: QAbstractButton, what: str) -> None:
        self.qtbot.waitUntil(widget.isEnabled, timeout=TIMEOUT)
        # A tick box or option is clicked on its box, as a person aims at it.
        pos = QPoint(8, widget.height() // 2) if widget.isCheckable() and widget.text() else None
        if pos is None:
            self.qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)
        else:
            self.qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=pos)
        self.actions.append(f"click {what}")

    def next(self) -> None:
        button = self.wizard.button(QWizard.WizardButton.NextButton)
        before = self.wizard.currentId()
        self.click(button, f"Next on page {before}")
        self.qtbot.waitUntil(lambda: self.wizard.currentId() != before, timeout=TIMEOUT)

    def enter(self, what: str) -> None:
        focus = self.wizard.focusWidget()  # where the keys go while the window is active
        assert isinstance(focus, QWidget), "nothing has the keyboard focus"
        self.qtbot.keyClick(focus, Qt.Key.Key_Return)
        self.actions.append(f"Enter {what}")

    def type(self, field: QLineEdit, text: str, what: str) -> None:
        self.qtbot.mouseClick(field, Qt.MouseButton.LeftButton)  # the click into the field is part of typing
        field.selectAll()
        self.qtbot.keyClicks(field, text)
        self.actions.append(f"type {what}")


def test_sample_to_verified_package_in_at_most_20_actions(
    qtbot, make_wizard, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    documents = tmp_path / "Documents"
    documents.mkdir()
    monkeypatch.setattr(package_page, "documents_folder", lambda: documents)  # never the real home
    wizard = make_wizard()
    wizard.activateWindow()  # as a window manager does: the keyboard goes to it
    qtbot.waitUntil(lambda: QApplication.activeWindow() is wizard, timeout=TIMEOUT)
    assert wizard.start_sample()  # `migration-assistant gui --sample`: how the app was launched
    user = User(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.currentId() == ids.FILES, timeout=TIMEOUT)
    qtbot.waitUntil(wizard.currentPage().isComplete, timeout=TIMEOUT)

    next_button = wizard.button(QWizard.WizardButton.NextButton)
    qtbot.waitUntil(lambda: wizard.focusWidget() is next_button, timeout=TIMEOUT)  # not "Add files…"
    user.enter("on Add your files: every file recognised")
    qtbot.waitUntil(lambda: wizard.currentId() == ids.MAP_COLUMNS, timeout=TIMEOUT)
    assert wizard.currentId() == ids.MAP_COLUMNS
    user.next()  # "Check my files"
    assert wizard.currentId() == ids.CHECK
    check = wizard.currentPage()
    qtbot.waitUntil(check.isComplete, timeout=60_000)
    user.enter("on the finished check")  # the focus is on Next once the check ends
    qtbot.waitUntil(lambda: wizard.currentId() == ids.REVIEW, timeout=TIMEOUT)
    user.next()  # Review -> What cannot move
    assert wizard.currentId() == ids.LIMITATIONS

    limitations = wizard.currentPage()
    for view in limitations.views:
        limitations.items_scroll.ensureWidgetVisible(view.check)
        user.click(view.check, "a checklist box")
    user.type(limitations.name, "Dana Office", "the name signing off")
    user.next()
    assert wizard.currentId() == ids.PACKAGE

    package = wizard.currentPage()  # "Save as" is filled in: the Documents folder, named for the firm
    if not package.firm.text():
        user.type(package.firm, "Harbourview Legal LLP", "the firm's name")
    if not package.contact.text():
        user.type(package.contact, "office@harbourview.example", "the contact e-mail")
    user.click(package.use_passphrase, "seal with a passphrase")
    user.click(package.create_button, "Create the package")
    qtbot.waitUntil(lambda: not package.running, timeout=120_000)
    made = wizard.state.package
    assert made is not None, package.outcome.text()
    assert made.path.parent == documents
    assert verify_package(
        made.path, identity=keystore.firm_identity()
    ).ok  # the page checked it with the passphrase
    # Sealed and verified (the page opened it again with the passphrase before saying so).
    assert len(user.actions) <= MOST_ACTIONS, "\n".join(user.actions)
    user.next()  # one more to read what happens next
    assert wizard.currentId() == ids.DONE
