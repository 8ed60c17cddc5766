"""Benchmark: possible duplicates on a large contact list full of namesakes (not a timed test).

A real firm's contact list holds many different people called James Smith, each with their own
e-mail, phone and address, and a few real duplicates: the same person entered again under
another ID, sharing an e-mail or a phone, spelt a little differently (Bob for Robert, Garcia for
García, a middle name added, a letter dropped). This writes such a list and checks it:

    .venv/bin/python bench/duplicates.py [--rows 200000] [--seed 7]

and reports possible-duplicate warnings as a share of rows (target under 0.5%), planted true
duplicates found (target: all), the info findings, wall time of the whole ``validate`` and of
the duplicate rule alone (wall and CPU), and the peak memory of the checking process (a child of this one).
``tests/test_duplicates.py`` runs the same generator at 2,000 contacts.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]


def _words(text: str) -> list[str]:
    return text.split()


HEADERS = [
    "Contact ID", "Type", "First Name", "Middle Name", "Last Name", "Company", "Title", "Email", "Phone",
    "Mobile", "Street", "City", "State/Province", "Postal Code", "Country", "Notes",
]  # fmt: skip
# Common given names and surnames, most frequent first: drawn with Zipf-like weights, so the
# list holds hundreds of James Smiths and Maria Garcías, as a large real list does.
FIRST = _words(
    "James John Robert Michael William David Richard Joseph Thomas Charles Mary Patricia Jennifer Linda "
    "Elizabeth Barbara Susan Jessica Sarah Karen Daniel Matthew Anthony Mark Donald Steven Paul Andrew "
    "Joshua Kenneth Nancy Lisa Betty Margaret Sandra Ashley Kimberly Emily Donna Michelle Kevin Brian "
    "George Edward Ronald Timothy Jason Jeffrey Ryan Jacob Dorothy Carol Amanda Melissa Deborah Stephanie "
    "Rebecca Sharon Laura Cynthia Maria Jose Juan Carlos Luis Ana Sofia Wei Priya Aisha"
)
LAST = _words(
    "Smith Johnson Williams Brown Jones García Miller Davis Rodríguez Martínez Hernández López González "
    "Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Pérez Thompson White Harris Sánchez Clark "
    "Ramírez Lewis Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill Flores Green Adams "
    "Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts Gómez Phillips Evans Turner Díaz Parker "
    "Cruz Edwards Collins Reyes Stewart Morris Morales Murphy Cook Rogers Gutiérrez Ortiz Morgan Cooper "
    "Peterson Bailey Reed Kelly Howard Ramos Kim Cox Ward Richardson Watson Brooks Chávez Wood James "
    "Bennett Gray Mendoza Ruiz Hughes Price Alvarez Castillo Sanders Patel Myers Long Ross Foster Jiménez "
    "O'Brien Müller Chen Wang Singh"
)
STREETS = _words(
    "King Queen Main Oak Maple Cedar Pine Elm Church Park Lake Hill Bay Bloor Yonge College Dundas Front "
    "Spadina Bathurst Victoria Wellington Richmond Adelaide Market Mill River Spring Union Water"
)
CITIES = [("Toronto", "ON", "M"), ("Ottawa", "ON", "K"), ("Chicago", "IL", "6"), ("Boston", "MA", "0"),
          ("Denver", "CO", "8"), ("Austin", "TX", "7"), ("Seattle", "WA", "9"), ("Miami", "FL", "3")]  # fmt: skip
NICKNAMES = {
    "Robert": "Bob", "William": "Bill", "Richard": "Rick", "James": "Jim", "Michael": "Mike",
    "Elizabeth": "Liz", "Margaret": "Peggy", "Thomas": "Tom", "Joseph": "Joe", "Daniel": "Dan",
    "Matthew": "Matt", "Anthony": "Tony", "Steven": "Steve", "Kenneth": "Ken", "Edward": "Ted",
    "Timothy": "Tim", "Jennifer": "Jen", "Patricia": "Trish", "Charles": "Chuck", "Andrew": "Andy",
    "Rebecca": "Becky", "Deborah": "Debbie", "Jeffrey": "Jeff", "Kimberly": "Kim", "Susan": "Sue",
}  # fmt: skip
MESSAGE_OTHER = re.compile(r"on row \d+ \((?P<id>[^)]+)\)")


def _zipf(rng: np.random.Generator, n: int, k: int, s: float = 1.0) -> np.ndarray:
    weights = 1.0 / np.arange(1, k + 1) ** s
    return rng.choice(k, size=n, p=weights / weights.sum())


def _unaccent(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _phones(start: int, n: int) -> np.ndarray:
    """*n* distinct ten-digit North American numbers (an odd multiplier is a bijection mod 8e9)."""
    digits = 2_000_000_000 + (
        (np.arange(start, start + n, dtype=np.int64) * 2_654_435_761 + 12_345) % 8_000_000_000
    )
    text = digits.astype(str)
    return np.char.add(
        np.char.add(np.char.add("(", [t[:3] for t in text]), ") "), [f"{t[3:6]}-{t[6:]}" for t in text]
    )


def make_contacts(rows: int, seed: int = 7) -> tuple[pd.DataFrame, list[tuple[str, str]]]:
    """A contact list of *rows* records and its planted true duplicates (pairs of Contact IDs).

    About 90% are people drawn from common names (so namesakes abound), each with their own
    e-mail, phone and address; 3% live with a family member (same surname and address, a
    different first name; one family in four shares one e-mail); 5% work for a firm whose main
    line is their phone; 10% are companies. One row in 400 (at least 5) is a planted duplicate.
    """
    rng = np.random.default_rng(seed)
    dups = max(5, rows // 400)
    n = rows - dups
    first = np.array(FIRST, dtype=object)[_zipf(rng, n, len(FIRST), 0.7)]
    last = np.array(LAST, dtype=object)[_zipf(rng, n, len(LAST), 0.9)]
    middle = np.where(
        rng.random(n) < 0.3, np.array(list("ABCDEFGHJKLMNPRSTW"), dtype=object)[rng.integers(0, 18, n)], ""
    )
    ids = np.array([f"C{i:07d}" for i in range(1, rows + 1)], dtype=object)
    idx = np.arange(n)
    local = [f"{_unaccent(f).lower()}.{_unaccent(la).lower().replace(chr(39), '')}.{i}" for f, la, i in
             zip(first.tolist(), last.tolist(), idx.tolist(), strict=True)]  # fmt: skip
    domains = np.array(["example.com", "example.org", "mail.example.net", "example.ca"], dtype=object)
    email = np.char.add(np.char.add(np.array(local, dtype=str), "@"), domains[idx % 4].astype(str)).astype(
        object
    )
    phone = _phones(0, n).astype(object)
    mobile = np.where(rng.random(n) < 0.5, _phones(n, n), "").astype(object)
    city = rng.integers(0, len(CITIES), n)
    street = np.array(
        [f"{num} {STREETS[s]} {'St' if s % 2 else 'Ave'}" for num, s in
         zip(rng.integers(1, 9999, n).tolist(), rng.integers(0, len(STREETS), n).tolist(), strict=True)],
        dtype=object,
    )  # fmt: skip
    postal = np.array(
        [
            f"{CITIES[c][2]}{d:05d}"
            for c, d in zip(city.tolist(), rng.integers(0, 99999, n).tolist(), strict=True)
        ],
        dtype=object,
    )
    kind = np.full(n, "Person", dtype=object)
    company = np.full(n, "", dtype=object)

    # Families: the next row moves in with this one (same surname and address, own first name).
    fam = np.flatnonzero(rng.random(n - 1) < 0.03)
    fam = fam[np.diff(np.concatenate(([-2], fam))) > 1]  # no chains
    # A family gives its members different first names (a Jr. is left out: he is a namesake at home).
    same_first = first[fam + 1] == first[fam]
    first[fam[same_first] + 1] = np.array(FIRST, dtype=object)[
        (np.array([FIRST.index(f) for f in first[fam[same_first]].tolist()], dtype=int) + 1) % len(FIRST)
    ]
    last[fam + 1], street[fam + 1], postal[fam + 1], city[fam + 1] = (
        last[fam],
        street[fam],
        postal[fam],
        city[fam],
    )
    family_mail = fam[rng.random(len(fam)) < 0.25]
    email[family_mail + 1] = email[family_mail]
    # Colleagues: the firm's main line as their phone.
    firms = rng.integers(0, max(1, n // 400), n)
    staff = rng.random(n) < 0.05
    company[staff] = [f"{LAST[f % len(LAST)]} & Partners LLP" for f in firms[staff].tolist()]
    phone[staff] = _phones(3 * rows, max(1, n // 400))[firms[staff]]
    # Companies.
    firm_rows = rng.random(n) < 0.10
    kind[firm_rows] = "Company"
    count = int(firm_rows.sum())
    pairs = zip(
        rng.integers(0, len(LAST), count).tolist(), rng.integers(0, len(LAST), count).tolist(), strict=True
    )
    company[firm_rows] = [
        (f"{LAST[a]} & Co." if a % 3 else f"{LAST[a]} Holdings Inc.")
        if a % 2
        else f"{LAST[a]} and {LAST[b]} LLP"
        for a, b in pairs
    ]
    first[firm_rows] = middle[firm_rows] = last[firm_rows] = ""

    frame = pd.DataFrame(
        {
            "Type": kind, "First Name": first, "Middle Name": middle, "Last Name": last, "Company": company,
            "Title": "", "Email": email, "Phone": phone, "Mobile": mobile, "Street": street,
            "City": [CITIES[c][0] for c in city.tolist()], "State/Province": [CITIES[c][1] for c in city.tolist()],
            "Postal Code": postal, "Country": "", "Notes": "",
        }
    )  # fmt: skip

    # Planted duplicates: a person entered again, spelt differently, sharing an e-mail or phone.
    people = np.flatnonzero(~firm_rows & ~staff)
    sources = rng.choice(people, size=dups, replace=False)
    copies = frame.iloc[sources].copy()
    fresh_phone = _phones(4 * rows, dups)
    for j, (pos, src) in enumerate(zip(copies.index.tolist(), sources.tolist(), strict=True)):
        row = copies.loc[pos]
        given, surname = str(row["First Name"]), str(row["Last Name"])
        way = j % 5
        if way == 0 and given in NICKNAMES:
            given = NICKNAMES[given]
        elif way == 1 and surname != _unaccent(surname):
            surname = _unaccent(surname)
        elif way == 2:
            copies.loc[pos, "Middle Name"] = "" if row["Middle Name"] else "Lee"
        elif way == 3 and len(given) >= 4:
            given = given[:2] + given[3:]  # a letter dropped: "John" -> "Jon"
        else:
            given, surname = given.upper(), surname.upper()
        copies.loc[pos, ["First Name", "Last Name"]] = [given, surname]
        evidence = j % 3  # 0: the e-mail, 1: the phone, 2: both
        if evidence == 1:
            copies.loc[pos, "Email"] = f"{_unaccent(given).lower()}.{j}@elsewhere.example.com"
        if evidence == 0:
            copies.loc[pos, "Phone"] = fresh_phone[j]
        # A new address as often as not: people move.
        if j % 2:
            copies.loc[pos, ["Street", "Postal Code"]] = [f"{j + 1} New Rd", f"Z{j:05d}"]
        del src
    frame = pd.concat([frame, copies], ignore_index=True)
    original_of = np.concatenate([np.full(n, -1), sources])
    # Shuffle, so a duplicate may come before or after its original, then number the rows.
    order = rng.permutation(rows)
    frame = frame.iloc[order].reset_index(drop=True)
    frame.insert(0, "Contact ID", ids)
    position_of = np.empty(rows, dtype=np.int64)
    position_of[order] = np.arange(rows)
    truth = [
        (str(ids[position_of[orig]]), str(ids[position_of[n + j]]))
        for j, orig in enumerate(original_of[n:].tolist())
    ]
    return frame[HEADERS], truth


def score(findings: list[dict[str, object]], truth: list[tuple[str, str]], rows: int) -> dict[str, object]:
    """Warnings as a share of rows, planted duplicates found, and the other findings counted."""
    warnings = [f for f in findings if f["rule"] == "possible-duplicate"]
    linked = set()
    for f in warnings:
        match = MESSAGE_OTHER.search(str(f["message"]))
        if match:
            linked.add(frozenset((str(f["value"]), match["id"])))
    found = sum(frozenset(pair) in linked for pair in truth)
    planted = {frozenset(pair) for pair in truth}
    return {
        "rows": rows,
        "warnings": len(warnings),
        "warnings_pct": round(100 * len(warnings) / rows, 3),
        "true_duplicates": len(truth),
        "found": found,
        "missed": [list(p) for p in truth if frozenset(p) not in linked],
        "false_warnings": sum(1 for pair in linked if pair not in planted),
        "shared_contact_detail": sum(f["rule"] == "shared-contact-detail" for f in findings),
        "namesakes": [f["message"] for f in findings if f["rule"] == "namesakes"],
    }


def _check(path: Path) -> dict[str, object]:
    """In the child: validate the file, then time the duplicate rule alone on the same data."""
    sys.path.insert(0, str(ROOT))
    from migration_assistant.core.engine import validate
    from migration_assistant.core.rules.base import CheckContext
    from migration_assistant.core.rules.contacts import possible_duplicate

    start, cpu = time.perf_counter(), time.process_time()
    result = validate([path], "template")
    whole, whole_cpu = time.perf_counter() - start, time.process_time() - cpu
    ctx = CheckContext(result.dataset)
    start, cpu = time.perf_counter(), time.process_time()
    possible_duplicate(ctx)
    alone, alone_cpu = time.perf_counter() - start, time.process_time() - cpu
    return {
        "validate_s": round(whole, 2),
        "validate_cpu_s": round(whole_cpu, 2),
        "duplicate_rule_s": round(alone, 2),
        "duplicate_rule_cpu_s": round(alone_cpu, 2),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "findings": [f.to_json() for f in result.report.findings],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--check", type=Path, help=argparse.SUPPRESS)  # the child's part
    args = parser.parse_args()
    if args.check:
        json.dump(_check(args.check), sys.stdout)
        return
    start = time.perf_counter()
    frame, truth = make_contacts(args.rows, args.seed)
    made = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "contacts.csv"
        frame.to_csv(path, index=False)
        child = subprocess.run(
            [sys.executable, __file__, "--check", str(path)], capture_output=True, text=True, check=True
        )
    measured = json.loads(child.stdout)
    report = score(measured.pop("findings"), truth, args.rows)
    report.update(measured, generate_s=round(made, 1))
    print(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
