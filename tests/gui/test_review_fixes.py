"""The Review page's fixes: Fix and Fix all with a preview, Check again shows them fixed, Undo, privacy,
the session keeps the log, and the package seals it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from PySide6.QtCore import Qt

from migration_assistant.core.fixes.log import FixEntry, FixLog
from migration_assistant.core.resources import resource_path
from migration_assistant.gui.models import FINDING_ROLE, STATUS_ROLE
from migration_assistant.gui.privacy_view import MASK
from migration_assistant.gui.session import (
    SCHEMA_VERSION,
    Session,
    discard_session,
    fix_log_path,
    load_session,
    save_session,
)
from tests.gui.driving import TIMEOUT, go_to_review

CLIENTS = "Client list.csv"


def sample(tmp_path: Path, murphys: bool = False) -> Path:
    """The bundled sample export (mojibake in Client list.csv row 19), optionally with every Murphy garbled too."""
    folder = tmp_path / "sample"
    shutil.copytree(resource_path("resources", "samples", "sample-firm"), folder)
    if murphys:
        path = folder / CLIENTS
        text = path.read_text(encoding="utf-8-sig")
        assert text.count(",Murphy,") >= 2
        path.write_text(text.replace(",Murphy,", ",MÃ¼rphy,"), encoding="utf-8-sig")
    return folder


def select(qtbot, review, rule: str, file: str, row: int, column: str) -> None:  # type: ignore[no-untyped-def]
    proxy = review.proxy
    for r in range(proxy.rowCount()):
        f = proxy.index(r, 0).data(FINDING_ROLE)
        if (f.rule, f.file, f.row, f.column) == (rule, file, row, column):
            review.table.selectRow(r)
            return
    raise AssertionError(f"no {rule} finding at {file} row {row} {column}")


def status_of(review, file: str, row: int, column: str) -> str | None:  # type: ignore[no-untyped-def]
    proxy = review.proxy
    for r in range(proxy.rowCount()):
        f = proxy.index(r, 0).data(FINDING_ROLE)
        if (f.rule, f.file, f.row, f.column) == ("mojibake", file, row, column):
            return proxy.index(r, 0).data(STATUS_ROLE) or "shown"
    return None


def done(qtbot, review) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: review._operation is None, timeout=TIMEOUT)


def click(qtbot, button) -> None:  # type: ignore[no-untyped-def]
    assert button.isVisible() and button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def mojibake_rule(review) -> str:  # type: ignore[no-untyped-def]
    return next(f.rule for f in review.state.result.report.findings if f.file == CLIENTS and f.row == 19)


def test_fix_one_preview_check_again_shows_fixed_then_undo(qtbot, wizard, tmp_path: Path) -> None:
    go_to_review(qtbot, wizard, sample(tmp_path))
    review = wizard.currentPage()
    rule = mojibake_rule(review)
    select(qtbot, review, rule, CLIENTS, 19, "First Name")
    details = review.details
    assert "“JosÃ©” → “José”" in details.fix_text.text()
    assert details.fix_button.isVisible() and not details.fix_all_button.isVisible()  # one like it
    click(qtbot, details.fix_button)
    done(qtbot, review)
    result = wizard.state.result
    assert result.fix_log is not None and len(result.fix_log) == 1
    assert [f.column for f in result.report.fixed] == ["First Name"]
    # Shown as fixed, not vanished; the other garbled cell on the row is still there.
    proxy = review.proxy
    statuses = {
        (proxy.index(r, 0).data(FINDING_ROLE).row, proxy.index(r, 0).data(FINDING_ROLE).column): proxy.index(
            r, 0
        ).data(STATUS_ROLE)
        for r in range(proxy.rowCount())
        if proxy.index(r, 0).data(FINDING_ROLE).file == CLIENTS
    }
    assert statuses[(19, "First Name")] == "fixed"
    assert statuses[(19, "Last Name")] != "fixed"
    select(qtbot, review, rule, CLIENTS, 19, "First Name")
    assert "Fixed for you" in details.fix_text.text() and details.undo_button.isVisible()
    shown = review.record.displayed_values()
    assert any("José" in v and "fixed: was “JosÃ©”" in v for v in shown), shown
    click(qtbot, details.undo_button)
    done(qtbot, review)
    assert wizard.state.fix_log is None and wizard.state.result.fix_log is None
    assert any(
        f.file == CLIENTS and f.row == 19 and f.column == "First Name"
        for f in wizard.state.result.report.findings
    )


def test_fix_all_like_this_and_undo_all(qtbot, wizard, tmp_path: Path) -> None:
    go_to_review(qtbot, wizard, sample(tmp_path, murphys=True))
    review = wizard.currentPage()
    state = wizard.state
    garbled = [
        f for f in state.result.report.findings if f.file == CLIENTS and f.column == "Last Name" and f.row
    ]
    murphys = [f for f in garbled if state.fix_plan.on_cell(f) is not None]
    assert len(murphys) >= 3  # the Murphys and row 19's Pérez
    first = murphys[0]
    select(qtbot, review, first.rule, CLIENTS, first.row, "Last Name")
    details = review.details
    assert details.fix_all_button.text() == f"Fix all {len(murphys)} like this"
    assert f"Fix all {len(murphys)} like this" in details.fix_text.text()
    assert "“MÃ¼rphy” → “Mürphy”" in details.fix_text.text()
    click(qtbot, details.fix_all_button)
    done(qtbot, review)
    assert len(state.result.fix_log) == len(murphys)
    assert all(
        status_of(review, CLIENTS, f.row, "Last Name") == "fixed" for f in murphys if f.rule == "mojibake"
    )
    assert not any(f.column == "Last Name" and f.file == CLIENTS for f in state.result.report.findings)
    assert details.undo_all_button.isVisible()
    click(qtbot, details.undo_all_button)
    done(qtbot, review)
    assert state.fix_log is None
    assert sum(f.column == "Last Name" and f.file == CLIENTS for f in state.result.report.findings) >= len(
        murphys
    )


def test_privacy_masks_the_preview_and_the_fixed_note(qtbot, wizard, tmp_path: Path) -> None:
    go_to_review(qtbot, wizard, sample(tmp_path))
    review = wizard.currentPage()
    wizard.privacy.set_enabled(True)
    rule = mojibake_rule(review)
    select(qtbot, review, rule, CLIENTS, 19, "First Name")
    text = review.details.fix_text.text()
    assert "José" not in text and "JosÃ©" not in text and MASK[-1] in text
    click(qtbot, review.details.fix_button)
    done(qtbot, review)
    select(qtbot, review, rule, CLIENTS, 19, "First Name")
    shown = " ".join(review.record.displayed_values()) + review.details.fix_text.text()
    assert "José" not in shown and "JosÃ©" not in shown and "fixed: was" in shown


def fix_one_and_close(qtbot, make_wizard, tmp_path: Path):  # type: ignore[no-untyped-def]
    """Fix the sample's garbled name in one wizard and close it (the session is saved); its log."""
    first = make_wizard()
    go_to_review(qtbot, first, sample(tmp_path))
    review = first.currentPage()
    select(qtbot, review, mojibake_rule(review), CLIENTS, 19, "First Name")
    click(qtbot, review.details.fix_button)
    done(qtbot, review)
    log = first.state.fix_log
    first.close()
    return log


def resume(qtbot, make_wizard):  # type: ignore[no-untyped-def]
    second = make_wizard()
    qtbot.mouseClick(second.currentPage().resume_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: second.state.result is not None, timeout=TIMEOUT)
    return second


def test_the_session_keeps_the_fix_log_and_resume_checks_with_it(qtbot, make_wizard, tmp_path: Path) -> None:
    log = fix_one_and_close(qtbot, make_wizard, tmp_path)
    saved = load_session()
    assert saved is not None and saved.schema_version == SCHEMA_VERSION == 4
    # The log is a file of its own beside the session, in the format `fix --log` writes.
    assert saved.fix_log is None and saved.fix_log_file.startswith("fix-log-")
    on_disk = FixLog.load(fix_log_path(saved.fix_log_file))
    assert on_disk == log and next(on_disk.entries()).after == "José"

    second = resume(qtbot, make_wizard)
    assert second.state.fix_log == log
    assert [f.column for f in second.state.result.report.fixed] == ["First Name"]


def test_an_old_session_resumes_without_fixes(isolated_home: Path) -> None:
    path = save_session(Session(source="template"))
    raw = json.loads(path.read_text(encoding="utf-8"))
    raw["schema_version"] = 2
    del raw["fix_log"]
    path.write_text(json.dumps(raw), encoding="utf-8")
    old = load_session()
    assert old is not None and old.fix_log is None and old.source == "template"


def test_the_package_sealed_after_fixing_holds_the_fix_log(qtbot, wizard, dialogs, tmp_path: Path) -> None:
    import pyrage

    from migration_assistant.core.package import verify_package
    from tests.gui.driving import acknowledge_everything, click_next
    from tests.gui.test_package_page import create, fill_in, paste

    go_to_review(qtbot, wizard, sample(tmp_path))
    review = wizard.currentPage()
    select(qtbot, review, mojibake_rule(review), CLIENTS, 19, "First Name")
    click(qtbot, review.details.fix_button)
    done(qtbot, review)
    click_next(qtbot, wizard)
    acknowledge_everything(qtbot, wizard.currentPage(), "Jane Partner")
    click_next(qtbot, wizard)
    page = wizard.currentPage()
    specialist = pyrage.x25519.Identity.generate()
    out_dir = tmp_path / "to-send"
    out_dir.mkdir()
    out = out_dir / "package.age"
    fill_in(qtbot, dialogs, page, out)
    paste(qtbot, page.key_edit, str(specialist.to_public()))
    create(qtbot, page)
    captured = ("data/fixes/fix-log.json", "data/findings/report.html")
    opened = verify_package(out, identity=specialist, capture=captured)
    assert opened.ok, opened.summary()
    log = json.loads(opened.captured["data/fixes/fix-log.json"])
    assert [(e["row"], e["column"], e["after"]) for e in log["entries"]] == [(19, "First Name", "José")]
    assert log["applied_by"] == "Jane Partner"
    # The sealed report names who applied them too (it was sealed before the log was signed).
    assert "applied by Jane Partner" in opened.captured["data/findings/report.html"].decode("utf-8")


def _log(after: str) -> FixLog:
    entry = FixEntry(
        "clients.csv", None, 19, "First Name", "JosÃ©", after, "repair-mojibake", "2026-12-06T00:00:00+00:00"
    )
    return FixLog.from_entries([entry])


def test_a_version_3_session_resumes_with_the_log_it_holds(isolated_home: Path) -> None:
    from migration_assistant.gui.state import WizardState

    log = _log("José")
    path = save_session(Session(source="template", fix_log=log.to_json()))
    raw = json.loads(path.read_text(encoding="utf-8"))
    raw["schema_version"] = 3
    del raw["fix_log_file"]
    path.write_text(json.dumps(raw), encoding="utf-8")
    old = load_session()
    assert old is not None and old.fix_log_file == ""
    state = WizardState()
    state.restore(old)
    assert state.fix_log == log


def test_each_log_is_written_once_on_a_thread_and_only_the_newest_is_kept(isolated_home: Path) -> None:
    from migration_assistant.gui.fix_log_saver import FixLogSaver

    saver = FixLogSaver()
    first = _log("José")
    name = saver.name_for(first)
    assert saver.name_for(first) == name  # the same log: not written again
    saver.wait()
    assert FixLog.load(fix_log_path(name)) == first
    second = _log("Jose")
    newer = saver.name_for(second)
    saver.wait()
    assert newer != name and FixLog.load(fix_log_path(newer)) == second
    assert not fix_log_path(name).exists()  # the session names the newest only
    assert saver.name_for(None) == "" and saver.name_for(FixLog()) == ""
    discard_session()  # "Start over" / a discarded session takes its fix log with it
    assert not fix_log_path(newer).exists()
    # A session naming a file elsewhere is not followed.
    assert Session.from_json({**Session().to_json(), "fix_log_file": "../secrets.json"}).fix_log_file == ""


def test_a_saved_fix_log_is_read_by_the_check_and_named_until_then(isolated_home: Path) -> None:
    from migration_assistant.gui.state import WizardState

    log = _log("José")
    path = fix_log_path("fix-log-0123456789ab.json")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(log.to_json_text(), encoding="utf-8")
    state = WizardState()
    state.restore(Session(source="template", fix_log_file=path.name))
    # Not read on the GUI thread: the check reads it in its worker.
    assert state.fix_log is None and state.saved_fix_log == path
    # A session saved before that check still names it.
    assert state.to_session(0, False).fix_log_file == path.name


def test_a_damaged_saved_fix_log_is_set_aside_with_a_reason(qtbot, make_wizard, tmp_path: Path) -> None:
    fix_one_and_close(qtbot, make_wizard, tmp_path)
    saved = load_session()
    assert saved is not None
    fix_log_path(saved.fix_log_file).write_text("{not json", encoding="utf-8")

    second = resume(qtbot, make_wizard)
    assert second.state.fix_log is None and second.state.result.fix_log is None
    assert "could not be read" in second.state.stale_fixes


def test_undoing_every_fix_deletes_the_saved_log_s_file(isolated_home: Path) -> None:
    """The file holds client cells before and after: once no fix is left, it is not kept."""
    from migration_assistant.gui.fix_log_saver import FixLogSaver

    saver = FixLogSaver()
    name = saver.name_for(_log("José"))
    saver.wait()
    assert fix_log_path(name).exists()
    assert saver.name_for(None) == ""
    assert not fix_log_path(name).exists()


def test_a_resumed_log_is_not_written_again(qtbot, make_wizard, tmp_path: Path) -> None:
    """Half a million fixes take seconds to write: the file a resumed session names is kept as it is."""
    fix_one_and_close(qtbot, make_wizard, tmp_path)
    saved = load_session()
    assert saved is not None
    path = fix_log_path(saved.fix_log_file)
    written = path.stat().st_mtime_ns
    second = resume(qtbot, make_wizard)
    assert second.state.fix_log is not None
    second.save()
    second._fix_log_saver.wait()
    again = load_session()
    assert again is not None and again.fix_log_file == saved.fix_log_file
    assert path.stat().st_mtime_ns == written
    assert sorted(p.name for p in path.parent.glob("fix-log-*.json")) == [path.name]
