"""QuickBooks Desktop lists as data: customers, jobs, employees and Timer activities from IIF files.

The fixtures and their planted problems are described in
tests/data/real_exports/quickbooks/SOURCES.md (Intuit's IIF reference for CUST and TIMEACT).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from migration_assistant.core.engine import validate
from migration_assistant.core.findings import Severity
from migration_assistant.core.readers.iif import read_iif
from migration_assistant.core.readers.iif_lists import hours
from migration_assistant.core.readers.table import ROW
from migration_assistant.core.results import ValidationResult
from tests.conftest import conformance_dir
from tests.helpers import describe

FIXTURES = Path(__file__).parent / "data" / "real_exports" / "quickbooks"
PLANTED = {
    ("customers.iif", 19, "invalid-email", "Email"),
    ("customers.iif", 20, "foreign-key", "Client ID"),
    ("customers.iif", 21, "iif-job-status", "JOBSTATUS"),
    ("customers.iif", 22, "iif-required", "NAME"),
    ("customers.iif", 23, "duplicate-key", "Contact ID"),
    ("timer.iif", 64, "iif-duration", "DURATION"),
    ("timer.iif", 65, "iif-billing-status", "BILLINGSTATUS"),
    ("timer.iif", 66, "foreign-key", "Matter Number"),
    ("timer.iif", 67, "foreign-key", "User ID"),
    ("timer.iif", 69, "over-24-hours", "Hours"),
}


@pytest.fixture(scope="module")
def result() -> ValidationResult:
    return validate([FIXTURES], "auto")


def test_the_lists_are_recognised_as_quickbooks_and_read_as_records(result: ValidationResult) -> None:
    assert result.report.source == "quickbooks"
    assert result.report.records == {"bills": 0, "contacts": 8, "matters": 13, "users": 2, "activities": 66}


def test_every_planted_problem_is_found_at_its_line_and_nothing_else(result: ValidationResult) -> None:
    found = {
        (f.file, f.row, f.rule, f.column) for f in result.report.findings if f.severity >= Severity.WARNING
    }
    assert found == PLANTED, describe(result)


def test_customers_are_contacts_and_jobs_are_their_matters() -> None:
    tables = {t.role: t for t in read_iif(FIXTURES / "customers.iif", "customers.iif")}
    contacts = tables["contacts"].data
    garcia = contacts[contacts["Contact ID"] == "Garcia, Maria"].iloc[0]
    assert (garcia["Type"], garcia["First Name"], garcia["Last Name"]) == ("Person", "Maria", "Garcia")
    assert garcia["Street"] == "12 Elm St, Springfield, IL 62701" and garcia[ROW] == 2
    acme = contacts[contacts["Contact ID"] == "Acme Holdings Inc."].iloc[0]
    assert (acme["Type"], acme["Company"], acme["Notes"]) == (
        "Company",
        "Acme Holdings Inc.",
        "Retainer client since 2019",
    )
    # Jobs repeat their customer's details but are matters, not second contacts.
    assert not contacts["Contact ID"].str.contains(":").any()
    matters = tables["matters"].data
    estate = matters[matters["Matter Number"] == "Garcia, Maria:Estate"].iloc[0]
    assert (estate["Client ID"], estate["Description"], estate["Status"], estate["Open Date"]) == (
        "Garcia, Maria", "Estate planning", "Open", "2024-01-15",
    )  # fmt: skip
    dispute = matters[matters["Matter Number"] == "Garcia, Maria:Dispute"].iloc[0]
    assert (dispute["Status"], dispute["Close Date"], dispute["Practice Area"]) == (
        "Closed",
        "2024-02-01",
        "Litigation",
    )
    # JOBSTATUS 0 (None) is read as Open, with a note.
    lease = matters[matters["Matter Number"] == "Acme Holdings Inc.:Lease 2024"].iloc[0]
    assert lease["Status"] == "Open"


def test_timer_activities_are_time_entries() -> None:
    tables = {t.role: t for t in read_iif(FIXTURES / "timer.iif", "timer.iif")}
    data = tables["activities"].data
    by_row = data.set_index(ROW)
    first = by_row.loc[4]
    assert (first["Type"], first["Date"], first["User ID"], first["Matter Number"]) == (
        "Time", "2024-01-02", "Ann Lee", "Smith, John:Estate",
    )  # fmt: skip
    # DURATION is hours and minutes; the note's /n is a line break; BILLINGSTATUS 0 is not billable.
    assert first["Hours"] == "0.5" and first["Description"] == "Work on estate \n call with client"
    assert (first["Billable"], first["Billed"]) == ("N", "N")
    assert by_row.loc[5, "Hours"] == "1" and by_row.loc[6, "Hours"] == "1.75"
    # BILLINGSTATUS 0/1/2 -> billable and billed.
    statuses = {(r["Billable"], r["Billed"]) for _, r in data.iterrows()}
    assert statuses <= {("N", "N"), ("Y", "N"), ("Y", "Y"), ("", "")}
    # The timer's own header line is not a record, nor a list left unmigrated.
    assert not [f for f in tables["bills"].findings if f.rule == "iif-lists"]


@pytest.mark.parametrize(
    ("duration", "expected"),
    [("4:15", "4.25"), ("0:06", "0.1"), ("0:20", "0.3333"), ("23:59", "23.9833"), ("1.5", "1.5"), ("1:75", None),
     ("abc", None)],
)  # fmt: skip
def test_durations_are_hours_and_minutes(duration: str, expected: str | None) -> None:
    value = hours(duration)
    assert (None if value is None else f"{value:f}") == expected


def test_clean_lists_raise_nothing_at_warning_or_above(tmp_path: Path) -> None:
    for name in ("customers.iif", "employees.iif", "timer.iif"):
        lines = (FIXTURES / name).read_bytes().decode("ascii").split("\r\n")
        cut = {"customers.iif": 18, "employees.iif": 99, "timer.iif": 63}[name]
        (tmp_path / name).write_text("\r\n".join(lines[:cut]) + "\r\n", encoding="ascii")
    clean = validate([tmp_path], "quickbooks")
    assert [f for f in clean.report.findings if f.severity >= Severity.WARNING] == [], describe(clean)
    assert sum(clean.report.records.values()) == 6 + 11 + 2 + 60


def test_a_recognised_file_without_records_is_a_warning(tmp_path: Path) -> None:
    shutil.copy(conformance_dir("formats", "iif") / "quoted-amounts.iif", tmp_path / "journal.iif")
    result = validate([tmp_path / "journal.iif"], "quickbooks")
    (hit,) = [f for f in result.report.findings if f.rule == "no-records"]
    assert hit.severity == Severity.WARNING and hit.row is None
    assert "2 GENERAL JOURNAL transactions" in hit.message


def test_the_conformance_files_read_as_before() -> None:
    # The transactions read as before; the customer list in comma-delim.iif is now two contacts
    # (it was "lists are not migrated"), and files with nothing to migrate say so as a warning.
    folder = conformance_dir("formats", "iif")
    for path in sorted(folder.glob("*.iif")):
        tables = read_iif(path, path.name)
        assert tables[0].role == "bills" and tables[0].rows == 0, path.name
        roles = {t.role: t.rows for t in tables[1:]}
        if path.name == "comma-delim.iif":
            assert roles == {"contacts": 2}
            assert not [f for f in tables[0].findings if f.rule in ("iif-lists", "no-records")]
        else:
            assert roles == {}, path.name
            assert [f.rule for f in tables[0].findings].count("no-records") == 1, path.name
