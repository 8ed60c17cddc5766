"""Several e-mails or phones in one cell (" ::: ", ";", a line break): each value checked on its own."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import CONTACTS, describe, findings, run, write_export

SEPARATORS = [" ::: ", ";", "; ", "\n", "\r\n"]


def contact(cid: str, **cells: str) -> dict[str, str]:
    return {**CONTACTS[0], "Contact ID": cid, "First Name": f"N{cid}", "Email": "", "Phone": "", **cells}


@pytest.mark.parametrize("sep", SEPARATORS)
def test_good_values_joined_in_one_cell_raise_nothing(tmp_path: Path, sep: str) -> None:
    contacts = [
        contact("C1", Email=f"ann@example.com{sep}ann.lee@work.example.org",
                Phone=f"+1 416 555 0199{sep}(416) 555-0100"),
        contact("C2", Mobile=f"+44 20 7946 0958{sep}+1 647 555 0123"),
    ]  # fmt: skip
    write_export(tmp_path, {"contacts": contacts})
    result = run(tmp_path)
    assert result.report.findings == [], describe(result)


@pytest.mark.parametrize("sep", SEPARATORS)
def test_a_bad_email_among_several_is_named(tmp_path: Path, sep: str) -> None:
    cell = f"ann@example.com{sep}ann@@example"
    write_export(tmp_path, {"contacts": [contact("C1", Email=cell)]})
    (hit,) = findings(run(tmp_path), "invalid-email")
    assert (hit.row, hit.column, hit.value) == (2, "Email", cell)
    assert hit.message.startswith("“ann@@example” (one of the addresses in this cell) is not a valid e-mail")


@pytest.mark.parametrize("sep", SEPARATORS)
def test_a_bad_phone_among_several_is_named(tmp_path: Path, sep: str) -> None:
    cell = f"+1 416 555 0199{sep}555-01"
    write_export(tmp_path, {"contacts": [contact("C1", Phone="(416) 555-0123", Mobile=cell)]})
    (hit,) = findings(run(tmp_path), "invalid-phone")
    assert (hit.row, hit.column, hit.value) == (2, "Mobile", cell)
    assert (
        hit.message
        == "“555-01” (one of the numbers in this cell) does not look like a complete phone number."
    )


def test_a_single_bad_value_reads_as_before(tmp_path: Path) -> None:
    write_export(tmp_path, {"contacts": [contact("C1", Email="maria@@example", Phone="555-01")]})
    result = run(tmp_path)
    assert findings(result, "invalid-email")[0].message.startswith("“maria@@example” is not a valid e-mail")
    assert (
        findings(result, "invalid-phone")[0].message == "“555-01” does not look like a complete phone number."
    )


def test_a_comma_is_not_a_separator_for_emails(tmp_path: Path) -> None:
    """Only the separators exports use; "a@x.com, b@y.com" stays one (invalid) value."""
    write_export(tmp_path, {"contacts": [contact("C1", Email="a@example.com, b@example.com")]})
    assert [f.row for f in findings(run(tmp_path), "invalid-email")] == [2]


@pytest.mark.parametrize(
    "cell",
    [
        "+1 416 555 0199 ::: +1 416 555 0100",
        "+1 416 555 0199;+44 20 7946 0958",
        "+1 416 555 0199\n+1 416 555 0100",
        "+1-418-656-9254 ext. 102",
        "+1 (416) 555-0199 x12",
    ],
)
def test_a_list_of_phone_numbers_is_not_a_formula(tmp_path: Path, cell: str) -> None:
    write_export(tmp_path, {"contacts": [contact("C1", Phone=cell, Notes=cell)]})
    assert findings(run(tmp_path), "formula-injection") == []


@pytest.mark.parametrize(
    "cell",
    ["+1 416 555 0199 ::: =cmd|' /C calc'!A0", "+1 416 555 0199 ::: +SUM(A1)", "+1 ::: +2 ::: HYPERLINK"],
)
def test_a_formula_hidden_in_a_list_is_still_found(tmp_path: Path, cell: str) -> None:
    write_export(tmp_path, {"contacts": [contact("C1", Notes=cell)]})
    assert [(f.row, f.column) for f in findings(run(tmp_path), "formula-injection")] == [(2, "Notes")]
