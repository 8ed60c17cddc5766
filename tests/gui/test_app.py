"""run_gui: the entry point the CLI calls (``migration-assistant`` and ``gui --sample``)."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel

from migration_assistant.gui import app as app_module
from migration_assistant.gui import splash as splash_module
from migration_assistant.gui import wizard as wizard_module
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

    shown: list[QLabel] = []
    original = splash_module.show_splash

    def spy_splash(app: QApplication) -> QLabel:
        splash = original(app)
        seen["splash_visible_at_once"] = splash.isVisible()
        shown.append(splash)
        return splash

    monkeypatch.setattr(splash_module, "show_splash", spy_splash)

    def fake_exec(self: QApplication) -> int:
        wizard = next(
            w for w in QApplication.topLevelWidgets() if isinstance(w, MigrationWizard) and w.isVisible()
        )
        seen["splash_closed"] = bool(shown) and not shown[0].isVisible()
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
    assert seen["splash_visible_at_once"] and seen["splash_closed"]
    assert seen["style"]
    if sample:
        assert seen["source"] == "template"
    else:
        assert seen["page"] == ids.WELCOME


def test_splash_names_the_app_and_shows_no_data(qapp) -> None:  # type: ignore[no-untyped-def]
    splash = splash_module.show_splash(qapp)
    try:
        assert splash.isVisible() and splash.objectName() == "startingSplash"
        assert "starting" in splash.accessibleName()
        assert splash.isWindow() and splash.windowFlags() & Qt.WindowType.SplashScreen
        pixmap = splash.pixmap()
        assert not pixmap.isNull() and pixmap.width() > pixmap.height() > 0
    finally:
        splash.close()


def test_a_wizard_that_fails_to_load_closes_the_splash(qtbot, monkeypatch, restore_app_look) -> None:  # type: ignore[no-untyped-def]
    shown: list[QLabel] = []
    original = splash_module.show_splash

    def spy_splash(app: QApplication) -> QLabel:
        shown.append(original(app))
        return shown[-1]

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the wizard could not be built")

    monkeypatch.setattr(splash_module, "show_splash", spy_splash)
    monkeypatch.setattr(wizard_module, "MigrationWizard", broken)
    with pytest.raises(RuntimeError, match="could not be built"):
        app_module.run_gui()
    assert shown and not shown[0].isVisible()
