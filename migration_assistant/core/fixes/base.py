"""The fix contract: a small registered unit beside the rule whose findings it fixes.

Like a rule (:mod:`migration_assistant.core.rules.base`), a fix has a stable code, a plain
description and a function over whole columns. The function *is* the precondition and the
transformation together: it proposes a new text only for the cells where the result is
certain (the repair round-trips, the day/month order is known, exactly one key matches...)
and leaves every other cell alone. What it proposes is data (:class:`Change`), turned into a
:class:`~migration_assistant.core.fixes.log.FixLog` by the planner; nothing is changed until
that log is applied to a fresh read of the files.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from migration_assistant.core.dataset import SRC, Dataset, EntityData
from migration_assistant.core.readers.table import SourceTable


@dataclass(frozen=True, slots=True)
class Change:
    """New text for some cells of one column of one source table.

    Attributes:
        table: Index of the table in :attr:`Dataset.tables`.
        column: The table's own column label.
        positions: Row positions in the table's frame (not spreadsheet rows).
        after: The new text of each of those cells.
    """

    table: int
    column: str
    positions: np.ndarray
    after: np.ndarray


@dataclass(slots=True)
class FixContext:
    """What a fix sees: the dataset of a finished check (tables, canonical frames, parsed columns)."""

    dataset: Dataset
    changes: list[Change] = field(default_factory=list)

    @property
    def tables(self) -> list[SourceTable]:
        return self.dataset.tables

    def propose(self, table: int, column: str, positions: np.ndarray, after: np.ndarray) -> None:
        """Propose *after* for the cells at *positions* of *column* (cells whose text would not change are dropped)."""
        positions = np.asarray(positions, dtype=np.int64)
        after = np.asarray(after, dtype=object)
        if not len(positions):
            return
        before = np.asarray(self.tables[table].data[column].iloc[positions].to_numpy(), dtype=object)
        differs = before != after
        if differs.any():
            self.changes.append(Change(table, column, positions[differs], after[differs]))

    def field_cells(self, data: EntityData, name: str) -> Iterator[tuple[int, str, np.ndarray, np.ndarray]]:
        """Per source table of *data*: the table, the column label of field *name*, the frame
        positions and the table positions of its rows, where the canonical frame still holds
        the table's own text (a profile transform that rewrote a cell makes it not the fix's to change)."""
        if name not in data.frame.columns:
            return
        sources = data.frame[SRC].to_numpy()
        for src in np.unique(sources).tolist():
            label = self.dataset.labels[src].get(name)
            table = self.tables[src]
            if not label or label not in table.data.columns:
                continue
            frame_pos = np.flatnonzero(sources == src)
            if len(frame_pos) != len(table.data):
                continue
            table_pos = np.arange(len(frame_pos), dtype=np.int64)
            same = np.asarray(
                data.frame[name].iloc[frame_pos].to_numpy(dtype=object)
                == table.data[label].to_numpy(dtype=object),
                dtype=bool,
            )
            yield src, label, frame_pos[same], table_pos[same]

    def text_cells(
        self, data: EntityData, fields: tuple[str, ...], family: str
    ) -> Iterator[tuple[int, str, np.ndarray, np.ndarray, pd.Series]]:
        """:meth:`field_cells` of *fields*, with each column's text (spaces trimmed); but for an
        address book, each of its *family* columns under its own heading (``Dataset.address_book_columns``),
        as the rules check them: "E-mail 2 Address" is fixed where it is written."""
        books = self.dataset.address_book_columns(family)
        sources = data.frame[SRC].to_numpy()
        for name in fields:
            for src, label, frame_pos, table_pos in self.field_cells(data, name):
                if src not in books:
                    yield (
                        src,
                        label,
                        frame_pos,
                        table_pos,
                        data.stripped(name).iloc[frame_pos].reset_index(drop=True),
                    )
        for src, labels in books.items():
            frame_pos = np.flatnonzero(sources == src)
            table = self.tables[src]
            if len(frame_pos) != len(table.data):
                continue
            table_pos = np.arange(len(frame_pos), dtype=np.int64)
            for label in labels:
                text = table.data[label].fillna("").astype("str").str.strip().reset_index(drop=True)
                yield src, label, frame_pos, table_pos, text


@dataclass(frozen=True, slots=True)
class Fix:
    """A registered fix.

    Attributes:
        code: Stable identifier ("repair-mojibake"), used in the log and on the command line.
        fixes: The finding codes whose findings it resolves.
        title: What it does, in a few plain words ("Repair garbled accented letters").
        plan: Proposes changes into the context (precondition and transformation).
        certain_when: When a finding of those codes is fixed, in words; the reason another one
            is left for a person ("only when ... ").
    """

    code: str
    fixes: tuple[str, ...]
    title: str
    plan: Callable[[FixContext], None]
    certain_when: str

    @property
    def doc(self) -> str:
        return (self.plan.__doc__ or "").strip()

    @property
    def description(self) -> str:
        """The first paragraph of the docstring, on one line: what the fix does."""
        return " ".join(self.doc.split("\n\n", 1)[0].split())


FIXES: list[Fix] = []


def fix(
    code: str, fixes: tuple[str, ...], title: str, *, certain_when: str
) -> Callable[[Callable[[FixContext], None]], Callable[[FixContext], None]]:
    """Register a fix of the findings *fixes*; see :class:`Fix`."""

    def register(func: Callable[[FixContext], None]) -> Callable[[FixContext], None]:
        if any(f.code == code for f in FIXES):
            raise ValueError(f"fix {code!r} registered twice")
        FIXES.append(Fix(code, fixes, title, func, certain_when))
        return func

    return register
