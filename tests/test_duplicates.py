"""Possible duplicates weighed on evidence: each case flagged or not, and a list full of namesakes."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.duplicates import make_contacts, score
from migration_assistant.core.findings import Severity
from tests.helpers import describe, findings, run, write_export

DUPLICATE = "possible-duplicate"


def person(cid: str, first: str, last: str, **more: str) -> dict[str, str]:
    return {"Contact ID": cid, "Type": "Person", "First Name": first, "Last Name": last, **more}


def check(tmp_path: Path, contacts: list[dict[str, str]]) -> list:  # type: ignore[type-arg]
    write_export(tmp_path, {"contacts": contacts})
    return run(tmp_path).report.findings


def test_a_shared_name_alone_is_one_info_not_a_warning(tmp_path: Path) -> None:
    contacts = [
        person("C1", "James", "Smith", Email="james.smith@example.com", Phone="(416) 555-0101",
               Street="1 King St", City="Toronto", **{"Postal Code": "M5H 1A1"}),
        person("C2", "James", "Smith", Email="jsmith@example.org", Phone="(416) 555-0102",
               Street="9 Queen St", City="Toronto", **{"Postal Code": "M5H 2B2"}),
        person("C3", "James", "Smith", Email="jim@example.net", Phone="(416) 555-0103"),
        person("C4", "Ann", "Lee", Email="ann@example.com"),
        person("C5", "Ann", "Lee", Email="ann.lee@example.com"),
    ]  # fmt: skip
    result = check(tmp_path, contacts)
    assert findings(result, DUPLICATE) == [], describe(result)
    (info,) = findings(result, "namesakes")
    assert info.severity is Severity.INFO and info.row is None
    assert info.message.startswith("4 pairs of contacts share a name and nothing else")
    assert "“James Smith” (rows 2, 3, 4)" in info.message and "“Ann Lee” (rows 5, 6)" in info.value


@pytest.mark.parametrize(
    ("later", "evidence"),
    [
        (person("C9", "John", "Smith", Email="JS@example.com"), "the same e-mail address (“JS@example.com”)"),
        (person("C9", "John", "Smith", Phone="416.555.0101"), "the same phone number (“416.555.0101”)"),
        (person("C9", "John", "Smith", Street="1 King St.", **{"Postal Code": "M5H1A1"}), "the same address"),
    ],
)
def test_the_same_name_and_one_shared_detail_is_a_warning_naming_both(
    tmp_path: Path, later: dict[str, str], evidence: str
) -> None:
    first = person("C1", "John", "Smith", Email="js@example.com", Phone="(416) 555-0101", Street="1 King St",
                   **{"Postal Code": "M5H 1A1"})  # fmt: skip
    result = check(tmp_path, [first, person("C2", "Ann", "Lee"), later])
    (hit,) = findings(result, DUPLICATE)
    assert (hit.row, hit.column, hit.value, hit.severity) == (4, "Contact ID", "C9", Severity.WARNING)
    assert "row 2 (C1)" in hit.message and evidence in hit.message and "the same name" in hit.message
    assert findings(result, "namesakes") == []  # the pair shares more than a name


@pytest.mark.parametrize(
    ("first_name", "last_name", "middle"),
    [
        ("Bob", "Smith", ""),  # nickname
        ("Bill", "Smith", ""),
        ("Robert J.", "Smith", ""),  # a middle initial in the first-name cell
        ("Robert", "Smith", "James"),  # a middle name
        ("ROBERT", "SMITH", ""),
    ],
)
def test_nicknames_middle_names_and_case_count_as_the_same_name(
    tmp_path: Path, first_name: str, last_name: str, middle: str
) -> None:
    original = "William" if first_name == "Bill" else "Robert"
    contacts = [
        person("C1", original, "Smith", Email="rs@example.com"),
        person("C2", first_name, last_name, **{"Middle Name": middle, "Email": "rs@example.com"}),
    ]
    (hit,) = findings(check(tmp_path, contacts), DUPLICATE)
    assert hit.row == 3 and "the same name" in hit.message


def test_accents_count_as_the_same_name(tmp_path: Path) -> None:
    contacts = [
        person("C1", "María", "García", Phone="+1 416 555 0199"),
        person("C2", "Maria", "Garcia", Phone="416-555-0199"),
    ]
    (hit,) = findings(check(tmp_path, contacts), DUPLICATE)
    assert hit.row == 3 and "the same name (“Maria Garcia” / “María García”)" in hit.message


@pytest.mark.parametrize(("a", "b"), [("John", "Jon"), ("Jonathan", "Jon"), ("J.", "John"), ("Jhon", "John")])
def test_near_identical_names_with_a_shared_detail_are_a_warning(tmp_path: Path, a: str, b: str) -> None:
    contacts = [
        person("C1", a, "Smith", Email="x@example.com"),
        person("C2", b, "Smith", Email="x@example.com"),
    ]
    (hit,) = findings(check(tmp_path, contacts), DUPLICATE)
    assert hit.row == 3 and ("a very similar name" in hit.message or "the same name" in hit.message)


def test_companies_with_and_or_ampersand_and_suffixes_are_the_same_name(tmp_path: Path) -> None:
    contacts = [
        {"Contact ID": "C1", "Type": "Company", "Company": "Smith & Co.", "Phone": "(416) 555-0101"},
        {"Contact ID": "C2", "Type": "Company", "Company": "Smith and Company", "Phone": "416 555 0101"},
    ]
    (hit,) = findings(check(tmp_path, contacts), DUPLICATE)
    assert hit.row == 3 and "the same name" in hit.message


@pytest.mark.parametrize("detail", [{"Email": "family@example.com"}, {"Phone": "(416) 555-0101"}])
def test_a_shared_email_or_phone_under_another_name_is_an_info(
    tmp_path: Path, detail: dict[str, str]
) -> None:
    contacts = [
        person("C1", "Mary", "Smith", **detail),
        person("C2", "Mark", "Smith", **detail),  # one letter changed: another person
        person("C3", "Raj", "Patel", Email="raj@example.com"),
    ]
    result = check(tmp_path, contacts)
    assert findings(result, DUPLICATE) == [], describe(result)
    (info,) = findings(result, "shared-contact-detail")
    column = next(iter(detail))
    assert (info.row, info.column, info.value, info.severity) == (3, column, detail[column], Severity.INFO)
    assert "row 2 (C1, “Mary Smith”)" in info.message


def test_a_switchboard_is_one_info_and_namesakes_on_it_are_not_duplicates(tmp_path: Path) -> None:
    line = {"Phone": "(416) 555-0100", "Company": "Acme LLP"}
    contacts = [
        person("C1", "Ann", "Lee", **line),
        person("C2", "James", "Smith", Email="james@acme.example.com", **line),
        person("C3", "Raj", "Patel", **line),
        person("C4", "James", "Smith", Email="jsmith@acme.example.com", **line),
    ]
    result = check(tmp_path, contacts)
    assert findings(result, DUPLICATE) == [], describe(result)
    (info,) = findings(result, "shared-contact-detail")
    assert info.row == 3 and "and 2 other contacts" in info.message


def test_a_shared_address_under_another_name_is_nothing(tmp_path: Path) -> None:
    home = {"Street": "12 Oak Ave", "City": "Denver", "Postal Code": "80203"}
    contacts = [person("C1", "Mary", "Smith", **home), person("C2", "Paul", "Smith", **home)]
    assert check(tmp_path, contacts) == []


def test_the_same_id_twice_is_left_to_the_duplicate_key_rule(tmp_path: Path) -> None:
    contacts = [
        person("C1", "Ann", "Lee", Email="a@example.com"),
        person("C1", "Ann", "Lee", Email="a@example.com"),
    ]
    result = check(tmp_path, contacts)
    assert findings(result, DUPLICATE) == [] and findings(result, "duplicate-key")


def test_several_emails_in_one_cell_are_each_evidence(tmp_path: Path) -> None:
    contacts = [
        person("C1", "Ann", "Lee", Email="ann@work.example.com ::: ann@home.example.com"),
        person("C2", "Ann", "Lee", Email="ann@home.example.com"),
    ]
    (hit,) = findings(check(tmp_path, contacts), DUPLICATE)
    assert hit.row == 3 and "ann@home.example.com" in hit.message


def test_a_list_full_of_namesakes(tmp_path: Path) -> None:
    """The benchmark's generator at 2,000 contacts: the same targets as bench/duplicates.py."""
    frame, truth = make_contacts(2_000, seed=11)
    frame.to_csv(tmp_path / "contacts.csv", index=False)
    result = run(tmp_path)
    got = score([f.to_json() for f in result.report.findings], truth, len(frame))
    assert got["found"] == got["true_duplicates"] == 5, got["missed"]
    assert got["warnings_pct"] < 0.5 and got["false_warnings"] == 0
    assert len(got["namesakes"]) == 1 and " pairs of contacts share a name" in got["namesakes"][0]


def test_privacy_mode_hides_the_names_and_details_the_duplicate_findings_quote(tmp_path: Path) -> None:
    from migration_assistant.core.privacy import mask_message

    contacts = [
        person("C1", "Maria", "Garcia", Email="maria.garcia@example.com"),
        person("C2", "María", "García", Email="maria.garcia@example.com"),  # a duplicate
        person("C3", "Mary", "Okafor", Phone="(416) 555-0177"),
        person("C4", "Mark", "Okafor", Phone="(416) 555-0177"),  # a shared line
        person("C5", "Ann", "Lee", Email="ann@example.com"),
        person("C6", "Ann", "Lee", Email="ann.lee@example.com"),  # namesakes
    ]
    result = check(tmp_path, contacts)
    shown = [f for f in result if f.rule in (DUPLICATE, "shared-contact-detail", "namesakes")]
    assert {f.rule for f in shown} == {DUPLICATE, "shared-contact-detail", "namesakes"}, describe(result)
    for f in shown:
        masked = mask_message(f.message, value=f.value)
        for private in (
            "Maria",
            "María",
            "Garcia",
            "maria.garcia",
            "Mary",
            "Mark",
            "Okafor",
            "555",
            "Ann Lee",
        ):
            assert private not in masked, (f.rule, masked)
