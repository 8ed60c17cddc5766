"""Tiny template exports for the GUI tests, with one known client whose name must never leak."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path

CLIENT_FIRST = "Eleanor"
CLIENT_LAST = "Vance"
CLIENT_EMAIL = "eleanor.vance@example"
"""A client that appears in names, an e-mail, a matter description, a time entry and a note."""
CLIENT_WORDS = (CLIENT_FIRST, CLIENT_LAST, "eleanor.vance")

CONTACTS = [
    "Contact ID", "Type", "First Name", "Middle Name", "Last Name", "Company", "Title", "Email",
    "Phone", "Mobile", "Street", "City", "State/Province", "Postal Code", "Country", "Notes",
]  # fmt: skip
MATTERS = [
    "Matter Number", "Client ID", "Description", "Practice Area", "Responsible Attorney",
    "Originating Attorney", "Status", "Open Date", "Close Date", "Billing Method",
]  # fmt: skip
ACTIVITIES = [
    "Entry ID", "Type", "Date", "User ID", "Matter Number", "Description", "Hours", "Rate", "Amount",
    "Billable", "Billed", "Invoice Number", "Activity Code",
]  # fmt: skip
USERS = ["User ID", "Name", "Email", "Initials", "Role", "Default Rate", "Active"]


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[str]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_small_export(folder: Path) -> Path:
    """Four template CSVs with planted problems, all on or around the known client."""
    write_csv(
        folder / "users.csv",
        USERS,
        [["U1", "Jane Lawyer", "jane@firm.example.com", "JL", "Attorney", "300", "Y"]],
    )
    write_csv(
        folder / "contacts.csv",
        CONTACTS,
        [
            # An invalid e-mail: the finding quotes it, the record shows the name.
            ["C001", "Person", CLIENT_FIRST, "", CLIENT_LAST, "", "", CLIENT_EMAIL, "(217) 555-0101", "",
             "12 Elm St", "Springfield", "IL", "62701", "US", f"{CLIENT_FIRST} prefers mornings"],
            ["C002", "Company", "", "", "", "Acme Holdings", "", "info@acme.example.com", "(217) 555-0199", "",
             "1 Main St", "Springfield", "IL", "62701", "US", ""],
            ["C003", "Person", "Marcus", "", "Reed", "", "", "marcus@example.com", "12", "", "", "", "", "", "US", ""],
            # The same ID twice, again with the client's name.
            ["C001", "Person", CLIENT_FIRST, "", CLIENT_LAST, "", "", "ev@example.com", "(217) 555-0101", "",
             "12 Elm St", "Springfield", "IL", "62701", "US", ""],
        ],
    )  # fmt: skip
    write_csv(
        folder / "matters.csv",
        MATTERS,
        [
            ["M-001", "C001", f"{CLIENT_LAST} estate planning", "Estates", "U1", "U1", "Open", "2024-01-15", "",
             "Hourly"],
            ["M-002", "C009", "Acme lease review", "Real Estate", "U1", "", "Active", "2024-02-30", "", "Flat"],
        ],
    )  # fmt: skip
    write_csv(
        folder / "activities.csv",
        ACTIVITIES,
        [
            ["A1", "Time", "2024-03-01", "U1", "M-001", f"Call with {CLIENT_FIRST} {CLIENT_LAST}", "1.5", "300", "450",
             "Y", "N", "", ""],
            ["A2", "Time", "2024-03-02", "U1", "M-003", f"Letter to {CLIENT_LAST}", "abc", "300", "", "Y", "N", "", ""],
        ],
    )  # fmt: skip
    return folder


def write_large_activities(folder: Path, rows: int) -> Path:
    """A valid export whose time entries file is big enough for the check to take a while."""
    write_small_export(folder)
    body = (
        [
            f"E{i}",
            "Time",
            "2024-03-01",
            "U1",
            "M-001",
            f"Drafting, part {i}",
            "1.0",
            "300",
            "300",
            "Y",
            "N",
            "",
            "",
        ]
        for i in range(rows)
    )
    write_csv(folder / "activities.csv", ACTIVITIES, body)
    return folder
