"""Fixes of references: leading zeros that Excel stripped from an ID, restored."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from migration_assistant.core.fixes.base import FixContext, fix
from migration_assistant.core.normalise import as_arrow
from migration_assistant.core.people import ResolvedColumn


def _unique_padded(keys: pd.Series) -> pd.Series:
    """Key without its leading zeros -> the key, for the keys no other key shares that form with."""
    filled = keys[(keys != "").to_numpy()].drop_duplicates()
    trimmed = pd.Series(
        np.asarray(
            pc.utf8_ltrim(as_arrow(filled), characters="0").to_numpy(zero_copy_only=False), dtype=object
        ),
        index=filled.index,
    )
    counts = trimmed.map(trimmed.value_counts())
    once = (counts == 1).to_numpy() & (trimmed != "").to_numpy()
    return pd.Series(filled.to_numpy(dtype=object)[once], index=trimmed.to_numpy(dtype=object)[once])


@fix(
    "restore-leading-zeros",
    ("leading-zeros",),
    "Restore leading zeros Excel removed",
    certain_when=(
        "only when the reference with its zeros put back matches exactly one record, and that record's ID is "
        "longer (two IDs such as 0123 and 00123 would be two plausible answers)"
    ),
)
def restore_leading_zeros(ctx: FixContext) -> None:
    """A reference that matches nothing ("123") becomes the one ID it matches once zeros are restored ("000123").

    The foreign-key rule's leading-zeros test: the reference and every key are compared without
    their leading zeros. The fix is made only where exactly one key has that form and is longer
    than the reference, so the width of the key column decides how many zeros come back.
    """
    for data in ctx.dataset.entities.values():
        for fk in data.entity.foreign_keys:
            if fk.field not in data.present:
                continue
            target = ctx.dataset.get(fk.resource)
            if target is None or fk.ref_field not in target.present:
                continue
            stripped = data.stripped(fk.field)
            resolved = data.parsed.get(fk.field)
            if isinstance(resolved, ResolvedColumn):
                # A person named by name or initials is the people stage's business: only IDs as written.
                usable = (resolved.values == stripped).to_numpy() & ~resolved.ambiguous
            else:
                usable = np.ones(len(data), dtype=bool)
            keys = target.stripped(fk.ref_field)
            known = np.asarray(
                pc.is_in(as_arrow(stripped), value_set=pc.unique(as_arrow(keys))).to_numpy(
                    zero_copy_only=False
                ),
                dtype=bool,
            )
            missing = usable & ~known & (stripped != "").to_numpy()
            if not missing.any():
                continue
            padded = _unique_padded(keys)
            if padded.empty:
                continue
            for src, label, frame_pos, table_pos in ctx.field_cells(data, fk.field):
                here = missing[frame_pos]
                if not here.any():
                    continue
                refs = stripped.iloc[frame_pos[here]]
                trimmed = pc.utf8_ltrim(as_arrow(refs), characters="0")
                found = pc.index_in(
                    trimmed, value_set=pa.array(padded.index.to_numpy(dtype=object), pa.string())
                )
                intended = pc.take(pa.array(padded.to_numpy(dtype=object), pa.string()), found)
                longer = pc.fill_null(
                    pc.greater(pc.utf8_length(intended), pc.utf8_length(as_arrow(refs))), False
                )
                ok = np.asarray(longer.to_numpy(zero_copy_only=False), dtype=bool)
                if ok.any():
                    values = np.asarray(intended.to_numpy(zero_copy_only=False), dtype=object)
                    ctx.propose(src, label, table_pos[here][ok], values[ok])
