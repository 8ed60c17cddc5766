"""Done: what happens next, and the timeline with the dates to expect."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from migration_assistant.core.findings import Severity
from migration_assistant.gui.pages import ids
from migration_assistant.gui.pages.base import WizardPage
from migration_assistant.gui.widgets.firm_place_box import FirmPlaceBox
from migration_assistant.gui.widgets.package_summary import PackageSummary
from migration_assistant.gui.widgets.timeline import TimelineView, plan_stages
from migration_assistant.gui.words import plural


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
        self.package_summary = PackageSummary()
        self.body.addWidget(self.package_summary)
        self.steps = QLabel()
        self.steps.setWordWrap(True)
        self.steps.setTextFormat(Qt.TextFormat.RichText)
        self.steps.setAccessibleName("Next steps")
        self.body.addWidget(self.steps)
        self.body.addWidget(QLabel("<b>Your migration timeline</b>"))
        self.timeline = TimelineView()
        self.body.addWidget(self.timeline)
        self.body.addWidget(QLabel("<b>Where is your firm?</b> The dates skip its public holidays."))
        self.place = FirmPlaceBox(self.state, self.ctx.settings)
        self.body.addWidget(self.place)
        self.state.firm_place_changed.connect(self._plan)
        self.body.addStretch(1)

    def initializePage(self) -> None:
        result = self.state.result
        report = result.report if result is not None else None
        must_fix = 0
        to_look = 0
        if report is not None:
            counts = report.summary()  # counted on the findings' columns, none is made
            must_fix = counts[Severity.BLOCKER.label] + counts[Severity.ERROR.label]
            to_look = counts[Severity.WARNING.label]
        items = []
        if must_fix:
            items.append(
                f"Fix the {plural(must_fix, 'blocker or error', 'blockers and errors')} in your old software "
                "(or in the exported files), export again if you changed the software, and use "
                "<b>Check again</b> on the Review problems page."
            )
        if to_look:
            items.append(
                f"Look at the {plural(to_look, 'warning')}: they are probably wrong, but only you can tell."
            )
        if not must_fix and not to_look:
            items.append("Nothing needs fixing. Keep the exported files exactly as they are.")
        items.append(
            "Stop entering new data in the old software once you export for the last time: "
            "that date is your cut-off."
        )
        package = self.state.package if self.state.package and self.state.package.path.exists() else None
        self._show_package(package)
        items.append(
            (
                "Send the package to your migration specialist as shown above."
                if package is not None
                else "Tell your migration specialist the check is done."
            )
            + " They take it from here: processing takes 5 business days, longer for large or complex exports."
        )
        self.steps.setText("<ol>" + "".join(f"<li>{i}</li>" for i in items) + "</ol>")
        self._plan()
        self.setFinalPage(True)

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

    def _plan(self) -> None:
        """The timeline for the latest check, in the firm's country and state."""
        result = self.state.result
        report = result.report if result is not None else None
        stages, summary = plan_stages(report, country=self.state.firm_country, subdiv=self.state.firm_subdiv)
        self.timeline.set_stages(stages, "review", summary)
