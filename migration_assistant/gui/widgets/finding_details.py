"""The selected problem in full: what is wrong, what to do, where, and the record it is in.

The explanation sits beside the offending record (:class:`RecordView`), which is found
in the checked data by file, sheet and spreadsheet row.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QSplitter, QVBoxLayout, QWidget

from migration_assistant.gui.privacy_view import private_columns
from migration_assistant.gui.widgets.record_view import RecordView
from migration_assistant.gui.words import SEVERITY_WORDS

if TYPE_CHECKING:
    from migration_assistant.core.api import Dataset
    from migration_assistant.core.findings import Finding
    from migration_assistant.gui.models import FindingsModel


class FindingDetails(QSplitter):
    """The explanation (left) beside the record (right)."""

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
        for label in (self.message, self.hint, self.where):
            label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            explain_layout.addWidget(label)
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

    def show_finding(
        self,
        finding: Finding | None,
        status: str | None,
        model: FindingsModel,
        dataset: Dataset | None,
        privacy: bool,
    ) -> None:
        """Explain *finding* (None: nothing selected) and show its record; a fixed one has none."""
        if finding is None:
            self.message.setText("Select a problem above to see the details.")
            self.hint.setText("")
            self.where.setText("")
            self.record.clear_record()
            return
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
            self.record.clear_record()
            return
        self.where.setText(f"Where: {', '.join(where)}.{suffix}")
        self.show_record(finding, dataset, privacy)

    def show_record(self, finding: Finding, dataset: Dataset | None, privacy: bool) -> None:
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
            self.record.show_record(cells, finding.column, private_columns(dataset, index), privacy)
            return
        self.record.clear_record()
