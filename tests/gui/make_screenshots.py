"""Render every page to PNG (offscreen) for a visual check: not a test.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/gui/make_screenshots.py [OUT_DIR] [--scale 2]

Writes ``<page>.png`` and ``<page>-privacy.png`` at 1280x800 logical pixels, or ``--size WxH``;
``--scale 2`` renders at 200 % (QT_SCALE_FACTOR), e.g. ``--scale 2 --size 960x540`` is a
1920x1080 screen at 200 %.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def main() -> int:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if "--scale" in sys.argv:
        os.environ["QT_SCALE_FACTOR"] = sys.argv[sys.argv.index("--scale") + 1]
        args = [a for a in args if a != sys.argv[sys.argv.index("--scale") + 1]]
    size = (1280, 800)
    if "--size" in sys.argv:
        value = sys.argv[sys.argv.index("--size") + 1]
        args = [a for a in args if a != value]
        size = tuple(int(x) for x in value.split("x"))  # type: ignore[assignment]
    out = Path(args[0] if args else "/tmp/ma-screens")
    out.mkdir(parents=True, exist_ok=True)
    os.environ["MIGRATION_ASSISTANT_HOME"] = tempfile.mkdtemp(prefix="ma-shots-")

    from PySide6.QtCore import QThreadPool
    from PySide6.QtTest import QTest

    from migration_assistant.gui.app import apply_style, make_application
    from migration_assistant.gui.dialogs import ScriptedDialogs
    from migration_assistant.gui.pages import ids
    from migration_assistant.gui.wizard import MigrationWizard

    app = make_application()
    apply_style(app)
    wizard = MigrationWizard(dialogs=ScriptedDialogs(), save_sessions=False)
    wizard.resize(*size)
    wizard.show()

    def settle(ms: int = 150) -> None:
        for _ in range(5):
            app.processEvents()
            QTest.qWait(ms // 5)

    def wait_for(predicate, timeout: float = 30.0) -> None:  # type: ignore[no-untyped-def]
        import time

        end = time.monotonic() + timeout
        while not predicate() and time.monotonic() < end:
            app.processEvents()
            QTest.qWait(20)

    def shoot(name: str) -> None:
        settle()
        wizard.privacy.set_enabled(False)
        settle()
        wizard.grab().save(str(out / f"{name}.png"))
        wizard.privacy.set_enabled(True)
        settle()
        wizard.grab().save(str(out / f"{name}-privacy.png"))
        wizard.privacy.set_enabled(False)

    settle()
    shoot("1-welcome")
    wizard.next()
    shoot("2-source")
    wizard.start_sample()
    wait_for(lambda: wizard.currentId() == ids.FILES and wizard.currentPage().isComplete())
    shoot("3-files")
    wizard.next()
    shoot_running = out / "4-check-running.png"
    settle(30)
    wizard.grab().save(str(shoot_running))
    wait_for(lambda: wizard.currentPage().isComplete())
    shoot("4-check")
    wizard.next()
    review = wizard.currentPage()
    # Select a contact problem so the record preview shows client data.
    review.search.setText("garbled")
    settle()
    review.table.selectRow(0)
    shoot("5-review")
    review.search.setText("")
    review.check_again()
    wait_for(lambda: review.isComplete())
    shoot("5-review-again")
    wizard.next()
    shoot("6-done")
    # The Add files page with an unrecognised file and missing exports.
    from tests.gui.exports import write_csv, write_small_export

    small = write_small_export(Path(tempfile.mkdtemp(prefix="ma-small-")) / "export")
    (small / "matters.csv").unlink()
    odd = write_csv(small.parent / "Copy of list FINAL (2).csv", ["Colour", "Flavour"], [["red", "lemon"]])
    wizard.use_inputs("template", [small, odd])
    wait_for(
        lambda: (
            wizard.currentId() == ids.FILES and bool(wizard.state.files) and not wizard.currentPage().reading
        )
    )
    shoot("3-files-problems")
    wizard.close()
    QThreadPool.globalInstance().waitForDone(5000)
    print(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
