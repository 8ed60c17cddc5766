"""Money and time rules: negative values, over-long days, amounts that don't add up, bills and invoices."""

from __future__ import annotations

import numpy as np
import pandas as pd

from migration_assistant.core.dataset import EntityData
from migration_assistant.core.findings import Severity
from migration_assistant.core.rules.base import CheckContext, rule

CENT = 0.005
_FLOAT_SLACK = 1e-6
# Running totals come from one cumulative sum over the whole file, whose rounding grows with it.
_HOURS_SLACK = 1e-6


@rule("negative-value", Severity.ERROR, "A negative amount or number of hours")
def negative_value(ctx: CheckContext) -> None:
    """Numbers the schema requires to be zero or more (hours, rates, amounts, payments)."""
    for data in ctx.dataset.entities.values():
        if data.name == "trust":
            continue  # trust amounts have their own, stricter rule
        for f in data.entity.fields:
            parsed = data.parsed.get(f.name)
            if parsed is None or f.minimum is None:
                continue
            below = (parsed.values < f.minimum).fillna(False).to_numpy(dtype=bool)
            ctx.flag(
                data,
                below,
                rule="negative-value",
                severity=Severity.ERROR,
                field=f.name,
                message=lambda c, title=f.title: f"{title} is negative ({c['value']}).",
                hint=(
                    "Corrections and write-offs should be separate adjustments in the old system; "
                    "enter a positive value or ask your specialist how to bring this across."
                ),
            )


def time_entries(data: EntityData) -> np.ndarray:
    """Rows that are time entries: Type "Time" after the source's value map (Clio's blank type and
    "TimeEntry", PracticePanther's "Fee"), not expenses, whose quantity is a count, never hours."""
    parsed = data.parsed.get("type")
    if parsed is None:
        # No Type column: nothing says an entry is an expense, so its hours are hours.
        return (
            np.ones(len(data), dtype=bool) if "type" not in data.present else np.zeros(len(data), dtype=bool)
        )
    return np.asarray((parsed.values == "Time").fillna(False).to_numpy(), dtype=bool)


@rule("over-24-hours", Severity.ERROR, "More than 24 hours by one person on one day", slow=True)
def over_24_hours(ctx: CheckContext) -> None:
    """A timekeeper's hours on one day add up to more than 24; reported at the entry that crosses 24.

    Time entries only: an expense's quantity is a count (three copies, two nights), never hours.
    """
    data = ctx.entity("activities")
    if data is None or not {"hours", "user_id", "date"} <= set(data.parsed) | data.present:
        return
    if "hours" not in data.parsed or "date" not in data.parsed:
        return
    hours = data.parsed["hours"].values.fillna(0.0).clip(lower=0).to_numpy()
    # The timekeeper as resolved (core/people.py): "JDS" and "Jonathan Sutherland" are one person.
    resolved = data.parsed.get("user_id")
    people = resolved.values.astype(object) if resolved is not None else data.stripped("user_id")
    user_codes, _ = pd.factorize(people)
    day = data.parsed["date"].values.to_numpy().astype("datetime64[D]").astype(np.int64)
    known_day = ~np.isnat(data.parsed["date"].values.to_numpy())
    usable = (user_codes >= 0) & known_day & (data.stripped("user_id") != "").to_numpy() & time_entries(data)
    if not usable.any():
        return
    # One integer key per person-day (days counted from the earliest, so keys of two people never
    # meet however wide the dates spread). Only days whose total passes 24 hours can hold the
    # entry that crosses it, so the running total in file order is worked out for those alone.
    offset = day - day[usable].min()
    key = user_codes.astype(np.int64) * (int(offset[usable].max()) + 1) + offset
    rows = np.flatnonzero(usable)
    groups, _ = pd.factorize(key[rows])
    sums = np.bincount(groups, weights=hours[rows])
    heavy = sums[groups] > 24 + _HOURS_SLACK
    rows, groups = rows[heavy], groups[heavy]
    mask = np.zeros(len(data), dtype=bool)
    totals = np.zeros(len(data))
    if len(rows):
        order = np.argsort(groups, kind="stable")  # by day, file order kept within it
        rows, groups = rows[order], groups[order]
        sorted_hours = hours[rows]
        starts = np.r_[True, groups[1:] != groups[:-1]]
        cumulative = np.cumsum(sorted_hours)
        running = cumulative - (cumulative - sorted_hours)[starts][np.cumsum(starts) - 1]
        crosses = (running > 24 + _HOURS_SLACK) & (running - sorted_hours <= 24 + _HOURS_SLACK)
        mask[rows[crosses]] = True
        totals[rows] = sums[groups]
    ctx.flag(
        data,
        mask,
        rule="over-24-hours",
        severity=Severity.ERROR,
        field="hours",
        extra={"total": totals, "user": data.text("user_id"), "day": data.text("date")},
        message=lambda c: (
            f"{c['user']} has {c['total']:.2f} hours on {c['day']}: this entry takes the day past 24 hours."
        ),
        hint="Check the hours and the dates of this person's entries for that day (a decimal point or a "
        "minutes-as-hours mistake is common).",
    )


@rule("amount-mismatch", Severity.WARNING, "Amount is not hours times rate")
def amount_mismatch(ctx: CheckContext) -> None:
    """A time entry whose Amount differs from Hours × Rate by more than half a cent."""
    data = ctx.entity("activities")
    if data is None or not {"hours", "rate", "amount"} <= set(data.parsed):
        return
    hours = data.parsed["hours"].values
    rate = data.parsed["rate"].values
    amount = data.parsed["amount"].values
    is_time = time_entries(data) if "type" in data.present else np.zeros(len(data), dtype=bool)
    expected = hours * rate
    # Any amount within half a cent of the exact product is a correct rounding of it (half-up or
    # half-even); rounding the float product first would reject 0.1 h x 2.25 = 0.23.
    off = (expected - amount).abs().gt(CENT + _FLOAT_SLACK)
    # "(300.00)" for 1.5 h x 200: only the sign differs, which the negative-value rule reports
    # in plainer words; saying the amount is also wrong would count one problem twice.
    sign_only = (amount < 0) & (expected + amount).abs().le(CENT + _FLOAT_SLACK)
    bad = is_time & (off & ~sign_only).fillna(False).to_numpy(dtype=bool)
    ctx.flag(
        data,
        bad,
        rule="amount-mismatch",
        severity=Severity.WARNING,
        field="amount",
        extra={
            "hours": data.text("hours"),
            "rate": data.text("rate"),
            "expected": expected,
        },
        message=lambda c: (
            f"Amount {c['value']} is not {c['hours']} hours × {c['rate']} (= {c['expected']:,.2f})."
        ),
        hint="If a discount or write-down was applied, keep it as a separate line; otherwise correct the amount.",
    )


@rule("time-without-hours", Severity.ERROR, "A time entry with no hours")
def time_without_hours(ctx: CheckContext) -> None:
    """Time entries need a quantity of hours; an expense does not."""
    data = ctx.entity("activities")
    if data is None or "hours" not in data.parsed:
        return
    is_time = time_entries(data) if "type" in data.present else np.zeros(len(data), dtype=bool)
    ctx.flag(
        data,
        is_time & data.parsed["hours"].blank,
        rule="time-without-hours",
        severity=Severity.ERROR,
        field="hours",
        message="This time entry has no hours, so it cannot be imported as time.",
        hint="Enter the hours worked (decimal hours, e.g. 1.5).",
    )


@rule("billed-without-invoice", Severity.WARNING, "A billed entry with no invoice number")
def billed_without_invoice(ctx: CheckContext) -> None:
    """An entry marked billed must say which invoice billed it, or it cannot be reconciled."""
    data = ctx.entity("activities")
    if data is None or "billed" not in data.parsed or "invoice_number" not in data.present:
        return
    billed = data.parsed["billed"].values.fillna(False).to_numpy(dtype=bool)
    no_invoice = (data.stripped("invoice_number") == "").to_numpy()
    ctx.flag(
        data,
        billed & no_invoice,
        rule="billed-without-invoice",
        severity=Severity.WARNING,
        field="invoice_number",
        message="This entry is marked as billed but has no invoice number.",
        hint="Add the invoice number, or mark the entry as not billed if it still has to be invoiced.",
    )


@rule("overpaid-bill", Severity.ERROR, "A bill paid more than its total")
def overpaid_bill(ctx: CheckContext) -> None:
    """Amount Paid above the bill's Total (a credit that belongs elsewhere, or a typo)."""
    data = ctx.entity("bills")
    if data is None or not {"total", "amount_paid"} <= set(data.parsed):
        return
    total = data.parsed["total"].values
    paid = data.parsed["amount_paid"].values
    bad = (paid - total).gt(CENT).fillna(False).to_numpy(dtype=bool)
    ctx.flag(
        data,
        bad,
        rule="overpaid-bill",
        severity=Severity.ERROR,
        field="amount_paid",
        extra={"total": data.text("total")},
        message=lambda c: f"This bill was paid {c['value']}, more than its total of {c['total']}.",
        hint="Move the overpayment to a client credit or trust in the old system, or correct the figures.",
    )
