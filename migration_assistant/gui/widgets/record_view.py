"""The offending record, one line per column, with the problem cell marked.

The problem cell is marked three ways: a "▶ problem" marker beside the column name,
bold text, and a tinted background (never colour alone). A cell a fix changed says so in
words after its value ("fixed: was …"), masked in privacy mode as the value is.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem, QWidget

from migration_assistant.gui.privacy_view import mask_text

MARKER = "\u25b6 "
HIGHLIGHT = QColor("#fff1b8")


class RecordView(QTableWidget):
    """Shows a record as (column, value) lines."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 2, parent)
        self.setHorizontalHeaderLabels(["Column", "Value in your file"])
        self.verticalHeader().setVisible(False)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setWordWrap(True)
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.setAccessibleName("The record with the problem")
        self.problem_row: int | None = None
        self._cells: list[tuple[str, str]] = []
        self._problem: str | None = None
        self._hidden: set[str] = set()
        self._privacy = False
        self._fixed: dict[str, str] = {}

    def show_record(
        self,
        cells: list[tuple[str, str]],
        problem_column: str | None,
        hidden: set[str],
        privacy: bool,
        fixed: dict[str, str] | None = None,
    ) -> None:
        """Show *cells* ((label, value) pairs); *hidden* labels are masked while *privacy* is on.

        *fixed* maps the labels of cells a fix changed to their value before it.
        """
        self._fixed = dict(fixed or {})
        self._cells = cells
        self._problem = problem_column
        self._hidden = hidden
        self._privacy = privacy
        self._fill()

    def set_privacy(self, privacy: bool) -> None:
        self._privacy = privacy
        self._fill()

    def clear_record(self) -> None:
        self._cells = []
        self._problem = None
        self._fixed = {}
        self._fill()

    def displayed_values(self) -> list[str]:
        """Every text on screen (for tests and for screen readers' checks)."""
        out = []
        for r in range(self.rowCount()):
            for c in range(2):
                item = self.item(r, c)
                if item is not None:
                    out.append(item.text())
        return out

    def _fill(self) -> None:
        self.setRowCount(len(self._cells))
        self.problem_row = None
        bold = QFont(self.font())
        bold.setBold(True)
        for r, (label, value) in enumerate(self._cells):
            shown = mask_text(value) if self._privacy and label in self._hidden else value
            if label in self._fixed:
                was = self._fixed[label]
                # The old value is client data whatever the column (as a fix's preview is).
                shown += f"  (fixed: was \u201c{mask_text(was) if self._privacy else was}\u201d)"
            is_problem = label == self._problem
            name = QTableWidgetItem(f"{MARKER}{label}" if is_problem else label)
            cell = QTableWidgetItem(shown.replace("\r\n", "\n"))
            if is_problem:
                self.problem_row = r
                for item in (name, cell):
                    item.setFont(bold)
                    item.setBackground(QBrush(HIGHLIGHT))
                    item.setForeground(QBrush(QColor("#000000")))
                name.setData(Qt.ItemDataRole.AccessibleTextRole, f"{label} (the problem)")
                cell.setToolTip("This is the cell the problem is about.")
            self.setItem(r, 0, name)
            self.setItem(r, 1, cell)
        self.resizeRowsToContents()
