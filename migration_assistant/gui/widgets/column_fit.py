"""Fitting the findings table's columns: the problem text keeps 45 % of the width, the others shrink to fit.

The file column never shrinks below its longest file name (up to "Time and expenses.csv"):
"Clie…" does not say which file to open.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractProxyModel
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QTableView

from migration_assistant.gui.models import FindingsModel


def fit_widths(wanted: dict[int, int], floors: dict[int, int], room: float) -> dict[int, int]:
    """Shrink the *wanted* widths in proportion to fit *room*, none below its floor.

    A column that would go below its floor stays at it and the others share what is left,
    so the total meets *room* whenever the floors allow it.
    """
    pinned: set[int] = set()
    while True:
        free = {c: w for c, w in wanted.items() if c not in pinned}
        left = room - sum(floors[c] for c in pinned)
        scale = min(1.0, max(0.0, left) / max(1, sum(free.values())))
        below = {c for c, w in free.items() if w * scale < floors[c]}
        if not below:
            break
        pinned |= below
    return {c: floors[c] if c in pinned else max(floors[c], int(w * scale)) for c, w in wanted.items()}


def fit_findings_columns(table: QTableView) -> None:
    """Size the columns of a table showing a :class:`FindingsModel` to the width it has now."""
    metrics = table.fontMetrics()
    widths = {
        FindingsModel.SEVERITY: metrics.horizontalAdvance("\u25a0 Blocker") + 24,
        FindingsModel.KIND: metrics.horizontalAdvance("Time and expenses") + 16,
        FindingsModel.FILE: metrics.horizontalAdvance("Time and expenses.csv") + 16,
        FindingsModel.ROW: metrics.horizontalAdvance("00000") + 16,
        FindingsModel.COLUMN: metrics.horizontalAdvance("Matter Number") + 16,
        FindingsModel.VALUE: metrics.horizontalAdvance("maria.garcia@@ex") + 16,
        FindingsModel.CHANGE: metrics.horizontalAdvance("Since last check") + 24,
    }
    # The problem text gets at least 45 % of the width; the other columns shrink (and elide their
    # cells) to fit, but never below their heading: a clipped heading ("nd of recor") reads as broken.
    shown = {c: w for c, w in widths.items() if not table.isColumnHidden(c)}
    kept = {
        FindingsModel.SEVERITY: widths[FindingsModel.SEVERITY],
        FindingsModel.ROW: widths[FindingsModel.ROW],
        FindingsModel.CHANGE: widths[FindingsModel.CHANGE],
    }
    header_font = QFontMetrics(table.horizontalHeader().font())
    floors = {
        column: max(kept.get(column, 0), header_font.horizontalAdvance(FindingsModel.HEADERS[column]) + 28)
        for column in shown  # + 28: the sort arrow and the padding
    }
    if FindingsModel.FILE in floors:
        names = _file_names(table)
        longest = max((metrics.horizontalAdvance(n) + 16 for n in names), default=0)
        floors[FindingsModel.FILE] = max(floors[FindingsModel.FILE], min(longest, widths[FindingsModel.FILE]))
    for column, width in fit_widths(shown, floors, table.viewport().width() * 0.55).items():
        table.setColumnWidth(column, width)


def _file_names(table: QTableView) -> set[str]:
    """The file names the table's problems are in (read from its findings, not cell by cell)."""
    model = table.model()
    source = model.sourceModel() if isinstance(model, QAbstractProxyModel) else model
    if not isinstance(source, FindingsModel):
        return set()
    return {row.finding.file for row in source.findings()}
