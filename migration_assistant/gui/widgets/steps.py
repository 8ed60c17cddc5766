"""The list of steps beside the wizard pages: where the user is, in words and weight.

A step already reached is a link: clicking it goes there (back at once, or forward again
through the pages as far as they are complete).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics, QMouseEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


class _StepLabel(QLabel):
    """One step; clickable while :attr:`reachable`.

    Signals:
        clicked(): the user clicked a reachable step.
    """

    clicked = Signal()

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.reachable = False

    def set_reachable(self, reachable: bool) -> None:
        self.reachable = reachable
        self.setCursor(Qt.CursorShape.PointingHandCursor if reachable else Qt.CursorShape.ArrowCursor)
        self.setProperty("reachable", reachable)
        self.style().unpolish(self)  # the style sheet styles a reachable step: apply it again
        self.style().polish(self)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if (
            self.reachable
            and event.button() == Qt.MouseButton.LeftButton
            and self.rect().contains(event.position().toPoint())
        ):
            self.clicked.emit()
        super().mouseReleaseEvent(event)


class StepsList(QWidget):
    """One line per page; the current page is bold and marked "▶"; steps reached are clickable.

    Signals:
        step_chosen(int): the page id of the step the user clicked.
    """

    step_chosen = Signal(int)

    def __init__(self, steps: list[tuple[int, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("steps")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 16, 12, 12)
        title = QLabel("<b>Steps</b>")
        layout.addWidget(title)
        self._labels: dict[int, _StepLabel] = {}
        self._names = dict(steps)
        for page_id, name in steps:
            label = _StepLabel(name)
            label.setWordWrap(True)
            label.setObjectName("step")
            label.clicked.connect(lambda pid=page_id: self.step_chosen.emit(pid))
            self._labels[page_id] = label
            layout.addWidget(label)
        layout.addStretch(1)
        self.setAccessibleName("Steps")
        longest = max((name for _, name in steps), key=len, default="")
        bold = QFont(self.font())
        bold.setBold(True)  # the current step is bold: it must fit on one line too
        self.setMinimumWidth(QFontMetrics(bold).horizontalAdvance(f"\u25b6 00. {longest}") + 40)

    def label(self, page_id: int) -> QLabel:
        return self._labels[page_id]

    def set_current(self, page_id: int, furthest: int | None = None) -> None:
        """Mark *page_id* current; steps up to *furthest* (default: the current one) become clickable."""
        ids = list(self._labels)
        reached = page_id if furthest is None else max(page_id, furthest)
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
            reachable = not current and pid <= reached
            label.set_reachable(reachable)
            label.setToolTip(f"Go to “{name}”" if reachable else "")
            label.setAccessibleName(f"Step {position}: {name}" + (", current step" if current else ""))
