"""Time and expense entries, and the invoices that bill them."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from scripts.sample_export.bills import billing_period, build_bills
from scripts.sample_export.common import AS_OF, DayArray, IntArray, TextArray
from scripts.sample_export.matters import Matters
from scripts.sample_export.people import PARTNER_ROLES
from scripts.sample_export.vectors import choice, hours, make_ids, money, pool, uniform_days, us_dates, yes_no
from scripts.sample_export.words import EXPENSES, MULTILINE_TIME, TIME_WORK


def _multiline(rng: np.random.Generator, text: TextArray, share: float) -> TextArray:
    pick = rng.random(len(text)) < share
    return np.where(pick, pool(MULTILINE_TIME)[choice(rng, len(MULTILINE_TIME), len(text))], text)


@dataclass
class Activities:
    frame: pd.DataFrame
    bills: pd.DataFrame


def build_activities(
    n_activities: int,
    matters: Matters,
    users: pd.DataFrame,
    rates: IntArray,
    left: DayArray,
    rng: np.random.Generator,
    multiline_share: float,
) -> Activities:
    n = n_activities
    live = np.flatnonzero(~matters.dormant)
    weight = rng.lognormal(0.0, 1.5, len(live))
    m = live[choice(rng, len(live), n, weight.tolist())]
    day = uniform_days(rng, matters.open_day[m], matters.end_day[m])

    timekeepers = np.flatnonzero(rates > 0)
    role = users["Role"].to_numpy()
    tk_weight = np.select(
        [
            np.isin(role[timekeepers], PARTNER_ROLES),
            role[timekeepers] == "Senior Associate",
            role[timekeepers] == "Associate",
        ],
        [0.6, 1.2, 1.4],
        0.9,
    )
    user = np.where(
        rng.random(n) < 0.4,
        matters.responsible[m],
        timekeepers[choice(rng, len(timekeepers), n, tk_weight.tolist())],
    )
    gone = ~np.isnat(left[user]) & (day > left[user])
    user = np.where(gone, matters.responsible[m], user)

    is_expense = rng.random(n) < 0.12
    # Hours: mostly tenths of an hour, some quarter hours; in hundredths.
    tenths = np.clip(np.rint(rng.lognormal(np.log(0.9), 0.75, n) * 10), 1, 80).astype(np.int64) * 10
    quarters = np.clip(np.rint(rng.lognormal(np.log(1.0), 0.7, n) * 4), 1, 32).astype(np.int64) * 25
    hrs = np.where(rng.random(n) < 0.7, tenths, quarters)
    hrs = np.where(is_expense, 0, hrs)
    # Nobody records more than 10 hours a day in the clean data.
    day_total = pd.Series(hrs).groupby([user, day.astype(np.int64)]).transform("sum").to_numpy()
    over = day_total > 1000
    hrs = np.where(over, np.maximum(10, (hrs * 1000 // np.maximum(day_total, 1)) // 10 * 10), hrs)

    rate = rates[user]
    time_amount = (hrs * rate + 50) // 100
    ex_idx = choice(rng, len(EXPENSES), n)
    lo = np.array([e[2] for e in EXPENSES])[ex_idx]
    hi = np.array([e[3] for e in EXPENSES])[ex_idx]
    ex_amount = np.rint((lo + rng.random(n) * (hi - lo)) * 100).astype(np.int64)
    ex_amount = np.where(hi - lo > 500, ex_amount // 100 * 100, ex_amount)
    ex_unit = is_expense & (rng.random(n) < 0.4)  # "1" in Hours and the cost in Rate
    amount = np.where(is_expense, ex_amount, time_amount)

    work = choice(rng, len(TIME_WORK), n)
    code_pool = pool([w[0] for w in TIME_WORK])
    longest = max(len(w[1]) for w in TIME_WORK)
    desc_table = np.array([[w[1][i % len(w[1])] for i in range(longest)] for w in TIME_WORK], dtype=object)
    time_desc = _multiline(rng, desc_table[work, rng.integers(0, longest, n)], multiline_share / 0.88)
    description = np.where(is_expense, pool([e[1] for e in EXPENSES])[ex_idx], time_desc)
    code = np.where(is_expense, pool([e[0] for e in EXPENSES])[ex_idx], code_pool[work])

    method = matters.billing[m]
    billable = np.where(
        is_expense,
        rng.random(n) < 0.97,
        np.where(
            method == "Hourly", rng.random(n) < 0.93, np.where(method == "Flat", rng.random(n) < 0.1, False)
        ),
    )
    # Billing: by matter and six-month period, for periods that ended before the export.
    period = billing_period(day)
    current_period = billing_period(np.array([AS_OF]))[0]
    billed = billable & (period < current_period) & (rng.random(n) < 0.97)

    order = np.lexsort((m, user, day))
    m, day, user, hrs, rate, amount = (
        m[order],
        day[order],
        user[order],
        hrs[order],
        rate[order],
        amount[order],
    )
    is_expense, ex_unit, billable, billed = is_expense[order], ex_unit[order], billable[order], billed[order]
    description, code, period = description[order], code[order], period[order]

    bills, invoice = build_bills(m, period, amount, billed, billable, matters, rng)

    user_ids = users["User ID"].to_numpy()
    blank_hours = is_expense & ~ex_unit
    hours_hund = np.where(ex_unit, 100, hrs)
    rate_cents = np.where(ex_unit, amount, rate)
    frame = pd.DataFrame(
        {
            "Entry ID": make_ids("", 100_001, n, 0),
            "Type": np.where(is_expense, "Expense", "Time").astype(object),
            "Date": us_dates(day),
            "User ID": user_ids[user],
            "Matter Number": matters.frame["Matter Number"].to_numpy()[m],
            "Description": description,
            "Hours": np.where(ex_unit, "1", hours(hours_hund, blank=blank_hours)).astype(object),
            "Rate": money(rate_cents, blank=blank_hours),
            "Amount": money(amount),
            "Billable": yes_no(billable),
            "Billed": yes_no(billed),
            "Invoice Number": invoice,
            "Activity Code": code,
        }
    )
    return Activities(frame, bills)
