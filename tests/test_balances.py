"""Balances brought forward: trust per matter (and per client), receivables, unbilled work, totals."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from migration_assistant.core.balances import (
    CLIENT,
    MATTER,
    RECEIVABLE,
    TRUST,
    UNBILLED,
    Balances,
    compute_balances,
    format_money,
)
from migration_assistant.core.engine import validate

MATTERS = """\
Matter Number,Client ID,Description,Practice Area,Responsible Attorney,Originating Attorney,Status,\
Open Date,Close Date,Billing Method
M-001,C001,Holloway estate,Probate,U1,U1,Open,2024-01-10,,Hourly
M-002,C002,Brightwater lease,Litigation,U1,U1,Open,2024-02-01,,Hourly
M-003,C003,Achterberg divorce,Family,U1,U1,Open,2024-03-01,,Flat
"""

TRUST_CSV = """Transaction ID,Date,Client ID,Matter Number,Type,Amount,Reference,Description
T1,2024-01-11,C001,M-001,Deposit,"$5,000.00",CHK1,Retainer
T2,2024-02-20,C001,M-001,Withdrawal,1200.00,CHK2,Fees
T3,2024-02-21,C001,M-001,Transfer Out,300.50,TR1,To operating
T4,2024-03-01,C002,M-002,Deposit,100.00,CHK3,Retainer
T5,2024-03-05,C002,M-002,Withdrawal,300.00,CHK4,Fees (overdraws the client)
T6,2024-03-06,C003,,Deposit,250.00,CHK5,Not yet on a matter
T7,2024-03-07,C003,,Transfer In,49.99,TR2,Not yet on a matter
"""

BILLS = """Invoice Number,Matter Number,Issue Date,Due Date,Total,Amount Paid,Status
INV-1,M-001,2024-02-28,2024-03-28,"$1,000.00",400.00,Partial
INV-2,M-002,2024-03-28,2024-04-28,500.00,500.00,Paid
INV-3,M-002,2024-03-29,2024-04-29,250.00,0,Void
INV-4,M-003,2024-03-30,2024-04-30,300.00,0,Draft
INV-5,M-003,2024-03-30,2024-04-30,200.00,,Unpaid
"""

ACTIVITIES = """\
Entry ID,Type,Date,User ID,Matter Number,Description,Hours,Rate,Amount,Billable,Billed,\
Invoice Number,Activity Code
A1,Time,2024-01-15,U1,M-001,Call,1.0,350,350.00,Y,N,,
A2,Time,2024-02-15,U1,M-001,Draft will,2.0,350,700.00,Y,Y,INV-1,
A3,Time,2024-03-15,U1,M-002,Review lease,0.5,350,175.00,Y,N,,
A4,Time,2024-03-16,U1,M-002,Internal admin,0.5,350,175.00,N,N,,
A5,Time,2024-03-17,U1,M-003,No amount given,1.5,200,,Y,N,,
A6,Expense,2024-03-18,U1,M-003,Courier,,,25.10,Y,N,,
"""


def _export(folder: Path, **files: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / f"{name}.csv").write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def balances(tmp_path: Path) -> Balances:
    folder = _export(
        tmp_path / "export", matters=MATTERS, trust=TRUST_CSV, bills=BILLS, activities=ACTIVITIES
    )
    return compute_balances(validate([folder]).dataset)


def _line(balances: Balances, matter: str, client: str | None = None) -> dict[str, object]:
    table = balances.table
    rows = table[table[MATTER] == matter]
    if client is not None:
        rows = rows[rows[CLIENT] == client]
    assert len(rows) == 1, f"expected one line for {matter}/{client}, got {len(rows)}"
    return {str(k): v for k, v in rows.iloc[0].to_dict().items()}


def test_trust_balance_per_matter_uses_the_type_for_direction(balances: Balances) -> None:
    assert _line(balances, "M-001")[TRUST] == pytest.approx(5000 - 1200 - 300.50)


def test_overdrawn_client_shows_a_negative_trust_balance_and_a_note(balances: Balances) -> None:
    line = _line(balances, "M-002")
    assert line[TRUST] == pytest.approx(-200.0)
    assert list(balances.overdrawn[MATTER]) == ["M-002"]
    assert any("below zero" in note for note in balances.notes)


def test_trust_without_a_matter_is_kept_per_client(balances: Balances) -> None:
    line = _line(balances, "", "C003")
    assert line[TRUST] == pytest.approx(299.99)


def test_receivable_counts_partial_and_unpaid_bills_not_void_or_draft(balances: Balances) -> None:
    assert _line(balances, "M-001")[RECEIVABLE] == pytest.approx(600.0)  # 1,000 billed, 400 paid
    assert _line(balances, "M-002")[RECEIVABLE] == pytest.approx(0.0)  # paid in full; the void bill ignored
    assert _line(balances, "M-003")[RECEIVABLE] == pytest.approx(200.0)  # the draft is not owed


def test_unbilled_work_is_billable_and_not_billed_with_hours_times_rate_fallback(balances: Balances) -> None:
    assert _line(balances, "M-001")[UNBILLED] == pytest.approx(350.0)
    assert _line(balances, "M-002")[UNBILLED] == pytest.approx(175.0)  # the non-billable entry left out
    assert _line(balances, "M-003")[UNBILLED] == pytest.approx(1.5 * 200 + 25.10)


def test_matter_lines_carry_the_client_from_the_matters_file(balances: Balances) -> None:
    assert _line(balances, "M-001")[CLIENT] == "C001"
    assert _line(balances, "M-003")[CLIENT] == "C003"


def test_firm_totals_are_the_sums_to_the_cent(balances: Balances) -> None:
    assert balances.trust_total == pytest.approx(3499.50 - 200.0 + 299.99)
    assert balances.receivable_total == pytest.approx(800.0)
    assert balances.unbilled_total == pytest.approx(350 + 175 + 325.10)
    assert balances.totals()[TRUST] == balances.trust_total
    assert balances.as_of == "2024-03-30"


def test_explanation_names_the_three_way_reconciliation(balances: Balances) -> None:
    text = balances.explanation.lower()
    assert "bank statement" in text and "trust journal" in text and "client" in text
    assert "to the cent" in text


def test_to_csv_writes_every_line_and_the_firm_total_atomically(balances: Balances, tmp_path: Path) -> None:
    out = tmp_path / "out" / "balances.csv"
    balances.to_csv(out)
    with out.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == [MATTER, CLIENT, TRUST, RECEIVABLE, UNBILLED]
    assert ["M-002", "C002", "-200.00", "0.00", "175.00"] in rows
    assert rows[-1][0] == "Firm total"
    assert rows[-1][2] == f"{balances.trust_total:.2f}"
    assert [p.name for p in out.parent.iterdir()] == ["balances.csv"]


def test_csv_guards_ids_a_spreadsheet_would_run_as_formulas(tmp_path: Path) -> None:
    trust = (
        "Transaction ID,Date,Client ID,Matter Number,Type,Amount,Reference,Description\n"
        'T1,2024-01-11,"=cmd()",,Deposit,10.00,,\n'
    )
    result = validate([_export(tmp_path / "x", trust=trust)])
    out = tmp_path / "b.csv"
    compute_balances(result.dataset).to_csv(out)
    assert "'=cmd()" in out.read_text(encoding="utf-8-sig")


def test_export_without_financial_records_gives_empty_balances(tmp_path: Path) -> None:
    result = validate([_export(tmp_path / "x", matters=MATTERS)])
    empty = compute_balances(result.dataset)
    assert empty.table.empty
    assert (empty.trust_total, empty.receivable_total, empty.unbilled_total) == (0.0, 0.0, 0.0)
    assert not empty.has_trust
    assert empty.as_of is None


def test_trust_entries_with_an_unknown_type_are_left_out_and_said_so(tmp_path: Path) -> None:
    trust = (
        "Transaction ID,Date,Client ID,Matter Number,Type,Amount,Reference,Description\n"
        "T1,2024-01-11,C1,M1,Deposit,100.00,,\n"
        "T2,2024-01-12,C1,M1,Refund,40.00,,\n"
    )
    result = validate([_export(tmp_path / "x", trust=trust)])
    got = compute_balances(result.dataset)
    assert got.trust_total == pytest.approx(100.0)
    assert any("no recognisable type" in note for note in got.notes)


def test_format_money() -> None:
    assert format_money(1234567.891) == "1,234,567.89"
    assert format_money(-200) == "-200.00"
