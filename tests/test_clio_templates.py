"""Clio's migration templates (tests/data/real_exports/clio): detected, mapped and checked by their conventions.

The fixture files use the templates' own header sets and the habits Clio's help pages document
(SOURCES.md beside them): a blank type is a time entry, an expense's quantity is a count, a
pending matter may have no open date, a matter names its client in client_first_name /
client_last_name / client_company_name. The problems planted in them are listed in PLANTED.
"""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest

from migration_assistant.core.engine import validate
from migration_assistant.core.findings import Severity
from migration_assistant.core.results import ValidationResult
from tests.helpers import base_export, describe, findings, run, time_entry

CLIO = Path(__file__).parent / "data" / "real_exports" / "clio"

PLANTED = {
    ("contacts.csv", 22, "nameless-contact"),  # no first name, last name or company
    ("matters.csv", 4, "enum"),  # status "Active"
    ("matters.csv", 8, "foreign-key"),  # client Gregory Thornbury is not a contact
    ("matters.csv", 11, "close-before-open"),
    ("matters.csv", 18, "required"),  # no description
    ("activities.csv", 13, "over-24-hours"),  # 14 + 11 hours for one person on 05/20/2025
    ("activities.csv", 17, "foreign-key"),  # matter 2023-0999 does not exist
    ("activities.csv", 20, "two-digit-year"),  # 05/14/25
    ("activities.csv", 24, "enum"),  # type "Expence"
    ("activities.csv", 27, "time-without-hours"),  # blank type (time), blank quantity
    ("activities.csv", 31, "negative-value"),  # price -180.00
}


@pytest.fixture(scope="module")
def result() -> ValidationResult:
    return validate([CLIO], "auto")


def _rows(name: str) -> list[dict[str, str]]:
    with (CLIO / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_detected_as_clio_with_every_file_recognised(result: ValidationResult) -> None:
    assert result.profile.id == "clio"
    roles = {f.file: f.role for f in result.report.files}
    assert roles == {"contacts.csv": "contacts", "matters.csv": "matters", "activities.csv": "activities"}
    assert not findings(result, "unrecognised-file") and not findings(result, "ambiguous-source")


def test_every_planted_problem_is_found_at_its_file_and_row(result: ValidationResult) -> None:
    found = {(f.file, f.row, f.rule) for f in result.report.findings}
    assert found >= PLANTED, describe(result)


def test_no_false_alarm_on_clean_rows(result: ValidationResult) -> None:
    """Nothing at warning or above except the planted problems (target: under 0.5% of clean rows)."""
    planted_rows = {(file, row) for file, row, _ in PLANTED}
    alarms = [
        f
        for f in result.report.findings
        if f.severity >= Severity.WARNING and (f.file, f.row) not in planted_rows
    ]
    clean_rows = sum(len(_rows(n)) for n in ("contacts.csv", "matters.csv", "activities.csv")) - len(
        planted_rows
    )
    assert len(alarms) / clean_rows < 0.005, describe(alarms)
    assert alarms == [], describe(alarms)


def test_blank_type_is_a_time_entry_and_expense_entry_an_expense(result: ValidationResult) -> None:
    activities = result.dataset.entities["activities"]
    raw = [r["type"] for r in _rows("activities.csv")]
    kinds = activities.parsed["type"].values.tolist()
    assert {k for r, k in zip(raw, kinds, strict=True) if r == ""} == {"Time"}
    assert {k for r, k in zip(raw, kinds, strict=True) if r == "ExpenseEntry"} == {"Expense"}
    assert not findings(result, "required", column="type") and not findings(result, "enum", row=2)


def test_expense_quantity_is_a_count_not_hours(result: ValidationResult) -> None:
    """Laura Chen's 40 + 40 copies and 6.5 hours on 04/16/2025 are not 86.5 hours."""
    rows = _rows("activities.csv")
    heavy = [r for r in rows if r["date"] == "04/16/2025" and r["activity_user"] == "Laura Chen"]
    assert sum(float(r["quantity"]) for r in heavy) > 24
    assert sum(float(r["quantity"]) for r in heavy if r["type"] == "") < 24
    assert [f.row for f in findings(result, "over-24-hours")] == [13]
    assert not [f for f in findings(result, "amount-mismatch")]


def test_template_habits_raise_nothing(result: ValidationResult) -> None:
    # A pending matter with no open date; matters linked to people and companies by name; "yes" flags.
    matters = _rows("matters.csv")
    pending = [i + 2 for i, m in enumerate(matters) if m["status"] == "Pending" and not m["open_date"]]
    companies = [i + 2 for i, m in enumerate(matters) if m["client_company_name"]]
    assert pending and companies
    for row in pending + companies:
        assert findings(result, file="matters.csv", row=row) == [], describe(result)
    yes = [i + 2 for i, a in enumerate(_rows("activities.csv")) if a["non_billable"] == "yes"]
    assert yes
    for row in yes:
        assert [
            f for f in findings(result, file="activities.csv", row=row) if f.severity > Severity.INFO
        ] == []
    activities = result.dataset.entities["activities"]
    billable = activities.parsed["billable"].values.tolist()
    assert {billable[r - 2] for r in yes} == {False}
    # The template has no total: one note for the file, not one per entry.
    assert [(f.file, f.row) for f in findings(result, "amount-derived")] == [("activities.csv", None)]


def test_matter_client_resolves_to_the_contact_by_name(result: ValidationResult) -> None:
    matters = result.dataset.entities["matters"]
    resolved = matters.parsed["client_id"].values.tolist()
    assert resolved[0] == "clio-contact-2"  # Maria Alvarez, the first contact
    company_row = next(i for i, m in enumerate(_rows("matters.csv")) if m["client_company_name"])
    assert resolved[company_row].startswith("clio-contact-")


def test_a_missing_required_column_is_one_file_level_finding(tmp_path: Path) -> None:
    """A Clio activities file without its matter column: one finding, at no row, naming the column."""
    folder = tmp_path / "clio"
    shutil.copytree(CLIO, folder)
    rows = _rows("activities.csv")
    header = [h for h in rows[0] if h != "matter"]
    buf = io.StringIO(newline="")
    writer = csv.DictWriter(buf, header, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    (folder / "activities.csv").write_text(buf.getvalue(), encoding="utf-8")
    result = validate([folder], "clio")
    missing = findings(result, "missing-column", file="activities.csv")
    assert [(f.row, f.column, f.severity) for f in missing] == [(None, "Matter Number", Severity.BLOCKER)]
    # ...and no "required" finding on every row for the column that is not there.
    assert findings(result, "required", file="activities.csv", column="matter_number") == []
    assert [
        f for f in findings(result, "required", file="activities.csv") if f.column in (None, "Matter Number")
    ] == []


def test_over_24_hours_counts_time_entries_only_for_every_source(tmp_path: Path) -> None:
    """In our own template too: 30 photocopies and 20 hours on one day is not 50 hours."""
    entries = [
        time_entry("E1", Hours="20", Amount="6000.00"),
        time_entry("E2", Type="Expense", Hours="30", Rate="0.25", Amount="7.50"),
        time_entry("E3", Type="Time", Hours="3", Amount="900.00"),
    ]
    base_export(tmp_path, activities=entries)
    assert findings(run(tmp_path), "over-24-hours") == []
    base_export(tmp_path, activities=[*entries, time_entry("E4", Hours="2", Amount="600.00")])
    assert [f.row for f in findings(run(tmp_path), "over-24-hours")] == [5]


def test_over_24_hours_counts_one_person_written_by_id_name_and_initials_once(tmp_path: Path) -> None:
    """Ann Lee (U1) as "U1", "Ann Lee" and "AL" on one day: 10 + 9 + 6 hours is 25 hours of one person."""
    entries = [
        time_entry("E1", Hours="10", Amount="3000.00"),
        time_entry("E2", User_ID="Ann Lee", Hours="9", Amount="2700.00"),
        time_entry("E3", User_ID="AL", Hours="6", Amount="1800.00"),
        time_entry("E4", User_ID="U2", Hours="6", Rate="200", Amount="1200.00"),  # another person
    ]
    base_export(tmp_path, activities=entries)
    result = run(tmp_path)
    assert [f.row for f in findings(result, "over-24-hours")] == [4], describe(result)
