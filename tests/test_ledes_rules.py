"""LEDES as e-billing systems read it: each legitimate habit raises nothing, each problem is found at its line.

The rules are those of Thomson Reuters Legal Tracker's "LEDES 1998 posting errors" page
(https://www.thomsonreuters.com/en-us/help/legal-tracker/law-firm/invoices/ledes-1998-posting-errors.html)
and the LEDES 1998B field specification (as reproduced at
https://support.casefox.com/portal/en/kb/articles/ebilling-ledes-1998b-format).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from migration_assistant.core.engine import validate
from migration_assistant.core.findings import Severity
from migration_assistant.core.results import ValidationResult
from tests.conftest import conformance_dir
from tests.helpers import CONTACTS, USERS, describe, findings, ledes_file, ledes_line, write_entity

TYPE = "EXP/FEE/INV_ADJ_TYPE"
MATTERS = [
    {"Matter Number": "M-001", "Client ID": "C1", "Description": "Estate of Garcia", "Status": "Open",
     "Open Date": "2024-01-01", "Billing Method": "Hourly", "Responsible Attorney": "U1"},
]  # fmt: skip


def fee(**values: str) -> str:
    """A fee line by U1 (Ann Lee) on invoice L-100: 1.5 h at 200 = 300.00, inside January 2024."""
    base = {
        "INVOICE_NUMBER": "L-100",
        "BILLING_START_DATE": "20240101",
        "BILLING_END_DATE": "20240131",
        "TIMEKEEPER_ID": "U1",
        "TIMEKEEPER_NAME": "Lee, Ann",
    }
    base.update(values)
    return ledes_line(**base)


def expense(**values: str) -> str:
    """An expense line without a timekeeper, as LEDES allows: 3 copies at 0.50 = 1.50."""
    base = {
        TYPE: "E",
        "LINE_ITEM_NUMBER_OF_UNITS": "3",
        "LINE_ITEM_UNIT_COST": "0.50",
        "LINE_ITEM_TOTAL": "1.50",
        "LINE_ITEM_EXPENSE_CODE": "E101",
        "LINE_ITEM_DESCRIPTION": "Copying",
        "TIMEKEEPER_ID": "",
        "TIMEKEEPER_NAME": "",
    }
    base.update(values)
    return fee(**base)


def adjustment(code: str, total: str, **values: str) -> str:
    """An invoice-level adjustment (IF or IE): no units, no unit cost, no timekeeper."""
    base = {
        TYPE: code,
        "LINE_ITEM_NUMBER_OF_UNITS": "",
        "LINE_ITEM_UNIT_COST": "",
        "LINE_ITEM_ADJUSTMENT_AMOUNT": total,
        "LINE_ITEM_TOTAL": total,
        "LINE_ITEM_DESCRIPTION": "Courtesy discount",
        "TIMEKEEPER_ID": "",
        "TIMEKEEPER_NAME": "",
    }
    base.update(values)
    return fee(**base)


def check(folder: Path, *lines: str) -> ValidationResult:
    """The LEDES file beside consistent users, contacts and matters, validated as the template source."""
    write_entity(folder, "users", USERS)
    write_entity(folder, "contacts", CONTACTS)
    write_entity(folder, "matters", MATTERS)
    (folder / "invoices.txt").write_text(ledes_file(*lines), encoding="ascii")
    return validate([folder], "template")


def problems(result: ValidationResult) -> list[tuple[str, int | None, str | None]]:
    """Findings at warning or above on the LEDES file: (rule, line, column)."""
    return sorted(
        ((f.rule, f.row, f.column) for f in result.report.findings
         if f.severity >= Severity.WARNING and f.file == "invoices.txt"),
        key=lambda t: (t[1] or 0, t[0], t[2] or ""),
    )  # fmt: skip


def with_total(total: str, *lines: str) -> list[str]:
    """Every line given the same INVOICE_TOTAL (the helpers' default is 300.00)."""
    return [line.replace("|300.00|", f"|{total}|", 1) for line in lines]


# --------------------------------------------------------------------------- legitimate habits


def test_a_clean_invoice_with_every_kind_of_line_raises_nothing(tmp_path: Path) -> None:
    lines = with_total(
        "1061.50",
        # A fee line discounted by 30.00: 2 h x 200 - 30 = 370.
        fee(LINE_ITEM_NUMBER="1", LINE_ITEM_NUMBER_OF_UNITS="2", LINE_ITEM_ADJUSTMENT_AMOUNT="-30",
            LINE_ITEM_TOTAL="370.00"),
        fee(LINE_ITEM_NUMBER="2"),
        expense(LINE_ITEM_NUMBER="3"),
        # A flat fee as an invoice-level fee adjustment (1 x 500), and a discount with a negative total.
        adjustment("IF", "500", LINE_ITEM_NUMBER="4", LINE_ITEM_NUMBER_OF_UNITS="1",
                   LINE_ITEM_UNIT_COST="500", LINE_ITEM_ADJUSTMENT_AMOUNT="0"),
        adjustment("IF", "-100.00", LINE_ITEM_NUMBER="5"),
        adjustment("IE", "-10.00", LINE_ITEM_NUMBER="6"),
    )  # fmt: skip
    result = check(tmp_path, *lines)
    assert problems(result) == [], describe(result)


def test_a_ledes_line_total_includes_the_1998bi_tax() -> None:
    result = validate([conformance_dir("formats", "ledes") / "ledes_98BI_v2.txt"])
    assert [f for f in result.report.findings if f.severity >= Severity.WARNING] == [], describe(result)


@pytest.mark.parametrize(
    "name",
    ["ledes_98B_spec_example.txt", "ledes_98B_spec_example_no_final_newline.txt", "ledes_98BI_v2.txt"],
)
def test_the_published_examples_raise_nothing(name: str) -> None:
    # Before: the expense lines' blank timekeeper (required), the discounted and taxed fee
    # lines (amount-mismatch) and the retainer's invoice-level adjustment (required,
    # time-without-hours) were all reported although the format allows them.
    result = validate([conformance_dir("formats", "ledes") / name])
    assert [f for f in result.report.findings if f.severity >= Severity.WARNING] == [], describe(result)


def test_the_edited_examples_raise_only_their_real_problems() -> None:
    folder = conformance_dir("formats", "ledes")
    semicolons = validate([folder / "ledes_98B_semicolons.txt"])
    assert sorted((f.rule, f.row) for f in semicolons.report.findings if f.severity >= Severity.WARNING) == [
        ("ledes-duplicate-line", 8),
        ("ledes-total-mismatch", 3),
    ], describe(semicolons)
    dotted = validate([folder / "ledes_98B_dotted_matter_dup_line.txt"])
    assert sorted((f.rule, f.row) for f in dotted.report.findings if f.severity >= Severity.WARNING) == [
        ("ledes-duplicate-line", 9),
        ("ledes-invoice-inconsistent", 9),
        ("ledes-invoice-inconsistent", 9),
        ("ledes-total-mismatch", 8),
    ], describe(dotted)


# --------------------------------------------------------------------------- planted problems


def test_line_math_is_units_times_cost_plus_adjustment(tmp_path: Path) -> None:
    lines = with_total(
        "930.00",
        fee(
            LINE_ITEM_NUMBER="1", LINE_ITEM_ADJUSTMENT_AMOUNT="-30", LINE_ITEM_TOTAL="300.00"
        ),  # 270 expected
        fee(LINE_ITEM_NUMBER="2", LINE_ITEM_TOTAL="330.00"),  # 300 expected
        expense(LINE_ITEM_NUMBER="3", LINE_ITEM_TOTAL="300.00"),  # 1.50 expected
    )
    result = check(tmp_path, *lines)
    assert problems(result) == [
        ("ledes-line-total", 3, "LINE_ITEM_TOTAL"),
        ("ledes-line-total", 4, "LINE_ITEM_TOTAL"),
        ("ledes-line-total", 5, "LINE_ITEM_TOTAL"),
    ], describe(result)
    first = findings(result, "ledes-line-total", row=3)[0]
    assert first.severity == Severity.ERROR
    assert "1.5 units × 200.00 + adjustment -30.00 = 270.00" in first.message


def test_a_timekeeper_is_required_on_fee_lines_only(tmp_path: Path) -> None:
    lines = with_total(
        "901.50",
        fee(LINE_ITEM_NUMBER="1", TIMEKEEPER_ID="", TIMEKEEPER_NAME=""),
        fee(LINE_ITEM_NUMBER="2", TIMEKEEPER_NAME=""),
        fee(LINE_ITEM_NUMBER="3"),
        expense(LINE_ITEM_NUMBER="4"),
    )
    result = check(tmp_path, *lines)
    assert problems(result) == [
        ("ledes-required", 3, "TIMEKEEPER_ID"),
        ("ledes-required", 3, "TIMEKEEPER_NAME"),
        ("ledes-timekeeper-name", 4, "TIMEKEEPER_NAME"),
    ], describe(result)
    assert findings(result, "ledes-required", row=3, column="TIMEKEEPER_ID")[0].severity == Severity.ERROR
    # The ID still names the person: a missing name alone is a warning.
    assert findings(result, "ledes-timekeeper-name", row=4)[0].severity == Severity.WARNING


def test_units_are_required_except_on_invoice_level_adjustments(tmp_path: Path) -> None:
    lines = with_total(
        "-48.50",
        fee(LINE_ITEM_NUMBER="1", LINE_ITEM_NUMBER_OF_UNITS="", LINE_ITEM_TOTAL="0"),
        expense(LINE_ITEM_NUMBER="2", LINE_ITEM_NUMBER_OF_UNITS=""),
        adjustment("IF", "-50.00", LINE_ITEM_NUMBER="3"),
    )
    result = check(tmp_path, *lines)
    assert problems(result) == [
        ("ledes-required", 3, "LINE_ITEM_NUMBER_OF_UNITS"),
        ("ledes-required", 4, "LINE_ITEM_NUMBER_OF_UNITS"),
    ], describe(result)


def test_the_invoice_total_is_the_same_on_every_line(tmp_path: Path) -> None:
    lines = [
        fee(LINE_ITEM_NUMBER="1", INVOICE_TOTAL="600.00"),
        fee(LINE_ITEM_NUMBER="2", INVOICE_TOTAL="650.00"),
    ]
    result = check(tmp_path, *lines)
    assert problems(result) == [("ledes-invoice-total-varies", 4, "INVOICE_TOTAL")], describe(result)
    varies = findings(result, "ledes-invoice-total-varies")[0]
    assert varies.severity == Severity.ERROR and varies.value == "650.00"
    assert "line 3" in varies.message


def test_the_invoice_total_is_the_sum_of_its_lines(tmp_path: Path) -> None:
    lines = with_total("700.00", fee(LINE_ITEM_NUMBER="1"), fee(LINE_ITEM_NUMBER="2"))
    result = check(tmp_path, *lines)
    assert problems(result) == [("ledes-total-mismatch", 3, "INVOICE_TOTAL")], describe(result)


def test_a_line_outside_the_billing_period_is_a_warning(tmp_path: Path) -> None:
    lines = with_total(
        "900.00",
        fee(LINE_ITEM_NUMBER="1", LINE_ITEM_DATE="20231231"),
        fee(LINE_ITEM_NUMBER="2", LINE_ITEM_DATE="20240131"),  # the last day is inside
        fee(LINE_ITEM_NUMBER="3", LINE_ITEM_DATE="20240201"),
    )
    result = check(tmp_path, *lines)
    assert problems(result) == [
        ("ledes-billing-period", 3, "LINE_ITEM_DATE"),
        ("ledes-billing-period", 5, "LINE_ITEM_DATE"),
    ], describe(result)
    assert all(f.severity == Severity.WARNING for f in findings(result, "ledes-billing-period"))


def test_a_billing_period_that_ends_before_it_starts(tmp_path: Path) -> None:
    result = check(tmp_path, fee(BILLING_START_DATE="20240131", BILLING_END_DATE="20240101"))
    assert problems(result) == [("ledes-billing-period", 3, "BILLING_START_DATE")], describe(result)


def test_numbers_hold_no_commas_spaces_or_currency_signs(tmp_path: Path) -> None:
    lines = with_total(
        "1200.00",
        fee(LINE_ITEM_NUMBER="1", LINE_ITEM_UNIT_COST="$200"),
        fee(LINE_ITEM_NUMBER="2", LINE_ITEM_UNIT_COST="1,000", LINE_ITEM_NUMBER_OF_UNITS="0.3"),
        fee(LINE_ITEM_NUMBER="3", LINE_ITEM_UNIT_COST=" 200"),
        fee(LINE_ITEM_NUMBER="4", LINE_ITEM_NUMBER_OF_UNITS="+1.5"),
    )
    result = check(tmp_path, *lines)
    assert problems(result) == [
        ("ledes-number", 3, "LINE_ITEM_UNIT_COST"),
        ("ledes-number", 4, "LINE_ITEM_UNIT_COST"),
        ("ledes-number-format", 5, "LINE_ITEM_UNIT_COST"),
        ("ledes-number-format", 6, "LINE_ITEM_NUMBER_OF_UNITS"),
    ], describe(result)
    # Unreadable amounts are errors; a space or a plus sign still reads, but a portal rejects it.
    assert {f.severity for f in findings(result, "ledes-number")} == {Severity.ERROR}
    assert {f.severity for f in findings(result, "ledes-number-format")} == {Severity.WARNING}


def test_a_repeated_line_number_is_reported_once(tmp_path: Path) -> None:
    lines = with_total("600.00", fee(LINE_ITEM_NUMBER="1"), fee(LINE_ITEM_NUMBER="1"))
    result = check(tmp_path, *lines)
    # The repeated entry ID it makes is the same problem: not reported a second time.
    assert problems(result) == [("ledes-duplicate-line", 4, "LINE_ITEM_NUMBER")], describe(result)


def test_general_rules_still_apply_outside_what_the_format_allows(tmp_path: Path) -> None:
    # A fee line's matter that does not exist is still a broken reference.
    result = check(tmp_path, fee(LAW_FIRM_MATTER_ID="M-404"))
    assert ("foreign-key", 3, "Matter Number") in problems(result), describe(result)
