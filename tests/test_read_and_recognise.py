"""One read-and-recognise operation: the Add files page sees each file as the check reads it."""

from __future__ import annotations

from pathlib import Path

import pytest

from migration_assistant.core.api import (
    SavedMapping,
    UnreadableFile,
    iter_read_and_recognise,
    load_catalog,
    run_to_end,
    save_mapping,
    table_key,
    validate,
)
from migration_assistant.gui.operations import ReadResult, read_files_op
from tests.gui.exports import write_csv
from tests.test_adapters import write_synthetic_export


def read_like_the_wizard(paths: list[Path], source: str) -> ReadResult:
    catalog, _ = load_catalog()
    return run_to_end(read_files_op(paths, source, catalog)(lambda: False))


def test_the_page_and_the_check_give_every_file_the_same_role(tmp_path: Path) -> None:
    catalog, _ = load_catalog()
    folder = tmp_path / "pclaw"
    write_synthetic_export(catalog["pclaw"], folder)
    read = read_like_the_wizard([folder], "auto")
    checked = validate([folder], "auto")
    assert read.detected_source == checked.profile.id == "pclaw"
    first_role = {}
    for info in checked.report.files:  # a second view of a file comes after the file itself
        first_role.setdefault(info.file if info.sheet is None else f"{info.file}#{info.sheet}", info.role)
    assert {e.key: e.role for e in read.files} == first_role
    # PCLaw's client/matter list also holds the clients: the check reads them, and the page says so.
    (listing,) = [e for e in read.files if e.file == "client-matter-list.csv"]
    assert (listing.role, listing.also) == ("matters", ("contacts",))
    assert [i.role for i in checked.report.files if i.file == "client-matter-list.csv"] == [
        "matters",
        "contacts",
    ]


def test_column_choices_remembered_for_the_software_are_used_when_reading(tmp_path: Path) -> None:
    people = write_csv(
        tmp_path / "people.csv", ["Ref", "Who", "Mail"], [["P1", "Ann Lee", "ann@example.com"]]
    )
    assert read_like_the_wizard([people], "template").files[0].role is None
    save_mapping(
        SavedMapping("template", {"contacts": {"Contact ID": "Ref", "Company": "Who", "Email": "Mail"}})
    )
    (entry,) = read_like_the_wizard([people], "template").files
    assert entry.role == "contacts"
    # The same choices given to the check recognise the file the same way.
    mappings = {"contacts": {"Contact ID": "Ref", "Company": "Who", "Email": "Mail"}}
    assert [f.role for f in validate([people], "template", mappings=mappings).report.files] == ["contacts"]


def test_what_cannot_be_read_is_listed_and_the_rest_is_still_read(tmp_path: Path) -> None:
    good = write_csv(tmp_path / "Contacts.csv", ["Contact ID", "Company"], [["C1", "Acme"]])
    scan = tmp_path / "scan.csv"
    scan.write_bytes(b"%PDF-1.7\n" + bytes(range(256)))
    missing = tmp_path / "gone.csv"
    read = read_like_the_wizard([missing, scan, good], "template")
    assert read.problems == [f"{missing} does not exist."]
    assert [(e.file, e.error is None) for e in read.files] == [("scan.csv", False), ("Contacts.csv", True)]
    assert "not a table" in (read.files[0].error or "")
    assert read.files[1].role == "contacts"


def test_the_check_stops_at_a_file_named_on_its_own_that_it_cannot_read(tmp_path: Path) -> None:
    write_csv(tmp_path / "Contacts.csv", ["Contact ID", "Company"], [["C1", "Acme"]])
    (tmp_path / "scan.csv").write_bytes(b"%PDF-1.7\n" + bytes(range(256)))
    with pytest.raises(UnreadableFile, match=r"scan\.csv is not a table"):
        run_to_end(iter_read_and_recognise([tmp_path / "Contacts.csv", tmp_path / "scan.csv"], "template"))
    # Found in a folder, the same file is listed with a blocker and the folder's others are read.
    recognised = run_to_end(iter_read_and_recognise([tmp_path], "template"))
    assert [t.file for t in recognised.tables] == ["Contacts.csv"]
    assert [
        (u.input.display, f.rule) for u, f in zip(recognised.unread, recognised.findings[-1:], strict=True)
    ] == [("scan.csv", "unreadable-file")]


def test_recognised_tables_carry_their_roles_and_keys(tmp_path: Path) -> None:
    write_csv(tmp_path / "Contacts.csv", ["Contact ID", "Company"], [["C1", "Acme"]])
    recognised = run_to_end(iter_read_and_recognise([tmp_path], "template", roles={"Contacts.csv": ""}))
    (table,) = recognised.tables
    assert table_key(table) == "Contacts.csv" and table.role is None  # left out at the user's request
    assert [f.rule for f in recognised.findings] == ["left-out-file"]
