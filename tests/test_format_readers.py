"""Readers of the interchange formats: LEDES, iCalendar, vCard and QuickBooks IIF.

Most tests read the shared conformance corpus (skipped with a reason when ../shared is
absent); small inline files cover the rules the corpus does not exercise.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest

from migration_assistant.core.findings import Finding, Severity
from migration_assistant.core.readers.errors import UnreadableFile
from migration_assistant.core.readers.formats import FORMATS, read_format, sniff_format
from migration_assistant.core.readers.ical import read_ics
from migration_assistant.core.readers.iif import read_iif
from migration_assistant.core.readers.ledes import read_ledes
from migration_assistant.core.readers.table import ROW, SourceTable
from migration_assistant.core.readers.vcard import read_vcf
from migration_assistant.core.schema import entity
from tests.conftest import conformance_dir
from tests.helpers import LEDES_HEADER, ledes_file, ledes_line

FOLDERS = {"ledes": "ledes", "ics": "ics", "vcf": "vcf", "iif": "iif"}


# --------------------------------------------------------------------------- helpers


def corpus(fmt: str, name: str) -> Path:
    return conformance_dir("formats", FOLDERS[fmt]) / name


def table(tables: list[SourceTable], role: str) -> SourceTable:
    [found] = [t for t in tables if t.role == role]
    return found


def records(t: SourceTable) -> list[dict[str, Any]]:
    return [{str(k): v for k, v in row.items()} for row in t.data.to_dict("records")]


def rules(t: SourceTable, at_least: Severity = Severity.INFO) -> list[tuple[str, int | None]]:
    return [(f.rule, f.row) for f in t.findings if f.severity >= at_least]


def only(t: SourceTable, rule: str) -> Finding:
    [found] = [f for f in t.findings if f.rule == rule]
    return found


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


# --------------------------------------------------------------------------- every corpus file


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_corpus_file_reads_into_the_contract(fmt: str) -> None:
    folder = conformance_dir("formats", FOLDERS[fmt])
    files = sorted(p for p in folder.iterdir() if p.is_file())
    assert files
    for path in files:
        assert sniff_format(path, path.read_bytes()[:8192]) == fmt, path.name
        tables = read_format(path, f"sub/{path.name}", fmt)
        assert tables, path.name
        for t in tables:
            titles = list(entity(t.role or "").titles)
            assert t.format == fmt
            assert t.role_confidence == 1.0
            assert t.labels == titles
            assert list(t.data.columns) == [*titles, ROW]
            assert t.file == f"sub/{path.name}"
            assert t.path == path
            assert t.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
            assert t.encoding
            assert not t.data[titles].isna().any().any(), path.name
            assert all(isinstance(v, str) for v in t.data[titles].to_numpy().ravel())
            assert all(f.file == f"sub/{path.name}" and f.sheet is None for f in t.findings)
            assert all(f.message and f.hint for f in t.findings)


def test_csv_files_are_not_taken_for_an_interchange_format() -> None:
    folder = conformance_dir("formats", "contacts-csv")
    for path in sorted(folder.glob("*.csv")):
        assert sniff_format(path, path.read_bytes()[:8192]) is None, path.name


def test_sniff_falls_back_to_the_extension(tmp_path: Path) -> None:
    assert sniff_format(tmp_path / "calendar.ics", b"garbage") == "ics"
    assert sniff_format(tmp_path / "book.VCF", b"") == "vcf"
    assert sniff_format(tmp_path / "notes.txt", b"hello") is None
    # Content wins over a misleading extension.
    assert sniff_format(tmp_path / "export.txt", b"\xef\xbb\xbfBEGIN:VCARD\r\n") == "vcf"
    assert sniff_format(tmp_path / "x.csv", "BEGIN:VCARD\r\n".encode("utf-16")) == "vcf"
    assert sniff_format(tmp_path / "x.dat", b"!ACCNT\tNAME\r\n") == "iif"


def test_read_format_rejects_unknown_formats_and_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown format"):
        read_format(tmp_path / "x", "x", "pdf")
    with pytest.raises(UnreadableFile, match=r"missing\.ics could not be read"):
        read_format(tmp_path / "missing.ics", "missing.ics", "ics")
    with pytest.raises(UnreadableFile, match="folder"):
        read_format(tmp_path, "a-folder", "vcf")


# --------------------------------------------------------------------------- LEDES


def test_ledes_spec_example() -> None:
    tables = read_ledes(corpus("ledes", "ledes_98B_spec_example.txt"), "invoices.txt")
    activities, bills = table(tables, "activities"), table(tables, "bills")
    assert activities.rows == 6 and bills.rows == 2
    assert activities.data[ROW].tolist() == [3, 4, 5, 6, 7, 8]
    first = records(activities)[0]
    assert first == {
        "Entry ID": "96542-1",
        "Type": "Time",
        "Date": "1999-01-15",
        "User ID": "22547",
        "Matter Number": "0528",
        "Description": "Research Attorney’s fees, Set off claim",
        "Hours": "2",
        "Rate": "350.00",
        "Amount": "630.00",
        "Billable": "Y",
        "Billed": "Y",
        "Invoice Number": "96542",
        "Activity Code": "L510/A102",
        ROW: 3,
    }
    meals = records(activities)[3]
    assert (meals["Type"], meals["Hours"], meals["Amount"], meals["Activity Code"]) == (
        "Expense",
        "",
        "24.95",
        "E111",
    )
    retainer = records(activities)[5]
    assert (retainer["Type"], retainer["Hours"], retainer["Amount"]) == ("Time", "", "1250.00")
    assert records(bills) == [
        {
            "Invoice Number": "96542",
            "Matter Number": "0528",
            "Issue Date": "1999-02-25",
            "Due Date": "",
            "Total": "1684.45",
            "Amount Paid": "",
            "Status": "Unpaid",
            ROW: 3,
        },
        {
            "Invoice Number": "96543",
            "Matter Number": "1326",
            "Issue Date": "1999-02-25",
            "Due Date": "",
            "Total": "1250.00",
            "Amount Paid": "",
            "Status": "Unpaid",
            ROW: 8,
        },
    ]
    # The only deviation is the curly apostrophe (LEDES is ASCII): a note, not a problem.
    assert rules(activities) == [("ledes-non-ascii", 3)]
    assert bills.findings == []


def test_ledes_without_final_newline_reads_the_same() -> None:
    with_newline = read_ledes(corpus("ledes", "ledes_98B_spec_example.txt"), "a.txt")
    without = read_ledes(corpus("ledes", "ledes_98B_spec_example_no_final_newline.txt"), "a.txt")
    for a, b in zip(with_newline, without, strict=True):
        assert a.data.equals(b.data)
        assert [(f.rule, f.row) for f in a.findings] == [(f.rule, f.row) for f in b.findings]


def test_ledes_repeated_line_item_and_total_mismatch_semicolons() -> None:
    tables = read_ledes(corpus("ledes", "ledes_98B_semicolons.txt"), "s.txt")
    activities, bills = table(tables, "activities"), table(tables, "bills")
    assert activities.rows == 7
    duplicate = only(activities, "ledes-duplicate-line")
    assert (duplicate.row, duplicate.value, duplicate.severity) == (8, "5", Severity.ERROR)
    assert "lines 7 and 8" in duplicate.message
    # Semicolons stay inside the description: the delimiter is the pipe.
    assert records(activities)[5]["Description"] == "Trademark Filing; 12345"
    mismatch = only(bills, "ledes-total-mismatch")
    assert (mismatch.row, mismatch.value, mismatch.column) == (3, "1684.45", "INVOICE_TOTAL")
    assert "1973.95" in mismatch.message and "289.50" in mismatch.message
    assert rules(activities, Severity.WARNING) == [("ledes-duplicate-line", 8)]
    assert rules(bills, Severity.WARNING) == [("ledes-total-mismatch", 3)]


def test_ledes_dotted_matter_on_a_duplicated_line() -> None:
    tables = read_ledes(corpus("ledes", "ledes_98B_dotted_matter_dup_line.txt"), "d.txt")
    activities, bills = table(tables, "activities"), table(tables, "bills")
    assert records(activities)[6]["Matter Number"] == "500.900"
    assert records(activities)[6][ROW] == 9
    assert rules(activities, Severity.WARNING) == [("ledes-duplicate-line", 9)]
    assert sorted(rules(bills, Severity.WARNING)) == [
        ("ledes-invoice-inconsistent", 9),
        ("ledes-invoice-inconsistent", 9),
        ("ledes-total-mismatch", 8),
    ]
    inconsistent = {f.column: f.value for f in bills.findings if f.rule == "ledes-invoice-inconsistent"}
    assert inconsistent == {"CLIENT_ID": "500", "LAW_FIRM_MATTER_ID": "500.900"}
    assert only(bills, "ledes-total-mismatch").value == "1250.00"
    # The bill keeps the first line's matter.
    assert records(bills)[1]["Matter Number"] == "1326"


def test_ledes_1998bi() -> None:
    tables = read_ledes(corpus("ledes", "ledes_98BI_v2.txt"), "bi.txt")
    activities, bills = table(tables, "activities"), table(tables, "bills")
    assert activities.rows == 6
    assert [r["Total"] for r in records(bills)] == ["1869.97", "1338.81"]
    assert records(activities)[0]["Amount"] == "717.63"
    assert records(activities)[0]["User ID"] == "22547"
    assert rules(activities, Severity.WARNING) == [] and rules(bills, Severity.WARNING) == []
    currency = only(bills, "ledes-currency")
    assert currency.severity == Severity.INFO and currency.value == "GBP"


def test_ledes_invoice_total_differs_from_line_sum(tmp_path: Path) -> None:
    content = ledes_file(
        ledes_line(INVOICE_TOTAL="500.00", LINE_ITEM_TOTAL="300.00"),
        ledes_line(INVOICE_TOTAL="500.00", LINE_ITEM_NUMBER="2", LINE_ITEM_TOTAL="199.99"),
    )
    bills = table(read_ledes(write(tmp_path, "x.txt", content), "x.txt"), "bills")
    mismatch = only(bills, "ledes-total-mismatch")
    assert (mismatch.row, mismatch.severity, mismatch.entity) == (3, Severity.ERROR, "bills")
    assert "499.99" in mismatch.message and "0.01" in mismatch.message


def test_ledes_totals_match_to_the_cent(tmp_path: Path) -> None:
    content = ledes_file(
        ledes_line(
            INVOICE_TOTAL="0.3",
            LINE_ITEM_TOTAL="0.1",
            LINE_ITEM_UNIT_COST="0.1",
            LINE_ITEM_NUMBER_OF_UNITS="1",
        ),
        ledes_line(
            INVOICE_TOTAL="0.3",
            LINE_ITEM_NUMBER="2",
            LINE_ITEM_TOTAL="0.20",
            LINE_ITEM_UNIT_COST="0.2",
            LINE_ITEM_NUMBER_OF_UNITS="1",
        ),
    )
    tables = read_ledes(write(tmp_path, "x.txt", content), "x.txt")
    assert all(t.findings == [] for t in tables)


def test_ledes_line_rules(tmp_path: Path) -> None:
    content = ledes_file(
        ledes_line(LINE_ITEM_DATE="20240230"),
        ledes_line(LINE_ITEM_NUMBER="2", **{"EXP/FEE/INV_ADJ_TYPE": "X"}),
        ledes_line(LINE_ITEM_NUMBER="3", CLIENT_ID="", LINE_ITEM_TOTAL="$1,000"),
        ledes_line(LINE_ITEM_NUMBER="4").removesuffix("[]"),
        ledes_line(LINE_ITEM_NUMBER="5", LINE_ITEM_DESCRIPTION="A|B"),
    )
    activities = table(read_ledes(write(tmp_path, "x.txt", content), "x.txt"), "activities")
    assert sorted(rules(activities, Severity.WARNING)) == [
        ("ledes-date", 3),
        ("ledes-field-count", 7),
        ("ledes-number", 5),
        ("ledes-required", 5),
        ("ledes-terminator", 6),
        ("ledes-type", 4),
    ]
    assert only(activities, "ledes-date").value == "20240230"
    assert only(activities, "ledes-required").column == "CLIENT_ID"
    assert only(activities, "ledes-field-count").severity == Severity.ERROR
    assert only(activities, "ledes-terminator").severity == Severity.WARNING
    # Values that are not what they should be stay as written, for the schema checks to show.
    assert records(activities)[0]["Date"] == "20240230"
    assert records(activities)[1]["Type"] == "X"
    assert records(activities)[2]["Amount"] == "$1,000"


def test_ledes_missing_terminators_everywhere_is_one_finding(tmp_path: Path) -> None:
    lines = [
        ledes_line(LINE_ITEM_NUMBER=str(n), INVOICE_TOTAL="900.00").removesuffix("[]") for n in (1, 2, 3)
    ]
    content = "LEDES1998B\n" + LEDES_HEADER.removesuffix("[]") + "\n" + "\n".join(lines)
    activities = table(read_ledes(write(tmp_path, "x.txt", content), "x.txt"), "activities")
    assert rules(activities) == [("ledes-terminator", 1)]
    assert "None of the 5 lines" in activities.findings[0].message


def test_ledes_that_is_not_ledes(tmp_path: Path) -> None:
    tables = read_ledes(write(tmp_path, "x.txt", "Name,Amount\nA,1\n"), "x.txt")
    assert rules(table(tables, "activities")) == [("ledes-structure", 1)]
    assert table(tables, "activities").findings[0].severity == Severity.BLOCKER
    assert all(t.rows == 0 for t in tables)
    empty = read_ledes(write(tmp_path, "e.txt", ""), "e.txt")
    assert table(empty, "activities").findings[0].severity == Severity.BLOCKER


def test_ledes_without_version_line_and_with_crlf(tmp_path: Path) -> None:
    content = LEDES_HEADER + "\r\n" + ledes_line() + "\r\n"
    tables = read_ledes(write(tmp_path, "x.txt", content), "x.txt")
    activities = table(tables, "activities")
    assert rules(activities) == [("ledes-structure", 1)]
    assert activities.findings[0].severity == Severity.WARNING
    assert activities.data[ROW].tolist() == [2]
    assert records(activities)[0]["Hours"] == "1.5"


# --------------------------------------------------------------------------- iCalendar


def test_ics_recurring_event_with_cancelled_overrides() -> None:
    t = read_ics(corpus("ics", "radicale-0827.ics"), "cal.ics")[0]
    assert records(t) == [
        {
            "Event ID": "812dae9d-4114-45c1-ba5b-4ee34756ab47",
            "Title": "Cours Balboa",
            "Start": "2017-10-09 20:30",
            "End": "2017-10-09 21:30",
            "All Day": "N",
            "Location": "Some place, Some where",
            "Matter Number": "",
            "Description": "",
            ROW: 21,
        }
    ]
    recurring = only(t, "ics-recurring")
    assert recurring.row == 21 and recurring.value == "FREQ=WEEKLY;UNTIL=20180623T183000Z"
    assert "weekly until 2018-06-23" in recurring.message and "9 dates skipped" in recurring.message
    assert [
        (f.row, "2018-03-26 20:30" in f.message or "2018-04-30 20:30" in f.message)
        for f in t.findings
        if f.rule == "ics-cancelled"
    ] == [(44, True), (59, True)]
    assert rules(t, Severity.WARNING) == []


def test_ics_windows_time_zone_name() -> None:
    t = read_ics(corpus("ics", "timezone_same_start.ics"), "x.ics")[0]
    row = records(t)[0]
    assert (row["Title"], row["Start"], row["End"], row[ROW]) == (
        "Test 4",
        "2017-02-24 12:00",
        "2017-02-24 12:30",
        20,
    )
    assert only(t, "ics-timezone").value == "Pacific Standard Time"
    assert rules(t, Severity.WARNING) == []


def test_ics_8bit_time_zone_name() -> None:
    t = read_ics(corpus("ics", "tzid_8bit.ics"), "x.ics")[0]
    row = records(t)[0]
    assert (row["Event ID"], row["Start"], row["End"], row[ROW]) == (
        "CyrillicTest",
        "2008-05-30 15:00",
        "2008-05-30 15:00",
        19,
    )
    assert only(t, "ics-timezone").value == "Екатеринбург"


def test_ics_folded_escaped_description_and_location() -> None:
    t = read_ics(corpus("ics", "issue_53_description_parsed_properly.ics"), "x.ics")[0]
    row = records(t)[0]
    assert row["Event ID"] == "event_qtkfrcyqkbnb@meetup.com"
    assert row["Location"] == "Fathom Creative, Inc. (1333 14th Street Northwest, WashingtonD.C., DC 20005)"
    assert row["Description"].startswith(
        "DevOpsDC\nThursday, July 12 at 6:30 PM\n\nThis will be a joint meetup"
    )
    assert "The idea behind the hack night" in row["Description"]
    assert (row["Start"], row["End"]) == ("2012-07-12 18:30", "2012-07-12 21:30")
    assert rules(t, Severity.WARNING) == []


def test_ics_google_export_with_open_ended_rule() -> None:
    t = read_ics(corpus("ics", "x_location.ics"), "x.ics")[0]
    row = records(t)[0]
    assert row["Location"] == "Roadstar 16\n12764 Happyville\nDenmark"
    assert row[ROW] == 27
    assert "with no end date" in only(t, "ics-recurring").message


def test_ics_bare_events_and_bom() -> None:
    escaped = read_ics(corpus("ics", "event_with_escaped_characters.ics"), "x.ics")[0]
    assert records(escaped)[0]["Event ID"] == "ics-1"
    assert rules(escaped) == [("ics-no-uid", 1)]
    exdates = read_ics(corpus("ics", "event_with_recurrence_exdates_on_different_lines.ics"), "x.ics")[0]
    assert "weekly on Tuesday until 2012-07-03 (5 dates skipped)" in only(exdates, "ics-recurring").message
    bom = read_ics(corpus("ics", "bom_calendar.ics"), "x.ics")[0]
    assert (bom.rows, bom.findings, bom.encoding) == (0, [], "utf-8-sig")


CAL = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n{}END:VCALENDAR\r\n"


def event(*lines: str) -> str:
    return "BEGIN:VEVENT\r\n" + "".join(line + "\r\n" for line in lines) + "END:VEVENT\r\n"


def test_ics_all_day_end_is_inclusive(tmp_path: Path) -> None:
    content = CAL.format(
        event("UID:a", "SUMMARY:Trial", "DTSTART;VALUE=DATE:20240304", "DTEND;VALUE=DATE:20240307")
        + event("UID:b", "SUMMARY:Deadline", "DTSTART;VALUE=DATE:20240401")
        + event("UID:c", "SUMMARY:Hearing", "DTSTART:20240402T090000", "DURATION:PT1H30M")
    )
    t = read_ics(write(tmp_path, "c.ics", content), "c.ics")[0]
    got = [(r["Start"], r["End"], r["All Day"], r[ROW]) for r in records(t)]
    assert got == [
        ("2024-03-04", "2024-03-06", "Y", 3),
        ("2024-04-01", "2024-04-01", "Y", 9),
        ("2024-04-02 09:00", "2024-04-02 10:30", "N", 14),
    ]
    assert t.findings == []


def test_ics_moved_occurrence_gets_its_own_row(tmp_path: Path) -> None:
    content = CAL.format(
        event("UID:s", "SUMMARY:Standup", "DTSTART:20240102T090000", "RRULE:FREQ=DAILY;COUNT=5")
        + event(
            "UID:s", "SUMMARY:Standup (moved)", "RECURRENCE-ID:20240103T090000", "DTSTART:20240103T100000"
        )
    )
    t = read_ics(write(tmp_path, "c.ics", content), "c.ics")[0]
    assert [r["Event ID"] for r in records(t)] == ["s", "s#20240103T090000"]
    assert "daily, 5 times" in only(t, "ics-recurring").message
    assert only(t, "ics-override").row == 9


def test_ics_utc_times(tmp_path: Path) -> None:
    utc = CAL.format(event("UID:u", "SUMMARY:Call", "DTSTART:20240115T140000Z", "DTEND:20240115T150000Z"))
    t = read_ics(write(tmp_path, "u.ics", utc), "u.ics")[0]
    assert records(t)[0]["Start"] == "2024-01-15 14:00"
    assert only(t, "ics-utc").severity == Severity.WARNING
    local = utc.replace("VERSION:2.0\r\n", "VERSION:2.0\r\nX-WR-TIMEZONE:America/New_York\r\n")
    t = read_ics(write(tmp_path, "l.ics", local), "l.ics")[0]
    assert (records(t)[0]["Start"], records(t)[0]["End"]) == ("2024-01-15 09:00", "2024-01-15 10:00")
    assert rules(t, Severity.WARNING) == []


def test_ics_damaged_content_becomes_findings(tmp_path: Path) -> None:
    content = (
        "BEGIN:VCALENDAR\r\n"
        + event("UID:1", "SUMMARY:Bad start", "DTSTART:2024-01-01")
        + "BEGIN:VTODO\r\nUID:t\r\nEND:VTODO\r\n"
        + "BEGIN:VEVENT\r\nUID:2\r\nSUMMARY:Cut short\r\nDTSTART:20240105T100000\r\n"
    )
    t = read_ics(write(tmp_path, "c.ics", content), "c.ics")[0]
    assert [r["Event ID"] for r in records(t)] == ["1", "2"]
    assert records(t)[0]["Start"] == "2024-01-01"  # as written, for the date check to show
    assert sorted(rules(t)) == [("ics-not-migrated", None), ("ics-parse", 2), ("ics-parse", 10)]
    assert only(t, "ics-not-migrated").message.startswith("The file also holds 1 to-do item")
    not_calendar = read_ics(write(tmp_path, "n.ics", "just some text\n"), "n.ics")[0]
    assert [(f.rule, f.severity) for f in not_calendar.findings] == [("ics-parse", Severity.BLOCKER)]


def test_ics_legacy_encoding(tmp_path: Path) -> None:
    content = CAL.format(event("UID:1", "SUMMARY:Réunion", "DTSTART:20240105T100000")).encode("cp1252")
    t = read_ics(write(tmp_path, "c.ics", content), "c.ics")[0]
    assert records(t)[0]["Title"] == "Réunion"
    assert t.encoding == "cp1252"
    assert only(t, "ics-encoding").severity == Severity.WARNING


# --------------------------------------------------------------------------- vCard


def contact(name: str) -> dict[str, Any]:
    t = read_vcf(corpus("vcf", name), name)[0]
    assert t.rows == 1
    return records(t)[0]


def test_vcf_outlook_2003_quoted_printable_and_base64() -> None:
    t = read_vcf(corpus("vcf", "outlook-2003.vcf"), "o.vcf")[0]
    row = records(t)[0]
    assert (row["First Name"], row["Last Name"], row["Company"], row["Title"]) == (
        "John",
        "Doe",
        "Company, The",
        "The Job Title",
    )
    assert row["Notes"] == "This is the note field!!\nSecond line\n\nThird line is empty"
    assert (row["Phone"], row["Mobile"], row["Email"]) == ("BusinessPhone", "MobilePhone", "jdoe@hotmail.com")
    assert (row["Street"], row["City"], row["State/Province"], row["Postal Code"], row["Country"]) == (
        "123 Main St, TheOffice",
        "Austin",
        "TX",
        "12345",
        "United States of America",
    )
    assert row["Contact ID"] == "vcf-1"
    assert t.findings == []


def test_vcf_outlook_2007_soft_breaks_and_photo() -> None:
    t = read_vcf(corpus("vcf", "outlook-2007.vcf"), "o.vcf")[0]
    row = records(t)[0]
    assert row["Notes"].splitlines()[1:] == [
        "I assume it encodes this text inside a NOTE vCard type.",
        "But I'm not sure because there's text formatting going on here.",
        "It does not preserve the formatting",
    ]
    assert (row["Phone"], row["Mobile"], row["Street"]) == (
        "(111) 555-1111",
        "(111) 555-4444",
        "222 Broadway, TheOffice",
    )
    assert t.findings == []


def test_vcf_google_item_groups_take_the_first_values() -> None:
    row = contact("gmail-single2.vcf")
    assert (row["First Name"], row["Last Name"], row["Company"], row["Title"]) == (
        "VCard",
        "Test",
        "TheCompany",
        "TheJobTitle",
    )
    assert (row["Email"], row["Phone"], row["Mobile"]) == ("email@example.com", "5555551111", "5555551115")
    assert row["Street"] == "111 Main St"
    assert row["Notes"] == "note line 1\nnote line 2\nCustomField: field value"


def test_vcf_rfc6350_uri_phones_and_folded_address() -> None:
    row = contact("rfc6350-example.vcf")
    assert (row["Phone"], row["Mobile"]) == ("+1-418-656-9254 ext. 102", "+1-418-262-6501")
    assert (row["Street"], row["City"], row["State/Province"], row["Postal Code"], row["Country"]) == (
        "2875 Laurier, Suite D2-630",
        "Quebec",
        "QC",
        "G1V 2M2",
        "Canada",
    )
    assert (row["Company"], row["Email"]) == ("Viagenie", "simon.perreault@viagenie.ca")


def test_vcf_company_card_and_accents() -> None:
    row = contact("roundcube_apple.vcf")
    assert (row["Type"], row["Company"], row["First Name"], row["Last Name"]) == (
        "Company",
        "Apple Computer AG",
        "",
        "",
    )
    assert row["City"] == "Wallisellen-Zürich"


def test_vcf_utf16_without_bom() -> None:
    t = read_vcf(corpus("vcf", "roundcube_utf-16_sample.vcf"), "u.vcf")[0]
    row = records(t)[0]
    assert t.encoding == "utf-16-be"
    assert (row["First Name"], row["Last Name"], row["Country"]) == ("Ǽgean", "ĽdaMonté", "Perú")
    assert (row["Street"], row["State/Province"]) == ("169 Mária Canal", "Conceptión")


def test_vcf_undeclared_8bit_is_read_and_flagged() -> None:
    t = read_vcf(corpus("vcf", "roundcube_thebat.vcf"), "b.vcf")[0]
    row = records(t)[0]
    # Roundcube's own test expects this Windows-1252 reading; a person checks it.
    assert (row["First Name"], row["Last Name"]) == ("Piotr", "Iksiñski")
    finding = only(t, "vcf-charset")
    assert (finding.severity, finding.row) == (Severity.WARNING, 1)


def test_vcf_doubled_carriage_returns() -> None:
    row = contact("thunderbird_dos_vcard_addressbook.vcf")
    assert (row["First Name"], row["Last Name"], row["Email"]) == ("Name", "Surname", "example@gmail.com")


def test_vcf_several_cards_with_charsets_and_damage(tmp_path: Path) -> None:
    content = (
        "BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE:M=FCller;J=FCrgen\r\n"
        "TEL;HOME:111\r\nEND:VCARD\r\n"
        "\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:abc-1\r\nFN:Acme LLP\r\nORG:Acme LLP\r\n"
        "NOTE;ENCODING=QUOTED-PRINTABLE:line one=0D=0A=\r\nline two\r\nthis line has no colon\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Jane Q Public\r\n"
    )
    t = read_vcf(write(tmp_path, "c.vcf", content), "c.vcf")[0]
    rows = records(t)
    assert [r[ROW] for r in rows] == [1, 7, 16]
    assert (rows[0]["First Name"], rows[0]["Last Name"], rows[0]["Phone"]) == ("Jürgen", "Müller", "111")
    assert (rows[1]["Contact ID"], rows[1]["Type"], rows[1]["Company"]) == ("abc-1", "Company", "Acme LLP")
    assert rows[1]["Notes"] == "line one\nline two"
    assert (rows[2]["First Name"], rows[2]["Last Name"]) == ("Jane Q", "Public")
    assert sorted(rules(t)) == [("vcf-parse", 14), ("vcf-parse", 16)]


def test_vcf_utf16_le_with_bom_and_legacy_file(tmp_path: Path) -> None:
    card = "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Doë;John;;;\r\nEMAIL:j@example.com\r\nEND:VCARD\r\n"
    t = read_vcf(write(tmp_path, "a.vcf", card.encode("utf-16")), "a.vcf")[0]
    assert (t.encoding, records(t)[0]["Last Name"]) == ("utf-16-le", "Doë")
    legacy = card.replace("\r\nN:", "\r\nN;CHARSET=ISO-8859-2:").replace("Doë", "Dvořák").encode("iso8859_2")
    t = read_vcf(write(tmp_path, "b.vcf", legacy), "b.vcf")[0]
    assert records(t)[0]["Last Name"] == "Dvořák"
    assert t.findings == []


def test_vcf_that_is_not_a_vcard(tmp_path: Path) -> None:
    t = read_vcf(write(tmp_path, "x.vcf", "First,Last\nA,B\n"), "x.vcf")[0]
    assert [(f.rule, f.severity) for f in t.findings] == [("vcf-parse", Severity.BLOCKER)]
    assert t.rows == 0


# --------------------------------------------------------------------------- IIF


def test_iif_bare_carriage_returns() -> None:
    t = read_iif(corpus("iif", "dos-carriage-returns.iif"), "x.iif")[0]
    assert t.rows == 0
    # Nothing in a general journal becomes a record: a warning says so (tests/test_quickbooks_lists.py).
    assert rules(t, Severity.WARNING) == [("no-records", None)]
    assert only(t, "iif-not-migrated").value == "13 GENERAL JOURNAL"


def test_iif_unbalanced_transaction_with_blank_amounts() -> None:
    t = read_iif(corpus("iif", "memo-quotes.iif"), "x.iif")[0]
    unbalanced = only(t, "iif-unbalanced")
    assert (unbalanced.row, unbalanced.value, unbalanced.severity) == (4, "2268.47", Severity.ERROR)
    assert "2 lines of it have no amount" in unbalanced.message
    assert rules(t, Severity.WARNING) == [("iif-unbalanced", 4), ("no-records", None)]


def test_iif_stray_endtrns() -> None:
    t = read_iif(corpus("iif", "repeating-endtrans-another-example.iif"), "x.iif")[0]
    assert rules(t, Severity.WARNING) == [("iif-structure", 4), ("iif-structure", 5), ("no-records", None)]
    assert all(f.severity == Severity.WARNING for f in t.findings if f.rule == "iif-structure")


@pytest.mark.parametrize("name", ["commas-in-amounts.iif", "quoted-amounts.iif", "comma-delim.iif"])
def test_iif_thousands_separators_and_quotes_balance(name: str) -> None:
    t = read_iif(corpus("iif", name), name)[0]
    assert "iif-unbalanced" not in {f.rule for f in t.findings}
    assert "iif-amount" not in {f.rule for f in t.findings}


def test_iif_comma_delimited_variant() -> None:
    tables = read_iif(corpus("iif", "comma-delim.iif"), "x.iif")
    t = tables[0]
    assert t.delimiter == ","
    assert only(t, "iif-not-migrated").value == "2 CASH SALE"
    # The customer list is read as contacts (tests/test_quickbooks_lists.py), not summarised as a list.
    assert [(c.role, c.rows, c.delimiter) for c in tables[1:]] == [("contacts", 2, ",")]
    assert rules(t, Severity.WARNING) == []


def test_iif_two_digit_years() -> None:
    t = read_iif(corpus("iif", "num-accounts-multi.iif"), "x.iif")[0]
    finding = only(t, "iif-two-digit-year")
    assert (finding.row, finding.value, finding.severity) == (4, "10/24/14", Severity.WARNING)
    assert rules(t, Severity.WARNING) == [("iif-two-digit-year", 4), ("no-records", None)]


def test_iif_windows_1252_with_lists() -> None:
    t = read_iif(corpus("iif", "windows-1252.iif"), "x.iif")[0]
    assert t.encoding == "cp1252"
    assert only(t, "iif-not-migrated").value == "2 GENERAL JOURNAL, 1 DEPOSIT"
    assert only(t, "iif-lists").value == "9 accounts (ACCNT)"
    assert "iif-unbalanced" not in {f.rule for f in t.findings}


IIF_HEAD = (
    "!TRNS\tTRNSID\tTRNSTYPE\tDATE\tACCNT\tNAME\tAMOUNT\tDOCNUM\tDUEDATE\n"
    "!SPL\tSPLID\tTRNSTYPE\tDATE\tACCNT\tNAME\tAMOUNT\tDOCNUM\n"
    "!ENDTRNS\n"
)


def iif_trns(kind: str, date: str, name: str, amount: str, docnum: str, due: str = "") -> list[str]:
    return [
        f"TRNS\t\t{kind}\t{date}\tAccounts Receivable\t{name}\t{amount}\t{docnum}\t{due}",
        f"SPL\t\t{kind}\t{date}\tLegal Fees\t{name}\t-{amount.lstrip('-')}\t{docnum}",
        "ENDTRNS",
    ]


def test_iif_invoices_and_payments(tmp_path: Path) -> None:
    lines = [
        *iif_trns("INVOICE", "01/15/2024", "Smith:2024-001", "1,500.00", "1001", "02/14/2024"),
        *iif_trns("INVOICE", "1/20/24", "Jones:2024-002", "800.00", "1002"),
        *iif_trns("INVOICE", "01/25/2024", "Brown:2024-003", "300.00", "1003"),
        *iif_trns("PAYMENT", "02/01/2024", "Smith:2024-001", "500.00", "1001"),
        *iif_trns("PAYMENT", "02/02/2024", "Jones:2024-002", "800.00", "1002"),
        *iif_trns("PAYMENT", "02/03/2024", "Jones:2024-002", "50.00", "1002"),
        *iif_trns("PAYMENT", "02/04/2024", "Green", "75.00", "9999"),
    ]
    t = read_iif(write(tmp_path, "q.iif", IIF_HEAD + "\n".join(lines) + "\n"), "q.iif")[0]
    got = [
        (
            r["Invoice Number"],
            r["Matter Number"],
            r["Issue Date"],
            r["Due Date"],
            r["Total"],
            r["Amount Paid"],
            r["Status"],
            r[ROW],
        )
        for r in records(t)
    ]
    assert got == [
        ("1001", "Smith:2024-001", "2024-01-15", "2024-02-14", "1500.00", "500.00", "Partial", 4),
        ("1002", "Jones:2024-002", "2024-01-20", "", "800.00", "850.00", "Paid", 7),
        ("1003", "Brown:2024-003", "2024-01-25", "", "300.00", "", "Unpaid", 10),
    ]
    assert only(t, "iif-payment-unmatched").row == 22
    assert only(t, "iif-overpaid").row == 7
    assert only(t, "iif-two-digit-year").row == 7
    assert "iif-not-migrated" not in {f.rule for f in t.findings}


def test_iif_block_that_does_not_net_to_zero(tmp_path: Path) -> None:
    content = IIF_HEAD + (
        "TRNS\t\tINVOICE\t03/01/2024\tAccounts Receivable\tSmith\t1000.00\t2001\n"
        "SPL\t\tINVOICE\t03/01/2024\tLegal Fees\tSmith\t-900.00\t2001\n"
        "ENDTRNS\n"
    )
    t = read_iif(write(tmp_path, "q.iif", content), "q.iif")[0]
    unbalanced = only(t, "iif-unbalanced")
    assert (unbalanced.row, unbalanced.value, unbalanced.entity) == (4, "100.00", "bills")
    assert records(t)[0]["Total"] == "1000.00"


def test_iif_structure_errors(tmp_path: Path) -> None:
    lines = [
        "SPL\t\tGENERAL JOURNAL\t03/01/2024\tCash\t\t10.00\t",  # line 4: no TRNS
        "TRNS\t\tGENERAL JOURNAL\t03/01/2024\tCash\t\t10.00\t",  # line 5: never ended
        "SPL\t\tGENERAL JOURNAL\t03/01/2024\tFees\t\t-10.00\t",
        "TRNS\t\tGENERAL JOURNAL\t03/02/2024\tCash\t\tabc\t",  # line 7: bad amount, no ENDTRNS at EOF
        "SPL\t\tGENERAL JOURNAL\t03/02/2024\tFees\t\t-10.00\t",
        "TRNS\t\tGENERAL JOURNAL\t13/45/2024\tCash\t\t5.00\t",  # line 9: bad date, no splits
    ]
    content = IIF_HEAD + "\r".join(lines)  # bare CR line ends, as old QuickBooks writes them
    t = read_iif(write(tmp_path, "q.iif", content), "q.iif")[0]
    assert sorted(rules(t, Severity.WARNING)) == [
        ("iif-amount", 7),
        ("iif-date", 9),
        ("iif-structure", 4),
        ("iif-structure", 5),
        ("iif-structure", 7),
        ("iif-structure", 9),
        ("iif-structure", 9),
        ("iif-unbalanced", 9),
        ("no-records", None),
    ]
    assert only(t, "iif-not-migrated").value == "3 GENERAL JOURNAL"


def test_iif_that_is_not_iif(tmp_path: Path) -> None:
    t = read_iif(write(tmp_path, "q.iif", "Name,Amount\nA,1\n"), "q.iif")[0]
    assert [(f.rule, f.severity) for f in t.findings] == [("iif-structure", Severity.BLOCKER)]


# --------------------------------------------------------------------------- robustness


def test_naughty_strings_never_raise(tmp_path: Path) -> None:
    source = conformance_dir("naughty") / "blns.txt"
    strings = [s for s in source.read_text(encoding="utf-8").splitlines() if s and not s.startswith("#")]
    ledes = ledes_file(
        *(ledes_line(LINE_ITEM_NUMBER=str(i), LINE_ITEM_DESCRIPTION=s) for i, s in enumerate(strings))
    )
    ics = CAL.format(
        "".join(event(f"UID:{i}", f"SUMMARY:{s}", "DTSTART:20240101T100000") for i, s in enumerate(strings))
    )
    vcf = "".join(f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{s}\r\nNOTE:{s}\r\nEND:VCARD\r\n" for s in strings)
    iif = IIF_HEAD + "".join(
        f"TRNS\t\tINVOICE\t01/01/2024\tAR\t{s}\t1\t{s}\nSPL\t\tINVOICE\t01/01/2024\tX\t\t-1\t\nENDTRNS\n"
        for s in strings
    )
    for name, content, fmt in (
        ("n.txt", ledes, "ledes"),
        ("n.ics", ics, "ics"),
        ("n.vcf", vcf, "vcf"),
        ("n.iif", iif, "iif"),
    ):
        tables = read_format(write(tmp_path, name, content), name, fmt)
        assert tables[0].rows > len(strings) // 2, fmt


@pytest.mark.parametrize("fmt", FORMATS)
def test_truncated_corpus_files_never_raise(tmp_path: Path, fmt: str) -> None:
    folder = conformance_dir("formats", FOLDERS[fmt])
    for path in sorted(folder.iterdir()):
        data = path.read_bytes()
        for cut in range(0, len(data), max(1, len(data) // 25)):
            copy = write(tmp_path, "cut" + path.suffix, data[:cut])
            assert read_format(copy, "cut", fmt)
