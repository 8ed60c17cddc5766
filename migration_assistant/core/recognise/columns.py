"""Matching a file's column headings to the canonical fields.

Exact titles and the profile's synonyms first, then fuzzy suggestions (rapidfuzz)
with a score. Saved corrections, per source system, win over everything.

A heading is never guessed into another field's place. Headings the profile declares as
known but unused (``unused_columns``: Outlook's "E-mail Type", "Priority") are matched to
nothing and listed as :attr:`TableMapping.kept`. An address book's e-mail, phone and address
columns (:mod:`.address_book`) fill the contact's slots by their kind, row by row, and are
never fuzzily taken for another field. And a fuzzy match whose heading only *contains* the
field's words next to a word that makes it something else ("E-mail 1 - Type" for Type,
"Other Postal Code" for Postal Code, "Business Phone 2" for Phone) is neither applied nor
suggested.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz, process

from migration_assistant.core.adapters import Profile
from migration_assistant.core.recognise.address_book import AddressBookLayout, read_layout, words
from migration_assistant.core.schema import entities, normalise_label
from migration_assistant.core.transforms import provided_titles

FUZZY_APPLY = 88.0
"""Fuzzy matches at or above this score are applied; lower ones are only suggested."""
FUZZY_SUGGEST = 60.0
SLOT_TITLES = {
    "email": ("Email",),
    "phone": ("Phone", "Mobile"),
    "address": ("Street", "City", "State/Province", "Postal Code", "Country"),
}
"""The contact fields each family of address-book columns fills (see :mod:`.address_book`)."""
_PART_OF = {
    "Street": "street",
    "City": "city",
    "State/Province": "state",
    "Postal Code": "postal",
    "Country": "country",
}
_QUALIFIERS = frozenset(
    {
        "type", "label", "kind", "display", "category",
        "home", "work", "business", "office", "other", "private", "personal",
        "mobile", "cell", "fax", "pager", "car", "assistant", "assistants", "primary", "secondary",
    }
)  # fmt: skip
"""Words that, next to a field's own words, make a heading a different thing (its type, another kind)."""
_DESCRIBERS = frozenset({"type", "kind", "label", "category", "display"})
"""Words that make a heading describe another value ("E-mail Type", "Phone 1 - Label")."""


@dataclass(frozen=True, slots=True)
class ColumnMatch:
    title: str
    label: str
    score: float
    how: str  # "exact", "synonym", "fuzzy", "user", "slot" (an address book's columns, by kind)


@dataclass(slots=True)
class TableMapping:
    """How one table's columns map to one entity's fields."""

    entity: str
    matches: dict[str, ColumnMatch] = field(default_factory=dict)
    suggestions: dict[str, ColumnMatch] = field(default_factory=dict)
    unmapped_labels: list[str] = field(default_factory=list)
    provided: set[str] = field(default_factory=set)
    """Titles no column maps but a profile transform fills in (Outlook's Contact ID)."""
    kept: list[str] = field(default_factory=list)
    """Headings the profile knows and the schema does not need: never matched, carried as they are."""
    layout: AddressBookLayout | None = None
    """An address book's e-mail, phone and address columns, when their values fill the contact's slots."""
    slot_families: frozenset[str] = frozenset()
    """Which families ("email", "phone", "address") are filled from :attr:`layout` (those the user
    did not map by hand)."""

    def label_for(self, title: str) -> str | None:
        match = self.matches.get(title)
        return match.label if match else None

    @property
    def missing_required(self) -> list[str]:
        return [
            f.title
            for f in entities()[self.entity].fields
            if f.required and f.title not in self.matches and f.title not in self.provided
        ]

    def to_json(self) -> dict[str, str]:
        return {title: m.label for title, m in self.matches.items()}


def suggest_mapping(
    labels: list[str],
    entity: str,
    profile: Profile,
    saved: dict[str, str] | None = None,
) -> TableMapping:
    """Map *labels* (a table's headings) to *entity*'s canonical titles.

    Args:
        labels: the table's unique column labels.
        entity: the canonical entity the table holds.
        profile: the source system, for its synonyms and whether headers must be exact.
        saved: canonical title -> source label chosen by the user earlier ("" = leave unmapped).
    """
    result = TableMapping(entity=entity)
    result.kept = _kept(labels, profile.unused.get(entity, ()))
    by_key = {normalise_label(lab): lab for lab in labels if lab not in result.kept}
    taken: set[str] = set()
    synonyms = profile.synonyms(entity)
    for title, label in (saved or {}).items():
        if title in synonyms and label in labels and label not in taken:
            result.matches[title] = ColumnMatch(title, label, 100.0, "user")
            taken.add(label)
    skipped = {t for t, lab in (saved or {}).items() if lab == ""}
    for title, names in synonyms.items():
        if title in result.matches or title in skipped:
            continue
        for position, name in enumerate(names):
            found = by_key.get(normalise_label(name))
            if found and found not in taken:
                label = found
                exact = normalise_label(name) == normalise_label(title)
                how = "exact" if exact else "synonym"
                result.matches[title] = ColumnMatch(
                    title, label, 100.0 if exact else 95.0 - position * 0.1, how
                )
                taken.add(label)
                break
    blocked = set(result.kept)
    if entity == "contacts" and not profile.strict_headers:
        _slots(result, [lab for lab in labels if lab not in blocked], taken, set((saved or {}).keys()))
        if result.layout is not None:
            blocked |= result.layout.labels
    free = [lab for lab in labels if lab not in blocked]
    _fuzzy(result, free, taken, synonyms, skipped, apply=not profile.strict_headers)
    filled = _family_labels(result.layout, result.slot_families) if result.layout is not None else set()
    result.unmapped_labels = [lab for lab in labels if lab not in taken and lab not in filled]
    result.provided = provided_titles(profile, entity, set(result.matches))
    return result


def _kept(labels: list[str], unused: tuple[str, ...]) -> list[str]:
    """The *labels* a profile declares unused; "#" in a declared heading stands for a number
    (Google's "Website # - Value" for Website 1, 2…)."""
    if not unused:
        return []
    exact = {normalise_label(name) for name in unused if "#" not in name}
    numbered = [
        re.compile(re.escape(normalise_label(name)).replace(r"\#", r"\d+") + "$")
        for name in unused
        if "#" in name
    ]
    return [
        lab
        for lab in labels
        if normalise_label(lab) in exact or any(p.match(normalise_label(lab)) for p in numbered)
    ]


def _family_labels(layout: AddressBookLayout, families: frozenset[str]) -> set[str]:
    out: set[str] = set()
    if "email" in families:
        out |= {c.label for c in layout.emails} | {c.kind_label for c in layout.emails if c.kind_label}
    if "phone" in families:
        out |= {c.label for c in layout.phones} | {c.kind_label for c in layout.phones if c.kind_label}
    if "address" in families:
        for block in layout.addresses:
            out |= {lab for cols in block.parts.values() for lab in cols}
            if block.kind_label:
                out.add(block.kind_label)
    return out


def _slots(result: TableMapping, labels: list[str], taken: set[str], chosen: set[str]) -> None:
    """Read the address book's columns; show a slot field the synonyms left empty as filled from them.

    *chosen* are the titles the user mapped (or left out) by hand: their family keeps that choice.
    """
    layout = read_layout(labels)
    if not layout:
        return
    families = frozenset(f for f, titles in SLOT_TITLES.items() if not set(titles) & chosen)
    present = {
        "email": bool(layout.emails),
        "phone": bool(layout.phones),
        "address": bool(layout.addresses),
    }
    families = frozenset(f for f in families if present[f])
    if not families:
        return
    result.layout = layout
    result.slot_families = families
    shown = {m.label for m in result.matches.values()}

    def show(title: str, label: str | None) -> None:
        if label is None or title in result.matches or label in shown:
            return
        result.matches[title] = ColumnMatch(title, label, 90.0, "slot")
        shown.add(label)
        taken.add(label)

    if "email" in families:
        show("Email", next((c.label for c in layout.emails), None))
    if "phone" in families:
        ranked = sorted(layout.phones, key=lambda c: (c.kind_label is not None, _PHONE_ORDER.get(c.kind, 9)))
        show("Phone", next((c.label for c in ranked if c.kind_label or c.kind in _PHONE_ORDER), None))
        mobile = [c.label for c in layout.phones if c.kind == "mobile"]
        mobile += [c.label for c in layout.phones if c.kind_label and c.label not in shown]
        show("Mobile", next(iter(mobile), None))
    if "address" in families:
        # The block the contact's address comes from first (business, home, unlabelled, other):
        # its own parts only, never a city from one block beside a street from another.
        top = min(layout.addresses, key=lambda b: (b.kind_label is not None, _BLOCK_ORDER.get(b.kind, 3)))
        for title, part in _PART_OF.items():
            show(title, top.parts[part][0] if part in top.parts else None)


_PHONE_ORDER = {"main": 0, "work": 1, "company": 2, "home": 3, "": 4, "other": 4}
_BLOCK_ORDER = {"work": 0, "home": 1, "": 2, "other": 3}


@lru_cache(maxsize=1 << 16)
def _contains_other_thing(name: str, label: str) -> bool:
    """True when *label* names something other than *name*, though it shares its words.

    A heading that describes another value ("E-mail Type", "E-mail 1 - Label", "Other Address
    Type") is only ever the field whose every word it holds; a heading holding all of *name*'s
    words plus a kind or a number ("Other Postal Code", "Business Phone 2") is another value of
    that kind. "Company Name" still is Company.
    """
    name_words, label_words = set(words(name)), set(words(label))
    extra = label_words - name_words
    if label_words & _DESCRIBERS and extra:
        return True  # "E-mail Type" is not a Contact Type, nor a Type: it describes the e-mail
    if not name_words or not name_words < label_words:
        return False
    return bool(extra & _QUALIFIERS or any(w.isdigit() for w in extra))


def _fuzzy(
    result: TableMapping,
    labels: list[str],
    taken: set[str],
    synonyms: dict[str, tuple[str, ...]],
    skipped: set[str],
    apply: bool = True,
) -> None:
    for title, names in synonyms.items():
        if title in result.matches or title in skipped:
            continue
        free = [lab for lab in labels if lab not in taken and not lab.startswith("(blank column")]
        if not free:
            return
        best: tuple[str, float] | None = None
        for name in dict.fromkeys((title, *names)):  # ordered: ties resolve the same on every run
            fitting = [lab for lab in free if not _contains_other_thing(name, lab)]
            hit = process.extractOne(
                normalise_label(name), [normalise_label(f) for f in fitting], scorer=fuzz.WRatio
            )
            if hit and (best is None or hit[1] > best[1]):
                best = (fitting[hit[2]], float(hit[1]))
        if best is None or best[1] < FUZZY_SUGGEST:
            continue
        match = ColumnMatch(title, best[0], round(best[1], 1), "fuzzy")
        if apply and best[1] >= FUZZY_APPLY:
            result.matches[title] = match
            taken.add(best[0])
        else:
            result.suggestions[title] = match
