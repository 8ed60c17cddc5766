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
    package_dir = Path(tempfile.mkdtemp(prefix="ma-shots-package-"))
    # Keys and passphrases go to memory, never to the keychain of the machine taking the pictures.
    import keyring
    import keyring.backends.fail

    from tests.conftest import MemoryKeyring

    memory_keyring = MemoryKeyring()
    keyring.set_keyring(memory_keyring)

    from PySide6.QtCore import QThreadPool
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QScrollArea

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
    # The export guide of a real system, two steps ticked.
    source = wizard.currentPage()
    source.search.setText("PCLaw")
    settle()
    wizard.next()
    guide = wizard.currentPage()
    for check in guide.checks[:2]:
        check.setChecked(True)
    shoot("2b-export-guide")
    guide_scroll = guide.findChild(QScrollArea)
    if guide_scroll is not None:
        guide_scroll.verticalScrollBar().setValue(guide_scroll.verticalScrollBar().maximum())
        shoot("2b-export-guide-end")
    wizard.start_sample()
    wait_for(lambda: wizard.currentId() == ids.FILES and wizard.currentPage().isComplete())
    shoot("3-files")
    wizard.next()
    columns = wizard.currentPage()
    # The time entries file: its preview holds descriptions and amounts (hidden in privacy mode).
    for row in range(columns.files.count()):
        if columns.files.item(row).text().startswith("Time and expenses"):
            columns.files.setCurrentRow(row)
    shoot("3b-map-columns")
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
    # A possible duplicate: its message quotes two names and an e-mail address (masked in privacy mode).
    review.search.setText("same person")
    settle()
    review.table.selectRow(0)
    shoot("5c-review-duplicate")
    review.search.setText("")
    review.check_again()
    wait_for(lambda: review.isComplete())
    shoot("5-review-again")
    review.tabs.setCurrentIndex(1)
    shoot("5b-review-balances")
    review.tabs.setCurrentIndex(0)
    wizard.next()
    limitations = wizard.currentPage()
    for view in limitations.views[:3]:
        view.check.setChecked(True)
    shoot("6-limitations")
    limitations.name.setText("Jane Lawyer")
    for view in limitations.views:
        view.check.setChecked(True)
    shoot("6-limitations-done")
    wizard.next()
    if wizard.currentId() == ids.PACKAGE:
        import pyrage

        package_page = wizard.currentPage()
        package_page.firm.setText("Harbourview Legal")
        package_page.contact.setText("office@harbourview.example")
        package_page.path_edit.setText(str(package_dir / "Harbourview-Legal-migration.age"))
        package_page.key_edit.setText("age1notakey")
        shoot("6p-package-bad-key")
        specialist = pyrage.x25519.Identity.generate()
        package_page.key_edit.setText(str(specialist.to_public()))
        shoot("6p-package-key")
        package_page.use_passphrase.setChecked(True)
        shoot("6p-package-passphrase")
        package_page.use_key.setChecked(True)
        package_page.create_package()
        wait_for(lambda: not package_page.running)
        shoot("6p-package-done")
        keyring.set_keyring(keyring.backends.fail.Keyring())  # what a computer without a keychain shows
        package_page.initializePage()
        package_page.use_passphrase.setChecked(True)
        shoot("6p-package-no-keychain")
        keyring.set_keyring(memory_keyring)
        from migration_assistant.core.package.keystore import clear_session_secrets

        clear_session_secrets()  # forget the session-only firm key made for that picture
        package_page.use_key.setChecked(True)
        package_page.initializePage()
        wizard.next()
    if wizard.currentId() == ids.DONE:
        shoot("7-done")
    # Open a package (Welcome page), as the specialist: intact, then with one byte changed.
    sealed = wizard.state.package
    if sealed is not None:
        welcome = wizard.page(ids.WELCOME)
        welcome.open_package()
        dialog = welcome.package_dialog
        dialog.resize(*size)

        def shoot_dialog(name: str) -> None:
            settle()
            dialog.grab().save(str(out / f"{name}.png"))
            wizard.privacy.set_enabled(True)
            settle()
            dialog.grab().save(str(out / f"{name}-privacy.png"))
            wizard.privacy.set_enabled(False)

        dialog.path_edit.setText(str(sealed.path))
        dialog.open_package()
        wait_for(lambda: not dialog.running)
        for index, tab in enumerate(("details", "checklist", "findings", "balances")):
            dialog.tabs.setCurrentIndex(index)
            shoot_dialog(f"8-open-package-{tab}")
        damaged = bytearray(sealed.path.read_bytes())
        damaged[len(damaged) // 2] ^= 0x01
        tampered = sealed.path.with_name("tampered.age")
        tampered.write_bytes(bytes(damaged))
        dialog.path_edit.setText(str(tampered))
        dialog.open_package()
        wait_for(lambda: not dialog.running)
        shoot_dialog("8-open-package-tampered")
        dialog.close()
    # The Add files page with an unrecognised file and missing exports.
    from tests.gui.exports import ACTIVITIES, write_csv, write_small_export

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
    # Map columns with a needed field missing: a time entries file without its User ID column.
    lines = (small / "activities.csv").read_text(encoding="utf-8").splitlines()
    keep = [i for i, name in enumerate(ACTIVITIES) if name != "User ID"]
    import csv

    rows = list(csv.reader(lines))
    write_csv(small / "activities.csv", [rows[0][i] for i in keep], [[r[i] for i in keep] for r in rows[1:]])
    wizard.use_inputs("template", [small])
    wait_for(
        lambda: (
            wizard.currentId() == ids.FILES and bool(wizard.state.files) and not wizard.currentPage().reading
        )
    )
    wizard.next()
    shoot("3b-map-columns-problem")
    # The limitations page with a blocker (an empty file cannot be migrated as it is).
    blocked = write_small_export(Path(tempfile.mkdtemp(prefix="ma-blocker-")) / "export")
    (blocked / "empty.csv").write_text("", encoding="utf-8")
    wizard.use_inputs("template", [blocked], target=ids.LIMITATIONS)
    wait_for(lambda: wizard.currentId() == ids.LIMITATIONS, timeout=60)
    shoot("6-limitations-blocker")
    # The export guide for "I'm not sure".
    wizard.state.reset()
    wizard.restart()
    wizard.next()
    source = wizard.currentPage()
    source.list.setCurrentRow(source.list.count() - 1)
    wizard.next()
    shoot("2b-export-guide-not-sure")
    wizard.close()
    QThreadPool.globalInstance().waitForDone(5000)
    print(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
