"""The Big List of Naughty Strings through the readers and every rule: no exception, values kept."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from migration_assistant.core.readers.table import ROW, SourceTable
from migration_assistant.core.results import ValidationResult
from migration_assistant.core.rules import REGISTRY
from tests.conftest import conformance_dir
from tests.helpers import HEADERS, run, write_entity

ENTITIES = ("contacts", "matters", "activities")
VALID = {
    "contacts": {"Contact ID": "C{n}", "Type": "Person", "First Name": "Ann", "Last Name": "Lee"},
    "matters": {"Matter Number": "M-{n}", "Client ID": "C{n}", "Description": "x", "Status": "Open",
                "Open Date": "2024-01-15"},
    "activities": {"Entry ID": "T{n}", "Type": "Time", "Date": "2024-03-04", "User ID": "U1",
                   "Matter Number": "M-{n}", "Hours": "1", "Rate": "100", "Amount": "100"},
}  # fmt: skip
TEXT_COLUMN = {"contacts": "Notes", "matters": "Description", "activities": "Description"}


@pytest.fixture(scope="module")
def naughty() -> list[str]:
    return list(json.loads((conformance_dir("naughty") / "blns.json").read_text(encoding="utf-8")))


def naughty_rows(entity: str, strings: list[str]) -> list[dict[str, str]]:
    """Per string: one row with the string in every column, one valid row with it in a text column."""
    rows: list[dict[str, str]] = []
    for n, s in enumerate(strings):
        rows.append(dict.fromkeys(HEADERS[entity], s))
        valid = {k: v.format(n=n) for k, v in VALID[entity].items()}
        rows.append({**valid, TEXT_COLUMN[entity]: s})
    return rows


def valid_row_values(table: SourceTable, column: str, count: int) -> list[str]:
    """*column* on the valid row of each string: string n's rows are 2n+2 (all naughty) and 2n+3.

    (The first naughty string is "": its all-naughty row is a blank row, dropped and reported.)
    """
    by_row = dict(zip(table.data[ROW].tolist(), table.data[column].tolist(), strict=True))
    return [by_row.get(2 * n + 3, "<missing>") for n in range(count)]


def assert_ran_every_rule(result: ValidationResult) -> None:
    # validate() runs every registered rule or raises; the findings are well-formed.
    assert len(REGISTRY) > 20
    for f in result.report.findings:
        assert f.message and f.hint
        assert f.row is None or f.row >= 1
    assert result.report.to_json()["summary"]


def test_naughty_strings_in_template_csvs(tmp_path: Path, naughty: list[str]) -> None:
    for entity in ENTITIES:
        write_entity(tmp_path, entity, naughty_rows(entity, naughty))
    result = run(tmp_path)
    assert_ran_every_rule(result)
    assert {f.file: f.role for f in result.report.files} == {f"{e}.csv": e for e in ENTITIES}
    for table in result.dataset.tables:
        # Every naughty string comes back exactly as written, at its spreadsheet row.
        assert valid_row_values(table, TEXT_COLUMN[str(table.role)], len(naughty)) == naughty, table.file


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16"])
def test_naughty_strings_in_other_encodings(tmp_path: Path, naughty: list[str], encoding: str) -> None:
    write_entity(tmp_path, "contacts", naughty_rows("contacts", naughty), encoding=encoding)
    result = run(tmp_path)
    assert_ran_every_rule(result)
    (table,) = result.dataset.tables
    assert valid_row_values(table, "Notes", len(naughty)) == naughty


def test_naughty_strings_in_a_workbook(tmp_path: Path, naughty: list[str]) -> None:
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    expected: dict[str, list[str]] = {}
    for entity in ENTITIES:
        sheet = book.create_sheet(entity)
        sheet.append(HEADERS[entity])
        expected[entity] = []
        for row_number, row in enumerate(naughty_rows(entity, naughty), start=2):
            for col, title in enumerate(HEADERS[entity], start=1):
                # Excel cannot store control characters at all; everything else goes in as text
                # (a string starting with "=" stays a string, not a formula).
                value = ILLEGAL_CHARACTERS_RE.sub("", row.get(title, ""))
                cell = sheet.cell(row=row_number, column=col, value=value or None)
                if value:
                    cell.data_type = "s"
            if row_number % 2 == 1:
                expected[entity].append(ILLEGAL_CHARACTERS_RE.sub("", row[TEXT_COLUMN[entity]]))
    book.save(tmp_path / "naughty.xlsx")
    result = run(tmp_path)
    assert_ran_every_rule(result)
    assert [(f.sheet, f.role) for f in result.report.files] == [(e, e) for e in ENTITIES]
    for table in result.dataset.tables:
        got = valid_row_values(table, TEXT_COLUMN[str(table.role)], len(naughty))
        # A cell holding only spaces may come back as written or empty; everything else exactly.
        assert [g.strip() for g in got] == [e.strip() for e in expected[str(table.role)]]


def test_naughty_text_file_itself(tmp_path: Path) -> None:
    """blns.txt read as if it were an export: unrecognised, but read without a crash."""
    source = conformance_dir("naughty") / "blns.txt"
    shutil.copy(source, tmp_path / "blns.csv")
    shutil.copy(source, tmp_path / "blns.txt")
    result = run(tmp_path)
    assert_ran_every_rule(result)
    assert len(result.report.files) == 2
