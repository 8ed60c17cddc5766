"""Which entity each table holds, judged from its headings and content.

Never from file names alone: firms name their exports anything ("Copy of clients FINAL
(2).csv"). A table that is one of the profile's known export files (a file signature,
see :mod:`.signatures`) takes that file's entity; any other is scored against every
entity by how well its columns map.
"""

from __future__ import annotations

from dataclasses import dataclass

from migration_assistant.core.adapters import Profile
from migration_assistant.core.readers.table import SourceTable
from migration_assistant.core.recognise.address_book import looks_like_address_book
from migration_assistant.core.recognise.columns import TableMapping, suggest_mapping
from migration_assistant.core.recognise.signatures import file_match
from migration_assistant.core.schema import entities

RECOGNISED = 0.45
"""Below this score a table's role is "not recognised"."""
AMBIGUOUS_MARGIN = 0.05
"""Two candidates (entities for a table, source systems for an export) closer than this are
reported as ambiguous, never picked silently."""


@dataclass(frozen=True, slots=True)
class RoleGuess:
    entity: str | None
    confidence: float
    mapping: TableMapping | None
    runner_up: str | None = None
    ambiguous: bool = False


def _score(mapping: TableMapping, labels: list[str]) -> float:
    ent = entities()[mapping.entity]
    matched = len(mapping.matches)
    if matched == 0:
        return 0.0
    covered = set(mapping.matches) | mapping.provided
    real_labels = [lab for lab in labels if not lab.startswith("(blank column")] or labels
    label_cover = matched / max(len(real_labels), 1)
    field_cover = matched / len(ent.fields)
    pk = 1.0 if ent.field(ent.primary_key).title in covered else 0.0
    required = [f.title for f in ent.fields if f.required]
    req_cover = sum(1 for t in required if t in covered) / max(len(required), 1)
    return round(0.35 * label_cover + 0.2 * field_cover + 0.2 * pk + 0.25 * req_cover, 3)


def guess_role(
    table: SourceTable, profile: Profile, saved: dict[str, dict[str, str]] | None = None
) -> RoleGuess:
    """The best entity for *table* under *profile*, with a 0..1 confidence.

    Args:
        table: The table read from a file.
        profile: The source system, for its synonyms and file signatures.
        saved: The user's earlier column choices, entity -> canonical title -> source label.
    """
    if table.role:
        mapping = suggest_mapping(table.labels, table.role, profile)
        return RoleGuess(table.role, table.role_confidence or 1.0, mapping)
    match = file_match(table, profile)
    if match is not None:
        mapping = suggest_mapping(table.labels, match.entity, profile, (saved or {}).get(match.entity))
        confidence = max(0.9 * match.strength, _score(mapping, table.labels))
        return RoleGuess(match.entity, round(confidence, 3), mapping)
    scored: list[tuple[float, str, TableMapping]] = []
    for name in entities():
        mapping = suggest_mapping(table.labels, name, profile, (saved or {}).get(name))
        scored.append((_score(mapping, table.labels), name, mapping))
    scored.sort(key=lambda item: -item[0])
    best_score, best, best_mapping = scored[0]
    second_score, second, _ = scored[1]
    if best_score < RECOGNISED:
        # A list of people with first name, last name and e-mail is an address book, however many
        # other columns it has (Thunderbird's 37): contacts, not "not recognised".
        if looks_like_address_book(table.labels):
            contacts = next(m for _s, n, m in scored if n == "contacts")
            return RoleGuess("contacts", RECOGNISED, contacts, best if best != "contacts" else second)
        return RoleGuess(None, best_score, None, best)
    ambiguous = best_score - second_score < AMBIGUOUS_MARGIN
    return RoleGuess(best, best_score, best_mapping, second, ambiguous)
