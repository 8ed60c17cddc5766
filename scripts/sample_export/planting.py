"""The planted problems: a handful of known cells changed in a clean firm, each recorded with where it is."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from scripts.sample_export.common import AS_OF, HEADERS, SEED, BoolArray, Firm
from scripts.sample_export.integrity import cents_of, isin_any, trust_running, us_days
from scripts.sample_export.vectors import busday, hours_text, money_text, us_dates


@dataclass(frozen=True)
class Planted:
    """One planted problem: which record (0 = first record of the entity) and which cell."""

    id: str
    entity: str
    index: int
    column: str
    problem: str


class _Planter:
    """Changes a few cells of a clean firm, never the same record twice."""

    def __init__(self, firm: Firm, rng: np.random.Generator) -> None:
        self.firm = firm
        self.rng = rng
        self.used: dict[str, BoolArray] = {e: np.zeros(len(f), dtype=bool) for e, f in firm.items()}
        self.planted: list[Planted] = []

    def pick(
        self,
        entity: str,
        mask: BoolArray | pd.Series,
        *,
        after: int = -1,
        where: Callable[[int], bool] | None = None,
    ) -> int:
        """A random record satisfying ``mask`` (and ``where``) that no other plant has touched."""
        ok = np.asarray(mask, dtype=bool) & ~self.used[entity]
        ok[: after + 1] = False
        # Candidates in a random order; ``where`` is tried on them until one fits (a handful, not every row).
        for index in self.rng.permutation(np.flatnonzero(ok)).tolist():
            if where is None or where(index):
                self.used[entity][index] = True
                return int(index)
        raise RuntimeError(f"no {entity} record left to plant a problem on")

    def get(self, entity: str, index: int, column: str) -> str:
        frame = self.firm[entity]
        return str(frame.iat[index, list(frame.columns).index(column)])

    def set(self, entity: str, index: int, **cells: str) -> None:
        frame = self.firm[entity]
        for column, value in cells.items():
            frame.iat[index, list(frame.columns).index(column.replace("_", " "))] = value
        self.used[entity][index] = True

    def note(self, pid: str, entity: str, index: int, column: str, problem: str) -> None:
        self.planted.append(Planted(pid, entity, index, column, problem))


def _absent(candidates: Iterable[str], present: pd.Series) -> str:
    taken = set(present.tolist())
    return next(c for c in candidates if c not in taken)


def plant_problems(firm: Firm, seed: int = SEED) -> list[Planted]:
    """Plant the sample's realistic problems into a clean firm (in place) and say where each one is.

    Every problem sits in a record that no other problem touches, and is chosen so that it
    causes only its own finding (e.g. the duplicated contact ID is one nobody refers to).
    """
    p = _Planter(firm, np.random.default_rng([seed, 99]))
    _plant_activities(p)
    _plant_contacts(p)
    _plant_matters(p)
    _plant_bills(p)
    _plant_trust(p)
    return sorted(p.planted, key=lambda x: (list(HEADERS).index(x.entity), x.index, x.column))


def _plant_activities(p: _Planter) -> None:
    acts, users, matters = p.firm["activities"], p.firm["users"], p.firm["matters"]
    is_time = (acts["Type"] == "Time").to_numpy()
    unbilled = (acts["Billed"] == "N").to_numpy()
    quiet = is_time & unbilled
    rate_of = dict(zip(users["User ID"], users["Default Rate"], strict=True))

    # One timekeeper with four entries on one day adding up to 26.5 hours.
    day = acts["Date"].to_numpy()
    free = quiet & ~p.used["activities"]
    counts = pd.Series(free).groupby(day).sum()
    days = counts.index[counts.to_numpy() >= 4].to_numpy()
    chosen_day = str(p.rng.choice(days))
    present = set(acts.loc[acts["Date"] == chosen_day, "User ID"])
    timekeepers = users.loc[(users["Default Rate"] != "") & (users["Active"] == "Y"), "User ID"]
    who = str(p.rng.choice([u for u in timekeepers if u not in present]))
    rows = np.flatnonzero(free & (day == chosen_day))[:4]
    rate = cents_of(pd.Series([rate_of[who]]))[0]
    for row, hund in zip(rows, (800, 750, 600, 500), strict=True):
        p.set(
            "activities",
            int(row),
            User_ID=who,
            Rate=rate_of[who],
            Hours=hours_text(hund),
            Amount=money_text((hund * rate + 50) // 100),
        )
    p.note(
        "day-over-24-hours",
        "activities",
        int(rows[-1]),
        "Hours",
        f"{who} records 26.5 hours on {chosen_day} (four entries: 8.0 + 7.5 + 6.0 + 5.0); "
        "this entry takes the day past 24 hours",
    )

    matter_set = set(matters["Matter Number"])

    def transposed(number: str) -> str:
        return number[:-2] + number[-1] + number[-2]

    row = p.pick(
        "activities",
        quiet,
        where=lambda i: transposed(p.get("activities", i, "Matter Number")) not in matter_set,
    )
    real = p.get("activities", row, "Matter Number")
    typo = transposed(real)
    p.set("activities", row, Matter_Number=typo)
    p.note(
        "unknown-matter",
        "activities",
        row,
        "Matter Number",
        f"time entry on matter {typo}, which is not in the matters file (digits transposed from {real})",
    )

    row = p.pick("activities", quiet)
    ghost = _absent(["RTK", "MLB", "KPH", "SAW", "QXZ"], users["User ID"])
    p.set("activities", row, User_ID=ghost)
    p.note(
        "unknown-user",
        "activities",
        row,
        "User ID",
        f"time entry by user {ghost}, who is not in the staff list (someone who left the firm?)",
    )

    row = p.pick("activities", quiet)
    amount = cents_of(pd.Series([p.get("activities", row, "Amount")]))[0]
    wrong = money_text(int(amount) * 10)
    p.set("activities", row, Amount=wrong)
    p.note(
        "amount-not-hours-times-rate",
        "activities",
        row,
        "Amount",
        f"Amount {wrong} is not Hours {p.get('activities', row, 'Hours')} x Rate "
        f"{p.get('activities', row, 'Rate')} (= {money_text(int(amount))}); a slipped decimal point",
    )

    row = p.pick("activities", quiet & (acts["Billable"] == "Y").to_numpy())
    invoices = p.firm["bills"]["Invoice Number"]
    missing_invoice = _absent((str(int(invoices.astype(int).max()) + k) for k in range(17, 1000)), invoices)
    p.set("activities", row, Billed="Y", Invoice_Number=missing_invoice)
    p.note(
        "unknown-invoice",
        "activities",
        row,
        "Invoice Number",
        f"billed entry points at invoice {missing_invoice}, which is not in the invoices file",
    )

    row = p.pick("activities", quiet)
    rate = cents_of(pd.Series([p.get("activities", row, "Rate")]))[0]
    p.set(
        "activities",
        row,
        Hours="-0.5",
        Amount=money_text(-((50 * int(rate) + 50) // 100)),
        Billable="N",
        Description="Reversal of duplicate entry",
        Activity_Code="",
    )
    p.note(
        "negative-hours", "activities", row, "Hours", "negative hours (-0.5): a reversal typed as an entry"
    )
    p.note(
        "negative-hours",
        "activities",
        row,
        "Amount",
        f"negative amount ({p.get('activities', row, 'Amount')}) from the same reversal entry",
    )

    parsed = us_days(acts["Date"])
    near = (parsed >= np.datetime64("2025-02-24")) & (parsed <= np.datetime64("2025-03-07"))
    row = p.pick("activities", quiet & near if (quiet & near & ~p.used["activities"]).any() else quiet)
    p.set("activities", row, Date="02/30/2025")
    p.note("impossible-date", "activities", row, "Date", "date 02/30/2025 does not exist (February 30)")

    legacy = matters.index[matters["Matter Number"] == "000123"]
    if len(legacy):
        m = int(legacy[0])
        opened = us_days(matters["Open Date"].iloc[[m]])[0]
        closed = us_days(matters["Close Date"].iloc[[m]])[0]
        within = (parsed >= opened) & (parsed <= (AS_OF if np.isnat(closed) else closed))
        row = p.pick(
            "activities", quiet & within if (quiet & within & ~p.used["activities"]).any() else quiet
        )
        p.set("activities", row, Matter_Number="123")
        p.note(
            "leading-zeros-lost",
            "activities",
            row,
            "Matter Number",
            'matter "123" does not exist; it is matter 000123 with its leading zeros stripped (by Excel)',
        )

    is_expense = (acts["Type"] == "Expense").to_numpy()
    row = p.pick("activities", is_expense & unbilled if (is_expense & unbilled).any() else is_expense)
    formula = '=HYPERLINK("https://receipts.example.com/r/88123","Courier receipt")'
    p.set("activities", row, Description=formula)
    p.note(
        "formula-injection",
        "activities",
        row,
        "Description",
        "description starts with '=' (a spreadsheet formula): opened in Excel it becomes a live link",
    )


def _plant_contacts(p: _Planter) -> None:
    contacts = p.firm["contacts"]
    unref = ~isin_any(
        contacts["Contact ID"],
        p.firm["matters"]["Client ID"],
        p.firm["notes"]["Contact ID"],
        p.firm["trust"]["Client ID"],
    )
    person = (contacts["Type"] == "Person").to_numpy()
    n = len(contacts)
    early = np.arange(n) < n // 3

    first = p.pick("contacts", early)
    later = p.pick("contacts", unref, after=first)
    shared = p.get("contacts", first, "Contact ID")
    p.set("contacts", later, Contact_ID=shared)
    p.note(
        "duplicate-contact-id",
        "contacts",
        later,
        "Contact ID",
        f"Contact ID {shared} was already used by an earlier row (a different contact)",
    )

    john = p.pick("contacts", person & early)
    jon = p.pick("contacts", person & unref, after=john)
    for row, name in ((john, "John"), (jon, "Jon")):
        p.set(
            "contacts",
            row,
            First_Name=name,
            Middle_Name="",
            Last_Name="Smith",
            Company="",
            Title="",
            Email="john.smith@example.com",
        )
    p.note(
        "same-person-twice",
        "contacts",
        jon,
        "Contact ID",
        f"Jon Smith ({p.get('contacts', jon, 'Contact ID')}) has the same e-mail as John Smith "
        f"({p.get('contacts', john, 'Contact ID')}): one person entered twice",
    )

    row = p.pick("contacts", person)
    p.set(
        "contacts", row, First_Name="Maria", Middle_Name="", Last_Name="Garcia", Email="maria.garcia@@example"
    )
    p.note("invalid-email", "contacts", row, "Email", "e-mail maria.garcia@@example is not a valid address")

    row = p.pick("contacts", (contacts["Phone"] != "").to_numpy())
    p.set("contacts", row, Phone="555-01")
    p.note("implausible-phone", "contacts", row, "Phone", "phone 555-01 is too short to be a phone number")

    row = p.pick("contacts", person)
    p.set(
        "contacts",
        row,
        First_Name="JosÃ©",
        Middle_Name="",
        Last_Name="PÃ©rez",
        Email="jose.perez@example.com",
    )
    p.note(
        "mojibake",
        "contacts",
        row,
        "First Name",
        "JosÃ© is José garbled by a wrong encoding (UTF-8 read as Windows-1252)",
    )
    p.note(
        "mojibake",
        "contacts",
        row,
        "Last Name",
        "PÃ©rez is Pérez garbled by a wrong encoding (UTF-8 read as Windows-1252)",
    )


def _plant_matters(p: _Planter) -> None:
    matters, contacts = p.firm["matters"], p.firm["contacts"]
    number = matters["Matter Number"]
    in_trust = isin_any(number, p.firm["trust"]["Matter Number"])
    in_notes = isin_any(number, p.firm["notes"]["Matter Number"])
    quiet = ~isin_any(
        number,
        *(p.firm[e]["Matter Number"] for e in ("activities", "bills", "trust", "calendar", "tasks", "notes")),
    )
    closed = (matters["Status"] == "Closed").to_numpy()

    row = p.pick("matters", ~in_trust & ~in_notes & (number != "000123").to_numpy())
    width = len(contacts["Contact ID"].iloc[0]) - 1
    ghost = _absent(
        (f"C{k:0{width}d}" for k in range(len(contacts) + 37, 10 * len(contacts) + 100)),
        contacts["Contact ID"],
    )
    p.set("matters", row, Client_ID=ghost)
    p.note(
        "matter-without-client",
        "matters",
        row,
        "Client ID",
        f"client {ghost} is not in the client list: the matter would land under an unknown client",
    )

    row = p.pick("matters", closed & quiet if (closed & quiet & ~p.used["matters"]).any() else closed)
    opened = us_days(matters["Open Date"].iloc[[row]])[0]
    close = us_dates(np.array([busday(np.array([opened - 40]), "backward")[0]]))[0]
    p.set("matters", row, Close_Date=str(close))
    p.note(
        "closed-before-opened",
        "matters",
        row,
        "Close Date",
        f"Close Date {close} is before the Open Date {p.get('matters', row, 'Open Date')}",
    )


def _plant_bills(p: _Planter) -> None:
    bills = p.firm["bills"]
    row = p.pick("bills", (bills["Status"] == "Paid").to_numpy())
    total = cents_of(pd.Series([p.get("bills", row, "Total")]))[0]
    paid = money_text(int(total) + 25_000)
    p.set("bills", row, Amount_Paid=paid)
    p.note(
        "paid-more-than-total",
        "bills",
        row,
        "Amount Paid",
        f"Amount Paid {paid} is more than the invoice Total {p.get('bills', row, 'Total')}",
    )


def _plant_trust(p: _Planter) -> None:
    trust, matters = p.firm["trust"], p.firm["matters"]
    client = trust["Client ID"].to_numpy()
    ledgers_per_client = trust.groupby("Client ID")["Matter Number"].nunique()
    single = trust["Client ID"].map(ledgers_per_client).to_numpy() == 1
    last = ~trust.duplicated("Client ID", keep="last").to_numpy()
    withdrawal = (trust["Type"] == "Withdrawal").to_numpy()
    cand = single & last & withdrawal
    row = p.pick("trust", cand if cand.any() else single & last)
    running = trust_running(trust, ["Client ID"])
    cents = cents_of(trust["Amount"])
    before = int(running[row] + (cents[row] if withdrawal[row] else -cents[row]))
    over = before + 100_000
    p.set("trust", row, Type="Withdrawal", Amount=money_text(over))
    overdrawn = str(client[row])
    p.note(
        "trust-overdrawn",
        "trust",
        row,
        "Amount",
        f"withdrawal of {money_text(over)} takes client {overdrawn}'s trust balance from "
        f"{money_text(before)} to -$1,000.00",
    )

    # A later deposit posted to another client's matter, chosen so that no ledger goes below zero.
    ledger = trust_running(trust, ["Client ID", "Matter Number"])
    future_low = (
        pd.Series(ledger[::-1])
        .groupby([client[::-1], trust["Matter Number"].to_numpy()[::-1]])
        .cummin()
        .to_numpy()[::-1]
    )
    deposit = (trust["Type"] == "Deposit").to_numpy() & (
        trust["Description"] != "Initial retainer"
    ).to_numpy()
    row = p.pick("trust", deposit & (future_low >= cents) & (client != overdrawn))
    owner = matters.set_index("Matter Number")["Client ID"]
    others = trust.loc[
        (trust["Client ID"] != client[row]) & (trust["Client ID"] != overdrawn), "Matter Number"
    ]
    target = str(p.rng.choice(others.unique()))
    p.set("trust", row, Matter_Number=target)
    p.note(
        "trust-matter-of-other-client",
        "trust",
        row,
        "Matter Number",
        f"deposit for client {client[row]} posted to matter {target}, "
        f"which belongs to client {owner[target]}",
    )
