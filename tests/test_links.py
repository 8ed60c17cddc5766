"""Links in the folders given (issue 16, item 1): followed only as far as the folder they are in.

A link in a folder to a file outside it is listed ("skipped: a link to a file outside the
folder") and neither read nor sealed; a link to a file inside is read once, as that file; a
link given by name is the user's choice and is read from its real location.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pyrage
import pytest

from migration_assistant.cli import main
from migration_assistant.core.checklist import build_checklist
from migration_assistant.core.engine import validate
from migration_assistant.core.findings import Severity
from migration_assistant.core.handoff import build_payload
from migration_assistant.core.package import PayloadEntry, verify_package
from migration_assistant.core.readers.errors import UnreadableFile
from migration_assistant.core.readers.inputs import collect_inputs
from tests.helpers import CONTACTS, USERS, findings, write_entity, write_export

pytestmark = pytest.mark.skipif(os.name == "nt", reason="making symlinks needs rights Windows seldom grants")

CANARY = "Canary-7f3a9 not for the package"
OUTSIDE_TEXT = f"Contact ID,Type,First Name,Last Name,Email\r\nX1,Person,{CANARY},Secret,x@example.org\r\n"


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A file outside the export folder that a link in it points at (a stand-in for /etc/passwd)."""
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    secret = folder / "private.csv"
    secret.write_text(OUTSIDE_TEXT, encoding="utf-8")
    return secret


@pytest.fixture
def export(tmp_path: Path, outside: Path) -> Path:
    folder = write_export(tmp_path / "export", {"contacts": CONTACTS, "users": USERS})
    (folder / "linked contacts.csv").symlink_to(outside)
    (folder / "linked folder").symlink_to(outside.parent, target_is_directory=True)
    return folder


def sealed_originals(entries: list[PayloadEntry]) -> dict[str, Path]:
    return {
        e.name.removeprefix("originals/"): Path(e.source)
        for e in entries
        if e.name.startswith("originals/") and e.source is not None
    }


def test_a_link_out_of_the_folder_is_listed_but_neither_read_nor_sealed(export: Path, outside: Path) -> None:
    files, skipped = collect_inputs([export])

    assert sorted(f.display for f in files) == ["contacts.csv", "users.csv"]
    assert [(s.display, s.not_read, s.sealed) for s in skipped] == [
        ("linked contacts.csv", "a link to a file outside the folder", False),
        ("linked folder", "a link to a folder outside the folder", False),
    ]
    result = validate([export], "template")
    listed = findings(result, "not-checked")
    assert [(f.file, f.severity, f.message) for f in listed] == [
        ("linked contacts.csv", Severity.INFO, "Skipped: a link to a file outside the folder."),
        ("linked folder", Severity.INFO, "Skipped: a link to a folder outside the folder."),
    ]
    assert "neither checked nor put in the package" in listed[0].hint
    assert CANARY not in result.report.to_json_text()
    sealed = sealed_originals(build_payload(result, build_checklist(result)))
    assert sorted(sealed) == ["contacts.csv", "users.csv"]
    assert outside.resolve() not in {p.resolve() for p in sealed.values()}


def test_package_never_seals_a_file_outside_what_was_given(
    export: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    specialist = pyrage.x25519.Identity.generate()
    package = tmp_path / "package.age"
    report = tmp_path / "report.html"
    findings_json = tmp_path / "findings.json"
    assert main(["validate", str(export), "--source", "template", "--json", str(findings_json),
                 "--html", str(report)]) == 0  # fmt: skip
    assert main(["package", str(export), "--source", "template", "--out", str(package), "--quiet", "--no-firm-key",
                 "--recipient", str(specialist.to_public()), "--acknowledge", "Test"]) == 0  # fmt: skip
    capsys.readouterr()

    opened = verify_package(package, identity=specialist, extract_to=tmp_path / "opened")

    assert opened.ok and opened.extracted_to is not None
    originals = opened.extracted_to / "data" / "originals"
    assert sorted(p.name for p in originals.iterdir()) == ["contacts.csv", "users.csv"]
    for path in [findings_json, report, *opened.extracted_to.rglob("*")]:
        assert not path.is_symlink()
        if path.is_file():
            assert CANARY.encode() not in path.read_bytes(), path
    listed = json.loads((opened.extracted_to / "data" / "findings" / "findings.json").read_text())["findings"]
    assert {
        "file": "linked contacts.csv",
        "message": "Skipped: a link to a file outside the folder.",
    }.items() <= (next(f for f in listed if f["file"] == "linked contacts.csv").items())
    assert "Skipped: a link to a file outside the folder." in report.read_text(encoding="utf-8")


@pytest.mark.skipif(not Path("/etc/passwd").is_file(), reason="no /etc/passwd here")
def test_a_link_to_etc_passwd_never_reaches_the_findings(tmp_path: Path) -> None:
    folder = write_export(tmp_path / "export", {"contacts": CONTACTS})
    (folder / "passwd.csv").symlink_to("/etc/passwd")
    result = validate([folder], "template")
    first_line = Path("/etc/passwd").read_text(errors="replace").splitlines()[0]
    assert first_line not in result.report.to_json_text()
    assert [f.file for f in findings(result, "not-checked")] == ["passwd.csv"]
    assert "passwd.csv" not in sealed_originals(build_payload(result, build_checklist(result)))


def test_a_link_to_a_file_inside_the_folder_is_read_once_as_that_file(tmp_path: Path) -> None:
    folder = write_export(tmp_path / "export", {"contacts": CONTACTS})
    write_entity(folder / "people", "users", USERS)
    # Named to sort before the real file, and reaching it through "..": still the same file.
    (folder / "a shortcut.csv").symlink_to(Path("people") / "users.csv")
    (folder / "people" / "back.csv").symlink_to(Path("..") / "contacts.csv")

    files, skipped = collect_inputs([folder])

    assert skipped == []
    assert sorted(f.display for f in files) == ["contacts.csv", "people/users.csv"]
    result = validate([folder], "template")
    assert sorted(f.file for f in result.report.files) == ["contacts.csv", "people/users.csv"]
    assert sorted(sealed_originals(build_payload(result, build_checklist(result)))) == [
        "contacts.csv",
        "people/users.csv",
    ]


def test_a_link_alone_to_a_file_inside_is_read_from_the_real_file(tmp_path: Path) -> None:
    folder = tmp_path / "export"
    real = write_entity(
        tmp_path / "export" / ".archive", "contacts", CONTACTS
    )  # hidden: only the link leads in
    (folder / "contacts.csv").symlink_to(real)

    (item,), skipped = collect_inputs([folder])

    assert skipped == [] and item.display == "contacts.csv"
    assert item.path == real.resolve()
    result = validate([folder], "template")
    assert [f.path for f in result.report.files] == [str(real.resolve())]


def test_a_link_given_by_name_is_read_and_shows_its_real_location(tmp_path: Path, outside: Path) -> None:
    link = tmp_path / "desktop" / "contacts.csv"
    link.parent.mkdir()
    link.symlink_to(outside)

    (item,), skipped = collect_inputs([link])

    assert skipped == [] and item.display == "contacts.csv"
    assert item.path == outside.resolve()
    result = validate([link], "template")
    assert [(f.file, f.path) for f in result.report.files] == [("contacts.csv", str(outside.resolve()))]
    assert sealed_originals(build_payload(result, build_checklist(result))) == {
        "contacts.csv": outside.resolve()
    }


def test_a_folder_given_through_a_link_is_read_as_usual(tmp_path: Path) -> None:
    real = write_export(tmp_path / "real export", {"contacts": CONTACTS, "users": USERS})
    given = tmp_path / "export"
    given.symlink_to(real, target_is_directory=True)

    files, skipped = collect_inputs([given])

    assert sorted(f.display for f in files) == ["contacts.csv", "users.csv"] and skipped == []


def test_loops_dangling_links_and_links_to_folders_inside_never_hang(tmp_path: Path) -> None:
    folder = write_export(tmp_path / "export", {"contacts": CONTACTS})
    (folder / "sub").mkdir()
    (folder / "sub" / "up").symlink_to("..", target_is_directory=True)  # a loop through rglob, if it followed
    (folder / "self").symlink_to(".", target_is_directory=True)
    (folder / "loop1.csv").symlink_to("loop2.csv")
    (folder / "loop2.csv").symlink_to("loop1.csv")
    (folder / "gone.csv").symlink_to(tmp_path / "deleted.csv")

    files, skipped = collect_inputs([folder])

    assert [f.display for f in files] == ["contacts.csv"]
    assert skipped == []


def test_a_folder_holding_only_a_link_out_has_nothing_to_check(tmp_path: Path, outside: Path) -> None:
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "contacts.csv").symlink_to(outside)
    with pytest.raises(UnreadableFile, match="holds no CSV, Excel or export files"):
        collect_inputs([folder])


def test_a_link_out_of_a_subfolder_is_outside_too(tmp_path: Path, outside: Path) -> None:
    folder = write_export(tmp_path / "export", {"contacts": CONTACTS})
    (folder / "2024").mkdir()
    (folder / "2024" / "more.csv").symlink_to(Path("..") / ".." / "elsewhere" / "private.csv")

    files, skipped = collect_inputs([folder])

    assert [f.display for f in files] == ["contacts.csv"]
    assert [(s.display, s.sealed) for s in skipped] == [("2024/more.csv", False)]


def test_the_cli_summary_says_a_link_out_of_the_folder_was_neither_checked_nor_sealed(
    export: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", str(export), "--source", "template", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "Skipped (a link out of the folder: neither checked nor sealed): linked contacts.csv" in out
    assert "Not checked (" not in out  # nothing in this folder is sealed unread
