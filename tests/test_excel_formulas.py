"""Workbook cells holding a formula, and Excel error values in workbooks and CSVs, found at their cell."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from migration_assistant.core.engine import validate
from migration_assistant.core.findings import Severity
from migration_assistant.core.readers import sheet_shape
from migration_assistant.core.readers.excel_reader import read_workbook
from migration_assistant.core.results import ValidationResult
from tests.helpers import HEADERS, USERS, describe, findings, write_entity

CONTACT_ROWS = [
    ["C1", "Person", "Maria", "", "Garcia", "", "", "maria@example.com", "(416) 555-0123", "", "", "", "", "", "",
     "Prefers e-mail"],
    ["C2", "Company", "", "", "", "Acme Holdings Inc.", "", "", "+1 416 555 0199", "", "", "", "", "", "",
     "#N/A"],
    ["C3", "Person", "Li", "", "Wei", "", "", "li@example.com", "", "", "", "", "", "", "",
     "Hourly rate #N/A until agreed"],
]  # fmt: skip


def _workbook(path: Path, rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Contacts"
    sheet.append(HEADERS["contacts"])
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def _run(folder: Path) -> ValidationResult:
    write_entity(folder, "users", USERS)
    return validate([folder], "template")


def _at_least_warnings(result: ValidationResult, name: str) -> list[tuple[str, int | None, str | None]]:
    return sorted(
        (f.rule, f.row, f.column)
        for f in result.report.findings
        if f.file == name and f.severity >= Severity.WARNING
    )


def test_formula_cells_are_reported_at_their_cell(tmp_path: Path) -> None:
    rows: list[list[object]] = [list(r) for r in CONTACT_ROWS[:1]]
    rows.append(["C2", "Person", "Ann", "", "Lee", '=UPPER("acme")', "", "", "", "", "", "", "", "", "", ""])
    rows.append(["C3", "Person", "Li", "", "Wei", "", "", '=LOWER("LI")&"@example.com"'] + [""] * 8)
    _workbook(tmp_path / "contacts.xlsx", rows)
    result = _run(tmp_path)
    assert _at_least_warnings(result, "contacts.xlsx") == [
        ("formula-cell", 3, "Company"),
        ("formula-cell", 4, "Email"),
    ], describe(result)
    company = findings(result, "formula-cell", row=3)[0]
    assert company.severity == Severity.WARNING and company.sheet == "Contacts"
    assert company.value == '=UPPER("acme")' and "Cell F3" in company.message


def test_error_cells_in_a_workbook_are_errors(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "contacts.xlsx", [list(r) for r in CONTACT_ROWS[:1]])
    book = openpyxl.load_workbook(path)
    sheet = book["Contacts"]
    sheet["I2"] = "#REF!"  # openpyxl writes an error cell (t="e") for a known error value
    sheet.append(["C2", "Company", "", "", "", "#DIV/0!", "", "", "", "", "", "", "", "", "", ""])
    book.save(path)
    tables = read_workbook(path, "contacts.xlsx")
    # calamine gives an error cell as blank: the value is only seen in the sheet's XML.
    assert tables[0].data["Phone"].tolist()[0] == ""
    result = _run(tmp_path)
    errors = findings(result, "excel-error-value")
    assert sorted((f.row, f.column, f.value) for f in errors) == [
        (2, "Phone", "#REF!"),
        (3, "Company", "#DIV/0!"),
    ]
    assert all(f.severity == Severity.ERROR for f in errors)


def test_a_clean_workbook_raises_nothing(tmp_path: Path) -> None:
    rows = [list(r) for r in CONTACT_ROWS[:1]] + [
        [f"C{n}", "Person", f"First{n}", "", f"Last{n}", "", "", f"p{n}@example.com", "", "", "", "", "", "", "",
         "Met at a conference; fee = hourly"]
        for n in range(2, 202)
    ]  # fmt: skip
    _workbook(tmp_path / "contacts.xlsx", rows)
    result = _run(tmp_path)
    assert _at_least_warnings(result, "contacts.xlsx") == [], describe(result)


def test_error_values_in_a_csv(tmp_path: Path) -> None:
    rows = [
        {"Contact ID": "C1", "Type": "Person", "First Name": "Maria", "Last Name": "Garcia", "Phone": "#VALUE!"},
        {"Contact ID": "C2", "Type": "Company", "Company": "#NAME?"},
        {"Contact ID": "C3", "Type": "Company", "Company": "Acme", "Notes": "#N/A"},
        {"Contact ID": "C4", "Type": "Person", "First Name": "Li", "Last Name": "Wei",
         "Notes": "Rate #N/A until agreed; see #REF! in the old file"},
        {"Contact ID": "C5", "Type": "Company", "Company": "Hash & Co", "Notes": "#1 client"},
        {"Contact ID": "C6", "Type": "Company", "Company": "Spill Ltd", "Email": "#spill! "},
    ]  # fmt: skip
    write_entity(tmp_path, "contacts", rows)
    result = _run(tmp_path)
    hits = {(f.row, f.column): f.severity for f in findings(result, "excel-error-value")}
    assert hits == {
        (2, "Phone"): Severity.ERROR,
        (3, "Company"): Severity.ERROR,
        # In a free-text column "#N/A" may be meant: a warning to look at, not an error.
        (4, "Notes"): Severity.WARNING,
        (7, "Email"): Severity.ERROR,
    }, describe(result)


@pytest.mark.parametrize("value", ["#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A",
                                   "#SPILL!", "#CALC!", "#GETTING_DATA"])  # fmt: skip
def test_every_excel_error_value_is_known(tmp_path: Path, value: str) -> None:
    write_entity(tmp_path, "contacts", [{"Contact ID": "C1", "Type": "Company", "Company": value}])
    result = _run(tmp_path)
    assert [(f.row, f.column) for f in findings(result, "excel-error-value")] == [(2, "Company")]


def test_many_formula_cells_are_capped_with_a_count(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sheet_shape, "MAX_NOTED", 3)
    rows: list[list[object]] = [
        [f"C{n}", "Company", "", "", "", f'="Firm {n}"'] + [""] * 10 for n in range(1, 8)
    ]
    path = _workbook(tmp_path / "contacts.xlsx", rows)
    table = read_workbook(path, "contacts.xlsx")[0]
    formula = [f for f in table.findings if f.rule == "formula-cell"]
    assert [f.row for f in formula] == [2, 3, 4, None]
    assert "7 cells with formulas" in formula[-1].message


def test_a_formula_split_across_the_pieces_of_a_large_sheet_is_still_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Pieces of a few hundred bytes cut cells apart from their formula; each is still found once.
    monkeypatch.setattr(sheet_shape, "_CHUNK", 300)
    rows: list[list[object]] = [
        [f"C{n}", "Company", "", "", "", f'="Firm {n}"' if n % 3 == 0 else f"Firm {n}"] + [""] * 10
        for n in range(1, 61)
    ]
    path = _workbook(tmp_path / "contacts.xlsx", rows)
    shape = sheet_shape.sheet_shapes(str(path))["Contacts"]
    assert [(n.row, n.column) for n in shape.formulas] == [(n + 1, 6) for n in range(3, 61, 3)]
    assert shape.formula_count == 20
