"""Check: the whole validation in a worker, with progress in words and a Stop button."""

from __future__ import annotations

import time

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWizard

from migration_assistant.gui.operations import check_failure_text, check_op
from migration_assistant.gui.pages import ids
from migration_assistant.gui.pages.base import WizardPage
from migration_assistant.gui.widgets.banner import Notice
from migration_assistant.gui.words import SEVERITY_WORDS, entity_title, plural
from migration_assistant.gui.workers import Operation


def result_summary(result: object) -> str:
    """ "Checked 9 files: 6,420 records. Found 23 problems: …" """
    report = result.report  # type: ignore[attr-defined]
    records = sum(report.records.values())
    summary = report.summary()
    problems = len(report.findings)
    text = f"Checked {plural(len(report.files), 'file')}: {plural(records, 'record')}."
    if problems == 0:
        return text + " No problems found."
    parts = [
        plural(summary[sev.label], SEVERITY_WORDS[sev].lower())
        for sev in sorted(SEVERITY_WORDS, reverse=True)
        if summary[sev.label]
    ]
    by_entity = ", ".join(f"{entity_title(k)} {v:,}" for k, v in report.records.items())
    return f"{text} Found {plural(problems, 'problem')}: {', '.join(parts)}. Records read: {by_entity}."


class CheckPage(WizardPage):
    PAGE_ID = ids.CHECK
    STEP = "Check"
    TITLE = "Checking your files"
    INTRO = (
        "The app now reads every file and checks each record against what the new system needs. "
        "You can keep using the computer; you can stop the check at any time."
    )

    def build(self) -> None:
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setObjectName("status")
        self.body.addWidget(self.status)
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Check progress")
        self.progress.setFormat("%p%")
        self.body.addWidget(self.progress)
        self.step = QLabel()
        self.step.setWordWrap(True)
        self.step.setAccessibleName("Current step")
        self.body.addWidget(self.step)
        self.elapsed = QLabel()
        self.body.addWidget(self.elapsed)
        buttons = QHBoxLayout()
        self.stop_button = QPushButton("&Stop the check")
        self.stop_button.setAccessibleName("Stop the check")
        self.stop_button.clicked.connect(self.cancel)
        self.restart_button = QPushButton("Start the check &again")
        self.restart_button.setAccessibleName("Start the check again")
        self.restart_button.clicked.connect(self.start)
        buttons.addWidget(self.stop_button)
        buttons.addWidget(self.restart_button)
        buttons.addStretch(1)
        self.body.addLayout(buttons)
        self.outcome = Notice()
        self.body.addWidget(self.outcome)
        self.body.addStretch(1)
        self._operation: Operation | None = None
        self._started = 0.0
        self._timer = QTimer(self)
        self._timer.setInterval(500)
        self._timer.timeout.connect(self._on_tick)
        self.setButtonText(QWizard.WizardButton.NextButton, "&Next: review problems")

    # --- contract ----------------------------------------------------------------------------
    def initializePage(self) -> None:
        if self.state.result is None:
            self.start()
        else:
            self._show_done()

    def cleanupPage(self) -> None:
        self.cancel(quiet=True)

    def isComplete(self) -> bool:
        return self.state.result is not None and not self.running

    # --- running -----------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self._operation is not None

    def start(self) -> None:
        if self.running:
            return
        self.outcome.set_notice("")
        self.status.setText("Checking your files…")
        self.step.setText("Starting…")
        self.progress.setRange(0, 0)
        self.progress.setValue(0)
        self.progress.setVisible(True)
        self.stop_button.setVisible(True)
        self.stop_button.setEnabled(True)
        self.restart_button.setVisible(False)
        self._started = time.monotonic()
        self.elapsed.setText("")
        self._timer.start()
        self._operation = self.run(
            "check",
            check_op(self.state),
            on_success=self._on_success,
            on_failure=self._on_failure,
            on_progress=self._on_progress,
            on_cancelled=self._on_cancelled,
        )
        self.stop_button.setFocus()
        self.completeChanged.emit()

    def cancel(self, quiet: bool = False) -> None:
        """Stop the check now (the UI is free at once; the worker stops at its next step)."""
        if self._operation is None:
            return
        operation = self._operation
        if quiet:
            operation.on_cancelled = None
            self._operation = None
            self._timer.stop()
        operation.cancel()

    def _on_progress(self, progress: object) -> None:
        total = max(1, getattr(progress, "total", 1))
        self.progress.setRange(0, total)
        self.progress.setValue(getattr(progress, "done", 0))
        self.step.setText(f"{getattr(progress, 'step', '')}…")

    def _on_tick(self) -> None:
        seconds = int(time.monotonic() - self._started)
        self.elapsed.setText(f"Time so far: {seconds // 60}:{seconds % 60:02d}")

    def _finish(self) -> None:
        self._operation = None
        self._timer.stop()
        self.stop_button.setVisible(False)
        self.restart_button.setVisible(True)

    def _on_success(self, result: object) -> None:
        self._finish()
        self.state.set_result(result)  # type: ignore[arg-type]
        self._show_done()
        self.completeChanged.emit()
        # The focused Stop button has just gone: left alone, Qt gives the focus to Back, and
        # Enter (which the user expects to move on) would go back to Map columns.
        if self.ctx.navigator is not None:
            self.ctx.navigator.focus_next()

    def _show_done(self) -> None:
        result = self.state.result
        if result is None:
            return
        self.status.setText("The check is finished.")
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        self.step.setText("")
        self.stop_button.setVisible(False)
        self.restart_button.setVisible(True)
        self.outcome.set_notice(result_summary(result) + " Press Next to review them.", "success")

    def _on_failure(self, exc: BaseException) -> None:
        self._finish()
        self.progress.setVisible(False)
        self.status.setText("The check could not finish.")
        self.step.setText("")
        self.outcome.set_notice(check_failure_text(exc), "warning")
        if self.ctx.navigator is not None:
            self.ctx.navigator.stop_replay()
        self.completeChanged.emit()

    def _on_cancelled(self) -> None:
        self._finish()
        self.progress.setVisible(False)
        self.status.setText("The check was stopped.")
        self.step.setText("")
        self.outcome.set_notice(
            "Nothing was changed. You can start the check again when you are ready.", "info"
        )
        if self.ctx.navigator is not None:
            self.ctx.navigator.stop_replay()
        self.restart_button.setFocus()
        self.completeChanged.emit()
