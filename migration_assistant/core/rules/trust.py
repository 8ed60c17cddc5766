"""Trust-ledger rules: no client below zero, money on the right client's matter, positive amounts.

A client's trust balance below zero means other clients' money covered it, which
regulators treat as misappropriation even when the pooled account is positive.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from migration_assistant.core.dataset import SRC
from migration_assistant.core.findings import Severity
from migration_assistant.core.readers.table import ROW
from migration_assistant.core.rules.base import CheckContext, rule

INFLOW = ("Deposit", "Transfer In")
OUTFLOW = ("Withdrawal", "Transfer Out")


def signed_amounts(ctx: CheckContext) -> pd.Series | None:
    """Trust amounts with the direction from Type: in positive, out negative (NaN where unknown)."""
    data = ctx.entity("trust")
    if data is None or "amount" not in data.parsed or "type" not in data.parsed:
        return None
    amount = data.parsed["amount"].values.abs()
    kind = data.parsed["type"].values
    sign = np.where(kind.isin(INFLOW), 1.0, np.where(kind.isin(OUTFLOW), -1.0, np.nan))
    return amount * sign


@rule("trust-overdraft", Severity.ERROR, "A client's trust balance goes below zero")
def trust_overdraft(ctx: CheckContext) -> None:
    """Each client's running trust balance, in date order, must never go below zero.

    Reported at the transaction that takes the balance below zero (again after it
    recovered), with the balance it leaves.
    """
    data = ctx.entity("trust")
    signed = signed_amounts(ctx)
    if data is None or signed is None or "date" not in data.parsed:
        return
    frame = pd.DataFrame(
        {
            "client": data.stripped("client_id"),
            "date": data.parsed["date"].values,
            "amount": signed.fillna(0.0),
            "src": data.frame[SRC].to_numpy(),
            "row": data.frame[ROW].to_numpy(),
            "order": np.arange(len(data)),
        }
    )
    frame = frame[(frame["client"] != "") & frame["date"].notna()]
    if frame.empty:
        return
    # Same-day deposits are applied before withdrawals, as banks post them; then file order.
    frame["out"] = frame["amount"] < 0
    frame = frame.sort_values(["client", "date", "out", "src", "row"], kind="stable")
    balance = frame.groupby("client", sort=False)["amount"].cumsum().round(2)
    before = (balance - frame["amount"]).round(2)
    crosses = (balance < 0) & (before >= 0)
    mask = np.zeros(len(data), dtype=bool)
    mask[frame.loc[crosses, "order"].to_numpy()] = True
    after = np.zeros(len(data))
    after[frame["order"].to_numpy()] = balance.to_numpy()
    ctx.flag(
        data,
        mask,
        rule="trust-overdraft",
        severity=Severity.ERROR,
        field="amount",
        extra={
            "balance": after,
            "client": data.text("client_id"),
            "date": data.text("date"),
        },
        message=lambda c: (
            f"This withdrawal of {c['value']} on {c['date']} leaves client {c['client']}'s trust balance at "
            f"{c['balance']:,.2f}: a client's trust money can never go below zero."
        ),
        hint=(
            "Find the missing deposit or the wrong-client posting in the old system and correct it there; "
            "keep a copy of the client's trust ledger report for the specialist."
        ),
    )


@rule("trust-wrong-client", Severity.ERROR, "Trust money on a matter of another client")
def trust_wrong_client(ctx: CheckContext) -> None:
    """A trust transaction's matter belongs to a different client than the transaction's client."""
    data = ctx.entity("trust")
    matters = ctx.entity("matters")
    if (
        data is None
        or matters is None
        or "matter_number" not in data.present
        or "client_id" not in matters.present
    ):
        return
    # Plain lists: stepping through Arrow-backed columns one cell at a time is slow.
    owner = dict(
        zip(matters.stripped("matter_number").tolist(), matters.stripped("client_id").tolist(), strict=True)
    )
    matter = data.stripped("matter_number")
    expected = matter.map(owner)
    client = data.stripped("client_id")
    bad = (expected.notna() & (expected != "") & (client != "") & (expected != client)).to_numpy(dtype=bool)
    ctx.flag(
        data,
        bad,
        rule="trust-wrong-client",
        severity=Severity.ERROR,
        field="matter_number",
        extra={"client": client, "owner": expected.fillna("")},
        message=lambda c: (
            f"Matter {c['value']} belongs to client {c['owner']}, but this trust entry is for client {c['client']}."
        ),
        hint="Post the money to the right client or matter in the old system before exporting again.",
    )


@rule("trust-amount", Severity.ERROR, "A trust amount that is zero or negative")
def trust_amount(ctx: CheckContext) -> None:
    """Trust amounts must be positive; the Type column says whether money came in or went out."""
    data = ctx.entity("trust")
    if data is None or "amount" not in data.parsed:
        return
    amount = data.parsed["amount"].values
    bad = (amount <= 0).fillna(False).to_numpy(dtype=bool)
    ctx.flag(
        data,
        bad,
        rule="trust-amount",
        severity=Severity.ERROR,
        field="amount",
        message=lambda c: f"Trust amount {c['value']} must be above zero.",
        hint="Write the amount as a positive number and use Type (Deposit, Withdrawal, Transfer In/Out) "
        "for the direction.",
    )
