"""The rule contract: a small unit with a stable code, a severity and a docstring.

A rule receives the whole :class:`CheckContext` and flags rows with boolean masks
computed over entire columns; :meth:`CheckContext.flag` turns only the flagged rows
into findings at their original file, sheet and spreadsheet row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from migration_assistant.core.dataset import SRC, Dataset, EntityData
from migration_assistant.core.finding_table import FindingTable, FlaggedRows, Message, pick
from migration_assistant.core.findings import Finding, Severity
from migration_assistant.core.readers.table import ROW, SourceTable


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    severity: Severity
    title: str
    check: Callable[[CheckContext], None]
    group: str
    slow: bool = False
    """Reads every cell of every file or compares whole columns: started first (see :func:`rule`)."""

    @property
    def doc(self) -> str:
        return (self.check.__doc__ or "").strip()


REGISTRY: list[Rule] = []


def rule(
    code: str, severity: Severity, title: str, *, slow: bool = False
) -> Callable[[Callable[[CheckContext], None]], Callable[..., None]]:
    """Register a check. *severity* is the usual one; a rule may emit other levels case by case.

    *slow* marks the few rules that take most of the time on a large export; the engine
    starts them first, so the two rules running side by side finish close together
    instead of one long rule running alone at the end.
    """

    def register(func: Callable[[CheckContext], None]) -> Callable[[CheckContext], None]:
        group = func.__module__.rsplit(".", 1)[-1]
        REGISTRY.append(Rule(code, severity, title, func, group, slow))
        return func

    return register


@dataclass(slots=True)
class CheckContext:
    dataset: Dataset
    findings: FindingTable = field(default_factory=FindingTable)
    today: pd.Timestamp = field(default_factory=lambda: pd.Timestamp.today().normalize())

    @property
    def tables(self) -> list[SourceTable]:
        return self.dataset.tables

    def entity(self, name: str) -> EntityData | None:
        return self.dataset.get(name)

    def label(self, src: int, field_name: str | None) -> str | None:
        if field_name is None:
            return None
        return self.dataset.labels[src].get(field_name, field_name)

    def flag(
        self,
        data: EntityData,
        mask: np.ndarray | pd.Series,
        *,
        rule: str,
        severity: Severity,
        field: str | None,
        message: Message,
        hint: Message,
        extra: Mapping[str, pd.Series | np.ndarray] | None = None,
        value: pd.Series | None = None,
    ) -> int:
        """Add one finding per flagged row of *data*; returns how many.

        *message* and *hint* are text, or callables given a dict with ``value``, ``row``,
        ``column`` and every *extra* column's value for that row (so messages can name
        the other row of a duplicate, a running balance...). The callables run when a
        finding is read (written to the JSON, shown, reported), possibly long after this
        call and more than once: they must depend only on that dict and on values bound
        when they were made (default arguments), never on a loop variable that moves on.
        """
        flags = np.asarray(mask, dtype=bool)
        if not flags.any():
            return 0
        positions = np.flatnonzero(flags)
        frame = data.frame
        rows = frame[ROW].to_numpy()[positions]
        sources, src = np.unique(frame[SRC].to_numpy()[positions], return_inverse=True)
        # Held as columns (see core.finding_table): a systematic problem flags every row, and a
        # Finding with its message made now would cost kilobytes a row. Messages are made when
        # a finding is read, from the same values they would have been given here.
        source = value if value is not None else (frame[field] if field is not None else None)
        block = FlaggedRows(
            rule=rule,
            severity=severity,
            entity=data.name,
            where=tuple(
                (self.tables[s].file, self.tables[s].sheet, self.label(s, field)) for s in sources.tolist()
            ),
            src=src.astype(np.uint16 if len(sources) > 255 else np.uint8),
            rows=rows.astype(np.int32) if len(rows) and rows.max() < 2**31 else rows,
            values=pick(source, positions) if source is not None else None,
            extras={k: pick(v, positions) for k, v in (extra or {}).items()},
            message=message,
            hint=hint,
        )
        return self._add(block)

    def flag_cells(
        self,
        table: SourceTable,
        label: str,
        positions: np.ndarray,
        *,
        rule: str,
        severity: Severity,
        message: Message,
        hint: Message,
        extra: dict[str, np.ndarray] | None = None,
    ) -> int:
        """:meth:`flag` for cells of a table as it was read (rules over every text cell, mapped or
        not): one finding per position in *positions* of column *label*, held as columns too.

        *extra* holds values per position (not per row of the table), for the messages.
        """
        if not len(positions):
            return 0
        rows = table.data[ROW].to_numpy()[positions]
        block = FlaggedRows(
            rule=rule,
            severity=severity,
            entity=table.role,
            where=((table.file, table.sheet, label),),
            src=np.zeros(len(positions), dtype=np.uint8),
            rows=rows.astype(np.int32) if rows.max() < 2**31 else rows,
            values=pick(table.data[label], positions),
            extras={k: pick(v, np.arange(len(positions))) for k, v in (extra or {}).items()},
            message=message,
            hint=hint,
        )
        return self._add(block)

    def _add(self, block: FlaggedRows) -> int:
        # One finding made now, so a message that cannot be made fails in its rule, as it did
        # when every finding was made here.
        block.render(np.zeros(1, dtype=np.int64))
        self.findings.add(block)
        return len(block)

    def file_finding(
        self,
        table_index: int,
        *,
        rule: str,
        severity: Severity,
        message: str,
        hint: str,
        column: str | None = None,
        entity: str | None = None,
    ) -> None:
        table = self.tables[table_index]
        self.findings.append(
            Finding.about_file(
                rule, severity, table.file, table.sheet, message, hint, entity=entity, column=column
            )
        )

    def sources_of(self, data: EntityData) -> Iterable[int]:
        return (int(s) for s in np.unique(data.frame[SRC].to_numpy()))
