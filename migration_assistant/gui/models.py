"""Item models for the findings table: the data, and a filter/sort proxy over it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractProxyModel,
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont

from migration_assistant.core.findings import Finding, RunDiff, Severity, as_table
from migration_assistant.gui.privacy_view import FindingMasker
from migration_assistant.gui.words import SEVERITY_COLOURS, entity_title, rule_title, severity_text

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
FINDING_ROLE = Qt.ItemDataRole.UserRole + 2
STATUS_ROLE = Qt.ItemDataRole.UserRole + 3

Index = QModelIndex | QPersistentModelIndex

STATUS_WORDS = {"new": "New", "remaining": "Still there", "fixed": "Fixed"}
"""How a finding compares with the previous check ("Check again")."""


GROUP_ROWS = 1_000
"""More findings than this of one problem in one column of one file are shown as one row."""

LIST_STEP = 1_000
"""Findings of a group listed each time it is opened (double-click)."""


@dataclass(frozen=True, slots=True)
class RowGroup:
    """The findings a group row stands for: those not listed yet (a view, made when listed)."""

    findings: Sequence[Finding]

    def __len__(self) -> int:
        return len(self.findings)


@dataclass(frozen=True, slots=True)
class FindingRow:
    """One row of the table: a finding, or (with *group*) the same problem on many rows, shown by
    its first finding."""

    finding: Finding
    status: str | None = None
    group: RowGroup | None = None

    @property
    def count(self) -> int:
        """How many findings the row stands for."""
        return 1 if self.group is None else len(self.group)


def finding_rows(findings: Sequence[Finding], status: str | None = None) -> list[FindingRow]:
    """A row per finding, in their order, except that the findings of a problem that repeats on
    more than :data:`GROUP_ROWS` rows of one column of one file become one group row (at the
    place of the first of them). Only the findings shown as rows are made."""
    table = as_table(findings)
    if len(table) <= GROUP_ROWS:
        return [FindingRow(f, status) for f in table]
    key = np.zeros(len(table), dtype=np.int64)
    # By kind of record too: a file read twice (PCLaw's client/matter list) has both kinds' findings.
    for name in ("rule", "severity", "entity", "file", "sheet", "column"):
        codes, labels = table.codes(name)
        key = key * max(1, len(labels)) + codes
    _uniques, which, counts = np.unique(key, return_inverse=True, return_counts=True)
    grouped = counts[which] > GROUP_ROWS
    single = np.flatnonzero(~grouped)
    places: list[tuple[int, FindingRow]] = [
        (i, FindingRow(f, status)) for i, f in zip(single.tolist(), table.take(single), strict=True)
    ]
    members = np.flatnonzero(grouped)
    if len(members):
        order = np.argsort(which[members], kind="stable")
        for idx in np.split(members[order], np.flatnonzero(np.diff(which[members][order])) + 1):
            places.append((int(idx[0]), _group_row(table.subset(idx), status)))
        places.sort(key=lambda place: place[0])
    return [row for _, row in places]


def diff_rows(diff: RunDiff) -> list[FindingRow]:
    """The rows of a comparison: new, still there, then fixed (no Qt: a worker may make them)."""
    rows = finding_rows(diff.new, "new") + finding_rows(diff.remaining, "remaining")
    return rows + finding_rows(diff.fixed, "fixed")


def _group_row(findings: Sequence[Finding], status: str | None) -> FindingRow:
    return FindingRow(findings[0], status, RowGroup(findings))


class FindingsModel(QAbstractTableModel):
    """One row per finding; the text shown hides client data while privacy mode is on."""

    SEVERITY, PROBLEM, KIND, FILE, ROW, COLUMN, VALUE, CHANGE = range(8)
    HEADERS = ("Severity", "Problem", "Kind of record", "File", "Row", "Column", "Value", "Since last check")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[FindingRow] = []
        self._masker = FindingMasker()
        self._privacy = False
        self._has_diff = False

    # --- loading --------------------------------------------------------------------
    def set_findings(self, findings: Sequence[Finding], masker: FindingMasker | None = None) -> None:
        self.beginResetModel()
        self._rows = finding_rows(findings)
        self._masker = masker or FindingMasker()
        self._has_diff = False
        self.endResetModel()

    def set_diff(
        self, diff: RunDiff, masker: FindingMasker | None = None, rows: list[FindingRow] | None = None
    ) -> None:
        """Show the latest findings marked new or still there, plus the ones fixed since last time.

        *rows*: :func:`diff_rows` of *diff* when a worker already made them.
        """
        self.beginResetModel()
        self._rows = list(rows) if rows is not None else diff_rows(diff)
        self._masker = masker or FindingMasker()
        self._has_diff = True
        self.endResetModel()

    def set_privacy(self, enabled: bool) -> None:
        if enabled == self._privacy:
            return
        self._privacy = enabled
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, len(self.HEADERS) - 1))

    @property
    def privacy(self) -> bool:
        return self._privacy

    @property
    def has_diff(self) -> bool:
        return self._has_diff

    def finding_at(self, row: int) -> FindingRow:
        return self._rows[row]

    def findings(self) -> list[FindingRow]:
        return list(self._rows)

    def problem_count(self) -> int:
        """How many findings the rows stand for (a group row counts all of its own)."""
        return sum(item.count for item in self._rows)

    def is_group(self, row: int) -> bool:
        return 0 <= row < len(self._rows) and self._rows[row].group is not None

    def expand(self, row: int) -> int:
        """List the next :data:`LIST_STEP` findings of the group on *row* in its place (the rest stay
        a group after them); returns how many were listed."""
        if not self.is_group(row):
            return 0
        item = self._rows[row]
        assert item.group is not None
        members = as_table(item.group.findings)
        listed = [FindingRow(f, item.status) for f in members.take(np.arange(min(LIST_STEP, len(members))))]
        rest = (
            []
            if len(members) <= LIST_STEP
            else [_group_row(members.subset(np.arange(LIST_STEP, len(members))), item.status)]
        )
        self.beginResetModel()
        self._rows[row : row + 1] = listed + rest
        self.endResetModel()
        return len(listed)

    def group_text(self, item: FindingRow) -> str:
        """What a group row says instead of one finding's message."""
        f = item.finding
        where = f.file if f.sheet is None else f"{f.file} ({f.sheet})"
        if f.column:
            where += f", column {f.column}"
        step = min(LIST_STEP, item.count)
        return (
            f"The same problem on {item.count:,} rows of {where}: {rule_title(f.rule)}. "
            f"Double-click to list {'them' if step == item.count else f'the next {step:,}'}."
        )

    # --- text ---------------------------------------------------------------------------
    def message(self, finding: Finding) -> str:
        return self._masker.message(finding) if self._privacy else finding.message

    def hint(self, finding: Finding) -> str:
        return self._masker.hint(finding) if self._privacy else finding.hint

    def value(self, finding: Finding) -> str:
        return self._masker.value(finding) if self._privacy else (finding.value or "")

    def text(self, item: FindingRow, column: int) -> str:
        f = item.finding
        if column == self.SEVERITY:
            return severity_text(f.severity)
        if column == self.PROBLEM:
            return self.message(f) if item.group is None else self.group_text(item)
        if column == self.KIND:
            return entity_title(f.entity) if f.entity else "Whole file"
        if column == self.FILE:
            return f.file if f.sheet is None else f"{f.file} ({f.sheet})"
        if column == self.ROW:
            if item.group is not None:
                return f"{item.count:,} rows"
            return "" if f.row is None else str(f.row)
        if column == self.COLUMN:
            return f.column or ""
        if column == self.VALUE:
            return self.value(f) if item.group is None else ""
        if column == self.CHANGE:
            return STATUS_WORDS.get(item.status or "", "")
        return ""

    def search_text(self, row: int) -> str:
        """Everything a search can match for *row*: what is on screen (so hidden values stay hidden)."""
        return self.search_texts([row])[0]

    def search_texts(self, rows: Sequence[int] | None = None) -> list[str]:
        """:meth:`search_text` of many rows (all by default), column by column: the words that
        repeat (severity, kind of record, rule) are looked up once, not once per row."""
        items = self._rows if rows is None else [self._rows[r] for r in rows]
        findings = [item.finding for item in items]
        severity = {s: severity_text(s) for s in Severity}
        kind = {e: entity_title(e) if e else "Whole file" for e in {f.entity for f in findings}}
        rule = {r: rule_title(r) for r in {f.rule for f in findings}}
        if self._privacy:
            messages = [self._masker.message(f) for f in findings]
            values = [self._masker.value(f) for f in findings]
            hints = [self._masker.hint(f) for f in findings]
        else:
            messages = [f.message for f in findings]
            values = [f.value or "" for f in findings]
            hints = [f.hint for f in findings]
        for i, item in enumerate(items):
            if item.group is not None:
                messages[i], values[i] = self.group_text(item), ""
        return [
            "\n".join(
                (
                    severity[f.severity],
                    message,
                    kind[f.entity],
                    f.file if f.sheet is None else f"{f.file} ({f.sheet})",
                    self.text(item, self.ROW),
                    f.column or "",
                    value,
                    STATUS_WORDS.get(item.status or "", ""),
                    rule[f.rule],
                    hint,
                )
            ).casefold()
            for item, f, message, value, hint in zip(items, findings, messages, values, hints, strict=True)
        ]

    # --- Qt model API -----------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self._rows[index.row()]
        f = item.finding
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self.text(item, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == self.PROBLEM and item.group is not None:
                return (
                    f"{rule_title(f.rule)}\n\n{self.group_text(item)}\n\nThe first of them, row {f.row}: "
                    f"{self.message(f)}\n\nWhat to do: {self.hint(f)}"
                )
            if col == self.PROBLEM:
                return f"{rule_title(f.rule)}\n\n{self.message(f)}\n\nWhat to do: {self.hint(f)}"
            if col == self.SEVERITY:
                return f.severity.meaning
            return self.text(item, col) or None
        if role == SORT_ROLE:
            if col == self.SEVERITY:
                return int(f.severity)
            if col == self.ROW:
                return -1 if f.row is None else f.row
            return self.text(item, col).casefold()
        if role == FINDING_ROLE:
            return f
        if role == STATUS_ROLE:
            return item.status
        if role == Qt.ItemDataRole.ForegroundRole and col == self.SEVERITY:
            return QBrush(QColor(SEVERITY_COLOURS[f.severity]))
        if role == Qt.ItemDataRole.FontRole and (
            (col == self.SEVERITY and f.severity >= Severity.ERROR) or item.status == "fixed"
        ):
            font = QFont()
            if item.status == "fixed":
                font.setStrikeOut(True)
            else:
                font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and col == self.ROW:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class FindingsFilter(QAbstractProxyModel):
    """Filters findings by severity, kind of record, rule, file, change and free text; sorts by any column.

    A check can report a problem on every row of a million-row file. Qt's own sort/filter
    proxy asks the model for every row through Python (a sort on a reset made 23 million
    ``data()`` calls for 774,000 findings: three minutes), so this proxy decides which rows
    to show, and in which order, in bulk: numpy over one value per finding for each filter
    and sort column (computed when first needed, kept until the findings or privacy change),
    a stable sort like Qt's. Qt then only asks about the rows on screen.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._severity: Severity | None = None
        self._entity: str | None = None
        self._rule: str | None = None
        self._file: str | None = None
        self._status: str | None = None
        self._text = ""
        self._sort_column = -1
        self._sort_order = Qt.SortOrder.AscendingOrder
        self._order = np.zeros(0, dtype=np.int64)  # source rows, in the order shown
        self._position = np.zeros(0, dtype=np.int64)  # shown row of each source row, -1 when hidden
        self._columns: dict[str, np.ndarray] = {}  # per-finding values, by what they are
        self._sort_keys: dict[int, np.ndarray] = {}
        self._search: list[str] | None = None

    # --- the source -------------------------------------------------------------------------------
    def setSourceModel(self, model: QAbstractItemModel) -> None:  # type: ignore[override]
        previous = self.sourceModel()
        if previous is not None:
            previous.modelAboutToBeReset.disconnect(self.beginResetModel)
            previous.modelReset.disconnect(self._source_reset)
            previous.dataChanged.disconnect(self._source_data_changed)
        self.beginResetModel()
        super().setSourceModel(model)
        model.modelAboutToBeReset.connect(self.beginResetModel)
        model.modelReset.connect(self._source_reset)
        model.dataChanged.connect(self._source_data_changed)
        self._forget()
        self._recompute()
        self.endResetModel()

    def _source_reset(self) -> None:
        self._forget()
        self._recompute()
        self.endResetModel()

    def _source_data_changed(self, *_args: object) -> None:
        # Privacy mode changes what every row shows; nothing else changes data in place.
        self._forget_texts()
        if len(self._order):
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._order) - 1, self.columnCount() - 1))

    def _forget(self) -> None:
        self._columns.clear()
        self._forget_texts()

    def _forget_texts(self) -> None:
        """Drop what was derived from the shown texts (they change with privacy mode)."""
        self._sort_keys.clear()
        self._search = None

    def _findings_model(self) -> FindingsModel | None:
        model = self.sourceModel()
        return model if isinstance(model, FindingsModel) else None

    # --- filters (each setter takes None for "any") ------------------------------------------------
    def set_severity(self, severity: Severity | None) -> None:
        self._severity = severity
        self._refilter()

    def set_entity(self, entity: str | None) -> None:
        self._entity = entity
        self._refilter()

    def set_rule(self, rule: str | None) -> None:
        self._rule = rule
        self._refilter()

    def set_file(self, file: str | None) -> None:
        self._file = file
        self._refilter()

    def set_status(self, status: str | None) -> None:
        self._status = status
        self._refilter()

    def set_text(self, text: str) -> None:
        self._text = text.strip().casefold()
        self._refilter()

    def refresh(self) -> None:
        """Re-apply the filters and the sort (privacy mode changes what the search and sort see)."""
        self._forget_texts()
        self._refilter()

    def _refilter(self) -> None:
        # The number of rows changes: a reset (the view then asks only for the rows on screen).
        self.beginResetModel()
        self._recompute()
        self.endResetModel()

    # --- sorting ---------------------------------------------------------------------------------
    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sort_column, self._sort_order = column, order
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        sources = [int(self._order[i.row()]) if 0 <= i.row() < len(self._order) else -1 for i in persistent]
        self._recompute()
        self.changePersistentIndexList(
            persistent,
            [
                self.index(int(self._position[src]), i.column()) if src >= 0 else QModelIndex()
                for i, src in zip(persistent, sources, strict=True)
            ],
        )
        self.layoutChanged.emit()

    def sortColumn(self) -> int:
        return self._sort_column

    def sortOrder(self) -> Qt.SortOrder:
        return self._sort_order

    # --- the computation ---------------------------------------------------------------------------
    def _values(self, name: str) -> np.ndarray:
        """One value per finding (severity, entity, rule, file, status), computed once."""
        if name not in self._columns:
            model = self._findings_model()
            items = model.findings() if model is not None else []
            if name == "severity":
                values = np.fromiter(
                    (int(r.finding.severity) for r in items), dtype=np.int64, count=len(items)
                )
            elif name == "status":
                values = np.array([r.status for r in items], dtype=object)
            elif name == "count":
                values = np.fromiter((r.count for r in items), dtype=np.int64, count=len(items))
            else:
                values = np.array([getattr(r.finding, name) for r in items], dtype=object)
            self._columns[name] = values
        return self._columns[name]

    def _sort_key(self, column: int) -> np.ndarray:
        """Integer keys that order the findings as the column's sort text (or number) would."""
        if column not in self._sort_keys:
            model = self._findings_model()
            if model is None:
                return np.zeros(0, dtype=np.int64)
            items = model.findings()
            if column == FindingsModel.SEVERITY:
                keys = self._values("severity")
            elif column == FindingsModel.ROW:
                keys = np.fromiter(
                    (-1 if r.finding.row is None else r.finding.row for r in items),
                    dtype=np.int64,
                    count=len(items),
                )
            else:
                texts = [model.text(r, column).casefold() for r in items]
                keys, _uniques = pd.factorize(pd.Series(texts, dtype=object), sort=True)
            self._sort_keys[column] = np.asarray(keys, dtype=np.int64)
        return self._sort_keys[column]

    def _recompute(self) -> None:
        model = self._findings_model()
        n = model.rowCount() if model is not None else 0
        if model is None or n == 0:
            self._order = np.zeros(0, dtype=np.int64)
            self._position = np.zeros(n, dtype=np.int64) - 1
            return
        if 0 <= self._sort_column < model.columnCount():
            keys = self._sort_key(self._sort_column)
            descending = self._sort_order == Qt.SortOrder.DescendingOrder
            # Stable either way, as Qt's sort: equal keys keep the findings' own order.
            order = np.argsort(-keys if descending else keys, kind="stable")
        else:
            order = np.arange(n, dtype=np.int64)
        keep = np.ones(n, dtype=bool)
        if self._severity is not None:
            keep &= self._values("severity") == int(self._severity)
        for name, wanted in (("entity", self._entity), ("rule", self._rule), ("file", self._file)):
            if wanted is not None:
                keep &= self._values(name) == wanted
        if self._status is not None:
            keep &= self._values("status") == self._status
        if self._text:
            if self._search is None:
                self._search = model.search_texts()
            needle = self._text
            keep &= np.fromiter((needle in text for text in self._search), dtype=bool, count=n)
        self._order = order[keep[order]]
        self._position = np.full(n, -1, dtype=np.int64)
        self._position[self._order] = np.arange(len(self._order), dtype=np.int64)

    def problem_count(self) -> int:
        """How many findings the shown rows stand for (a group row counts all of its own)."""
        if not len(self._order):
            return 0
        return int(self._values("count")[self._order].sum())

    # --- Qt proxy API -------------------------------------------------------------------------------
    def mapToSource(self, proxy_index: Index) -> QModelIndex:
        model = self.sourceModel()
        if model is None or not proxy_index.isValid() or not 0 <= proxy_index.row() < len(self._order):
            return QModelIndex()
        return model.index(int(self._order[proxy_index.row()]), proxy_index.column())

    def mapFromSource(self, source_index: Index) -> QModelIndex:
        if not source_index.isValid() or not 0 <= source_index.row() < len(self._position):
            return QModelIndex()
        row = int(self._position[source_index.row()])
        return self.index(row, source_index.column()) if row >= 0 else QModelIndex()

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if parent.isValid() or not (0 <= row < len(self._order) and 0 <= column < self.columnCount()):
            return QModelIndex()
        return self.createIndex(row, column)

    def parent(self, _index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        return QModelIndex()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._order)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        model = self.sourceModel()
        return 0 if parent.isValid() or model is None else model.columnCount()

    def hasChildren(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and len(self._order) > 0

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        model = self.sourceModel()
        if model is None:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return model.headerData(section, orientation, role)
        return section + 1 if role == Qt.ItemDataRole.DisplayRole else None
