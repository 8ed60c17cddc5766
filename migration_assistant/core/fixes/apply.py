"""Planning fixes over a finished check, and applying a fix log to a fresh read of the files.

:func:`plan_fixes` runs every registered fix (or those asked for) over a check's dataset and
returns what they would change as a :class:`~migration_assistant.core.fixes.log.FixLog`: the
preview. :func:`apply_log` writes a log into the tables of a fresh read, in memory: the
files on disk are never touched. A cell is changed only where it still holds the log's
``before``; every other entry is stale and named, so a log made from other files is refused
plainly rather than applied half.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from migration_assistant.core.dataset import Dataset
from migration_assistant.core.fixes.base import FIXES, Change, FixContext
from migration_assistant.core.fixes.log import COLUMNS, NO_SHEET, FixLog, now
from migration_assistant.core.normalise import as_arrow
from migration_assistant.core.readers.table import ROW, SourceTable


class UnknownFix(ValueError):
    """A fix code that no fix has (``--only`` with a typo)."""


class StaleFixLog(Exception):
    """A fix log that does not fit the files read: the files changed since it was made.

    Attributes:
        problems: One plain sentence per entry that does not fit.
    """

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        shown = "; ".join(self.problems[:5])
        more = f" (and {len(self.problems) - 5:,} more)" if len(self.problems) > 5 else ""
        super().__init__(
            f"the fix log does not fit these files, which have changed since it was made: {shown}{more}. "
            "Make the fixes again on the files as they are now"
        )


def fix_codes() -> list[str]:
    """Every registered fix code, in the order the fixes run."""
    return [f.code for f in FIXES]


def check_codes(codes: Sequence[str]) -> None:
    """Raise :class:`UnknownFix` (naming the fixes there are) when a code in *codes* is no fix's."""
    unknown = sorted(set(codes) - set(fix_codes()))
    if unknown:
        raise UnknownFix(
            f"there is no fix called {', '.join(unknown)}: the fixes are {', '.join(fix_codes())}"
        )


def plan_fixes(dataset: Dataset, only: Sequence[str] | None = None, *, time: str | None = None) -> FixLog:
    """What the fixes would change in the checked *dataset*, as a log (nothing is changed).

    Args:
        dataset: The dataset of a finished check (``ValidationResult.dataset``).
        only: Fix codes to run (all when None).
        time: The time stamp of the entries (now when None).

    Raises:
        UnknownFix: *only* names a fix that does not exist.
    """
    chosen = list(FIXES)
    if only is not None:
        check_codes(only)
        chosen = [f for f in FIXES if f.code in set(only)]
    stamp = time or now()
    frames: list[pd.DataFrame] = []
    for unit in chosen:
        ctx = FixContext(dataset)
        unit.plan(ctx)
        frames.extend(_entries(dataset.tables, change, unit.code, stamp) for change in ctx.changes)
    if not frames:
        return FixLog()
    frame = pd.concat(frames, ignore_index=True)
    # A file read twice (a second view of the same sheet) proposes the same change twice; and two
    # fixes of one cell are made in two rounds, the second on the first one's result.
    frame = frame.drop_duplicates(["file", "sheet", "row", "column"], keep="first")
    return FixLog(frame)


def _entries(tables: list[SourceTable], change: Change, code: str, stamp: str) -> pd.DataFrame:
    table = tables[change.table]
    n = len(change.positions)
    return pd.DataFrame(
        {
            "file": np.full(n, table.file, dtype=object),
            "sheet": np.full(n, table.sheet, dtype=object),
            "row": table.data[ROW].to_numpy()[change.positions].astype(np.int64),
            "column": np.full(n, change.column, dtype=object),
            "before": np.asarray(table.data[change.column].iloc[change.positions].to_numpy(), dtype=object),
            "after": change.after,
            "fix": np.full(n, code, dtype=object),
            "time": np.full(n, stamp, dtype=object),
        },
        columns=list(COLUMNS),
    )


@dataclass(frozen=True, slots=True)
class _Where:
    file: str
    sheet: str | None


def _place(file: str, sheet: str | None) -> str:
    return f"{file} (sheet “{sheet}”)" if sheet else file


def apply_log(tables: list[SourceTable], log: FixLog) -> list[str]:
    """Write the log's ``after`` values into *tables* (in memory), where each cell still holds ``before``.

    Entries are applied in the log's order; a cell fixed twice (two rounds) gets its second
    entry after its first. Returns a plain sentence per entry that does not fit (file not read,
    no such column or row, or the cell holds something else now). The entries that fit are
    applied all the same: a caller that refuses a stale log applies it to a fresh read it can
    throw away, as the engine does.
    """
    if not len(log):
        return []
    frame = log.frame
    sheet_key = frame["sheet"].astype(object).where(frame["sheet"].notna(), NO_SHEET)
    layer = frame.groupby([frame["file"], sheet_key, frame["row"], frame["column"]], sort=False).cumcount()
    problems: list[str] = []
    for k in sorted(layer.unique().tolist()):
        part = frame[(layer == k).to_numpy()]
        part_sheet = sheet_key[(layer == k).to_numpy()]
        for (file, sheet, column), group in part.groupby(
            [part["file"], part_sheet, part["column"]], sort=False
        ):
            where = _Where(str(file), None if sheet == NO_SHEET else str(sheet))
            problems.extend(_apply_group(tables, where, str(column), group))
    return problems


def _replaced(column: pd.Series, positions: np.ndarray, values: np.ndarray) -> pd.Series:
    """*column* with the cells at *positions* replaced by *values*: in Arrow, without turning a
    million-row column into Python strings and back."""
    order = np.argsort(positions, kind="stable")
    mask = np.zeros(len(column), dtype=bool)
    mask[positions] = True
    # A cell listed twice in one layer cannot happen (layers split repeats); sorted, the values
    # line up with the mask's true positions, which is what replace_with_mask expects.
    replaced = pc.replace_with_mask(
        as_arrow(column), pa.array(mask), pa.array(values[order].tolist(), type=pa.string())
    )
    return pd.Series(replaced, index=column.index, dtype=column.dtype)


def _apply_group(tables: list[SourceTable], where: _Where, column: str, group: pd.DataFrame) -> list[str]:
    rows = group["row"].to_numpy(dtype=np.int64)
    before = group["before"].to_numpy(dtype=object)
    after = group["after"].to_numpy(dtype=object)
    done = np.zeros(len(group), dtype=bool)
    seen_row = np.zeros(len(group), dtype=bool)
    matching = [t for t in tables if t.file == where.file and t.sheet == where.sheet]
    with_column = [t for t in matching if column in t.data.columns and column != ROW]
    for table in with_column:
        at = pd.Index(table.data[ROW].to_numpy()).get_indexer(rows)
        present = at >= 0
        seen_row |= present
        if not present.any():
            continue
        current = np.asarray(table.data[column].iloc[at[present]].to_numpy(), dtype=object)
        fits = np.zeros(len(group), dtype=bool)
        fits[present] = current == before[present]
        if not fits.any():
            continue
        table.data[column] = _replaced(table.data[column], at[fits], after[fits])
        done |= fits
    place = _place(where.file, where.sheet)
    if not matching:
        return [f"{place} was not among the files read"] * int((~done).sum())
    if not with_column:
        return [f"{place} has no column “{column}”"] * int((~done).sum())
    out: list[str] = []
    for row, row_seen in zip(rows[~done].tolist(), seen_row[~done].tolist(), strict=True):
        if row_seen:
            out.append(f"{place}, row {row}, “{column}” no longer holds what the fix log recorded")
        else:
            out.append(f"{place} has no row {row} any more")
    return out
