"""The Excel reader on openpyxl-built workbooks: every sheet, header rows, date systems, IDs as text."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from migration_assistant.core.readers.excel_reader import cell_text, read_workbook
from migration_assistant.core.readers.table import ROW, SourceTable
from tests.helpers import HEADERS, describe, findings, run


def records(table: SourceTable) -> list[dict[str, str]]:
    return table.data.drop(columns=[ROW]).to_dict("records")  # type: ignore[return-value]


def build(path: Path, sheets: dict[str, list[list[object]]], epoch: object = None) -> Path:
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    if epoch is not None:
        book.epoch = epoch
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


TIME_ROWS: list[list[object]] = [
    ["Entry ID", "Date", "Hours", "Amount", "Start"],
    ["T1", dt.date(2024, 2, 29), 1.5, 450.0, dt.datetime(2024, 2, 29, 14, 30)],
    ["T2", dt.datetime(1905, 3, 1), 0.25, 75.5, dt.datetime(1905, 3, 1, 9, 5)],
    ["T3", dt.date(2025, 12, 31), 2, 600, dt.datetime(2025, 12, 31, 23, 59)],
]


@pytest.mark.parametrize("epoch", [None, CALENDAR_MAC_1904], ids=["1900", "1904"])
def test_dates_in_both_date_systems(tmp_path: Path, epoch: object) -> None:
    path = build(tmp_path / "time.xlsx", {"Time": TIME_ROWS}, epoch)
    with zipfile.ZipFile(path) as z:
        flagged = b"date1904" in z.read("xl/workbook.xml")
    assert flagged == (epoch is not None)  # the fixture really is in the other date system
    (table,) = read_workbook(path, "time.xlsx")
    assert records(table) == [
        {
            "Entry ID": "T1",
            "Date": "2024-02-29",
            "Hours": "1.5",
            "Amount": "450",
            "Start": "2024-02-29 14:30",
        },
        {
            "Entry ID": "T2",
            "Date": "1905-03-01",
            "Hours": "0.25",
            "Amount": "75.5",
            "Start": "1905-03-01 09:05",
        },
        {"Entry ID": "T3", "Date": "2025-12-31", "Hours": "2", "Amount": "600", "Start": "2025-12-31 23:59"},
    ]
    assert table.data[ROW].tolist() == [2, 3, 4]


def test_every_sheet_is_read_and_empty_sheets_skipped(tmp_path: Path) -> None:
    path = build(
        tmp_path / "export.xlsx",
        {
            "Clients": [["Contact ID", "Type", "First Name", "Last Name"], ["C1", "Person", "Ann", "Lee"]],
            "Empty": [],
            "Matters": [
                ["Matter Number", "Client ID", "Description", "Status"],
                ["M-1", "C1", "Will", "Open"],
            ],
        },
    )
    tables = read_workbook(path, "export.xlsx")
    assert [(t.sheet, t.file, t.rows) for t in tables] == [
        ("Clients", "export.xlsx", 1),
        ("Matters", "export.xlsx", 1),
    ]


def test_title_rows_above_header(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["Smith & Co LLP"],
        ["Contacts as of", dt.date(2024, 5, 1)],
        [],
        ["Contact ID", "First Name", "Last Name", "Postal Code"],
        ["C1", "José", "Pérez", "02134"],
        [],
        ["C2", "Zoë", "O'Brien", "M5V 2T6"],
    ]
    (table,) = read_workbook(build(tmp_path / "c.xlsx", {"Sheet": rows}), "c.xlsx")
    assert table.header_row == 4
    assert table.labels == ["Contact ID", "First Name", "Last Name", "Postal Code"]
    assert table.data[ROW].tolist() == [5, 7]
    assert [(f.rule, f.row, f.sheet) for f in table.findings] == [("blank-row", 6, "Sheet")]


def test_ids_keep_their_form(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["Contact ID", "Postal Code", "Phone"],
        ["000123", "02134", "4165550123"],  # typed as text: zeros stay
        [123.0, 2134, 4165550123],  # stored as numbers: no ".0"
        [1234567890123456789, None, None],  # too long for Excel: the damage shows
    ]
    (table,) = read_workbook(build(tmp_path / "ids.xlsx", {"Sheet": rows}), "ids.xlsx")
    assert [r["Contact ID"] for r in records(table)] == ["000123", "123", "1.23457E+18"]
    assert [r["Postal Code"] for r in records(table)] == ["02134", "2134", ""]
    assert records(table)[1]["Phone"] == "4165550123"


def test_cell_text() -> None:
    assert cell_text(None) == "" and cell_text("") == ""
    assert cell_text(123.0) == "123" and cell_text(-5.0) == "-5" and cell_text(0.1) == "0.1"
    assert cell_text(True) == "TRUE"
    assert cell_text(dt.datetime(2024, 2, 29)) == "2024-02-29"
    assert cell_text(dt.time(9, 30)) == "09:30"


def test_header_problems_in_a_sheet(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["Contact ID", None, "Email", "email", "Last Name"],
        ["C1", "x", "a@example.com", "", "Lee"],
    ]
    (table,) = read_workbook(build(tmp_path / "h.xlsx", {"People": rows}), "h.xlsx")
    got = sorted((f.rule, f.row, f.column, f.sheet) for f in table.findings)
    assert got == [
        ("blank-header", 1, "(blank column 2)", "People"),
        ("duplicate-header", 1, "email", "People"),
    ]


def test_trailing_empty_rows_are_not_findings(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    book = Workbook()
    sheet = book.active
    sheet.append(["Note ID", "Subject"])
    sheet.append(["N1", "a"])
    sheet["A10"] = None
    sheet["B10"] = ""  # formatting far below the data makes calamine return empty rows
    book.save(path)
    (table,) = read_workbook(path, "t.xlsx")
    assert table.rows == 1 and table.findings == []


def test_workbook_through_validate(tmp_path: Path) -> None:
    """A template workbook: roles from the sheets' headers, findings carry the sheet name."""
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    contacts = book.create_sheet("contacts")
    contacts.append(HEADERS["contacts"])
    contacts.append(["000123", "Person", "José", "", "Pérez"])
    contacts.append(["000124", "Company", "", "", "", "Acme Inc."])
    matters = book.create_sheet("matters")
    matters.append(HEADERS["matters"])
    matters.append(["M-1", "000123", "Will", "", "", "", "Open", dt.date(2024, 1, 15), None, "Hourly"])
    matters.append(["M-2", 124, "Lease", "", "", "", "Open", dt.date(2024, 2, 29), None, "Flat"])
    book.save(tmp_path / "firm.xlsx")
    result = run(tmp_path)
    assert [(f.file, f.sheet, f.role) for f in result.report.files] == [
        ("firm.xlsx", "contacts", "contacts"),
        ("firm.xlsx", "matters", "matters"),
    ]
    assert result.report.files[0].encoding is None
    hits = findings(result, "leading-zeros")
    assert [(f.sheet, f.row, f.value) for f in hits] == [("matters", 3, "124")], describe(result)
    others = [f for f in result.report.findings if f.rule not in ("leading-zeros", "foreign-key-unchecked")]
    assert others == [], describe(others)


def test_values_in_a_column_without_heading(tmp_path: Path) -> None:
    rows: list[list[object]] = [["Contact ID", "First Name"], ["C1", "Ann"], ["C2", "Bo", None, "VIP"]]
    (table,) = read_workbook(build(tmp_path / "v.xlsx", {"Sheet": rows}), "v.xlsx")
    assert [(f.rule, f.row, f.column) for f in table.findings] == [("blank-header", 1, "(blank column 4)")]
    assert table.data["(blank column 4)"].tolist() == ["", "VIP"]
