"""Small builders for engine tests: template CSVs in a folder, one validate run, finding selectors."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from migration_assistant.core.engine import validate
from migration_assistant.core.findings import Finding
from migration_assistant.core.readers.ledes import LEDES_1998B_FIELDS
from migration_assistant.core.results import ValidationResult

# The template headers, copied from DESIGN.md ("Canonical migration schema"): the contract the
# schema and the templates are tested against, so deliberately not derived from the code.
DESIGN_HEADERS = {
    "users": "User ID, Name, Email, Initials, Role, Default Rate, Active",
    "contacts": "Contact ID, Type, First Name, Middle Name, Last Name, Company, Title, Email, Phone, Mobile, "
    "Street, City, State/Province, Postal Code, Country, Notes",
    "matters": "Matter Number, Client ID, Description, Practice Area, Responsible Attorney, Originating Attorney, "
    "Status, Open Date, Close Date, Billing Method",
    "activities": "Entry ID, Type, Date, User ID, Matter Number, Description, Hours, Rate, Amount, Billable, Billed, "
    "Invoice Number, Activity Code",
    "bills": "Invoice Number, Matter Number, Issue Date, Due Date, Total, Amount Paid, Status",
    "trust": "Transaction ID, Date, Client ID, Matter Number, Type, Amount, Reference, Description",
    "calendar": "Event ID, Title, Start, End, All Day, Location, Matter Number, Description",
    "tasks": "Task ID, Name, Due Date, Assignee, Matter Number, Status",
    "notes": "Note ID, Matter Number, Contact ID, Date, Subject, Body",
}
HEADERS: dict[str, list[str]] = {
    name: [h.strip() for h in line.split(",")] for name, line in DESIGN_HEADERS.items()
}

Row = Mapping[str, str] | Sequence[str]


def csv_text(header: Sequence[str], rows: Iterable[Row], delimiter: str = ",", newline: str = "\r\n") -> str:
    """CSV text with *header*; a row is a dict (missing columns blank) or a full list of cells."""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, delimiter=delimiter, lineterminator=newline)
    writer.writerow(header)
    for row in rows:
        if isinstance(row, Mapping):
            unknown = set(row) - set(header)
            assert not unknown, f"columns not in the header: {unknown}"
            writer.writerow([row.get(h, "") for h in header])
        else:
            writer.writerow(list(row))
    return buf.getvalue()


def write_entity(
    folder: Path,
    entity: str,
    rows: Iterable[Row],
    *,
    name: str | None = None,
    header: Sequence[str] | None = None,
    encoding: str = "utf-8",
    delimiter: str = ",",
) -> Path:
    """Write a template CSV for *entity* into *folder* (file named after the entity unless *name*)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / (name or f"{entity}.csv")
    text = csv_text(header or HEADERS[entity], rows, delimiter=delimiter)
    path.write_bytes(text.encode(encoding))
    return path


def write_export(folder: Path, files: Mapping[str, Iterable[Row]]) -> Path:
    """Write several entities at once: ``{"contacts": [...], "matters": [...]}``."""
    for entity, rows in files.items():
        write_entity(folder, entity, rows)
    return folder


def run(folder: Path, source: str = "template") -> ValidationResult:
    """Validate *folder*; rule tests name the template source (auto-detection has its own tests)."""
    return validate([folder], source)


def findings(
    result: ValidationResult | Sequence[Finding],
    rule: str | None = None,
    *,
    row: int | type[Ellipsis] | None = ...,
    column: str | None = None,
    file: str | None = None,
    entity: str | None = None,
) -> list[Finding]:
    """Findings filtered by rule, row (``None`` = file-level), column, file and entity."""
    items = result.report.findings if isinstance(result, ValidationResult) else result
    out = []
    for f in items:
        if rule is not None and f.rule != rule:
            continue
        if row is not ... and f.row != row:
            continue
        if column is not None and f.column != column:
            continue
        if file is not None and f.file != file:
            continue
        if entity is not None and f.entity != entity:
            continue
        out.append(f)
    return out


def rows_of(result: ValidationResult | Sequence[Finding], rule: str, **kwargs: object) -> list[int | None]:
    """The sorted rows at which *rule* fired."""
    return sorted(
        (f.row for f in findings(result, rule, **kwargs)),  # type: ignore[arg-type]
        key=lambda r: -1 if r is None else r,
    )


def rules_fired(result: ValidationResult | Sequence[Finding]) -> set[str]:
    items = result.report.findings if isinstance(result, ValidationResult) else result
    return {f.rule for f in items}


def describe(result: ValidationResult | Sequence[Finding]) -> str:
    """One line per finding, for assertion messages."""
    items = result.report.findings if isinstance(result, ValidationResult) else result
    return "\n".join(f"{f.rule} {f.severity.label} {f.file}:{f.row} [{f.column}] {f.value!r}" for f in items)


# Minimal consistent reference data the rule tests build on.
USERS = [
    {"User ID": "U1", "Name": "Ann Lee", "Email": "ann@example.com", "Default Rate": "300", "Active": "Y"},
    {"User ID": "U2", "Name": "Bo Chen", "Email": "bo@example.com", "Default Rate": "200", "Active": "Y"},
]
CONTACTS = [
    {"Contact ID": "C1", "Type": "Person", "First Name": "Maria", "Last Name": "Garcia",
     "Email": "maria@example.com", "Phone": "(416) 555-0123"},
    {"Contact ID": "C2", "Type": "Company", "Company": "Acme Holdings Inc.", "Phone": "+1 416 555 0199"},
]  # fmt: skip
MATTERS = [
    {"Matter Number": "M-001", "Client ID": "C1", "Description": "Estate of Garcia", "Status": "Open",
     "Open Date": "2024-01-15", "Billing Method": "Hourly", "Responsible Attorney": "U1"},
    {"Matter Number": "M-002", "Client ID": "C2", "Description": "Acme lease", "Status": "Closed",
     "Open Date": "2023-03-01", "Close Date": "2024-02-01", "Billing Method": "Flat",
     "Responsible Attorney": "U2"},
]  # fmt: skip
BILLS = [
    {"Invoice Number": "INV-1", "Matter Number": "M-001", "Issue Date": "2024-03-01", "Total": "$1,000.00",
     "Amount Paid": "500.00", "Status": "Partial"},
]  # fmt: skip


def time_entry(entry: str, **cells: str) -> dict[str, str]:
    """A valid time entry for M-001 by U1 (1.0 h at 300), overridden by *cells* (keys: titles with _ for space)."""
    row = {
        "Entry ID": entry, "Type": "Time", "Date": "2024-03-04", "User ID": "U1", "Matter Number": "M-001",
        "Description": "Drafting", "Hours": "1.0", "Rate": "300", "Amount": "300.00", "Billable": "Y",
        "Billed": "N",
    }  # fmt: skip
    row.update({k.replace("_", " "): v for k, v in cells.items()})
    return row


def base_export(folder: Path, **extra: Iterable[Row]) -> Path:
    """users + contacts + matters + bills (all clean) plus *extra* entities."""
    files: dict[str, Iterable[Row]] = {
        "users": USERS,
        "contacts": CONTACTS,
        "matters": MATTERS,
        "bills": BILLS,
    }
    files.update(extra)
    return write_export(folder, files)


# --------------------------------------------------------------------------- LEDES 1998B

LEDES_HEADER = "|".join(LEDES_1998B_FIELDS) + "[]"


def ledes_line(**values: str) -> str:
    """One valid fee line (INV-1, M-001, 1.5 h at 200 = 300.00), overridden by *values* (field names)."""
    defaults = {
        "INVOICE_DATE": "20240131",
        "INVOICE_NUMBER": "INV-1",
        "CLIENT_ID": "C1",
        "LAW_FIRM_MATTER_ID": "M-001",
        "INVOICE_TOTAL": "300.00",
        "LINE_ITEM_NUMBER": "1",
        "EXP/FEE/INV_ADJ_TYPE": "F",
        "LINE_ITEM_NUMBER_OF_UNITS": "1.5",
        "LINE_ITEM_TOTAL": "300.00",
        "LINE_ITEM_DATE": "20240115",
        "TIMEKEEPER_ID": "JS",
        "TIMEKEEPER_NAME": "Smith, Jo",
        "LINE_ITEM_DESCRIPTION": "Drafting",
        "LINE_ITEM_UNIT_COST": "200",
    }
    defaults.update(values)
    return "|".join(defaults.get(name, "") for name in LEDES_1998B_FIELDS) + "[]"


def ledes_file(*lines: str) -> str:
    """A LEDES 1998B file: the format line, the header and *lines*."""
    return "\n".join(["LEDES1998B[]", LEDES_HEADER, *lines]) + "\n"
