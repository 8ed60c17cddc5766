"""The findings of a run held as columns, with a :class:`Finding` made only when one is read.

A systematic problem (every amount off, every ID repeated) flags every row of a file, and a
frozen :class:`Finding` with its message costs about 2.4 KB: a million of them took gigabytes.
So each :meth:`CheckContext.flag <migration_assistant.core.rules.base.CheckContext.flag>`
call keeps one :class:`FlaggedRows` block: the rule, severity and entity once, the file,
sheet and column once per source table, and the rows, cell values and message inputs of the
flagged rows as numpy or Arrow columns (tens of bytes a row). Messages and hints are rendered
when a finding is read: when it is written to the JSON, shown on screen or in a report.

:class:`FindingTable` is the sequence the rest of the app iterates; it yields the same
:class:`Finding` objects, in the same order, as a list of them would.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeAlias, cast, overload

import numpy as np
import pandas as pd
import pyarrow as pa

from migration_assistant.core.finding import Finding, Severity

Message = str | Callable[..., str]
"""A message or hint: text, or a callable given the flagged row's values (see ``flag``)."""

Column: TypeAlias = np.ndarray | pa.Array
"""One value per flagged row: a numpy array, or an Arrow array of text (compact)."""

CHUNK = 8192
"""Findings made at a time while iterating: enough to amortise the bookkeeping, small in memory."""

FIELDS = ("rule", "severity", "entity", "file", "sheet", "column", "hint")
"""Fields read without making findings (a hint that is a callable is made, not the message)."""


# ----------------------------------------------------------------------------- columns


def pick(source: pd.Series | np.ndarray, positions: np.ndarray) -> Column:
    """The cells of *source* at *positions*, held compactly.

    ``values_at(pick(s, p), range)`` gives exactly the Python objects that
    ``np.asarray(s.iloc[p].to_numpy(), dtype=object).tolist()`` (a Series) or ``s[p].tolist()``
    (an array) gives: messages are rendered from them, so they must not change type.
    """
    if isinstance(source, pd.Series):
        array = source.array
        arrow = getattr(array, "_pa_array", None)
        if isinstance(arrow, pa.ChunkedArray) and _is_text(arrow.type):
            taken = arrow.take(pa.array(positions, type=pa.int64())).combine_chunks()
            # A missing cell reads back as None from Arrow but as NaN from pandas: keep those as pandas does.
            if taken.null_count == 0:
                return _small_text(taken)
        kind = source.dtype.kind if isinstance(source.dtype, np.dtype) else ""
        if kind in "iufb" and kind:
            # A plain numpy column: .tolist() of the numpy values gives the same Python ints,
            # floats and bools as the object array would.
            return np.ascontiguousarray(source.to_numpy()[positions])
        return _text_or_objects(np.asarray(source.iloc[positions].to_numpy(), dtype=object))
    taken_array = source[positions]
    if taken_array.dtype == object:
        return _text_or_objects(taken_array)
    return taken_array


def _text_or_objects(values: np.ndarray) -> Column:
    """Python strings as an Arrow text column; anything else stays an object array."""
    if not len(values):
        return values
    try:
        arrow = pa.array(values, from_pandas=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError, OverflowError):
        return values
    if not _is_text(arrow.type) or arrow.null_count:
        return values
    return _small_text(arrow)


def _is_text(kind: pa.DataType) -> bool:
    return bool(pa.types.is_string(kind) or pa.types.is_large_string(kind))


def _small_text(arrow: pa.Array) -> pa.Array:
    """Text repeated across rows (a file name, an ID used a million times) kept once."""
    encoded = arrow.dictionary_encode()
    return encoded if encoded.nbytes < arrow.nbytes else arrow


VALUES_AT_ONCE = 50_000
"""Python values made in one call at most: making half a million strings is one call of a tenth
of a second that holds the interpreter, and the window waits on it (bench/review_fixes.py)."""


def values_at(column: Column, positions: np.ndarray) -> list[Any]:
    """Python values of *column* at *positions* (local to the block)."""
    out: list[Any] = []
    for start in range(0, len(positions), VALUES_AT_ONCE):
        part = positions[start : start + VALUES_AT_ONCE]
        if isinstance(column, np.ndarray):
            out.extend(column[part].tolist())
        else:
            out.extend(column.take(pa.array(part, type=pa.int64())).to_pylist())
    return out


# ----------------------------------------------------------------------------- blocks


@dataclass(frozen=True, slots=True)
class FlaggedRows:
    """The findings of one ``flag()`` call: one rule, severity and entity; many rows.

    ``where`` holds (file, sheet, column) per source table; ``src`` indexes it per row.
    ``values`` is None when no cell value belongs to the findings.
    """

    rule: str
    severity: Severity
    entity: str | None
    where: tuple[tuple[str, str | None, str | None], ...]
    src: np.ndarray
    rows: np.ndarray
    values: Column | None
    extras: dict[str, Column]
    message: Message
    hint: Message

    def __len__(self) -> int:
        return len(self.rows)

    def render(self, positions: np.ndarray) -> list[Finding]:
        """The findings at *positions* (local to the block), messages rendered now."""
        rows = self.rows[positions].tolist()
        srcs = self.src[positions].tolist()
        values: list[Any] = (
            values_at(self.values, positions) if self.values is not None else [None] * len(rows)
        )
        extras = {k: values_at(v, positions) for k, v in self.extras.items()}
        rule, severity, entity, where = self.rule, self.severity, self.entity, self.where
        message, hint = self.message, self.hint
        out: list[Finding] = []
        append = out.append
        for i, (row, src, value) in enumerate(zip(rows, srcs, values, strict=True)):
            file, sheet, column = where[src]
            ctx: dict[str, Any] = {"value": value, "row": row, "column": column}
            for k, v in extras.items():
                ctx[k] = v[i]
            append(
                Finding(
                    rule,
                    severity,
                    entity,
                    file,
                    sheet,
                    row,
                    column,
                    None if value is None else str(value),
                    message(ctx) if callable(message) else message,
                    hint(ctx) if callable(hint) else hint,
                )
            )
        return out

    def codes(self, name: str) -> tuple[np.ndarray, list[Any]]:
        """Per row, an index into the distinct values of field *name* (one of :data:`FIELDS`)."""
        if name in ("rule", "severity", "entity"):
            return np.zeros(len(self), dtype=np.int32), [getattr(self, name)]
        if name == "hint":
            if not callable(self.hint):
                return np.zeros(len(self), dtype=np.int32), [self.hint]
            seen: dict[str, int] = {}
            texts = self._hints(np.arange(len(self)))
            codes = np.fromiter(
                (seen.setdefault(t, len(seen)) for t in texts), dtype=np.int32, count=len(texts)
            )
            return codes, list(seen)
        at = ("file", "sheet", "column").index(name)
        return self.src, [w[at] for w in self.where]

    def _hints(self, positions: np.ndarray) -> list[str]:
        """The hints at *positions*, made without the messages."""
        hint = self.hint
        if not callable(hint):
            return [hint] * len(positions)
        rows = self.rows[positions].tolist()
        srcs = self.src[positions].tolist()
        values: list[Any] = (
            values_at(self.values, positions) if self.values is not None else [None] * len(rows)
        )
        extras = {k: values_at(v, positions) for k, v in self.extras.items()}
        out = []
        for i, (row, src, value) in enumerate(zip(rows, srcs, values, strict=True)):
            ctx: dict[str, Any] = {"value": value, "row": row, "column": self.where[src][2]}
            for k, v in extras.items():
                ctx[k] = v[i]
            out.append(hint(ctx))
        return out

    def row_numbers(self) -> np.ndarray:
        return np.asarray(self.rows, dtype=np.int64)

    def cell_values(self) -> list[str | None]:
        """Each finding's ``value`` (as text), without rendering messages."""
        if self.values is None:
            return [None] * len(self)
        return [None if v is None else str(v) for v in values_at(self.values, np.arange(len(self)))]


@dataclass(slots=True)
class Loose:
    """Findings made one by one (readers, file-level problems): kept as they are."""

    items: list[Finding] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.items)

    def render(self, positions: np.ndarray) -> list[Finding]:
        items = self.items
        return [items[i] for i in positions.tolist()]

    def codes(self, name: str) -> tuple[np.ndarray, list[Any]]:
        seen: dict[Any, int] = {}
        codes = np.fromiter(
            (seen.setdefault(getattr(f, name), len(seen)) for f in self.items),
            dtype=np.int32,
            count=len(self.items),
        )
        return codes, list(seen)

    def row_numbers(self) -> np.ndarray:
        return np.fromiter(
            (-1 if f.row is None else f.row for f in self.items), dtype=np.int64, count=len(self.items)
        )

    def cell_values(self) -> list[str | None]:
        return [f.value for f in self.items]


Block = FlaggedRows | Loose


# ----------------------------------------------------------------------------- the table


class FindingTable(Sequence[Finding]):
    """Every finding of a run, in order, made into :class:`Finding` objects only when read.

    Behaves as a read-mostly list: ``len``, iteration, indexing (a slice gives a list),
    ``==`` with a list, ``append`` and ``extend``. :meth:`add` takes a whole ``flag()`` block.
    Blocks are only ever added, and each finding's place in the run is fixed by :meth:`sort`
    (an index array), so a view (:meth:`subset`) shares the blocks and costs 8 bytes a finding.
    """

    __slots__ = ("_blocks", "_lock", "_open", "_order", "_view")

    def __init__(self, findings: Iterable[Finding] = ()) -> None:
        self._blocks: list[Block] = []
        self._open: Loose | None = None  # the trailing block that append() adds to
        self._order: np.ndarray | None = None  # positions in the blocks, in the order read; None: as added
        self._lock = threading.Lock()  # two rules flag at once
        self._view = False  # a subset of another table: read-only
        self.extend(findings)

    # --- adding --------------------------------------------------------------------------------
    def add(self, block: FlaggedRows) -> None:
        """Add the findings of one ``flag()`` call (after any already added)."""
        if not len(block):
            return
        self._writable()
        with self._lock:
            self._blocks.append(block)
            self._open = None

    def _writable(self) -> None:
        if self._view:
            raise TypeError("a view of findings (FindingTable.subset) cannot be added to")

    def append(self, finding: Finding) -> None:
        self._writable()
        with self._lock:
            if self._open is None:
                self._open = Loose()
                self._blocks.append(self._open)
            self._open.items.append(finding)

    def extend(self, findings: Iterable[Finding]) -> None:
        if isinstance(findings, FindingTable) and findings._order is None:
            self._writable()
            with self._lock:
                for block in findings._blocks:
                    # A loose block is copied: the other table may still append to its own.
                    self._blocks.append(Loose(list(block.items)) if isinstance(block, Loose) else block)
                self._open = None
            return
        for finding in findings:
            self.append(finding)

    # --- reading -------------------------------------------------------------------------------
    def __len__(self) -> int:
        if self._order is not None:
            return len(self._current_order())
        return sum(len(b) for b in self._blocks)

    def _starts(self) -> np.ndarray:
        sizes = np.fromiter((len(b) for b in self._blocks), dtype=np.int64, count=len(self._blocks))
        return np.concatenate(([0], np.cumsum(sizes)))

    def _current_order(self) -> np.ndarray:
        """Positions in the blocks, in reading order (findings added after a sort come last)."""
        total = sum(len(b) for b in self._blocks)
        if self._order is None:
            return np.arange(total, dtype=np.int64)
        if len(self._order) < total and not self._view:
            self._order = np.concatenate((self._order, np.arange(len(self._order), total, dtype=np.int64)))
        return self._order

    def _make(self, positions: np.ndarray, starts: np.ndarray | None = None) -> list[Finding]:
        """Findings at global *positions*, block by block, in the order given."""
        if starts is None:
            starts = self._starts()
        which = np.searchsorted(starts, positions, side="right") - 1
        if len(which) and (which == which[0]).all():
            block = int(which[0])
            return self._blocks[block].render(positions - starts[block])
        out: list[Any] = [None] * len(positions)
        for block in np.unique(which).tolist():
            spots = np.flatnonzero(which == block)
            made = self._blocks[block].render(positions[spots] - starts[block])
            for spot, finding in zip(spots.tolist(), made, strict=True):
                out[spot] = finding
        return out

    def chunks(self, size: int = CHUNK) -> Iterator[list[Finding]]:
        """The findings in order, *size* at a time (what the JSON writer and reports read)."""
        order = self._current_order()
        starts = self._starts()
        for begin in range(0, len(order), size):
            yield self._make(order[begin : begin + size], starts)

    def __iter__(self) -> Iterator[Finding]:
        for chunk in self.chunks():
            yield from chunk

    @overload
    def __getitem__(self, index: int) -> Finding: ...

    @overload
    def __getitem__(self, index: slice) -> list[Finding]: ...

    def __getitem__(self, index: int | slice) -> Finding | list[Finding]:
        order = self._current_order()
        if isinstance(index, slice):
            return self._make(order[index]) if len(order[index]) else []
        return self._make(order[np.array([index])])[0]

    def take(self, indices: Sequence[int] | np.ndarray) -> list[Finding]:
        """The findings at *indices* (reading order), made in one go."""
        picked = self._current_order()[np.asarray(indices, dtype=np.int64)]
        return self._make(picked) if len(picked) else []

    def subset(self, indices: Sequence[int] | np.ndarray) -> FindingTable:
        """A view of the findings at *indices* (reading order): shares the blocks, nothing is made."""
        view = FindingTable()
        view._blocks = list(self._blocks)
        view._order = self._current_order()[np.asarray(indices, dtype=np.int64)]
        view._view = True
        return view

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, (list, tuple, FindingTable)):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]  # mutable, like a list

    def __repr__(self) -> str:
        return f"FindingTable({len(self):,} findings in {len(self._blocks)} blocks)"

    # --- columns, without making findings ---------------------------------------------------------
    def codes(self, name: str) -> tuple[np.ndarray, list[Any]]:
        """Per finding (reading order), an index into the distinct values of field *name*.

        *name* is one of :data:`FIELDS`: rule, severity, entity, file, sheet, column. The
        distinct values come in the order they first appear; only those present are listed.
        """
        if name not in FIELDS:
            raise ValueError(f"not a shared field: {name}")
        labels: dict[Any, int] = {}
        parts = []
        for block in self._blocks:
            local, values = block.codes(name)
            mapping = np.fromiter(
                (labels.setdefault(v, len(labels)) for v in values), dtype=np.int32, count=len(values)
            )
            parts.append(mapping[local] if len(values) else np.zeros(0, dtype=np.int32))
        whole = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int32)
        codes = whole[self._current_order()]
        # Distinct values in the order they first appear when reading, as a loop over the findings
        # would meet them (counts printed per rule keep their order on ties).
        present, first = np.unique(codes, return_index=True)
        by_first = present[np.argsort(first, kind="stable")]
        renumber = np.zeros(len(labels), dtype=np.int32)
        renumber[by_first] = np.arange(len(by_first), dtype=np.int32)
        names = list(labels)
        return renumber[codes], [names[c] for c in by_first.tolist()]

    def column(self, name: str) -> list[Any]:
        """Field *name* of every finding (reading order) as a list, without making findings."""
        codes, labels = self.codes(name)
        return [labels[c] for c in codes.tolist()]

    def severities(self) -> np.ndarray:
        """Each finding's severity as an int (reading order)."""
        codes, labels = self.codes("severity")
        return (
            np.asarray([int(s) for s in labels], dtype=np.int64)[codes] if labels else codes.astype(np.int64)
        )

    def row_numbers(self) -> np.ndarray:
        """Each finding's row (reading order), -1 for a file-level finding."""
        parts = [b.row_numbers() for b in self._blocks]
        whole = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
        return cast(np.ndarray, whole[self._current_order()])

    def cell_values(self) -> list[str | None]:
        """Each finding's ``value`` (reading order), without rendering messages."""
        whole: list[str | None] = []
        for block in self._blocks:
            whole.extend(block.cell_values())
        return [whole[i] for i in self._current_order().tolist()]

    # --- ordering ---------------------------------------------------------------------------------
    def sort_by_place(self) -> None:
        """Order by file, sheet, row, worst first, then rule; ties keep their order (a stable sort).

        The same order as ``list.sort(key=lambda f: (f.file, f.sheet or "", row or -1,
        -f.severity, f.rule))``, computed on integer ranks of the columns.
        """
        order = self._current_order()
        if not len(order):
            return
        keys = []
        for name in ("rule", "severity", "sheet", "file"):
            codes, labels = self.codes(name)
            if name == "severity":
                rank = np.asarray([-int(s) for s in labels], dtype=np.int64)
            else:
                texts = ["" if v is None else v for v in labels]
                ranked = {t: i for i, t in enumerate(sorted(set(texts)))}
                rank = np.asarray([ranked[t] for t in texts], dtype=np.int64)
            keys.append(rank[codes])
        keys.insert(2, self.row_numbers())  # rule, -severity, row, sheet, file: the last is the first key
        permutation = np.lexsort(keys)
        self._order = order[permutation]

    @staticmethod
    def joined(*tables: FindingTable) -> FindingTable:
        """A view of *tables*' findings one table after the other (their blocks shared, nothing made)."""
        view = FindingTable()
        orders = []
        offset = 0
        for table in tables:
            orders.append(table._current_order() + offset)
            view._blocks.extend(table._blocks)
            offset += sum(len(b) for b in table._blocks)
        view._order = np.concatenate(orders) if orders else np.zeros(0, dtype=np.int64)
        view._view = True
        return view

    def where(self, keep: np.ndarray) -> FindingTable:
        """A view of the findings for which *keep* (a mask in reading order) is true."""
        return self.subset(np.flatnonzero(keep))


def as_table(findings: Iterable[Finding]) -> FindingTable:
    """*findings* as a :class:`FindingTable` (the same object when it is one)."""
    return findings if isinstance(findings, FindingTable) else FindingTable(findings)
