"""Checks of the clean data, before any problem is planted: every reference resolves, the sums add up."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from scripts.sample_export.common import BoolArray, DayArray, Firm, IntArray


def cents_of(values: pd.Series) -> IntArray:
    """Parse "$1,234.56" / "-$175.00" text to integer cents ("" -> 0)."""
    text = values.str.replace(r"[$,]", "", regex=True).replace("", "0")
    cents: IntArray = np.rint(pd.to_numeric(text).to_numpy(dtype=float) * 100).astype(np.int64)
    return cents


def us_days(values: pd.Series) -> DayArray:
    return pd.to_datetime(values, format="%m/%d/%Y", errors="coerce").to_numpy().astype("datetime64[D]")


def isin_any(left: pd.Series, *rights: pd.Series) -> BoolArray:
    """``left.isin(rights)`` via pyarrow (pandas 3's ``isin`` on str columns loops over values in Python)."""
    value_set = pc.unique(
        pa.concat_arrays([pa.array(r.to_numpy(dtype=object), type=pa.string()) for r in rights])
    )
    found = pc.is_in(pa.array(left.to_numpy(dtype=object), type=pa.string()), value_set=value_set)
    return np.asarray(found.to_numpy(zero_copy_only=False), dtype=bool)


def trust_running(trust: pd.DataFrame, by: Sequence[str]) -> IntArray:
    """Running balance in file order, per client (``by=["Client ID"]``) or per ledger."""
    cents = cents_of(trust["Amount"])
    sign = np.where(trust["Type"].isin(["Withdrawal", "Transfer Out"]).to_numpy(), -1, 1)
    keys = [trust[c].to_numpy() for c in by]
    return np.asarray(pd.Series(sign * cents).groupby(keys).cumsum().to_numpy(), dtype=np.int64)


def integrity_problems(firm: Firm) -> list[str]:
    """What is wrong with an export, in the few ways this generator plants problems (empty when clean)."""
    problems: list[str] = []
    keys = {
        "users": "User ID",
        "contacts": "Contact ID",
        "matters": "Matter Number",
        "activities": "Entry ID",
        "bills": "Invoice Number",
        "trust": "Transaction ID",
        "calendar": "Event ID",
        "tasks": "Task ID",
        "notes": "Note ID",
    }
    for entity, key in keys.items():
        if firm[entity][key].duplicated().any():
            problems.append(f"{entity}: duplicate {key}")
    refs = [
        ("matters", "Client ID", "contacts", "Contact ID"),
        ("matters", "Responsible Attorney", "users", "User ID"),
        ("activities", "Matter Number", "matters", "Matter Number"),
        ("activities", "User ID", "users", "User ID"),
        ("activities", "Invoice Number", "bills", "Invoice Number"),
        ("bills", "Matter Number", "matters", "Matter Number"),
        ("trust", "Client ID", "contacts", "Contact ID"),
        ("trust", "Matter Number", "matters", "Matter Number"),
        ("calendar", "Matter Number", "matters", "Matter Number"),
        ("tasks", "Assignee", "users", "User ID"),
        ("tasks", "Matter Number", "matters", "Matter Number"),
        ("notes", "Matter Number", "matters", "Matter Number"),
        ("notes", "Contact ID", "contacts", "Contact ID"),
    ]
    for entity, column, target, target_column in refs:
        values = firm[entity][column]
        missing = (values != "").to_numpy() & ~isin_any(values, firm[target][target_column])
        if missing.any():
            problems.append(f"{entity}.{column}: {int(missing.sum())} values not in {target}")
    acts = firm["activities"]
    both = (acts["Hours"] != "") & (acts["Rate"] != "")
    hund = np.rint(pd.to_numeric(acts["Hours"].replace("", "0")).to_numpy(dtype=float) * 100).astype(np.int64)
    expected = (hund * cents_of(acts["Rate"]) + 50) // 100
    if (both.to_numpy() & (expected != cents_of(acts["Amount"]))).any():
        problems.append("activities: Amount is not Hours x Rate")
    if (hund < 0).any():
        problems.append("activities: negative hours")
    daily = pd.Series(hund).groupby([acts["User ID"].to_numpy(), acts["Date"].to_numpy()]).sum()
    if (daily > 2400).any():
        problems.append("activities: more than 24 hours on one day")
    if np.isnat(us_days(acts["Date"])).any():
        problems.append("activities: unreadable date")
    invoice = acts["Invoice Number"]
    billed_to = (invoice != "").to_numpy() & isin_any(invoice, firm["bills"]["Invoice Number"])
    matter_of_bill = firm["bills"].set_index("Invoice Number")["Matter Number"]
    if (
        acts.loc[billed_to, "Matter Number"]
        != matter_of_bill.reindex(acts.loc[billed_to, "Invoice Number"]).to_numpy()
    ).any():
        problems.append("activities: billed to an invoice of another matter")
    bills = firm["bills"]
    if (cents_of(bills["Amount Paid"]) > cents_of(bills["Total"])).any():
        problems.append("bills: Amount Paid above Total")
    matters = firm["matters"]
    if (us_days(matters["Close Date"]) < us_days(matters["Open Date"])).any():
        problems.append("matters: closed before opened")
    trust = firm["trust"]
    if (trust_running(trust, ["Client ID"]) < 0).any():
        problems.append("trust: a client balance goes below zero")
    if (trust_running(trust, ["Client ID", "Matter Number"]) < 0).any():
        problems.append("trust: a matter balance goes below zero")
    owner = matters.set_index("Matter Number")["Client ID"]
    if (owner.reindex(trust["Matter Number"]).to_numpy() != trust["Client ID"].to_numpy()).any():
        problems.append("trust: matter of another client")
    return problems
