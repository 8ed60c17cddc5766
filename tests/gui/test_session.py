"""The session: saved atomically with a schema version; "Resume where I left off" restores page and choices."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from migration_assistant.core.atomic import atomic_write
from migration_assistant.gui import session as session_mod
from migration_assistant.gui.pages import ids
from migration_assistant.gui.session import SCHEMA_VERSION, SavedFile, Session, load_session, save_session
from tests.gui.driving import (
    TIMEOUT,
    add_by_drop,
    choose_column,
    choose_template_source,
    click_next,
    go_to_review,
)
from tests.gui.exports import write_csv


def test_save_and_load_round_trip(isolated_home: Path) -> None:
    saved = Session(
        source="template",
        inputs=["/data/export"],
        files=[SavedFile("/data/export/contacts.csv", "contacts.csv", "ab" * 32)],
        roles={"odd.csv": "notes"},
        mappings={"odd.csv": {"notes": {"Body": "Text"}}},
        acknowledged=["no-trust-history"],
        current_page=ids.REVIEW,
        privacy=True,
    )
    path = save_session(saved)
    assert path.parent == isolated_home / "data"
    raw = json.loads(path.read_text(encoding="utf-8"))
    assert raw["schema_version"] == SCHEMA_VERSION
    loaded = load_session()
    assert loaded == saved
    assert loaded.saved_when
    assert not list(path.parent.glob("*.partial")), "no temporary file is left behind"


def test_unusable_sessions_are_ignored(isolated_home: Path) -> None:
    path = save_session(Session(source="template"))
    raw = json.loads(path.read_text(encoding="utf-8"))
    raw["schema_version"] = SCHEMA_VERSION + 1
    path.write_text(json.dumps(raw), encoding="utf-8")
    assert load_session() is None
    path.write_text("{not json", encoding="utf-8")
    assert load_session() is None


def test_a_failed_write_keeps_the_previous_session(
    isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    save_session(Session(source="template", current_page=ids.FILES))

    def disk_full(path: Path, text: str) -> None:
        with atomic_write(path) as fh:
            fh.write(text[:10])
            raise OSError("disk full")

    with monkeypatch.context() as patch:
        patch.setattr(session_mod, "write_text", disk_full)
        with pytest.raises(OSError):
            save_session(Session(source="pclaw", current_page=ids.REVIEW))
    kept = load_session()
    assert kept is not None and kept.source == "template" and kept.current_page == ids.FILES
    assert [p.name for p in (isolated_home / "data").iterdir()] == ["session.json"]


def test_changed_files_are_found_by_fingerprint() -> None:
    saved = Session(files=[SavedFile("/a.csv", "a.csv", "1"), SavedFile("/b.csv", "b.csv", "2")])
    assert saved.changed_files({"/a.csv": "1", "/b.csv": "2"}) == []
    assert saved.changed_files({"/a.csv": "1", "/b.csv": "3"}) == ["b.csv"]
    assert saved.changed_files({"/a.csv": "1"}) == ["b.csv"]


def test_resume_restores_page_choices_and_rechecks_changed_files(
    qtbot, make_wizard, export_dir: Path, tmp_path: Path
) -> None:
    first = make_wizard()
    odd = write_csv(export_dir / "odd.csv", ["Colour", "Flavour", "Size"], [["red", "lemon", "big"]])
    choose_template_source(qtbot, first)
    add_by_drop(qtbot, first, [export_dir])
    files = first.currentPage()
    row = [files.table.item(r, files.FILE).text() for r in range(files.table.rowCount())].index("odd.csv")
    box = files.table.cellWidget(row, files.ROLE)
    box.setCurrentIndex(box.findData("notes"))
    click_next(qtbot, first)
    # Map columns: the odd file's needed note fields get a column each.
    for title, label in (("Note ID", "Colour"), ("Date", "Flavour"), ("Subject", "Size")):
        choose_column(qtbot, first, "odd.csv", title, label)
    click_next(qtbot, first)
    qtbot.waitUntil(first.currentPage().isComplete, timeout=TIMEOUT)
    click_next(qtbot, first)
    assert first.currentId() == ids.REVIEW
    before = len(first.state.result.report.findings)
    first.close()
    saved = load_session()
    assert saved is not None and saved.current_page == ids.REVIEW
    assert saved.roles == {"odd.csv": "notes"} and saved.source == "template"
    assert saved.mappings == {
        "odd.csv": {"notes": {"Note ID": "Colour", "Date": "Flavour", "Subject": "Size"}}
    }

    # Meanwhile the firm adds a row to the odd file.
    odd.write_text(odd.read_text(encoding="utf-8") + "blue,mint,small\n", encoding="utf-8")

    second = make_wizard()
    welcome = second.currentPage()
    assert welcome.resume_box.isVisible()
    assert "Review problems" in welcome.resume_text.text()
    qtbot.mouseClick(welcome.resume_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: second.currentId() == ids.REVIEW, timeout=TIMEOUT)
    assert second.state.source_id == "template"
    assert second.state.role_choices == {"odd.csv": "notes"}
    assert second.state.changed_since_last_time == ["odd.csv"]
    review = second.currentPage()
    assert "odd.csv" in review.changed_notice.text()
    assert len(second.state.result.report.findings) >= before - 1
    # Back still works after a resume: the pages were walked, not jumped over.
    second.back()
    assert second.currentId() == ids.CHECK


def test_resume_never_switches_privacy_off(qtbot, make_wizard, export_dir: Path) -> None:
    save_session(Session(source="template", inputs=[str(export_dir)], current_page=ids.FILES, privacy=False))
    wizard = make_wizard()
    wizard.privacy.set_enabled(True)
    wizard.resume(load_session())
    qtbot.waitUntil(
        lambda: wizard.currentId() == ids.FILES and wizard.currentPage().isComplete(), timeout=TIMEOUT
    )
    assert wizard.privacy.enabled


def test_sessions_are_saved_as_the_user_moves_on(qtbot, wizard, export_dir: Path) -> None:
    assert load_session() is None  # nothing chosen yet: nothing saved
    go_to_review(qtbot, wizard, export_dir)
    saved = load_session()
    assert saved.current_page == ids.REVIEW
    assert {Path(f.path).name for f in saved.files} == {
        "users.csv",
        "contacts.csv",
        "matters.csv",
        "activities.csv",
    }
    assert all(len(f.sha256) == 64 for f in saved.files)
    assert "Eleanor" not in json.dumps(saved.to_json())  # choices and fingerprints only, no cell values


def test_trying_the_sample_never_replaces_the_saved_session(qtbot, make_wizard, export_dir: Path) -> None:
    from migration_assistant.core.resources import sample_export_dir

    try:
        sample_export_dir()
    except FileNotFoundError:
        pytest.skip("the bundled sample export is not in this checkout")
    save_session(Session(source="template", inputs=[str(export_dir)], current_page=ids.FILES))
    wizard = make_wizard()
    assert wizard.start_sample()
    qtbot.waitUntil(
        lambda: wizard.currentId() == ids.FILES and wizard.currentPage().isComplete(), timeout=TIMEOUT
    )
    wizard.close()
    kept = load_session()
    assert kept is not None and kept.inputs == [str(export_dir)]
