"""The invoices: one per matter and billing period, totalling the entries billed on it."""

from __future__ import annotations

import numpy as np
import pandas as pd

from scripts.sample_export.common import AS_OF, BILLING_MONTHS, BoolArray, DayArray, IntArray, TextArray
from scripts.sample_export.matters import Matters
from scripts.sample_export.vectors import busday, make_ids, money, us_dates


def billing_period(day: DayArray) -> IntArray:
    """The billing period of each day: the firm sends interim accounts twice a year."""
    month = day.astype("datetime64[M]").astype(np.int64)
    return np.asarray(month // BILLING_MONTHS, dtype=np.int64)


def period_end(period: IntArray) -> DayArray:
    return ((period + 1) * BILLING_MONTHS).astype("datetime64[M]").astype("datetime64[D]") - 1


def build_bills(
    m: IntArray,
    period: IntArray,
    amount: IntArray,
    billed: BoolArray,
    billable: BoolArray,
    matters: Matters,
    rng: np.random.Generator,
) -> tuple[pd.DataFrame, TextArray]:
    """One invoice per matter and period for billed entries, a few voided and re-issued, and drafts."""
    key = m * 100_000 + period
    keys, inverse = np.unique(key[billed], return_inverse=True)
    total = np.bincount(inverse, weights=amount[billed]).astype(np.int64)
    bill_m = keys // 100_000
    bill_q = keys % 100_000
    issue = busday(period_end(bill_q) + rng.integers(3, 20, len(keys)).astype("timedelta64[D]"), "forward")
    issue = np.minimum(issue, AS_OF - 1)
    kind = np.zeros(len(keys), dtype=np.int64)  # 0 issued, 1 void, 2 draft

    void = rng.random(len(keys)) < 0.02  # voided, then re-issued a few days later
    void_issue = busday(issue[void] - 6, "backward")

    current = billing_period(np.array([AS_OF]))[0]
    wip = billable & (period == current)
    d_keys, d_inv = np.unique(m[wip], return_inverse=True)
    d_total = np.bincount(d_inv, weights=amount[wip]).astype(np.int64)
    draft = rng.random(len(d_keys)) < 0.3
    all_m = np.concatenate([bill_m, bill_m[void], d_keys[draft]])
    all_issue = np.concatenate([issue, void_issue, np.full(int(draft.sum()), AS_OF - 2)])
    all_total = np.concatenate([total, total[void], d_total[draft]])
    all_kind = np.concatenate([kind, np.ones(int(void.sum()), np.int64), np.full(int(draft.sum()), 2)])
    source = np.concatenate([np.arange(len(keys)), np.full(int(void.sum() + draft.sum()), -1)])

    order = np.lexsort((all_kind == 0, all_m, all_issue))
    all_m, all_issue, all_total, all_kind, source = (
        all_m[order],
        all_issue[order],
        all_total[order],
        all_kind[order],
        source[order],
    )
    number = make_ids("", 10_001, len(all_m), 0)
    invoice_of_key = np.empty(len(keys), dtype=object)
    invoice_of_key[source[source >= 0]] = number[source >= 0]
    invoice = np.full(len(m), "", dtype=object)
    invoice[billed] = invoice_of_key[inverse]

    age = (AS_OF - all_issue).astype(np.int64)
    u = rng.random(len(all_m))
    status = np.where(
        age > 90,
        np.where(u < 0.86, "Paid", np.where(u < 0.95, "Partial", "Unpaid")),
        np.where(u < 0.3, "Paid", np.where(u < 0.5, "Partial", "Unpaid")),
    ).astype(object)
    status = np.where(all_kind == 1, "Void", np.where(all_kind == 2, "Draft", status))
    paid = np.where(
        status == "Paid",
        all_total,
        np.where(status == "Partial", (all_total * (0.2 + 0.6 * rng.random(len(all_m)))).astype(np.int64), 0),
    )
    due = np.where(all_kind == 2, np.datetime64("NaT", "D"), all_issue + 30)
    bills = pd.DataFrame(
        {
            "Invoice Number": number,
            "Matter Number": matters.frame["Matter Number"].to_numpy()[all_m],
            "Issue Date": us_dates(all_issue),
            "Due Date": us_dates(due),
            "Total": money(all_total),
            "Amount Paid": money(paid),
            "Status": status,
        }
    )
    return bills, invoice
