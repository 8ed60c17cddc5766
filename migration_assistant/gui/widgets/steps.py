"""The list of steps beside the wizard pages: where the user is, in words and weight."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


class StepsList(QWidget):
    """One line per page; the current page is bold and marked "▶"."""

    def __init__(self, steps: list[tuple[int, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("steps")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 16, 12, 12)
        title = QLabel("<b>Steps</b>")
        layout.addWidget(title)
        self._labels: dict[int, QLabel] = {}
        self._names = dict(steps)
        for page_id, name in steps:
            label = QLabel(name)
            label.setWordWrap(True)
            label.setObjectName("step")
            self._labels[page_id] = label
            layout.addWidget(label)
        layout.addStretch(1)
        self.setAccessibleName("Steps")
        longest = max((name for _, name in steps), key=len, default="")
        bold = QFont(self.font())
        bold.setBold(True)  # the current step is bold: it must fit on one line too
        self.setMinimumWidth(QFontMetrics(bold).horizontalAdvance(f"\u25b6 00. {longest}") + 40)

    def set_current(self, page_id: int) -> None:
        ids = list(self._labels)
        for position, (pid, label) in enumerate(self._labels.items(), start=1):
            name = self._names[pid]
            current = pid == page_id
            done = page_id in ids and ids.index(pid) < ids.index(page_id)
            prefix = "\u25b6 " if current else ("\u2713 " if done else "    ")
            label.setText(f"{prefix}{position}. {name}")
            font = label.font()
            font.setBold(current)
            label.setFont(font)
            label.setProperty("current", current)
            label.setAccessibleName(f"Step {position}: {name}" + (", current step" if current else ""))
