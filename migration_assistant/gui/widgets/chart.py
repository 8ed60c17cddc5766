"""A small bar chart of problems per severity, painted with QPainter.

Each bar carries its name, its shape mark and its count in text, so the chart
reads the same without colour; the accessible description states the numbers.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from migration_assistant.core.findings import Severity
from migration_assistant.gui.words import SEVERITY_COLOURS, SEVERITY_MARKS, SEVERITY_WORDS, plural

ORDER = (Severity.BLOCKER, Severity.ERROR, Severity.WARNING, Severity.INFO)


class SeverityChart(QWidget):
    """Horizontal bars: one per severity, longest = most problems."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.counts: dict[Severity, int] = dict.fromkeys(ORDER, 0)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Problems by severity")
        self._update_description()

    def set_counts(self, counts: dict[Severity, int]) -> None:
        self.counts = {s: int(counts.get(s, 0)) for s in ORDER}
        self._update_description()
        self.updateGeometry()
        self.update()

    def showEvent(self, event: object) -> None:
        self.setMinimumHeight(self.sizeHint().height())
        super().showEvent(event)  # type: ignore[arg-type]

    def _update_description(self) -> None:
        parts = [f"{SEVERITY_WORDS[s]}: {self.counts[s]}" for s in ORDER]
        self.setAccessibleDescription("; ".join(parts))
        self.setToolTip("\n".join(parts))

    def _line(self) -> int:
        return self.fontMetrics().height() + 8

    def sizeHint(self) -> QSize:
        return QSize(self.fontMetrics().horizontalAdvance("M") * 40, self._line() * len(ORDER) + 4)

    def minimumSizeHint(self) -> QSize:
        return QSize(self.fontMetrics().horizontalAdvance("M") * 20, self.sizeHint().height())

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = self.fontMetrics()
        line = self._line()
        label_w = (
            max(metrics.horizontalAdvance(f"{SEVERITY_MARKS[s]} {SEVERITY_WORDS[s]}s") for s in ORDER) + 12
        )
        count_w = metrics.horizontalAdvance("000,000") + 8
        bar_w = max(10, self.width() - label_w - count_w)
        top_count = max(self.counts.values()) or 1
        text_pen = QPen(self.palette().color(self.foregroundRole()))
        for i, severity in enumerate(ORDER):
            y = 2 + i * line
            count = self.counts[severity]
            painter.setPen(text_pen)
            label = f"{SEVERITY_MARKS[severity]} {SEVERITY_WORDS[severity]}s"
            painter.drawText(QRectF(0, y, label_w, line), Qt.AlignmentFlag.AlignVCenter, label)
            width = bar_w * count / top_count
            colour = QColor(SEVERITY_COLOURS[severity])
            rect = QRectF(label_w, y + 4, max(width, 2 if count else 0), line - 8)
            painter.fillRect(rect, QBrush(colour))
            painter.drawText(
                QRectF(label_w + width + 6, y, count_w, line),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                f"{count:,}",
            )
        painter.end()

    def summary_text(self) -> str:
        return ", ".join(plural(self.counts[s], SEVERITY_WORDS[s].lower()) for s in ORDER)
