"""The matters: clients, lawyers, practice areas, open and close dates, numbering."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from scripts.sample_export.common import (
    AS_OF,
    FIRST_MATTER_DAY,
    YEAR_NUMBERING_FROM,
    BoolArray,
    DayArray,
    IntArray,
    TextArray,
)
from scripts.sample_export.contacts import Contacts
from scripts.sample_export.people import LAWYER_ROLES, PARTNER_ROLES
from scripts.sample_export.vectors import busday, cat, choice, pool, us_dates
from scripts.sample_export.words import PRACTICE, PRACTICE_WEIGHTS


@dataclass
class Matters:
    frame: pd.DataFrame
    client_idx: IntArray
    open_day: DayArray
    end_day: DayArray  # close date, or the export date for open matters
    responsible: IntArray
    area: TextArray
    billing: TextArray
    dormant: BoolArray  # no time, bills or trust on this matter


def build_matters(
    n_matters: int, contacts: Contacts, users: pd.DataFrame, rng: np.random.Generator
) -> Matters:
    n = n_matters
    clients = np.flatnonzero(contacts.is_client)
    weight = rng.pareto(1.6, len(clients)) + 1.0  # a few clients have many matters
    client_idx = clients[choice(rng, len(clients), n, weight.tolist())]

    span = int((AS_OF - 5 - FIRST_MATTER_DAY).astype(np.int64))
    open_day = FIRST_MATTER_DAY + (rng.random(n) ** 0.8 * span).astype(np.int64).astype("timedelta64[D]")
    open_day = np.sort(busday(open_day, "forward"))
    age = (AS_OF - open_day).astype(np.int64)
    u = rng.random(n)
    closed = ((age > 730) & (u < 0.85)) | ((age > 180) & (age <= 730) & (u < 0.35))
    pending = ~closed & (((age < 60) & (u < 0.3)) | (u > 0.97))
    status = np.where(closed, "Closed", np.where(pending, "Pending", "Open")).astype(object)
    length = (30 + rng.gamma(2.0, 180.0, n)).astype(np.int64)
    close_day = busday(open_day + length.astype("timedelta64[D]"), "backward")
    close_day = np.minimum(close_day, busday(np.full(n, AS_OF - 1), "backward"))
    close_day = np.where(closed, close_day, np.datetime64("NaT", "D"))
    end_day = np.where(closed, close_day, AS_OF)

    # Numbering: the old system's zero-padded numbers before 2020, then YYYY-NNNN per year.
    legacy = open_day < YEAR_NUMBERING_FROM
    legacy_no = cat(np.strings.zfill((np.cumsum(legacy) + 100).astype(str), 6))
    year = open_day.astype("datetime64[Y]").astype(np.int64) + 1970
    seq = pd.Series(year).groupby(year).cumcount().to_numpy() + 1
    modern_no = cat(year, "-", np.strings.zfill(seq.astype(str), 4))
    number = np.where(legacy, legacy_no, modern_no)

    areas = list(PRACTICE)
    area_idx = choice(rng, len(areas), n, PRACTICE_WEIGHTS)
    area = pool(areas)[area_idx]
    methods = np.array(["Hourly", "Flat", "Contingency"], dtype=object)
    shares = np.array([PRACTICE[a][1] for a in areas])[area_idx]
    billing = methods[(rng.random(n)[:, None] > np.cumsum(shares, axis=1)).sum(axis=1).clip(0, 2)]
    desc_pool = [PRACTICE[a][0] for a in areas]
    longest = max(len(d) for d in desc_pool)
    desc_table = np.array([[d[i % len(d)] for i in range(longest)] for d in desc_pool], dtype=object)
    phrase = desc_table[area_idx, rng.integers(0, longest, n)]
    description = cat(contacts.display[client_idx], " — ", phrase)

    roles = users["Role"].to_numpy()
    active = users["Active"].to_numpy() == "Y"
    lawyers = np.flatnonzero(np.isin(roles, LAWYER_ROLES) & active)
    partners = np.flatnonzero(np.isin(roles, PARTNER_ROLES) & active)
    if len(lawyers) == 0:
        lawyers = np.arange(len(users))
    if len(partners) == 0:
        partners = lawyers
    responsible = lawyers[choice(rng, len(lawyers), n)]
    originating = np.where(rng.random(n) < 0.7, partners[choice(rng, len(partners), n)], responsible)
    user_ids = users["User ID"].to_numpy()
    dormant = rng.random(n) < 0.05

    frame = pd.DataFrame(
        {
            "Matter Number": number,
            "Client ID": contacts.frame["Contact ID"].to_numpy()[client_idx],
            "Description": description,
            "Practice Area": area,
            "Responsible Attorney": user_ids[responsible],
            "Originating Attorney": user_ids[originating],
            "Status": status,
            "Open Date": us_dates(open_day),
            "Close Date": us_dates(close_day),
            "Billing Method": billing,
        }
    )
    return Matters(frame, client_idx, open_day, end_day, responsible, area, billing, dormant)
