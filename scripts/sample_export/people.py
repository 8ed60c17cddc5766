"""The firm's staff list (users), with each user's rate and leaving date."""

from __future__ import annotations

import numpy as np
import pandas as pd

from scripts.sample_export.common import AS_OF, FIRM_DOMAIN, DayArray, IntArray
from scripts.sample_export.vectors import (
    ascii_slug,
    by_unique,
    cat,
    choice,
    dedupe_codes,
    dedupe_suffix,
    money,
    pool,
    yes_no,
)
from scripts.sample_export.words import FIRST, LAST, MIDDLE, ROLE_RATES, ROLE_SHARES, STAFF

LEFT_FIRM = np.datetime64("2024-06-28", "D")  # when the inactive associate left
LAWYER_ROLES = ("Managing Partner", "Partner", "Senior Associate", "Associate")
PARTNER_ROLES = ("Managing Partner", "Partner")


def build_users(n_users: int, rng: np.random.Generator) -> tuple[pd.DataFrame, IntArray, DayArray]:
    """The staff list; also each user's rate in cents (0 for non-timekeepers) and leaving date."""
    curated = STAFF[: min(n_users, len(STAFF))]
    codes = [s[0] for s in curated]
    first = [s[1] for s in curated]
    middle = [s[2] for s in curated]
    last = [s[3] for s in curated]
    role = [s[4] for s in curated]
    rate = [(s[5] or 0) * 100 for s in curated]
    active = [s[6] == "Y" for s in curated]
    extra = n_users - len(curated)
    if extra > 0:
        roles = list(ROLE_SHARES)
        r_idx = choice(rng, len(roles), extra, list(ROLE_SHARES.values()))
        lo = np.array([ROLE_RATES[r][0] for r in roles])[r_idx]
        hi = np.array([ROLE_RATES[r][1] for r in roles])[r_idx]
        e_first = pool(FIRST)[choice(rng, len(FIRST), extra)]
        e_middle = np.where(rng.random(extra) < 0.5, pool(MIDDLE)[choice(rng, len(MIDDLE), extra)], "")
        e_last = pool(LAST)[choice(rng, len(LAST), extra)]
        codes += cat(
            *(
                np.strings.slice(by_unique(a, ascii_slug).astype(str), 0, 1)
                for a in (e_first, e_middle, e_last)
            )
        ).tolist()
        first += e_first.tolist()
        middle += e_middle.tolist()
        last += e_last.tolist()
        role += pool(roles)[r_idx].tolist()
        rate += (
            ((lo + np.floor(rng.random(extra) * ((hi - lo) // 25 + 1)) * 25) * 100).astype(np.int64).tolist()
        )
        active += (rng.random(extra) > 0.08).tolist()
    f, m, la = pool(first), pool(middle), pool(last)
    user_id = dedupe_codes(np.strings.upper(pool(codes).astype(str)).astype(object))
    name = np.where(m == "", cat(f, " ", la), cat(f, " ", m, " ", la))
    slug_first = by_unique(f, ascii_slug)
    slug_last = by_unique(la, ascii_slug)
    email = cat(slug_first, ".", slug_last, dedupe_suffix(cat(slug_first, ".", slug_last)), "@", FIRM_DOMAIN)
    rate_arr = np.asarray(rate, dtype=np.int64)
    active_arr = np.asarray(active, dtype=bool)
    left = np.full(n_users, np.datetime64("NaT"), dtype="datetime64[D]")
    left[: len(curated)] = np.where(active_arr[: len(curated)], np.datetime64("NaT", "D"), LEFT_FIRM)
    if extra > 0:
        span = int((AS_OF - np.datetime64("2019-01-01")).astype(np.int64))
        rand_left = np.datetime64("2019-01-01") + (rng.random(extra) * span).astype("timedelta64[D]")
        left[len(curated) :] = np.where(active_arr[len(curated) :], np.datetime64("NaT", "D"), rand_left)
    users = pd.DataFrame(
        {
            "User ID": user_id,
            "Name": name,
            "Email": email,
            "Initials": user_id,
            "Role": pool(role),
            "Default Rate": money(rate_arr, blank=rate_arr == 0),
            "Active": yes_no(active_arr),
        }
    )
    return users, rate_arr, left
