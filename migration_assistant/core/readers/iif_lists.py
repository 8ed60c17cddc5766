"""QuickBooks Desktop lists read from an IIF file as data: customers, jobs, employees and Timer activities.

Field meanings are Intuit's IIF reference ("Customers & Jobs list (CUST)", "Employee list
(EMP)", "Activities timed with the Timer (TIMEACT)"):

* CUST: NAME is the customer, or "Customer:Job" for a job (a colon separates customer and
  job; jobs can nest). A job repeats its customer's address and phone, so only customers
  become contacts; each job becomes a matter whose client is the customer before the first
  colon. JOBSTATUS is 0-5 (None, Pending, Awarded, In progress, Closed, Not awarded) or the
  word; a job with no status is read as Open (Closed when it is hidden, i.e. inactive).
* EMP: NAME is the employee, the name a Timer activity's EMP gives.
* TIMEACT: DATE (MM/DD/YY), JOB (customer or "Customer:Job"), EMP, ITEM (service item),
  DURATION (H:MM, at most 23:59), NOTE, BILLINGSTATUS (0 not billable, 1 billable and not
  yet billed, 2 billed). A Timer activity carries no rate, amount or invoice: the new
  system takes the rate from the user or the matter.

Each function returns canonical records (keyed by template title), their line numbers,
the findings on them, and the general rules the format makes wrong on those lines
(see :attr:`~migration_assistant.core.readers.table.SourceTable.waived`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from migration_assistant.core.findings import Finding, Severity
from migration_assistant.core.readers.common import make_finding, number_text, plural

_DURATION = re.compile(r"(\d{1,3}):(\d{1,2})")
_DECIMAL_HOURS = re.compile(r"\d+(\.\d+)?|\.\d+")
_JOB_STATUS = {
    "0": "",
    "NONE": "",
    "1": "Pending",
    "PENDING": "Pending",
    "2": "Open",
    "AWARDED": "Open",
    "3": "Open",
    "IN PROGRESS": "Open",
    "4": "Closed",
    "CLOSED": "Closed",
    "5": "Closed",
    "NOT AWARDED": "Closed",
}
_BILLING = {"0": ("N", "N"), "1": ("Y", "N"), "2": ("Y", "Y")}
"""BILLINGSTATUS -> (Billable, Billed)."""
_YES = {"Y", "YES", "T", "TRUE", "1"}

DateParser = Callable[[str], str | None]
"""An IIF date as ISO text, or None when it is not a date."""


@dataclass(slots=True)
class ListRecords:
    """What one list gives: records with their lines, findings, and waived general rules."""

    records: list[dict[str, str]] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    waived: dict[tuple[str, str], set[int]] = field(default_factory=dict)

    def add(self, line: int, record: dict[str, str]) -> None:
        self.records.append(record)
        self.rows.append(line)

    def waive(self, rule: str, column: str, line: int) -> None:
        self.waived.setdefault((rule, column), set()).add(line)


def _get(values: dict[str, str], name: str) -> str:
    return values.get(name, "").strip()


def _joined(*parts: str, sep: str = " ") -> str:
    return sep.join(p for p in parts if p)


def customers(
    file: str, rows: list[tuple[int, dict[str, str]]], date: DateParser
) -> tuple[ListRecords, ListRecords]:
    """Customers as contacts and "Customer:Job" entries as matters.

    Args:
        file: The file's display name.
        rows: (line, values by column heading) of every CUST line.
        date: Reads an IIF date.

    Returns:
        The contacts and the matters.
    """
    contacts, matters = ListRecords(), ListRecords()
    no_status: list[int] = []
    for line, values in rows:
        name = _get(values, "NAME")
        if not name:
            contacts.findings.append(
                make_finding(
                    "iif-required",
                    Severity.ERROR,
                    "contacts",
                    file,
                    line,
                    f"Line {line} is a customer with no NAME, which QuickBooks requires; it is left out.",
                    "Export the customer list from QuickBooks again.",
                    column="NAME",
                )
            )
            continue
        if ":" in name:
            matters.add(line, _job(file, line, name, values, date, matters, no_status))
        else:
            contacts.add(line, _customer(name, values))
    if no_status:
        matters.findings.append(
            make_finding(
                "iif-job-status",
                Severity.INFO,
                "matters",
                file,
                no_status[0],
                f"{plural(len(no_status), 'job')} (the first on line {no_status[0]}) "
                f"{'has' if len(no_status) == 1 else 'have'} no job status in QuickBooks; "
                f"{'it was' if len(no_status) == 1 else 'they were'} read as Open (Closed where the job is "
                "marked inactive).",
                "Tell the specialist which of these matters are really closed or pending.",
                column="JOBSTATUS",
            )
        )
    return contacts, matters


def _customer(name: str, values: dict[str, str]) -> dict[str, str]:
    first, last = _get(values, "FIRSTNAME"), _get(values, "LASTNAME")
    company = _get(values, "COMPANYNAME")
    person = bool(first or last)
    street = [
        line
        for line in (_get(values, f"BADDR{n}") for n in range(1, 6))
        if line and line not in (name, company, _joined(first, last))
    ]
    return {
        "Contact ID": name,
        "Type": "Person" if person else "Company",
        "First Name": first,
        "Middle Name": _get(values, "MIDINIT"),
        "Last Name": last,
        # A customer known only by its NAME is a business (a person has first and last names).
        "Company": company if person else (company or name),
        "Email": _get(values, "EMAIL"),
        "Phone": _get(values, "PHONE1"),
        "Street": ", ".join(street),
        "Notes": _get(values, "NOTEPAD"),
    }


def _job(
    file: str,
    line: int,
    name: str,
    values: dict[str, str],
    date: DateParser,
    matters: ListRecords,
    no_status: list[int],
) -> dict[str, str]:
    customer, _, job = name.partition(":")
    raw_status = _get(values, "JOBSTATUS")
    status = _JOB_STATUS.get(raw_status.upper())
    if status is None:
        matters.findings.append(
            make_finding(
                "iif-job-status",
                Severity.WARNING,
                "matters",
                file,
                line,
                f"Job {name} on line {line} has the job status “{raw_status}”, which QuickBooks does not use "
                "(0-5: None, Pending, Awarded, In progress, Closed, Not awarded).",
                "Check the job's status in QuickBooks and export again.",
                column="JOBSTATUS",
                value=raw_status,
            )
        )
        # The status is reported here; the general check would only repeat it.
        matters.waive("enum", "Status", line)
        status = raw_status
    elif not status:
        no_status.append(line)
        status = "Closed" if _get(values, "HIDDEN").upper() in _YES else "Open"
    opened, closed = (_get(values, key) for key in ("JOBSTART", "JOBEND"))
    return {
        "Matter Number": name,
        "Client ID": customer.strip(),
        "Description": _get(values, "JOBDESC") or job.strip(),
        "Practice Area": _get(values, "JOBTYPE"),
        "Status": status,
        "Open Date": (date(opened) or opened) if opened else "",
        "Close Date": (date(closed) or closed) if closed else "",
    }


def employees(rows: list[tuple[int, dict[str, str]]]) -> ListRecords:
    """Employees as users: the name a Timer activity gives is the User ID."""
    users = ListRecords()
    for line, values in rows:
        name = _get(values, "NAME")
        if not name:
            continue
        users.add(
            line,
            {
                "User ID": name,
                "Name": _joined(_get(values, "FIRSTNAME"), _get(values, "LASTNAME")) or name,
                "Email": _get(values, "EMAIL"),
                "Initials": _get(values, "INIT"),
                "Active": "N" if _get(values, "HIDDEN").upper() in _YES else "Y",
            },
        )
    return users


def hours(text: str) -> Decimal | None:
    """A Timer DURATION as decimal hours: "4:15" -> 4.25; a plain decimal ("1.5") is read too."""
    match = _DURATION.fullmatch(text)
    if match:
        whole, minutes = int(match[1]), int(match[2])
        if minutes >= 60:
            return None
        return (Decimal(whole) + Decimal(minutes) / Decimal(60)).quantize(Decimal("0.0001")).normalize()
    if _DECIMAL_HOURS.fullmatch(text):
        return Decimal(text)
    return None


def activities(file: str, rows: list[tuple[int, dict[str, str]]], date: DateParser) -> ListRecords:
    """Timer activities as time entries, with the format's own checks on DURATION and BILLINGSTATUS."""
    out = ListRecords()
    for line, values in rows:
        duration = _get(values, "DURATION")
        worked = hours(duration) if duration else None
        if duration and (worked is None or worked >= 24):
            out.findings.append(
                make_finding(
                    "iif-duration",
                    Severity.ERROR,
                    "activities",
                    file,
                    line,
                    f"The Timer activity on line {line} lasted “{duration}”, which is not a duration QuickBooks "
                    "writes (hours and minutes, H:MM, at most 23:59).",
                    "Correct the activity's duration in QuickBooks and export again.",
                    column="DURATION",
                    value=duration,
                )
            )
            out.waive("invalid-value", "Hours", line)
            out.waive("over-24-hours", "Hours", line)
        status = _get(values, "BILLINGSTATUS")
        billable, billed = _BILLING.get(status, ("", ""))
        if status and status not in _BILLING:
            out.findings.append(
                make_finding(
                    "iif-billing-status",
                    Severity.ERROR,
                    "activities",
                    file,
                    line,
                    f"The Timer activity on line {line} has the billing status “{status}”; QuickBooks writes 0 "
                    "(not billable), 1 (billable, not yet billed) or 2 (billed), so whether to bill it cannot "
                    "be told.",
                    "Check the activity in QuickBooks and export again.",
                    column="BILLINGSTATUS",
                    value=status,
                )
            )
        raw_date = _get(values, "DATE")
        # A Timer activity has no rate, amount or invoice number: the format cannot give them.
        out.waive("required", "Amount", line)
        out.waive("billed-without-invoice", "Invoice Number", line)
        out.add(
            line,
            {
                "Entry ID": f"TIMEACT-{line}",
                "Type": "Time",
                "Date": (date(raw_date) or raw_date) if raw_date else "",
                "User ID": _get(values, "EMP"),
                "Matter Number": _get(values, "JOB"),
                "Description": _get(values, "NOTE").replace("/n", "\n"),
                "Hours": number_text(worked) if worked is not None and worked < 24 else duration,
                "Billable": billable,
                "Billed": billed,
                "Activity Code": _get(values, "ITEM"),
            },
        )
    return out
