"""Nothing lost (issue 13, items 1-5): every file the firm gave is checked or listed, and sealed;
the package's metadata is true; a blank amount is a finding; verifying never writes a key."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import time
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import keyring
import pyrage
import pytest

from migration_assistant.cli import main
from migration_assistant.core.balances import compute_balances
from migration_assistant.core.checklist import build_checklist
from migration_assistant.core.engine import validate
from migration_assistant.core.export_date import export_date
from migration_assistant.core.findings import Severity
from migration_assistant.core.handoff import FirmDetails, bag_info, build_payload, datapackage, normalised_csv
from migration_assistant.core.package import PayloadEntry, keystore
from migration_assistant.core.readers.formats import FORMAT_EXTENSIONS
from migration_assistant.core.readers.inputs import READ_EXTENSIONS, collect_inputs
from migration_assistant.core.reports.html_report import render_html
from tests.helpers import CONTACTS, MATTERS, USERS, base_export, findings, run, time_entry, write_entity

VCARD = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Maria Garcia\r\nN:Garcia;Maria;;;\r\nEND:VCARD\r\n"


def originals(entries: list[PayloadEntry]) -> dict[str, bytes]:
    """The payload's originals: bag name -> bytes."""
    out = {}
    for entry in entries:
        if entry.name.startswith("originals/"):
            assert entry.source is not None
            out[entry.name.removeprefix("originals/")] = Path(entry.source).read_bytes()
    return out


# --------------------------------------------------------------------------- 1. same-named files


def test_two_folders_each_with_contacts_are_both_checked_named_apart_and_sealed(tmp_path: Path) -> None:
    first = write_entity(tmp_path / "a", "contacts", [{**CONTACTS[0], "Email": "first@@example"}])
    second = write_entity(tmp_path / "b", "contacts", [{**CONTACTS[1], "Email": "second@@example"}])
    result = validate([tmp_path / "a", tmp_path / "b"], "template")

    assert sorted(f.file for f in result.report.files) == ["a/contacts.csv", "b/contacts.csv"]
    emails = {f.file: f.value for f in findings(result, "invalid-email")}
    assert emails == {"a/contacts.csv": "first@@example", "b/contacts.csv": "second@@example"}
    sealed = originals(build_payload(result, build_checklist(result)))
    assert sealed == {"a/contacts.csv": first.read_bytes(), "b/contacts.csv": second.read_bytes()}


def test_one_folder_with_two_subfolders_keeps_the_relative_paths(tmp_path: Path) -> None:
    write_entity(tmp_path / "export" / "2023", "contacts", [CONTACTS[0]])
    write_entity(tmp_path / "export" / "2024", "contacts", [CONTACTS[1]])
    result = validate([tmp_path / "export"], "template")
    assert sorted(f.file for f in result.report.files) == ["2023/contacts.csv", "2024/contacts.csv"]
    assert sorted(originals(build_payload(result, build_checklist(result)))) == [
        "2023/contacts.csv",
        "2024/contacts.csv",
    ]


def test_names_clash_only_where_they_must_and_a_file_reached_twice_is_read_once(tmp_path: Path) -> None:
    for folder in ("x/export", "y/export"):
        write_entity(tmp_path / folder, "contacts", CONTACTS)
    write_entity(tmp_path / "x" / "export", "matters", MATTERS)
    files, skipped = collect_inputs([tmp_path / "x" / "export", tmp_path / "y" / "export"])
    # Both folders are called "export": one more folder up tells them apart.
    assert [f.display for f in files] == [
        "x/export/contacts.csv",
        "x/export/matters.csv",
        "y/export/contacts.csv",
    ]
    assert skipped == []
    # The folder and a file inside it: the file is read once, under its name in the folder.
    alone, _ = collect_inputs([tmp_path / "x" / "export", tmp_path / "x" / "export" / "contacts.csv"])
    assert [f.display for f in alone] == ["contacts.csv", "matters.csv"]
    # Two files given with the same name (differing only in case): each is named by its folder.
    (tmp_path / "y" / "export" / "contacts.csv").rename(tmp_path / "y" / "export" / "Contacts.csv")
    given, _ = collect_inputs(
        [tmp_path / "x" / "export" / "contacts.csv", tmp_path / "y" / "export" / "Contacts.csv"]
    )
    assert [f.display for f in given] == ["x/export/contacts.csv", "y/export/Contacts.csv"]


def test_the_payload_never_drops_a_file_whose_name_repeats(tmp_path: Path) -> None:
    write_entity(tmp_path / "a", "contacts", CONTACTS)
    write_entity(tmp_path / "b", "contacts", CONTACTS[:1])
    result = validate([tmp_path / "a", tmp_path / "b"], "template")
    # A result assembled some other way, repeating a name: both files are still sealed.
    result.inputs = [type(i)(i.path, "contacts.csv") for i in result.inputs]
    sealed = originals(build_payload(result, build_checklist(result)))
    assert sorted(sealed) == ["contacts (2).csv", "contacts.csv"]
    assert sorted(sealed.values()) == sorted(i.path.read_bytes() for i in result.inputs)


# --------------------------------------------------------------------------- 2. skipped files


@pytest.fixture
def export_with_extras(tmp_path: Path) -> Path:
    folder = base_export(tmp_path / "export")
    (folder / "engagement letter.pdf").write_bytes(b"%PDF-1.4 not a table")
    (folder / "memo.docx").write_bytes(b"PK\x03\x04 a document")
    (folder / "people.vcard").write_text(VCARD, encoding="utf-8")
    # What a computer leaves in folders by itself stays out of everything, silently.
    for name in (
        "desktop.ini",
        "Thumbs.db",
        ".DS_Store",
        "~$contacts.xlsx",
        ".hidden",
        ".git/config",
        ".git/x.pack",
    ):
        (folder / name).parent.mkdir(exist_ok=True)
        (folder / name).write_bytes(b"\x00\x01")
    return folder


def test_skipped_files_are_listed_as_not_checked_and_sealed(export_with_extras: Path) -> None:
    result = run(export_with_extras)
    assert [(s.display, s.not_read) for s in result.skipped] == [
        ("engagement letter.pdf", "it is a PDF document, not a table of records"),
        ("memo.docx", "it is a document, not a table of records"),
    ]
    listed = findings(result, "not-checked")
    assert [(f.file, f.row, f.severity, f.message) for f in listed] == [
        (
            "engagement letter.pdf",
            None,
            Severity.INFO,
            "Not checked: it is a PDF document, not a table of records.",
        ),
        ("memo.docx", None, Severity.INFO, "Not checked: it is a document, not a table of records."),
    ]
    # A vCard named .vcard inside a folder is read, as it is when given alone.
    assert {f.file: f.role for f in result.report.files}["people.vcard"] == "contacts"
    sealed = originals(build_payload(result, build_checklist(result)))
    assert {"engagement letter.pdf", "memo.docx", "people.vcard"} <= set(sealed)
    assert sealed["engagement letter.pdf"] == b"%PDF-1.4 not a table"
    assert not {"desktop.ini", "Thumbs.db", ".DS_Store", "~$contacts.xlsx", ".hidden", ".git/config"} & set(
        sealed
    )
    assert not [name for name in sealed if name.startswith(".git")]
    assert result.report.summary()["info"] >= 2


def test_cli_summary_lists_the_files_not_checked(export_with_extras: Path, tmp_path: Path) -> None:
    out = io.StringIO()
    with redirect_stdout(out):
        code = main(["validate", str(export_with_extras), "--source", "template", "--quiet",
                     "--json", str(tmp_path / "f.json")])  # fmt: skip
    assert code == 0
    assert (
        "Not checked (not a kind of file the app reads; sealed as given): engagement letter.pdf, memo.docx\n"
        in out.getvalue()
    )
    data = json.loads((tmp_path / "f.json").read_text(encoding="utf-8"))
    assert {f["file"] for f in data["findings"] if f["rule"] == "not-checked"} == {
        "engagement letter.pdf",
        "memo.docx",
    }


def test_one_table_of_extensions_for_every_format() -> None:
    assert set(FORMAT_EXTENSIONS) <= READ_EXTENSIONS
    assert {".vcard", ".ical", ".icalendar", ".ifb"} <= READ_EXTENSIONS


# --------------------------------------------------------------------------- 3. true metadata


def test_datapackage_of_a_partial_export_names_no_missing_resource(tmp_path: Path) -> None:
    folder = tmp_path / "export"
    write_entity(folder, "contacts", CONTACTS)
    write_entity(folder, "matters", MATTERS)
    result = run(folder)
    files = [t.file for t in result.dataset.tables]
    resources = {name: normalised_csv(data, files) for name, data in result.dataset.entities.items()}
    descriptor = datapackage(resources)
    assert sorted(resources) == ["contacts", "matters"]
    by_name = {r["name"]: r for r in descriptor["resources"]}
    for res in descriptor["resources"]:
        own = {f["name"] for f in res["schema"]["fields"]}
        for fk in res["schema"].get("foreignKeys", []):
            target = fk["reference"]["resource"]
            assert target in by_name, f"{res['name']} names {target}, which is not in the package"
            assert fk["fields"] in own
            assert fk["reference"]["fields"] in {f["name"] for f in by_name[target]["schema"]["fields"]}
    # The matters' client reference stays (contacts are in); the attorneys' (users) go.
    assert [fk["reference"]["resource"] for fk in by_name["matters"]["schema"]["foreignKeys"]] == ["contacts"]
    assert "foreignKeys" not in by_name["contacts"]["schema"]
    try:
        import frictionless
    except ImportError:
        return  # the bench extra is not installed: the references were checked by hand above
    for name, content in resources.items():
        (tmp_path / f"{name}.csv").write_bytes(content)
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["type", "note"])


def _stamp(folder: Path, day: dt.date) -> None:
    moment = time.mktime(dt.datetime.combine(day, dt.time(12)).timetuple())
    for path in folder.iterdir():
        os.utime(path, (moment, moment))


def test_export_date_is_the_latest_posted_date_never_a_future_event(tmp_path: Path) -> None:
    folder = base_export(
        tmp_path / "export",
        activities=[time_entry("A1", Date="2024-06-14"), time_entry("A2", Date="2024-07-20")],
        calendar=[
            {"Event ID": "E1", "Title": "Trial", "Start": "2031-05-01 09:00", "Matter Number": "M-001"}
        ],
    )
    _stamp(folder, dt.date(2024, 6, 30))
    result = run(folder)
    # A2 is after the files were written (post-dated), the trial years ahead: neither is the export's date.
    assert export_date(result, today=dt.date(2025, 1, 1)) == "2024-06-14"
    # Nothing posted can be later than today.
    assert export_date(result, today=dt.date(2024, 3, 2)) == "2024-03-01"  # the bill of 2024-03-01
    checklist = build_checklist(result)
    assert bag_info(result, FirmDetails(), checklist)["Export-Date"] <= dt.date.today().isoformat()
    assert bag_info(result, FirmDetails(export_date="2024-07-01"), checklist)["Export-Date"] == "2024-07-01"


def test_export_date_without_posted_records_is_the_day_the_files_were_written(tmp_path: Path) -> None:
    folder = tmp_path / "export"
    write_entity(folder, "contacts", CONTACTS)
    write_entity(folder, "users", USERS)
    _stamp(folder, dt.date(2023, 11, 5))
    assert export_date(run(folder), today=dt.date(2025, 1, 1)) == "2023-11-05"


# --------------------------------------------------------------------------- 4. blank amounts


def test_a_blank_amount_is_worked_out_or_reported_and_the_balances_say_so(tmp_path: Path) -> None:
    folder = base_export(
        tmp_path / "export",
        activities=[
            time_entry("A1"),  # 300.00, clean
            time_entry("A2", Hours="2.5", Rate="200", Amount=""),  # worked out: 500.00
            time_entry("A3", Type="Expense", Hours="", Rate="", Amount="", Description="Courier"),
        ],
    )
    result = run(folder)
    derived = findings(result, "amount-derived")
    assert [(f.row, f.severity, f.column) for f in derived] == [(3, Severity.INFO, "Amount")]
    assert derived[0].message == "The Amount is empty, so it was worked out as 2.5 hours × 200 = 500.00."
    missing = findings(result, "required", column="Amount")
    assert [(f.row, f.severity) for f in missing] == [(4, Severity.ERROR)]
    assert missing[0].message == "No amount, and no hours × rate to work it out from."
    # Clean rows carry nothing about amounts.
    assert not findings(result, row=2, file="activities.csv")

    balances = compute_balances(result.dataset)
    assert (balances.amounts_derived, balances.amounts_missing) == (1, 1)
    assert balances.unbilled_total == 800.00
    note = balances.amounts_note
    assert note == (
        "Unbilled work: 1 entry has no amount, so hours × rate was counted instead; "
        "1 entry has no amount and no hours × rate either, and was left out."
    )
    assert note in render_html(result, balances=balances)
    # The CSV keeps its columns.
    assert list(balances.table.columns) == ["Matter Number", "Client ID", "Trust Balance",
                                            "Accounts Receivable", "Unbilled Work"]  # fmt: skip
    # The normalised data carries the worked-out amount too, so the specialist imports what was counted.
    files = [t.file for t in result.dataset.tables]
    csv_text = normalised_csv(result.dataset.entities["activities"], files).decode("utf-8")
    amounts = [line.split(",")[8] for line in csv_text.splitlines()[1:]]
    assert amounts == ["300.0", "500.0", ""]


def test_balances_without_blank_amounts_say_nothing_about_them(tmp_path: Path) -> None:
    result = run(base_export(tmp_path / "export", activities=[time_entry("A1")]))
    balances = compute_balances(result.dataset)
    assert (balances.amounts_derived, balances.amounts_missing, balances.amounts_note) == (0, 0, "")
    assert not findings(result, "amount-derived") and not findings(result, "required")


# --------------------------------------------------------------------------- 5. verify is read-only


def test_verify_without_a_key_leaves_the_keyring_empty(tmp_path: Path) -> None:
    specialist = pyrage.x25519.Identity.generate()
    package = tmp_path / "package.age"
    assert main(["package", "--sample", "--source", "auto", "--out", str(package), "--quiet", "--no-firm-key",
                 "--recipient", str(specialist.to_public()), "--acknowledge", "Test Person"]) == 0  # fmt: skip
    store = keyring.get_keyring().store  # type: ignore[attr-defined]
    keystore.clear_session_secrets()
    assert store == {}
    err = io.StringIO()
    with redirect_stderr(err):
        code = main(["verify", str(package), "--quiet"])
    assert code == 2
    assert err.getvalue() == (
        "migration-assistant: this package needs the specialist's key file (--identity) or the package's "
        "passphrase (--passphrase-file); no firm key is kept on this computer\n"
    )
    assert store == {}
    assert (
        keystore.existing_firm_identity() is None
        and keystore.load_secret(keystore.FIRM_IDENTITY_NAME) is None
    )


def test_verify_uses_the_firm_key_when_one_is_kept(tmp_path: Path) -> None:
    specialist = pyrage.x25519.Identity.generate()
    package = tmp_path / "package.age"
    assert main(["package", "--sample", "--source", "auto", "--out", str(package), "--quiet",
                 "--recipient", str(specialist.to_public()), "--acknowledge", "Test Person"]) == 0  # fmt: skip
    # Packaging made the firm key (and sealed to it too); reading it back changes nothing.
    firm = keystore.existing_firm_identity()
    assert firm is not None and str(keystore.existing_firm_identity()) == str(firm)
    with redirect_stdout(io.StringIO()):
        assert main(["verify", str(package), "--quiet"]) == 0


def test_open_a_package_never_creates_a_firm_key() -> None:
    from migration_assistant.gui.package_ops import Unlock

    store = keyring.get_keyring().store  # type: ignore[attr-defined]
    with pytest.raises(keystore.KeystoreError, match="No firm key is kept on this computer"):
        Unlock().kwargs()
    assert store == {}
    firm = keystore.firm_identity()
    assert str(Unlock().kwargs()["identity"]) == str(firm)
