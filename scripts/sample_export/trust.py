"""The trust ledger: deposits and withdrawals that never take a client's or a matter's balance below zero."""

from __future__ import annotations

import numpy as np
import pandas as pd

from scripts.sample_export.common import AS_OF
from scripts.sample_export.contacts import Contacts
from scripts.sample_export.matters import Matters
from scripts.sample_export.vectors import busday, cat, choice, make_ids, money, pool, uniform_days, us_dates
from scripts.sample_export.words import TRUST_AREAS


def build_trust(n_trust: int, matters: Matters, contacts: Contacts, rng: np.random.Generator) -> pd.DataFrame:
    """Client ledgers, one per (client, matter), that never go below zero."""
    eligible = np.flatnonzero(~matters.dormant & np.isin(matters.area, TRUST_AREAS))
    if len(eligible) == 0:
        eligible = np.flatnonzero(~matters.dormant)
    n_ledgers = int(min(len(eligible), max(2, round(n_trust / 7))))
    ledger_m = np.sort(rng.choice(eligible, size=n_ledgers, replace=False))
    start = busday(
        matters.open_day[ledger_m] + rng.integers(0, 6, n_ledgers).astype("timedelta64[D]"), "forward"
    )
    start = np.minimum(start, AS_OF - 3)
    end = np.maximum(matters.end_day[ledger_m], start + 2)
    end = np.minimum(end, AS_OF)
    client = matters.client_idx[ledger_m]

    # Transfers between two ledgers of one client (a client with several matters).
    by_client = np.argsort(client, kind="stable")
    same = client[by_client][1:] == client[by_client][:-1]
    pair_src, pair_dst = by_client[:-1][same], by_client[1:][same]
    lo = np.maximum(start[pair_src], start[pair_dst]) + 1
    hi = np.minimum(end[pair_src], end[pair_dst])
    ok = hi > lo
    pair_src, pair_dst, lo, hi = pair_src[ok], pair_dst[ok], lo[ok], hi[ok]
    n_pairs = min(len(pair_src), round(n_trust * 0.03)) if len(pair_src) else 0
    pick = rng.choice(len(pair_src), size=n_pairs, replace=False) if n_pairs else np.zeros(0, np.int64)
    pair_src, pair_dst, lo, hi = pair_src[pick], pair_dst[pick], lo[pick], hi[pick]
    pair_day = uniform_days(rng, lo, hi)

    n_regular = max(0, n_trust - n_ledgers - 2 * n_pairs)
    reg_ledger = choice(rng, n_ledgers, n_regular)
    reg_day = (
        start[reg_ledger]
        + 1
        + np.floor(rng.random(n_regular) * np.maximum((end - start)[reg_ledger].astype(np.int64) - 1, 1))
        .astype(np.int64)
        .astype("timedelta64[D]")
    )
    reg_day = np.maximum(busday(reg_day, "backward"), start[reg_ledger] + 1)
    reg_deposit = rng.random(n_regular) < 0.25
    reg_amount = np.where(
        reg_deposit,
        np.rint(rng.lognormal(np.log(3000), 0.9, n_regular) / 50) * 5000,
        np.rint(rng.lognormal(np.log(1200), 1.0, n_regular) * 100),
    ).astype(np.int64)
    pair_amount = (np.rint(rng.lognormal(np.log(1500), 0.7, n_pairs) / 10) * 1000).astype(np.int64)

    # kinds: 0 opening deposit, 1 deposit, 2 withdrawal, 3 transfer out, 4 transfer in
    ledger = np.concatenate([np.arange(n_ledgers), reg_ledger, pair_src, pair_dst])
    day = np.concatenate([start, reg_day, pair_day, pair_day])
    kind = np.concatenate(
        [np.zeros(n_ledgers, np.int64), np.where(reg_deposit, 1, 2), np.full(n_pairs, 3), np.full(n_pairs, 4)]
    )
    amount = np.concatenate([np.zeros(n_ledgers, np.int64), reg_amount, pair_amount, pair_amount])
    pair = np.concatenate([np.full(n_ledgers + n_regular, -1), np.arange(n_pairs), np.arange(n_pairs)])
    other = np.concatenate([np.full(n_ledgers + n_regular, -1), pair_dst, pair_src])

    order = np.lexsort((kind, ledger, day))
    ledger, day, kind, amount, pair, other = (
        ledger[order],
        day[order],
        kind[order],
        amount[order],
        pair[order],
        other[order],
    )
    # Size each opening deposit so that its ledger never dips below zero, rounded up to $100.
    sign = np.where(np.isin(kind, (2, 3)), -1, 1)
    running = pd.Series(sign * amount).groupby(ledger).cumsum().to_numpy()
    lowest = pd.Series(running).groupby(ledger).min().reindex(range(n_ledgers)).to_numpy()
    buffer = rng.integers(5, 60, n_ledgers) * 10_000
    opening = np.ceil((np.maximum(-lowest, 0) + buffer) / 10_000).astype(np.int64) * 10_000
    amount = np.where(kind == 0, opening[ledger], amount)

    n = len(ledger)
    matter_no = matters.frame["Matter Number"].to_numpy()
    types = np.array(["Deposit", "Deposit", "Withdrawal", "Transfer Out", "Transfer In"], dtype=object)[kind]
    cheque = cat("Cheque ", rng.integers(1000, 9999, n))
    eft = cat("EFT ", rng.integers(100_000, 999_999, n))
    trf = cat("TRF-", np.strings.zfill((pair + 1).astype(str), 4))
    reference = np.select(
        [kind >= 3, (kind <= 1) & (rng.random(n) < 0.5), kind <= 1], [trf, eft, cheque], cheque
    ).astype(object)
    reference = np.where((kind == 2) & (rng.random(n) < 0.15), "", reference)
    dep_text = pool(
        [
            "Retainer received",
            "Funds received from client",
            "Settlement funds received",
            "Deposit on purchase",
            "Further retainer",
        ]
    )[choice(rng, 5, n)]
    wd_text = pool(
        [
            "Payment of account",
            "Paid to vendor's solicitor",
            "Disbursement: land transfer tax",
            "Refund to client",
            "Paid to mediator",
            "Payment of court costs",
        ]
    )[choice(rng, 6, n)]
    other_no = matter_no[ledger_m[np.maximum(other, 0)]]
    description = np.select(
        [kind == 0, kind == 1, kind == 2, kind == 3],
        [np.full(n, "Initial retainer", dtype=object), dep_text, wd_text, cat("Transfer to ", other_no)],
        cat("Transfer from ", other_no),
    ).astype(object)
    return pd.DataFrame(
        {
            "Transaction ID": make_ids("", 500_001, n, 0),
            "Date": us_dates(day),
            "Client ID": contacts.frame["Contact ID"].to_numpy()[client[ledger]],
            "Matter Number": matter_no[ledger_m[ledger]],
            "Type": types,
            "Amount": money(amount),
            "Reference": reference,
            "Description": description,
        }
    )
