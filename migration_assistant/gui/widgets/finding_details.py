"""The selected problem in full: what is wrong, what to do, where, and the record it is in.

The explanation sits beside the offending record (:class:`RecordView`), which is found
in the checked data by file, sheet and spreadsheet row. Under the explanation, the fix: a
problem a machine can fix with certainty offers "Fix" and "Fix all N like this" with a
before → after preview of the rows they change; one that was fixed offers Undo; any other
says why a person must decide.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from migration_assistant.gui.privacy_view import private_columns
from migration_assistant.gui.widgets.record_view import RecordView
from migration_assistant.gui.words import SEVERITY_WORDS

if TYPE_CHECKING:
    from migration_assistant.core.api import Dataset, FixIndex
    from migration_assistant.core.findings import Finding
    from migration_assistant.gui.models import FindingsModel


PREVIEW_ROWS = 10
"""Rows of a fix's before → after preview (the count says how many more)."""


def quoted(before: str, after: str, privacy: bool) -> str:
    """“before” → “after”, masked in privacy mode as every other value is."""
    if privacy:
        from migration_assistant.core.privacy import mask_fix_values

        before, after = mask_fix_values(before, after)
    return f"\u201c{before}\u201d \u2192 \u201c{after}\u201d"


class FindingDetails(QSplitter):
    """The explanation (left) beside the record (right).

    Signals:
        fix_requested(object): Apply the fixes the boolean mask over the plan marks.
        undo_requested(object): Undo the applied fixes the boolean mask marks (None: all of them).
    """

    fix_requested = Signal(object)
    undo_requested = Signal(object)

    def __init__(self, explain_min_width: int, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        explain = QWidget()
        explain_layout = QVBoxLayout(explain)
        explain_layout.setContentsMargins(0, 0, 0, 0)
        self.message = QLabel()
        self.message.setObjectName("findingMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.setAccessibleName("The problem")
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hint.setAccessibleName("What to do")
        self.where = QLabel()
        self.where.setWordWrap(True)
        self.where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.where.setAccessibleName("Where the problem is")
        self.fix_text = QLabel()
        self.fix_text.setWordWrap(True)
        self.fix_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.fix_text.setAccessibleName("The fix, before and after")
        for label in (self.message, self.hint, self.where, self.fix_text):
            label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            explain_layout.addWidget(label)
        explain_layout.addLayout(self._build_fix_buttons())
        explain_layout.addStretch(1)
        explain_scroll = QScrollArea()
        explain_scroll.setWidgetResizable(True)
        explain_scroll.setFrameShape(QFrame.Shape.NoFrame)
        explain_scroll.setWidget(explain)
        self.record = RecordView()
        record_box = QWidget()
        record_layout = QVBoxLayout(record_box)
        record_layout.setContentsMargins(0, 0, 0, 0)
        record_label = QLabel("The &record (problem cell marked \u25b6 and bold):")
        record_label.setBuddy(self.record)
        record_layout.addWidget(record_label)
        record_layout.addWidget(self.record, 1)
        self.addWidget(explain_scroll)
        self.addWidget(record_box)
        self.setStretchFactor(0, 2)
        self.setStretchFactor(1, 3)
        self.setChildrenCollapsible(False)
        explain_scroll.setMinimumWidth(explain_min_width)
        self.setSizes([400, 600])
        self._one: np.ndarray | None = None
        self._like: np.ndarray | None = None
        self._undo_one: np.ndarray | None = None

    def _build_fix_buttons(self) -> QHBoxLayout:
        buttons = QHBoxLayout()
        self.fix_button = QPushButton("Fix")
        self.fix_button.setAccessibleName("Fix this problem")
        self.fix_button.setToolTip(
            "Change this cell as shown; your files are not touched, and Undo puts it back."
        )
        self.fix_button.clicked.connect(lambda: self.fix_requested.emit(self._one))
        self.fix_all_button = QPushButton("Fix all like this")
        self.fix_all_button.setAccessibleName("Fix all problems like this")
        self.fix_all_button.setToolTip(
            "The same fix in the same column of the same file, on every row shown."
        )
        self.fix_all_button.clicked.connect(lambda: self.fix_requested.emit(self._like))
        self.undo_button = QPushButton("Undo this fix")
        self.undo_button.setAccessibleName("Undo this fix")
        self.undo_button.clicked.connect(lambda: self.undo_requested.emit(self._undo_one))
        self.undo_all_button = QPushButton("Undo all fixes")
        self.undo_all_button.setAccessibleName("Undo all fixes")
        self.undo_all_button.clicked.connect(lambda: self.undo_requested.emit(None))
        for button in (self.fix_button, self.fix_all_button, self.undo_button, self.undo_all_button):
            button.setVisible(False)
            buttons.addWidget(button)
        buttons.addStretch(1)
        return buttons

    def set_busy(self, busy: bool) -> None:
        """Fix and Undo wait while a fix or a check runs."""
        for button in (self.fix_button, self.fix_all_button, self.undo_button, self.undo_all_button):
            button.setEnabled(not busy)

    def _show_fix(
        self,
        finding: Finding,
        status: str | None,
        plan: FixIndex | None,
        applied: FixIndex | None,
        privacy: bool,
    ) -> None:
        """The fix of *finding*: Fix and Fix all with a preview, Undo for a fixed one, or why not."""
        from migration_assistant.core.api import why_not_fixed

        self._one = self._like = self._undo_one = None
        for button in (self.fix_button, self.fix_all_button, self.undo_button):
            button.setVisible(False)
        self.undo_all_button.setVisible(applied is not None and len(applied) > 0)
        done = applied.on_cell(finding) if applied is not None and status == "fixed" else None
        if applied is not None and done is not None:
            entry = applied.log.frame.iloc[done]
            self._undo_one = _same_cell(applied, done)
            self.fix_text.setText(
                f"Fixed for you ({entry['fix']}): {quoted(str(entry['before']), str(entry['after']), privacy)}. "
                "Your file is unchanged; Undo puts the value back in the check."
            )
            self.undo_button.setVisible(True)
            return
        at = plan.on_cell(finding) if plan is not None and status != "fixed" else None
        if plan is None or at is None:
            reason = why_not_fixed(finding.rule) if status != "fixed" else ""
            if plan is not None and status != "fixed" and reason.startswith("Fixed automatically"):
                reason = "Not fixed automatically here: the result would not be certain. " + reason.replace(
                    "Fixed automatically", "It is fixed", 1
                )
            self.fix_text.setText(reason)
            return
        frame = plan.log.frame
        like = plan.like(at)
        self._one = np.zeros(len(frame), dtype=bool)
        self._one[at] = True
        self._like = like
        count = int(like.sum())
        entry = frame.iloc[at]
        lines = [f"Can be fixed for you: {quoted(str(entry['before']), str(entry['after']), privacy)}."]
        if count > 1:
            rows = frame[like]
            head = rows.head(PREVIEW_ROWS)
            lines.append(f"Fix all {count:,} like this (“{entry['column']}” in {entry['file']}):")
            lines += [
                f"row {row}: {quoted(str(b), str(a), privacy)}"
                for row, b, a in zip(
                    head["row"].tolist(), head["before"].tolist(), head["after"].tolist(), strict=True
                )
            ]
            if count > PREVIEW_ROWS:
                lines.append(f"…and {count - PREVIEW_ROWS:,} more.")
        self.fix_text.setText("\n".join(lines))
        self.fix_button.setVisible(True)
        self.fix_all_button.setText(f"Fix all {count:,} like this")
        self.fix_all_button.setVisible(count > 1)

    def show_finding(
        self,
        finding: Finding | None,
        status: str | None,
        model: FindingsModel,
        dataset: Dataset | None,
        privacy: bool,
        plan: FixIndex | None = None,
        applied: FixIndex | None = None,
    ) -> None:
        """Explain *finding* (None: nothing selected), its fix, and show its record.

        Args:
            plan: The fixes possible on the checked data (Fix, Fix all).
            applied: The fixes the check ran with (Undo, and the cells marked fixed).
        """
        if finding is None:
            self.message.setText("Select a problem above to see the details.")
            self.hint.setText("")
            self.where.setText("")
            self.fix_text.setText("")
            for button in (self.fix_button, self.fix_all_button, self.undo_button):
                button.setVisible(False)
            self.undo_all_button.setVisible(applied is not None and len(applied) > 0)
            self.record.clear_record()
            return
        self._show_fix(finding, status, plan, applied, privacy)
        severity = SEVERITY_WORDS[finding.severity]
        self.message.setText(f"{severity}: {model.message(finding)}")
        self.hint.setText(f"What to do: {model.hint(finding)}")
        where = [finding.file]
        if finding.sheet:
            where.append(f"sheet {finding.sheet}")
        if finding.row is not None:
            where.append(f"row {finding.row}")
        if finding.column:
            where.append(f"column “{finding.column}”")
        suffix = f" ({finding.severity.meaning})"
        if status == "fixed":
            self.where.setText(f"Where it was: {', '.join(where)}. Fixed: it is gone in the latest check.")
            if applied is None or applied.on_cell(finding) is None:
                self.record.clear_record()
                return
        else:
            self.where.setText(f"Where: {', '.join(where)}.{suffix}")
        self.show_record(finding, dataset, privacy, applied)

    def show_record(
        self, finding: Finding, dataset: Dataset | None, privacy: bool, applied: FixIndex | None = None
    ) -> None:
        """The record *finding* is in, with its cell marked (cleared when it has no row or is not found)."""
        if dataset is None or finding.row is None:
            self.record.clear_record()
            return
        from migration_assistant.core.readers.table import ROW

        for index, table in enumerate(dataset.tables):
            if table.file != finding.file or table.sheet != finding.sheet:
                continue
            data = table.data
            matches = data.index[data[ROW] == finding.row]
            if len(matches) == 0:
                continue
            record = data.loc[matches[0]]
            cells = [(label, str(record[label])) for label in table.labels if label in data.columns]
            self.record.show_record(
                cells,
                finding.column,
                private_columns(dataset, index),
                privacy,
                _fixed_cells(applied, finding) if applied is not None else {},
            )
            return
        self.record.clear_record()


def _same_cell(applied: FixIndex, position: int) -> np.ndarray:
    """A mask of the applied entries on the cell of the entry at *position* (a cell fixed in two rounds has two)."""
    frame = applied.log.frame
    entry = frame.iloc[position]
    mask = np.zeros(len(frame), dtype=bool)
    at = applied.positions(
        str(entry["file"]), entry["sheet"] if isinstance(entry["sheet"], str) else None, int(entry["row"])
    )
    # Only the row's entries are read: the log's columns can hold half a million values.
    mask[at[frame["column"].iloc[at].to_numpy(dtype=object) == entry["column"]]] = True
    return mask


def _fixed_cells(applied: FixIndex, finding: Finding) -> dict[str, str]:
    """Column -> the value it had before the fixes, for the cells fixed on *finding*'s row."""
    if finding.row is None:
        return {}
    at = applied.positions(finding.file, finding.sheet, finding.row)
    frame = applied.log.frame
    out: dict[str, str] = {}
    for column, before in zip(
        frame["column"].iloc[at].tolist(), frame["before"].iloc[at].tolist(), strict=True
    ):
        out.setdefault(str(column), str(before))  # the first round's before is the file's own value
    return out
