"""Address books as Outlook and Google Contacts really write them (fixtures: tests/data/real_exports).

Each fixture follows its format's documented header list and habits (SOURCES.md there): Outlook's
92 quoted columns in Windows-1252 with "0/0/00" for no date and "Normal"/"False" columns,
Google's current and older layouts in UTF-8 with a BOM, " ::: " between several values,
"* myContacts" labels and birthdays without a year. Those habits raise nothing; the planted
problems (planted.json: an invalid e-mail, a contact with no name, a duplicate) are each found at
their row; no column is taken for a field it is not.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest

from migration_assistant.core.adapters import get_profile
from migration_assistant.core.engine import validate
from migration_assistant.core.findings import Severity
from migration_assistant.core.recognise import suggest_mapping
from migration_assistant.core.results import ValidationResult

DATA = Path(__file__).parent / "data" / "real_exports"
PLANTED: dict[str, dict[str, object]] = json.loads((DATA / "planted.json").read_text(encoding="utf-8"))
FILES = sorted(PLANTED)
FILE_INFOS = {"unmapped-columns", "encoding-guessed"}
"""The only findings a clean file may raise: file-level notes, never about a row."""
LABEL_COLUMNS = {
    "outlook_contacts.csv": [
        "E-mail Type",
        "E-mail 2 Type",
        "E-mail Display Name",
        "Priority",
        "Sensitivity",
    ],
    "google_contacts.csv": ["E-mail 1 - Label", "Phone 1 - Label", "Address 1 - Label", "Labels"],
    "google_contacts_old.csv": ["E-mail 1 - Type", "Phone 1 - Type", "Address 1 - Type", "Group Membership"],
}


@cache
def checked(name: str) -> ValidationResult:
    return validate([DATA / name])


@pytest.mark.parametrize("name", FILES)
def test_each_file_is_read_as_its_system_s_contacts(name: str) -> None:
    result = checked(name)
    expected = "outlook-contacts" if name.startswith("outlook") else "google-contacts"
    assert result.dataset.profile.id == expected
    assert [g.entity for g in result.dataset.roles] == ["contacts"]


@pytest.mark.parametrize("name", FILES)
def test_every_planted_problem_is_found_at_its_row(name: str) -> None:
    planted = PLANTED[name]["planted"]
    assert isinstance(planted, dict)
    findings = checked(name).report.findings
    for rule, rows in planted.items():
        found = {f.row for f in findings if f.rule == rule}
        assert set(rows) <= found, (rule, rows, found)


@pytest.mark.parametrize("name", FILES)
def test_the_format_s_habits_raise_nothing_on_clean_rows(name: str) -> None:
    clean = set(PLANTED[name]["clean_rows"])  # type: ignore[arg-type]
    findings = checked(name).report.findings
    on_clean = [f for f in findings if f.row in clean]
    assert on_clean == [], [(f.rule, f.row, f.message) for f in on_clean]
    notes = [f for f in findings if f.row is None]
    assert {f.rule for f in notes} <= FILE_INFOS
    assert all(f.severity is Severity.INFO for f in notes)


@pytest.mark.parametrize("name", FILES)
def test_no_column_is_taken_for_another_field(name: str) -> None:
    result = checked(name)
    mapping = result.dataset.roles[0].mapping
    assert mapping is not None
    taken = {m.label: title for title, m in mapping.matches.items()}
    for label in LABEL_COLUMNS[name]:
        assert label not in taken, f"{label} was taken for {taken.get(label)}"
    assert "Type" not in mapping.matches  # no file has a Type column: Type is derived from the names
    frame = result.dataset.entities["contacts"].frame
    assert set(frame["type"]) <= {"Person", "Company", ""}


def test_outlook_columns_the_schema_does_not_need_are_kept_not_guessed() -> None:
    mapping = checked("outlook_contacts.csv").dataset.roles[0].mapping
    assert mapping is not None
    for label in (
        "E-mail Type",
        "E-mail Display Name",
        "Birthday",
        "Anniversary",
        "Priority",
        "Private",
        "Title",
    ):
        assert label in mapping.kept
        assert label in mapping.unmapped_labels
    # Slot columns are used (their values fill Email, Phone, the address or extra columns).
    for label in ("E-mail 2 Address", "Business Phone 2", "Pager", "Other Street", "Home Fax"):
        assert label not in mapping.unmapped_labels


@pytest.mark.parametrize(
    ("labels", "wrong"),
    [
        (["First Name", "Last Name", "E-mail Address", "E-mail Type"], {"Type": "E-mail Type"}),
        (["First Name", "Last Name", "E-mail 2 Type", "Other Address Type"], {"Type": "E-mail 2 Type"}),
        (["First Name", "Last Name", "Other Address Type"], {"Type": "Other Address Type"}),
        (["Given Name", "Family Name", "E-mail 1 - Label", "E-mail 1 - Value"], {"Type": "E-mail 1 - Label"}),
        (["Given Name", "Family Name", "Phone 1 - Label", "Phone 1 - Value"], {"Type": "Phone 1 - Label"}),
        (
            [
                "Name",
                "Business Street",
                "Business City",
                "Other Postal Code",
                "Home Country",
                "Business Phone 2",
            ],
            {"Postal Code": "Other Postal Code", "Country": "Home Country"},
        ),
    ],
)
def test_a_heading_that_only_contains_a_field_s_word_is_not_that_field(
    labels: list[str], wrong: dict[str, str]
) -> None:
    """Under the generic profile too: the fuzzy matcher never guesses these, not even as a suggestion."""
    mapping = suggest_mapping(labels, "contacts", get_profile("generic-spreadsheet"))
    for title, label in wrong.items():
        assert mapping.label_for(title) != label
        suggestion = mapping.suggestions.get(title)
        assert suggestion is None or suggestion.label != label
    assert mapping.label_for("Type") is None


def test_a_company_name_column_still_maps_to_company() -> None:
    """The guard is narrow: a heading holding a field's words plus "Name" is still that field."""
    mapping = suggest_mapping(["Company Name", "First Name", "Surname"], "contacts", get_profile("leap"))
    assert mapping.label_for("Company") == "Company Name"


def test_outlook_slots_by_kind() -> None:
    data = checked("outlook_contacts.csv").dataset.entities["contacts"]
    frame = data.frame.set_index("contact_id")
    # Row 2, José Núñez of Núñez & Partners: business address whole, with its second street line.
    jose = frame.loc["outlook-2"]
    assert (jose["first_name"], jose["last_name"]) == ("José", "Núñez")
    assert jose["street"] == "100 King Street West, Suite 200"
    assert (jose["phone"], jose["mobile"]) == ("(416) 555-0100", "(418) 555-0100")
    assert jose["type"] == "Person"
    assert jose["Phone 2 Label"] in ("Business Fax", "Business Phone 2")
    # Row 4, François Lefèvre (no company): the home address and home phone.
    francois = frame.loc["outlook-4"]
    assert (francois["street"], francois["phone"]) == ("14 Elm Avenue", "(621) 555-0102")
    # A company-only contact is typed Company and keeps its switchboard as Phone.
    maple = frame.loc["outlook-29"]
    assert (maple["type"], maple["company"], maple["phone"]) == (
        "Company",
        "Maple Leaf Holdings Inc.",
        "(416) 555-0190",
    )


@pytest.mark.parametrize("name", ["google_contacts.csv", "google_contacts_old.csv"])
def test_google_slots_by_label(name: str) -> None:
    data = checked(name).dataset.entities["contacts"]
    frame = data.frame.set_index("contact_id")
    first = frame.loc["google-2"]  # José: "* Work" e-mail, Mobile phone, Work phone, Work address
    assert first["email"] == "jose.nunez@example.org"
    assert first["mobile"] == "+1 618-555-0100"
    assert first["phone"] == "+1 619-555-0100"
    assert first["street"] == "20 Queen Street"
    assert first["Address 2 Street"] == "7 Birch Lane"  # the home address, kept whole
    # Two numbers under one label, in one cell: each kept, one per column.
    two = frame.loc["google-6"]
    numbers = {
        two["phone"],
        *(two[c] for c in data.extra_columns if c.startswith("Phone ") and "Label" not in c),
    }
    assert {"(312) 555-0161", "(312) 555-0162"} <= numbers
    # Two e-mails in one cell: the first in Email, the second kept.
    several = frame.loc["google-7"]
    assert " ::: " not in several["email"]
    assert several["email"] == "li.chen@example.org"
    assert "li.chen@example.net" in set(several[data.extra_columns])


@pytest.mark.parametrize(
    ("name", "encoding", "email", "phone"),
    [
        ("outlook_contacts.csv", "cp1252", "E-mail 2 Address", "Business Phone 2"),
        ("google_contacts.csv", "utf-8-sig", "E-mail 2 - Value", "Phone 2 - Value"),
    ],
)
def test_every_e_mail_and_phone_column_is_checked_under_its_own_heading(
    tmp_path: Path, name: str, encoding: str, email: str, phone: str
) -> None:
    """A second e-mail or phone never takes the contact's slot (it becomes "Email 2"), yet a typo in
    it is as much a problem: found at its row, named by its own column, and the e-mail fixable there."""
    import csv

    with (DATA / name).open(encoding=encoding, newline="") as fh:
        rows = list(csv.reader(fh))
    heading = rows[0]
    row = 5  # a clean row (planted.json)
    # The first e-mail and phone stay as they are, so these stay extra values.
    assert rows[row - 1][heading.index(email.replace("2", "1") if "Value" in email else "E-mail Address")]
    rows[row - 1][heading.index(email)] = "mailto:second@example.com"
    rows[row - 1][heading.index(phone)] = "555-01"
    path = tmp_path / name
    with path.open("w", encoding=encoding, newline="") as fh:
        csv.writer(fh, quoting=csv.QUOTE_ALL, lineterminator="\r\n").writerows(rows)

    result = validate([path])
    found = [(f.rule, f.row, f.column) for f in result.report.findings if f.row == row]
    assert sorted(found) == [("invalid-email", row, email), ("invalid-phone", row, phone)], found
    (finding,) = [f for f in result.report.findings if f.rule == "invalid-email" and f.row == row]
    assert "“mailto:second@example.com”" in finding.message

    from migration_assistant.core.fixes.apply import plan_fixes

    plan = plan_fixes(result.dataset, ["clean-email"])
    entries = [(e.row, e.column, e.after) for e in plan.entries()]
    assert (row, email, "second@example.com") in entries
