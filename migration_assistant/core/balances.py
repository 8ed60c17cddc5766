"""Balances brought forward: what each matter carries into the new system.

The new system takes financial history as opening balances, one line per matter
(trust money held, fees billed but unpaid, work done but not billed), not as
transactions. These figures are what the firm must agree with before the cut-off,
so they are computed here straight from the export, column at a time.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import IO, cast

import numpy as np
import pandas as pd

from migration_assistant.core.atomic import atomic_write
from migration_assistant.core.dataset import Dataset, EntityData
from migration_assistant.core.rules.trust import INFLOW, OUTFLOW

MATTER = "Matter Number"
CLIENT = "Client ID"
TRUST = "Trust Balance"
RECEIVABLE = "Accounts Receivable"
UNBILLED = "Unbilled Work"
COLUMNS = (MATTER, CLIENT, TRUST, RECEIVABLE, UNBILLED)
AMOUNTS = (TRUST, RECEIVABLE, UNBILLED)

NOT_OWED = ("Void", "Draft")
"""Bill statuses that do not count towards accounts receivable: nothing is owed on them."""

RECONCILIATION = (
    "Before the cut-off date, reconcile the trust account three ways: (1) the trust bank statement, "
    "adjusted for cheques not yet cashed and deposits not yet credited; (2) the trust journal in your "
    "books; (3) the total of every client's trust ledger. All three must agree to the cent. The trust "
    "figures below are number (3) as this export shows it: if they differ from the other two, correct "
    "the old system before exporting again, because the new system starts from these balances."
)

# Spreadsheet programs run a cell that starts with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True, slots=True)
class Balances:
    """Opening balances per matter, with firm totals.

    Attributes:
        table: one row per matter (and per client for trust money held without a
            matter), columns :data:`COLUMNS`; amounts rounded to the cent; rows where
            every amount is zero are left out.
        trust_total: the sum of all client trust ledgers.
        receivable_total: fees billed and still owed (bills not Void or Draft).
        unbilled_total: billable work and expenses not billed yet.
        as_of: the latest date in the trust, bill and activity records (ISO), or None.
        has_trust, has_bills, has_activities: whether the export had those records at all.
        notes: plain-English remarks on records that could not be counted, and on
            client ledgers below zero.
        explanation: the three-way reconciliation the firm must do before cut-off.
        amounts_derived: billable, unbilled entries with no readable Amount whose Hours × Rate
            was counted instead.
        amounts_missing: billable, unbilled entries with no readable Amount and no Hours × Rate
            either, left out of the unbilled work.
    """

    table: pd.DataFrame
    trust_total: float
    receivable_total: float
    unbilled_total: float
    as_of: str | None
    has_trust: bool
    has_bills: bool
    has_activities: bool
    notes: tuple[str, ...]
    explanation: str = RECONCILIATION
    amounts_derived: int = 0
    amounts_missing: int = 0

    @property
    def amounts_note(self) -> str:
        """One plain sentence on the unbilled entries counted from hours × rate or left out ("" if none)."""
        parts = []
        if self.amounts_derived:
            parts.append(
                f"{_plural(self.amounts_derived, 'entry has', 'entries have')} no amount, so hours × rate "
                "was counted instead"
            )
        if self.amounts_missing:
            parts.append(
                f"{_plural(self.amounts_missing, 'entry has', 'entries have')} no amount and no hours × rate "
                f"either, and {_was(self.amounts_missing)} left out"
            )
        return f"Unbilled work: {'; '.join(parts)}." if parts else ""

    @property
    def overdrawn(self) -> pd.DataFrame:
        """Rows whose trust balance is below zero (a client ledger must never be)."""
        return self.table[self.table[TRUST] < 0]

    def totals(self) -> dict[str, float]:
        """Firm totals keyed by column name."""
        return {TRUST: self.trust_total, RECEIVABLE: self.receivable_total, UNBILLED: self.unbilled_total}

    def to_csv(self, path: Path) -> None:
        """Write the table plus a "Firm total" line as CSV (UTF-8 with BOM so Excel reads accents).

        The write is atomic: a temporary file in the same folder is renamed over *path*
        only when complete. Matter numbers and client IDs that a spreadsheet would run
        as a formula get a leading apostrophe, which Excel shows as plain text.
        """
        with atomic_write(Path(path), "w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(cast(IO[str], fh))
            writer.writerow(COLUMNS)
            matters = _safe_text(self.table[MATTER])
            clients = _safe_text(self.table[CLIENT])
            amounts = [self.table[col].map("{:.2f}".format) for col in AMOUNTS]
            writer.writerows(zip(matters, clients, *amounts, strict=True))
            writer.writerow(
                [
                    "Firm total",
                    "",
                    f"{self.trust_total:.2f}",
                    f"{self.receivable_total:.2f}",
                    f"{self.unbilled_total:.2f}",
                ]
            )


def _safe_text(series: pd.Series) -> list[str]:
    text = series.astype(str)
    risky = text.str.startswith(_FORMULA_START)
    return list(text.where(~risky, "'" + text))


def _numbers(data: EntityData, name: str) -> pd.Series:
    parsed = data.parsed.get(name)
    if parsed is None:
        return pd.Series(np.nan, index=data.frame.index, dtype="float64")
    return parsed.values.astype("float64")


def _text(data: EntityData, name: str) -> pd.Series:
    if name not in data.present:
        return pd.Series("", index=data.frame.index, dtype=object)
    return data.stripped(name).astype(object)


def _latest(data: EntityData | None, name: str) -> pd.Timestamp | None:
    if data is None or name not in data.parsed:
        return None
    latest = data.parsed[name].values.max()
    return None if pd.isna(latest) else pd.Timestamp(latest)


def _plural(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


def _was(n: int) -> str:
    return "was" if n == 1 else "were"


def compute_balances(dataset: Dataset) -> Balances:
    """Trust, receivable and unbilled balances per matter, from the export's records.

    * Trust: deposits and transfers in minus withdrawals and transfers out, per matter;
      money held for a client without a matter is kept on a line of its own for that client.
    * Accounts receivable: Total − Amount Paid of every bill that is not Void or Draft.
    * Unbilled work: Amount (or Hours × Rate when Amount is blank) of activities marked
      Billable = Y and Billed = N; how many took Hours × Rate, and how many had neither and
      were left out, is counted (:attr:`Balances.amounts_note` says it).

    Args:
        dataset: the export as read by the engine.

    Returns:
        The balances; entities missing from the export simply contribute nothing.
    """
    trust = dataset.get("trust")
    bills = dataset.get("bills")
    acts = dataset.get("activities")
    matters = dataset.get("matters")
    notes: list[str] = []
    derived = missing = 0

    owner: pd.Series = pd.Series(dtype=object)
    if matters is not None and "client_id" in matters.present:
        pairs = pd.DataFrame({"m": _text(matters, "matter_number"), "c": _text(matters, "client_id")})
        pairs = pairs[(pairs["m"] != "") & (pairs["c"] != "")].drop_duplicates("m")
        owner = pd.Series(pairs["c"].to_numpy(), index=pairs["m"].to_numpy(), dtype=object)

    pieces: list[pd.DataFrame] = []
    if trust is not None:
        kind = (
            trust.parsed["type"].values
            if "type" in trust.parsed
            else pd.Series(np.nan, index=trust.frame.index)
        )
        sign = np.where(kind.isin(INFLOW), 1.0, np.where(kind.isin(OUTFLOW), -1.0, np.nan))
        amount = _numbers(trust, "amount").abs() * sign
        no_type = int((np.isnan(sign)).sum())
        no_amount = int((~np.isnan(sign) & amount.isna()).sum())
        if no_type:
            notes.append(
                f"{_plural(no_type, 'trust entry has', 'trust entries have')} no recognisable type (Deposit, "
                f"Withdrawal, Transfer In or Transfer Out) and {_was(no_type)} left out of the trust balances."
            )
        if no_amount:
            notes.append(
                f"{_plural(no_amount, 'trust entry has', 'trust entries have')} an amount that could not be "
                f"read and {_was(no_amount)} left out of the trust balances."
            )
        pieces.append(
            pd.DataFrame(
                {
                    "matter": _text(trust, "matter_number"),
                    "own_client": _text(trust, "client_id"),
                    TRUST: amount,
                }
            ).dropna(subset=[TRUST])
        )
    if bills is not None:
        status = (
            bills.parsed["status"].values
            if "status" in bills.parsed
            else pd.Series(np.nan, index=bills.frame.index)
        )
        total = _numbers(bills, "total")
        owed = ~status.isin(NOT_OWED).to_numpy(dtype=bool)
        unreadable = int((owed & total.isna().to_numpy()).sum())
        if unreadable:
            notes.append(
                f"{_plural(unreadable, 'bill has', 'bills have')} a total that could not be read and "
                f"{_was(unreadable)} left out of accounts receivable."
            )
        outstanding = total - _numbers(bills, "amount_paid").fillna(0.0)
        frame = pd.DataFrame({"matter": _text(bills, "matter_number"), RECEIVABLE: outstanding})
        pieces.append(frame[owed].dropna(subset=[RECEIVABLE]).assign(own_client=""))
    if acts is not None and "billable" in acts.parsed and "billed" in acts.parsed:
        billable = acts.parsed["billable"].values.eq(True).fillna(False).to_numpy(dtype=bool)
        unbilled = acts.parsed["billed"].values.eq(False).fillna(False).to_numpy(dtype=bool)
        # Exports often leave Amount blank on time entries and give Hours and Rate instead.
        amount = _numbers(acts, "amount")
        product = _numbers(acts, "hours") * _numbers(acts, "rate")
        value = amount.fillna(product)
        counted = billable & unbilled
        amountless = counted & amount.isna().to_numpy(dtype=bool)
        derived = int((amountless & product.notna().to_numpy(dtype=bool)).sum())
        missing = int(amountless.sum()) - derived
        frame = pd.DataFrame({"matter": _text(acts, "matter_number"), UNBILLED: value})
        pieces.append(frame[counted].dropna(subset=[UNBILLED]).assign(own_client=""))

    table = _assemble(pieces, owner)
    overdrawn = int((table[TRUST] < 0).sum())
    if overdrawn:
        notes.append(
            f"{_plural(overdrawn, 'trust ledger is', 'trust ledgers are')} below zero. A client can never "
            "have less than nothing in trust: other clients' money covered the gap. Correct this in the old "
            "system before the cut-off."
        )
    dates = [
        d
        for d in (_latest(trust, "date"), _latest(bills, "issue_date"), _latest(acts, "date"))
        if d is not None
    ]
    as_of = max(dates).strftime("%Y-%m-%d") if dates else None
    return Balances(
        table=table,
        trust_total=_cents(table[TRUST].sum()),
        receivable_total=_cents(table[RECEIVABLE].sum()),
        unbilled_total=_cents(table[UNBILLED].sum()),
        as_of=as_of,
        has_trust=trust is not None,
        has_bills=bills is not None,
        has_activities=acts is not None,
        notes=tuple(notes),
        amounts_derived=derived,
        amounts_missing=missing,
    )


def _cents(value: float) -> float:
    # Adding -0.0 turns a rounded negative zero into a plain zero ("-0.00" alarms a bookkeeper).
    return float(round(float(value), 2)) + 0.0


def _assemble(pieces: list[pd.DataFrame], owner: pd.Series) -> pd.DataFrame:
    if not pieces:
        return pd.DataFrame(
            {col: pd.Series(dtype=object if col in (MATTER, CLIENT) else "float64") for col in COLUMNS}
        )
    long = pd.concat(pieces, ignore_index=True)
    for col in AMOUNTS:
        long[col] = long[col].fillna(0.0) if col in long else 0.0
    long["own_client"] = long["own_client"].fillna("")
    has_matter = long["matter"] != ""
    # A matter belongs to the client the matters file names; when the matters file does not
    # know it, to the first client its trust entries name, so one matter never splits in two lines.
    fallback = long[has_matter & (long["own_client"] != "")].groupby("matter")["own_client"].first()
    # Object dtype throughout: an empty lookup maps to float NaN, which will not take text.
    client = long["matter"].map(owner).astype(object)
    client = client.where(client.notna(), long["matter"].map(fallback).astype(object))
    client = client.where(client.notna(), "")
    long["client"] = client.where(has_matter, long["own_client"])
    grouped = long.groupby(["matter", "client"], sort=False)[list(AMOUNTS)].sum().round(2) + 0.0
    grouped = grouped[(grouped != 0).any(axis=1)].reset_index()
    grouped = grouped.rename(columns={"matter": MATTER, "client": CLIENT})
    # Matters in number order; money held without a matter last, by client.
    grouped["_no_matter"] = grouped[MATTER] == ""
    grouped = grouped.sort_values(["_no_matter", MATTER, CLIENT], kind="stable").drop(columns="_no_matter")
    return grouped[list(COLUMNS)].reset_index(drop=True)


def format_money(value: float) -> str:
    """An amount as a bookkeeper writes it: thousands separators, two decimals, minus in front."""
    return f"{value:,.2f}" if value >= 0 else f"-{-value:,.2f}"
