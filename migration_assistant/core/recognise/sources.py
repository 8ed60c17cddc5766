"""Which source system an export came from: every profile ranked, ambiguity reported.

A profile's score is its mean role confidence over the export's tables (how well its
synonyms map them, :func:`.roles.guess_role`) plus the evidence only its system would
produce (:func:`.signatures.source_evidence`). With no evidence for any vendor the generic
profile wins, and the vendors that map as well are reported as ambiguous, never picked
silently.
"""

from __future__ import annotations

from dataclasses import dataclass

from migration_assistant.core.adapters import Profile
from migration_assistant.core.readers.table import SourceTable
from migration_assistant.core.recognise.roles import AMBIGUOUS_MARGIN, guess_role
from migration_assistant.core.recognise.signatures import (
    INTERCHANGE,
    file_match,
    source_evidence,
    table_evidence,
)
from migration_assistant.core.schema import normalise_label

MAPPING_WEIGHT = 0.45
EVIDENCE_WEIGHT = 0.55
FALLBACK_KINDS = ("spreadsheet",)
"""Profiles that win only by default: on a tie they are preferred, and the tie is reported."""


@dataclass(frozen=True, slots=True)
class SourceGuess:
    source_id: str
    confidence: float
    runner_up: str | None
    ambiguous: bool
    scores: dict[str, float]


def guess_source(tables: list[SourceTable], catalog: dict[str, Profile]) -> SourceGuess:
    """The source system that explains *tables* best, with ambiguity reported.

    score = 0.45 x mean role confidence (as :func:`.roles.guess_role` computes it)
          + 0.55 x :func:`.signatures.source_evidence`.
    A profile with no evidence at all scores at most what the generic profile scores. The
    highest score wins (an exact tie goes to the generic profile); a runner-up within
    :data:`.roles.AMBIGUOUS_MARGIN` makes the guess ``ambiguous``, to be reported, not hidden.
    """
    if not tables or not catalog:
        return SourceGuess("template", 0.0, None, False, {})
    scores: dict[str, float] = {}
    evidence: dict[str, float] = {}
    for profile in catalog.values():
        roles = [_role_confidence(t, profile) for t in tables]
        base = sum(roles) / len(roles)
        evidence[profile.id] = source_evidence(tables, profile)
        scores[profile.id] = round(MAPPING_WEIGHT * base + EVIDENCE_WEIGHT * evidence[profile.id], 3)
    # A vendor is named only on evidence only it would produce: without any, mapping better than
    # the generic profile (e.g. PracticePanther's "Display Name" on a Thunderbird address book)
    # makes it a candidate to report, not the answer.
    fallback = max((scores[p.id] for p in catalog.values() if p.kind in FALLBACK_KINDS), default=None)
    if fallback is not None:
        for pid, score in scores.items():
            if evidence[pid] == 0 and catalog[pid].kind not in FALLBACK_KINDS and score > fallback:
                scores[pid] = fallback
    # Highest score first; on an exact tie the fallback (generic) profile, then by id.
    ranked = sorted(scores, key=lambda pid: (-scores[pid], catalog[pid].kind not in FALLBACK_KINDS, pid))
    best = ranked[0]
    runner_up = ranked[1] if len(ranked) > 1 else None
    ambiguous = runner_up is not None and scores[best] - scores[runner_up] < AMBIGUOUS_MARGIN
    return SourceGuess(best, scores[best], runner_up, ambiguous, scores)


def _role_confidence(table: SourceTable, profile: Profile) -> float:
    """Role confidence as :func:`.roles.guess_role` scores it, but a file-signature match counts as recognised."""
    if table.role:
        return float(table.role_confidence or 1.0)
    confidence = guess_role(table, profile).confidence
    if file_match(table, profile) is not None:
        confidence = max(confidence, 0.9)
    return confidence


@dataclass(frozen=True, slots=True)
class SourceMismatch:
    """The source system the user chose, and another that explains the files clearly better."""

    chosen: str
    better: str
    chosen_score: float
    better_score: float
    files: tuple[str, ...]
    """Files that carry the better system's own evidence (its headings, its file layouts)."""
    headings: tuple[str, ...]
    """Headings of the files that only the better system writes (a few, for the message)."""
    unexported: tuple[str, ...]
    """Kinds of record the files hold that the chosen system does not export."""


def exported_entities(profile: Profile) -> set[str]:
    """Kinds of record *profile*'s system exports (its export steps, and the second kind some files hold)."""
    out = {e.entity for e in profile.exports}
    for sig in profile.detection.files:
        out.update(sig.also)
    return out


def check_chosen_source(
    tables: list[SourceTable],
    catalog: dict[str, Profile],
    chosen: str,
    entities_found: set[str] | None = None,
) -> SourceMismatch | None:
    """Whether the files match another profile clearly better than the *chosen* one.

    The files are ranked as for an automatic choice (:func:`guess_source`). Another system is
    named only when it wins with evidence of its own (its headings or file layouts, never the
    generic profile's mapping alone) and either beats the choice by at least
    :data:`.roles.AMBIGUOUS_MARGIN` or, at any margin, explains kinds of record the chosen
    system cannot export (*entities_found*: what the files were read as under the choice).
    """
    if chosen not in catalog or len(catalog) < 2 or not tables:
        return None
    guess = guess_source(tables, catalog)
    better = guess.source_id
    if better == chosen or guess.ambiguous or catalog[better].kind in FALLBACK_KINDS:
        return None
    evidence = [table_evidence(t, catalog[better]) for t in tables]
    if not any(evidence):  # the source's evidence is 0 exactly when no file has any
        return None
    chosen_score = guess.scores.get(chosen, 0.0)
    unexported = sorted((entities_found or set()) - exported_entities(catalog[chosen]))
    explains = bool(unexported) and set(unexported) <= exported_entities(catalog[better])
    clear = guess.confidence - chosen_score >= AMBIGUOUS_MARGIN
    if not clear and not (explains and guess.confidence > chosen_score):
        return None
    files = tuple(dict.fromkeys(t.file for t, e in zip(tables, evidence, strict=True) if e > 0))
    return SourceMismatch(
        chosen, better, chosen_score, guess.confidence, files, _own_headings(tables, catalog[better]),
        tuple(unexported),
    )  # fmt: skip


def _own_headings(tables: list[SourceTable], profile: Profile, limit: int = 4) -> tuple[str, ...]:
    """Headings of *tables* that *profile* declares as its own: those only it writes first, then
    the headings of its export files."""
    keys = {normalise_label(h): 0 for sig in profile.detection.files for h in sig.headers}
    keys.update({normalise_label(h): -1 for h in profile.detection.signature_headers})
    found: dict[str, int] = {}
    for table in tables:
        if table.format in INTERCHANGE:
            continue
        for label in table.labels:
            rank = keys.get(normalise_label(label))
            if rank is not None:
                found.setdefault(label, rank)
    return tuple(sorted(found, key=lambda label: found[label]))[:limit]
