"""Evidence that a table came from one system's export, beyond "how well do its columns map".

Ranking systems by mapping quality alone cannot separate profiles that accept the same
headings: every non-strict profile also accepts the canonical titles (so a template export
maps perfectly under all of them), the generic spreadsheet profile knows the most synonyms
(so it out-maps vendors on their own files), and a profile that declares many signature
headings is penalised when the firm only gave one of its files.

This module weighs evidence that only one system would produce, per table, from the
profile's :class:`~migration_assistant.core.adapters.Detection`:

* **file signatures** (headings that identify one export file, with how many must be
  present, the entity it holds and the other entities in it),
* **profile signature headings**, counted per table,
* **content patterns** (e.g. Tabs3's client.matter IDs),
* **interchange formats** a profile declares (LEDES, IIF…),
* **exact template headings** for a strict profile (the migration template),
* file-name patterns, only ever as a tie-breaker on top of other evidence.

:func:`file_match` gives a table's role from a file signature, :func:`table_evidence` and
:func:`source_evidence` the evidence :func:`.sources.guess_source` ranks systems by, and
:func:`also_tables` the extra views of a file that holds two entities (PCLaw's client/matter
list: matters, plus the client contacts, one per client).
"""

from __future__ import annotations

import dataclasses
import fnmatch
from dataclasses import dataclass
from pathlib import Path

from migration_assistant.core.adapters import Profile
from migration_assistant.core.readers.table import ROW, SourceTable
from migration_assistant.core.recognise.columns import suggest_mapping
from migration_assistant.core.schema import entities, normalise_label

FILE_NAME_BONUS = 0.05
PATTERN_SHARE = 0.8
"""Share of non-blank sampled values that must match a value pattern."""
PATTERN_SAMPLE = 200
INTERCHANGE = frozenset({"ledes", "ics", "vcf", "iif"})
"""Formats whose readers set the table's entity and canonical column names themselves."""


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


def _keys(labels: list[str]) -> set[str]:
    return {normalise_label(lab) for lab in labels}


def file_match(table: SourceTable, profile: Profile) -> FileMatch | None:
    """The profile's export file that *table* is, judged by that file's signature headings."""
    keys = _keys(table.labels)
    best: FileMatch | None = None
    for sig in profile.detection.files:
        hits = sum(1 for h in sig.headers if normalise_label(h) in keys)
        if hits < sig.min_hits:
            continue
        match = FileMatch(sig.entity, sig.also, hits, sig.min_hits)
        if best is None or (match.hits, match.strength) > (best.hits, best.strength):
            best = match
    return best


def _signature_hits(table: SourceTable, profile: Profile) -> float:
    headers = profile.detection.signature_headers
    if not headers:
        return 0.0
    keys = _keys(table.labels)
    hits = sum(1 for h in headers if normalise_label(h) in keys)
    return min(1.0, hits / 2)


def _pattern_hits(table: SourceTable, profile: Profile) -> float:
    patterns = profile.detection.value_patterns
    if not patterns or table.data.empty:
        return 0.0
    for pattern in patterns:
        label = suggest_mapping(table.labels, pattern.entity, profile).label_for(pattern.title)
        if not label or label not in table.data.columns:
            continue
        values = table.data[label].head(PATTERN_SAMPLE).astype("str").str.strip()
        values = values[values != ""]
        if len(values) and values.str.fullmatch(pattern.regex).mean() >= PATTERN_SHARE:
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
    if table.format in INTERCHANGE and table.format in profile.detection.formats:
        evidence = max(evidence, 1.0)
    if profile.strict_headers and table.format not in INTERCHANGE:
        evidence = max(evidence, _exact_template(table))
    match = file_match(table, profile)
    if match is not None:
        evidence = max(evidence, match.strength)
    evidence = max(evidence, _signature_hits(table, profile))
    if evidence < 1.0:
        evidence = max(evidence, 0.7 * _pattern_hits(table, profile))
    file_names = profile.detection.file_names
    if evidence > 0 and file_names:
        name = Path(table.file).name.casefold()
        if any(fnmatch.fnmatch(name, pattern.casefold()) for pattern in file_names):
            evidence = min(1.0, evidence + FILE_NAME_BONUS)
    return evidence


def source_evidence(tables: list[SourceTable], profile: Profile) -> float:
    """Evidence over the whole export: half the mean over tables, half the strongest table."""
    if not tables:
        return 0.0
    per_table = [table_evidence(t, profile) for t in tables]
    return round(0.5 * sum(per_table) / len(per_table) + 0.5 * max(per_table), 3)


def also_tables(tables: list[SourceTable], profile: Profile) -> list[SourceTable]:
    """Extra views of files that hold a second entity (``also`` in a file signature).

    Each view keeps the file's name and row numbers and only the columns that are the extra
    entity's by name or synonym, has ``role`` set to that entity, and keeps one row per key
    (the first), so a client repeated on each of its matter rows becomes one contact. Views
    are not made for tables that already carry a role (interchange formats).
    """
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
