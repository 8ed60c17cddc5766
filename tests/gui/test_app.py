"""run_gui: the entry point the CLI calls (``migration-assistant`` and ``gui --sample``)."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtWidgets import QApplication

from migration_assistant.gui import app as app_module
from migration_assistant.gui.pages import ids
from migration_assistant.gui.wizard import MigrationWizard


@pytest.fixture
def restore_app_look(qapp):  # type: ignore[no-untyped-def]
    sheet, style = qapp.styleSheet(), qapp.style().name()
    yield
    qapp.setStyleSheet(sheet)
    qapp.setStyle(style)


@pytest.mark.parametrize("sample", [False, True])
def test_run_gui_opens_the_wizard_and_restores_the_hook(
    qtbot, monkeypatch, restore_app_look, sample: bool
) -> None:
    seen: dict[str, object] = {}
    hook = sys.excepthook

    def fake_exec(self: QApplication) -> int:
        wizard = next(
            w for w in QApplication.topLevelWidgets() if isinstance(w, MigrationWizard) and w.isVisible()
        )
        seen["hook_installed"] = sys.excepthook is not hook
        if sample:
            qtbot.waitUntil(
                lambda: wizard.currentId() == ids.FILES and wizard.currentPage().isComplete(), timeout=20_000
            )
            seen["source"] = wizard.state.source_id
        else:
            seen["page"] = wizard.currentId()
        seen["style"] = bool(QApplication.instance().styleSheet())
        wizard.close()
        return 0

    monkeypatch.setattr(QApplication, "exec", fake_exec)
    assert app_module.run_gui(sample=sample) == 0
    assert seen["hook_installed"] and sys.excepthook is hook
    assert seen["style"]
    if sample:
        assert seen["source"] == "template"
    else:
        assert seen["page"] == ids.WELCOME
