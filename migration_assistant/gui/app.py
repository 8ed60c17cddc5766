"""Starting the GUI: the QApplication, the excepthook, the style sheet, the wizard."""

from __future__ import annotations

import logging
import sys

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from migration_assistant import APP_ID, APP_NAME, __version__
from migration_assistant.gui.crash import make_excepthook, setup_logging

log = logging.getLogger(__name__)


def load_style_sheet() -> str:
    """The bundled ``ui/style.qss`` (empty when it is missing: the app still works unstyled)."""
    from migration_assistant.core.api import resource_path

    try:
        return resource_path("ui", "style.qss").read_text(encoding="utf-8")
    except (FileNotFoundError, OSError):
        return ""


def make_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication (reused when one exists), high-DPI friendly and styled."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    # Fractional scale factors (125 %, 150 %) are used as they are, not rounded: text stays crisp and sized right.
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
    app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setOrganizationName(APP_ID)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_ID)
    return app


def apply_style(app: QApplication) -> None:
    app.setStyle("Fusion")
    sheet = load_style_sheet()
    if sheet:
        app.setStyleSheet(sheet)


def run_gui(sample: bool = False) -> int:
    """Open the wizard and run until it closes; returns the exit code.

    Args:
        sample: start on the bundled sample export (template source, files added) so the
            user can go straight to the check.
    """
    from migration_assistant.gui.splash import show_splash

    setup_logging()
    app = make_application()
    apply_style(app)
    # Something on screen before the engine's libraries load (seconds on a cold laptop).
    splash = show_splash(app)
    try:
        from migration_assistant.gui.dialogs import DialogService
        from migration_assistant.gui.gc_guard import MainThreadGarbageCollector
        from migration_assistant.gui.settings import open_settings
        from migration_assistant.gui.wizard import MigrationWizard
        from migration_assistant.gui.workers import cancel_all

        collector = MainThreadGarbageCollector(app)
        collector.start()
        dialogs = DialogService()
        wizard = MigrationWizard(dialogs=dialogs, settings=open_settings())
        collector.settle()
    except BaseException:
        splash.close()
        raise
    previous_hook = sys.excepthook
    sys.excepthook = make_excepthook(lambda text, details: dialogs.crash(wizard, text, details))
    try:
        log.info("started %s %s", APP_NAME, __version__)
        if sample:
            wizard.start_sample()
        wizard.show()
        splash.close()
        code = app.exec()
    finally:
        sys.excepthook = previous_hook
        cancel_all(wait_ms=3000)
        collector.stop()
    return int(code)
