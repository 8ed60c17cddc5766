"""GUI test fixtures: a wizard with scripted dialogs, small exports, and no worker left running."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QThread, QThreadPool
from PySide6.QtWidgets import QFileDialog, QMessageBox

from migration_assistant.gui import workers
from migration_assistant.gui.dialogs import ScriptedDialogs
from tests.gui.exports import write_small_export

pytestmark = pytest.mark.gui


def _running_qthreads() -> list[QThread]:
    main = QThread.currentThread()
    return [
        obj for obj in gc.get_objects() if isinstance(obj, QThread) and obj is not main and obj.isRunning()
    ]


@pytest.fixture(autouse=True, scope="session")
def garbage_collected_on_the_gui_thread() -> Iterator[None]:
    """As in the app (gui/gc_guard.py): no automatic collection, which could run in a worker
    thread and delete Qt objects there (a segfault); tests collect on the GUI thread instead."""
    gc.disable()
    yield
    gc.enable()


@pytest.fixture(autouse=True)
def collect_after_each_test() -> Iterator[None]:
    yield
    gc.collect()


@pytest.fixture(autouse=True)
def no_dangling_workers() -> Iterator[None]:
    """Fail a test that leaves a QThreadPool job or a QThread running when it ends.

    A short grace lets a worker that has already reported return from ``run()``; a job
    still busy after it was left behind by the test (a check nobody waited for).
    """
    yield
    pool = QThreadPool.globalInstance()
    finished = pool.waitForDone(2000)
    threads = _running_qthreads()
    if not finished or threads:
        active = pool.activeThreadCount()
        workers.cancel_all(wait_ms=5000)
        for thread in threads:
            thread.quit()
            thread.wait(2000)
        pytest.fail(
            f"a background job was left running after the test "
            f"(pool jobs still running: {active}, QThreads: {len(threads)})"
        )


@pytest.fixture(autouse=True)
def no_real_modal_dialogs(monkeypatch: pytest.MonkeyPatch) -> None:
    """A real modal dialog would wait forever offscreen: make it fail the test at once instead.

    Tests talk to the user through the replaceable dialog service (``ScriptedDialogs``).
    """

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"a real modal dialog opened during a test: {args[:2]!r}")

    for name in ("warning", "information", "critical", "question", "about"):
        monkeypatch.setattr(QMessageBox, name, refuse)
    monkeypatch.setattr(QMessageBox, "exec", refuse)
    for name in ("getOpenFileName", "getOpenFileNames", "getSaveFileName", "getExistingDirectory"):
        monkeypatch.setattr(QFileDialog, name, refuse)


@pytest.fixture
def dialogs() -> ScriptedDialogs:
    return ScriptedDialogs()


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def export_dir(tmp_path: Path) -> Path:
    return write_small_export(tmp_path / "export")


@pytest.fixture
def make_wizard(qtbot, dialogs: ScriptedDialogs, settings: QSettings):  # type: ignore[no-untyped-def]
    """Build (and show) a wizard; every one is closed and its workers stopped at the end."""
    from migration_assistant.gui.wizard import MigrationWizard

    made: list[MigrationWizard] = []

    def make(**kwargs: object) -> MigrationWizard:
        kwargs.setdefault("dialogs", dialogs)
        kwargs.setdefault("settings", settings)
        wizard = MigrationWizard(**kwargs)  # type: ignore[arg-type]
        qtbot.addWidget(wizard)
        wizard.resize(1280, 800)
        wizard.show()
        qtbot.waitExposed(wizard)
        made.append(wizard)
        return wizard

    yield make
    for wizard in made:
        wizard.shutdown()  # what closing the window does: cancel (no waiting here; the leak check waits)


@pytest.fixture
def wizard(make_wizard):  # type: ignore[no-untyped-def]
    return make_wizard()
