"""People and clients referenced the way exports reference them (issue 14, item 1).

Attorneys, timekeepers and assignees may be written as a User ID, a name ("First Last",
"Last, First") or initials; a matter's client as a Contact ID or a person's or company's
name. Each resolves to its ID before anything is called unknown (``core.people``), the
normalised data holds the ID, an unknown name is one finding naming the closest people, and
initials two people share are a warning naming both.
"""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from migration_assistant.core.engine import validate
from migration_assistant.core.handoff import normalised_csv
from migration_assistant.core.people import ResolvedColumn, by_name_notes
from migration_assistant.core.resources import sample_export_dir
from migration_assistant.core.results import ValidationResult
from tests.helpers import (
    BILLS,
    CONTACTS,
    MATTERS,
    USERS,
    describe,
    findings,
    ledes_file,
    ledes_line,
    run,
    time_entry,
    write_entity,
    write_export,
)

STAFF = [
    *USERS,
    {"User ID": "JN", "Name": "José M. Núñez", "Email": "jose@example.com", "Active": "Y"},
    {"User ID": "JDS", "Name": "Jonathan D. Sutherland", "Initials": "JDS", "Active": "Y"},
    {"User ID": "SOC", "Name": "Siobhán O'Connor", "Active": "Y"},
]
REFERENCE_RULES = ("foreign-key", "ambiguous-reference", "leading-zeros")


def normalised(result: ValidationResult, entity: str) -> pd.DataFrame:
    """The entity as the package's normalised CSV holds it."""
    files = [t.file for t in result.dataset.tables]
    data = normalised_csv(result.dataset.entities[entity], files)
    return pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False)


def reference_findings(result: ValidationResult) -> list[str]:
    return [
        f"{f.rule} {f.file}:{f.row} [{f.column}] {f.value}"
        for f in result.report.findings
        if f.rule in REFERENCE_RULES
    ]


@pytest.mark.parametrize(
    ("written", "user"),
    [
        ("U1", "U1"),  # the ID
        ("u1", "U1"),  # the ID in another case
        ("Ann Lee", "U1"),  # First Last
        ("Lee, Ann", "U1"),  # Last, First
        ("AL", "U1"),  # initials of the name (the users file has no Initials for her)
        ("ann LEE", "U1"),  # case
        ("  Ann    Lee ", "U1"),  # extra spaces
        ("Jose Nunez", "JN"),  # accents left out
        ("José Núñez", "JN"),  # accents, middle initial left out
        ("JOSÉ M NÚÑEZ", "JN"),  # with the middle initial, no period
        ("Núñez, José M.", "JN"),
        ("Jonathan Sutherland", "JDS"),
        ("Jonathan David Sutherland", "JDS"),  # a middle name the users file only has as "D."
        ("Sutherland, Jonathan D.", "JDS"),
        ("J.D.S.", "JDS"),  # initials with periods
        ("jds", "JDS"),
        ("Siobhan OConnor", "SOC"),  # apostrophe and accent dropped
        ("Dr. Siobhán O’Connor", "SOC"),  # a title and a curly apostrophe
    ],
)
def test_each_reference_style_resolves_to_the_user_id(tmp_path: Path, written: str, user: str) -> None:
    matters = [{**MATTERS[0], "Responsible Attorney": written, "Originating Attorney": written}, MATTERS[1]]
    tasks = [{"Task ID": "T1", "Name": "Call", "Due Date": "2024-05-01", "Assignee": written,
              "Matter Number": "M-001", "Status": "Open"}]  # fmt: skip
    acts = [time_entry("E1", User_ID=written, Rate="", Amount="")]
    write_export(tmp_path, {"users": STAFF, "contacts": CONTACTS, "matters": matters, "bills": BILLS,
                            "tasks": tasks, "activities": acts})  # fmt: skip
    result = run(tmp_path)
    assert reference_findings(result) == [], describe(result)
    out = normalised(result, "matters")
    assert out.loc[0, "Responsible Attorney"] == user
    assert out.loc[0, "Originating Attorney"] == user
    assert normalised(result, "tasks").loc[0, "Assignee"] == user
    assert normalised(result, "activities").loc[0, "User ID"] == user


def test_an_unknown_name_is_one_finding_naming_the_closest_users(tmp_path: Path) -> None:
    matters = [{**MATTERS[0], "Responsible Attorney": "Jon Sutherlund"}, MATTERS[1]]
    write_export(tmp_path, {"users": STAFF, "contacts": CONTACTS, "matters": matters})
    result = run(tmp_path)
    hits = findings(result, "foreign-key")
    assert [(f.row, f.column, f.value) for f in hits] == [(2, "Responsible Attorney", "Jon Sutherlund")]
    assert hits[0].severity.label == "warning"
    assert "Jonathan D. Sutherland (JDS)" in hits[0].message
    assert "Ann Lee" not in hits[0].message
    assert findings(result, "ambiguous-reference") == []
    # Not resolved: the normalised data keeps what was written, for a person to correct.
    assert normalised(result, "matters").loc[0, "Responsible Attorney"] == "Jon Sutherlund"


def test_an_unknown_name_with_nobody_close_says_so(tmp_path: Path) -> None:
    matters = [{**MATTERS[0], "Responsible Attorney": "Xavier Quimby"}, MATTERS[1]]
    write_export(tmp_path, {"users": STAFF, "contacts": CONTACTS, "matters": matters})
    (hit,) = findings(run(tmp_path), "foreign-key")
    assert "No user has a similar name" in hit.message


def test_initials_shared_by_two_users_are_a_warning_naming_both(tmp_path: Path) -> None:
    users = [
        *USERS,
        {"User ID": "JS1", "Name": "John Smith", "Active": "Y"},
        {"User ID": "JS2", "Name": "Jane Sato", "Initials": "JS", "Active": "Y"},
    ]
    matters = [
        {**MATTERS[0], "Responsible Attorney": "JS"},
        {**MATTERS[1], "Responsible Attorney": "John Smith"},
    ]
    write_export(tmp_path, {"users": users, "contacts": CONTACTS, "matters": matters})
    result = run(tmp_path)
    (hit,) = findings(result, "ambiguous-reference")
    assert (hit.row, hit.column, hit.value, hit.severity.label) == (
        2,
        "Responsible Attorney",
        "JS",
        "warning",
    )
    assert "Jane Sato (JS2)" in hit.message and "John Smith (JS1)" in hit.message
    assert findings(result, "foreign-key") == []
    out = normalised(result, "matters")
    assert list(out["Responsible Attorney"]) == ["JS", "JS1"]  # the ambiguous one is left as written


def test_an_id_wins_over_the_same_letters_as_someone_elses_initials(tmp_path: Path) -> None:
    users = [
        {"User ID": "JS", "Name": "Jane Sato", "Active": "Y"},
        {"User ID": "U9", "Name": "John Smith", "Active": "Y"},
    ]
    matters = [{**MATTERS[0], "Responsible Attorney": "JS"}, {**MATTERS[1], "Responsible Attorney": "js"}]
    write_export(tmp_path, {"users": users, "contacts": CONTACTS, "matters": matters})
    result = run(tmp_path)
    assert reference_findings(result) == [], describe(result)
    assert list(normalised(result, "matters")["Responsible Attorney"]) == ["JS", "JS"]


def test_two_users_with_the_same_first_and_last_name_are_told_apart_by_the_middle_initial(
    tmp_path: Path,
) -> None:
    users = [
        {"User ID": "JAS", "Name": "John A. Smith", "Active": "Y"},
        {"User ID": "JBS", "Name": "John B. Smith", "Active": "Y"},
    ]
    matters = [
        {**MATTERS[0], "Responsible Attorney": "Smith, John B."},
        {**MATTERS[1], "Responsible Attorney": "John Smith"},
    ]
    write_export(tmp_path, {"users": users, "contacts": CONTACTS, "matters": matters})
    result = run(tmp_path)
    assert [(f.rule, f.row) for f in findings(result) if f.rule in REFERENCE_RULES] == [
        ("ambiguous-reference", 3)
    ]
    assert normalised(result, "matters").loc[0, "Responsible Attorney"] == "JBS"


@pytest.mark.parametrize(
    ("written", "contact"),
    [
        ("C2", "C2"),
        ("Acme Holdings Inc.", "C2"),  # the company's name
        ("ACME HOLDINGS, INC", "C2"),
        ("Acme Holdings", "C2"),  # without its legal form
        ("Maria Garcia", "C1"),  # a person's name
        ("García, María", "C1"),
    ],
)
def test_a_client_given_by_name_resolves_to_the_contact_id(
    tmp_path: Path, written: str, contact: str
) -> None:
    matters = [{**MATTERS[0], "Client ID": written}, MATTERS[1]]
    write_export(tmp_path, {"users": USERS, "contacts": CONTACTS, "matters": matters})
    result = run(tmp_path)
    assert reference_findings(result) == [], describe(result)
    assert normalised(result, "matters").loc[0, "Client ID"] == contact


def test_a_persons_employer_is_not_taken_for_the_company_client(tmp_path: Path) -> None:
    # The Company column of a person is where they work: the company's own record answers to its name.
    contacts = [*CONTACTS, {"Contact ID": "C3", "Type": "Person", "First Name": "Li", "Last Name": "Wu",
                            "Company": "Acme Holdings Inc."}]  # fmt: skip
    matters = [{**MATTERS[0], "Client ID": "Acme Holdings Inc."}, MATTERS[1]]
    write_export(tmp_path, {"users": USERS, "contacts": contacts, "matters": matters})
    result = run(tmp_path)
    assert reference_findings(result) == [], describe(result)
    assert normalised(result, "matters").loc[0, "Client ID"] == "C2"


def test_an_unknown_client_name_names_the_closest_contacts(tmp_path: Path) -> None:
    matters = [{**MATTERS[0], "Client ID": "Acme Holding Group"}, MATTERS[1]]
    write_export(tmp_path, {"users": USERS, "contacts": CONTACTS, "matters": matters})
    (hit,) = findings(run(tmp_path), "foreign-key")
    assert (hit.row, hit.column, hit.severity.label) == (2, "Client ID", "error")
    assert "Acme Holdings Inc. (C2)" in hit.message


def test_a_ledes_timekeeper_named_without_an_id_resolves(tmp_path: Path) -> None:
    write_entity(tmp_path, "users", USERS)
    write_entity(tmp_path, "matters", MATTERS)
    write_entity(tmp_path, "contacts", CONTACTS)
    lines = [
        ledes_line(TIMEKEEPER_ID="", TIMEKEEPER_NAME="Lee, Ann"),
        ledes_line(
            LINE_ITEM_NUMBER="2", TIMEKEEPER_ID="U2", TIMEKEEPER_NAME="Chen, Bo", INVOICE_TOTAL="600.00"
        ),
    ]
    lines[0] = lines[0].replace("|300.00|", "|600.00|", 1)
    (tmp_path / "invoices.txt").write_text(ledes_file(*lines), encoding="ascii")
    result = validate([tmp_path], "template")
    assert [f for f in findings(result, "foreign-key") if f.column == "User ID"] == [], describe(result)
    assert list(normalised(result, "activities")["User ID"]) == ["U1", "U2"]


# --------------------------------------------------------------------------- the sample export


def test_the_sample_export_references_people_by_id_and_nothing_changes() -> None:
    # The sample references every person by User ID: the resolved columns are the columns as
    # written, and the reference findings are the planted ones with their usual messages.
    result = validate([sample_export_dir()])
    for data in result.dataset.entities.values():
        for name, column in data.parsed.items():
            if isinstance(column, ResolvedColumn):
                assert column.values.equals(data.stripped(name)), name
                assert not column.by_name.any() and not column.ambiguous.any()
    assert findings(result, "ambiguous-reference") == []
    (rtk,) = [f for f in findings(result, "foreign-key") if f.value == "RTK"]
    assert rtk.message == (
        "User ID “RTK” does not match any User ID in the users file. An entry whose user is unknown is "
        "dropped on import."
    )
    assert "Rajiv K. Menon (RKM)" in rtk.hint
    assert all(by_name_notes(result.dataset.entities, i) == [] for i in range(len(result.dataset.tables)))


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def _write(frame: pd.DataFrame, path: Path) -> None:
    frame.to_csv(path, index=False, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n", encoding="utf-8")


def _name_styles(staff: pd.DataFrame) -> list[dict[str, str]]:
    """User ID -> how a firm's export might write that person, one mapping per style."""
    names = staff.set_index("User ID")["Name"]
    words = names.str.replace(".", "", regex=False).str.split()
    first, last = words.str[0], words.str[-1]
    plain = first + " " + last  # middle initial dropped
    return [
        dict(plain),
        dict(last + ", " + first),
        dict(names.str.upper()),  # with the middle initial, upper case
        dict(staff.set_index("User ID")["Initials"].str.lower()),
    ]


@pytest.fixture(scope="module")
def named_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[tuple[str, int, str], str]]:
    """The sample export with people and clients named instead of referenced by ID.

    Matters, time entries and tasks name their attorneys, timekeepers and assignees in four
    styles in turn; matters name their client (the person's "First Last", or the company)
    wherever that name is the client's alone. A few unknown names are planted; the second
    value is where each is (file, row, column) and the name written there.
    """
    folder = tmp_path_factory.mktemp("named") / "export"
    shutil.copytree(sample_export_dir(), folder)
    staff = _read(folder / "Staff.csv")
    styles = _name_styles(staff)

    def named(column: pd.Series) -> pd.Series:
        style = np.arange(len(column)) % len(styles)
        out = column.copy()
        for i, mapping in enumerate(styles):
            pick = style == i
            out[pick] = (
                column[pick].map(mapping).astype(object).fillna(column[pick])
            )  # unknown IDs stay as they are
        return out

    contacts = _read(folder / "Client list.csv")
    person = (contacts["First Name"] + " " + contacts["Last Name"]).str.strip()
    shown = person.where(person != "", contacts["Company"])
    folded = shown.str.casefold()
    unique = folded.map(folded.value_counts()) == 1
    client_name = dict(zip(contacts["Contact ID"][unique], shown[unique], strict=True))

    matters = _read(folder / "Matters export.csv")
    for column in ("Responsible Attorney", "Originating Attorney"):
        matters[column] = named(matters[column])
    matters["Client ID"] = matters["Client ID"].map(client_name).astype(object).fillna(matters["Client ID"])
    acts = _read(folder / "Time and expenses.csv")
    acts["User ID"] = named(acts["User ID"])
    tasks = _read(folder / "Tasks.csv")
    tasks["Assignee"] = named(tasks["Assignee"])

    planted = {
        ("Matters export.csv", 10, "Responsible Attorney"): "Jonathon Sutherlin",
        ("Matters export.csv", 40, "Originating Attorney"): "Okafor, Danielle",
        ("Time and expenses.csv", 100, "User ID"): "Harriet Vane",
        ("Tasks.csv", 20, "Assignee"): "Peter Wimsey",
    }
    frames = {"Matters export.csv": matters, "Time and expenses.csv": acts, "Tasks.csv": tasks}
    for (file, row, column), name in planted.items():
        frames[file].loc[row - 2, column] = name
    for file, frame in frames.items():
        _write(frame, folder / file)
    return folder, planted


def test_a_template_naming_people_raises_no_false_alarm(
    named_template: tuple[Path, dict[tuple[str, int, str], str]],
) -> None:
    folder, planted = named_template
    named = validate([folder])
    by_id = validate([sample_export_dir()])
    # The sample's own reference problems (RTK, an unknown client, invoice and matter, a matter
    # number without its zeros) are still found; beyond them, only the planted names.
    expected = sorted(
        reference_findings(by_id)
        + [f"foreign-key {file}:{row} [{col}] {name}" for (file, row, col), name in planted.items()]
    )
    assert sorted(reference_findings(named)) == expected
    for (file, row, _col), _name in planted.items():
        (hit,) = [f for f in findings(named, "foreign-key", row=row, file=file)]
        assert "The closest:" in hit.message or "No user has a similar name" in hit.message
    (okafor,) = findings(named, "foreign-key", file="Matters export.csv", row=40)
    assert "Daniel Okafor (DO)" in okafor.message


def test_the_named_template_normalises_to_the_same_ids(
    named_template: tuple[Path, dict[tuple[str, int, str], str]],
) -> None:
    folder, planted = named_template
    named = validate([folder])
    by_id = validate([sample_export_dir()])
    columns = {"matters": ["Responsible Attorney", "Originating Attorney", "Client ID"],
               "activities": ["User ID"], "tasks": ["Assignee"]}  # fmt: skip
    for entity, titles in columns.items():
        got, want = normalised(named, entity), normalised(by_id, entity)
        planted_rows = {row for (file, row, _c) in planted if file == got.loc[0, "Source File"]}
        keep = ~got["Source Row"].astype(int).isin(planted_rows)
        for title in titles:
            assert got.loc[keep, title].equals(want.loc[keep, title]), (entity, title)


def test_the_map_columns_note_counts_the_values_named(
    named_template: tuple[Path, dict[tuple[str, int, str], str]],
) -> None:
    folder, _planted = named_template
    result = validate([folder])
    dataset = result.dataset
    index = next(i for i, t in enumerate(dataset.tables) if t.file == "Matters export.csv")
    notes = by_name_notes(dataset.entities, index)
    matters = _read(folder / "Matters export.csv")
    # Initials written in lower case are the sample's User IDs in another case: not counted as names.
    staff_ids = set(_read(folder / "Staff.csv")["User ID"].str.casefold())
    written = matters["Responsible Attorney"]
    named = int((~written.str.casefold().isin(staff_ids) & (written != "")).sum())
    given = int((written != "").sum())
    assert (
        f"Responsible Attorney: {named - 1} of {given} values are staff names or initials, matched to User IDs."
        in notes
    )
    assert any(n.startswith("Client ID: ") and "client names, matched to Contact IDs" in n for n in notes)


def test_a_user_id_listed_twice_still_resolves_names_and_names_the_closest(tmp_path: Path) -> None:
    users = [*USERS, {**USERS[0], "Email": "ann.lee@example.com"}]  # U1 twice: duplicate-key's finding
    matters = [
        {**MATTERS[0], "Responsible Attorney": "Lee, Ann"},
        {**MATTERS[1], "Responsible Attorney": "Anne Leigh"},
    ]
    write_export(tmp_path, {"users": users, "contacts": CONTACTS, "matters": matters})
    result = run(tmp_path)
    (hit,) = findings(result, "foreign-key")
    assert hit.row == 3 and "Ann Lee (U1)" in hit.message
    assert normalised(result, "matters").loc[0, "Responsible Attorney"] == "U1"
