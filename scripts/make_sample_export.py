"""Generate the bundled sample export of a fictional firm, Harbourview Legal LLP.

Running ``.venv/bin/python scripts/make_sample_export.py`` rewrites, byte for byte the
same on every run (one fixed seed, a fixed export date, fixed workbook timestamps):

* ``resources/samples/sample-firm/``: the export files only, named as a firm would name
  them (the app has to recognise each file's role from its headers);
* ``resources/samples/README.md``: what the files are, with every planted problem;
* ``tests/data/sample_expected_problems.json``: the planted problems, for the tests.

The generation is importable and vectorised (numpy arrays, formatting done once per
distinct value, no per-row Python loops) so ``bench/generate.py`` builds a
million-row export with the same code::

    firm = build_firm(n_contacts=40_000, n_matters=50_000, n_activities=1_000_000, seed=7)
    planted = plant_problems(firm, seed=7)
    write_export(firm, out_dir, BENCH_LAYOUT)

:func:`build_firm` returns clean data: every reference resolves, amounts equal hours
times rate, trust balances never go below zero, bills total their billed entries.
:func:`plant_problems` then changes a handful of known cells and says where.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import sys
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_DIR = ROOT / "resources" / "samples" / "sample-firm"
SAMPLE_README = ROOT / "resources" / "samples" / "README.md"
EXPECTED_JSON = ROOT / "tests" / "data" / "sample_expected_problems.json"
SCHEMA_JSON = ROOT / "resources" / "schema" / "migration-schema.json"

FIRM_NAME = "Harbourview Legal LLP"
FIRM_DOMAIN = "harbourviewlegal.example"
SEED = 20251114
AS_OF = np.datetime64("2025-11-14", "D")
"""The day the firm ran its export: nothing in the files is dated later, except future
calendar events and task due dates."""
FIRST_MATTER_DAY = np.datetime64("2017-01-03", "D")
YEAR_NUMBERING_FROM = np.datetime64("2020-01-01", "D")
BILLING_MONTHS = 6
"""Matters opened earlier keep the old system's zero-padded numbers ("000123")."""

SAMPLE_SIZES: dict[str, int] = {
    "n_users": 12,
    "n_contacts": 300,
    "n_matters": 350,
    "n_activities": 4_000,
    "n_trust": 600,
    "n_events": 200,
    "n_tasks": 150,
    "n_notes": 250,
}

# The template headers, in the schema's order: the schema is the one place they are written.
HEADERS: dict[str, list[str]] = {
    resource["name"]: [f["title"] for f in resource["schema"]["fields"]]
    for resource in json.loads(SCHEMA_JSON.read_text(encoding="utf-8"))["resources"]
}
"""The template headers of DESIGN.md, entity by entity, in template order."""

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
DayArray = npt.NDArray[np.datetime64]
TextArray = npt.NDArray[Any]
Firm = dict[str, pd.DataFrame]


# --------------------------------------------------------------------------- vocabulary

# (user ID, first, middle, last, role, rate in dollars or None, active)
_STAFF: list[tuple[str, str, str, str, str, int | None, str]] = [
    ("EMW", "Eleanor", "M.", "Whitfield", "Managing Partner", 575, "Y"),
    ("RKM", "Rajiv", "K.", "Menon", "Partner", 525, "Y"),
    ("SOC", "Siobhán", "", "O'Connor", "Partner", 495, "Y"),
    ("JDS", "Jonathan", "D.", "Sutherland", "Senior Associate", 425, "Y"),
    ("AT", "Amélie", "", "Tremblay", "Associate", 350, "Y"),
    ("MC", "Marcus", "", "Chen", "Associate", 350, "Y"),
    ("PN", "Priya", "", "Natarajan", "Associate", 325, "Y"),
    ("GTF", "Graham", "T.", "Fitzpatrick", "Associate", 325, "N"),
    ("ZVB", "Zoë", "", "Van der Berg", "Law Clerk", 195, "Y"),
    ("DO", "Daniel", "", "Okafor", "Paralegal", 175, "Y"),
    ("CN", "Carmen", "", "Núñez", "Bookkeeper", None, "Y"),
    ("LP", "Linda", "", "Park", "Office Manager", None, "Y"),
]
_LEFT_FIRM = np.datetime64("2024-06-28", "D")  # when the inactive associate left
_LAWYER_ROLES = ("Managing Partner", "Partner", "Senior Associate", "Associate")
_PARTNER_ROLES = ("Managing Partner", "Partner")
_ROLE_RATES: dict[str, tuple[int, int]] = {  # generated users: rate range in dollars
    "Partner": (450, 650),
    "Senior Associate": (375, 450),
    "Associate": (275, 375),
    "Law Clerk": (175, 225),
    "Paralegal": (150, 195),
    "Legal Assistant": (0, 0),
}
_ROLE_SHARES = {
    "Partner": 0.15,
    "Senior Associate": 0.12,
    "Associate": 0.3,
    "Law Clerk": 0.12,
    "Paralegal": 0.21,
    "Legal Assistant": 0.1,
}

# fmt: off
_FIRST = [
    "Aaliyah", "Aaron", "Adebayo", "Aiko", "Alejandro", "Alexandre", "André", "Anika", "Antoine", "Ayesha",
    "Beatriz", "Benoît", "Bilal", "Björn", "Brendan", "Caitlín", "Camille", "Catalina", "Chloé", "Connor",
    "Dalia", "Declan", "Deepa", "Diego", "Dmitri", "Élise", "Emeka", "Esther", "Fatima", "Felipe",
    "François", "Gabriel", "Grace", "Hamid", "Hélène", "Hiroshi", "Ines", "Isabella", "Ivan", "Jacques",
    "Jasmine", "José", "Julien", "Kaito", "Karina", "Kwame", "Laila", "Lars", "Liam", "Lucía", "Magdalena",
    "Malik", "Margaux", "Mateus", "Mei", "Mohammed", "Nadia", "Nathalie", "Niamh", "Noah", "Olivia", "Omar",
    "Pádraig", "Paolo", "Priyanka", "Rafael", "Renée", "Rohan", "Ruth", "Sakura", "Samuel", "Santiago",
    "Seo-yeon", "Sofia", "Søren", "Tariq", "Thérèse", "Tomás", "Valentina", "Vikram", "Wei", "Yasmin",
    "Yusuf", "Zoë", "Zainab", "Oluwaseun", "Giulia", "Hugo", "Ingrid", "Kenji",
]
_MIDDLE = ["A.", "B.", "C.", "E.", "J.", "K.", "L.", "M.", "R.", "S.", "T.", "Marie", "Anne", "James", "Lee"]
_LAST = [
    "O'Brien", "O'Neill", "D'Souza", "Núñez", "MacDonald", "McAllister", "St-Pierre", "Nguyen", "Kowalski",
    "Müller", "Schäfer", "Andersson", "Haddad", "Khan", "Patel", "Singh", "Wong", "Kim", "Rossi", "Bianchi",
    "Ferreira", "Silva", "Ivanova", "Petrov", "Friedman", "Murphy", "Kelly", "Walsh", "Fitzgerald",
    "Campbell", "Stewart", "Thompson", "Roy", "Gagnon", "Côté", "Bouchard", "Lefebvre", "Gauthier", "Morin",
    "Lavoie", "Fortin", "Ahmed", "Hussain", "Rahman", "Mensah", "Adeyemi", "Yamamoto", "Tanaka", "Sato",
    "Delgado", "Castillo", "Vargas", "Ortiz", "Jiménez", "Sánchez", "Brennan", "Lindqvist", "Johansson",
    "Nowak", "Horvath", "Papadopoulos", "Georgiou", "Farouk", "Ward", "Hughes", "Bennett", "Clarke", "Lloyd",
    "Morgan", "Evans", "Reid", "Fraser", "Grant", "Hamilton", "Jensen", "Knox", "Tran", "Pham", "Abernathy",
    "Ó Súilleabháin", "de la Cruz", "Van Houten", "Łukasik",
]
_CO_WORD = [
    "Northwind", "Lakeshore", "Harbourfront", "Maple Leaf", "Bayview", "Don Valley", "Kingsway", "Bloor",
    "Danforth", "Riverdale", "Summit", "Beacon", "Cedar", "Granite", "Trillium", "Aurora", "Polaris",
    "Evergreen", "Bluewater", "Redpath", "Humber", "Scarborough", "Etobicoke", "Leslieville", "Parkdale",
]
_CO_TRADE = [
    "Logistics", "Holdings", "Dental", "Construction", "Properties", "Software", "Bakery", "Imports",
    "Consulting", "Developments", "Media", "Pharmacy", "Auto Body", "Landscaping", "Capital", "Foods",
    "Design", "Engineering", "Roofing", "Physiotherapy",
]
# fmt: on
_CO_SUFFIX = ["Inc.", "Ltd.", "Corp.", "Limited", "Inc.", "Ltd.", "& Co.", "Inc."]
_CO_SPECIAL = [
    "Tony's Auto Body Ltd.",
    "O'Hara & Sons Contracting Inc.",
    "Café Rénové Inc.",
    "Société Générale de Rénovation Ltée",
    'The Bagel "Factory" Inc.',
]
# fmt: off
_JOB_TITLES = [
    "CFO", "General Counsel", "Controller", "Owner", "President", "HR Manager", "Director, Legal",
    "Office Administrator", "Vice-President, Operations",
]
# fmt: on
_CITIES = [  # (city, province/state, country, postal prefix letter or "" for US zip, area codes)
    ("Toronto", "ON", "Canada", "M", ("416", "647", "437")),
    ("Mississauga", "ON", "Canada", "L", ("905", "289")),
    ("Oakville", "ON", "Canada", "L", ("905", "289")),
    ("Markham", "ON", "Canada", "L", ("905", "289")),
    ("Hamilton", "ON", "Canada", "L", ("905", "289")),
    ("Ottawa", "ON", "Canada", "K", ("613", "343")),
    ("Montréal", "QC", "Canada", "H", ("514", "438")),
    ("New York", "NY", "United States", "", ("212", "917")),
]
_CITY_WEIGHTS = [0.52, 0.12, 0.06, 0.07, 0.06, 0.07, 0.05, 0.05]
# fmt: off
_STREETS = [
    "King St W", "Queen St E", "Bay St", "Yonge St", "Front St W", "Bloor St W", "Dundas St W",
    "University Ave", "Spadina Ave", "Lakeshore Blvd W", "Harbour St", "Elm Ave", "Maple Cres", "Church St",
    "St. Clair Ave W", "Danforth Ave", "Broadview Ave", "Eglinton Ave E",
]
# fmt: on
_CONTACT_NOTES = [
    "Prefers e-mail. Do not call before 10 a.m.",
    'Assistant: "Kim" (ext. 204) handles scheduling.',
    "Opposing counsel on two files; courteous but slow to respond.",
    'Billing contact: accounts payable, "Attn: Lisa".',
    "Court reporter firm contact.",
    "Speaks French and English.\nSend correspondence in French where possible.",
    'Referred by Rajiv Menon.\nConflict check cleared 2021; "no conflict" memo on file.',
    'Former client. Says "call my cell, not the office".',
    "Expert witness (accounting).\nCV on file; rate $450/h.",
    "Estate trustee for her late father's estate.",
]
_COMPANY_NOTES = 5  # the first five notes suit a company as well as a person
_PRACTICE: dict[str, tuple[list[str], tuple[float, float, float]]] = {
    # area: (matter descriptions, (Hourly, Flat, Contingency) shares)
    "Litigation": (
        [
            "Breach of contract claim",
            "Wrongful dismissal action",
            "Construction lien claim",
            "Shareholder dispute",
            "Motion to enforce settlement",
            "Collection of unpaid invoices",
        ],
        (0.95, 0.0, 0.05),
    ),
    "Real Estate": (
        [
            "Purchase of residential property",
            "Sale of commercial unit",
            "Refinance, first mortgage",
            "Commercial lease review",
            "Purchase of condominium unit",
        ],
        (0.25, 0.75, 0.0),
    ),
    "Corporate": (
        [
            "Annual corporate maintenance",
            "Share purchase agreement",
            "Incorporation and organisation",
            "Asset sale",
            "Shareholders' agreement",
        ],
        (0.8, 0.2, 0.0),
    ),
    "Family": (
        ["Separation agreement", "Divorce and parenting plan", "Spousal support variation"],
        (1.0, 0.0, 0.0),
    ),
    "Estates & Trusts": (
        ["Estate administration", "Wills and powers of attorney", "Will challenge"],
        (0.6, 0.4, 0.0),
    ),
    "Employment": (
        ["Employment contract review", "Human rights application", "Termination advice"],
        (0.9, 0.1, 0.0),
    ),
    "Personal Injury": (
        ["Motor vehicle accident claim", "Slip and fall claim", "Long-term disability claim"],
        (0.0, 0.0, 1.0),
    ),
    "Immigration": (
        ["Work permit application", "Permanent residence application", "Study permit renewal"],
        (0.1, 0.9, 0.0),
    ),
}
_PRACTICE_WEIGHTS = [0.3, 0.2, 0.14, 0.1, 0.1, 0.07, 0.05, 0.04]
_TRUST_AREAS = ("Real Estate", "Litigation", "Family", "Estates & Trusts", "Personal Injury")

# (activity code, descriptions) for time entries
_TIME_WORK: list[tuple[str, list[str]]] = [
    (
        "A101",
        [
            "Prepare for examination for discovery",
            "Plan strategy for mediation; outline issues",
            "Prepare for motion hearing, review record",
        ],
    ),
    (
        "A102",
        [
            "Research case law on limitation periods under the Limitations Act, 2002",
            "Legal research re: enforceability of non-compete clause",
            "Search title and review instruments",
            "Research re: costs on a substantial indemnity basis",
        ],
    ),
    (
        "A103",
        [
            "Draft statement of claim",
            "Revise share purchase agreement per client's comments",
            "Draft affidavit of documents",
            "Draft reporting letter to client",
            'Draft "without prejudice" settlement letter',
            "Draft requisition letter, vendor's solicitor",
        ],
    ),
    (
        "A104",
        [
            "Review and analyze productions from defendant, 312 pages",
            'Review lease, Schedule "C" and amending agreement',
            "Review medical records and OHIP summary",
            "Review draft separation agreement, mark up",
        ],
    ),
    ("A105", ["Conference with associate re: motion strategy", "Meet with law clerk re: closing documents"]),
    (
        "A106",
        [
            "Telephone call with client re: settlement offer",
            "E-mail to client enclosing draft agreement",
            "Meeting with client to review will and powers of attorney",
            'Call with client; client says "go ahead"',
        ],
    ),
    (
        "A107",
        ["Call with opposing counsel re: timetable", "Correspondence with vendor's counsel re: requisitions"],
    ),
    (
        "A108",
        ["Call with court office re: motion date", "Correspondence with lender re: mortgage instructions"],
    ),
    (
        "A109",
        ["Attend motion, Superior Court of Justice", "Attend mediation", "Attend closing; register transfer"],
    ),
    ("A110", ["Organize productions; update document index", "Close file; prepare for storage"]),
    ("", ["Travel to and from Brampton courthouse", "File review", "Docket review and follow-up"]),
]
_MULTILINE_TIME = [
    "Attend mediation.\nNo settlement; parties to exchange offers by Friday.",
    'Call with client re: offer.\nClient: "we will not go above $50,000".\nFollow up next week.',
    "Review productions:\n- bank statements, three years\n- corporate minute book",
    "Draft motion record, tabs 1-6.\nAffidavit of J. Okafor still to be sworn.",
    'Meeting with client and accountant, "net family property" calculation,\nequalization payment options.',
]
# (code, description, low, high) in dollars; low == high is a fixed fee
_EXPENSES: list[tuple[str, str, float, float]] = [
    ("E101", "Photocopies", 4.5, 95.0),
    ("E107", "Courier to opposing counsel", 18.5, 65.0),
    ("E108", "Postage", 2.0, 25.0),
    ("E112", "Court filing fee, statement of claim", 229.0, 229.0),
    ("E112", "Filing fee, notice of motion", 339.0, 339.0),
    ("E106", "Online research, Westlaw", 45.0, 300.0),
    ("E109", "Parking, courthouse", 12.0, 35.0),
    ("E115", "Transcript of examination, Network Reporting", 350.0, 1400.0),
    ("E119", "Expert report, forensic accountant", 2500.0, 8500.0),
    ("E113", "Process server, service of claim", 95.0, 185.0),
    ("E124", "Title search fee (Teranet)", 63.8, 63.8),
    ("E124", "Land registration fee", 75.25, 75.25),
]
_EVENTS: list[tuple[str, int, int, str]] = [  # (title, min minutes, max minutes, location kind)
    ("Motion hearing", 60, 180, "court"),
    ("Examination for discovery", 180, 360, "reporter"),
    ("Client meeting", 30, 90, "office"),
    ("Mediation", 240, 450, "mediator"),
    ("Closing", 30, 60, "office"),
    ("Pre-trial conference", 60, 120, "court"),
    ("Call with opposing counsel", 30, 30, "phone"),
    ("Limitation period expires", 0, 0, "none"),
    ("Filing deadline: factum", 0, 0, "none"),
    ("Team meeting", 60, 60, "office"),
]
_LOCATIONS = {
    "court": [
        "Courtroom 6-1, 393 University Ave, Toronto",
        "Courtroom 302, 361 University Ave, Toronto",
        "Brampton Courthouse, 7755 Hurontario St",
    ],
    "reporter": ["Network Reporting, 100 King St W, Suite 3600", "Victory Verbatim, 222 Bay St"],
    "office": ["Boardroom A, 18th floor", "Boardroom B", "Zoom"],
    "mediator": ["ADR Chambers, 180 Duncan Mill Rd", "Zoom"],
    "phone": ["Phone"],
    "none": [""],
}
_EVENT_NOTES = [
    "",
    "",
    "",
    "Bring original exhibits.",
    "Client to attend.\nInterpreter booked (Portuguese).",
    'Confirm with court office; "hybrid" hearing.',
]
# fmt: off
_TASKS = [
    "Send engagement letter", "Run conflict check", "Prepare affidavit of service",
    "Diarize limitation date", "Order title search", "Send reporting letter", "Collect retainer",
    "Book court reporter", "Serve statement of claim", "Follow up on undertakings", "Prepare bill of costs",
    "Send draft will for review", "Register transfer", "Close file",
]
_NOTE_SUBJECTS = [
    "Call with client", "Intake notes", "Conflict check", "File review", "Settlement discussion", "Reminder",
    "Meeting notes", "Undertakings", "Closing notes",
]
# fmt: on
_NOTE_BODIES = [  # cp1252-safe: the notes file is written in Windows-1252
    "Client called re: closing date.\nWants to move it to the 15th; vendor’s lawyer agrees.",
    "Conflict check cleared.\nNo prior dealings with the other side.",
    "Discussed “without prejudice” offer of $45,000.\nClient will think about it — reply by Monday.",
    "Intake:\n- employer: see file\n- dismissed without cause\n- 11 years’ service",
    "Left voicemail. Second attempt.",
    "Reviewed file; next steps:\n1. book discoveries\n2. serve affidavit of documents\n3. diarize",
    "Client says the “side letter” was never signed.",
    "Undertakings outstanding: 4 of 9.\nFollow up with opposing counsel’s clerk.",
    "Keys to be left at the lawyer’s office.\nPurchaser’s insurance binder received.",
    "Mediator’s fee split 50/50 — confirmed by e-mail.",
    "Réunion avec le client; documents reçus.",
    "Client paid retainer by EFT; deposit slip in file.",
]


# --------------------------------------------------------------------------- small vectorised helpers


def _by_unique(values: npt.NDArray[Any], fmt: Callable[[Any], str]) -> TextArray:
    """Apply ``fmt`` once per distinct value and spread the results back (vectorised formatting)."""
    uniq, inverse = np.unique(values, return_inverse=True)
    table = np.array([fmt(v) for v in uniq.tolist()], dtype=object)
    return table[inverse.reshape(-1)]


def _text(values: npt.NDArray[Any]) -> TextArray:
    """Anything to an object array of Python strings."""
    return np.asarray(values.astype(str), dtype=object)


def _cat(*parts: Any) -> TextArray:
    """Element-wise string concatenation of arrays and scalars."""
    out: Any = None
    for part in parts:
        piece = part.astype(str) if isinstance(part, np.ndarray) else str(part)
        out = piece if out is None else np.strings.add(out, piece)
    return np.asarray(out, dtype=object)


def _ids(prefix: str, start: int, n: int, width: int) -> TextArray:
    numbers = np.arange(start, start + n).astype(str)
    return _cat(prefix, np.strings.zfill(numbers, width)) if prefix or width else _text(numbers)


def us_dates(days: DayArray) -> TextArray:
    """MM/DD/YYYY text; NaT becomes ""."""
    return _by_unique(days.astype("datetime64[D]"), lambda d: "" if d is None else d.strftime("%m/%d/%Y"))


def iso_dates(days: DayArray) -> TextArray:
    return _by_unique(days.astype("datetime64[D]"), lambda d: "" if d is None else d.isoformat())


def us_datetimes(minutes: npt.NDArray[np.datetime64]) -> TextArray:
    """MM/DD/YYYY HH:MM text (24-hour clock)."""
    return _by_unique(minutes.astype("datetime64[m]"), lambda d: d.strftime("%m/%d/%Y %H:%M"))


def _money_text(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    return f"{sign}${abs(cents) / 100:,.2f}"


def money(cents: IntArray, blank: BoolArray | None = None) -> TextArray:
    """Integer cents to "$1,234.56" ("-$175.00" when negative); "" where ``blank``."""
    out = _by_unique(cents, _money_text)
    if blank is not None:
        out[blank] = ""
    return out


def _hours_text(hundredths: int) -> str:
    text = f"{hundredths / 100:.2f}"
    return text[:-1] if text.endswith("0") else text  # "1.50" -> "1.5", "2.00" -> "2.0", "1.25" stays


def hours(hundredths: IntArray, blank: BoolArray | None = None) -> TextArray:
    out = _by_unique(hundredths, _hours_text)
    if blank is not None:
        out[blank] = ""
    return out


def _yn(flags: BoolArray) -> TextArray:
    return np.where(flags, "Y", "N").astype(object)


def _ascii_slug(text: str) -> str:
    """'Ó Súilleabháin' -> 'osuilleabhain', for e-mail addresses."""
    text = text.replace("Ł", "L").replace("ł", "l").replace("Ø", "O").replace("ø", "o")
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", plain.lower())


def _pool(items: Sequence[str]) -> TextArray:
    return np.array(list(items), dtype=object)


def _busday(days: DayArray, roll: Literal["forward", "backward"]) -> DayArray:
    rolled: DayArray = np.busday_offset(days.astype("datetime64[D]"), 0, roll=roll)
    return rolled


def _uniform_days(rng: np.random.Generator, start: DayArray, end: DayArray) -> DayArray:
    """A business day in [start, end] for each pair (end before start collapses to start)."""
    span = np.maximum((end - start).astype(np.int64), 0)
    offset = np.floor(rng.random(len(start)) * (span + 1)).astype(np.int64)
    day = start + offset.astype("timedelta64[D]")
    rolled = _busday(day, "backward")
    return np.where(rolled < start, start, rolled)


def _choice(
    rng: np.random.Generator, n_items: int, size: int, weights: Sequence[float] | None = None
) -> IntArray:
    p = None if weights is None else np.asarray(weights, dtype=float) / np.sum(weights)
    return rng.choice(n_items, size=size, p=p).astype(np.int64)


# --------------------------------------------------------------------------- the firm


def build_users(n_users: int, rng: np.random.Generator) -> tuple[pd.DataFrame, IntArray, DayArray]:
    """The staff list; also each user's rate in cents (0 for non-timekeepers) and leaving date."""
    curated = _STAFF[: min(n_users, len(_STAFF))]
    codes = [s[0] for s in curated]
    first = [s[1] for s in curated]
    middle = [s[2] for s in curated]
    last = [s[3] for s in curated]
    role = [s[4] for s in curated]
    rate = [(s[5] or 0) * 100 for s in curated]
    active = [s[6] == "Y" for s in curated]
    extra = n_users - len(curated)
    if extra > 0:
        roles = list(_ROLE_SHARES)
        r_idx = _choice(rng, len(roles), extra, list(_ROLE_SHARES.values()))
        lo = np.array([_ROLE_RATES[r][0] for r in roles])[r_idx]
        hi = np.array([_ROLE_RATES[r][1] for r in roles])[r_idx]
        e_first = _pool(_FIRST)[_choice(rng, len(_FIRST), extra)]
        e_middle = np.where(rng.random(extra) < 0.5, _pool(_MIDDLE)[_choice(rng, len(_MIDDLE), extra)], "")
        e_last = _pool(_LAST)[_choice(rng, len(_LAST), extra)]
        codes += _cat(
            *(
                np.strings.slice(_by_unique(a, _ascii_slug).astype(str), 0, 1)
                for a in (e_first, e_middle, e_last)
            )
        ).tolist()
        first += e_first.tolist()
        middle += e_middle.tolist()
        last += e_last.tolist()
        role += _pool(roles)[r_idx].tolist()
        rate += (
            ((lo + np.floor(rng.random(extra) * ((hi - lo) // 25 + 1)) * 25) * 100).astype(np.int64).tolist()
        )
        active += (rng.random(extra) > 0.08).tolist()
    f, m, la = _pool(first), _pool(middle), _pool(last)
    user_id = _dedupe_codes(np.strings.upper(_pool(codes).astype(str)).astype(object))
    name = np.where(m == "", _cat(f, " ", la), _cat(f, " ", m, " ", la))
    slug_first = _by_unique(f, _ascii_slug)
    slug_last = _by_unique(la, _ascii_slug)
    email = _cat(
        slug_first, ".", slug_last, _dedupe_suffix(_cat(slug_first, ".", slug_last)), "@", FIRM_DOMAIN
    )
    rate_arr = np.asarray(rate, dtype=np.int64)
    active_arr = np.asarray(active, dtype=bool)
    left = np.full(n_users, np.datetime64("NaT"), dtype="datetime64[D]")
    left[: len(curated)] = np.where(active_arr[: len(curated)], np.datetime64("NaT", "D"), _LEFT_FIRM)
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
            "Role": _pool(role),
            "Default Rate": money(rate_arr, blank=rate_arr == 0),
            "Active": _yn(active_arr),
        }
    )
    return users, rate_arr, left


def _dedupe_suffix(keys: TextArray) -> TextArray:
    """ "" for the first occurrence of a key, "2", "3", ... for later ones."""
    occurrence = pd.Series(keys).groupby(keys).cumcount().to_numpy() + 1
    return np.where(occurrence > 1, occurrence.astype(str), "").astype(object)


def _dedupe_codes(codes: TextArray) -> TextArray:
    return _cat(codes.astype(str), _dedupe_suffix(codes).astype(str))


@dataclass
class _Contacts:
    frame: pd.DataFrame
    is_client: BoolArray
    display: TextArray  # "Last, First" or the company name


REPEATED_NAMES = 0.02
"""Share of contacts that repeat an earlier contact's name in a big export (namesakes and true duplicates)."""


def _person_names(rng: np.random.Generator, k: int) -> tuple[TextArray, TextArray]:
    """``k`` different (first, last) names: single surnames while 70% of those pairs last, then
    double-barrelled ones; in a big export (over 1,000) a few names repeat on purpose."""
    n_f, n_l = len(_FIRST), len(_LAST)
    k_single = min(k, int(0.7 * n_f * n_l))
    single = rng.choice(n_f * n_l, size=k_single, replace=False)
    double = rng.choice(n_f * n_l * n_l, size=k - k_single, replace=False)
    f = np.concatenate([single // n_l, double // (n_l * n_l)])
    l1 = np.concatenate([single % n_l, (double // n_l) % n_l])
    l2 = np.concatenate([np.full(k_single, -1), double % n_l])
    l2 = np.where(l2 == l1, (l2 + 1) % n_l, l2)
    order = rng.permutation(k)
    f, l1, l2 = f[order], l1[order], l2[order]
    last_pool = _pool(_LAST)
    first = _pool(_FIRST)[f]
    last = np.where(l2 < 0, last_pool[l1], _cat(last_pool[l1], "-", last_pool[np.maximum(l2, 0)]))
    _repeat_some(rng, first, last)
    return first, last


def _repeat_some(rng: np.random.Generator, *columns: TextArray) -> None:
    """In a big export, give ``REPEATED_NAMES`` of the rows the values of another row (in place)."""
    k = len(columns[0])
    if k <= 1000:
        return
    rows = rng.choice(k, size=int(k * REPEATED_NAMES), replace=False)
    source = rng.integers(0, k, len(rows))
    for column in columns:
        column[rows] = column[source]


def _company_names(rng: np.random.Generator, k: int) -> tuple[TextArray, TextArray]:
    """``k`` company names and the base each e-mail domain is made from, all different (but for repeats).

    Names come from three patterns ("Northwind Logistics Inc.", "Haddad Dental Ltd.",
    "Khan & Walsh LLP"), 70% of each at most; numbered companies ("2470486 Ontario Inc.")
    make up the rest, and at least 12%.
    """
    n_w, n_t, n_l = len(_CO_WORD), len(_CO_TRADE), len(_LAST)
    sizes = np.array([n_w * n_t, n_l * n_t, n_l * n_l])
    weight = np.repeat(np.array([0.4, 0.35, 0.25]) / sizes, sizes)
    n_named = min(int(k * 0.88), int(0.7 * sizes.sum()))
    idx = rng.choice(int(sizes.sum()), size=n_named, replace=False, p=weight / weight.sum())
    kind = np.searchsorted(np.cumsum(sizes), idx, side="right")
    local = idx - np.concatenate([[0], np.cumsum(sizes)[:-1]])[kind]
    words, trades, lasts = _pool(_CO_WORD), _pool(_CO_TRADE), _pool(_LAST)
    base = np.select(
        [kind == 0, kind == 1],
        [
            _cat(words[local // n_t % n_w], " ", trades[local % n_t]),
            _cat(lasts[local // n_t % n_l], " ", trades[local % n_t]),
        ],
        _cat(lasts[local // n_l % n_l], " & ", lasts[local % n_l]),
    ).astype(object)
    suffix = np.where(kind == 2, "LLP", _pool(_CO_SUFFIX)[_choice(rng, len(_CO_SUFFIX), n_named)])
    named = _cat(base, " ", suffix)
    n_numbered = k - n_named
    numbers = _cat(rng.choice(1_900_000, size=n_numbered, replace=False) + 1_000_000, " Ontario Inc.")
    name = np.concatenate([named, numbers])
    base = np.concatenate([base, numbers])
    order = rng.permutation(k)
    name, base = name[order], base[order]
    special = np.flatnonzero(np.concatenate([np.ones(n_named, bool), np.zeros(n_numbered, bool)])[order])
    special = np.sort(rng.choice(special, size=min(len(special), len(_CO_SPECIAL)), replace=False))
    name[special] = _pool(_CO_SPECIAL)[: len(special)]
    base[special] = name[special]
    _repeat_some(rng, name, base)
    return name, base


def build_contacts(n_contacts: int, rng: np.random.Generator) -> _Contacts:
    n = n_contacts
    is_company = rng.random(n) < 0.3
    n_person = int((~is_company).sum())
    first = np.full(n, "", dtype=object)
    last = np.full(n, "", dtype=object)
    first[~is_company], last[~is_company] = _person_names(rng, n_person)
    middle = np.where(~is_company & (rng.random(n) < 0.25), _pool(_MIDDLE)[_choice(rng, len(_MIDDLE), n)], "")

    n_company = int(is_company.sum())
    co_name, co_base = _company_names(rng, n_company)
    company = np.full(n, "", dtype=object)
    company[is_company] = co_name
    co_slug = _by_unique(co_base, _ascii_slug)
    company_domain = np.full(n, "", dtype=object)
    company_domain[is_company] = _cat(co_slug, ".example")

    # Some people work for one of the companies in the list.
    employed = ~is_company & (rng.random(n) < 0.2) & (n_company > 0)
    employer = (
        np.flatnonzero(is_company)[_choice(rng, max(n_company, 1), n)] if n_company else np.zeros(n, int)
    )
    company = np.where(employed, company[employer], company)
    title = np.where(employed, _pool(_JOB_TITLES)[_choice(rng, len(_JOB_TITLES), n)], "")

    slug_first = _by_unique(first, _ascii_slug)
    slug_last = _by_unique(last, _ascii_slug)
    personal = _cat(slug_first, ".", slug_last)
    personal = _cat(personal, _dedupe_suffix(personal))
    plus = rng.random(n) < 0.1
    personal = np.where(plus, _cat(personal, "+", np.where(rng.random(n) < 0.5, "legal", "hvl")), personal)
    domain = _pool(["example.com", "example.org", "example.net", "mail.example.com"])[_choice(rng, 4, n)]
    domain = np.where(employed, company_domain[employer], domain)
    mailbox = _pool(["info", "accounts", "admin", "office", "legal"])[_choice(rng, 5, n)]
    email = np.where(is_company, _cat(mailbox, "@", company_domain), _cat(personal, "@", domain))
    email = np.where(rng.random(n) < 0.06, "", email)  # some contacts have no e-mail

    city_idx = _choice(rng, len(_CITIES), n, _CITY_WEIGHTS)
    city = _pool([c[0] for c in _CITIES])[city_idx]
    province = _pool([c[1] for c in _CITIES])[city_idx]
    country = _pool([c[2] for c in _CITIES])[city_idx]
    country = np.where(rng.random(n) < 0.15, "", country)  # often left blank for local contacts
    letter = _pool([c[3] for c in _CITIES])[city_idx]
    letters = np.array(list("ABCEGHJKLMNPRSTVXY"), dtype=object)
    digits = rng.integers(0, 10, size=(n, 3)).astype(str).astype(object)
    rand_letters = letters[rng.integers(0, len(letters), size=(n, 2))]
    postal_ca = _cat(
        letter, digits[:, 0], rand_letters[:, 0], " ", digits[:, 1], rand_letters[:, 1], digits[:, 2]
    )
    postal_us = _cat("100", np.strings.zfill(rng.integers(1, 99, n).astype(str), 2))
    postal = np.where(letter == "", postal_us, postal_ca)
    number = rng.integers(1, 2400, n)
    street = _cat(number, " ", _pool(_STREETS)[_choice(rng, len(_STREETS), n)])
    suite = rng.random(n) < 0.2
    street = np.where(suite, _cat("Suite ", rng.integers(2, 40, n) * 100, ", ", street), street)

    has_mobile = ~is_company & (rng.random(n) < 0.5)
    # No two contacts share a number (while the 555-01xx range lasts).
    phones = _phones(rng, np.concatenate([city_idx, city_idx[has_mobile]]))
    phone = phones[:n]
    mobile = np.full(n, "", dtype=object)
    mobile[has_mobile] = np.strings.partition(phones[n:].astype(str), " x")[0]  # no extension on a cell
    phone = np.where(rng.random(n) < 0.05, "", phone)

    note = _choice(rng, len(_CONTACT_NOTES), n)
    note = np.where(is_company, note % _COMPANY_NOTES, note)  # the first few notes fit a company too
    notes = np.where(rng.random(n) < 0.25, _pool(_CONTACT_NOTES)[note], "")
    is_client = rng.random(n) < 0.75
    display = np.where(is_company, company, _cat(last, ", ", first))
    frame = pd.DataFrame(
        {
            "Contact ID": _ids("C", 1, n, 5),
            "Type": np.where(is_company, "Company", "Person").astype(object),
            "First Name": first,
            "Middle Name": middle.astype(object),
            "Last Name": last,
            "Company": company,
            "Title": title.astype(object),
            "Email": email,
            "Phone": phone,
            "Mobile": mobile,
            "Street": street,
            "City": city,
            "State/Province": province,
            "Postal Code": postal,
            "Country": country,
            "Notes": notes.astype(object),
        }
    )
    return _Contacts(frame, is_client, display)


def _phones(rng: np.random.Generator, city_of_number: IntArray) -> TextArray:
    """Fictional 555-01xx numbers, in the formats people actually type; the area code follows the city."""
    n = len(city_of_number)
    areas = sorted({a for c in _CITIES for a in c[4]})
    # Each city's own area codes, as (city, area) weights; then one of the 100 lines of that area.
    allowed = np.array([[a in c[4] for a in areas] for c in _CITIES], dtype=float)
    weight = (allowed / allowed.sum(axis=1, keepdims=True))[city_of_number]
    area_idx = (rng.random(n)[:, None] > np.cumsum(weight, axis=1)).sum(axis=1).clip(0, len(areas) - 1)
    line_idx = rng.integers(0, 100, n)
    # Re-draw lines so that (area, line) pairs are unique while the range allows it.
    order = np.lexsort((rng.random(n), area_idx))
    rank = pd.Series(np.arange(n)).groupby(area_idx[order]).cumcount().to_numpy()
    start = rng.integers(0, 100, len(areas))[area_idx[order]]
    line_idx[order] = (start + rank) % 100
    area = _pool(areas)[area_idx]
    line = _cat("01", np.strings.zfill(line_idx.astype(str), 2))
    style = _choice(rng, 5, n, [0.3, 0.3, 0.2, 0.1, 0.1])
    ext = _cat(" x", rng.integers(100, 400, n))
    options = [
        _cat("+1 ", area, " 555 ", line),
        _cat("(", area, ") 555-", line),
        _cat(area, "-555-", line),
        _cat(area, ".555.", line),
        _cat("(", area, ") 555-", line, ext),
    ]
    return np.choose(style, options).astype(object)


@dataclass
class _Matters:
    frame: pd.DataFrame
    client_idx: IntArray
    open_day: DayArray
    end_day: DayArray  # close date, or the export date for open matters
    responsible: IntArray
    area: TextArray
    billing: TextArray
    dormant: BoolArray  # no time, bills or trust on this matter


def build_matters(
    n_matters: int, contacts: _Contacts, users: pd.DataFrame, rng: np.random.Generator
) -> _Matters:
    n = n_matters
    clients = np.flatnonzero(contacts.is_client)
    weight = rng.pareto(1.6, len(clients)) + 1.0  # a few clients have many matters
    client_idx = clients[_choice(rng, len(clients), n, weight.tolist())]

    span = int((AS_OF - 5 - FIRST_MATTER_DAY).astype(np.int64))
    open_day = FIRST_MATTER_DAY + (rng.random(n) ** 0.8 * span).astype(np.int64).astype("timedelta64[D]")
    open_day = np.sort(_busday(open_day, "forward"))
    age = (AS_OF - open_day).astype(np.int64)
    u = rng.random(n)
    closed = ((age > 730) & (u < 0.85)) | ((age > 180) & (age <= 730) & (u < 0.35))
    pending = ~closed & (((age < 60) & (u < 0.3)) | (u > 0.97))
    status = np.where(closed, "Closed", np.where(pending, "Pending", "Open")).astype(object)
    length = (30 + rng.gamma(2.0, 180.0, n)).astype(np.int64)
    close_day = _busday(open_day + length.astype("timedelta64[D]"), "backward")
    close_day = np.minimum(close_day, _busday(np.full(n, AS_OF - 1), "backward"))
    close_day = np.where(closed, close_day, np.datetime64("NaT", "D"))
    end_day = np.where(closed, close_day, AS_OF)

    # Numbering: the old system's zero-padded numbers before 2020, then YYYY-NNNN per year.
    legacy = open_day < YEAR_NUMBERING_FROM
    legacy_no = _cat(np.strings.zfill((np.cumsum(legacy) + 100).astype(str), 6))
    year = open_day.astype("datetime64[Y]").astype(np.int64) + 1970
    seq = pd.Series(year).groupby(year).cumcount().to_numpy() + 1
    modern_no = _cat(year, "-", np.strings.zfill(seq.astype(str), 4))
    number = np.where(legacy, legacy_no, modern_no)

    areas = list(_PRACTICE)
    area_idx = _choice(rng, len(areas), n, _PRACTICE_WEIGHTS)
    area = _pool(areas)[area_idx]
    methods = np.array(["Hourly", "Flat", "Contingency"], dtype=object)
    shares = np.array([_PRACTICE[a][1] for a in areas])[area_idx]
    billing = methods[(rng.random(n)[:, None] > np.cumsum(shares, axis=1)).sum(axis=1).clip(0, 2)]
    desc_pool = [_PRACTICE[a][0] for a in areas]
    longest = max(len(d) for d in desc_pool)
    desc_table = np.array([[d[i % len(d)] for i in range(longest)] for d in desc_pool], dtype=object)
    phrase = desc_table[area_idx, rng.integers(0, longest, n)]
    description = _cat(contacts.display[client_idx], " — ", phrase)

    roles = users["Role"].to_numpy()
    active = users["Active"].to_numpy() == "Y"
    lawyers = np.flatnonzero(np.isin(roles, _LAWYER_ROLES) & active)
    partners = np.flatnonzero(np.isin(roles, _PARTNER_ROLES) & active)
    if len(lawyers) == 0:
        lawyers = np.arange(len(users))
    if len(partners) == 0:
        partners = lawyers
    responsible = lawyers[_choice(rng, len(lawyers), n)]
    originating = np.where(rng.random(n) < 0.7, partners[_choice(rng, len(partners), n)], responsible)
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
    return _Matters(frame, client_idx, open_day, end_day, responsible, area, billing, dormant)


def _multiline(rng: np.random.Generator, text: TextArray, share: float) -> TextArray:
    pick = rng.random(len(text)) < share
    return np.where(pick, _pool(_MULTILINE_TIME)[_choice(rng, len(_MULTILINE_TIME), len(text))], text)


@dataclass
class _Activities:
    frame: pd.DataFrame
    bills: pd.DataFrame


def build_activities(
    n_activities: int,
    matters: _Matters,
    users: pd.DataFrame,
    rates: IntArray,
    left: DayArray,
    rng: np.random.Generator,
    multiline_share: float,
) -> _Activities:
    n = n_activities
    live = np.flatnonzero(~matters.dormant)
    weight = rng.lognormal(0.0, 1.5, len(live))
    m = live[_choice(rng, len(live), n, weight.tolist())]
    day = _uniform_days(rng, matters.open_day[m], matters.end_day[m])

    timekeepers = np.flatnonzero(rates > 0)
    role = users["Role"].to_numpy()
    tk_weight = np.select(
        [
            np.isin(role[timekeepers], _PARTNER_ROLES),
            role[timekeepers] == "Senior Associate",
            role[timekeepers] == "Associate",
        ],
        [0.6, 1.2, 1.4],
        0.9,
    )
    user = np.where(
        rng.random(n) < 0.4,
        matters.responsible[m],
        timekeepers[_choice(rng, len(timekeepers), n, tk_weight.tolist())],
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
    ex_idx = _choice(rng, len(_EXPENSES), n)
    lo = np.array([e[2] for e in _EXPENSES])[ex_idx]
    hi = np.array([e[3] for e in _EXPENSES])[ex_idx]
    ex_amount = np.rint((lo + rng.random(n) * (hi - lo)) * 100).astype(np.int64)
    ex_amount = np.where(hi - lo > 500, ex_amount // 100 * 100, ex_amount)
    ex_unit = is_expense & (rng.random(n) < 0.4)  # "1" in Hours and the cost in Rate
    amount = np.where(is_expense, ex_amount, time_amount)

    work = _choice(rng, len(_TIME_WORK), n)
    code_pool = _pool([w[0] for w in _TIME_WORK])
    longest = max(len(w[1]) for w in _TIME_WORK)
    desc_table = np.array([[w[1][i % len(w[1])] for i in range(longest)] for w in _TIME_WORK], dtype=object)
    time_desc = _multiline(rng, desc_table[work, rng.integers(0, longest, n)], multiline_share / 0.88)
    description = np.where(is_expense, _pool([e[1] for e in _EXPENSES])[ex_idx], time_desc)
    code = np.where(is_expense, _pool([e[0] for e in _EXPENSES])[ex_idx], code_pool[work])

    method = matters.billing[m]
    billable = np.where(
        is_expense,
        rng.random(n) < 0.97,
        np.where(
            method == "Hourly", rng.random(n) < 0.93, np.where(method == "Flat", rng.random(n) < 0.1, False)
        ),
    )
    # Billing: by matter and six-month period, for periods that ended before the export.
    period = _period(day)
    current_period = _period(np.array([AS_OF]))[0]
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

    bills, invoice = _build_bills(m, period, amount, billed, billable, matters, rng)

    user_ids = users["User ID"].to_numpy()
    blank_hours = is_expense & ~ex_unit
    hours_hund = np.where(ex_unit, 100, hrs)
    rate_cents = np.where(ex_unit, amount, rate)
    frame = pd.DataFrame(
        {
            "Entry ID": _ids("", 100_001, n, 0),
            "Type": np.where(is_expense, "Expense", "Time").astype(object),
            "Date": us_dates(day),
            "User ID": user_ids[user],
            "Matter Number": matters.frame["Matter Number"].to_numpy()[m],
            "Description": description,
            "Hours": np.where(ex_unit, "1", hours(hours_hund, blank=blank_hours)).astype(object),
            "Rate": money(rate_cents, blank=blank_hours),
            "Amount": money(amount),
            "Billable": _yn(billable),
            "Billed": _yn(billed),
            "Invoice Number": invoice,
            "Activity Code": code,
        }
    )
    return _Activities(frame, bills)


def _period(day: DayArray) -> IntArray:
    """The billing period of each day: the firm sends interim accounts twice a year."""
    month = day.astype("datetime64[M]").astype(np.int64)
    return np.asarray(month // BILLING_MONTHS, dtype=np.int64)


def _period_end(period: IntArray) -> DayArray:
    return ((period + 1) * BILLING_MONTHS).astype("datetime64[M]").astype("datetime64[D]") - 1


def _build_bills(
    m: IntArray,
    period: IntArray,
    amount: IntArray,
    billed: BoolArray,
    billable: BoolArray,
    matters: _Matters,
    rng: np.random.Generator,
) -> tuple[pd.DataFrame, TextArray]:
    """One invoice per matter and period for billed entries, a few voided and re-issued, and drafts."""
    key = m * 100_000 + period
    keys, inverse = np.unique(key[billed], return_inverse=True)
    total = np.bincount(inverse, weights=amount[billed]).astype(np.int64)
    bill_m = keys // 100_000
    bill_q = keys % 100_000
    issue = _busday(_period_end(bill_q) + rng.integers(3, 20, len(keys)).astype("timedelta64[D]"), "forward")
    issue = np.minimum(issue, AS_OF - 1)
    kind = np.zeros(len(keys), dtype=np.int64)  # 0 issued, 1 void, 2 draft

    void = rng.random(len(keys)) < 0.02  # voided, then re-issued a few days later
    void_issue = _busday(issue[void] - 6, "backward")

    current = _period(np.array([AS_OF]))[0]
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
    number = _ids("", 10_001, len(all_m), 0)
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


def build_trust(
    n_trust: int, matters: _Matters, contacts: _Contacts, rng: np.random.Generator
) -> pd.DataFrame:
    """Client ledgers, one per (client, matter), that never go below zero."""
    eligible = np.flatnonzero(~matters.dormant & np.isin(matters.area, _TRUST_AREAS))
    if len(eligible) == 0:
        eligible = np.flatnonzero(~matters.dormant)
    n_ledgers = int(min(len(eligible), max(2, round(n_trust / 7))))
    ledger_m = np.sort(rng.choice(eligible, size=n_ledgers, replace=False))
    start = _busday(
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
    pair_day = _uniform_days(rng, lo, hi)

    n_regular = max(0, n_trust - n_ledgers - 2 * n_pairs)
    reg_ledger = _choice(rng, n_ledgers, n_regular)
    reg_day = (
        start[reg_ledger]
        + 1
        + np.floor(rng.random(n_regular) * np.maximum((end - start)[reg_ledger].astype(np.int64) - 1, 1))
        .astype(np.int64)
        .astype("timedelta64[D]")
    )
    reg_day = np.maximum(_busday(reg_day, "backward"), start[reg_ledger] + 1)
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
    cheque = _cat("Cheque ", rng.integers(1000, 9999, n))
    eft = _cat("EFT ", rng.integers(100_000, 999_999, n))
    trf = _cat("TRF-", np.strings.zfill((pair + 1).astype(str), 4))
    reference = np.select(
        [kind >= 3, (kind <= 1) & (rng.random(n) < 0.5), kind <= 1], [trf, eft, cheque], cheque
    ).astype(object)
    reference = np.where((kind == 2) & (rng.random(n) < 0.15), "", reference)
    dep_text = _pool(
        [
            "Retainer received",
            "Funds received from client",
            "Settlement funds received",
            "Deposit on purchase",
            "Further retainer",
        ]
    )[_choice(rng, 5, n)]
    wd_text = _pool(
        [
            "Payment of account",
            "Paid to vendor's solicitor",
            "Disbursement: land transfer tax",
            "Refund to client",
            "Paid to mediator",
            "Payment of court costs",
        ]
    )[_choice(rng, 6, n)]
    other_no = matter_no[ledger_m[np.maximum(other, 0)]]
    description = np.select(
        [kind == 0, kind == 1, kind == 2, kind == 3],
        [np.full(n, "Initial retainer", dtype=object), dep_text, wd_text, _cat("Transfer to ", other_no)],
        _cat("Transfer from ", other_no),
    ).astype(object)
    return pd.DataFrame(
        {
            "Transaction ID": _ids("", 500_001, n, 0),
            "Date": us_dates(day),
            "Client ID": contacts.frame["Contact ID"].to_numpy()[client[ledger]],
            "Matter Number": matter_no[ledger_m[ledger]],
            "Type": types,
            "Amount": money(amount),
            "Reference": reference,
            "Description": description,
        }
    )


def build_calendar(n_events: int, matters: _Matters, rng: np.random.Generator) -> pd.DataFrame:
    n = n_events
    live = np.flatnonzero(~matters.dormant)
    m = live[_choice(rng, len(live), n)]
    lo = np.maximum(matters.open_day[m], np.datetime64("2024-01-02"))
    hi = np.where(matters.frame["Status"].to_numpy()[m] == "Closed", matters.end_day[m], AS_OF + 120)
    day = _uniform_days(rng, np.minimum(lo, hi), hi)
    kind = _choice(rng, len(_EVENTS), n)
    all_day = np.array([e[1] == 0 for e in _EVENTS])[kind]
    no_matter = np.array([e[0] == "Team meeting" for e in _EVENTS])[kind]
    start_min = np.where(all_day, 0, rng.integers(18, 31, n) * 30)  # 09:00 to 15:00
    lo_len = np.array([e[1] for e in _EVENTS])[kind]
    hi_len = np.array([e[2] for e in _EVENTS])[kind]
    length = np.where(all_day, 23 * 60 + 59, (lo_len + rng.random(n) * (hi_len - lo_len)) // 30 * 30)
    start = day.astype("datetime64[m]") + start_min.astype("timedelta64[m]")
    end = start + length.astype(np.int64).astype("timedelta64[m]")
    loc_kind = np.array([e[3] for e in _EVENTS], dtype=object)[kind]
    locations = np.full(n, "", dtype=object)
    for key, options in _LOCATIONS.items():  # one pass per location kind, not per row
        here = loc_kind == key
        locations[here] = _pool(options)[_choice(rng, len(options), int(here.sum()))]
    title = _pool([e[0] for e in _EVENTS])[kind]
    order = np.argsort(start, kind="stable")
    matter_no = np.where(no_matter, "", matters.frame["Matter Number"].to_numpy()[m])
    notes = _pool(_EVENT_NOTES)[_choice(rng, len(_EVENT_NOTES), n)]
    return pd.DataFrame(
        {
            "Event ID": _ids("EV", 1, n, 5),
            "Title": title[order],
            "Start": us_datetimes(start[order]),
            "End": us_datetimes(end[order]),
            "All Day": _yn(all_day[order]),
            "Location": locations[order],
            "Matter Number": matter_no[order],
            "Description": notes[order],
        }
    )


def build_tasks(
    n_tasks: int, matters: _Matters, users: pd.DataFrame, rng: np.random.Generator
) -> pd.DataFrame:
    n = n_tasks
    live = np.flatnonzero(~matters.dormant & (matters.frame["Status"].to_numpy() != "Closed"))
    if len(live) == 0:
        live = np.arange(len(matters.frame))
    m = live[_choice(rng, len(live), n)]
    due = _uniform_days(rng, np.maximum(matters.open_day[m], AS_OF - 120), np.full(n, AS_OF + 90))
    active = np.flatnonzero(users["Active"].to_numpy() == "Y")
    assignee = np.where(rng.random(n) < 0.5, matters.responsible[m], active[_choice(rng, len(active), n)])
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
            "Task ID": _ids("TK", 1, n, 5),
            "Name": _pool(_TASKS)[_choice(rng, len(_TASKS), n)],
            "Due Date": us_dates(due[order]),
            "Assignee": users["User ID"].to_numpy()[assignee[order]],
            "Matter Number": matters.frame["Matter Number"].to_numpy()[m[order]],
            "Status": status[order].astype(object),
        }
    )


def build_notes(
    n_notes: int, matters: _Matters, contacts: _Contacts, rng: np.random.Generator
) -> pd.DataFrame:
    n = n_notes
    live = np.flatnonzero(~matters.dormant)
    m = live[_choice(rng, len(live), n)]
    on_matter = rng.random(n) < 0.6
    clients = np.flatnonzero(contacts.is_client)
    contact = np.where(on_matter, matters.client_idx[m], clients[_choice(rng, len(clients), n)])
    with_contact = ~on_matter | (rng.random(n) < 0.5)
    day = np.where(
        on_matter,
        _uniform_days(rng, matters.open_day[m], matters.end_day[m]),
        _uniform_days(rng, np.full(n, np.datetime64("2019-01-02")), np.full(n, AS_OF)),
    )
    order = np.argsort(day, kind="stable")
    matter_no = np.where(on_matter, matters.frame["Matter Number"].to_numpy()[m], "")
    contact_id = np.where(with_contact, contacts.frame["Contact ID"].to_numpy()[contact], "")
    return pd.DataFrame(
        {
            "Note ID": _ids("N", 1, n, 5),
            "Matter Number": matter_no[order].astype(object),
            "Contact ID": contact_id[order].astype(object),
            "Date": iso_dates(day[order]),
            "Subject": _pool(_NOTE_SUBJECTS)[_choice(rng, len(_NOTE_SUBJECTS), n)],
            "Body": _pool(_NOTE_BODIES)[_choice(rng, len(_NOTE_BODIES), n)],
        }
    )


def build_firm(
    n_contacts: int = SAMPLE_SIZES["n_contacts"],
    n_matters: int = SAMPLE_SIZES["n_matters"],
    n_activities: int = SAMPLE_SIZES["n_activities"],
    seed: int = SEED,
    *,
    n_users: int = SAMPLE_SIZES["n_users"],
    n_trust: int = SAMPLE_SIZES["n_trust"],
    n_events: int = SAMPLE_SIZES["n_events"],
    n_tasks: int = SAMPLE_SIZES["n_tasks"],
    n_notes: int = SAMPLE_SIZES["n_notes"],
    multiline_share: float = 0.015,
) -> Firm:
    """The whole export as text tables keyed by entity, columns exactly the template headers.

    Bills are derived from the billed time and expenses (one invoice per matter and
    period), so their number follows from the activities.
    """

    def rng(part: int) -> np.random.Generator:
        return np.random.default_rng([seed, part])

    users, rates, left = build_users(n_users, rng(1))
    contacts = build_contacts(n_contacts, rng(2))
    matters = build_matters(n_matters, contacts, users, rng(3))
    activities = build_activities(n_activities, matters, users, rates, left, rng(4), multiline_share)
    firm: Firm = {
        "users": users,
        "contacts": contacts.frame,
        "matters": matters.frame,
        "activities": activities.frame,
        "bills": activities.bills,
        "trust": build_trust(n_trust, matters, contacts, rng(5)),
        "calendar": build_calendar(n_events, matters, rng(6)),
        "tasks": build_tasks(n_tasks, matters, users, rng(7)),
        "notes": build_notes(n_notes, matters, contacts, rng(8)),
    }
    for entity, frame in firm.items():
        if list(frame.columns) != HEADERS[entity]:
            raise AssertionError(f"{entity}: columns {list(frame.columns)} are not the template headers")
        firm[entity] = frame.astype(str)
    return firm


# --------------------------------------------------------------------------- checks of the clean data


def _cents(values: pd.Series) -> IntArray:
    """Parse "$1,234.56" / "-$175.00" text to integer cents ("" -> 0)."""
    text = values.str.replace(r"[$,]", "", regex=True).replace("", "0")
    cents: IntArray = np.rint(pd.to_numeric(text).to_numpy(dtype=float) * 100).astype(np.int64)
    return cents


def _us_days(values: pd.Series) -> DayArray:
    return pd.to_datetime(values, format="%m/%d/%Y", errors="coerce").to_numpy().astype("datetime64[D]")


def _isin(left: pd.Series, *rights: pd.Series) -> BoolArray:
    """``left.isin(rights)`` via pyarrow (pandas 3's ``isin`` on str columns loops over values in Python)."""
    value_set = pc.unique(
        pa.concat_arrays([pa.array(r.to_numpy(dtype=object), type=pa.string()) for r in rights])
    )
    found = pc.is_in(pa.array(left.to_numpy(dtype=object), type=pa.string()), value_set=value_set)
    return np.asarray(found.to_numpy(zero_copy_only=False), dtype=bool)


def _trust_running(trust: pd.DataFrame, by: Sequence[str]) -> IntArray:
    """Running balance in file order, per client (``by=["Client ID"]``) or per ledger."""
    cents = _cents(trust["Amount"])
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
        missing = (values != "").to_numpy() & ~_isin(values, firm[target][target_column])
        if missing.any():
            problems.append(f"{entity}.{column}: {int(missing.sum())} values not in {target}")
    acts = firm["activities"]
    both = (acts["Hours"] != "") & (acts["Rate"] != "")
    hund = np.rint(pd.to_numeric(acts["Hours"].replace("", "0")).to_numpy(dtype=float) * 100).astype(np.int64)
    expected = (hund * _cents(acts["Rate"]) + 50) // 100
    if (both.to_numpy() & (expected != _cents(acts["Amount"]))).any():
        problems.append("activities: Amount is not Hours x Rate")
    if (hund < 0).any():
        problems.append("activities: negative hours")
    daily = pd.Series(hund).groupby([acts["User ID"].to_numpy(), acts["Date"].to_numpy()]).sum()
    if (daily > 2400).any():
        problems.append("activities: more than 24 hours on one day")
    if np.isnat(_us_days(acts["Date"])).any():
        problems.append("activities: unreadable date")
    invoice = acts["Invoice Number"]
    billed_to = (invoice != "").to_numpy() & _isin(invoice, firm["bills"]["Invoice Number"])
    matter_of_bill = firm["bills"].set_index("Invoice Number")["Matter Number"]
    if (
        acts.loc[billed_to, "Matter Number"]
        != matter_of_bill.reindex(acts.loc[billed_to, "Invoice Number"]).to_numpy()
    ).any():
        problems.append("activities: billed to an invoice of another matter")
    bills = firm["bills"]
    if (_cents(bills["Amount Paid"]) > _cents(bills["Total"])).any():
        problems.append("bills: Amount Paid above Total")
    matters = firm["matters"]
    if (_us_days(matters["Close Date"]) < _us_days(matters["Open Date"])).any():
        problems.append("matters: closed before opened")
    trust = firm["trust"]
    if (_trust_running(trust, ["Client ID"]) < 0).any():
        problems.append("trust: a client balance goes below zero")
    if (_trust_running(trust, ["Client ID", "Matter Number"]) < 0).any():
        problems.append("trust: a matter balance goes below zero")
    owner = matters.set_index("Matter Number")["Client ID"]
    if (owner.reindex(trust["Matter Number"]).to_numpy() != trust["Client ID"].to_numpy()).any():
        problems.append("trust: matter of another client")
    return problems


# --------------------------------------------------------------------------- planted problems


@dataclass(frozen=True)
class Planted:
    """One planted problem: which record (0 = first record of the entity) and which cell."""

    id: str
    entity: str
    index: int
    column: str
    problem: str


class _Planter:
    """Changes a few cells of a clean firm, never the same record twice."""

    def __init__(self, firm: Firm, rng: np.random.Generator) -> None:
        self.firm = firm
        self.rng = rng
        self.used: dict[str, BoolArray] = {e: np.zeros(len(f), dtype=bool) for e, f in firm.items()}
        self.planted: list[Planted] = []

    def pick(
        self,
        entity: str,
        mask: BoolArray | pd.Series,
        *,
        after: int = -1,
        where: Callable[[int], bool] | None = None,
    ) -> int:
        """A random record satisfying ``mask`` (and ``where``) that no other plant has touched."""
        ok = np.asarray(mask, dtype=bool) & ~self.used[entity]
        ok[: after + 1] = False
        # Candidates in a random order; ``where`` is tried on them until one fits (a handful, not every row).
        for index in self.rng.permutation(np.flatnonzero(ok)).tolist():
            if where is None or where(index):
                self.used[entity][index] = True
                return int(index)
        raise RuntimeError(f"no {entity} record left to plant a problem on")

    def get(self, entity: str, index: int, column: str) -> str:
        frame = self.firm[entity]
        return str(frame.iat[index, list(frame.columns).index(column)])

    def set(self, entity: str, index: int, **cells: str) -> None:
        frame = self.firm[entity]
        for column, value in cells.items():
            frame.iat[index, list(frame.columns).index(column.replace("_", " "))] = value
        self.used[entity][index] = True

    def note(self, pid: str, entity: str, index: int, column: str, problem: str) -> None:
        self.planted.append(Planted(pid, entity, index, column, problem))


def _absent(candidates: Iterable[str], present: pd.Series) -> str:
    taken = set(present.tolist())
    return next(c for c in candidates if c not in taken)


def plant_problems(firm: Firm, seed: int = SEED) -> list[Planted]:
    """Plant the sample's realistic problems into a clean firm (in place) and say where each one is.

    Every problem sits in a record that no other problem touches, and is chosen so that it
    causes only its own finding (e.g. the duplicated contact ID is one nobody refers to).
    """
    p = _Planter(firm, np.random.default_rng([seed, 99]))
    _plant_activities(p)
    _plant_contacts(p)
    _plant_matters(p)
    _plant_bills(p)
    _plant_trust(p)
    return sorted(p.planted, key=lambda x: (list(HEADERS).index(x.entity), x.index, x.column))


def _plant_activities(p: _Planter) -> None:
    acts, users, matters = p.firm["activities"], p.firm["users"], p.firm["matters"]
    is_time = (acts["Type"] == "Time").to_numpy()
    unbilled = (acts["Billed"] == "N").to_numpy()
    quiet = is_time & unbilled
    rate_of = dict(zip(users["User ID"], users["Default Rate"], strict=True))

    # One timekeeper with four entries on one day adding up to 26.5 hours.
    day = acts["Date"].to_numpy()
    free = quiet & ~p.used["activities"]
    counts = pd.Series(free).groupby(day).sum()
    days = counts.index[counts.to_numpy() >= 4].to_numpy()
    chosen_day = str(p.rng.choice(days))
    present = set(acts.loc[acts["Date"] == chosen_day, "User ID"])
    timekeepers = users.loc[(users["Default Rate"] != "") & (users["Active"] == "Y"), "User ID"]
    who = str(p.rng.choice([u for u in timekeepers if u not in present]))
    rows = np.flatnonzero(free & (day == chosen_day))[:4]
    rate = _cents(pd.Series([rate_of[who]]))[0]
    for row, hund in zip(rows, (800, 750, 600, 500), strict=True):
        p.set(
            "activities",
            int(row),
            User_ID=who,
            Rate=rate_of[who],
            Hours=_hours_text(hund),
            Amount=_money_text((hund * rate + 50) // 100),
        )
    p.note(
        "day-over-24-hours",
        "activities",
        int(rows[-1]),
        "Hours",
        f"{who} records 26.5 hours on {chosen_day} (four entries: 8.0 + 7.5 + 6.0 + 5.0); "
        "this entry takes the day past 24 hours",
    )

    matter_set = set(matters["Matter Number"])

    def transposed(number: str) -> str:
        return number[:-2] + number[-1] + number[-2]

    row = p.pick(
        "activities",
        quiet,
        where=lambda i: transposed(p.get("activities", i, "Matter Number")) not in matter_set,
    )
    real = p.get("activities", row, "Matter Number")
    typo = transposed(real)
    p.set("activities", row, Matter_Number=typo)
    p.note(
        "unknown-matter",
        "activities",
        row,
        "Matter Number",
        f"time entry on matter {typo}, which is not in the matters file (digits transposed from {real})",
    )

    row = p.pick("activities", quiet)
    ghost = _absent(["RTK", "MLB", "KPH", "SAW", "QXZ"], users["User ID"])
    p.set("activities", row, User_ID=ghost)
    p.note(
        "unknown-user",
        "activities",
        row,
        "User ID",
        f"time entry by user {ghost}, who is not in the staff list (someone who left the firm?)",
    )

    row = p.pick("activities", quiet)
    amount = _cents(pd.Series([p.get("activities", row, "Amount")]))[0]
    wrong = _money_text(int(amount) * 10)
    p.set("activities", row, Amount=wrong)
    p.note(
        "amount-not-hours-times-rate",
        "activities",
        row,
        "Amount",
        f"Amount {wrong} is not Hours {p.get('activities', row, 'Hours')} x Rate "
        f"{p.get('activities', row, 'Rate')} (= {_money_text(int(amount))}); a slipped decimal point",
    )

    row = p.pick("activities", quiet & (acts["Billable"] == "Y").to_numpy())
    invoices = p.firm["bills"]["Invoice Number"]
    missing_invoice = _absent((str(int(invoices.astype(int).max()) + k) for k in range(17, 1000)), invoices)
    p.set("activities", row, Billed="Y", Invoice_Number=missing_invoice)
    p.note(
        "unknown-invoice",
        "activities",
        row,
        "Invoice Number",
        f"billed entry points at invoice {missing_invoice}, which is not in the invoices file",
    )

    row = p.pick("activities", quiet)
    rate = _cents(pd.Series([p.get("activities", row, "Rate")]))[0]
    p.set(
        "activities",
        row,
        Hours="-0.5",
        Amount=_money_text(-((50 * int(rate) + 50) // 100)),
        Billable="N",
        Description="Reversal of duplicate entry",
        Activity_Code="",
    )
    p.note(
        "negative-hours", "activities", row, "Hours", "negative hours (-0.5): a reversal typed as an entry"
    )
    p.note(
        "negative-hours",
        "activities",
        row,
        "Amount",
        f"negative amount ({p.get('activities', row, 'Amount')}) from the same reversal entry",
    )

    parsed = _us_days(acts["Date"])
    near = (parsed >= np.datetime64("2025-02-24")) & (parsed <= np.datetime64("2025-03-07"))
    row = p.pick("activities", quiet & near if (quiet & near & ~p.used["activities"]).any() else quiet)
    p.set("activities", row, Date="02/30/2025")
    p.note("impossible-date", "activities", row, "Date", "date 02/30/2025 does not exist (February 30)")

    legacy = matters.index[matters["Matter Number"] == "000123"]
    if len(legacy):
        m = int(legacy[0])
        opened = _us_days(matters["Open Date"].iloc[[m]])[0]
        closed = _us_days(matters["Close Date"].iloc[[m]])[0]
        within = (parsed >= opened) & (parsed <= (AS_OF if np.isnat(closed) else closed))
        row = p.pick(
            "activities", quiet & within if (quiet & within & ~p.used["activities"]).any() else quiet
        )
        p.set("activities", row, Matter_Number="123")
        p.note(
            "leading-zeros-lost",
            "activities",
            row,
            "Matter Number",
            'matter "123" does not exist; it is matter 000123 with its leading zeros stripped (by Excel)',
        )

    is_expense = (acts["Type"] == "Expense").to_numpy()
    row = p.pick("activities", is_expense & unbilled if (is_expense & unbilled).any() else is_expense)
    formula = '=HYPERLINK("https://receipts.example.com/r/88123","Courier receipt")'
    p.set("activities", row, Description=formula)
    p.note(
        "formula-injection",
        "activities",
        row,
        "Description",
        "description starts with '=' (a spreadsheet formula): opened in Excel it becomes a live link",
    )


def _plant_contacts(p: _Planter) -> None:
    contacts = p.firm["contacts"]
    unref = ~_isin(
        contacts["Contact ID"],
        p.firm["matters"]["Client ID"],
        p.firm["notes"]["Contact ID"],
        p.firm["trust"]["Client ID"],
    )
    person = (contacts["Type"] == "Person").to_numpy()
    n = len(contacts)
    early = np.arange(n) < n // 3

    first = p.pick("contacts", early)
    later = p.pick("contacts", unref, after=first)
    shared = p.get("contacts", first, "Contact ID")
    p.set("contacts", later, Contact_ID=shared)
    p.note(
        "duplicate-contact-id",
        "contacts",
        later,
        "Contact ID",
        f"Contact ID {shared} was already used by an earlier row (a different contact)",
    )

    john = p.pick("contacts", person & early)
    jon = p.pick("contacts", person & unref, after=john)
    for row, name in ((john, "John"), (jon, "Jon")):
        p.set(
            "contacts",
            row,
            First_Name=name,
            Middle_Name="",
            Last_Name="Smith",
            Company="",
            Title="",
            Email="john.smith@example.com",
        )
    p.note(
        "same-person-twice",
        "contacts",
        jon,
        "Contact ID",
        f"Jon Smith ({p.get('contacts', jon, 'Contact ID')}) has the same e-mail as John Smith "
        f"({p.get('contacts', john, 'Contact ID')}): one person entered twice",
    )

    row = p.pick("contacts", person)
    p.set(
        "contacts", row, First_Name="Maria", Middle_Name="", Last_Name="Garcia", Email="maria.garcia@@example"
    )
    p.note("invalid-email", "contacts", row, "Email", "e-mail maria.garcia@@example is not a valid address")

    row = p.pick("contacts", (contacts["Phone"] != "").to_numpy())
    p.set("contacts", row, Phone="555-01")
    p.note("implausible-phone", "contacts", row, "Phone", "phone 555-01 is too short to be a phone number")

    row = p.pick("contacts", person)
    p.set(
        "contacts",
        row,
        First_Name="JosÃ©",
        Middle_Name="",
        Last_Name="PÃ©rez",
        Email="jose.perez@example.com",
    )
    p.note(
        "mojibake",
        "contacts",
        row,
        "First Name",
        "JosÃ© is José garbled by a wrong encoding (UTF-8 read as Windows-1252)",
    )
    p.note(
        "mojibake",
        "contacts",
        row,
        "Last Name",
        "PÃ©rez is Pérez garbled by a wrong encoding (UTF-8 read as Windows-1252)",
    )


def _plant_matters(p: _Planter) -> None:
    matters, contacts = p.firm["matters"], p.firm["contacts"]
    number = matters["Matter Number"]
    in_trust = _isin(number, p.firm["trust"]["Matter Number"])
    in_notes = _isin(number, p.firm["notes"]["Matter Number"])
    quiet = ~_isin(
        number,
        *(p.firm[e]["Matter Number"] for e in ("activities", "bills", "trust", "calendar", "tasks", "notes")),
    )
    closed = (matters["Status"] == "Closed").to_numpy()

    row = p.pick("matters", ~in_trust & ~in_notes & (number != "000123").to_numpy())
    width = len(contacts["Contact ID"].iloc[0]) - 1
    ghost = _absent(
        (f"C{k:0{width}d}" for k in range(len(contacts) + 37, 10 * len(contacts) + 100)),
        contacts["Contact ID"],
    )
    p.set("matters", row, Client_ID=ghost)
    p.note(
        "matter-without-client",
        "matters",
        row,
        "Client ID",
        f"client {ghost} is not in the client list: the matter would land under an unknown client",
    )

    row = p.pick("matters", closed & quiet if (closed & quiet & ~p.used["matters"]).any() else closed)
    opened = _us_days(matters["Open Date"].iloc[[row]])[0]
    close = us_dates(np.array([_busday(np.array([opened - 40]), "backward")[0]]))[0]
    p.set("matters", row, Close_Date=str(close))
    p.note(
        "closed-before-opened",
        "matters",
        row,
        "Close Date",
        f"Close Date {close} is before the Open Date {p.get('matters', row, 'Open Date')}",
    )


def _plant_bills(p: _Planter) -> None:
    bills = p.firm["bills"]
    row = p.pick("bills", (bills["Status"] == "Paid").to_numpy())
    total = _cents(pd.Series([p.get("bills", row, "Total")]))[0]
    paid = _money_text(int(total) + 25_000)
    p.set("bills", row, Amount_Paid=paid)
    p.note(
        "paid-more-than-total",
        "bills",
        row,
        "Amount Paid",
        f"Amount Paid {paid} is more than the invoice Total {p.get('bills', row, 'Total')}",
    )


def _plant_trust(p: _Planter) -> None:
    trust, matters = p.firm["trust"], p.firm["matters"]
    client = trust["Client ID"].to_numpy()
    ledgers_per_client = trust.groupby("Client ID")["Matter Number"].nunique()
    single = trust["Client ID"].map(ledgers_per_client).to_numpy() == 1
    last = ~trust.duplicated("Client ID", keep="last").to_numpy()
    withdrawal = (trust["Type"] == "Withdrawal").to_numpy()
    cand = single & last & withdrawal
    row = p.pick("trust", cand if cand.any() else single & last)
    running = _trust_running(trust, ["Client ID"])
    cents = _cents(trust["Amount"])
    before = int(running[row] + (cents[row] if withdrawal[row] else -cents[row]))
    over = before + 100_000
    p.set("trust", row, Type="Withdrawal", Amount=_money_text(over))
    overdrawn = str(client[row])
    p.note(
        "trust-overdrawn",
        "trust",
        row,
        "Amount",
        f"withdrawal of {_money_text(over)} takes client {overdrawn}'s trust balance from "
        f"{_money_text(before)} to -$1,000.00",
    )

    # A later deposit posted to another client's matter, chosen so that no ledger goes below zero.
    ledger = _trust_running(trust, ["Client ID", "Matter Number"])
    future_low = (
        pd.Series(ledger[::-1])
        .groupby([client[::-1], trust["Matter Number"].to_numpy()[::-1]])
        .cummin()
        .to_numpy()[::-1]
    )
    deposit = (trust["Type"] == "Deposit").to_numpy() & (
        trust["Description"] != "Initial retainer"
    ).to_numpy()
    row = p.pick("trust", deposit & (future_low >= cents) & (client != overdrawn))
    owner = matters.set_index("Matter Number")["Client ID"]
    others = trust.loc[
        (trust["Client ID"] != client[row]) & (trust["Client ID"] != overdrawn), "Matter Number"
    ]
    target = str(p.rng.choice(others.unique()))
    p.set("trust", row, Matter_Number=target)
    p.note(
        "trust-matter-of-other-client",
        "trust",
        row,
        "Matter Number",
        f"deposit for client {client[row]} posted to matter {target}, "
        f"which belongs to client {owner[target]}",
    )


# --------------------------------------------------------------------------- files


@dataclass(frozen=True)
class FileSpec:
    """How one entity is written: file name, encoding, line ending, and a title above a workbook's header."""

    name: str
    encoding: str = "utf-8"
    newline: str = "\n"
    title: str | None = None

    @property
    def is_workbook(self) -> bool:
        return self.name.lower().endswith(".xlsx")

    @property
    def header_row(self) -> int:
        """The spreadsheet row of the header (a title row and a blank row push it to 3)."""
        return 3 if self.title else 1


SAMPLE_LAYOUT: dict[str, FileSpec] = {
    "users": FileSpec("Staff.csv"),
    "contacts": FileSpec("Client list.csv", encoding="utf-8-sig", newline="\r\n"),
    "matters": FileSpec("Matters export.csv"),
    "activities": FileSpec("Time and expenses.csv"),
    "bills": FileSpec("Invoices.xlsx", title="Harbourview Legal — Invoices"),
    "trust": FileSpec("Trust ledger.csv"),
    "calendar": FileSpec("Calendar.csv"),
    "tasks": FileSpec("Tasks.csv"),
    "notes": FileSpec("Notes.csv", encoding="cp1252"),
}
"""The bundled sample: names a firm would use, one workbook, three encodings."""

BENCH_LAYOUT: dict[str, FileSpec] = {**SAMPLE_LAYOUT, "bills": FileSpec("Invoices.csv")}
"""The benchmark export: the same, with the invoices as CSV too (openpyxl writes ~10k rows/s)."""

_FIXED_TIME = dt.datetime(2025, 11, 14, 9, 30, 0)
_MONEY_COLUMNS = {"Total", "Amount Paid"}
_DATE_COLUMNS = {"Issue Date", "Due Date"}


def locate(planted: Sequence[Planted], layout: dict[str, FileSpec]) -> list[dict[str, Any]]:
    """The planted problems as the app reports them: file name, spreadsheet row, column."""
    return [
        {
            "id": x.id,
            "entity": x.entity,
            "file": layout[x.entity].name,
            "row": layout[x.entity].header_row + 1 + x.index,
            "column": x.column,
            "problem": x.problem,
        }
        for x in planted
    ]


def write_export(firm: Firm, out_dir: Path, layout: dict[str, FileSpec]) -> list[Path]:
    """Write every entity as its file in ``out_dir``; returns the paths written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for entity, spec in layout.items():
        path = out_dir / spec.name
        if spec.is_workbook:
            _write_workbook(firm[entity], path, spec)
        else:
            _write_csv(firm[entity], path, spec)
        written.append(path)
    return written


def _write_csv(frame: pd.DataFrame, path: Path, spec: FileSpec) -> None:
    columns = [frame[c].to_numpy(dtype=object) for c in frame.columns]
    with path.open("w", encoding=spec.encoding, newline="") as fh:
        writer = csv.writer(fh, lineterminator=spec.newline)
        writer.writerow(frame.columns)
        writer.writerows(zip(*columns, strict=True))


def _excel_value(column: str, text: str) -> tuple[Any, str | None]:
    """A text cell as the typed value a bookkeeper's workbook holds, with its number format."""
    if text == "":
        return None, None
    if column in _DATE_COLUMNS:
        return dt.datetime.strptime(text, "%m/%d/%Y").date(), "mm/dd/yyyy"
    if column in _MONEY_COLUMNS:
        return float(Decimal(text.replace("$", "").replace(",", ""))), '"$"#,##0.00'
    if column == "Invoice Number" and text.isdigit():
        return int(text), "0"
    return text, None


def _write_workbook(frame: pd.DataFrame, path: Path, spec: FileSpec) -> None:
    """An .xlsx with a title row, a blank row, then the header (the sample's 500 rows; not for scale)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Invoices"
    ws.cell(row=1, column=1, value=spec.title).font = Font(bold=True, size=14)
    for j, header in enumerate(frame.columns, start=1):
        ws.cell(row=spec.header_row, column=j, value=header).font = Font(bold=True)
        ws.column_dimensions[chr(ord("A") + j - 1)].width = 16
    for i, record in enumerate(frame.itertuples(index=False, name=None), start=spec.header_row + 1):
        for j, (column, text) in enumerate(zip(frame.columns, record, strict=True), start=1):
            value, number_format = _excel_value(column, str(text))
            cell = ws.cell(row=i, column=j, value=value)
            if number_format:
                cell.number_format = number_format
    ws.freeze_panes = ws.cell(row=spec.header_row + 1, column=1)
    wb.properties.creator = FIRM_NAME
    wb.properties.created = _FIXED_TIME
    wb.properties.modified = _FIXED_TIME
    buffer = io.BytesIO()
    wb.save(buffer)
    path.write_bytes(_reproducible_zip(buffer.getvalue()))


def _reproducible_zip(data: bytes) -> bytes:
    """Rewrite a workbook's zip with fixed timestamps so the same data gives the same bytes."""
    stamp = _FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + stamp, content)
            fixed = zipfile.ZipInfo(info.filename, date_time=_FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            dst.writestr(fixed, content)
    return out.getvalue()


# --------------------------------------------------------------------------- the sample's documentation


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def sample_readme(firm: Firm, problems: Sequence[dict[str, Any]], layout: dict[str, FileSpec]) -> str:
    files = "\n".join(
        f"| `{layout[e].name}` | {e} | {len(firm[e]):,} | {_describe_file(e, layout[e])} |" for e in layout
    )
    table = "\n".join(
        f"| {i} | `{x['file']}` | {x['row']} | {x['column']} | {_md(x['problem'])} | `{x['id']}` |"
        for i, x in enumerate(problems, start=1)
    )
    return f"""# The bundled sample export

`sample-firm/` is what a fictional Toronto firm, **{FIRM_NAME}**, got out of its old
practice-management system: nine files, named the way a firm names them (the app
has to recognise each file's role from its headers, not from its name). The folder
holds the export files only; this README is documentation.

Do not edit the files by hand: they are generated, byte for byte the same on every
run, by

    .venv/bin/python scripts/make_sample_export.py

which also rewrites this README and `tests/data/sample_expected_problems.json` (the
planted problems below, for the tests). The data is invented; any resemblance to
real people is coincidence. Phone numbers are 555-01xx numbers and e-mail domains
are `example.com`-style or end in `.example`.

## Files

| file | entity | records | how it is written |
|---|---|---:|---|
{files}

Apart from the planted problems the data is consistent: every reference resolves,
Amount = Hours × Rate, each invoice's Total is the sum of the entries billed on it
(the firm bills every six months; voided-and-reissued and draft invoices exist),
trust balances never go below zero (per client or per matter), nobody records more
than about 10 hours a day, matters close after they open. The export was taken on
11/14/2025: nothing is dated later except calendar events and due dates. Time and
expenses carry a few multi-line descriptions (quoted embedded newlines), commas and
quotes; contacts
carry multi-line notes, apostrophes and accents (O'Brien, Núñez, Zoë), plus-addressed
e-mails and phone numbers in several formats; matters opened before 2020 keep the old
system's zero-padded numbers (`000123`), later ones are `YYYY-NNNN`.

## Planted problems

Rows are spreadsheet rows: the header is row 1 and the first record row 2, except in
`Invoices.xlsx`, where a title row and a blank row put the header on row 3 and the first
record on row 4. A quoted multi-line cell is still one row.

| # | file | row | column | problem | id |
|---:|---|---:|---|---|---|
{table}

The duplicate contact ID, the same-person pair, the overdrawn trust balance and the
day over 24 hours are relation problems: they are listed at the row that breaks the
rule (the later duplicate, the withdrawal that takes the balance below zero, the
entry that takes the day past 24 hours). A few problems name two cells of one record
(the garbled name, the negative entry); each cell is listed.
"""


def _describe_file(entity: str, spec: FileSpec) -> str:
    parts = []
    if spec.is_workbook:
        parts.append(
            f'Excel workbook; title "{spec.title}" in row 1, row 2 blank, header in row 3; '
            "dates and amounts are real Excel dates and numbers, invoice numbers are numbers"
        )
    else:
        encoding = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 with BOM", "cp1252": "Windows-1252"}[spec.encoding]
        ending = "CRLF" if spec.newline == "\r\n" else "LF"
        parts.append(f"CSV, {encoding}, {ending} line endings")
    if entity == "notes":
        parts.append("ISO dates (YYYY-MM-DD)")
    elif entity == "calendar":
        parts.append("MM/DD/YYYY HH:MM")
    elif not spec.is_workbook and entity != "contacts" and entity != "users":
        parts.append("MM/DD/YYYY dates")
    return "; ".join(parts)


# --------------------------------------------------------------------------- entry point


def main() -> int:
    firm = build_firm(seed=SEED)
    clean = integrity_problems(firm)
    if clean:
        raise SystemExit(f"the generated firm is not clean before planting: {clean}")
    planted = plant_problems(firm, seed=SEED)
    problems = locate(planted, SAMPLE_LAYOUT)

    SAMPLE_DIR.mkdir(parents=True, exist_ok=True)
    keep = {spec.name for spec in SAMPLE_LAYOUT.values()}
    for stale in SAMPLE_DIR.iterdir():
        if stale.is_file() and stale.name not in keep:
            stale.unlink()
    written = write_export(firm, SAMPLE_DIR, SAMPLE_LAYOUT)
    EXPECTED_JSON.parent.mkdir(parents=True, exist_ok=True)
    EXPECTED_JSON.write_text(json.dumps(problems, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    SAMPLE_README.write_text(sample_readme(firm, problems, SAMPLE_LAYOUT), encoding="utf-8")

    size = sum(p.stat().st_size for p in written)
    for path in written:
        print(f"{path.relative_to(ROOT)}  {path.stat().st_size:>9,} bytes")
    print(f"{len(planted)} planted problems; {size / 1e6:.2f} MB in {SAMPLE_DIR.relative_to(ROOT)}")
    if size > 2_000_000:
        print("warning: the sample is larger than 2 MB", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
