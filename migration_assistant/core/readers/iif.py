"""QuickBooks Desktop IIF files: invoices and payments, checked against the format's own bookkeeping rules.

IIF is tab-delimited text (some tools write commas). A line starting with ``!`` names the
columns of the lines of that kind that follow (``!TRNS``, ``!SPL``, ``!ENDTRNS`` for
transactions; ``!ACCNT``, ``!CUST``, ``!VEND``… for lists), and such headers may repeat
mid-file. A transaction is one TRNS line, one or more SPL lines and an ENDTRNS line, and
its amounts must net to zero.

Mapping: the canonical schema has no general ledger, so of the transactions only invoices
become rows: one ``bills`` row per INVOICE transaction (Invoice Number = DOCNUM, Matter
Number = NAME (customer:job), Issue Date = DATE, Due Date = DUEDATE, Total = the TRNS
amount). A PAYMENT whose DOCNUM matches an invoice's adds to that bill's Amount Paid and
sets its Status; any other payment, and every other transaction type, is summarised in an
info finding. Every transaction, migrated or not, is checked for balance and structure,
because an unbalanced or broken file says the export itself went wrong.

A law firm on QuickBooks keeps its clients and matters as the Customers & Jobs list and its
time as Timer activities (Intuit's IIF reference, "Customers & Jobs list (CUST)" and
"Activities timed with the Timer (TIMEACT)"), so those are read as data (:mod:`.iif_lists`):
a customer becomes a contact, a "Customer:Job" entry a matter of that customer (its copy of
the customer's address and phone is not a second contact), an employee (EMP) a user, and a
Timer activity a time entry (DURATION H:MM as decimal hours, BILLINGSTATUS 0/1/2 as
billable and billed). A file that is recognised but yields no record is a warning.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Decimal, localcontext
from pathlib import Path

from migration_assistant.core.findings import Finding, Severity
from migration_assistant.core.readers import iif_lists
from migration_assistant.core.readers.common import (
    build_table,
    decode_text,
    load,
    make_finding,
    money_text,
    parse_decimal,
    plural,
    split_lines,
)
from migration_assistant.core.readers.table import SourceTable

_ENTITY = "bills"
_DATA_LISTS = ("CUST", "EMP", "TIMEACT")
"""Lists read as records (see :mod:`.iif_lists`); other lists are counted and summarised."""
_DATE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_LIST_NAMES = {
    "ACCNT": ("account", "accounts"),
    "CUST": ("customer", "customers"),
    "VEND": ("vendor", "vendors"),
    "EMP": ("employee", "employees"),
    "OTHERNAME": ("other name", "other names"),
    "INVITEM": ("item", "items"),
    "CLASS": ("class", "classes"),
    "CTYPE": ("customer type", "customer types"),
    "VTYPE": ("vendor type", "vendor types"),
    "TERMS": ("payment term", "payment terms"),
    "PAYMETH": ("payment method", "payment methods"),
    "SHIPMETH": ("shipping method", "shipping methods"),
}


@dataclass(slots=True)
class _Row:
    line: int
    values: dict[str, str]


@dataclass(slots=True)
class _Transaction:
    trns: _Row
    splits: list[_Row] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return " ".join(self.trns.values.get("TRNSTYPE", "").upper().split())


@dataclass(slots=True)
class _Bill:
    row: int
    record: dict[str, str]
    total: Decimal | None
    paid: Decimal | None = None


@dataclass(slots=True)
class _Payment:
    row: int
    docnum: str
    amount: Decimal
    name: str


def read_iif(path: Path, display_name: str) -> list[SourceTable]:
    """Read a QuickBooks IIF file.

    Args:
        path: The file.
        display_name: The name findings and the report use for it.

    Returns:
        One ``bills`` table (empty when the file holds no invoices) carrying every
        finding about the file; row numbers are line numbers.

    Raises:
        UnreadableFile: the file could not be read at all.
    """
    raw = load(path, display_name)
    # QuickBooks Desktop writes IIF in the Windows code page, which is expected, not a problem.
    text, encoding = decode_text(raw.data, fallback="cp1252")
    lines = split_lines(text)
    reader = _IifReader(raw.file, _delimiter(lines))
    # Exact decimals: an amount of 29 digits or more (a damaged file) overflows the default
    # 28-digit context when rounded to cents. The reader only adds and rounds, never divides,
    # so unlimited precision costs nothing on real amounts.
    with localcontext(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN):
        reader.read(lines)
    lists = reader.list_records()
    findings = [*reader.findings, *(f for part in lists.values() for f in part.findings)]
    if reader.recognised and not reader.bills and not any(part.records for part in lists.values()):
        findings.append(_no_records(raw.file, reader))
    tables = [
        build_table(
            raw,
            role=_ENTITY,
            fmt="iif",
            encoding=encoding,
            records=[bill.record for bill in reader.bills],
            rows=[bill.row for bill in reader.bills],
            findings=findings,
            delimiter=reader.delimiter,
        )
    ]
    for role, part in lists.items():
        if not part.records:
            continue
        table = build_table(
            raw, role=role, fmt="iif", encoding=encoding, records=part.records, rows=part.rows,
            delimiter=reader.delimiter,
        )  # fmt: skip
        table.waived = {key: frozenset(rows) for key, rows in part.waived.items()}
        tables.append(table)
    return tables


def _no_records(file: str, reader: _IifReader) -> Finding:
    kinds = ", ".join(sorted({*reader.kinds_seen()})) or "nothing the new system takes"
    return make_finding(
        "no-records",
        Severity.WARNING,
        None,
        file,
        None,
        f"This QuickBooks file was read, but nothing in it becomes a record in the new system: it holds "
        f"{kinds}, and no invoices, customers, jobs, employees or Timer activities.",
        "Check that this is the export you meant to add: the customer list, the Timer activities or the "
        "invoices. Keep the file for the accountant if it holds the bookkeeping.",
    )


def _delimiter(lines: list[str]) -> str:
    for line in lines:
        if line.strip():
            return "\t" if "\t" in line or "," not in line else ","
    return "\t"


def _unquote(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == '"' and text[-1] == '"':
        return text[1:-1].replace('""', '"')
    return text


def _amount(text: str) -> Decimal | None:
    """An IIF amount ("-5,712.93", "\"1,776.23\"", "(85.00)"), or None when it is not a number."""
    cleaned = _unquote(text).replace(",", "").replace("$", "").replace(" ", "")
    negative = cleaned.startswith("(") and cleaned.endswith(")")
    if negative:
        cleaned = cleaned[1:-1]
    value = parse_decimal(cleaned)
    if value is None:
        return None
    return -value if negative else value


def _parse_date(text: str) -> tuple[dt.date | None, bool]:
    """An IIF date (M/D/YYYY, MM/DD/YY, or ISO) and whether its year had only two digits."""
    text = _unquote(text)
    match = _DATE.fullmatch(text)
    if match:
        month, day, year_text = match.groups()
        year = int(year_text)
        short = len(year_text) == 2
        if short:
            # The POSIX pivot QuickBooks users also get from Excel: 69-99 are 1900s, 00-68 2000s.
            year += 1900 if year >= 69 else 2000
        try:
            return dt.date(year, int(month), int(day)), short
        except ValueError:
            return None, short
    iso = _ISO_DATE.fullmatch(text)
    if iso:
        try:
            return dt.date(int(iso[1]), int(iso[2]), int(iso[3])), False
        except ValueError:
            return None, False
    return None, False


class _IifReader:
    """Reads the lines of one IIF file into bills and findings."""

    def __init__(self, file: str, delimiter: str) -> None:
        self.file = file
        self.delimiter = delimiter
        self.bills: list[_Bill] = []
        self.findings: list[Finding] = []
        self._headers: dict[str, list[str]] = {}
        self._open: _Transaction | None = None
        self._types: Counter[str] = Counter()
        self._lists: Counter[str] = Counter()
        self._payments: list[_Payment] = []
        self._short_years: list[tuple[int, str]] = []
        self._missing_header: set[str] = set()
        self._list_rows: dict[str, list[tuple[int, dict[str, str]]]] = {kind: [] for kind in _DATA_LISTS}

    @property
    def recognised(self) -> bool:
        """The file has IIF header lines (a file without any is refused as not IIF at all)."""
        return bool(self._headers)

    def kinds_seen(self) -> list[str]:
        """What the file holds, in words, for the message about a file that gives no records."""
        kinds = [f"{n} {kind} transaction{'s' if n != 1 else ''}" for kind, n in sorted(self._types.items())]
        kinds += [plural(n, *_LIST_NAMES.get(kind, (kind, kind))) for kind, n in sorted(self._lists.items())]
        return kinds

    def list_records(self) -> dict[str, iif_lists.ListRecords]:
        """The lists read as data: contacts, matters, users and activities (each possibly empty)."""

        def iso(text: str) -> str | None:
            date, _ = _parse_date(text)
            return date.isoformat() if date else None

        contacts, matters = iif_lists.customers(self.file, self._list_rows["CUST"], iso)
        return {
            "contacts": contacts,
            "matters": matters,
            "users": iif_lists.employees(self._list_rows["EMP"]),
            "activities": iif_lists.activities(self.file, self._list_rows["TIMEACT"], iso),
        }

    def _note(
        self,
        rule: str,
        severity: Severity,
        row: int | None,
        message: str,
        hint: str,
        *,
        entity: str | None = None,
        column: str | None = None,
        value: str | None = None,
    ) -> None:
        self.findings.append(
            make_finding(rule, severity, entity, self.file, row, message, hint, column=column, value=value)
        )

    def _fields(self, line: str) -> list[str]:
        if self.delimiter == ",":
            try:
                return [cell.strip() for cell in next(csv.reader([line]))]
            except (csv.Error, StopIteration):
                return [_unquote(cell) for cell in line.split(",")]
        return [_unquote(cell) for cell in line.split("\t")]

    # ------------------------------------------------------------------ reading

    def read(self, lines: list[str]) -> None:
        """Read every line, then settle payments and summarise what is not migrated."""
        if not any(line.strip() for line in lines):
            self._note(
                "iif-structure",
                Severity.BLOCKER,
                None,
                "The file is empty.",
                "Export the data from QuickBooks again.",
            )
            return
        for number, line in enumerate(lines, start=1):
            fields = self._fields(line)
            keyword = fields[0].strip().upper() if fields else ""
            if not keyword:
                continue
            if keyword.startswith("!"):
                name = keyword[1:].strip()
                self._headers[name] = [c.strip().lstrip("!").strip().upper() for c in fields[1:]]
                continue
            self._data_line(number, keyword, fields[1:])
        if self._open is not None:
            self._note(
                "iif-structure",
                Severity.ERROR,
                self._open.trns.line,
                f"The transaction starting on line {self._open.trns.line} has no ENDTRNS line before "
                "the file ends; the file may be cut short.",
                "Export the data from QuickBooks again and check that the file is complete.",
            )
            self._close()
        if not self._headers:
            self.findings.clear()  # without any header line the other complaints say nothing more
            self._note(
                "iif-structure",
                Severity.BLOCKER,
                None,
                "This does not look like a QuickBooks IIF file: no line starts with a header such as !TRNS.",
                "Check that this is the .iif file QuickBooks (or the tool that wrote it) produced, not a "
                "renamed spreadsheet.",
            )
            return
        self._settle_payments()
        self._summaries()

    def _row(self, number: int, keyword: str, cells: list[str]) -> _Row:
        columns = self._headers.get(keyword)
        if columns is None:
            if keyword not in self._missing_header:
                self._missing_header.add(keyword)
                self._note(
                    "iif-structure",
                    Severity.ERROR,
                    number,
                    f"Line {number} is a {keyword} line, but no !{keyword} header line before it says what "
                    "its columns are, so its values cannot be read.",
                    "Export the data from QuickBooks again; IIF files need their ! header lines.",
                    value=keyword,
                )
            return _Row(number, {})
        return _Row(number, dict(zip(columns, cells, strict=False)))

    def _data_line(self, number: int, keyword: str, cells: list[str]) -> None:
        if keyword == "TRNS":
            if self._open is not None:
                self._note(
                    "iif-structure",
                    Severity.ERROR,
                    self._open.trns.line,
                    f"The transaction starting on line {self._open.trns.line} has no ENDTRNS line; the next "
                    f"transaction starts on line {number}.",
                    "QuickBooks needs ENDTRNS after each transaction's SPL lines. Export again, or add the "
                    "missing ENDTRNS line.",
                )
                self._close()
            self._open = _Transaction(self._row(number, keyword, cells))
        elif keyword == "SPL":
            if self._open is None:
                self._note(
                    "iif-structure",
                    Severity.ERROR,
                    number,
                    f"Line {number} is a split line (SPL) outside any transaction: there is no TRNS line "
                    "for it since the last ENDTRNS. It is ignored.",
                    "Check whether a TRNS line was deleted, and export the data from QuickBooks again.",
                )
                return
            self._open.splits.append(self._row(number, keyword, cells))
        elif keyword == "ENDTRNS":
            if self._open is None:
                self._note(
                    "iif-structure",
                    Severity.WARNING,
                    number,
                    f"Line {number} is an ENDTRNS line that ends no transaction (no TRNS line is open). "
                    "It is ignored.",
                    "Usually harmless; check that no transaction lines were deleted around it.",
                )
                return
            self._close()
        elif keyword in _DATA_LISTS and keyword in self._headers:
            self._list_rows[keyword].append((number, self._row(number, keyword, cells).values))
        elif keyword == "TIMERHDR" and keyword in self._headers:
            pass  # the Timer's file header (version, company): not a record
        elif keyword in self._headers:
            self._lists[keyword] += 1
        elif keyword not in self._missing_header:
            self._missing_header.add(keyword)
            self._note(
                "iif-structure",
                Severity.WARNING,
                number,
                f"Line {number} starts with “{keyword}”, which no ! header line declares, so it is ignored.",
                "Check that the file was not edited by hand; QuickBooks writes a ! header before each "
                "kind of line.",
                value=keyword,
            )

    # ------------------------------------------------------------------ transactions

    def _close(self) -> None:
        transaction = self._open
        self._open = None
        if transaction is None or not transaction.trns.values:
            return
        kind = transaction.kind or "(no type)"
        self._types[kind] += 1
        start = transaction.trns.line
        if not transaction.splits:
            self._note(
                "iif-structure",
                Severity.ERROR,
                start,
                f"The {kind} transaction on line {start} has no split lines (SPL), so it cannot balance.",
                "Export the transaction from QuickBooks again.",
            )
        date = self._date(transaction)
        self._balance(transaction, kind)
        if kind == "INVOICE":
            self._invoice(transaction, date)
        elif kind == "PAYMENT":
            amount = _amount(transaction.trns.values.get("AMOUNT", ""))
            if amount is not None:
                self._payments.append(
                    _Payment(
                        start,
                        transaction.trns.values.get("DOCNUM", "").strip(),
                        abs(amount),
                        transaction.trns.values.get("NAME", "").strip(),
                    )
                )

    def _date(self, transaction: _Transaction) -> str:
        raw = transaction.trns.values.get("DATE", "").strip()
        start = transaction.trns.line
        date, short = _parse_date(raw)
        if short:
            self._short_years.append((start, raw))
        if date is None:
            self._note(
                "iif-date",
                Severity.ERROR,
                start,
                f"The transaction on line {start} has the date “{raw}”, which is not a date QuickBooks "
                "writes (MM/DD/YYYY)."
                if raw
                else f"The transaction on line {start} has no date.",
                "Correct the transaction's date in QuickBooks and export again.",
                column="DATE",
                value=raw or None,
            )
            return raw
        return date.isoformat()

    def _balance(self, transaction: _Transaction, kind: str) -> None:
        if "AMOUNT" not in transaction.trns.values and "AMOUNT" not in self._headers.get("TRNS", []):
            return  # reported once, as a missing column, by the header check below
        total = Decimal(0)
        blanks = 0
        for row in [transaction.trns, *transaction.splits]:
            raw = row.values.get("AMOUNT", "").strip()
            if not _unquote(raw):
                blanks += 1
                continue
            amount = _amount(raw)
            if amount is None:
                self._note(
                    "iif-amount",
                    Severity.ERROR,
                    row.line,
                    f"Line {row.line} has the amount “{raw}”, which is not a number.",
                    "Correct the amount in QuickBooks and export again.",
                    column="AMOUNT",
                    value=raw,
                )
                return
            total += amount
        if total.quantize(Decimal("0.01")) == 0:
            return
        start = transaction.trns.line
        lines = f"lines {start}–{transaction.splits[-1].line}" if transaction.splits else f"line {start}"
        blank_note = (
            f" {plural(blanks, 'line')} of it {'has' if blanks == 1 else 'have'} no amount." if blanks else ""
        )
        self._note(
            "iif-unbalanced",
            Severity.ERROR,
            start,
            f"The {kind} transaction on {lines} does not balance: its amounts add up to "
            f"{money_text(total)} instead of 0.00.{blank_note} QuickBooks refuses such a transaction, "
            "and its figures cannot be trusted.",
            "Export the transaction from QuickBooks again, or ask the bookkeeper which split line is "
            "missing or wrong.",
            entity=_ENTITY if kind == "INVOICE" else None,
            column="AMOUNT",
            value=money_text(total),
        )

    def _invoice(self, transaction: _Transaction, date: str) -> None:
        values = transaction.trns.values
        raw_total = values.get("AMOUNT", "").strip()
        total = _amount(raw_total)
        due_raw = values.get("DUEDATE", "").strip()
        due, _ = _parse_date(due_raw) if due_raw else (None, False)
        record = {
            "Invoice Number": values.get("DOCNUM", "").strip(),
            "Matter Number": values.get("NAME", "").strip(),
            "Issue Date": date,
            "Due Date": due.isoformat() if due else due_raw,
            "Total": money_text(total) if total is not None else raw_total,
            "Amount Paid": "",
            "Status": "Unpaid",
        }
        self.bills.append(_Bill(transaction.trns.line, record, total))

    def _settle_payments(self) -> None:
        by_number: dict[str, _Bill] = {}
        for bill in self.bills:
            by_number.setdefault(bill.record["Invoice Number"], bill)
        for payment in self._payments:
            target = by_number.get(payment.docnum) if payment.docnum else None
            if target is None:
                who = f" from {payment.name}" if payment.name else ""
                number = f"document number {payment.docnum}" if payment.docnum else "no document number"
                self._note(
                    "iif-payment-unmatched",
                    Severity.INFO,
                    payment.row,
                    f"The payment of {money_text(payment.amount)}{who} on line {payment.row} has {number}, "
                    "which matches no invoice in this file, so it is not applied to any bill.",
                    "If the invoice was exported in another file, apply the payment there by hand.",
                    entity=_ENTITY,
                    column="DOCNUM",
                    value=payment.docnum or None,
                )
                continue
            target.paid = (target.paid or Decimal(0)) + payment.amount
        for bill in self.bills:
            self._status(bill)

    def _status(self, bill: _Bill) -> None:
        if bill.paid is None:
            return
        bill.record["Amount Paid"] = money_text(bill.paid)
        if bill.total is None or bill.paid <= 0:
            return
        if bill.paid < bill.total:
            bill.record["Status"] = "Partial"
            return
        bill.record["Status"] = "Paid"
        if bill.paid > bill.total:
            number = bill.record["Invoice Number"]
            self._note(
                "iif-overpaid",
                Severity.WARNING,
                bill.row,
                f"Invoice {number} totals {money_text(bill.total)}, but the payments in this file that name it "
                f"add up to {money_text(bill.paid)}.",
                "Check whether a payment was recorded twice or belongs to another invoice.",
                entity=_ENTITY,
                column="AMOUNT",
                value=money_text(bill.paid),
            )

    # ------------------------------------------------------------------ summaries

    def _summaries(self) -> None:
        if self._types and "AMOUNT" not in self._headers.get("TRNS", ["AMOUNT"]):
            self._note(
                "iif-structure",
                Severity.ERROR,
                None,
                "The !TRNS header has no AMOUNT column, so no transaction can be checked or migrated.",
                "Export the data from QuickBooks again.",
            )
        if self._short_years:
            first, example = self._short_years[0]
            count = len(self._short_years)
            self._note(
                "iif-two-digit-year",
                Severity.WARNING,
                first,
                f"{plural(count, 'transaction')} (the first on line {first}, dated {example}) "
                f"{'has' if count == 1 else 'have'} a two-digit year. Two-digit years were read as "
                "1969–2068 (14 is 2014, 75 is 1975).",
                "Check that the dates are in the right century; QuickBooks can export four-digit years.",
                column="DATE",
                value=example,
            )
        other = {kind: n for kind, n in self._types.items() if kind not in ("INVOICE", "PAYMENT")}
        if other:
            listing = ", ".join(
                f"{n} {kind}" for kind, n in sorted(other.items(), key=lambda kv: (-kv[1], kv[0]))
            )
            count = sum(other.values())
            self._note(
                "iif-not-migrated",
                Severity.INFO,
                None,
                f"The file holds {plural(count, 'transaction')} that {'is' if count == 1 else 'are'} not an "
                f"invoice or a payment ({listing}). The new practice-management system has no general "
                "ledger, so these are not migrated.",
                "Give this file to the firm's accountant if the bookkeeping history is needed.",
                value=listing,
            )
        if self._lists:
            listing = ", ".join(
                plural(n, *_LIST_NAMES.get(kind, (kind, kind))) + f" ({kind})"
                for kind, n in sorted(self._lists.items())
            )
            self._note(
                "iif-lists",
                Severity.INFO,
                None,
                f"The file also holds QuickBooks lists: {listing}. These lists are not migrated (customers, jobs, "
                "employees and Timer activities are).",
                "Nothing to do, unless these lists hold something the firm needs in the new system.",
                value=listing,
            )
