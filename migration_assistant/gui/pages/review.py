"""Review problems: a summary, a filterable findings table, and the offending record; the balances
brought forward; and the reports (HTML, Excel) saved through the dialog service, written in a worker."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable, Generator
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QItemSelection, QModelIndex, QObject, Qt
from PySide6.QtGui import QFontMetrics, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from migration_assistant.core.findings import Finding, Severity
from migration_assistant.gui.models import (
    FINDING_ROLE,
    STATUS_ROLE,
    STATUS_WORDS,
    FindingsFilter,
    FindingsModel,
)
from migration_assistant.gui.pages import ids
from migration_assistant.gui.pages.base import WizardPage
from migration_assistant.gui.pages.check import failure_text, start_check
from migration_assistant.gui.privacy_view import mask_checklist_text, masker_for, private_columns
from migration_assistant.gui.widgets.balances import BalancesView
from migration_assistant.gui.widgets.banner import Notice
from migration_assistant.gui.widgets.chart import SeverityChart
from migration_assistant.gui.widgets.record_view import RecordView
from migration_assistant.gui.words import SEVERITY_WORDS, entity_names, entity_title, plural, rule_title
from migration_assistant.gui.workers import Operation

ANY = "All"


class ReviewPage(WizardPage):
    PAGE_ID = ids.REVIEW
    STEP = "Review problems"
    TITLE = "Review the problems"
    INTRO = (
        "Each line is one problem, with the file, row and column where it is. Select a line to see "
        "what is wrong, what to do and the record itself. Fix problems in your old software or in the "
        "files, then press Check again."
    )

    def build(self) -> None:
        self._operation: Operation | None = None
        self._current: Finding | None = None
        self._current_status: str | None = None

        # Summary: records per kind and a chart of problems per severity.
        summary = QGroupBox("Summary")
        summary.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        summary_layout = QHBoxLayout(summary)
        self.records_label = QLabel()
        self.records_label.setWordWrap(True)
        self.records_label.setTextFormat(Qt.TextFormat.RichText)
        self.chart = SeverityChart()
        summary_layout.addWidget(self.records_label, 3)
        summary_layout.addWidget(self.chart, 2)
        self.summary = summary
        self.diff_notice = Notice()
        self.changed_notice = Notice()
        self.body.addWidget(self.diff_notice)
        self.body.addWidget(self.changed_notice)

        # Filters.
        filters = QGridLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText("Words, a file name, a row number…")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search the problems")
        self.severity_filter = self._combo("Severity filter")
        self.entity_filter = self._combo("Kind of record filter")
        self.rule_filter = self._combo("Kind of problem filter")
        self.file_filter = self._combo("File filter")
        self.status_filter = self._combo("Since last check filter")
        filters.addWidget(self.buddy_label("&Search:", self.search), 0, 0)
        filters.addWidget(self.search, 0, 1, 1, 3)
        filters.addWidget(self.buddy_label("Se&verity:", self.severity_filter), 0, 4)
        filters.addWidget(self.severity_filter, 0, 5)
        filters.addWidget(self.buddy_label("&Kind of record:", self.entity_filter), 1, 0)
        filters.addWidget(self.entity_filter, 1, 1)
        filters.addWidget(self.buddy_label("Kind of &problem:", self.rule_filter), 1, 2)
        filters.addWidget(self.rule_filter, 1, 3)
        filters.addWidget(self.buddy_label("F&ile:", self.file_filter), 1, 4)
        filters.addWidget(self.file_filter, 1, 5)
        self.status_label = self.buddy_label("Since &last check:", self.status_filter)
        filters.addWidget(self.status_label, 0, 6)
        filters.addWidget(self.status_filter, 0, 7)
        filters.setColumnStretch(1, 1)
        filters.setColumnStretch(3, 1)
        filters.setColumnStretch(5, 1)
        self.filters = filters

        # The table.
        self.model = FindingsModel(self)
        self.proxy = FindingsFilter(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.setAccessibleName("Problems found")
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(FindingsModel.PROBLEM, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        # The table gets its final width only after the page's layout runs, so the columns are fitted
        # when the table's own width changes, not when the page's does.
        self.table.viewport().installEventFilter(self)
        self.table.selectionModel().selectionChanged.connect(self._on_selection)
        self.count_label = QLabel()
        self.count_label.setAccessibleName("How many problems are shown")

        # The details of the selected problem: the explanation beside the record.
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
        record_layout.addWidget(
            self.buddy_label("The &record (problem cell marked \u25b6 and bold):", self.record)
        )
        record_layout.addWidget(self.record, 1)
        details = QSplitter(Qt.Orientation.Horizontal)
        details.addWidget(explain_scroll)
        details.addWidget(record_box)
        details.setStretchFactor(0, 2)
        details.setStretchFactor(1, 3)
        details.setChildrenCollapsible(False)
        explain_scroll.setMinimumWidth(self.fontMetrics().horizontalAdvance("x") * 30)
        details.setSizes([400, 600])

        table_box = QWidget()
        table_layout = QVBoxLayout(table_box)
        table_layout.setContentsMargins(0, 0, 0, 0)
        table_layout.addLayout(self.filters)
        table_layout.addWidget(self.table, 1)
        table_layout.addWidget(self.count_label)
        # Summary, table and details share the height; on a small screen the summary can be
        # dragged away (it is collapsible) to give the table room.
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.summary)
        splitter.addWidget(table_box)
        splitter.addWidget(details)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 3)
        splitter.setStretchFactor(2, 2)
        splitter.setChildrenCollapsible(False)
        splitter.setCollapsible(0, True)
        self.splitter = splitter
        line = self.fontMetrics().height()
        splitter.setSizes([self.summary.sizeHint().height(), line * 22, line * 14])
        self._summary_folded = False
        splitter.setChildrenCollapsible(False)
        # Problems and the balances brought forward share the page as two tabs.
        self.balances_view = BalancesView()
        self.balances_view.save_requested.connect(self.save_balances_csv)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Problems, or balances brought forward")
        self.tabs.addTab(splitter, "&Problems")
        self.tabs.addTab(self.balances_view, "&Balances brought forward")
        self.body.addWidget(self.tabs, 1)

        # Check again.
        again = QHBoxLayout()
        self.again_progress = QProgressBar()
        self.again_progress.setAccessibleName("Check again progress")
        self.again_step = QLabel()
        self.again_stop = QPushButton("S&top")
        self.again_stop.setAccessibleName("Stop checking again")
        self.again_stop.clicked.connect(self.cancel_check_again)
        self.again_button = QPushButton("Check a&gain")
        self.again_button.setAccessibleName("Check again")
        self.again_button.setToolTip(
            "Read the files again and show what was fixed, what is new and what remains."
        )
        self.again_button.clicked.connect(self.check_again)
        again.addWidget(self.again_step, 1)
        again.addWidget(self.again_progress, 1)
        again.addWidget(self.again_stop)
        self.html_button = QPushButton("Save report (&HTML)…")
        self.html_button.setAccessibleName("Save the report as a web page (HTML)")
        self.html_button.setToolTip("One file to open in any browser, print, or send to your specialist.")
        self.html_button.clicked.connect(self.save_html_report)
        self.xlsx_button = QPushButton("Save report (E&xcel)…")
        self.xlsx_button.setAccessibleName("Save the report as an Excel workbook")
        self.xlsx_button.setToolTip("Your rows with the problem cells marked, to fix from in Excel.")
        self.xlsx_button.clicked.connect(self.save_xlsx_report)
        again.addWidget(self.html_button)
        again.addWidget(self.xlsx_button)
        again.addWidget(self.again_button)
        self.body.addLayout(again)
        self.reports_notice = Notice()
        self.body.addWidget(self.reports_notice)
        self._saving: Operation | None = None
        self._set_checking(False)

        self.search.textChanged.connect(
            lambda text: self._keeping_selection(lambda: self.proxy.set_text(text))
        )
        self.severity_filter.currentIndexChanged.connect(
            lambda: self._apply(self.proxy.set_severity, self.severity_filter)
        )
        self.entity_filter.currentIndexChanged.connect(
            lambda: self._apply(self.proxy.set_entity, self.entity_filter)
        )
        self.rule_filter.currentIndexChanged.connect(
            lambda: self._apply(self.proxy.set_rule, self.rule_filter)
        )
        self.file_filter.currentIndexChanged.connect(
            lambda: self._apply(self.proxy.set_file, self.file_filter)
        )
        self.status_filter.currentIndexChanged.connect(
            lambda: self._apply(self.proxy.set_status, self.status_filter)
        )
        self.ctx.privacy.changed.connect(self._on_privacy_changed)
        self.model.set_privacy(self.ctx.privacy.enabled)
        self.state.result_changed.connect(self._on_result_changed)
        self._shown_result: object | None = None

    def _combo(self, name: str) -> QComboBox:
        box = QComboBox()
        box.setAccessibleName(name)
        box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        box.setMinimumContentsLength(12)
        return box

    # --- contract ------------------------------------------------------------------------------
    def initializePage(self) -> None:
        if self.state.result is not self._shown_result:
            self._load()
        self.table.setFocus()

    def cleanupPage(self) -> None:
        self.cancel_check_again()

    def isComplete(self) -> bool:
        return self.state.result is not None and self._operation is None

    # --- loading ---------------------------------------------------------------------------------
    def _on_result_changed(self) -> None:
        if self.wizard() is not None and self.wizard().currentPage() is self:
            self._load()

    def _load(self) -> None:
        result = self.state.result
        self._shown_result = result
        if result is None:
            self.model.set_findings([])
            return
        masker = masker_for(result.dataset)
        if self.state.diff is not None:
            self.model.set_diff(self.state.diff, masker)
            diff = self.state.diff
            self.diff_notice.set_notice(
                f"Compared with the last check: {len(diff.fixed):,} fixed, {len(diff.new):,} new, "
                f"{len(diff.remaining):,} still to look at.",
                "success" if diff.fixed and not diff.new else "info",
            )
        else:
            self.model.set_findings(result.report.findings, masker)
            self.diff_notice.set_notice("")
        changed = self.state.changed_since_last_time
        self.changed_notice.set_notice(
            "Changed since you last worked on this, and checked again: " + ", ".join(changed) + "."
            if changed
            else "",
            "info",
        )
        self.table.setColumnHidden(FindingsModel.CHANGE, not self.model.has_diff)
        self.status_label.setVisible(self.model.has_diff)
        self.status_filter.setVisible(self.model.has_diff)
        self._fill_summary()
        self.balances_view.set_balances(self.state.balances, self.ctx.privacy.enabled)
        self._update_report_note()
        self._fill_filters()
        self._size_columns()
        self._update_count()
        if self.proxy.rowCount() > 0:
            self.table.selectRow(0)
        else:
            self._show_finding(None, None)

    def _fill_summary(self) -> None:
        result = self.state.result
        if result is None:
            return
        report = result.report
        counts = {sev: 0 for sev in Severity}
        for f in report.findings:
            counts[f.severity] += 1
        self.chart.set_counts(counts)
        total = sum(report.records.values())
        order = {name: i for i, name in enumerate(entity_names())}
        records = " \u00b7 ".join(
            f"{entity_title(name)}&nbsp;{count:,}"
            for name, count in sorted(report.records.items(), key=lambda kv: order.get(kv[0], 99))
        )
        problems = len(report.findings)
        self.records_label.setText(
            f"<p><b>{plural(total, 'record')}</b> read from {plural(len(report.files), 'file')}: {records}.</p>"
            f"<p><b>{plural(problems, 'problem')}</b> found: {self.chart.summary_text()}.</p>"
        )

    def _fill_filters(self) -> None:
        rows = self.model.findings()
        findings = [r.finding for r in rows]

        def refill(box: QComboBox, items: list[tuple[str, object]]) -> None:
            box.blockSignals(True)
            box.clear()
            box.addItem(ANY, None)
            for text, data in items:
                box.addItem(text, data)
            box.setCurrentIndex(0)
            box.blockSignals(False)

        counted = Counter(f.severity for f in findings)
        sev_counts = {s: counted.get(s, 0) for s in Severity}
        refill(
            self.severity_filter,
            [(f"{SEVERITY_WORDS[s]} ({sev_counts[s]:,})", s) for s in sorted(Severity, reverse=True)],
        )
        entities = sorted({f.entity for f in findings if f.entity}, key=entity_title)
        refill(self.entity_filter, [(entity_title(e), e) for e in entities])
        rules = sorted({f.rule for f in findings}, key=rule_title)
        refill(self.rule_filter, [(rule_title(r), r) for r in rules])
        files = sorted({f.file for f in findings})
        refill(self.file_filter, [(name, name) for name in files])
        statuses = [s for s in ("new", "remaining", "fixed") if any(r.status == s for r in rows)]
        refill(self.status_filter, [(STATUS_WORDS[s], s) for s in statuses])
        for setter in (
            self.proxy.set_severity,
            self.proxy.set_entity,
            self.proxy.set_rule,
            self.proxy.set_file,
            self.proxy.set_status,
        ):
            setter(None)

    def _size_columns(self) -> None:
        metrics = self.table.fontMetrics()
        widths = {
            FindingsModel.SEVERITY: metrics.horizontalAdvance("\u25a0 Blocker") + 24,
            FindingsModel.KIND: metrics.horizontalAdvance("Time and expenses") + 16,
            FindingsModel.FILE: metrics.horizontalAdvance("Time and expenses.csv") + 16,
            FindingsModel.ROW: metrics.horizontalAdvance("00000") + 16,
            FindingsModel.COLUMN: metrics.horizontalAdvance("Matter Number") + 16,
            FindingsModel.VALUE: metrics.horizontalAdvance("maria.garcia@@ex") + 16,
            FindingsModel.CHANGE: metrics.horizontalAdvance("Since last check") + 24,
        }
        # The problem text gets at least half the width; the other columns shrink (and elide their
        # cells) to fit, but never below their heading: a clipped heading ("nd of recor") reads as broken.
        shown = {c: w for c, w in widths.items() if not self.table.isColumnHidden(c)}
        kept = {
            FindingsModel.SEVERITY: widths[FindingsModel.SEVERITY],
            FindingsModel.ROW: widths[FindingsModel.ROW],
            FindingsModel.CHANGE: widths[FindingsModel.CHANGE],
        }
        header_font = QFontMetrics(self.table.horizontalHeader().font())
        floors = {
            column: max(
                kept.get(column, 0), header_font.horizontalAdvance(FindingsModel.HEADERS[column]) + 28
            )
            for column in shown  # + 28: the sort arrow and the padding
        }
        for column, width in fit_widths(shown, floors, self.table.viewport().width() * 0.5).items():
            self.table.setColumnWidth(column, width)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.Resize
            and watched is self.table.viewport()
            and isinstance(event, QResizeEvent)
            and event.size().width() != event.oldSize().width()
        ):
            self._size_columns()
        return super().eventFilter(watched, event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        # On a short window (a laptop at 200 %) the summary folds away so the problems stay in view;
        # it can be dragged back down, and comes back by itself when the window grows.
        short = self.height() < self.fontMetrics().height() * 40
        if short != self._summary_folded:
            self._summary_folded = short
            sizes = self.splitter.sizes()
            if short:
                self.splitter.setSizes([0, sizes[0] + sizes[1], sizes[2]])
            else:
                hint = self.summary.sizeHint().height()
                self.splitter.setSizes([hint, max(1, sizes[1] - hint), sizes[2]])
        self.count_label.setToolTip(self.chart.summary_text() if short else "")

    def _apply(self, setter: Callable[[Any], None], box: QComboBox) -> None:
        self._keeping_selection(lambda: setter(box.currentData()))

    def _keeping_selection(self, change: Callable[[], None]) -> None:
        """Change the filters, keeping the selected problem selected when it is still shown."""
        selected = self.table.selectionModel().selectedRows()
        source = self.proxy.mapToSource(selected[0]) if selected else None
        change()
        if source is not None and source.isValid():
            row = self.proxy.mapFromSource(source)
            if row.isValid():
                self.table.selectRow(row.row())
                self.table.scrollTo(row)
        self._update_count()

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        if total == 0:
            self.count_label.setText("No problems found.")
        elif shown == total:
            self.count_label.setText(f"Showing all {plural(total, 'problem')}: {self.chart.summary_text()}.")
        else:
            self.count_label.setText(f"Showing {shown:,} of {plural(total, 'problem')} (filters are on).")

    # --- the selected finding -----------------------------------------------------------------------
    def _on_selection(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        if not indexes:
            return
        index: QModelIndex = indexes[0]
        self._show_finding(index.data(FINDING_ROLE), index.data(STATUS_ROLE))

    def _show_finding(self, finding: Finding | None, status: str | None) -> None:
        self._current = finding
        self._current_status = status
        if finding is None:
            self.message.setText("Select a problem above to see the details.")
            self.hint.setText("")
            self.where.setText("")
            self.record.clear_record()
            return
        severity = SEVERITY_WORDS[finding.severity]
        self.message.setText(f"{severity}: {self.model.message(finding)}")
        self.hint.setText(f"What to do: {self.model.hint(finding)}")
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
        self._show_record(finding)

    def _show_record(self, finding: Finding) -> None:
        result = self.state.result
        if result is None or finding.row is None:
            self.record.clear_record()
            return
        from migration_assistant.core.readers.table import ROW

        dataset = result.dataset
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
                cells, finding.column, private_columns(dataset, index), self.ctx.privacy.enabled
            )
            return
        self.record.clear_record()

    # --- privacy -------------------------------------------------------------------------------
    def _on_privacy_changed(self, enabled: bool) -> None:
        self.balances_view.set_privacy(enabled)
        self._update_report_note()
        self.model.set_privacy(enabled)
        self._keeping_selection(self.proxy.refresh)
        self.record.set_privacy(enabled)
        if self._current is not None:
            self._show_finding(self._current, self._current_status)

    # --- check again -----------------------------------------------------------------------------
    def check_again(self) -> None:
        if self._operation is not None or not self.state.inputs:
            return
        self._set_checking(True)
        self._operation = start_check(
            self,
            self.state,
            on_success=self._on_again_done,
            on_failure=self._on_again_failed,
            on_progress=self._on_again_progress,
            on_cancelled=self._on_again_cancelled,
        )
        self.completeChanged.emit()

    def cancel_check_again(self) -> None:
        if self._operation is not None:
            self._operation.cancel()

    def _set_checking(self, checking: bool) -> None:
        self.again_progress.setVisible(checking)
        self.again_progress.setRange(0, 0)
        self.again_stop.setVisible(checking)
        self.again_button.setEnabled(not checking)
        self.again_step.setText("Checking again…" if checking else "")

    def _on_again_progress(self, progress: object) -> None:
        self.again_progress.setRange(0, max(1, getattr(progress, "total", 1)))
        self.again_progress.setValue(getattr(progress, "done", 0))
        self.again_step.setText(f"{getattr(progress, 'step', '')}…")

    def _on_again_done(self, result: object) -> None:
        self._operation = None
        self._set_checking(False)
        self.state.changed_since_last_time = []
        self.state.set_result(result)  # type: ignore[arg-type]
        if self._shown_result is not self.state.result:
            self._load()
        self.completeChanged.emit()

    def _on_again_failed(self, exc: BaseException) -> None:
        self._operation = None
        self._set_checking(False)
        self.diff_notice.set_notice(f"Checking again did not finish: {failure_text(exc)}", "warning")
        self.completeChanged.emit()

    def _on_again_cancelled(self) -> None:
        self._operation = None
        self._set_checking(False)
        self.diff_notice.set_notice("Checking again was stopped; the list shows the previous check.", "info")
        self.completeChanged.emit()

    # --- reports and the balances CSV ------------------------------------------------------------------
    def save_html_report(self) -> None:
        """Ask where, then write the self-contained HTML report in a worker (privacy-safe when privacy is on)."""
        self._save("html")

    def save_xlsx_report(self) -> None:
        """Ask where, then write the Excel report in a worker (privacy-safe when privacy is on)."""
        self._save("xlsx")

    def save_balances_csv(self) -> None:
        """Ask where, then write the balances (the real figures) as CSV in a worker."""
        balances = self.state.balances
        if balances is None:
            return
        target = self._ask_where(
            "Save the balances brought forward", "balances-brought-forward.csv", "CSV file (*.csv)"
        )
        if target is None:
            return
        self._write("balances CSV", lambda _cancelled: balances.to_csv(target), target, "The balances")

    def _save(self, kind: str) -> None:
        result = self.state.result
        if result is None:
            return
        privacy = self.ctx.privacy.enabled
        suffix = "-privacy" if privacy else ""
        if kind == "html":
            target = self._ask_where(
                "Save the report as a web page", f"migration-check-report{suffix}.html", "Web page (*.html)"
            )
        else:
            target = self._ask_where(
                "Save the report as an Excel workbook",
                f"migration-check-report{suffix}.xlsx",
                "Excel workbook (*.xlsx)",
            )
        if target is None:
            return
        balances = self.state.balances
        timeline = self.state.timeline()
        checklist = self._checklist_for_report(privacy)

        def write_html(_cancelled: Callable[[], bool]) -> None:
            from migration_assistant.core.api import write_html

            write_html(
                result, target, privacy=privacy, balances=balances, timeline=timeline, checklist=checklist
            )

        def write_xlsx(_cancelled: Callable[[], bool]) -> Generator[Any, None, None]:
            from migration_assistant.core.api import iter_write_xlsx

            # A generator: the worker shows its progress and stops it if the page goes away.
            yield from iter_write_xlsx(result, target, balances=balances, privacy=privacy)

        what = "The report" + (" (client data hidden: privacy mode is on)" if privacy else "")
        self._write(f"{kind} report", write_html if kind == "html" else write_xlsx, target, what)

    def _checklist_for_report(self, privacy: bool) -> Any:
        """The checklist as the report shows it: a blocker's text quotes a finding, so it is masked too."""
        checklist = self.state.checklist
        if checklist is None or not privacy:
            return checklist
        from migration_assistant.core.api import Checklist

        headers = (
            [c for info in self.state.result.report.files for c in info.columns] if self.state.result else []
        )
        items = [
            dataclasses.replace(
                item,
                what=mask_checklist_text(item.what, headers),
                instead=mask_checklist_text(item.instead, headers),
            )
            if item.origin == "finding"
            else dataclasses.replace(item)
            for item in checklist.items
        ]
        return Checklist(checklist.source, items, checklist.created_at)

    def _ask_where(self, title: str, name: str, file_filter: str) -> Path | None:
        target = self.ctx.dialogs.save_file(self, title, Path.home() / name, file_filter)
        if target is None:
            return None
        wanted = Path(name).suffix
        if target.suffix.lower() != wanted:
            target = target.with_name(target.name + wanted)
        if target.exists() and not self.ctx.dialogs.confirm(
            self,
            "Replace the file?",
            f"“{target.name}” already exists. Replace it?",
            yes="Replace",
            no="Keep it",
        ):
            return None
        return target

    def _write(self, name: str, op: Callable[[Callable[[], bool]], Any], target: Path, what: str) -> None:
        if self._saving is not None:
            return
        self._set_saving(True)
        self.reports_notice.set_notice(f"Saving {target.name}…", "info")
        self._saving = self.run(
            f"save {name}",
            op,
            on_success=lambda _r: self._on_saved(f"{what} was saved: {target}"),
            on_failure=lambda exc: self._on_save_failed(target, exc),
            on_progress=lambda step: self._on_save_progress(target, step),
            on_cancelled=self._on_save_cancelled,
        )

    def _on_save_progress(self, target: Path, step: Any) -> None:
        fraction = getattr(step, "fraction", None)
        if self._saving is not None and fraction is not None:
            self.reports_notice.set_notice(f"Saving {target.name}… {fraction:.0%}", "info")

    def _on_save_cancelled(self) -> None:
        self._saving = None
        self._set_saving(False)
        self.reports_notice.set_notice("The report was not saved.", "info")

    def _on_saved(self, text: str) -> None:
        self._saving = None
        self._set_saving(False)
        self.reports_notice.set_notice(text, "success")

    def _on_save_failed(self, target: Path, exc: BaseException) -> None:
        self._saving = None
        self._set_saving(False)
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else type(exc).__name__
        self.reports_notice.set_notice(
            f"{target.name} could not be saved ({reason}). Choose another folder, or close the file if it "
            "is open in another program, and try again.",
            "warning",
        )

    def _set_saving(self, saving: bool) -> None:
        for button in (self.html_button, self.xlsx_button, self.balances_view.save_button):
            button.setEnabled(not saving)
        if not saving:
            self.balances_view.save_button.setEnabled(self.state.balances is not None)

    def _update_report_note(self) -> None:
        if self._saving is not None:
            return
        self.reports_notice.set_notice(
            "Privacy mode is on: reports saved now hide client names, details and amounts. Switch it off "
            "to save the full reports."
            if self.ctx.privacy.enabled
            else "",
            "info",
        )


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
