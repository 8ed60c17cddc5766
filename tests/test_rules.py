"""Every rule through `validate` on small template folders.

Each rule gets a case it must flag and a nearby legitimate case it must not.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.helpers import (
    BILLS,
    CONTACTS,
    HEADERS,
    MATTERS,
    USERS,
    base_export,
    describe,
    findings,
    rows_of,
    rules_fired,
    run,
    time_entry,
    write_entity,
    write_export,
)

# ---------------------------------------------------------------- baseline


def test_clean_base_export_has_no_findings(tmp_path: Path) -> None:
    base_export(tmp_path, activities=[time_entry("T1"), time_entry("T2", Hours="2", Amount="600")])
    result = run(tmp_path, source="auto")
    assert result.report.source == "template"
    assert result.report.findings == [], describe(result)
    assert {f.role for f in result.report.files} == {"users", "contacts", "matters", "bills", "activities"}


def test_legitimate_awkward_data_produces_no_findings(tmp_path: Path) -> None:
    """Apostrophes, accents, multi-line notes with quotes, plus-addressed e-mail: all fine."""
    contacts = [
        *CONTACTS,
        {"Contact ID": "C3", "Type": "Person", "First Name": "Siobhán", "Last Name": "O'Brien",
         "Email": "first.last+billing@example.co.uk", "Phone": "+1 416 555 0142",
         "Notes": 'Prefers "Ms." in letters.\nCall after 5pm, not before.\r\nSecond line, with a comma'},
        {"Contact ID": "C4", "Type": "Person", "First Name": "Zoë", "Last Name": "Müller-Lüdenscheidt",
         "Email": "zoe@example.de", "City": "Köln"},
        {"Contact ID": "C5", "Type": "Person", "First Name": "José", "Last Name": "Pérez", "City": "São Paulo",
         "Mobile": "(416) 555-0177"},
        {"Contact ID": "C6", "Type": "Company", "Company": "D'Angelo & Sons, LLP"},
    ]  # fmt: skip
    notes = [
        {"Note ID": "N1", "Matter Number": "M-001", "Date": "2024-02-29", "Subject": "Call with client",
         "Body": 'She said "sign it"\nthen: it\'s done.\n\n- follow up'},
        {"Note ID": "N2", "Contact ID": "C3", "Date": "2024-03-01", "Subject": "Zoë's file", "Body": "-"},
    ]  # fmt: skip
    write_export(tmp_path, {"users": USERS, "contacts": contacts, "matters": MATTERS, "notes": notes})
    result = run(tmp_path)
    assert result.report.findings == [], describe(result)
    assert findings(result) == []
    # The multi-line note kept its spreadsheet row: N2 is row 3 although N1 spans four lines.
    notes_table = next(t for t in result.dataset.tables if t.role == "notes")
    assert notes_table.data["_row"].tolist() == [2, 3]


# ---------------------------------------------------------------- schema rules


def test_missing_column(tmp_path: Path) -> None:
    header = [h for h in HEADERS["matters"] if h != "Status"]
    write_entity(tmp_path, "matters", [{k: v for k, v in m.items() if k != "Status"} for m in MATTERS],
                 header=header)  # fmt: skip
    write_entity(tmp_path, "contacts", CONTACTS)
    result = run(tmp_path)
    hits = findings(result, "missing-column")
    assert [(f.file, f.column, f.severity.label) for f in hits] == [("matters.csv", "Status", "blocker")]


def test_optional_column_absent_is_not_missing(tmp_path: Path) -> None:
    header = [h for h in HEADERS["matters"] if h != "Practice Area"]
    write_entity(tmp_path, "matters", MATTERS, header=header)
    write_entity(tmp_path, "contacts", CONTACTS)
    result = run(tmp_path)
    assert findings(result, "missing-column") == []


def test_required_value(tmp_path: Path) -> None:
    matters = [*MATTERS, {**MATTERS[0], "Matter Number": "M-003", "Description": "  "}]
    write_export(tmp_path, {"contacts": CONTACTS, "matters": matters})
    result = run(tmp_path)
    hits = findings(result, "required")
    assert [(f.row, f.column) for f in hits] == [(4, "Description")]
    # An optional field left blank is fine.
    assert findings(result, "required", column="Practice Area") == []


@pytest.mark.parametrize(
    ("column", "bad", "good"),
    [
        ("Date", "yesterday", "2024-03-05"),
        ("Hours", "1.5h", "0.25"),
        ("Amount", "1,5", "$1,234.50"),
        ("Rate", "three hundred", "$300"),
        ("Billable", "maybe", "N"),
        ("Billed", "Perhaps", "y"),
    ],
)
def test_invalid_value(tmp_path: Path, column: str, bad: str, good: str) -> None:
    entries = [time_entry("T1", **{column: good}), time_entry("T2", **{column: bad})]
    base_export(tmp_path, activities=entries)
    result = run(tmp_path)
    hits = findings(result, "invalid-value", column=column)
    assert [(f.row, f.value) for f in hits] == [(3, bad)], describe(result)


def test_money_forms_accepted(tmp_path: Path) -> None:
    bills = [
        {**BILLS[0], "Invoice Number": f"INV-{i}", "Total": total, "Amount Paid": ""}
        for i, total in enumerate(["$1,234.50", "1234.5", "USD 1,234.50", " 1,234.50 ", "$0.00"])
    ]
    write_export(tmp_path, {"contacts": CONTACTS, "matters": MATTERS, "bills": bills})
    result = run(tmp_path)
    assert findings(result, "invalid-value") == [], describe(result)


def test_enum(tmp_path: Path) -> None:
    matters = [
        {**MATTERS[0], "Status": "open"},  # case-insensitive match is fine
        {**MATTERS[1], "Status": "Archived"},
        {**MATTERS[0], "Matter Number": "M-003", "Billing Method": "Pro bono"},
    ]
    write_export(tmp_path, {"contacts": CONTACTS, "matters": matters})
    result = run(tmp_path)
    hits = findings(result, "enum")
    assert [(f.row, f.column, f.value) for f in hits] == [
        (3, "Status", "Archived"),
        (4, "Billing Method", "Pro bono"),
    ]


def test_duplicate_key_at_later_row_naming_first(tmp_path: Path) -> None:
    contacts = [
        *CONTACTS,
        {**CONTACTS[0], "First Name": "Other", "Last Name": "Person", "Email": "", "Phone": ""},
    ]
    write_export(tmp_path, {"contacts": contacts})
    result = run(tmp_path)
    hits = findings(result, "duplicate-key")
    assert [(f.row, f.column, f.value) for f in hits] == [(4, "Contact ID", "C1")]
    assert "row 2" in hits[0].message


def test_duplicate_key_across_two_files_names_the_other_file(tmp_path: Path) -> None:
    write_entity(tmp_path, "contacts", CONTACTS, name="clients-a.csv")
    write_entity(tmp_path, "contacts", [{**CONTACTS[1], "Company": "Other Co"}], name="clients-b.csv")
    result = run(tmp_path)
    (hit,) = findings(result, "duplicate-key")
    assert (hit.file, hit.row, hit.value) == ("clients-b.csv", 2, "C2")
    assert "row 3 of clients-a.csv" in hit.message


def test_date_order_is_decided_per_file(tmp_path: Path) -> None:
    """One file writes DD/MM, another MM/DD: each is read its own way, no conflict between them."""
    note = {"Matter Number": "M-001", "Subject": "s"}
    write_entity(tmp_path, "notes", [{**note, "Note ID": "N1", "Date": "25/12/2023"}], name="notes-uk.csv")
    write_entity(tmp_path, "notes", [{**note, "Note ID": "N2", "Date": "12/25/2023"}], name="notes-us.csv")
    write_export(tmp_path, {"contacts": CONTACTS, "matters": MATTERS})
    result = run(tmp_path)
    assert findings(result, "date-format") == [] and findings(result, "impossible-date") == []
    values = result.dataset.entities["notes"].parsed["date"].values.tolist()
    assert values == [dt.datetime(2023, 12, 25)] * 2


def test_distinct_keys_differing_only_by_zeros_are_not_duplicates(tmp_path: Path) -> None:
    contacts = [{**CONTACTS[0], "Contact ID": "0123"}, {**CONTACTS[1], "Contact ID": "123"}]
    write_export(tmp_path, {"contacts": contacts})
    assert findings(run(tmp_path), "duplicate-key") == []


# ---------------------------------------------------------------- references


def _fk(result: object, column: str) -> list[tuple[int | None, str | None]]:
    return [(f.row, f.value) for f in findings(result, "foreign-key", column=column)]  # type: ignore[arg-type]


def test_foreign_key_matter_to_client(tmp_path: Path) -> None:
    matters = [*MATTERS, {**MATTERS[0], "Matter Number": "M-003", "Client ID": "C99"}]
    write_export(tmp_path, {"users": USERS, "contacts": CONTACTS, "matters": matters})
    result = run(tmp_path)
    assert _fk(result, "Client ID") == [(4, "C99")]
    assert findings(result, "foreign-key", column="Client ID")[0].entity == "matters"


def test_foreign_keys_from_activities(tmp_path: Path) -> None:
    entries = [
        time_entry("T1", Billed="Y", Invoice_Number="INV-1"),
        time_entry("T2", Matter_Number="M-999"),
        time_entry("T3", User_ID="U9"),
        time_entry("T4", Billed="Y", Invoice_Number="INV-404"),
    ]
    base_export(tmp_path, activities=entries)
    result = run(tmp_path)
    assert _fk(result, "Matter Number") == [(3, "M-999")]
    assert _fk(result, "User ID") == [(4, "U9")]
    assert _fk(result, "Invoice Number") == [(5, "INV-404")]
    assert {f.file for f in findings(result, "foreign-key")} == {"activities.csv"}


def test_foreign_keys_from_trust_and_bills(tmp_path: Path) -> None:
    trust = [
        {"Transaction ID": "X1", "Date": "2024-01-02", "Client ID": "C1", "Matter Number": "M-001",
         "Type": "Deposit", "Amount": "100"},
        {"Transaction ID": "X2", "Date": "2024-01-03", "Client ID": "C77", "Type": "Deposit", "Amount": "100"},
        {"Transaction ID": "X3", "Date": "2024-01-04", "Client ID": "C1", "Matter Number": "M-404",
         "Type": "Deposit", "Amount": "100"},
    ]  # fmt: skip
    bills = [*BILLS, {**BILLS[0], "Invoice Number": "INV-2", "Matter Number": "M-404"}]
    write_export(tmp_path, {"contacts": CONTACTS, "matters": MATTERS, "bills": bills, "trust": trust})
    result = run(tmp_path)
    assert [(f.file, f.row, f.column) for f in findings(result, "foreign-key")] == [
        ("bills.csv", 3, "Matter Number"),
        ("trust.csv", 3, "Client ID"),
        ("trust.csv", 4, "Matter Number"),
    ]


def test_absent_target_file_gives_only_unchecked_info(tmp_path: Path) -> None:
    # Matters without contacts or users: the references cannot be checked, which is not an error.
    write_export(tmp_path, {"matters": MATTERS})
    result = run(tmp_path)
    assert findings(result, "foreign-key") == []
    unchecked = findings(result, "foreign-key-unchecked")
    assert {f.column for f in unchecked} == {"Client ID", "Responsible Attorney"}
    assert all(f.severity.label == "info" and f.row is None for f in unchecked)


def test_leading_zeros_stripped_reference(tmp_path: Path) -> None:
    contacts = [{**CONTACTS[0], "Contact ID": "000123"}, CONTACTS[1]]
    matters = [
        {**MATTERS[0], "Client ID": "123"},
        {**MATTERS[1], "Matter Number": "M-003", "Client ID": "000123"},
    ]
    write_export(tmp_path, {"contacts": contacts, "matters": matters})
    result = run(tmp_path)
    hits = findings(result, "leading-zeros")
    assert [(f.row, f.column, f.value) for f in hits] == [(2, "Client ID", "123")]
    assert "000123" in hits[0].message
    assert findings(result, "foreign-key") == []  # reported once, as Excel damage


def test_reference_with_more_zeros_than_the_key_is_a_plain_foreign_key(tmp_path: Path) -> None:
    # Here the key lost its zeros, not the reference: "leading zeros were removed" would blame the wrong cell.
    contacts = [{**CONTACTS[0], "Contact ID": "123"}, CONTACTS[1]]
    matters = [{**MATTERS[0], "Client ID": "000123"}, MATTERS[1]]
    write_export(tmp_path, {"contacts": contacts, "matters": matters})
    result = run(tmp_path)
    assert findings(result, "leading-zeros") == []
    assert _fk(result, "Client ID") == [(2, "000123")]


# ---------------------------------------------------------------- dates


def _matters_with_open_dates(tmp_path: Path, dates: list[str]) -> Path:
    matters = [
        {**MATTERS[0], "Matter Number": f"M-{i:03d}", "Open Date": d, "Close Date": ""}
        for i, d in enumerate(dates)
    ]
    return write_export(tmp_path, {"contacts": CONTACTS, "matters": matters})


def test_date_format_mixed_iso_and_slash(tmp_path: Path) -> None:
    _matters_with_open_dates(tmp_path, ["2024-01-15", "2024-02-20", "2024-03-01", "03/25/2024"])
    result = run(tmp_path)
    hits = findings(result, "date-format")
    assert [(f.row, f.value, f.severity.label) for f in hits] == [(5, "03/25/2024", "warning")]


def test_date_format_one_format_throughout_is_fine(tmp_path: Path) -> None:
    _matters_with_open_dates(tmp_path, ["01/15/2024", "02/20/2024", "12/31/2023"])
    result = run(tmp_path)
    assert findings(result, "date-format") == []
    assert findings(result, "date-order-ambiguous") == []  # 20 and 31 can only be days


def test_date_format_day_month_order_conflict(tmp_path: Path) -> None:
    # Two rows can only be DD/MM (first part > 12), one only MM/DD: the minority is the conflict.
    _matters_with_open_dates(tmp_path, ["25/01/2024", "30/03/2024", "01/20/2024", "05/05/2024"])
    result = run(tmp_path)
    hits = findings(result, "date-format")
    assert [(f.row, f.value, f.severity.label) for f in hits] == [(4, "01/20/2024", "error")]


def test_date_order_ambiguous_is_a_column_finding(tmp_path: Path) -> None:
    _matters_with_open_dates(tmp_path, ["04/05/2024", "01/02/2024", "11/12/2023"])
    result = run(tmp_path)
    hits = findings(result, "date-order-ambiguous")
    assert len(hits) == 1
    assert hits[0].row is None and hits[0].column == "Open Date" and hits[0].file == "matters.csv"


def test_day_above_twelve_is_not_ambiguous(tmp_path: Path) -> None:
    _matters_with_open_dates(tmp_path, ["04/05/2024", "01/02/2024", "11/28/2023"])
    result = run(tmp_path)
    assert findings(result, "date-order-ambiguous") == []
    # ... and it decided month/day: 04/05/2024 is April 5.
    parsed = result.dataset.entities["matters"].parsed["open_date"].values
    assert parsed.iloc[0] == dt.datetime(2024, 4, 5)


def test_impossible_date_and_leap_day(tmp_path: Path) -> None:
    _matters_with_open_dates(tmp_path, ["02/29/2024", "02/30/2025", "02/29/2023", "12/15/2023"])
    result = run(tmp_path)
    assert [(f.row, f.value) for f in findings(result, "impossible-date")] == [
        (3, "02/30/2025"),
        (4, "02/29/2023"),
    ]
    assert findings(result, "invalid-value") == []


def test_impossible_iso_date(tmp_path: Path) -> None:
    _matters_with_open_dates(tmp_path, ["2024-02-29", "2025-13-01"])
    result = run(tmp_path)
    assert rows_of(result, "impossible-date") == [3]


def test_excel_serial_date(tmp_path: Path) -> None:
    _matters_with_open_dates(tmp_path, ["2024-01-15", "45366"])
    result = run(tmp_path)
    hits = findings(result, "excel-serial-date")
    assert [(f.row, f.value) for f in hits] == [(3, "45366")]
    assert "2024-03-15" in hits[0].message
    assert findings(result, "invalid-value") == []


def test_two_digit_year(tmp_path: Path) -> None:
    _matters_with_open_dates(tmp_path, ["03/15/2024", "03/16/24"])
    result = run(tmp_path)
    assert [(f.row, f.value) for f in findings(result, "two-digit-year")] == [(3, "03/16/24")]


def test_date_range_future_time_entry_but_not_future_event(tmp_path: Path) -> None:
    future = (dt.date.today() + dt.timedelta(days=40)).isoformat()
    events = [
        {"Event ID": "E1", "Title": "Hearing", "Start": f"{future} 09:30", "Matter Number": "M-001"},
        {"Event ID": "E2", "Title": "Old hearing", "Start": "1899-12-31 10:00", "Matter Number": "M-001"},
    ]
    tasks = [{"Task ID": "K1", "Name": "File brief", "Due Date": future, "Assignee": "U1"}]
    base_export(tmp_path, activities=[time_entry("T1"), time_entry("T2", Date=future)], calendar=events,
                tasks=tasks)  # fmt: skip
    result = run(tmp_path)
    hits = findings(result, "date-range")
    assert [(f.file, f.row, f.severity.label) for f in hits] == [
        ("activities.csv", 3, "warning"),
        ("calendar.csv", 3, "error"),  # 1899: before 1900
    ]


def test_close_before_open(tmp_path: Path) -> None:
    matters = [
        {**MATTERS[1], "Open Date": "2024-03-01", "Close Date": "2024-02-01"},
        {**MATTERS[0], "Matter Number": "M-003", "Status": "Closed", "Open Date": "2024-03-01",
         "Close Date": "2024-03-01"},
    ]  # fmt: skip
    write_export(tmp_path, {"contacts": CONTACTS, "matters": matters})
    result = run(tmp_path)
    hits = findings(result, "close-before-open")
    assert [(f.row, f.column) for f in hits] == [(2, "Close Date")]


# ---------------------------------------------------------------- money and time


def test_negative_value(tmp_path: Path) -> None:
    entries = [time_entry("T1", Hours="-1", Amount="-300"), time_entry("T2", Hours="0", Amount="0")]
    base_export(tmp_path, activities=entries)
    result = run(tmp_path)
    assert [(f.row, f.column) for f in findings(result, "negative-value")] == [(2, "Hours"), (2, "Amount")]


def test_over_24_hours_at_the_crossing_entry(tmp_path: Path) -> None:
    entries = [
        time_entry("T1", Hours="10", Amount="3000"),
        time_entry("T2", Hours="10", Amount="3000"),
        time_entry("T3", Hours="2", Amount="600", User_ID="U2", Rate="300"),  # other person
        time_entry("T4", Hours="5", Amount="1500"),  # U1 reaches 25 here
        time_entry("T5", Hours="1", Amount="300"),  # already over: not reported again
        time_entry("T6", Hours="12", Amount="3600", Date="2024-03-05"),
        time_entry("T7", Hours="12", Amount="3600", Date="2024-03-05"),  # exactly 24: fine
    ]
    base_export(tmp_path, activities=entries)
    result = run(tmp_path)
    hits = findings(result, "over-24-hours")
    assert [(f.row, f.column) for f in hits] == [(5, "Hours")], describe(result)
    assert "25.00" in hits[0].message or "26.00" in hits[0].message


def test_over_24_hours_keeps_people_apart_whatever_the_dates(tmp_path: Path) -> None:
    # Two people, dates 1,000,000 days apart (one a typo far in the future): their days must not merge.
    entries = [
        time_entry("T1", User_ID="U1", Date="4637-11-28", Hours="13", Amount="3900"),
        time_entry("T2", User_ID="U2", Date="1900-01-01", Hours="12", Rate="200", Amount="2400"),
        # Six-minute increments that add up to exactly 24 hours are not over.
        *[time_entry(f"S{i}", Date="2024-03-06", Hours="0.1", Amount="30") for i in range(240)],
    ]
    base_export(tmp_path, activities=entries)
    result = run(tmp_path)
    assert findings(result, "over-24-hours") == [], describe(findings(result, "over-24-hours"))


def test_amount_mismatch_to_the_cent(tmp_path: Path) -> None:
    entries = [
        time_entry("T1", Hours="1.5", Rate="300", Amount="450.01"),  # off by a cent
        time_entry("T2", Hours="1.5", Rate="333.33", Amount="500.00"),  # 499.995 rounds to 500.00
        time_entry("T3", Hours="0.1", Rate="2.25", Amount="0.23"),  # 0.225 rounded half-up
        time_entry("T4", Hours="0.1", Rate="2.25", Amount="0.22"),  # ... or half-even: both fine
        time_entry("T5", Type="Expense", Hours="1", Rate="25", Amount="31.40"),  # quantity 1 expense
        time_entry("T6", Type="Expense", Hours="", Rate="", Amount="12.00"),
        time_entry("T7", Hours="2", Rate="$1,000.00", Amount="$2,000.00"),
        time_entry("T8", Hours="1.5", Rate="200", Amount="(300.00)"),  # only the sign: negative-value says so
        time_entry("T9", Hours="1.5", Rate="200", Amount="-250.00"),  # sign and size: still a mismatch
    ]
    base_export(tmp_path, activities=entries)
    result = run(tmp_path)
    hits = findings(result, "amount-mismatch")
    assert [(f.row, f.value) for f in hits] == [(2, "450.01"), (10, "-250.00")], describe(result)
    assert [(f.row, f.column) for f in findings(result, "negative-value")] == [(9, "Amount"), (10, "Amount")]
    assert findings(result, "time-without-hours") == []


def test_time_without_hours(tmp_path: Path) -> None:
    entries = [
        time_entry("T1", Hours="", Amount="300"),
        time_entry("T2", Type="Expense", Hours="", Amount="5"),
    ]
    base_export(tmp_path, activities=entries)
    result = run(tmp_path)
    assert rows_of(result, "time-without-hours") == [2]


def test_billed_without_invoice(tmp_path: Path) -> None:
    entries = [
        time_entry("T1", Billed="Y", Invoice_Number=""),
        time_entry("T2", Billed="Y", Invoice_Number="INV-1"),
        time_entry("T3", Billed="N", Invoice_Number=""),
    ]
    base_export(tmp_path, activities=entries)
    result = run(tmp_path)
    assert rows_of(result, "billed-without-invoice") == [2]


def test_overpaid_bill(tmp_path: Path) -> None:
    bills = [
        {**BILLS[0], "Total": "$1,000.00", "Amount Paid": "$1,000.01", "Status": "Paid"},
        {**BILLS[0], "Invoice Number": "INV-2", "Total": "1000", "Amount Paid": "1,000.00", "Status": "Paid"},
    ]
    write_export(tmp_path, {"contacts": CONTACTS, "matters": MATTERS, "bills": bills})
    result = run(tmp_path)
    assert [(f.row, f.column) for f in findings(result, "overpaid-bill")] == [(2, "Amount Paid")]


# ---------------------------------------------------------------- trust


def _trust(
    tid: str, date: str, kind: str, amount: str, client: str = "C1", matter: str = "M-001"
) -> dict[str, str]:
    return {"Transaction ID": tid, "Date": date, "Client ID": client, "Matter Number": matter, "Type": kind,
            "Amount": amount}  # fmt: skip


def test_trust_overdraft_in_date_order_not_file_order(tmp_path: Path) -> None:
    trust = [
        _trust("X1", "2024-02-01", "Withdrawal", "300.00"),  # listed first, but after the deposit in time
        _trust("X2", "2024-01-01", "Deposit", "500.00"),
        _trust("X3", "2024-03-01", "Withdrawal", "400.00"),  # 500 - 300 - 400 = -200: this one
        _trust("X4", "2024-03-02", "Withdrawal", "10.00"),  # still below, not reported again
        _trust("X5", "2024-01-01", "Deposit", "50.00", client="C2", matter="M-002"),
    ]
    write_export(tmp_path, {"contacts": CONTACTS, "matters": MATTERS, "trust": trust})
    result = run(tmp_path)
    hits = findings(result, "trust-overdraft")
    assert [(f.row, f.value) for f in hits] == [(4, "400.00")], describe(result)
    assert "-200.00" in hits[0].message


def test_trust_same_day_deposit_before_withdrawal_is_fine(tmp_path: Path) -> None:
    trust = [
        _trust("X1", "2024-01-05", "Withdrawal", "100.00"),
        _trust("X2", "2024-01-05", "Deposit", "100.00"),
        _trust("X3", "2024-01-06", "Transfer Out", "$1,000.00", client="C2", matter="M-002"),
        _trust("X4", "2024-01-06", "Transfer In", "$1,000.00", client="C2", matter="M-002"),
    ]
    write_export(tmp_path, {"contacts": CONTACTS, "matters": MATTERS, "trust": trust})
    result = run(tmp_path)
    assert findings(result, "trust-overdraft") == [], describe(result)


def test_trust_wrong_client(tmp_path: Path) -> None:
    trust = [
        _trust("X1", "2024-01-01", "Deposit", "100", client="C1", matter="M-002"),  # M-002 belongs to C2
        _trust("X2", "2024-01-01", "Deposit", "100", client="C2", matter="M-002"),
        _trust("X3", "2024-01-01", "Deposit", "100", client="C1", matter=""),
    ]
    write_export(tmp_path, {"contacts": CONTACTS, "matters": MATTERS, "trust": trust})
    result = run(tmp_path)
    hits = findings(result, "trust-wrong-client")
    assert [(f.row, f.column, f.value) for f in hits] == [(2, "Matter Number", "M-002")]


def test_trust_amount_must_be_positive(tmp_path: Path) -> None:
    trust = [
        _trust("X1", "2024-01-01", "Deposit", "0"),
        _trust("X2", "2024-01-02", "Deposit", "-50"),
        _trust("X3", "2024-01-03", "Deposit", "$1,250.00"),
    ]
    write_export(tmp_path, {"contacts": CONTACTS, "matters": MATTERS, "trust": trust})
    result = run(tmp_path)
    assert rows_of(result, "trust-amount") == [2, 3]
    assert findings(result, "negative-value") == []  # trust has its own rule


# ---------------------------------------------------------------- contacts


def test_nameless_contact_and_company_without_person(tmp_path: Path) -> None:
    contacts = [
        {"Contact ID": "C1", "Type": "Person", "Email": "x@example.com"},
        {"Contact ID": "C2", "Type": "Company", "Company": "Acme Holdings Inc."},  # fine
        {"Contact ID": "C3", "Type": "Person", "First Name": "Ann", "Last Name": "Lee", "Company": "Acme"},
        {"Contact ID": "C4", "Type": "Company", "First Name": "Ann", "Last Name": "Lee"},
    ]
    write_export(tmp_path, {"contacts": contacts})
    result = run(tmp_path)
    hits = findings(result, "nameless-contact")
    assert [(f.row, f.severity.label) for f in hits] == [(2, "error"), (5, "warning")]
    # The finding points at the empty name cell and names the contact in words.
    assert (hits[0].column, hits[0].value) == ("Last Name", "")
    assert "C1" in hits[0].message
    assert (hits[1].column, hits[1].value) == ("Company", "")


def test_incomplete_name(tmp_path: Path) -> None:
    contacts = [
        {"Contact ID": "C1", "Type": "Person", "First Name": "Cher"},
        {"Contact ID": "C2", "Type": "Person", "First Name": "Ann", "Last Name": "O'Neil"},
        {"Contact ID": "C3", "Type": "Person", "Last Name": "Ng", "Company": "Ng Law"},
    ]
    write_export(tmp_path, {"contacts": contacts})
    result = run(tmp_path)
    assert rows_of(result, "incomplete-name") == [2]


def test_invalid_email(tmp_path: Path) -> None:
    contacts = [
        {**CONTACTS[0], "Contact ID": "C1", "Email": "maria@@example"},
        {**CONTACTS[0], "Contact ID": "C2", "First Name": "Eve", "Email": "first.last+billing@example.co.uk"},
        {**CONTACTS[0], "Contact ID": "C3", "First Name": "Al", "Email": "al@example.com; bo@example.com"},
        {**CONTACTS[0], "Contact ID": "C4", "First Name": "Jo", "Email": "JO.SMITH@Example.COM"},
    ]
    write_export(tmp_path, {"contacts": contacts})
    result = run(tmp_path)
    hits = findings(result, "invalid-email")
    # Two good addresses in one cell are each checked on their own (tests/test_multi_value_cells.py).
    assert [(f.row, f.value) for f in hits] == [(2, "maria@@example")]


def test_invalid_phone(tmp_path: Path) -> None:
    contacts = [
        {**CONTACTS[0], "Contact ID": "C1", "Phone": "555-01"},
        {**CONTACTS[0], "Contact ID": "C2", "First Name": "B", "Phone": "+1 416 555 0199"},
        {**CONTACTS[0], "Contact ID": "C3", "First Name": "C", "Phone": "(416) 555-0123"},
        {**CONTACTS[0], "Contact ID": "C4", "First Name": "D", "Phone": "+44 20 7946 0958", "Mobile": "12"},
    ]
    write_export(tmp_path, {"contacts": contacts})
    result = run(tmp_path)
    hits = findings(result, "invalid-phone")
    assert [(f.row, f.column, f.value) for f in hits] == [(2, "Phone", "555-01"), (5, "Mobile", "12")]


def test_possible_duplicate_same_email_similar_name(tmp_path: Path) -> None:
    contacts = [
        {"Contact ID": "C1", "Type": "Person", "First Name": "John", "Last Name": "Smith", "Email": "js@example.com"},
        {"Contact ID": "C2", "Type": "Person", "First Name": "Ann", "Last Name": "Lee", "Email": "ann@example.com"},
        {"Contact ID": "C3", "Type": "Person", "First Name": "Jon", "Last Name": "Smith", "Email": "JS@example.com"},
    ]  # fmt: skip
    write_export(tmp_path, {"contacts": contacts})
    result = run(tmp_path)
    hits = findings(result, "possible-duplicate")
    assert [(f.row, f.value) for f in hits] == [(4, "C3")]
    assert "row 2" in hits[0].message and "e-mail" in hits[0].message


def test_shared_company_phone_is_not_a_duplicate(tmp_path: Path) -> None:
    contacts = [
        {"Contact ID": "C1", "Type": "Person", "First Name": "Ann", "Last Name": "Lee", "Company": "Acme",
         "Phone": "(416) 555-0123"},
        {"Contact ID": "C2", "Type": "Person", "First Name": "Raj", "Last Name": "Patel", "Company": "Acme",
         "Phone": "416-555-0123"},
    ]  # fmt: skip
    write_export(tmp_path, {"contacts": contacts})
    assert findings(run(tmp_path), "possible-duplicate") == []


# ---------------------------------------------------------------- Excel damage and safety


def test_id_damaged_scientific_and_date(tmp_path: Path) -> None:
    contacts = [*CONTACTS, {**CONTACTS[0], "Contact ID": "1.23457E+15", "Email": "", "Phone": ""}]
    matters = [*MATTERS, {**MATTERS[0], "Matter Number": "16-Oct", "Description": "x"}]
    write_export(tmp_path, {"contacts": contacts, "matters": matters})
    result = run(tmp_path)
    hits = findings(result, "id-damaged")
    assert sorted((f.file, f.row, f.value) for f in hits) == [
        ("contacts.csv", 4, "1.23457E+15"),
        ("matters.csv", 4, "16-Oct"),
    ]


def test_ordinary_ids_are_not_damaged(tmp_path: Path) -> None:
    matters = [{**MATTERS[0], "Matter Number": "2024-0001"}, {**MATTERS[1], "Matter Number": "16-1001"}]
    write_export(tmp_path, {"contacts": CONTACTS, "matters": matters})
    assert findings(run(tmp_path), "id-damaged") == []


def test_mojibake(tmp_path: Path) -> None:
    contacts = [
        {"Contact ID": "C1", "Type": "Person", "First Name": "JosÃ©", "Last Name": "PÃ©rez"},
        {"Contact ID": "C2", "Type": "Person", "First Name": "José", "Last Name": "Pérez"},
        {"Contact ID": "C3", "Type": "Person", "First Name": "Zoë", "Last Name": "O'Brien",
         "Notes": "Ã  la carte (a real phrase? no: but “Ã ” alone is not reversible)"},
    ]  # fmt: skip
    write_export(tmp_path, {"contacts": contacts})
    result = run(tmp_path)
    hits = findings(result, "mojibake")
    assert [(f.row, f.column) for f in hits] == [(2, "First Name"), (2, "Last Name")], describe(result)
    assert "José" in hits[0].message and "Pérez" in hits[1].message


def test_formula_injection(tmp_path: Path) -> None:
    contacts = [
        {**CONTACTS[0], "Contact ID": "C1", "Notes": '=HYPERLINK("http://evil.example","click")'},
        {**CONTACTS[0], "Contact ID": "C2", "First Name": "B", "Title": "@SUM(1)"},
        {**CONTACTS[0], "Contact ID": "C3", "First Name": "C", "Notes": "-5.00", "Phone": "+1 416 555 0199"},
        {**CONTACTS[0], "Contact ID": "C4", "First Name": "D", "Notes": "-"},
        {**CONTACTS[0], "Contact ID": "C5", "First Name": "E", "Notes": "+cmd|' /C calc'!A0"},
        {**CONTACTS[0], "Contact ID": "C6", "First Name": "F", "Notes": "-$175.00"},
    ]
    write_export(tmp_path, {"contacts": contacts})
    result = run(tmp_path)
    hits = findings(result, "formula-injection")
    assert [(f.row, f.column) for f in hits] == [(2, "Notes"), (3, "Title"), (6, "Notes")], describe(result)


# ---------------------------------------------------------------- structure through validate


def test_blank_and_duplicate_header_and_blank_row(tmp_path: Path) -> None:
    text = (
        "Contact ID,Type,First Name,Last Name,,Email,Email\r\n"
        "C1,Person,Ann,Lee,,ann@example.com,\r\n"
        ",,,,,,\r\n"
        "C2,Person,Bo,Chen,x,bo@example.com,\r\n"
    )
    (tmp_path / "people.csv").write_text(text, encoding="utf-8", newline="")
    result = run(tmp_path)
    assert result.report.files[0].role == "contacts"
    assert [(f.row, f.column) for f in findings(result, "blank-header")] == [(1, "(blank column 5)")]
    assert [(f.row, f.column) for f in findings(result, "duplicate-header")] == [(1, "Email")]
    assert rows_of(result, "blank-row") == [3]
    # The blank row is not a record: no "required" finding for its empty Contact ID.
    assert findings(result, "required") == []
    # Reader findings carry the entity the file turned out to hold.
    assert {f.entity for f in result.report.findings} == {"contacts"}


def test_every_rule_has_a_stable_code_docstring_and_severity() -> None:
    from migration_assistant.core.rules import REGISTRY

    codes = [r.code for r in REGISTRY]
    assert len(codes) == len(set(codes))
    for r in REGISTRY:
        assert r.doc, f"rule {r.code} has no docstring"
        assert r.code == r.code.lower() and " " not in r.code


def test_many_problems_at_once_still_run_end_to_end(tmp_path: Path) -> None:
    """A broken export exercising many rules at once still runs end to end."""
    contacts = [*CONTACTS, {"Contact ID": "C1", "Type": "Robot", "Email": "bad@", "Phone": "1"}]
    entries = [time_entry("T1", Hours="30", Amount="1"), time_entry("T1", Date="31/31/2024")]
    write_export(tmp_path, {"users": USERS, "contacts": contacts, "matters": MATTERS, "activities": entries})
    result = run(tmp_path)
    fired = rules_fired(result)
    assert {
        "duplicate-key",
        "enum",
        "invalid-email",
        "invalid-phone",
        "amount-mismatch",
        "over-24-hours",
    } <= fired
