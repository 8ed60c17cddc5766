"""The generator's vocabulary: names, streets, companies, descriptions, read from ``data/*.json``.

The word lists are data, not code; this module gives them the shapes the generator
uses (tuples where the old system's records are fixed, dicts in file order). Changing a
list changes the sample export: rerun ``scripts/make_sample_export.py`` and commit the
result with it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data"


def _load(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))
    return loaded


_staff = _load("staff")
_names = _load("names")
_contacts = _load("contacts")
_matters = _load("matters")
_activities = _load("activities")
_calendar = _load("calendar")
_notes = _load("notes")

# (user ID, first, middle, last, role, rate in dollars or None, active)
STAFF: list[tuple[str, str, str, str, str, int | None, str]] = [tuple(s) for s in _staff["staff"]]  # type: ignore[misc]
ROLE_RATES: dict[str, tuple[int, int]] = {  # generated users: rate range in dollars
    role: (low, high) for role, (low, high) in _staff["role_rates"].items()
}
ROLE_SHARES: dict[str, float] = _staff["role_shares"]

FIRST: list[str] = _names["first"]
MIDDLE: list[str] = _names["middle"]
LAST: list[str] = _names["last"]

CO_WORD: list[str] = _contacts["company_words"]
CO_TRADE: list[str] = _contacts["company_trades"]
CO_SUFFIX: list[str] = _contacts["company_suffixes"]
CO_SPECIAL: list[str] = _contacts["company_special"]
JOB_TITLES: list[str] = _contacts["job_titles"]
# (city, province/state, country, postal prefix letter or "" for US zip, area codes)
CITIES: list[tuple[str, str, str, str, tuple[str, ...]]] = [
    (c["city"], c["province"], c["country"], c["postal_letter"], tuple(c["area_codes"]))
    for c in _contacts["cities"]
]
CITY_WEIGHTS: list[float] = [c["weight"] for c in _contacts["cities"]]
STREETS: list[str] = _contacts["streets"]
CONTACT_NOTES: list[str] = _contacts["notes"]
COMPANY_NOTES = 5  # the first five notes suit a company as well as a person

# area: (matter descriptions, (Hourly, Flat, Contingency) shares)
PRACTICE: dict[str, tuple[list[str], tuple[float, float, float]]] = {
    area: (a["descriptions"], tuple(a["billing_shares"])) for area, a in _matters["practice_areas"].items()
}
PRACTICE_WEIGHTS: list[float] = [a["weight"] for a in _matters["practice_areas"].values()]
TRUST_AREAS: tuple[str, ...] = tuple(_matters["trust_areas"])

# (activity code, descriptions) for time entries
TIME_WORK: list[tuple[str, list[str]]] = [(w["code"], w["descriptions"]) for w in _activities["time_work"]]
MULTILINE_TIME: list[str] = _activities["multiline_time"]
# (code, description, low, high) in dollars; low == high is a fixed fee
EXPENSES: list[tuple[str, str, float, float]] = [
    (code, text, float(low), float(high)) for code, text, low, high in _activities["expenses"]
]

EVENTS: list[tuple[str, int, int, str]] = [  # (title, min minutes, max minutes, location kind)
    (title, low, high, kind) for title, low, high, kind in _calendar["events"]
]
LOCATIONS: dict[str, list[str]] = _calendar["locations"]
EVENT_NOTES: list[str] = _calendar["event_notes"]
TASKS: list[str] = _calendar["tasks"]

NOTE_SUBJECTS: list[str] = _notes["subjects"]
NOTE_BODIES: list[str] = _notes["bodies"]  # cp1252-safe: the notes file is written in Windows-1252
