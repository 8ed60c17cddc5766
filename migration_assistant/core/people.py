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

Everything runs over a column's distinct values (pyarrow string functions, ``Series.map``),
not over its rows: a million time entries name a few dozen timekeepers. The users' or contacts'
keys are worked out only when some value is not an ID as written, and only for the tiers asked.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Protocol

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from rapidfuzz import fuzz, process

from migration_assistant.core.normalise import ParsedColumn, as_arrow
from migration_assistant.core.schema import entity as schema_entity

_TARGET_KEY = {"users": "user_id", "contacts": "contact_id"}

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

_CLOSEST_BUDGET = 1_000_000
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


def _arrow(values: pd.Series) -> pa.Array:
    return as_arrow(values)


def _series(values: pa.Array | pa.ChunkedArray) -> pd.Series:
    return pd.Series(values, dtype="str")


def _is_in(values: pd.Series, keys: pa.Array) -> np.ndarray:
    """Which values are among *keys* (pyarrow's hash lookup: pandas would build a Python list)."""
    found = pc.is_in(_arrow(values), value_set=keys)
    return np.asarray(found.to_numpy(zero_copy_only=False), dtype=bool)


def _sub(text: pa.Array, pattern: str, replacement: str = "") -> pa.Array:
    return pc.replace_substring_regex(text, pattern, replacement)


def _tidy(text: pa.Array) -> pa.Array:
    return pc.utf8_trim_whitespace(_sub(text, r"\s+", " "))


def _folded(text: pa.Array) -> pa.Array:
    # NFKD splits "é" into "e" and a combining accent, which is then dropped.
    return _tidy(pc.utf8_lower(_sub(pc.utf8_normalize(text, "NFKD"), r"\p{Mn}+")))


def _fold(values: pd.Series) -> pd.Series:
    """Lower case, accents removed, spaces collapsed: the comparison form of an ID."""
    return _series(_folded(_arrow(values)))


def _name_words(values: pd.Series) -> pd.Series:
    """A name reduced to its words in "given ... family" order: "Núñez, José M." -> "jose m nunez"."""
    text = _sub(_folded(_arrow(values)), r"['’`]")
    text = _tidy(_sub(text, r"[^\p{L}\p{N},&]+", " "))
    text = _sub(_sub(text, _SUFFIXES), _TITLES)
    parts = pc.extract_regex(text, r"^(?P<family>[^,]*[^,\s])\s*,\s*(?P<given>[^\s,].*)$")
    family = pc.struct_field(parts, "family")
    given = pc.replace_substring(pc.struct_field(parts, "given"), ",", " ")
    swapped = pc.binary_join_element_wise(given, family, " ")
    words = pc.coalesce(swapped, pc.replace_substring(text, ",", " "))
    # A title may follow the comma ("Sutherland, Dr. Jonathan"): removed again once in order.
    return _series(_sub(_tidy(words), _TITLES))


def _first_last(words: pd.Series) -> pd.Series:
    """The first and last word of a name of two or more words ("" otherwise): middle names dropped."""
    parts = pc.extract_regex(_arrow(words), r"^(?P<first>\S+)\s(?:.*\s)?(?P<last>\S+)$")
    joined = pc.binary_join_element_wise(pc.struct_field(parts, "first"), pc.struct_field(parts, "last"), " ")
    return _series(pc.fill_null(joined, ""))


def _initials(words: pd.Series) -> pd.Series:
    """The first letter of every word ("jose m nunez" -> "jmn"); "" for a single word."""
    text = _arrow(words)
    letters = _sub(_sub(text, r"(\S)\S*\s*", r"\1"), r"[^\p{L}\p{N}]")
    return _series(pc.if_else(pc.match_substring(text, " "), letters, ""))


def _outer_initials(words: pd.Series) -> pd.Series:
    """The initials of the first and last word only ("jose m nunez" -> "jn")."""
    return _initials(_first_last(words))


def _written_initials(values: pd.Series) -> pd.Series:
    """A value written as initials ("J.D.S.", "j d s", "JDS") as plain letters; "" otherwise."""
    letters = _sub(_folded(_arrow(values)), r"[\s.]")
    return _series(pc.if_else(pc.match_substring_regex(letters, r"^\p{L}{2,5}$"), letters, ""))


def _company(values: pd.Series) -> pd.Series:
    """A company's name as compared: "Acme Holdings, Inc." -> "acme holdings inc"."""
    text = _sub(_folded(_arrow(values)), r"['’`]")
    return _series(_tidy(_sub(text, r"[^\p{L}\p{N}&]+", " ")))


# --------------------------------------------------------------------------------------- lookup


class _Lookup:
    """The target's IDs and, per tier, each one's key; computed on first use, since an unknown
    client ID ("C00337") never needs the names of 200,000 contacts worked out."""

    def __init__(
        self,
        ids: pd.Series,
        tiers: list[Callable[[], pd.Series]],
        label: Callable[[], pd.Series],
        names: Callable[[], pd.Series],
    ) -> None:
        self.ids = ids
        self._tiers = [cache(make) for make in tiers]
        self._label = cache(label)
        self._names = cache(names)

    @property
    def label(self) -> pd.Series:
        """ID -> the person in words: "Jonathan D. Sutherland (JDS)"."""
        return self._label()

    @property
    def names(self) -> pd.Series:
        """ID -> the person's name words, for naming the closest people."""
        return self._names()

    def matches(self, tier: int, keys: pd.Series) -> tuple[pd.Series, pd.Series]:
        """For the asked *keys*: key -> ID where one person has it; key -> its people where several do.

        Only the people whose key is asked about are grouped: a list of 200,000 contacts is
        searched, never regrouped, for the handful of names an export writes.
        """
        mine = self._tiers[tier]()
        near = _is_in(mine, pc.unique(_arrow(keys)))
        pairs = pd.DataFrame(
            {"key": mine[near].to_numpy(dtype=object), "id": self.ids[near].to_numpy(dtype=object)}
        ).drop_duplicates()
        counts = pairs.groupby("key", sort=False)["id"].transform("size").to_numpy()
        single, several = pairs[counts == 1], pairs[counts > 1]
        unique = pd.Series(single["id"].to_numpy(dtype=object), index=single["key"].to_numpy(dtype=object))
        shared = pd.Series(several["id"].to_numpy(dtype=object), index=several["key"].to_numpy(dtype=object))
        return unique, shared


def _either(ids: pd.Series, label: pd.Series) -> str:
    names = sorted(str(label.get(i, i)) for i in ids)
    return ", ".join(names[:-1]) + " or " + names[-1]


def _users_lookup(users: Referenced) -> _Lookup:
    ids = users.stripped("user_id")
    keep = (ids != "").to_numpy()
    ids = ids[keep].reset_index(drop=True)

    @cache
    def name() -> pd.Series:
        return _column(users, "name")[keep].reset_index(drop=True)

    @cache
    def words() -> pd.Series:
        return _name_words(name())

    def initials() -> pd.Series:
        # A user's own Initials column first; the initials of their name where it is blank.
        given = _written_initials(_column(users, "initials")[keep].reset_index(drop=True))
        return given.where(given != "", _initials(words()))

    def names() -> pd.Series:
        return pd.Series(
            words().where(words() != "", _fold(ids)).to_numpy(dtype=object), index=ids.to_numpy()
        ).pipe(_first_of_each)

    tiers: list[Callable[[], pd.Series]] = [
        lambda: _fold(ids),
        words,
        lambda: _first_last(words()),
        initials,
        lambda: _outer_initials(words()),
    ]
    return _Lookup(ids, tiers, lambda: _labels(ids, name()), names)


def _contacts_lookup(contacts: Referenced) -> _Lookup:
    ids = contacts.stripped("contact_id")
    keep = (ids != "").to_numpy()
    ids = ids[keep].reset_index(drop=True)

    def col(name: str) -> pd.Series:
        return _column(contacts, name)[keep].reset_index(drop=True)

    @cache
    def person() -> pd.Series:
        joined = col("first_name") + " " + col("middle_name") + " " + col("last_name")
        return joined.str.replace(r"\s+", " ", regex=True).str.strip()

    @cache
    def words() -> pd.Series:
        return _name_words(person())

    @cache
    def firm() -> pd.Series:
        # The Company column of a person is their employer: only a company's own record answers to it.
        is_company = (col("type").str.strip().str.casefold() == "company") | (person() == "")
        return _company(col("company")).where(is_company, "")

    def label() -> pd.Series:
        return _labels(ids, person().where(person() != "", col("company")))

    def names() -> pd.Series:
        shown = words().where(words() != "", firm())
        return pd.Series(
            shown.where(shown != "", _fold(ids)).to_numpy(dtype=object), index=ids.to_numpy()
        ).pipe(_first_of_each)

    tiers: list[Callable[[], pd.Series]] = [
        lambda: _fold(ids),
        words,
        lambda: _first_last(words()),
        firm,
        lambda: _without_legal_form(firm()),
    ]
    return _Lookup(ids, tiers, label, names)


def _first_of_each(table: pd.Series) -> pd.Series:
    """The first entry of each ID (an ID used twice is the duplicate-key rule's finding)."""
    return table[~table.index.duplicated()]


def _column(data: Referenced, name: str) -> pd.Series:
    if name in data.present:
        return data.stripped(name).astype("str")
    return pd.Series("", index=range(len(data)), dtype="str")


def _labels(ids: pd.Series, names: pd.Series) -> pd.Series:
    shown = (names + " (" + ids + ")").where(names != "", ids)
    return pd.Series(shown.to_numpy(dtype=object), index=ids.to_numpy(dtype=object)).pipe(_first_of_each)


# --------------------------------------------------------------------------------------- resolving


def resolve(values: pd.Series, ids: pd.Series, lookup: Callable[[], _Lookup], target: str) -> ResolvedColumn:
    """Resolve one reference column (spaces already trimmed) against the target's *ids*, then *lookup*.

    The lookup is only built when some value is not an ID as written: an export that
    references everyone by ID (the usual case) costs one pass over its distinct values.
    """
    codes, distinct = pd.factorize(values)
    uniques = pd.Series(np.asarray(distinct, dtype=object), dtype="str")
    resolved = uniques.to_numpy(dtype=object).copy()
    decided = (uniques == "").to_numpy() | _is_in(uniques, pc.unique(_arrow(ids)))
    matched = decided.copy()
    by_name = np.zeros(len(uniques), dtype=bool)
    ambiguous = np.zeros(len(uniques), dtype=bool)
    candidates: dict[str, str] = {}
    closest: dict[str, str] = {}
    if not decided.all():
        found = lookup()
        open_at = np.flatnonzero(~decided)
        written = uniques.iloc[open_at].reset_index(drop=True)
        left = np.ones(len(open_at), dtype=bool)
        for tier, key in enumerate(_query_keys(written, target)):
            usable = left & (key != "").to_numpy()
            if not usable.any():
                continue
            unique, shared = found.matches(tier, key[usable])
            hit = usable & _is_in(key, _arrow(pd.Series(unique.index)))
            many = usable & ~hit & _is_in(key, _arrow(pd.Series(shared.index)))
            resolved[open_at[hit]] = key[hit].map(unique).to_numpy(dtype=object)
            matched[open_at[hit]] = True
            if tier >= BY_NAME_TIER:
                by_name[open_at[hit]] = True
            ambiguous[open_at[many]] = True
            for value, k in zip(written[many].tolist(), key[many].tolist(), strict=True):
                candidates[value] = _either(shared.loc[[k]], found.label)
            left &= ~(hit | many)
        closest = _closest(written[left], found, target)
    unmatched = ~matched & ~ambiguous
    if (resolved == uniques.to_numpy(dtype=object)).all():
        out = values  # every value as written (the usual export of IDs): no million-row copy
    else:
        table = pa.array(resolved, type=pa.string())
        out = pd.Series(table.take(pa.array(codes)), index=values.index, dtype="str")
    return ResolvedColumn(
        values=out,
        blank=(values == "").to_numpy(),
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
    # A single word is no one's full name, and a company is named with letters: an unknown ID
    # ("C00337") is then looked up by ID alone.
    words = words.where(words.str.contains(" ", regex=False), "")
    if target == "users":
        initials = _written_initials(uniques)
        return [_fold(uniques), words, _first_last(words), initials, initials]
    firm = _company(uniques)
    lettered = pc.match_substring_regex(_arrow(firm), r"\p{L}\p{L}")
    firm = firm.where(np.asarray(lettered.to_numpy(zero_copy_only=False), dtype=bool), "")
    return [_fold(uniques), words, _first_last(words), firm, _without_legal_form(firm)]


def _without_legal_form(firm: pd.Series) -> pd.Series:
    return _series(_sub(_arrow(firm), _LEGAL_FORM))


def _closest(unmatched: pd.Series, lookup: _Lookup, target: str) -> dict[str, str]:
    """Unmatched value -> the (at most three) people whose name, or ID, is closest, in words.

    A value written as a name is compared with the names; one written as an ID or initials
    with the users' IDs only (a staff list is short: "RTK" next to "RKM" is a useful hint,
    while an unknown client ID has a dozen neighbours that differ by one digit).
    """
    named = unmatched.map(is_name_like).to_numpy(dtype=bool)
    asked = [(unmatched[named], True)]
    if target == "users":
        asked.append((unmatched[~named], False))
    asked = [(queries, by_name) for queries, by_name in asked if len(queries)]
    if not asked or not len(lookup.ids):
        return {}
    owners = list(pd.unique(lookup.ids.to_numpy(dtype=object)))
    # A long list of people (200,000 contacts) gets fewer values examined: suggestions are a help,
    # not a finding, and must not make the check slow.
    room = max(20, _CLOSEST_BUDGET // len(owners))
    out: dict[str, str] = {}
    for queries, by_name in asked:
        if by_name:
            choices = list(lookup.names.reindex(owners).fillna("").to_numpy(dtype=object))
            folded = _name_words(queries.iloc[:room])
        else:
            choices = [str(i).casefold() for i in owners]
            folded = _fold(queries.iloc[:room])
        for value, query in zip(queries.iloc[:room].tolist(), folded.tolist(), strict=True):
            if len(query) < 2:
                continue
            seen: list[str] = []
            for _choice, _score, index in process.extract(
                query, choices, scorer=fuzz.WRatio if by_name else fuzz.ratio, limit=6, score_cutoff=60
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
    lookups: dict[str, _Lookup] = {}
    out: dict[tuple[str, str], ResolvedColumn] = {}
    for (entity, name), target in REFERENCES.items():
        data, found = entities.get(entity), entities.get(target)
        key = _TARGET_KEY[target]
        if data is None or name not in data.present or found is None or key not in found.present:
            continue

        def lookup(target: str = target, found: Referenced = found) -> _Lookup:
            if target not in lookups:
                lookups[target] = _users_lookup(found) if target == "users" else _contacts_lookup(found)
            return lookups[target]

        out[(entity, name)] = resolve(data.stripped(name), found.stripped(key), lookup, target)
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
