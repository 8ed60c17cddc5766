"""Contacts reduced to comparable keys, and pairs of contacts weighed on the evidence they share.

The weighing follows the Fellegi-Sunter model that record-linkage tools such as Splink use
(https://moj-analytical-services.github.io/splink/topic_guides/theory/fellegi_sunter.html):
each comparison of a pair (name, e-mail, phone, address) lands on a level, and each level adds
``log2(m / u)`` to the pair's match weight, where *m* is how often that level is seen when the two
records are one person and *u* how often when they are two. Agreeing on a rare detail adds a lot,
disagreeing takes a little away (people have several addresses), a blank adds nothing. The
probabilities are fixed here rather than trained (dedupe learns them from labelled pairs, Splink
by expectation maximisation) so that every finding can be explained in a sentence.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from rapidfuzz import fuzz
from rapidfuzz.distance import OSA, Hamming, Indel, Prefix
from rapidfuzz.process import cpdist

from migration_assistant.core.normalise import as_arrow
from migration_assistant.core.resources import resource_path

COMPANY_SUFFIX = (
    r"\b(inc|incorporated|llc|llp|ltd|limited|corp|corporation|co|company|plc|pc|pllc|gmbh|sa|lp)\b"
)
SEPARATORS = r"\s+:::\s+|;|\r\n|\n|\r"
"""How exports put several values in one cell: Google's " ::: ", a semicolon, a line break."""

SAME, NEAR, DIFFER, BLANK, SHARED_LINE = 3, 2, 1, 0, 4
"""Comparison levels of a pair on one field (BLANK: one side has nothing to compare; SHARED_LINE:
the same value, but one that contacts of three or more surnames hold, such as a firm's
switchboard, an info@ address or an office tower, which says little about who a contact is;
a household's e-mail, all one surname, stays personal)."""
SHARED_BY = 3

# (m, u) per field and level: Pr(level | same person), Pr(level | two people).
_M_U: dict[str, dict[int, tuple[float, float]]] = {
    "name": {SAME: (0.85, 0.0005), NEAR: (0.10, 0.001), DIFFER: (0.05, 0.9985)},
    "email": {SAME: (0.55, 0.00005), SHARED_LINE: (0.05, 0.005), DIFFER: (0.40, 0.99495)},
    "phone": {SAME: (0.50, 0.0001), SHARED_LINE: (0.05, 0.005), DIFFER: (0.45, 0.9949)},
    "address": {SAME: (0.60, 0.0002), SHARED_LINE: (0.05, 0.005), DIFFER: (0.35, 0.9948)},
}
WEIGHTS: dict[str, dict[int, float]] = {
    name: {level: math.log2(m / u) for level, (m, u) in levels.items()} for name, levels in _M_U.items()
}
"""Partial match weights: name SAME +10.7, NEAR +6.6, DIFFER -4.3; e-mail SAME +13.4, SHARED_LINE
+3.3, DIFFER -1.3; phone SAME +12.3, SHARED_LINE +3.3, DIFFER -1.1; address SAME +11.6, SHARED_LINE
+3.3, DIFFER -1.5."""
WARN_AT = 15.0
"""A pair at or above this weight, with names alike, is a probable duplicate. A name alone reaches
at most 10.7 (with one shared line, 14.0; with a shared line and a shared office, 16.1, the
rare case where namesakes at one firm's address and switchboard are flagged); a near-identical
name plus any one shared detail of its own, the others differing, at least 15.7."""

BLOCK_CAP = 25
"""Within one block, each record is compared with at most this many earlier ones."""
SMALL_BLOCK = 6
"""Records sharing only a detail are all compared when at most this many share it (a person and
their duplicates, a household); a larger block (a switchboard shared by 300) is compared only
within each surname, which is where a duplicate under a near-identical name sits."""


@cache
def nicknames() -> tuple[dict[str, str], frozenset[str]]:
    """Each known first name's canonical form, and every "a|b" pair of names for one person."""
    table: dict[str, list[str]] = json.loads(
        resource_path("resources", "nicknames.json").read_text(encoding="utf-8")
    )["names"]
    forms: dict[str, set[str]] = {}
    for formal, short in table.items():
        for name in (formal, *short):
            forms.setdefault(name, set()).add(formal)
    # An ambiguous diminutive ("al") gets one canonical form for grouping; pairs still
    # recognise it against each of its formal names.
    canonical = {name: min(formals) for name, formals in forms.items()}
    pairs = {f"{a}|{b}" for a, fa in forms.items() for b, fb in forms.items() if a != b and fa & fb}
    return canonical, frozenset(pairs)


def fold(values: pd.Series) -> pd.Series:
    """Accents off (NFKD, then only ASCII kept), lower case, punctuation to spaces, single spaces."""
    arr = pc.replace_substring_regex(pc.utf8_normalize(as_arrow(values), "NFKD"), r"[^\x00-\x7f]+", "")
    arr = pc.replace_substring_regex(pc.ascii_lower(arr), r"[^a-z0-9 ]+", " ")
    arr = pc.utf8_trim(pc.replace_substring_regex(arr, " {2,}", " "), " ")
    return pd.Series(arr, index=values.index, dtype="str").fillna("")


def company_key(company: pd.Series) -> pd.Series:
    """Company names keyed so "Smith & Co." and "Smith and Company" match (suffixes, "and", "the" dropped)."""
    folded = fold(company.str.replace("&", " and ", regex=False))
    arr = pc.replace_substring_regex(as_arrow(folded), COMPANY_SUFFIX + r"|\b(and|the)\b", "")
    arr = pc.utf8_trim(pc.replace_substring_regex(arr, " {2,}", " "), " ")
    return pd.Series(arr, index=company.index, dtype="str").fillna("")


@dataclass(frozen=True, slots=True)
class NameKeys:
    """Per contact: the name as compared, and its parts (all folded; "" when absent)."""

    key: pd.Series
    """The key "p:first last" for a person (first name canonical, middle names dropped), "c:company"."""
    first: pd.Series
    """First given name as written (folded), for the near-name comparisons."""
    family: pd.Series
    """Last name of a person, company key of a company: the second blocking key."""
    person: np.ndarray
    display: pd.Series


def name_keys(first_name: pd.Series, last_name: pd.Series, company: pd.Series) -> NameKeys:
    """Comparable names: "Bob Smith", "Robert J. Smith" and "Róbert Smith" get one key."""
    canonical, _ = nicknames()
    # The first word only: a middle name or initial typed into the first-name cell is dropped.
    first = pd.Series(
        pc.replace_substring_regex(as_arrow(fold(first_name)), " .*", ""), index=first_name.index, dtype="str"
    ).fillna("")
    canon = first.map(canonical).fillna(first).astype("str")
    last = fold(last_name)
    person = ((first != "") | (last != "")).to_numpy()
    firm = company_key(company)
    firm = firm.where(firm != "", fold(company))  # a firm called "The Company" keeps its name
    person_key = "p:" + canon + " " + last
    key = person_key.where(person, ("c:" + firm).where(firm != "", ""))
    family = last.where(person, firm)
    display = (first_name.str.strip() + " " + last_name.str.strip()).str.strip()
    display = display.where(person, company.str.strip())
    return NameKeys(key.astype("str"), first, family.astype("str"), person, display.astype("str"))


def split_values(values: pd.Series) -> tuple[np.ndarray, pd.Series]:
    """Each non-blank value of every cell, with the position of its cell.

    Cells holding several values (" ::: ", ";", a line break) give one entry per value; the
    rest pass through unsplit, so a column without lists costs one regular expression.
    """
    arr = as_arrow(values)
    if isinstance(arr, pa.ChunkedArray):  # several files stacked into one entity
        arr = arr.combine_chunks()
    multi = np.asarray(
        pc.match_substring_regex(arr, SEPARATORS).fill_null(False).to_numpy(zero_copy_only=False), dtype=bool
    )
    single_pos = np.flatnonzero(~multi)
    parts: list[pa.Array] = [pc.take(arr, pa.array(single_pos))]
    owners = [single_pos]
    if multi.any():
        multi_pos = np.flatnonzero(multi)
        lists = pc.split_pattern_regex(pc.take(arr, pa.array(multi_pos)), SEPARATORS)
        parts.append(pc.list_flatten(lists))
        owners.append(multi_pos[np.asarray(pc.list_parent_indices(lists).to_numpy(), dtype=np.int64)])
    flat = pc.utf8_trim_whitespace(pa.concat_arrays([p.cast(pa.string()) for p in parts]))
    owner = np.concatenate(owners)
    keep = np.asarray(pc.not_equal(flat, "").fill_null(False).to_numpy(zero_copy_only=False), dtype=bool)
    return owner[keep], pd.Series(flat.filter(pa.array(keep)), dtype="str")


def codes_of(values: pd.Series | np.ndarray) -> np.ndarray:
    """Small integer codes for values (equal values, equal codes): blocks and groups are found
    on integers, which sort and hash far faster than text."""
    codes, _ = pd.factorize(pa.array(values) if isinstance(values, np.ndarray) else values)
    return np.asarray(codes, dtype=np.int64)


def block_pairs(
    owner: np.ndarray, codes: np.ndarray, largest: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (earlier, later) of distinct records sharing a code, each later one against at most
    :data:`BLOCK_CAP` earlier ones of its block (blocks of more than *largest* entries skipped);
    no loop over rows."""
    if len(codes) < 2:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    order = np.lexsort((owner, codes))
    owner, codes = owner[order], codes[order]
    starts = np.flatnonzero(np.concatenate(([True], codes[1:] != codes[:-1])))
    sizes = np.diff(np.concatenate((starts, [len(codes)])))
    if largest is not None and (sizes > largest).any():
        keep = np.repeat(sizes <= largest, sizes)
        owner, codes = owner[keep], codes[keep]
        if len(codes) < 2:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        starts = np.flatnonzero(np.concatenate(([True], codes[1:] != codes[:-1])))
        sizes = np.diff(np.concatenate((starts, [len(codes)])))
    start_of = np.repeat(starts, sizes)
    offset = np.arange(len(codes)) - start_of
    partners = np.minimum(offset, BLOCK_CAP)
    total = int(partners.sum())
    later = np.repeat(owner, partners)
    inner = np.arange(total) - np.repeat(np.cumsum(partners) - partners, partners)
    earlier = owner[np.repeat(start_of, partners) + inner]
    distinct = earlier != later  # one record holding a value twice is not a pair
    return earlier[distinct], later[distinct]


def agreement(
    earlier: np.ndarray,
    later: np.ndarray,
    owner: np.ndarray,
    code: np.ndarray,
    raw: np.ndarray,
    families: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Level of each pair on one detail (SAME, SHARED_LINE, DIFFER or BLANK), and the shared value
    as the later record writes it. *code* is each detail value's code, *families* each record's
    surname (or company) code."""
    n = len(families)
    has = np.zeros(n, dtype=bool)
    has[owner] = True
    level = np.where(has[earlier] & has[later], DIFFER, BLANK)
    shown = np.full(len(earlier), "", dtype=object)
    if not len(earlier) or not len(code):
        return level, shown
    held_by = distinct_names(code, families[owner])
    long = pd.DataFrame({"pos": owner, "code": code, "entry": np.arange(len(code))})
    long = long.drop_duplicates(["pos", "code"])
    left = pd.DataFrame({"pair": np.arange(len(earlier)), "pos": earlier}).merge(
        long[["pos", "code"]], on="pos"
    )
    right = pd.DataFrame({"pair": np.arange(len(later)), "pos": later}).merge(long, on="pos")
    both = left[["pair", "code"]].merge(right[["pair", "code", "entry"]], on=["pair", "code"])
    both["names"] = held_by[both["code"].to_numpy()]
    # A pair sharing a personal value and a shared line counts the personal one.
    both = both.sort_values(["pair", "names"]).drop_duplicates("pair")
    matched = both["pair"].to_numpy()
    level[matched] = np.where(both["names"].to_numpy() >= SHARED_BY, SHARED_LINE, SAME)
    shown[matched] = raw[both["entry"].to_numpy()]
    return level, shown


def distinct_names(code: np.ndarray, names: np.ndarray) -> np.ndarray:
    """For each detail code, how many different names hold it."""
    if not len(code):
        return np.zeros(0, dtype=np.int64)
    pairs = np.unique(code * (int(names.max()) + 2) + names + 1)
    return np.bincount(pairs // (int(names.max()) + 2), minlength=int(code.max()) + 1)


def _near_token(a: list[str], b: list[str]) -> np.ndarray:
    """One letter added or dropped ("Jon"/"John") or two swapped ("Jhon"/"John"), both 3+ letters.

    A changed letter is not enough: "Mary" and "Mark" sharing a family e-mail are two people.
    """
    if not a:
        return np.zeros(0, dtype=bool)
    indel = cpdist(a, b, scorer=Indel.distance)
    swapped = (cpdist(a, b, scorer=OSA.distance) == 1) & (cpdist(a, b, scorer=Hamming.distance) == 2)
    long_enough = np.minimum(pd.Series(a).str.len().to_numpy(), pd.Series(b).str.len().to_numpy()) >= 3
    return np.asarray(((indel <= 1) | swapped) & long_enough, dtype=bool)


def name_levels(names: NameKeys, earlier: np.ndarray, later: np.ndarray) -> np.ndarray:
    """SAME (one key, or a nickname of each other), NEAR (a typo, an initial, a shortened name,
    a near-identical company name) or DIFFER, for each pair."""
    key = names.key.to_numpy(dtype=object)
    level = np.where(key[earlier] == key[later], SAME, DIFFER)
    todo = np.flatnonzero(level == DIFFER)
    person = names.person
    both_person = person[earlier[todo]] & person[later[todo]]
    both_firm = ~person[earlier[todo]] & ~person[later[todo]]
    family = names.family.to_numpy(dtype=object)
    first = names.first.to_numpy(dtype=object)

    persons = todo[both_person]
    if len(persons):
        e, la = earlier[persons], later[persons]
        fam_a, fam_b = family[e].tolist(), family[la].tolist()
        first_a, first_b = first[e].tolist(), first[la].tolist()
        same_family = np.asarray(family[e] == family[la], dtype=bool)
        family_alike = same_family | _near_token(fam_a, fam_b)
        _, nick_pairs = nicknames()
        fa, fb = pd.Series(first_a, dtype="str"), pd.Series(first_b, dtype="str")
        nickname = (fa + "|" + fb).isin(nick_pairs).to_numpy()
        len_a, len_b = fa.str.len().to_numpy(), fb.str.len().to_numpy()
        shortest = np.minimum(len_a, len_b)
        initial = (shortest == 1) & (fa.str[:1] == fb.str[:1]).to_numpy()
        # "Chris"/"Christopher", "Jon"/"Jonathan": the shorter is the start of the longer.
        prefix = (shortest >= 3) & (cpdist(first_a, first_b, scorer=Prefix.similarity) == shortest)
        level[persons[same_family & nickname]] = SAME
        alike = family_alike & (nickname | initial | prefix | _near_token(first_a, first_b))
        level[persons[alike & (level[persons] != SAME)]] = NEAR

    firms = todo[both_firm]
    if len(firms):
        ratio = cpdist(
            [str(k) for k in key[earlier[firms]]],
            [str(k) for k in key[later[firms]]],
            scorer=fuzz.token_sort_ratio,
        )
        level[firms[np.asarray(ratio >= 90, dtype=bool)]] = NEAR
    return level


def match_weight(levels: dict[str, np.ndarray]) -> np.ndarray:
    """Sum of each field's partial match weight (a blank adds nothing)."""
    total = np.zeros(len(next(iter(levels.values()))), dtype=float)
    for field, level in levels.items():
        for lvl, weight in WEIGHTS[field].items():
            total += np.where(level == lvl, weight, 0.0)
    return total
