"""The export as the rules see it: one frame per canonical entity, every row traced to its source.

Several files may hold the same entity (time entries split by year); they are
stacked into one frame so keys and references are checked across all of them.
"""

from __future__ import annotations

import os
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import cast

import numpy as np
import pandas as pd
import pyarrow as pa

from migration_assistant.core.adapters import Profile
from migration_assistant.core.cell_bytes import needs_trim
from migration_assistant.core.contact_slots import derive_type, fill_contact_slots
from migration_assistant.core.normalise import (
    ParsedColumn,
    parse_booleans,
    parse_dates,
    parse_enum,
    parse_numbers,
)
from migration_assistant.core.people import resolve_references
from migration_assistant.core.readers.table import ROW, SourceTable
from migration_assistant.core.recognise import RoleGuess, TableMapping
from migration_assistant.core.schema import Entity, Field, entities
from migration_assistant.core.transforms import apply_transforms, provided_fields

SRC = "_src"
"""Column holding the index of the source table a row came from."""


@dataclass(slots=True)
class EntityData:
    """All rows of one entity: canonical text columns (by field name), ``_row`` and ``_src``."""

    entity: Entity
    frame: pd.DataFrame
    present: set[str]
    parsed: dict[str, ParsedColumn] = field(default_factory=dict)
    date_info: dict[tuple[str, int], dict[str, str]] = field(default_factory=dict)
    extra_columns: list[str] = field(default_factory=list)
    """Columns of :attr:`frame` beyond the schema, by title: values no canonical field has room for
    (a contact's "Email 2", "Phone 2", "Address 2 Street"), kept so nothing is dropped."""
    _stripped: dict[str, pd.Series] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.entity.name

    def text(self, name: str) -> pd.Series:
        return self.frame[name]

    def stripped(self, name: str) -> pd.Series:
        """The column with surrounding spaces removed (computed once: many rules compare keys)."""
        if name not in self._stripped:
            column = self.frame[name]
            # Most columns have nothing to trim: then the column itself serves, with no copy.
            self._stripped[name] = column.str.strip() if needs_trim(column) else column
        return self._stripped[name]

    def __len__(self) -> int:
        return len(self.frame)


@dataclass(slots=True)
class Dataset:
    tables: list[SourceTable]
    roles: list[RoleGuess]
    profile: Profile
    entities: dict[str, EntityData]
    labels: list[dict[str, str]]
    """Per source table: canonical field name -> the table's own column label."""

    def get(self, name: str) -> EntityData | None:
        return self.entities.get(name)

    def address_book_columns(self, family: str) -> dict[int, tuple[str, ...]]:
        """Per contacts table read as an address book (Outlook, Google, Thunderbird): every column of
        *family* ("email" or "phone") it has, not only the one whose value took the contact's slot.

        The checks look at each of these columns under its own heading: the slot holds one value
        per row, picked from any of them, and the rest become extra columns ("Email 2").
        """
        out: dict[int, tuple[str, ...]] = {}
        for src, role in enumerate(self.roles):
            mapping = role.mapping
            if role.entity != "contacts" or mapping is None or mapping.layout is None:
                continue
            if family not in mapping.slot_families:
                continue
            columns = mapping.layout.emails if family == "email" else mapping.layout.phones
            data = self.tables[src].data
            labels = tuple(c.label for c in columns if c.label in data.columns)
            if labels:
                out[src] = labels
        return out


def _parse_field(
    f: Field, frame: pd.DataFrame, profile: Profile, entity: str
) -> tuple[ParsedColumn | None, dict[int, dict[str, str]]]:
    col = frame[f.name]
    if f.is_date and len(frame) == 0:
        # Header-only files (an empty tasks export): nothing to group by source file.
        return parse_dates(col, profile.date_order, with_time=f.type == "datetime"), {}
    if f.is_date:
        # Day/month order is decided per source file: two files may differ.
        sources = frame[SRC].to_numpy()
        if (sources == sources[0]).all():
            # One file (the usual case): no grouping, and no copy of a million-row text column.
            parsed = parse_dates(col, profile.date_order, with_time=f.type == "datetime")
            return parsed, {int(sources[0]): parsed.info}
        parts = []
        infos: dict[int, dict[str, str]] = {}
        for src, idx in frame.groupby(SRC, sort=False).groups.items():
            parsed = parse_dates(col.loc[idx], profile.date_order, with_time=f.type == "datetime")
            infos[int(cast(int, src))] = parsed.info
            parts.append((idx, parsed))
        return _combine(parts, col.index), infos
    if f.type == "number":
        return parse_numbers(col, money=f.money), {}
    if f.type == "boolean":
        return parse_booleans(col), {}
    if f.enum:
        return parse_enum(col, f.enum, profile.value_map(entity, f.title)), {}
    return None, {}


def _parse(ent: Entity, frame: pd.DataFrame, profile: Profile, data: EntityData, pool: Executor) -> None:
    """Parse every typed column; columns are independent and pyarrow releases the GIL, so in parallel."""
    fields = [f for f in ent.fields if f.name in data.present]
    results = pool.map(lambda f: _parse_field(f, frame, profile, ent.name), fields)
    for f, (parsed, infos) in zip(fields, results, strict=True):
        if parsed is not None:
            data.parsed[f.name] = parsed
        for src, info in infos.items():
            data.date_info[(f.name, src)] = info


def _combine(parts: list[tuple[pd.Index, ParsedColumn]], index: pd.Index) -> ParsedColumn:
    if len(parts) == 1:
        return parts[0][1]
    values = pd.concat([p.values for _, p in parts]).reindex(index)
    positions = [index.get_indexer(idx) for idx, _ in parts]

    def stitch(get: str) -> np.ndarray:
        out = np.zeros(len(index), dtype=bool)
        for pos, (_, p) in zip(positions, parts, strict=True):
            out[pos] = getattr(p, get)
        return out

    masks: dict[str, np.ndarray] = {}
    for key in {k for _, p in parts for k in p.masks}:
        out = np.zeros(len(index), dtype=bool)
        for pos, (_, p) in zip(positions, parts, strict=True):
            if key in p.masks:
                out[pos] = p.masks[key]
        masks[key] = out
    return ParsedColumn(values=values, blank=stitch("blank"), invalid=stitch("invalid"), masks=masks)


def _contact_slots(
    piece: pd.DataFrame, source: pd.DataFrame, mapping: TableMapping, used: dict[str, str]
) -> tuple[pd.DataFrame, set[str]]:
    """An address book's e-mails, phones and addresses into the contact's slots, the rest as extra
    columns; Type derived from the names when the file has none. Returns the piece and the fields
    filled although no column was mapped to them."""
    derived: set[str] = set()
    if mapping.layout is not None and mapping.slot_families:
        extras = fill_contact_slots(piece, source, mapping.layout, set(mapping.slot_families), used)
        if extras:
            piece = pd.concat([piece, pd.DataFrame(extras, index=piece.index)], axis=1)
    if "type" not in used:
        derive_type(piece)
        derived.add("type")
    return piece, derived


def build_dataset(tables: list[SourceTable], roles: list[RoleGuess], profile: Profile) -> Dataset:
    """Stack every recognised table into its entity's frame, renamed to canonical field names."""
    labels: list[dict[str, str]] = []
    pieces: dict[str, list[pd.DataFrame]] = {}
    present: dict[str, set[str]] = {}
    for index, (table, role) in enumerate(zip(tables, roles, strict=True)):
        mapping: TableMapping | None = role.mapping
        if role.entity is None or mapping is None:
            labels.append({})
            continue
        ent = entities()[role.entity]
        by_name = {ent_f.name: mapping.label_for(ent_f.title) for ent_f in ent.fields}
        used = {name: lab for name, lab in by_name.items() if lab}
        labels.append(used)
        n = len(table.data)
        source = table.data.reset_index(drop=True)
        empty = pd.Series(pa.array([""], pa.string()).take(np.zeros(n, dtype=np.int64)), dtype="str")
        cols = {f.name: (source[used[f.name]] if f.name in used else empty) for f in ent.fields}
        piece = pd.DataFrame(cols, copy=False)
        piece[ROW] = source[ROW].to_numpy()
        piece[SRC] = np.full(n, index, dtype=np.int32)
        derived: set[str] = set()
        if role.entity == "contacts":
            piece, derived = _contact_slots(piece, source, mapping, used)
        piece = apply_transforms(piece, role.entity, profile, used, source)
        pieces.setdefault(role.entity, []).append(piece)
        present.setdefault(role.entity, set()).update(used)
        present[role.entity].update(provided_fields(profile, role.entity, used) | derived)
    result: dict[str, EntityData] = {}
    for name, frames in pieces.items():
        ent = entities()[name]
        known = {f.name for f in ent.fields} | {ROW, SRC}
        extra = list(dict.fromkeys(c for f in frames for c in f.columns if c not in known))
        if len(frames) > 1:
            frame = pd.concat(frames, ignore_index=True)
            for column in extra:
                frame[column] = frame[column].fillna("").astype("str")
        else:
            frame = frames[0]
        result[name] = EntityData(ent, frame, present[name], extra_columns=extra)
    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        for data in result.values():
            _parse(data.entity, data.frame, profile, data, pool)
    # People and clients named instead of referenced by ID resolve to their ID here, once, as
    # a parsed column: the rules and the normalised output then see the same IDs.
    for (name, ref), resolved in resolve_references(result).items():
        result[name].parsed[ref] = resolved
    return Dataset(tables, roles, profile, result, labels)
