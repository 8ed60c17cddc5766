"""Review problems: a summary, a filterable findings table, and the offending record; the balances
brought forward; and the reports (HTML, Excel) saved through the dialog service, written in a worker.

The page puts together its parts: the filters (:mod:`..widgets.findings_filters`), the
column fitting (:mod:`..widgets.column_fit`), the selected problem with its record
(:mod:`..widgets.finding_details`) and the saving (:mod:`.review_reports`).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QItemSelection, QModelIndex, QObject, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from migration_assistant.core.findings import Finding, Severity
from migration_assistant.gui.models import FINDING_ROLE, STATUS_ROLE, FindingsFilter, FindingsModel
from migration_assistant.gui.operations import check_failure_text, check_op, fix_op, undo_op
from migration_assistant.gui.pages import ids
from migration_assistant.gui.pages.base import WizardPage
from migration_assistant.gui.pages.review_reports import ReportSaving
from migration_assistant.gui.privacy_view import masker_for
from migration_assistant.gui.widgets.balances import BalancesView
from migration_assistant.gui.widgets.banner import Notice
from migration_assistant.gui.widgets.chart import SeverityChart
from migration_assistant.gui.widgets.column_fit import fit_findings_columns
from migration_assistant.gui.widgets.finding_details import FindingDetails
from migration_assistant.gui.widgets.findings_filters import FindingsFilters
from migration_assistant.gui.words import entity_names, entity_title, plural
from migration_assistant.gui.workers import Operation


class ReviewPage(ReportSaving, WizardPage):
    PAGE_ID = ids.REVIEW
    STEP = "Review problems"
    TITLE = "Review the problems"
    INTRO = (
        "Each line is one problem, with the file, row and column where it is. Select a line to see "
        "what is wrong, what to do and the record itself. Some problems the app can fix for you (your "
        "files are not touched, and every fix can be undone); fix the others in your old software or in "
        "the files, then press Check again."
    )

    def build(self) -> None:
        self._operation: Operation | None = None
        self._current: Finding | None = None
        self._current_status: str | None = None
        self._saving: Operation | None = None
        self._shown_result: object | None = None
        self.summary = self._build_summary()
        self.diff_notice = Notice()
        self.changed_notice = Notice()
        self.body.addWidget(self.diff_notice)
        self.body.addWidget(self.changed_notice)
        self.model = FindingsModel(self)
        self.proxy = FindingsFilter(self)
        self.proxy.setSourceModel(self.model)
        self._build_filters()
        self._build_table()
        self._build_details()
        self.splitter = self._build_splitter()
        self.balances_view = BalancesView()
        self.balances_view.save_requested.connect(self.save_balances_csv)
        # Problems and the balances brought forward share the page as two tabs.
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Problems, or balances brought forward")
        self.tabs.addTab(self.splitter, "Proble&ms")  # Alt+P is "Kind of problem"
        self.tabs.addTab(self.balances_view, "Balances brought &forward")  # Alt+B is Back
        self.body.addWidget(self.tabs, 1)
        self.body.addLayout(self._build_actions())
        self.reports_notice = Notice()
        self.body.addWidget(self.reports_notice)
        self._set_checking(False)
        self.ctx.privacy.changed.connect(self._on_privacy_changed)
        self.model.set_privacy(self.ctx.privacy.enabled)
        self.state.result_changed.connect(self._on_result_changed)

    def _build_summary(self) -> QGroupBox:
        """Records per kind and a chart of problems per severity."""
        summary = QGroupBox("Summary")
        summary.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        summary_layout = QHBoxLayout(summary)
        self.records_label = QLabel()
        self.records_label.setWordWrap(True)
        self.records_label.setTextFormat(Qt.TextFormat.RichText)
        self.chart = SeverityChart()
        summary_layout.addWidget(self.records_label, 3)
        summary_layout.addWidget(self.chart, 2)
        return summary

    def _build_filters(self) -> None:
        self.filters = FindingsFilters(self.proxy, self._keeping_selection)
        # The controls under the names the page has always had (the tests use them).
        self.search = self.filters.search
        self.severity_filter = self.filters.severity_filter
        self.entity_filter = self.filters.entity_filter
        self.rule_filter = self.filters.rule_filter
        self.file_filter = self.filters.file_filter
        self.status_filter = self.filters.status_filter
        self.status_label = self.filters.status_label

    def _build_table(self) -> None:
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
        # One line of text per row, with a little air: more problems in view on a laptop screen.
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        # The table gets its final width only after the page's layout runs, so the columns are fitted
        # when the table's own width changes, not when the page's does.
        self.table.viewport().installEventFilter(self)
        self.table.selectionModel().selectionChanged.connect(self._on_selection)
        self.table.doubleClicked.connect(self._list_group)
        self.count_label = QLabel()
        self.count_label.setAccessibleName("How many problems are shown")

    def _build_details(self) -> None:
        """The details of the selected problem: the explanation beside the record."""
        self.details = FindingDetails(self.fontMetrics().horizontalAdvance("x") * 30)
        self.message, self.hint, self.where = self.details.message, self.details.hint, self.details.where
        self.record = self.details.record
        self.details.fix_requested.connect(self.apply_fixes)
        self.details.undo_requested.connect(self.undo_fixes)

    def _build_splitter(self) -> QSplitter:
        table_box = QWidget()
        table_layout = QVBoxLayout(table_box)
        table_layout.setContentsMargins(0, 0, 0, 0)
        table_layout.addLayout(self.filters)
        table_layout.addWidget(self.table, 1)
        table_layout.addWidget(self.count_label)
        # The problems get the room: the summary folds away on a short window (the count line
        # under the table still says how many of each), and the details take what is left, up to
        # a third; the handle moves them, and they can be dragged shut.
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.summary)
        splitter.addWidget(table_box)
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setStretchFactor(2, 0)
        splitter.setChildrenCollapsible(False)
        splitter.setCollapsible(2, True)
        splitter.installEventFilter(self)
        self._summary_folded = False
        self._shared_for = -1
        return splitter

    def _build_actions(self) -> QHBoxLayout:
        """Check again (with its progress and Stop) and the two report buttons."""
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
        return again

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
        if self.is_current():
            self._load()

    def _load(self) -> None:
        result = self.state.result
        self._shown_result = result
        if result is None:
            self.model.set_findings([])
            return
        masker = masker_for(result.dataset)
        if self.state.diff is not None:
            self.model.set_diff(self.state.diff, masker, self.state.diff_rows)
            diff = self.state.diff
            self.diff_notice.set_notice(
                f"Compared with the last check: {len(diff.fixed):,} fixed, {len(diff.new):,} new, "
                f"{len(diff.remaining):,} still to look at.",
                "success" if diff.fixed and not diff.new else "info",
            )
        else:
            self.model.set_findings(result.report.findings, masker)
            self.diff_notice.set_notice("")
        if self.state.stale_fixes:
            self.diff_notice.set_notice(
                f"The fixes you made were set aside: {self.state.stale_fixes}.",
                "warning",
            )
        changed = self.state.changed_since_last_time
        self.changed_notice.set_notice(
            "Changed since you last worked on this, and checked again: " + ", ".join(changed) + "."
            if changed
            else "",
            "info",
        )
        self.table.setColumnHidden(FindingsModel.CHANGE, not self.model.has_diff)
        self.filters.show_status(self.model.has_diff)
        self._fill_summary()
        self.balances_view.set_balances(self.state.balances, self.ctx.privacy.enabled)
        self._update_report_note()
        self.filters.fill(self.model.findings())
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
        summary = report.summary()  # counted on the findings' columns, none is made
        counts = {sev: summary[sev.label] for sev in Severity}
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

    def _size_columns(self) -> None:
        fit_findings_columns(self.table)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and watched is getattr(self, "splitter", None):
            self._share_height()
        if (
            event.type() == QEvent.Type.Resize
            and watched is self.table.viewport()
            and isinstance(event, QResizeEvent)
            and event.size().width() != event.oldSize().width()
        ):
            self._size_columns()
        return super().eventFilter(watched, event)

    def _share_height(self) -> None:
        """Fold the summary on a short window; the details get a third at most, the problems the rest."""
        height = self.splitter.height()
        if height <= 0 or height == self._shared_for:
            return
        self._shared_for = height
        line = self.fontMetrics().height()
        details = max(line * 6, min(line * 12, height // 3))
        # Folded when the problems would get fewer than about ten rows beside it (a laptop screen).
        short = height - details - self.summary.sizeHint().height() < line * 26
        self._summary_folded = short
        self.summary.setVisible(not short)
        self.count_label.setToolTip(self.records_label.text() if short else "")
        summary = 0 if short else self.summary.sizeHint().height()
        self.splitter.setSizes([summary, max(1, height - summary - details), details])

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

    def _list_group(self, index: QModelIndex) -> None:
        """A double-click on a group row ("the same problem on 999,999 rows") lists its next rows."""
        source = self.proxy.mapToSource(index).row()
        if self.model.is_group(source):
            self._keeping_selection(lambda: self.model.expand(source))

    def _update_count(self) -> None:
        # Problems, not rows: a group row stands for all of its own.
        shown, total = self.proxy.problem_count(), self.model.problem_count()
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
        result = self.state.result
        self.details.show_finding(
            finding,
            status,
            self.model,
            result.dataset if result is not None else None,
            self.ctx.privacy.enabled,
            self.state.fix_plan,
            self.state.applied,
        )

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
        self._operation = self.run(
            "check",
            check_op(self.state),
            on_success=self._on_again_done,
            on_failure=self._on_again_failed,
            on_progress=self._on_again_progress,
            on_cancelled=self._on_again_cancelled,
        )
        self.completeChanged.emit()

    def cancel_check_again(self) -> None:
        if self._operation is not None:
            self._operation.cancel()

    # --- fixes ------------------------------------------------------------------------------------
    def apply_fixes(self, chosen: object) -> None:
        """Add the planned fixes *chosen* (a mask over the plan) to the fix log, in a worker, then check again."""
        plan = self.state.fix_plan
        if self._operation is not None or plan is None or chosen is None:
            return
        self._set_checking(True, "Making the fixes…")
        self._operation = self.run(
            "fix",
            fix_op(self.state.fix_log, plan.log, chosen),
            on_success=self._on_fixes_made,
            on_failure=self._on_again_failed,
            on_progress=self._on_again_progress,
            on_cancelled=self._on_again_cancelled,
        )
        self.completeChanged.emit()

    def undo_fixes(self, undone: object) -> None:
        """Take the applied fixes *undone* marks (None: all) out of the fix log, then check again."""
        applied = self.state.applied
        if self._operation is not None or applied is None:
            return
        if undone is None:
            self._on_fixes_made(None)
            return
        self._set_checking(True, "Undoing the fix…")
        self._operation = self.run(
            "undo",
            undo_op(applied.log, undone),
            on_success=self._on_fixes_made,
            on_failure=self._on_again_failed,
            on_progress=self._on_again_progress,
            on_cancelled=self._on_again_cancelled,
        )
        self.completeChanged.emit()

    def _on_fixes_made(self, log: object) -> None:
        """The fix log is what the user wants now: check again with it (the files are never changed)."""
        self._operation = None
        self._set_checking(False)
        self.state.set_fix_log(log)  # type: ignore[arg-type]
        self.check_again()

    def _set_checking(self, checking: bool, step: str = "Checking again…") -> None:
        self.again_progress.setVisible(checking)
        self.again_progress.setRange(0, 0)
        self.again_stop.setVisible(checking)
        self.again_button.setEnabled(not checking)
        self.details.set_busy(checking)
        self.again_step.setText(step if checking else "")

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
        self.diff_notice.set_notice(f"Checking again did not finish: {check_failure_text(exc)}", "warning")
        self.completeChanged.emit()

    def _on_again_cancelled(self) -> None:
        self._operation = None
        self._set_checking(False)
        self.diff_notice.set_notice("Checking again was stopped; the list shows the previous check.", "info")
        self.completeChanged.emit()
