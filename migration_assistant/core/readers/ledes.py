"""LEDES 1998B and 1998BI e-billing files: billed time and expenses, and the invoices they were billed on.

A LEDES file is pipe-delimited text: a version line (``LEDES1998B[]``, ``LEDES98BI V2[]``),
a header line of field names, then one line per invoice line item, every line ending
in ``[]``. Several invoices may share a file; the invoice-level fields repeat on each
line and only the first line of an invoice counts.

The reader produces two tables: ``activities`` (one per line item) and ``bills`` (one per
invoice), and checks the format's own rules as e-billing systems apply them (Thomson
Reuters Legal Tracker, "LEDES 1998 posting errors"; the LEDES 1998B field specification):
required fields are present (a timekeeper on fee lines only, units on every line but an
invoice-level adjustment), dates are real ``YYYYMMDD`` dates, numbers hold only digits, a
point and a leading minus, type codes are F/E/IF/IE, each line's total is units × unit
cost + adjustment (+ tax in 1998BI), the invoice total is the same on every line and equals
the sum of its line totals, line items fall within the billing period, line item numbers
are unique within an invoice, every line has as many fields as the header and ends in ``[]``.

Where the format allows what a general rule would report (an expense line without a
timekeeper, a discounted fee line whose total is not hours × rate, an invoice-level
adjustment without hours), the table waives that rule on that line
(:attr:`SourceTable.waived`): the reader's own check above is the one that applies.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Decimal, localcontext
from pathlib import Path

from migration_assistant.core.findings import Finding, Severity
from migration_assistant.core.readers.common import (
    RawFile,
    build_table,
    decode_text,
    load,
    make_finding,
    money_text,
    number_text,
    parse_decimal,
    plural,
    split_lines,
)
from migration_assistant.core.readers.table import SourceTable

LEDES_1998B_FIELDS = (
    "INVOICE_DATE",
    "INVOICE_NUMBER",
    "CLIENT_ID",
    "LAW_FIRM_MATTER_ID",
    "INVOICE_TOTAL",
    "BILLING_START_DATE",
    "BILLING_END_DATE",
    "INVOICE_DESCRIPTION",
    "LINE_ITEM_NUMBER",
    "EXP/FEE/INV_ADJ_TYPE",
    "LINE_ITEM_NUMBER_OF_UNITS",
    "LINE_ITEM_ADJUSTMENT_AMOUNT",
    "LINE_ITEM_TOTAL",
    "LINE_ITEM_DATE",
    "LINE_ITEM_TASK_CODE",
    "LINE_ITEM_EXPENSE_CODE",
    "LINE_ITEM_ACTIVITY_CODE",
    "TIMEKEEPER_ID",
    "LINE_ITEM_DESCRIPTION",
    "LAW_FIRM_ID",
    "LINE_ITEM_UNIT_COST",
    "TIMEKEEPER_NAME",
    "TIMEKEEPER_CLASSIFICATION",
    "CLIENT_MATTER_ID",
)
"""The 24 fields of LEDES 1998B, in the order the standard fixes (1998BI adds more after them)."""

REQUIRED_FIELDS = (
    "INVOICE_DATE",
    "INVOICE_NUMBER",
    "CLIENT_ID",
    "LINE_ITEM_NUMBER",
    "EXP/FEE/INV_ADJ_TYPE",
    "LINE_ITEM_TOTAL",
)
DATE_FIELDS = ("INVOICE_DATE", "BILLING_START_DATE", "BILLING_END_DATE", "LINE_ITEM_DATE")
NUMBER_FIELDS = (
    "INVOICE_TOTAL",
    "LINE_ITEM_NUMBER_OF_UNITS",
    "LINE_ITEM_ADJUSTMENT_AMOUNT",
    "LINE_ITEM_TOTAL",
    "LINE_ITEM_UNIT_COST",
)
TYPE_CODES = {"F": "Time", "IF": "Time", "E": "Expense", "IE": "Expense"}
"""LEDES line types: fee, expense, and invoice-level fee / expense adjustments."""

_INVOICE_LEVEL = ("INVOICE_DATE", "CLIENT_ID", "LAW_FIRM_MATTER_ID")
_FEE_ONLY = ("TIMEKEEPER_ID", "TIMEKEEPER_NAME")
"""Required on fee lines (F) only: an expense or an invoice-level adjustment has no timekeeper."""
_ADJUSTMENTS = ("IF", "IE")
_PLAIN_NUMBER = re.compile(r"-?(\d+\.?\d*|\.\d+)")
"""A LEDES number: digits, one point, a leading minus; no sign, space, comma or currency symbol."""
_KNOWN_VERSIONS = ("LEDES1998B", "LEDES98B", "LEDES1998BI", "LEDES98BI", "LEDES1998BIV2", "LEDES98BIV2")
_DATE = re.compile(r"\d{8}")
_TYPE = "EXP/FEE/INV_ADJ_TYPE"
_CENT = Decimal("0.01")

_FIELD_LABELS = {
    "INVOICE_DATE": "invoice date",
    "INVOICE_NUMBER": "invoice number",
    "CLIENT_ID": "client ID",
    "LAW_FIRM_MATTER_ID": "matter ID",
    "INVOICE_TOTAL": "invoice total",
    "LINE_ITEM_NUMBER": "line item number",
    _TYPE: "line type (F, E, IF or IE)",
    "LINE_ITEM_TOTAL": "line item total",
    "TIMEKEEPER_ID": "timekeeper ID",
    "TIMEKEEPER_NAME": "timekeeper name",
    "LINE_ITEM_NUMBER_OF_UNITS": "number of units",
}


@dataclass(slots=True)
class _Line:
    number: int
    values: dict[str, str]


@dataclass(slots=True)
class _Invoice:
    number: str
    lines: list[_Line] = field(default_factory=list)


def read_ledes(path: Path, display_name: str) -> list[SourceTable]:
    """Read a LEDES 1998B / 1998BI file.

    Args:
        path: The file.
        display_name: The name findings and the report use for it.

    Returns:
        Two tables: ``activities`` (one row per line item) and ``bills`` (one per invoice).
        Row numbers are line numbers in the file.

    Raises:
        UnreadableFile: the file could not be read at all.
    """
    raw = load(path, display_name)
    # LEDES is ASCII by the standard; billing programs on Windows that slip in a curly
    # apostrophe write it in the Windows code page.
    text, encoding = decode_text(raw.data, fallback="cp1252")
    reader = _LedesReader(raw.file)
    # Exact decimals: an amount of 29 digits or more (a damaged file) overflows the default
    # 28-digit context when rounded to cents. The reader only adds and rounds, never divides,
    # so unlimited precision costs nothing on real amounts.
    with localcontext(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN):
        reader.read(split_lines(text))
    tables = [
        build_table(
            raw,
            role="activities",
            fmt="ledes",
            encoding=encoding,
            records=reader.activities,
            rows=reader.activity_rows,
            findings=reader.line_findings,
            delimiter="|",
            header_row=reader.header_row,
        ),
        _bills_table(raw, encoding, reader),
    ]
    tables[0].waived = {key: frozenset(rows) for key, rows in reader.waived.items()}
    return tables


def _bills_table(raw: RawFile, encoding: str, reader: _LedesReader) -> SourceTable:
    return build_table(
        raw,
        role="bills",
        fmt="ledes",
        encoding=encoding,
        records=reader.bills,
        rows=reader.bill_rows,
        findings=reader.invoice_findings,
        delimiter="|",
        header_row=reader.header_row,
    )


def _iso_date(text: str) -> str | None:
    """The ISO form of a LEDES date ("19990225" -> "1999-02-25"), or None when it is not a real date."""
    if not _DATE.fullmatch(text):
        return None
    try:
        return dt.datetime.strptime(text, "%Y%m%d").date().isoformat()
    except ValueError:
        return None


class _LedesReader:
    """Reads the lines of one LEDES file into records and findings."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.activities: list[dict[str, str]] = []
        self.activity_rows: list[int] = []
        self.bills: list[dict[str, str]] = []
        self.bill_rows: list[int] = []
        self.line_findings: list[Finding] = []
        self.invoice_findings: list[Finding] = []
        self.header_row = 2
        self._fields: list[str] = []
        self._missing_columns: set[str] = set()
        self._unterminated: list[int] = []
        self._terminable = 0
        self._parsed: list[_Line] = []
        self.waived: dict[tuple[str, str], set[int]] = {}

    # ------------------------------------------------------------------ findings

    def _line(
        self,
        rule: str,
        severity: Severity,
        row: int | None,
        message: str,
        hint: str,
        column: str | None = None,
        value: str | None = None,
    ) -> None:
        finding = make_finding(
            rule, severity, "activities", self.file, row, message, hint, column=column, value=value
        )
        self.line_findings.append(finding)

    def _invoice(
        self, rule: str, severity: Severity, row: int, message: str, hint: str, column: str, value: str
    ) -> None:
        self.invoice_findings.append(
            make_finding(rule, severity, "bills", self.file, row, message, hint, column=column, value=value)
        )

    # ------------------------------------------------------------------ reading

    def read(self, lines: list[str]) -> None:
        numbered = [(i, line) for i, line in enumerate(lines, start=1) if line.strip()]
        if not numbered:
            self._line(
                "ledes-structure",
                Severity.BLOCKER,
                None,
                "The file is empty.",
                "Export the invoices from the billing program again.",
            )
            return
        position = self._read_version(numbered[0])
        if position is None:
            return
        if position >= len(numbered):
            self._line(
                "ledes-structure",
                Severity.BLOCKER,
                numbered[0][0],
                "The file has a LEDES version line but no header line of field names after it.",
                "Export the invoices from the billing program again; the file looks cut short.",
            )
            return
        if not self._read_header(*numbered[position]):
            return
        invoices: dict[str, _Invoice] = {}
        for number, text in numbered[position + 1 :]:
            line = self._read_line(number, text)
            invoice_number = line.values.get("INVOICE_NUMBER", "")
            if invoice_number:
                invoices.setdefault(invoice_number, _Invoice(invoice_number)).lines.append(line)
        self._report_terminators()
        for invoice in invoices.values():
            self._check_invoice(invoice)
        self._notes(numbered)

    def _read_version(self, first: tuple[int, str]) -> int | None:
        """Check the version line; return the position of the header line, or None to stop."""
        number, text = first
        stripped = text.strip().lstrip("\ufeff")
        if stripped.upper().startswith("LEDES"):
            version = self._body(number, stripped).strip()
            if re.sub(r"\s+", "", version).upper() not in _KNOWN_VERSIONS:
                self._line(
                    "ledes-version",
                    Severity.WARNING,
                    number,
                    f"The file says it is “{version}”; this check knows LEDES 1998B and 1998BI, "
                    "so it is read as 1998B.",
                    "Export the invoices as LEDES 1998B if the billing program offers it.",
                    value=version,
                )
            return 1
        if "INVOICE_DATE" in stripped.upper() and "|" in stripped:
            self._line(
                "ledes-structure",
                Severity.WARNING,
                number,
                "The file does not start with the LEDES version line (LEDES1998B[]); "
                "it starts directly with the field names.",
                "E-billing portals reject such a file; the data itself can still be read.",
            )
            return 0
        self._line(
            "ledes-structure",
            Severity.BLOCKER,
            number,
            "This does not look like a LEDES file: the first line should read LEDES1998B[] "
            "and the second list the field names separated by |.",
            "Export the invoices from the billing program again, choosing the LEDES 1998B format.",
            value=stripped[:80],
        )
        return None

    def _read_header(self, number: int, text: str) -> bool:
        self.header_row = number
        body = self._body(number, text)
        fields = [name.strip().upper() for name in body.split("|")]
        if "INVOICE_NUMBER" not in fields and "LINE_ITEM_TOTAL" not in fields:
            self._line(
                "ledes-structure",
                Severity.BLOCKER,
                number,
                "The second line should list the LEDES field names (INVOICE_DATE|INVOICE_NUMBER|…), "
                "but it does not.",
                "Export the invoices from the billing program again, choosing the LEDES 1998B format.",
                value=body[:80],
            )
            return False
        self._fields = fields
        expected = list(LEDES_1998B_FIELDS)
        if fields[: len(expected)] != expected:
            missing = [f for f in expected if f not in fields]
            extra = [f for f in fields[: len(expected)] if f not in expected]
            parts = []
            if missing:
                parts.append("missing " + ", ".join(missing))
            if extra:
                parts.append("unexpected " + ", ".join(extra))
            if not parts:
                parts.append("the fields are in a different order")
            self._line(
                "ledes-header",
                Severity.WARNING,
                number,
                "The field names differ from the LEDES 1998B standard (" + "; ".join(parts) + "). "
                "Fields are read by name, so the data is still read where the names are known.",
                "Check that the billing program exported standard LEDES 1998B.",
            )
        self._missing_columns = {f for f in REQUIRED_FIELDS if f not in fields}
        if self._missing_columns:
            names = ", ".join(sorted(self._missing_columns))
            self._line(
                "ledes-header",
                Severity.BLOCKER,
                number,
                f"The header has no {names} field, which every LEDES invoice line needs.",
                "Export the invoices from the billing program again, choosing the LEDES 1998B format.",
                value=names,
            )
        return True

    def _read_line(self, number: int, text: str) -> _Line:
        body = self._body(number, text)
        raw = body.split("|")
        cells = [cell.strip() for cell in raw]
        expected = len(self._fields)
        if len(cells) != expected:
            self._field_count(number, cells, expected)
        cells += [""] * (expected - len(cells))
        values = dict(zip(self._fields, cells, strict=False))
        line = _Line(number, values)
        self._parsed.append(line)
        self._check_line(line, dict(zip(self._fields, raw, strict=False)))
        self._check_by_type(line)
        self._check_line_total(line)
        self._add_activity(line)
        return line

    def _body(self, number: int, text: str) -> str:
        """The line without its [] terminator, noting lines that lack one."""
        body = text.strip()
        self._terminable += 1
        if body.endswith("[]"):
            return body[:-2]
        self._unterminated.append(number)
        return body

    def _field_count(self, number: int, cells: list[str], expected: int) -> None:
        # Even extra empty fields at the end may come from a | typed inside a description,
        # which moves every later value one field along, so any difference is an error.
        self._line(
            "ledes-field-count",
            Severity.ERROR,
            number,
            f"Line {number} has {len(cells)} fields but the header has {expected}. A missing or extra | "
            "moves every value after it into the wrong field, so this line's amounts and dates may be "
            "read wrong.",
            "Look for a | inside a description, or a value that was cut off, and export again.",
            value=str(len(cells)),
        )

    def _check_line(self, line: _Line, raw: dict[str, str]) -> None:
        values = line.values
        for name in REQUIRED_FIELDS:
            if name not in self._missing_columns and not values.get(name):
                self._line(
                    "ledes-required",
                    Severity.ERROR,
                    line.number,
                    f"Line {line.number} has no {_FIELD_LABELS[name]} ({name}), which LEDES requires.",
                    "Fill it in in the billing program and export again.",
                    column=name,
                )
        for name in DATE_FIELDS:
            value = values.get(name, "")
            if value and _iso_date(value) is None:
                self._line(
                    "ledes-date",
                    Severity.ERROR,
                    line.number,
                    f"Line {line.number}: {name} is “{value}”, which is not a date written as "
                    "YYYYMMDD (for example 19990225).",
                    "Correct the date in the billing program and export again.",
                    column=name,
                    value=value,
                )
        for name in NUMBER_FIELDS:
            value = values.get(name, "")
            if value and parse_decimal(value) is None:
                self._line(
                    "ledes-number",
                    Severity.ERROR,
                    line.number,
                    f"Line {line.number}: {name} is “{value}”, which is not a plain number "
                    "(LEDES amounts have no currency sign or thousands separator).",
                    "Correct the amount in the billing program and export again.",
                    column=name,
                    value=value,
                )
            elif value and not _PLAIN_NUMBER.fullmatch(raw.get(name, value)):
                written = raw.get(name, value)
                self._line(
                    "ledes-number-format",
                    Severity.WARNING,
                    line.number,
                    f"Line {line.number}: {name} is written “{written}”. It was read as {value}, but LEDES "
                    "numbers hold only digits, a decimal point and a leading minus (no spaces or plus sign), "
                    "so an e-billing portal rejects the line.",
                    "Nothing to do for the migration; remove the spaces or sign if the file goes to a portal.",
                    column=name,
                    value=written,
                )
        code = values.get(_TYPE, "")
        if code and code.upper() not in TYPE_CODES:
            self._line(
                "ledes-type",
                Severity.ERROR,
                line.number,
                f"Line {line.number} has line type “{code}”; LEDES allows only F (fee), E (expense), "
                "IF (invoice fee adjustment) or IE (invoice expense adjustment).",
                "Correct the line type in the billing program and export again.",
                column=_TYPE,
                value=code,
            )

    def _waive(self, rule: str, column: str, line: _Line) -> None:
        self.waived.setdefault((rule, column), set()).add(line.number)

    def _check_by_type(self, line: _Line) -> None:
        """What a line needs depends on its type: a timekeeper on a fee, units on all but an adjustment."""
        values = line.values
        code = values.get(_TYPE, "").upper()
        if code not in TYPE_CODES:
            return  # an unknown or missing type is reported as such
        # The general checks would ask every entry for a user and every time entry for hours and
        # hours x rate; here the format's own rules below (and the line math) decide instead.
        self._waive("required", "User ID", line)
        self._waive("time-without-hours", "Hours", line)
        self._waive("amount-mismatch", "Amount", line)
        if code in _ADJUSTMENTS:
            # A discount is an invoice-level adjustment with a negative total, as LEDES intends.
            self._waive("negative-value", "Amount", line)
            return
        required = (
            ("LINE_ITEM_NUMBER_OF_UNITS", *_FEE_ONLY) if code == "F" else ("LINE_ITEM_NUMBER_OF_UNITS",)
        )
        for name in required:
            if name not in self._fields or values.get(name):
                continue
            kind = "fee" if code == "F" else "expense"
            if name == "TIMEKEEPER_NAME" and values.get("TIMEKEEPER_ID"):
                # The ID still reaches the right person without the name.
                self._line(
                    "ledes-timekeeper-name",
                    Severity.WARNING,
                    line.number,
                    f"Line {line.number} is a fee line with the timekeeper ID "
                    f"{values.get('TIMEKEEPER_ID')} but no timekeeper name (TIMEKEEPER_NAME), which LEDES "
                    "requires on every fee line. The entry still goes to that timekeeper.",
                    "Fill in the timekeeper's name in the billing program if the file goes to a portal.",
                    column=name,
                )
                continue
            self._line(
                "ledes-required",
                Severity.ERROR,
                line.number,
                f"Line {line.number} is a {kind} line with no {_FIELD_LABELS[name]} ({name}), which LEDES "
                f"requires on every {kind} line.",
                "Fill it in in the billing program and export again.",
                column=name,
            )

    def _check_line_total(self, line: _Line) -> None:
        """LINE_ITEM_TOTAL = units x unit cost + adjustment (+ the line's tax in 1998BI), to the cent."""
        values = line.values
        code = values.get(_TYPE, "").upper()
        total = parse_decimal(values.get("LINE_ITEM_TOTAL", ""))
        if code not in TYPE_CODES or total is None:
            return
        units_text = values.get("LINE_ITEM_NUMBER_OF_UNITS", "")
        cost_text = values.get("LINE_ITEM_UNIT_COST", "")
        if code not in _ADJUSTMENTS and not (units_text and cost_text):
            return  # a fee or expense without units or cost is reported as missing, not as wrong math
        parts = {
            name: parse_decimal(values.get(name, "") or "0")
            for name in (
                "LINE_ITEM_NUMBER_OF_UNITS",
                "LINE_ITEM_UNIT_COST",
                "LINE_ITEM_ADJUSTMENT_AMOUNT",
                "LINE_ITEM_TAX_TOTAL",
            )
        }
        units, cost, adjustment, tax = parts.values()
        if units is None or cost is None or adjustment is None or tax is None:
            return  # an unreadable number is already reported on its own
        expected = units * cost + adjustment + tax
        if expected.quantize(_CENT) == total.quantize(_CENT):
            return
        taxed = f" + tax {money_text(tax)}" if tax else ""
        self._line(
            "ledes-line-total",
            Severity.ERROR,
            line.number,
            f"Line {line.number} gives its total as {money_text(total)}, but {number_text(units)} units × "
            f"{money_text(cost)} + adjustment {money_text(adjustment)}{taxed} = {money_text(expected)}.",
            "Correct the units, the unit cost, the adjustment or the total in the billing program and export "
            "again. The entry is migrated with the stated total.",
            column="LINE_ITEM_TOTAL",
            value=money_text(total),
        )

    def _add_activity(self, line: _Line) -> None:
        v = line.values
        code = v.get(_TYPE, "").upper()
        invoice, item = v.get("INVOICE_NUMBER", ""), v.get("LINE_ITEM_NUMBER", "")
        units = v.get("LINE_ITEM_NUMBER_OF_UNITS", "")
        codes = [v.get(f"LINE_ITEM_{kind}_CODE", "") for kind in ("TASK", "EXPENSE", "ACTIVITY")]
        # Only an F line's units are hours worked; an IF adjustment counts adjustments, not time.
        hours = _number(units) if code == "F" else ""
        self.activities.append(
            {
                "Entry ID": f"{invoice}-{item}" if invoice or item else "",
                "Type": TYPE_CODES.get(code, v.get(_TYPE, "")),
                "Date": _date(v.get("LINE_ITEM_DATE", "")),
                # A line that names its timekeeper without an ID ("Arnsley, Robert") is matched to
                # the users by name (core.people).
                "User ID": v.get("TIMEKEEPER_ID", "") or v.get("TIMEKEEPER_NAME", ""),
                "Matter Number": v.get("LAW_FIRM_MATTER_ID", ""),
                "Description": v.get("LINE_ITEM_DESCRIPTION", ""),
                "Hours": hours,
                "Rate": _money(v.get("LINE_ITEM_UNIT_COST", "")),
                "Amount": _money(v.get("LINE_ITEM_TOTAL", "")),
                "Billable": "Y",
                "Billed": "Y",
                "Invoice Number": invoice,
                "Activity Code": "/".join(c for c in codes if c),
            }
        )
        self.activity_rows.append(line.number)

    def _report_terminators(self) -> None:
        if not self._unterminated:
            return
        hint = "Every LEDES line must end with []; e-billing portals reject the file without it."
        if len(self._unterminated) == self._terminable and self._terminable > 3:
            first = self._unterminated[0]
            self._line(
                "ledes-terminator",
                Severity.WARNING,
                first,
                f"None of the {len(self._unterminated)} lines ends with [] as LEDES requires. "
                "The data is still read.",
                hint,
            )
            return
        for number in self._unterminated:
            self._line(
                "ledes-terminator",
                Severity.WARNING,
                number,
                f"Line {number} does not end with [] as every LEDES line must. "
                "The line may have been cut short; check its last values.",
                hint,
            )

    def _check_invoice(self, invoice: _Invoice) -> None:
        first = invoice.lines[0]
        seen: dict[str, int] = {}
        for line in invoice.lines:
            item = line.values.get("LINE_ITEM_NUMBER", "")
            if item and item in seen:
                self._line(
                    "ledes-duplicate-line",
                    Severity.ERROR,
                    line.number,
                    f"Invoice {invoice.number} has line item number {item} twice (lines {seen[item]} and "
                    f"{line.number}). Each line item of an invoice needs its own number, and both "
                    f"become entry {invoice.number}-{item}.",
                    "Check whether this line was billed twice by mistake; if not, renumber it in the "
                    "billing program and export again.",
                    column="LINE_ITEM_NUMBER",
                    value=item,
                )
                # The repeated number makes a repeated entry ID: this finding already says so.
                self._waive("duplicate-key", "Entry ID", line)
            elif item:
                seen[item] = line.number
        for line in invoice.lines[1:]:
            for name in _INVOICE_LEVEL:
                mine, theirs = line.values.get(name, ""), first.values.get(name, "")
                if mine and theirs and mine != theirs:
                    self._inconsistent(invoice, first, line, name, mine, theirs)
        varies = self._total_varies(invoice)
        if not varies:
            self._check_total(invoice)
        self._check_period(invoice)
        self._add_bill(invoice)

    def _total_varies(self, invoice: _Invoice) -> bool:
        """INVOICE_TOTAL must be the same on every line of an invoice (Legal Tracker error 007)."""
        first = invoice.lines[0]
        stated = first.values.get("INVOICE_TOTAL", "")
        total = parse_decimal(stated)
        varies = False
        for line in invoice.lines[1:]:
            mine = line.values.get("INVOICE_TOTAL", "")
            amount = parse_decimal(mine)
            if not mine or not stated or amount is None or total is None or amount == total:
                continue
            varies = True
            self._invoice(
                "ledes-invoice-total-varies",
                Severity.ERROR,
                line.number,
                f"Line {line.number} gives invoice {invoice.number} a total of {money_text(amount)}, but its "
                f"first line (line {first.number}) gives {money_text(total)}. Every line of an invoice must "
                "carry the same invoice total, so the invoice's real total cannot be told; the bill is "
                "migrated with the first line's.",
                "Check which total is right, correct the invoice in the billing program and export again.",
                "INVOICE_TOTAL",
                mine,
            )
        return varies

    def _check_period(self, invoice: _Invoice) -> None:
        """A line item dated outside the invoice's billing period: a client audit rule, so a warning."""
        first = invoice.lines[0].values
        start = _iso_date(first.get("BILLING_START_DATE", ""))
        end = _iso_date(first.get("BILLING_END_DATE", ""))
        if start is None or end is None:
            return
        if start > end:
            self._invoice(
                "ledes-billing-period",
                Severity.WARNING,
                invoice.lines[0].number,
                f"Invoice {invoice.number}'s billing period starts on {start}, after it ends ({end}).",
                "Correct the billing start and end dates in the billing program and export again.",
                "BILLING_START_DATE",
                first.get("BILLING_START_DATE", ""),
            )
            return
        for line in invoice.lines:
            date = _iso_date(line.values.get("LINE_ITEM_DATE", ""))
            if date is None or start <= date <= end:
                continue
            self._line(
                "ledes-billing-period",
                Severity.WARNING,
                line.number,
                f"Line {line.number} is dated {date}, outside invoice {invoice.number}'s billing period "
                f"({start} to {end}). Clients' e-billing rules often reject such a line.",
                "Check the line's date; if the work belongs to another period, it may belong on another "
                "invoice.",
                column="LINE_ITEM_DATE",
                value=line.values.get("LINE_ITEM_DATE", ""),
            )

    def _inconsistent(
        self, invoice: _Invoice, first: _Line, line: _Line, name: str, mine: str, theirs: str
    ) -> None:
        consequence = (
            "This line item keeps its own matter, but the bill is recorded against the first line's."
            if name == "LAW_FIRM_MATTER_ID"
            else "LEDES uses only the first line's value, so this one is ignored."
        )
        self._invoice(
            "ledes-invoice-inconsistent",
            Severity.WARNING,
            line.number,
            f"Line {line.number} is on invoice {invoice.number}, whose first line (line {first.number}) "
            f"gives {name} {theirs}, but this line gives {mine}. {consequence}",
            "Check that the line item belongs on this invoice; if not, correct it in the billing "
            "program and export again.",
            name,
            mine,
        )

    def _check_total(self, invoice: _Invoice) -> None:
        first = invoice.lines[0]
        total = parse_decimal(first.values.get("INVOICE_TOTAL", ""))
        items = [parse_decimal(line.values.get("LINE_ITEM_TOTAL", "")) for line in invoice.lines]
        if total is None or any(item is None for item in items):
            return  # the missing or unreadable amount is already reported on its line
        line_sum = sum((item for item in items if item is not None), Decimal(0))
        if line_sum.quantize(_CENT) == total.quantize(_CENT):
            return
        numbers = ", ".join(str(line.number) for line in invoice.lines)
        self._invoice(
            "ledes-total-mismatch",
            Severity.ERROR,
            first.number,
            f"Invoice {invoice.number} gives its total as {money_text(total)}, but its "
            f"{plural(len(items), 'line item')} (lines {numbers}) add up to {money_text(line_sum)}, "
            f"a difference of {money_text(line_sum - total)}.",
            "Find the line item that is missing, doubled or wrong, correct it in the billing program "
            "and export again. The bill is migrated with the stated total.",
            "INVOICE_TOTAL",
            money_text(total),
        )

    def _add_bill(self, invoice: _Invoice) -> None:
        first = invoice.lines[0].values
        self.bills.append(
            {
                "Invoice Number": invoice.number,
                "Matter Number": first.get("LAW_FIRM_MATTER_ID", ""),
                "Issue Date": _date(first.get("INVOICE_DATE", "")),
                "Due Date": "",
                "Total": _money(first.get("INVOICE_TOTAL", "")),
                "Amount Paid": "",
                "Status": "Unpaid",
            }
        )
        self.bill_rows.append(invoice.lines[0].number)

    def _notes(self, numbered: list[tuple[int, str]]) -> None:
        non_ascii = [(n, t) for n, t in numbered if not t.isascii()]
        if non_ascii:
            number, text = non_ascii[0]
            odd = "".join(sorted({c for c in text if not c.isascii()}))
            self._line(
                "ledes-non-ascii",
                Severity.INFO,
                number,
                (
                    f"Line {number} contains"
                    if len(non_ascii) == 1
                    else f"{len(non_ascii)} lines (the first is line {number}) contain"
                )
                + f" characters outside plain ASCII ({odd}). The LEDES standard allows only ASCII, so an "
                "e-billing portal may reject the file; the new system reads them as they are.",
                "Nothing to do for the migration.",
                value=odd,
            )
        currencies = sorted({line.values.get("INVOICE_CURRENCY", "") for line in self._parsed} - {""})
        if currencies:
            taxed = any(
                (parse_decimal(line.values.get("LINE_ITEM_TAX_TOTAL", "")) or 0) != 0 for line in self._parsed
            )
            self._invoice(
                "ledes-currency",
                Severity.INFO,
                self.header_row,
                f"The invoices in this file are in {', '.join(currencies)} (INVOICE_CURRENCY)"
                + (", and their line totals include tax" if taxed else "")
                + ". The new system stores plain amounts without a currency.",
                "Make sure the firm's account in the new system uses the same currency.",
                "INVOICE_CURRENCY",
                ", ".join(currencies),
            )


def _date(text: str) -> str:
    # An invalid date stays as written so the date check downstream shows the real value.
    return _iso_date(text) or text


def _money(text: str) -> str:
    value = parse_decimal(text)
    return money_text(value) if value is not None else text


def _number(text: str) -> str:
    value = parse_decimal(text)
    return number_text(value) if value is not None else text
