"""The rule contract: a small unit with a stable code, a severity and a docstring.

A rule receives the whole :class:`CheckContext` and flags rows with boolean masks
computed over entire columns; :meth:`CheckContext.flag` turns only the flagged rows
into findings at their original file, sheet and spreadsheet row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from migration_assistant.core.dataset import SRC, Dataset, EntityData
from migration_assistant.core.findings import Finding, Severity
from migration_assistant.core.readers.table import ROW, SourceTable

Message = str | Callable[..., str]


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
    findings: list[Finding] = field(default_factory=list)
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
        extra: dict[str, pd.Series | np.ndarray] | None = None,
        value: pd.Series | None = None,
    ) -> int:
        """Add one finding per flagged row of *data*; returns how many.

        *message* and *hint* are text, or callables given a dict with ``value``, ``row``,
        ``column`` and every *extra* column's value for that row (so messages can name
        the other row of a duplicate, a running balance...).
        """
        flags = np.asarray(mask, dtype=bool)
        if not flags.any():
            return 0
        positions = np.flatnonzero(flags)
        frame = data.frame
        rows = frame[ROW].to_numpy()[positions]
        srcs = frame[SRC].to_numpy()[positions]
        # Only the flagged cells are converted to Python objects: columns hold a million rows.
        if value is not None:
            values = np.asarray(value.iloc[positions].to_numpy(), dtype=object)
        elif field is not None:
            values = np.asarray(frame[field].iloc[positions].to_numpy(), dtype=object)
        else:
            values = np.full(len(positions), None, dtype=object)
        extras = {
            k: (
                np.asarray(v.iloc[positions].to_numpy(), dtype=object)
                if isinstance(v, pd.Series)
                else v[positions]
            )
            for k, v in (extra or {}).items()
        }
        # A systematic problem flags every row, so this loop can run a million times: plain
        # Python values (tolist), the file and column looked up once per source table.
        where = {
            src: (self.tables[src].file, self.tables[src].sheet, self.label(src, field))
            for src in np.unique(srcs).tolist()
        }
        extra_values = {k: v.tolist() for k, v in extras.items()}
        entity = data.name
        append = self.findings.append
        for i, (row, src, value) in enumerate(
            zip(rows.tolist(), srcs.tolist(), values.tolist(), strict=True)
        ):
            file, sheet, column = where[src]
            ctx: dict[str, Any] = {"value": value, "row": row, "column": column}
            for k, v in extra_values.items():
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
        return len(positions)

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
        row: int | None = None,
    ) -> None:
        table = self.tables[table_index]
        self.findings.append(
            Finding(rule, severity, entity, table.file, table.sheet, row, column, None, message, hint)
        )

    def sources_of(self, data: EntityData) -> Iterable[int]:
        return (int(s) for s in np.unique(data.frame[SRC].to_numpy()))
