"""A table the user chose to leave out (role "") is skipped by the engine, and says so."""

from __future__ import annotations

from pathlib import Path

from migration_assistant.core.engine import validate
from migration_assistant.core.findings import Severity
from migration_assistant.core.results import LEFT_OUT
from tests.gui.exports import write_csv, write_small_export


def test_a_left_out_table_is_not_checked_and_gets_an_info_finding(tmp_path: Path) -> None:
    folder = write_small_export(tmp_path / "export")
    # An empty file is a blocker when it is read; left out, it is nobody's problem.
    (folder / "empty.csv").write_text("", encoding="utf-8")
    before = validate([folder], "template")
    assert any(f.file == "empty.csv" and f.severity is Severity.BLOCKER for f in before.report.findings)
    assert before.report.records["activities"] == 2

    result = validate([folder], "template", roles={"empty.csv": LEFT_OUT, "activities.csv": LEFT_OUT})
    report = result.report
    for name in ("empty.csv", "activities.csv"):
        about = [f for f in report.findings if f.file == name]
        assert [(f.rule, f.severity) for f in about] == [("left-out-file", Severity.INFO)], name
        assert "left out at your request" in about[0].message
    assert "activities" not in report.records
    assert "activities" not in result.dataset.entities
    info = {f.file: f for f in report.files}
    assert info["activities.csv"].role is None and info["activities.csv"].sha256
    # The other files are checked as before.
    assert report.records["contacts"] == before.report.records["contacts"]


def test_leaving_out_does_not_change_other_role_choices(tmp_path: Path) -> None:
    folder = tmp_path / "export"
    write_csv(folder / "odd.csv", ["Note ID", "Date", "Subject"], [["N1", "2024-01-02", "Call"]])
    write_csv(folder / "other.csv", ["Colour"], [["red"]])
    result = validate([folder], "template", roles={"odd.csv": "notes", "other.csv": LEFT_OUT})
    roles = {f.file: f.role for f in result.report.files}
    assert roles == {"odd.csv": "notes", "other.csv": None}
    assert not any(f.rule == "unrecognised-file" for f in result.report.findings)


def test_a_role_choice_does_not_override_what_a_format_reader_knows(tmp_path: Path) -> None:
    from tests.conftest import conformance_dir

    source = conformance_dir("formats", "ledes") / "ledes_98B_spec_example.txt"
    copy = tmp_path / "invoice.txt"
    copy.write_bytes(source.read_bytes())
    result = validate([tmp_path], "template", roles={"invoice.txt": "contacts"})
    assert sorted(info.role or "" for info in result.report.files) == ["activities", "bills"]
