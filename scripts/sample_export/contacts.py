"""The client list (contacts): people and companies, addresses, phones, e-mails and notes."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from scripts.sample_export.common import BoolArray, IntArray, TextArray
from scripts.sample_export.vectors import ascii_slug, by_unique, cat, choice, dedupe_suffix, make_ids, pool
from scripts.sample_export.words import (
    CITIES,
    CITY_WEIGHTS,
    CO_SPECIAL,
    CO_SUFFIX,
    CO_TRADE,
    CO_WORD,
    COMPANY_NOTES,
    CONTACT_NOTES,
    FIRST,
    JOB_TITLES,
    LAST,
    MIDDLE,
    STREETS,
)


@dataclass
class Contacts:
    frame: pd.DataFrame
    is_client: BoolArray
    display: TextArray  # "Last, First" or the company name


REPEATED_NAMES = 0.02
"""Share of contacts that repeat an earlier contact's name in a big export (namesakes and true duplicates)."""


def _person_names(rng: np.random.Generator, k: int) -> tuple[TextArray, TextArray]:
    """``k`` different (first, last) names: single surnames while 70% of those pairs last, then
    double-barrelled ones; in a big export (over 1,000) a few names repeat on purpose."""
    n_f, n_l = len(FIRST), len(LAST)
    k_single = min(k, int(0.7 * n_f * n_l))
    single = rng.choice(n_f * n_l, size=k_single, replace=False)
    double = rng.choice(n_f * n_l * n_l, size=k - k_single, replace=False)
    f = np.concatenate([single // n_l, double // (n_l * n_l)])
    l1 = np.concatenate([single % n_l, (double // n_l) % n_l])
    l2 = np.concatenate([np.full(k_single, -1), double % n_l])
    l2 = np.where(l2 == l1, (l2 + 1) % n_l, l2)
    order = rng.permutation(k)
    f, l1, l2 = f[order], l1[order], l2[order]
    last_pool = pool(LAST)
    first = pool(FIRST)[f]
    last = np.where(l2 < 0, last_pool[l1], cat(last_pool[l1], "-", last_pool[np.maximum(l2, 0)]))
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
    n_w, n_t, n_l = len(CO_WORD), len(CO_TRADE), len(LAST)
    sizes = np.array([n_w * n_t, n_l * n_t, n_l * n_l])
    weight = np.repeat(np.array([0.4, 0.35, 0.25]) / sizes, sizes)
    n_named = min(int(k * 0.88), int(0.7 * sizes.sum()))
    idx = rng.choice(int(sizes.sum()), size=n_named, replace=False, p=weight / weight.sum())
    kind = np.searchsorted(np.cumsum(sizes), idx, side="right")
    local = idx - np.concatenate([[0], np.cumsum(sizes)[:-1]])[kind]
    words, trades, lasts = pool(CO_WORD), pool(CO_TRADE), pool(LAST)
    base = np.select(
        [kind == 0, kind == 1],
        [
            cat(words[local // n_t % n_w], " ", trades[local % n_t]),
            cat(lasts[local // n_t % n_l], " ", trades[local % n_t]),
        ],
        cat(lasts[local // n_l % n_l], " & ", lasts[local % n_l]),
    ).astype(object)
    suffix = np.where(kind == 2, "LLP", pool(CO_SUFFIX)[choice(rng, len(CO_SUFFIX), n_named)])
    named = cat(base, " ", suffix)
    n_numbered = k - n_named
    numbers = cat(rng.choice(1_900_000, size=n_numbered, replace=False) + 1_000_000, " Ontario Inc.")
    name = np.concatenate([named, numbers])
    base = np.concatenate([base, numbers])
    order = rng.permutation(k)
    name, base = name[order], base[order]
    special = np.flatnonzero(np.concatenate([np.ones(n_named, bool), np.zeros(n_numbered, bool)])[order])
    special = np.sort(rng.choice(special, size=min(len(special), len(CO_SPECIAL)), replace=False))
    name[special] = pool(CO_SPECIAL)[: len(special)]
    base[special] = name[special]
    _repeat_some(rng, name, base)
    return name, base


def build_contacts(n_contacts: int, rng: np.random.Generator) -> Contacts:
    n = n_contacts
    is_company = rng.random(n) < 0.3
    n_person = int((~is_company).sum())
    first = np.full(n, "", dtype=object)
    last = np.full(n, "", dtype=object)
    first[~is_company], last[~is_company] = _person_names(rng, n_person)
    middle = np.where(~is_company & (rng.random(n) < 0.25), pool(MIDDLE)[choice(rng, len(MIDDLE), n)], "")

    n_company = int(is_company.sum())
    co_name, co_base = _company_names(rng, n_company)
    company = np.full(n, "", dtype=object)
    company[is_company] = co_name
    co_slug = by_unique(co_base, ascii_slug)
    company_domain = np.full(n, "", dtype=object)
    company_domain[is_company] = cat(co_slug, ".example")

    # Some people work for one of the companies in the list.
    employed = ~is_company & (rng.random(n) < 0.2) & (n_company > 0)
    employer = (
        np.flatnonzero(is_company)[choice(rng, max(n_company, 1), n)] if n_company else np.zeros(n, int)
    )
    company = np.where(employed, company[employer], company)
    title = np.where(employed, pool(JOB_TITLES)[choice(rng, len(JOB_TITLES), n)], "")

    slug_first = by_unique(first, ascii_slug)
    slug_last = by_unique(last, ascii_slug)
    personal = cat(slug_first, ".", slug_last)
    personal = cat(personal, dedupe_suffix(personal))
    plus = rng.random(n) < 0.1
    personal = np.where(plus, cat(personal, "+", np.where(rng.random(n) < 0.5, "legal", "hvl")), personal)
    domain = pool(["example.com", "example.org", "example.net", "mail.example.com"])[choice(rng, 4, n)]
    domain = np.where(employed, company_domain[employer], domain)
    mailbox = pool(["info", "accounts", "admin", "office", "legal"])[choice(rng, 5, n)]
    email = np.where(is_company, cat(mailbox, "@", company_domain), cat(personal, "@", domain))
    email = np.where(rng.random(n) < 0.06, "", email)  # some contacts have no e-mail

    city_idx = choice(rng, len(CITIES), n, CITY_WEIGHTS)
    city = pool([c[0] for c in CITIES])[city_idx]
    province = pool([c[1] for c in CITIES])[city_idx]
    country = pool([c[2] for c in CITIES])[city_idx]
    country = np.where(rng.random(n) < 0.15, "", country)  # often left blank for local contacts
    letter = pool([c[3] for c in CITIES])[city_idx]
    letters = np.array(list("ABCEGHJKLMNPRSTVXY"), dtype=object)
    digits = rng.integers(0, 10, size=(n, 3)).astype(str).astype(object)
    rand_letters = letters[rng.integers(0, len(letters), size=(n, 2))]
    postal_ca = cat(
        letter, digits[:, 0], rand_letters[:, 0], " ", digits[:, 1], rand_letters[:, 1], digits[:, 2]
    )
    postal_us = cat("100", np.strings.zfill(rng.integers(1, 99, n).astype(str), 2))
    postal = np.where(letter == "", postal_us, postal_ca)
    number = rng.integers(1, 2400, n)
    street = cat(number, " ", pool(STREETS)[choice(rng, len(STREETS), n)])
    suite = rng.random(n) < 0.2
    street = np.where(suite, cat("Suite ", rng.integers(2, 40, n) * 100, ", ", street), street)

    has_mobile = ~is_company & (rng.random(n) < 0.5)
    # No two contacts share a number (while the 555-01xx range lasts).
    phones = _phones(rng, np.concatenate([city_idx, city_idx[has_mobile]]))
    phone = phones[:n]
    mobile = np.full(n, "", dtype=object)
    mobile[has_mobile] = np.strings.partition(phones[n:].astype(str), " x")[0]  # no extension on a cell
    phone = np.where(rng.random(n) < 0.05, "", phone)

    note = choice(rng, len(CONTACT_NOTES), n)
    note = np.where(is_company, note % COMPANY_NOTES, note)  # the first few notes fit a company too
    notes = np.where(rng.random(n) < 0.25, pool(CONTACT_NOTES)[note], "")
    is_client = rng.random(n) < 0.75
    display = np.where(is_company, company, cat(last, ", ", first))
    frame = pd.DataFrame(
        {
            "Contact ID": make_ids("C", 1, n, 5),
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
    return Contacts(frame, is_client, display)


def _phones(rng: np.random.Generator, city_of_number: IntArray) -> TextArray:
    """Fictional 555-01xx numbers, in the formats people actually type; the area code follows the city."""
    n = len(city_of_number)
    areas = sorted({a for c in CITIES for a in c[4]})
    # Each city's own area codes, as (city, area) weights; then one of the 100 lines of that area.
    allowed = np.array([[a in c[4] for a in areas] for c in CITIES], dtype=float)
    weight = (allowed / allowed.sum(axis=1, keepdims=True))[city_of_number]
    area_idx = (rng.random(n)[:, None] > np.cumsum(weight, axis=1)).sum(axis=1).clip(0, len(areas) - 1)
    line_idx = rng.integers(0, 100, n)
    # Re-draw lines so that (area, line) pairs are unique while the range allows it.
    order = np.lexsort((rng.random(n), area_idx))
    rank = pd.Series(np.arange(n)).groupby(area_idx[order]).cumcount().to_numpy()
    start = rng.integers(0, 100, len(areas))[area_idx[order]]
    line_idx[order] = (start + rank) % 100
    area = pool(areas)[area_idx]
    line = cat("01", np.strings.zfill(line_idx.astype(str), 2))
    style = choice(rng, 5, n, [0.3, 0.3, 0.2, 0.1, 0.1])
    ext = cat(" x", rng.integers(100, 400, n))
    options = [
        cat("+1 ", area, " 555 ", line),
        cat("(", area, ") 555-", line),
        cat(area, "-555-", line),
        cat(area, ".555.", line),
        cat("(", area, ") 555-", line, ext),
    ]
    return np.choose(style, options).astype(object)
