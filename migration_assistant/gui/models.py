"""Item models for the findings table: the data, and a filter/sort proxy over it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont

from migration_assistant.core.findings import Finding, RunDiff, Severity
from migration_assistant.gui.privacy_view import FindingMasker
from migration_assistant.gui.words import SEVERITY_COLOURS, entity_title, rule_title, severity_text

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
FINDING_ROLE = Qt.ItemDataRole.UserRole + 2
STATUS_ROLE = Qt.ItemDataRole.UserRole + 3

Index = QModelIndex | QPersistentModelIndex

STATUS_WORDS = {"new": "New", "remaining": "Still there", "fixed": "Fixed"}
"""How a finding compares with the previous check ("Check again")."""


@dataclass(frozen=True, slots=True)
class FindingRow:
    finding: Finding
    status: str | None = None


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
    def set_findings(self, findings: list[Finding], masker: FindingMasker | None = None) -> None:
        self.beginResetModel()
        self._rows = [FindingRow(f) for f in findings]
        self._masker = masker or FindingMasker()
        self._has_diff = False
        self.endResetModel()

    def set_diff(self, diff: RunDiff, masker: FindingMasker | None = None) -> None:
        """Show the latest findings marked new or still there, plus the ones fixed since last time."""
        self.beginResetModel()
        rows = [FindingRow(f, "new") for f in diff.new] + [FindingRow(f, "remaining") for f in diff.remaining]
        rows += [FindingRow(f, "fixed") for f in diff.fixed]
        self._rows = rows
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
            return self.message(f)
        if column == self.KIND:
            return entity_title(f.entity) if f.entity else "Whole file"
        if column == self.FILE:
            return f.file if f.sheet is None else f"{f.file} ({f.sheet})"
        if column == self.ROW:
            return "" if f.row is None else str(f.row)
        if column == self.COLUMN:
            return f.column or ""
        if column == self.VALUE:
            return self.value(f)
        if column == self.CHANGE:
            return STATUS_WORDS.get(item.status or "", "")
        return ""

    def search_text(self, row: int) -> str:
        """Everything a search can match for *row*: what is on screen (so hidden values stay hidden)."""
        item = self._rows[row]
        parts = [self.text(item, c) for c in range(len(self.HEADERS))]
        parts.append(rule_title(item.finding.rule))
        parts.append(self.hint(item.finding))
        return "\n".join(parts).casefold()

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
            if col == self.PROBLEM:
                return f"{self.message(f)}\n\nWhat to do: {self.hint(f)}"
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


class FindingsFilter(QSortFilterProxyModel):
    """Filters findings by severity, kind of record, rule, file, change and free text; sorts by any column."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self._severity: Severity | None = None
        self._entity: str | None = None
        self._rule: str | None = None
        self._file: str | None = None
        self._status: str | None = None
        self._text = ""

    # Each setter takes None for "any".
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
        """Re-apply the filters (privacy mode changes what the search sees)."""
        self._refilter()

    def _refilter(self) -> None:
        self.beginFilterChange()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        if not isinstance(model, FindingsModel):
            return True
        item = model.finding_at(source_row)
        f = item.finding
        if self._severity is not None and f.severity != self._severity:
            return False
        if self._entity is not None and f.entity != self._entity:
            return False
        if self._rule is not None and f.rule != self._rule:
            return False
        if self._file is not None and f.file != self._file:
            return False
        if self._status is not None and item.status != self._status:
            return False
        return not self._text or self._text in model.search_text(source_row)
