"""People and clients referenced the way exports reference them: by ID, by name or by initials.

Exports name a matter's attorneys ("Jonathan Sutherland", "Sutherland, Jonathan D."), a time
entry's timekeeper by initials ("JDS") and a matter's client by name ("Riverdale Holdings
Inc.") as often as by ID. Each such reference is resolved here against the users or the
contacts before anything calls it unknown, so the rules and the normalised output see the
resolved ID.

A reference resolves by the first of these that matches, in order:

1. the ID exactly as written (what the foreign-key check always accepted: such values are
   left as they are, byte for byte);
2. the ID ignoring case, accents and extra spaces;
3. the full name, in "First Middle Last" or "Last, First Middle" order;
4. the first and last name, middle names or initials left out on either side;
5. initials (the users' Initials column, or the initials of every part of the name);
6. the initials of the first and last name only.

Contacts resolve by Contact ID, the person's name (tiers 3 and 4) and the company name (with
and without its legal form: "Acme Holdings" for "Acme Holdings Inc."); they have no initials.
Case, accents ("José" = "Jose"), punctuation (periods, apostrophes, hyphens), titles ("Dr.")
and suffixes ("Jr.", "Esq.") never matter. When the first tier that matches finds two or more
people (two users with initials "JS"), the reference is ambiguous: it is left as written and
reported as such, never resolved by guessing.

Everything runs over a column's distinct values (pandas string methods, ``Series.map``), not
over its rows: a million time entries name a few dozen timekeepers.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from migration_assistant.core.normalise import ParsedColumn
from migration_assistant.core.schema import entity as schema_entity

REFERENCES: dict[tuple[str, str], str] = {
    ("matters", "responsible_attorney"): "users",
    ("matters", "originating_attorney"): "users",
    ("matters", "client_id"): "contacts",
    ("activities", "user_id"): "users",
    ("tasks", "assignee"): "users",
}
"""(entity, field) -> the entity it names: the references that may be written as names or initials.

Other references (matter numbers, invoice numbers, a trust line's client) are IDs in every
export seen so far, and stay exact.
"""

BY_NAME_TIER = 1
"""Tiers of a lookup from here on match a name or initials, not the ID in another case or spacing."""

_CLOSEST_BUDGET = 2_000_000
"""Fuzzy comparisons spent on naming the closest people for unknown references, per column."""

_TITLES = r"^(?:mr|mrs|ms|miss|mx|dr|prof|hon|sir|dame)\s+"
_SUFFIXES = r"(?:\s*,?\s*\b(?:jr|sr|ii|iii|iv|esq|md|phd|cpa|qc|kc|llb|jd)\b)+\s*$"
_LEGAL_FORM = (
    r"\s+(?:inc|incorporated|llc|llp|ltd|limited|corp|corporation|co|company|plc|pc|pllc|gmbh|sa|lp)$"
)


class Referenced(Protocol):
    """What resolution needs of an entity's rows (``core.dataset.EntityData`` has it)."""

    @property
    def present(self) -> set[str]: ...

    def stripped(self, name: str) -> pd.Series: ...

    def __len__(self) -> int: ...


@dataclass(slots=True)
class ResolvedColumn(ParsedColumn):
    """A reference column with each value replaced by the ID it names, where it names exactly one.

    ``values`` holds the resolved ID, or the value as written (spaces trimmed) where it
    resolved to nothing or to several; ``invalid`` is never set (an unknown reference is the
    foreign-key rule's finding, not a parse failure).
    """

    target: str = ""
    """The entity referenced: "users" or "contacts"."""
    by_name: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    """Rows whose value named the person by name or initials."""
    ambiguous: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    """Rows whose value names two or more people."""
    unmatched: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    """Rows whose value names nobody."""
    candidates: dict[str, str] = field(default_factory=dict)
    """Ambiguous value (trimmed) -> the people it could be, in words: "Jane Sato (JS2) or John Smith (JS1)"."""
    closest: dict[str, str] = field(default_factory=dict)
    """Unmatched value (trimmed) -> the closest people, in words (absent when none is close)."""


# --------------------------------------------------------------------------------------- keys


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _fold(values: pd.Series) -> pd.Series:
    """Casefolded, accents removed, spaces collapsed: the comparison form of an ID."""
    # Over distinct values only (callers pass them), so the per-value accent removal is cheap.
    text = values.astype(object).map(_strip_accents).astype("str")
    return text.str.casefold().str.replace(r"\s+", " ", regex=True).str.strip()


def _name_words(values: pd.Series) -> pd.Series:
    """A name reduced to its words in "given ... family" order: "Núñez, José M." -> "jose m nunez"."""
    text = _fold(values).str.replace(r"['’`]", "", regex=True)
    text = text.str.replace(r"[^\w,&]+", " ", regex=True).str.replace(r"_", " ", regex=False)
    text = text.str.replace(r"\s+", " ", regex=True).str.strip()
    text = text.str.replace(_SUFFIXES, "", regex=True).str.replace(_TITLES, "", regex=True)
    parts = text.str.split(",", n=1, expand=True)
    if parts.shape[1] < 2:
        words = text
    else:
        family, given = parts[0].fillna("").str.strip(), parts[1].fillna("").str.replace(",", " ").str.strip()
        swapped = (given + " " + family).str.strip()
        words = swapped.where(parts[1].notna() & (given != "") & (family != ""), text.str.replace(",", " "))
    # A title may follow the comma ("Sutherland, Dr. Jonathan"): removed again once in order.
    words = words.str.replace(r"\s+", " ", regex=True).str.strip().str.replace(_TITLES, "", regex=True)
    return words.astype("str")


def _first_last(words: pd.Series) -> pd.Series:
    """The first and last word of a name of two or more words ("" otherwise): middle names dropped."""
    first = words.str.extract(r"^(\S+)\s", expand=False)
    last = words.str.extract(r"\s(\S+)$", expand=False)
    return (first + " " + last).fillna("").astype("str")


def _initials(words: pd.Series) -> pd.Series:
    """The first letter of every word ("jose m nunez" -> "jmn"); "" for a single word."""
    many = words.str.contains(" ", regex=False)
    letters = words.str.replace(r"(\w)\w*\s*", r"\1", regex=True).str.replace(r"\W", "", regex=True)
    return letters.where(many, "").astype("str")


def _outer_initials(words: pd.Series) -> pd.Series:
    """The initials of the first and last word only ("jose m nunez" -> "jn")."""
    return _initials(_first_last(words))


def _written_initials(values: pd.Series) -> pd.Series:
    """A value written as initials ("J.D.S.", "j d s", "JDS") as plain letters; "" otherwise."""
    letters = _fold(values).str.replace(r"[\s.]", "", regex=True)
    return letters.where(letters.str.fullmatch(r"[^\W\d_]{2,5}"), "").astype("str")


def _company(values: pd.Series) -> pd.Series:
    """A company's name as compared: "Acme Holdings, Inc." -> "acme holdings inc"."""
    text = _fold(values).str.replace(r"['’`]", "", regex=True)
    return text.str.replace(r"[^\w&]+", " ", regex=True).str.replace(r"\s+", " ", regex=True).str.strip()


# --------------------------------------------------------------------------------------- lookup


@dataclass(slots=True)
class _Lookup:
    """The target's keys, tier by tier: key -> ID where one person has it; key -> people where several do."""

    ids: pd.Index
    tiers: list[tuple[pd.Series, pd.Series]]
    label: pd.Series
    """ID -> the person in words: "Jonathan D. Sutherland (JDS)"."""
    names: pd.Series
    """ID -> the person's name words, for naming the closest people."""


def _tier(keys: pd.Series, ids: pd.Series, label: pd.Series) -> tuple[pd.Series, pd.Series]:
    pairs = pd.DataFrame({"key": keys.to_numpy(dtype=object), "id": ids.to_numpy(dtype=object)})
    pairs = pairs[pairs["key"] != ""].drop_duplicates()
    counts = pairs.groupby("key", sort=False)["id"].transform("size").to_numpy()
    single = pairs[counts == 1]
    several = pairs[counts > 1]
    unique = pd.Series(single["id"].to_numpy(dtype=object), index=single["key"].to_numpy(dtype=object))
    if len(several):
        words = several.assign(who=several["id"].map(label)).sort_values(["key", "who"])
        shared = words.groupby("key", sort=False)["who"].agg(_either)
    else:
        shared = pd.Series([], dtype=object)
    return unique, shared


def _either(who: pd.Series) -> str:
    names = [str(w) for w in who]
    return ", ".join(names[:-1]) + " or " + names[-1]


def _users_lookup(users: Referenced) -> _Lookup | None:
    if "user_id" not in users.present:
        return None
    ids = users.stripped("user_id")
    keep = (ids != "").to_numpy()
    ids = ids[keep].reset_index(drop=True)
    name = _column(users, "name")[keep].reset_index(drop=True)
    written = _column(users, "initials")[keep].reset_index(drop=True)
    words = _name_words(name)
    label = _labels(ids, name)
    given = _written_initials(written)
    # A user's own Initials column first; the initials of their name where the column is blank.
    initials = given.where(given != "", _initials(words))
    tiers = [
        _tier(_fold(ids), ids, label),
        _tier(words, ids, label),
        _tier(_first_last(words), ids, label),
        _tier(initials, ids, label),
        _tier(_outer_initials(words), ids, label),
    ]
    names = pd.Series(words.where(words != "", _fold(ids)).to_numpy(dtype=object), index=ids.to_numpy())
    return _Lookup(pd.Index(ids.unique()), tiers, label, names)


def _contacts_lookup(contacts: Referenced) -> _Lookup | None:
    if "contact_id" not in contacts.present:
        return None
    ids = contacts.stripped("contact_id")
    keep = (ids != "").to_numpy()
    ids = ids[keep].reset_index(drop=True)

    def col(name: str) -> pd.Series:
        return _column(contacts, name)[keep].reset_index(drop=True)

    first, middle, last, company = col("first_name"), col("middle_name"), col("last_name"), col("company")
    person = (first + " " + middle + " " + last).str.replace(r"\s+", " ", regex=True).str.strip()
    # The Company column of a person is their employer: only a company's own record answers to it.
    is_company = (col("type").str.strip().str.casefold() == "company") | (person == "")
    words = _name_words(person)
    firm = _company(company).where(is_company, "")
    label = _labels(ids, person.where(person != "", company))
    tiers = [
        _tier(_fold(ids), ids, label),
        _tier(words, ids, label),
        _tier(_first_last(words), ids, label),
        _tier(firm, ids, label),
        _tier(firm.str.replace(_LEGAL_FORM, "", regex=True).astype("str"), ids, label),
    ]
    shown = words.where(words != "", firm)
    names = pd.Series(shown.where(shown != "", _fold(ids)).to_numpy(dtype=object), index=ids.to_numpy())
    return _Lookup(pd.Index(ids.unique()), tiers, label, names)


def _column(data: Referenced, name: str) -> pd.Series:
    if name in data.present:
        return data.stripped(name).astype("str")
    return pd.Series("", index=range(len(data)), dtype="str")


def _labels(ids: pd.Series, names: pd.Series) -> pd.Series:
    shown = (names + " (" + ids + ")").where(names != "", ids)
    table = pd.Series(shown.to_numpy(dtype=object), index=ids.to_numpy(dtype=object))
    return table[~table.index.duplicated()]


# --------------------------------------------------------------------------------------- resolving


def resolve(values: pd.Series, lookup: _Lookup, target: str) -> ResolvedColumn:
    """Resolve one reference column (spaces already trimmed) against *lookup*."""
    codes, distinct = pd.factorize(values)
    uniques = pd.Series(np.asarray(distinct, dtype=object), dtype="str")
    resolved = uniques.astype(object).copy()
    decided = (uniques == "").to_numpy() | uniques.isin(lookup.ids).to_numpy()
    by_name = np.zeros(len(uniques), dtype=bool)
    ambiguous = np.zeros(len(uniques), dtype=bool)
    candidates: dict[str, str] = {}
    keys = _query_keys(uniques, target)
    for tier, ((unique, shared), key) in enumerate(zip(lookup.tiers, keys, strict=True)):
        open_ = ~decided
        if not open_.any():
            break
        hit = key.map(unique).notna().to_numpy() & open_ & (key != "").to_numpy()
        many = key.isin(shared.index).to_numpy() & open_ & ~hit & (key != "").to_numpy()
        resolved[hit] = key[hit].map(unique)
        if tier >= BY_NAME_TIER:
            by_name |= hit
        ambiguous |= many
        for value, who in zip(uniques[many], key[many].map(shared), strict=True):
            candidates[value] = who
        decided |= hit | many
    unmatched = ~decided
    closest = _closest(uniques[unmatched], lookup, target)
    out = resolved.to_numpy(dtype=object)[codes]
    blank = (values == "").to_numpy()
    return ResolvedColumn(
        values=pd.Series(out, index=values.index, dtype="str"),
        blank=blank,
        invalid=np.zeros(len(values), dtype=bool),
        target=target,
        by_name=by_name[codes],
        ambiguous=ambiguous[codes],
        unmatched=unmatched[codes],
        candidates=candidates,
        closest=closest,
    )


def _query_keys(uniques: pd.Series, target: str) -> list[pd.Series]:
    """The written values' keys, one per tier of the target's lookup (see :func:`_users_lookup`)."""
    words = _name_words(uniques)
    if target == "users":
        initials = _written_initials(uniques)
        return [_fold(uniques), words, _first_last(words), initials, initials]
    firm = _company(uniques)
    return [
        _fold(uniques),
        words,
        _first_last(words),
        firm,
        firm.str.replace(_LEGAL_FORM, "", regex=True).astype("str"),
    ]


def _closest(unmatched: pd.Series, lookup: _Lookup, target: str) -> dict[str, str]:
    """Unmatched value -> the (at most three) people whose name, or ID, is closest, in words.

    A value written as a name is compared with the names; one written as an ID or initials
    with the users' IDs only (a staff list is short: "RTK" next to "RKM" is a useful hint,
    while an unknown client ID has a dozen neighbours that differ by one digit).
    """
    if not len(unmatched) or not len(lookup.names):
        return {}
    named = unmatched.map(is_name_like).to_numpy(dtype=bool)
    owners = list(lookup.names.index)
    out: dict[str, str] = {}
    by_name = list(lookup.names.to_numpy(dtype=object))
    by_id = [str(i).casefold() for i in owners]
    # A long list of people (200,000 contacts) gets fewer values examined: suggestions are a help,
    # not a finding, and must not make the check slow.
    room = max(20, _CLOSEST_BUDGET // len(owners))
    for queries, choices in ((unmatched[named], by_name), (unmatched[~named], by_id)):
        if choices is by_id and target != "users":
            continue
        queries = queries.iloc[:room]
        folded = _name_words(queries) if choices is by_name else _fold(queries)
        for value, query in zip(queries.tolist(), folded.tolist(), strict=True):
            if len(query) < 2:
                continue
            seen: list[str] = []
            for _choice, _score, index in process.extract(
                query,
                choices,
                scorer=fuzz.WRatio if choices is by_name else fuzz.ratio,
                limit=6,
                score_cutoff=60,
            ):
                if owners[index] not in seen:
                    seen.append(owners[index])
            if seen:
                out[value] = ", ".join(str(lookup.label.get(o, o)) for o in seen[:3])
    return out


def resolve_references(entities: Mapping[str, Referenced]) -> dict[tuple[str, str], ResolvedColumn]:
    """Every people or client reference of *entities* that can be resolved, by (entity, field).

    A reference is left out when its column is absent or its target entity (or the target's
    ID column) is: the foreign-key rule then says it could not be checked, as before.
    """
    lookups: dict[str, _Lookup | None] = {}
    out: dict[tuple[str, str], ResolvedColumn] = {}
    for (entity, name), target in REFERENCES.items():
        data = entities.get(entity)
        if data is None or name not in data.present:
            continue
        if target not in lookups:
            found = entities.get(target)
            if found is None:
                lookups[target] = None
            else:
                lookups[target] = _users_lookup(found) if target == "users" else _contacts_lookup(found)
        lookup = lookups[target]
        if lookup is None:
            continue
        out[(entity, name)] = resolve(data.stripped(name), lookup, target)
    return out


def is_name_like(value: str) -> bool:
    """A reference written as a name (two or more words, or "Last, First") rather than an ID or initials."""
    return bool(re.search(r"\S[\s,]+\S", value.strip()))


def resolved_by_name(column: ResolvedColumn, sources: np.ndarray, src: int) -> tuple[int, int]:
    """(values resolved by name or initials, values given) among the rows of source table *src*."""
    mine = sources == src
    return int((column.by_name & mine).sum()), int((~column.blank & mine).sum())


class _Checked(Protocol):
    """What :func:`by_name_notes` needs of an entity's rows (``core.dataset.EntityData`` has it)."""

    @property
    def parsed(self) -> dict[str, ParsedColumn]: ...

    @property
    def frame(self) -> pd.DataFrame: ...


_NOUNS = {"users": ("staff names or initials", "User IDs"), "contacts": ("client names", "Contact IDs")}


def by_name_notes(entities: Mapping[str, _Checked], src: int, source_column: str = "_src") -> list[str]:
    """One plain sentence per reference column of source table *src* that named people rather than IDs.

    "Responsible Attorney: 412 of 415 values are staff names or initials, matched to User IDs."
    Nothing for a column whose values were all IDs.
    """
    notes = []
    for (entity, name), _target in REFERENCES.items():
        data = entities.get(entity)
        column = data.parsed.get(name) if data is not None else None
        if data is None or not isinstance(column, ResolvedColumn):
            continue
        named, given = resolved_by_name(column, data.frame[source_column].to_numpy(), src)
        if not named:
            continue
        noun, ids = _NOUNS[column.target]
        title = schema_entity(entity).field(name).title
        notes.append(f"{title}: {named} of {given} values are {noun}, matched to {ids}.")
    return notes
