"""The firm's diary: calendar events and tasks on its matters."""

from __future__ import annotations

import numpy as np
import pandas as pd

from scripts.sample_export.common import AS_OF
from scripts.sample_export.matters import Matters
from scripts.sample_export.vectors import choice, make_ids, pool, uniform_days, us_dates, us_datetimes, yes_no
from scripts.sample_export.words import EVENT_NOTES, EVENTS, LOCATIONS, TASKS


def build_calendar(n_events: int, matters: Matters, rng: np.random.Generator) -> pd.DataFrame:
    n = n_events
    live = np.flatnonzero(~matters.dormant)
    m = live[choice(rng, len(live), n)]
    lo = np.maximum(matters.open_day[m], np.datetime64("2024-01-02"))
    hi = np.where(matters.frame["Status"].to_numpy()[m] == "Closed", matters.end_day[m], AS_OF + 120)
    day = uniform_days(rng, np.minimum(lo, hi), hi)
    kind = choice(rng, len(EVENTS), n)
    all_day = np.array([e[1] == 0 for e in EVENTS])[kind]
    no_matter = np.array([e[0] == "Team meeting" for e in EVENTS])[kind]
    start_min = np.where(all_day, 0, rng.integers(18, 31, n) * 30)  # 09:00 to 15:00
    lo_len = np.array([e[1] for e in EVENTS])[kind]
    hi_len = np.array([e[2] for e in EVENTS])[kind]
    length = np.where(all_day, 23 * 60 + 59, (lo_len + rng.random(n) * (hi_len - lo_len)) // 30 * 30)
    start = day.astype("datetime64[m]") + start_min.astype("timedelta64[m]")
    end = start + length.astype(np.int64).astype("timedelta64[m]")
    loc_kind = np.array([e[3] for e in EVENTS], dtype=object)[kind]
    locations = np.full(n, "", dtype=object)
    for key, options in LOCATIONS.items():  # one pass per location kind, not per row
        here = loc_kind == key
        locations[here] = pool(options)[choice(rng, len(options), int(here.sum()))]
    title = pool([e[0] for e in EVENTS])[kind]
    order = np.argsort(start, kind="stable")
    matter_no = np.where(no_matter, "", matters.frame["Matter Number"].to_numpy()[m])
    notes = pool(EVENT_NOTES)[choice(rng, len(EVENT_NOTES), n)]
    return pd.DataFrame(
        {
            "Event ID": make_ids("EV", 1, n, 5),
            "Title": title[order],
            "Start": us_datetimes(start[order]),
            "End": us_datetimes(end[order]),
            "All Day": yes_no(all_day[order]),
            "Location": locations[order],
            "Matter Number": matter_no[order],
            "Description": notes[order],
        }
    )


def build_tasks(
    n_tasks: int, matters: Matters, users: pd.DataFrame, rng: np.random.Generator
) -> pd.DataFrame:
    n = n_tasks
    live = np.flatnonzero(~matters.dormant & (matters.frame["Status"].to_numpy() != "Closed"))
    if len(live) == 0:
        live = np.arange(len(matters.frame))
    m = live[choice(rng, len(live), n)]
    due = uniform_days(rng, np.maximum(matters.open_day[m], AS_OF - 120), np.full(n, AS_OF + 90))
    active = np.flatnonzero(users["Active"].to_numpy() == "Y")
    assignee = np.where(rng.random(n) < 0.5, matters.responsible[m], active[choice(rng, len(active), n)])
    past = due < AS_OF
    u = rng.random(n)
    status = np.where(
        past,
        np.where(u < 0.8, "Completed", "In Progress"),
        np.where(u < 0.6, "Not Started", np.where(u < 0.9, "In Progress", "Waiting")),
    )
    order = np.argsort(due, kind="stable")
    return pd.DataFrame(
        {
            "Task ID": make_ids("TK", 1, n, 5),
            "Name": pool(TASKS)[choice(rng, len(TASKS), n)],
            "Due Date": us_dates(due[order]),
            "Assignee": users["User ID"].to_numpy()[assignee[order]],
            "Matter Number": matters.frame["Matter Number"].to_numpy()[m[order]],
            "Status": status[order].astype(object),
        }
    )
