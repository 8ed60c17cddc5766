"""Balances brought forward: per matter, trust money held, fees owed and unbilled work, with firm totals.

Per-matter amounts are each client's data and are hidden in privacy mode; the firm
totals are the firm's own figures and stay visible (as in the privacy-safe report).
A trust ledger below zero is said in words ("below zero"), not only shown in colour.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from migration_assistant.core.api import AMOUNTS, CLIENT, MATTER, Balances
from migration_assistant.core.api import format_money as money
from migration_assistant.gui.privacy_view import MASK, balance_text
from migration_assistant.gui.widgets.banner import Notice

HEADERS = ("Matter", "Client ID", "Trust balance", "Accounts receivable", "Unbilled work")
BELOW_ZERO = " (below zero)"
TRUST = AMOUNTS[0]
_Index = QModelIndex | QPersistentModelIndex


class BalancesModel(QAbstractTableModel):
    """The per-matter table, read straight from the balances' columns (fast for many matters)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[str, str, float, float, float]] = []
        self.privacy = False

    def set_balances(self, balances: Balances | None) -> None:
        self.beginResetModel()
        if balances is None:
            self._rows = []
        else:
            table = balances.table
            self._rows = list(
                zip(
                    table[MATTER].astype(str),
                    table[CLIENT].astype(str),
                    *(table[c].astype(float) for c in AMOUNTS),
                    strict=True,
                )
            )
        self.endResetModel()

    def set_privacy(self, privacy: bool) -> None:
        self.privacy = privacy
        if self._rows:
            self.dataChanged.emit(self.index(0, 2), self.index(len(self._rows) - 1, 4))

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def text(self, row: int, column: int) -> str:
        matter, client, *amounts = self._rows[row]
        if column == 0:
            return matter or "(no matter)"
        if column == 1:
            return client or "—"
        value = amounts[column - 2]
        shown = money(value) + (BELOW_ZERO if column == 2 and value < 0 else "")
        return balance_text(shown, privacy=self.privacy)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self.text(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column >= 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and column == 2 and self._rows[row][2] < 0:
            return QBrush(QColor("#8b1a1a"))
        return None


class BalancesView(QWidget):
    """The balances section of the Review page.

    Signals:
        save_requested(): the user pressed "Save as CSV…".
    """

    save_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 4, 0, 0)
        # The explanations scroll on their own when the window is short (a laptop at 200 %),
        # so the table always keeps room; a splitter lets the user share the height.
        info = QWidget()
        info.setObjectName("pageContent")
        layout = QVBoxLayout(info)
        layout.setContentsMargins(0, 0, 8, 0)
        self.info_scroll = QScrollArea()
        self.info_scroll.setWidgetResizable(True)
        self.info_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.info_scroll.setWidget(info)
        self.info_scroll.setAccessibleName("What the balances are and how to reconcile them")
        self.intro = QLabel(
            "The new system starts from one opening balance per matter: the money held in trust, the fees "
            "billed but not paid (accounts receivable) and the work done but not billed yet. These are the "
            "figures this export gives; compare them with your old software's reports before the cut-off."
        )
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        self.totals = QLabel()
        self.totals.setObjectName("balanceTotals")
        self.totals.setWordWrap(True)
        self.totals.setTextFormat(Qt.TextFormat.RichText)
        self.totals.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.totals.setAccessibleName("Firm totals")
        layout.addWidget(self.totals)
        self.notes = Notice()
        layout.addWidget(self.notes)

        self.reconcile = QGroupBox("Before the cut-off: reconcile the trust account three ways")
        reconcile_layout = QVBoxLayout(self.reconcile)
        self.explanation = QLabel()
        self.explanation.setWordWrap(True)
        self.explanation.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.explanation.setAccessibleName("How to reconcile the trust account")
        reconcile_layout.addWidget(self.explanation)
        layout.addWidget(self.reconcile)
        layout.addStretch(1)
        self._info = info

        self.model = BalancesModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Balances per matter")
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(self.table.verticalHeader().defaultSectionSize() * 4)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.info_scroll)
        self.splitter.addWidget(self.table)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        outer.addWidget(self.splitter, 1)
        self._sized_for: tuple[int, int] | None = None

        row = QHBoxLayout()
        self.privacy_note = QLabel()
        self.privacy_note.setWordWrap(True)
        row.addWidget(self.privacy_note, 1)
        self.save_button = QPushButton("Save b&alances as CSV…")  # Alt+C is Close
        self.save_button.setAccessibleName("Save the balances as a CSV file")
        self.save_button.clicked.connect(self.save_requested)
        row.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignRight)
        outer.addLayout(row)
        self.balances: Balances | None = None
        self.set_balances(None, False)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Give the explanations the height they need, up to half the tab; the table the rest."""
        super().resizeEvent(event)
        self._share_height()

    def _share_height(self) -> None:
        height = self.splitter.height()
        width = self.info_scroll.viewport().width()
        if height <= 0 or width <= 0 or (height, width) == self._sized_for:
            return
        self._sized_for = (height, width)
        layout = self._info.layout()
        needed = layout.totalHeightForWidth(width) if layout is not None else self._info.sizeHint().height()
        top = max(self.fontMetrics().height() * 3, min(needed + 2, height // 2))
        self.splitter.setSizes([top, max(1, height - top)])

    def set_balances(self, balances: Balances | None, privacy: bool) -> None:
        self.balances = balances
        self.model.set_balances(balances)
        self.save_button.setEnabled(balances is not None)
        if balances is None:
            self.totals.setText("<p>The balances could not be added up for this check.</p>")
            self.notes.set_notice("")
            self.explanation.setText("")
            self.reconcile.setVisible(False)
        else:
            self.totals.setText(self._totals_html(balances))
            self.explanation.setText(balances.explanation)
            self.reconcile.setVisible(True)
        self.set_privacy(privacy)
        self._sized_for = None
        self._share_height()

    def set_privacy(self, privacy: bool) -> None:
        self.model.set_privacy(privacy)
        balances = self.balances
        if balances is not None:
            warn = bool(balances.notes or balances.amounts_missing)
            self.notes.set_notice("\n".join(self._notes(balances, privacy)), "warning" if warn else "info")
        self.privacy_note.setText(
            "Privacy mode is on: each matter's amounts are hidden on screen; the firm totals stay visible "
            "(unless the export has only one matter). "
            "The CSV file holds the real figures."
            if privacy
            else ""
        )
        self.privacy_note.setVisible(privacy)
        if self.balances is not None:
            self.totals.setText(self._totals_html(self.balances, privacy))

    @staticmethod
    def _notes(balances: Balances, privacy: bool) -> list[str]:
        """The balances' remarks, with whose trust ledgers are below zero (amounts hidden in privacy mode)."""
        notes = list(balances.notes)
        overdrawn = balances.overdrawn
        if len(overdrawn):
            shown = [
                f"matter {matter}" + (f" (client {client})" if client else "")
                if matter
                else f"client {client}"
                for matter, client in zip(
                    overdrawn[MATTER].astype(str).head(5), overdrawn[CLIENT].astype(str).head(5), strict=True
                )
            ]
            amounts = [MASK if privacy else money(v) for v in overdrawn[TRUST].astype(float).head(5)]
            listed = "; ".join(f"{who}: {amount}" for who, amount in zip(shown, amounts, strict=True))
            more = len(overdrawn) - len(shown)
            notes.append(f"Below zero: {listed}" + (f"; and {more:,} more (see the table)." if more else "."))
        if balances.amounts_note:
            notes.append(balances.amounts_note)
        if not (balances.has_trust or balances.has_bills or balances.has_activities):
            notes.insert(
                0,
                "This export has no trust ledger, bills or time entries, so there is nothing to bring forward.",
            )
        return notes

    @staticmethod
    def _totals_html(balances: Balances, privacy: bool = False) -> str:
        matters = int((balances.table[MATTER] != "").sum())
        clients = len(balances.table) - matters
        lines = f"{matters:,} matter{'s' if matters != 1 else ''}"
        if clients:
            lines += f" and {clients:,} client{'s' if clients != 1 else ''} with trust money but no matter"
        as_of = f" Latest entry in the export: {balances.as_of}." if balances.as_of else ""
        parts = []
        for name, value, present in (
            ("Trust held", balances.trust_total, balances.has_trust),
            ("Accounts receivable", balances.receivable_total, balances.has_bills),
            ("Unbilled work", balances.unbilled_total, balances.has_activities),
        ):
            parts.append(
                f"{name}: <b>{balance_text(money(value), privacy=privacy, matters=len(balances.table))}</b>"
                if present
                else f"{name}: <i>not in this export</i>"
            )
        return f"<p><b>Firm totals</b> ({lines}): " + " &nbsp;·&nbsp; ".join(parts) + f".{as_of}</p>"

    def displayed_amounts(self) -> list[str]:
        """Every amount text in the table (for tests)."""
        return [self.model.text(r, c) for r in range(self.model.rowCount()) for c in range(2, 5)]


__all__ = ["BalancesModel", "BalancesView"]
