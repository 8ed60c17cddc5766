"""Done: what happens next, and the timeline with the dates to expect."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from migration_assistant.core.findings import Severity
from migration_assistant.gui.pages import ids
from migration_assistant.gui.pages.base import WizardPage
from migration_assistant.gui.widgets.firm_place_box import FirmPlaceBox
from migration_assistant.gui.widgets.package_summary import PackageSummary
from migration_assistant.gui.widgets.timeline import TimelineView, plan_for, processing_text, stages_of
from migration_assistant.gui.words import plural

if TYPE_CHECKING:
    from migration_assistant.core.api import Timeline


class DonePage(WizardPage):
    PAGE_ID = ids.DONE
    STEP = "Next steps"
    TITLE = "What happens next"
    INTRO = (
        "You have checked your export. Here is what to do now, and when to expect each stage of the "
        "migration. You can close the app at any time: it remembers where you were."
    )
    SCROLLS = True

    def build(self) -> None:
        # The decision (send now, or fix first) comes before the package's details, so it is read first.
        self.steps = QLabel()
        self.steps.setWordWrap(True)
        self.steps.setTextFormat(Qt.TextFormat.RichText)
        self.steps.setAccessibleName("Next steps")
        self.body.addWidget(self.steps)
        self.package_summary = PackageSummary(dialogs=self.ctx.dialogs)
        self.body.addWidget(self.package_summary)
        self.body.addWidget(QLabel("<b>Your migration timeline</b>"))
        self.timeline = TimelineView()
        self.body.addWidget(self.timeline)
        self.body.addWidget(QLabel("<b>Where is your firm?</b> The dates skip its public holidays."))
        self.place = FirmPlaceBox(self.state, self.ctx.settings)
        self.body.addWidget(self.place)
        self.state.firm_place_changed.connect(self._on_place_changed)
        self.body.addStretch(1)

    def initializePage(self) -> None:
        package = self.state.package if self.state.package and self.state.package.path.exists() else None
        self._show_package(package)
        plan = self._plan()
        self.steps.setText(
            "<ol>" + "".join(f"<li>{i}</li>" for i in self.next_steps(package, plan)) + "</ol>"
        )
        self.setFinalPage(True)

    def next_steps(self, package: object, plan: Timeline | None) -> list[str]:
        """What to do now, as one decision: send the package now, or fix first and make a new one.

        Blockers the firm accepted on the checklist travel with the package as known limitations;
        errors cannot be accepted there (each record would fail to import or import wrong), so any
        error, or a blocker not accepted, means fix first.
        """
        result = self.state.result
        report = result.report if result is not None else None
        errors = blockers = warnings = 0
        if report is not None:
            counts = report.summary()  # counted on the findings' columns, none is made
            errors = counts[Severity.ERROR.label]
            blockers = counts[Severity.BLOCKER.label]
            warnings = counts[Severity.WARNING.label]
        checklist = self.ctx.checklist if result is not None else None
        items = list(checklist.items) if checklist is not None else []
        open_blockers = sum(1 for i in items if i.blocking and not i.acknowledged)
        accepted = sum(1 for i in items if i.blocking and i.acknowledged)
        if checklist is None and blockers:
            open_blockers = blockers  # no sign-off yet: nothing has been accepted
        fix_first = bool(errors or open_blockers)
        processing = processing_text(plan)
        steps: list[str] = []
        if fix_first:
            what = []
            if errors:
                what.append(plural(errors, "error"))
            if open_blockers:
                what.append(plural(open_blockers, "blocker") + " not accepted on the checklist")
            steps.append(
                f"<b>Fix first, then send.</b> Your export still has {' and '.join(what)}: those records would "
                "fail to import or import wrong. "
                + ("Do not send the package you just made. " if package is not None else "")
                + "Fix them in your old software (or in the exported files), export again if you changed the "
                "software, use <b>Check again</b> on the Review problems page, and make a new package."
            )
            steps.append("Then send that new package to your migration specialist.")
        else:
            if package is not None:
                send = "<b>Send the package now</b>, as shown above."
            else:
                send = "<b>Tell your migration specialist the check is done.</b>"
            if accepted:
                send += (
                    f" The {plural(accepted, 'blocker')} you accepted on the checklist go with it as known "
                    "limitations: nothing more to fix."
                )
            else:
                send += " Nothing needs fixing: keep the exported files exactly as they are."
            steps.append(send)
            if warnings:
                steps.append(
                    f"The {plural(warnings, 'warning')} are in the package's report for your specialist; they "
                    "need a human look but do not stop the migration."
                )
        steps.append(
            "Stop entering new data in the old software once you export for the last time: "
            "that date is your cut-off."
        )
        steps.append(f"Your specialist takes it from there: {processing}.")
        return steps

    def _show_package(self, package: object) -> None:
        """The sealed package's name, size, SHA-256 and how to send it (hidden when there is none)."""
        from migration_assistant.core.api import PackageError, PackageResult, firm_recipient

        if not isinstance(package, PackageResult):
            self.package_summary.set_package(None)
            return
        try:
            firm = firm_recipient()
        except PackageError:
            firm = ""
        self.package_summary.set_package(package, firm_recipient=firm)

    def _plan(self) -> Timeline | None:
        """The timeline for the latest check, in the firm's country and state, from the export's date."""
        result = self.state.result
        report = result.report if result is not None else None
        exported = None
        if result is not None:
            from migration_assistant.core.api import export_date

            exported = dt.date.fromisoformat(export_date(result))
        plan = plan_for(
            report, country=self.state.firm_country, subdiv=self.state.firm_subdiv, exported=exported
        )
        stages, summary = stages_of(plan)
        self.timeline.set_stages(stages, "review", summary)
        return plan

    def _on_place_changed(self) -> None:
        self.initializePage()  # the processing days in the steps follow the place's holidays too
