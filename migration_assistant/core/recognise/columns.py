"""Matching a file's column headings to the canonical fields.

Exact titles and the profile's synonyms first, then fuzzy suggestions (rapidfuzz)
with a score. Saved corrections, per source system, win over everything.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from migration_assistant.core.adapters import Profile
from migration_assistant.core.schema import entities, normalise_label
from migration_assistant.core.transforms import provided_titles

FUZZY_APPLY = 88.0
"""Fuzzy matches at or above this score are applied; lower ones are only suggested."""
FUZZY_SUGGEST = 60.0


@dataclass(frozen=True, slots=True)
class ColumnMatch:
    title: str
    label: str
    score: float
    how: str  # "exact", "synonym", "fuzzy", "user"


@dataclass(slots=True)
class TableMapping:
    """How one table's columns map to one entity's fields."""

    entity: str
    matches: dict[str, ColumnMatch] = field(default_factory=dict)
    suggestions: dict[str, ColumnMatch] = field(default_factory=dict)
    unmapped_labels: list[str] = field(default_factory=list)
    provided: set[str] = field(default_factory=set)
    """Titles no column maps but a profile transform fills in (Outlook's Contact ID)."""

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
    by_key = {normalise_label(lab): lab for lab in labels}
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
    if not profile.strict_headers:
        _fuzzy(result, labels, taken, synonyms, skipped)
    else:
        _fuzzy(result, labels, taken, synonyms, skipped, apply=False)
    result.unmapped_labels = [lab for lab in labels if lab not in taken]
    result.provided = provided_titles(profile, entity, set(result.matches))
    return result


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
        free_keys = [normalise_label(f) for f in free]
        for name in dict.fromkeys((title, *names)):  # ordered: ties resolve the same on every run
            hit = process.extractOne(normalise_label(name), free_keys, scorer=fuzz.WRatio)
            if hit and (best is None or hit[1] > best[1]):
                best = (free[hit[2]], float(hit[1]))
        if best is None or best[1] < FUZZY_SUGGEST:
            continue
        match = ColumnMatch(title, best[0], round(best[1], 1), "fuzzy")
        if apply and best[1] >= FUZZY_APPLY:
            result.matches[title] = match
            taken.add(best[0])
        else:
            result.suggestions[title] = match
