"""Telling source systems apart: evidence beyond "how well do the columns map".

:func:`detect.guess_source` scores each profile by the mean role confidence its synonyms
reach plus a share of its signature headings found anywhere in the export. That cannot
separate profiles that accept the same headings: every non-strict profile also accepts
the canonical titles (so a template export maps perfectly under all of them), the generic
spreadsheet profile knows the most synonyms (so it out-maps vendors on their own files),
and a profile that declares many signature headings is penalised when the firm only
gave one of its files.

This module adds evidence that only one system would produce, per table:

* **file signatures** (``detection.files`` in a profile: headings that identify one export
  file, with how many must be present, the entity it holds and the other entities in it),
* **profile signature headings** (``detection.signature_headers``), counted per table,
* **content patterns** (``detection.value_patterns``: e.g. Tabs3's client.matter IDs),
* **interchange formats** a profile declares (LEDES, IIF…),
* **exact template headings** for a strict profile (the migration template),
* file-name patterns, only ever as a tie-breaker on top of other evidence.

:func:`rank_sources` combines that evidence with the mapping score into a
:class:`~migration_assistant.core.detect.SourceGuess`; with no evidence for any vendor the
generic profile wins and the vendors mapping as well are reported as ambiguous, never
picked silently. :func:`file_match` gives a table's role from a file signature, and
:func:`also_tables` the extra views of a file that holds two entities (PCLaw's
client/matter list: matters, plus the client contacts, one per client).
"""

from __future__ import annotations

import dataclasses
import fnmatch
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from migration_assistant.core.adapters import Profile
from migration_assistant.core.readers.table import ROW, SourceTable
from migration_assistant.core.schema import entities, normalise_label

if TYPE_CHECKING:
    from migration_assistant.core.detect import SourceGuess

AMBIGUOUS_MARGIN = 0.05
"""Two sources closer than this are reported as ambiguous."""
MAPPING_WEIGHT = 0.45
EVIDENCE_WEIGHT = 0.55
FILE_NAME_BONUS = 0.05
PATTERN_SHARE = 0.8
"""Share of non-blank sampled values that must match a value pattern."""
PATTERN_SAMPLE = 200
FALLBACK_KINDS = ("spreadsheet",)
"""Profiles that win only by default: on a tie they are preferred, and the tie is reported."""
INTERCHANGE = frozenset({"ledes", "ics", "vcf", "iif"})


@dataclass(frozen=True, slots=True)
class FileSignature:
    entity: str
    headers: tuple[str, ...]
    min_hits: int
    also: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Extras:
    """The parts of a profile's ``detection`` block the loader does not keep."""

    files: tuple[FileSignature, ...] = ()
    value_patterns: tuple[tuple[str, str, re.Pattern[str]], ...] = ()


@dataclass(frozen=True, slots=True)
class FileMatch:
    """A table recognised as one export file of a profile."""

    entity: str
    also: tuple[str, ...]
    hits: int
    needed: int

    @property
    def strength(self) -> float:
        return min(1.0, self.hits / max(self.needed, 1))


@lru_cache(maxsize=256)
def _extras_from(origin: str, mtime: float) -> Extras:
    raw: dict[str, Any] = json.loads(Path(origin).read_text(encoding="utf-8"))
    detection = raw.get("detection", {})
    files = tuple(
        FileSignature(
            entity=item["entity"],
            headers=tuple(item["signature_headers"]),
            min_hits=int(item.get("min_hits", min(3, len(item["signature_headers"])))),
            also=tuple(item.get("also", ())),
        )
        for item in detection.get("files", ())
    )
    patterns = []
    for key, regex in detection.get("value_patterns", {}).items():
        entity, _, title = key.partition(".")
        try:
            patterns.append((entity, title, re.compile(regex)))
        except re.error:
            continue
    return Extras(files, tuple(patterns))


def extras(profile: Profile) -> Extras:
    """File signatures and value patterns of *profile* (read from its file; cached)."""
    if not profile.origin:
        return Extras()
    path = Path(profile.origin)
    try:
        return _extras_from(str(path), path.stat().st_mtime)
    except (OSError, ValueError, KeyError, TypeError):
        return Extras()


def _keys(labels: list[str]) -> set[str]:
    return {normalise_label(lab) for lab in labels}


def file_match(table: SourceTable, profile: Profile) -> FileMatch | None:
    """The profile's export file that *table* is, judged by that file's signature headings."""
    keys = _keys(table.labels)
    best: FileMatch | None = None
    for sig in extras(profile).files:
        hits = sum(1 for h in sig.headers if normalise_label(h) in keys)
        if hits < sig.min_hits:
            continue
        match = FileMatch(sig.entity, sig.also, hits, sig.min_hits)
        if best is None or (match.hits, match.strength) > (best.hits, best.strength):
            best = match
    return best


def _signature_hits(table: SourceTable, profile: Profile) -> float:
    if not profile.signature_headers:
        return 0.0
    keys = _keys(table.labels)
    hits = sum(1 for h in profile.signature_headers if normalise_label(h) in keys)
    return min(1.0, hits / 2)


def _pattern_hits(table: SourceTable, profile: Profile) -> float:
    patterns = extras(profile).value_patterns
    if not patterns or table.data.empty:
        return 0.0
    from migration_assistant.core.mapping import suggest_mapping

    for entity, title, regex in patterns:
        if entity not in entities():
            continue
        label = suggest_mapping(table.labels, entity, profile).label_for(title)
        if not label or label not in table.data.columns:
            continue
        values = table.data[label].head(PATTERN_SAMPLE).astype("str").str.strip()
        values = values[values != ""]
        if len(values) and values.str.fullmatch(regex).mean() >= PATTERN_SHARE:
            return 1.0
    return 0.0


def _exact_template(table: SourceTable) -> float:
    """1.0 when every heading of the table is a canonical title of one entity (at least three)."""
    keys = {k for k in _keys(table.labels) if not k.startswith("(blank column")}
    if len(keys) < 3:
        return 0.0
    for ent in entities().values():
        titles = {normalise_label(t) for t in ent.titles}
        if keys <= titles:
            return 1.0
    return 0.0


def table_evidence(table: SourceTable, profile: Profile) -> float:
    """0..1: how strongly *table* says it came from *profile*'s system (mapping quality aside)."""
    evidence = 0.0
    if table.format in INTERCHANGE and table.format in profile.formats:
        evidence = max(evidence, 1.0)
    if profile.strict_headers and table.format not in INTERCHANGE:
        evidence = max(evidence, _exact_template(table))
    match = file_match(table, profile)
    if match is not None:
        evidence = max(evidence, match.strength)
    evidence = max(evidence, _signature_hits(table, profile))
    if evidence < 1.0:
        evidence = max(evidence, 0.7 * _pattern_hits(table, profile))
    if evidence > 0 and profile.file_names:
        name = Path(table.file).name.casefold()
        if any(fnmatch.fnmatch(name, pattern.casefold()) for pattern in profile.file_names):
            evidence = min(1.0, evidence + FILE_NAME_BONUS)
    return evidence


def source_evidence(tables: list[SourceTable], profile: Profile) -> float:
    """Evidence over the whole export: half the mean over tables, half the strongest table."""
    if not tables:
        return 0.0
    per_table = [table_evidence(t, profile) for t in tables]
    return round(0.5 * sum(per_table) / len(per_table) + 0.5 * max(per_table), 3)


def rank_sources(tables: list[SourceTable], catalog: dict[str, Profile]) -> SourceGuess:
    """The source system that explains *tables* best, with ambiguity reported.

    score = 0.45 x mean role confidence (as :func:`detect.guess_role` computes it)
          + 0.55 x :func:`source_evidence`.
    A profile with no evidence at all scores at most what the generic profile scores. The
    highest score wins (an exact tie goes to the generic profile); a runner-up within
    :data:`AMBIGUOUS_MARGIN` makes the guess ``ambiguous``, to be reported, not hidden.
    """
    from migration_assistant.core.detect import SourceGuess, guess_role

    if not tables or not catalog:
        return SourceGuess("template", 0.0, None, False, {})
    scores: dict[str, float] = {}
    evidence: dict[str, float] = {}
    for profile in catalog.values():
        roles = [_role_confidence(t, profile, guess_role) for t in tables]
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


def _role_confidence(table: SourceTable, profile: Profile, guess_role: Any) -> float:
    """Role confidence as detect scores it, but a table matching a file signature counts as recognised."""
    if table.role:
        return float(table.role_confidence or 1.0)
    guess = guess_role(table, profile)
    confidence = float(guess.confidence)
    if file_match(table, profile) is not None:
        confidence = max(confidence, 0.9)
    return confidence


def also_tables(tables: list[SourceTable], profile: Profile) -> list[SourceTable]:
    """Extra views of files that hold a second entity (``also`` in a file signature).

    Each view keeps the file's name and row numbers and only the columns that are the extra
    entity's by name or synonym, has ``role`` set to that entity, and keeps one row per key
    (the first), so a client repeated on each of its matter rows becomes one contact. Views
    are not made for tables that already carry a role (interchange formats).
    """
    from migration_assistant.core.mapping import suggest_mapping

    out: list[SourceTable] = []
    for table in tables:
        if table.format in INTERCHANGE:
            continue
        match = file_match(table, profile)
        if match is None or not match.also:
            continue
        for entity in match.also:
            ent = entities()[entity]
            mapping = suggest_mapping(table.labels, entity, profile)
            # Only the columns that are this entity's by name or synonym: a matter column must not
            # be fuzzily taken for a contact field (TYPE_OF_LAW is not a contact's Type).
            keep = [m.label for m in mapping.matches.values() if m.how in ("exact", "synonym", "user")]
            if not keep:
                continue
            key_label = mapping.label_for(ent.field(ent.primary_key).title)
            data = table.data
            if key_label is not None and key_label in keep:
                key = data[key_label].astype("str").str.strip()
                data = data[(key == "") | ~key.duplicated(keep="first")]
            labels = [lab for lab in table.labels if lab in keep]
            out.append(
                dataclasses.replace(
                    table,
                    data=data[[*labels, ROW]].reset_index(drop=True),
                    labels=labels,
                    findings=[],
                    role=entity,
                    role_confidence=round(0.9 * match.strength, 3),
                )
            )
    return out
