"""The migration timeline: six stages, the firm's current stage marked in words, colour and weight."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

if TYPE_CHECKING:
    from migration_assistant.core.api import Timeline

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class StageView:
    key: str
    name: str
    what: str
    duration: str
    dates: str = ""


CONSULTATION = StageView(
    "consultation",
    "Consultation",
    "You and the migration specialist talk through your old software: what it can export and what cannot move.",
    "one call",
)

_FALLBACK = (
    CONSULTATION,
    StageView(
        "export",
        "Export",
        "Your staff export every file from the old software, or do it with the "
        "specialist in an export session over a screen share.",
        "about 1 business day",
    ),
    StageView(
        "review", "Data review", "This app checks the export; you fix what it finds.", "about 1 business day"
    ),
    StageView(
        "processing",
        "Processing",
        "The specialist converts and checks your data.",
        "5 business days, longer for large or complex exports",
    ),
    StageView("import", "Import", "Your data is loaded into the new system.", "1 business day"),
    StageView(
        "post-import",
        "Error review",
        "Anything that could not be imported is explained; you ask for corrections.",
        "3 business days",
    ),
)


def _short(day: dt.date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


def plan_stages(
    report: object | None = None,
    start: dt.date | None = None,
    *,
    country: str = "US",
    subdiv: str | None = None,
    exported: dt.date | None = None,
) -> tuple[list[StageView], str]:
    """The six stages with dates from ``core.timeline`` (and a sentence about the whole journey).

    Args:
        report: the latest check's report (its volume and problems may lengthen processing).
        start: the first day (default today).
        country: the firm's country (ISO code), whose public holidays are skipped.
        subdiv: its state or province code, for that place's own holidays.
        exported: the export's date (``core.export_date``) once the export is done.

    Falls back to durations only when the timeline cannot be planned.
    """
    plan = plan_for(report, start, country=country, subdiv=subdiv, exported=exported)
    return stages_of(plan)


def plan_for(
    report: object | None = None,
    start: dt.date | None = None,
    *,
    country: str = "US",
    subdiv: str | None = None,
    exported: dt.date | None = None,
) -> Timeline | None:
    """The dated plan (``core.timeline``), or None when it cannot be planned (see :func:`plan_stages`)."""
    try:
        from migration_assistant.core import api

        if report is not None:
            return api.plan_for_report(
                report,  # type: ignore[arg-type]
                start=start,
                country=country,
                subdiv=subdiv,
                exported=exported,
            )
        return api.plan_timeline(start=start, country=country, subdiv=subdiv, exported=exported)
    except Exception as exc:  # the timeline is helpful, never essential: show durations instead
        log.warning("timeline could not be planned: %s", type(exc).__name__)
        return None


def processing_text(plan: Timeline | None) -> str:
    """How long processing takes, with the reasons for any day over the standard, in one sentence.

    The Done page's steps and the timeline beside them give the same figure this way.
    """
    if plan is None:
        return "processing takes 5 business days, longer for large or complex exports"
    stage = plan.stage("processing")
    days = f"{stage.business_days} business day{'s' if stage.business_days != 1 else ''}"
    reasons = [e.explanation.rstrip(".") for e in plan.extensions if e.stage == "processing"]
    if not reasons:
        return f"processing takes {days}"
    standard = stage.business_days - sum(e.days for e in plan.extensions if e.stage == "processing")
    return f"processing takes {days} ({standard} as standard; {'; '.join(reasons)})"


def stages_of(plan: Timeline | None) -> tuple[list[StageView], str]:
    """The stages to show for *plan* and a sentence about the whole journey (durations only for None)."""
    if plan is None:
        return list(_FALLBACK), "The whole journey takes up to two weeks."
    stages = [CONSULTATION]
    for stage in plan.stages:
        name = "Error review" if stage.key == "post-import" else stage.name
        days = f"{stage.business_days} business day{'s' if stage.business_days != 1 else ''}"
        dates = (
            _short(stage.start)
            if stage.start == stage.end
            else f"{_short(stage.start)} – {_short(stage.end)}"
        )
        stages.append(StageView(stage.key, name, stage.what, days, dates))
    from migration_assistant.gui.firm_place import place_name

    weeks = plan.business_days
    lead = (
        f"From your export on {_short(plan.start)}, the whole journey"
        if plan.start < dt.date.today()
        else "If you start today, the whole journey"
    )
    summary = (
        f"{lead} takes about {weeks} business days and ends around "
        f"{plan.end:%A} {plan.end.day} {plan.end:%B}. Dates skip weekends and public holidays "
        f"({place_name(plan.country, plan.subdiv)})."
    )
    if plan.extensions:
        summary += " " + " ".join(e.explanation for e in plan.extensions)
    return stages, summary


class TimelineView(QWidget):
    """A vertical list of stages; the current one is boxed, bold and labelled "You are here"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timeline")
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(4)
        self._summary = QLabel()
        self._summary.setWordWrap(True)
        self._rows: list[QFrame] = []
        self.current = ""
        self.stages: list[StageView] = []

    def set_stages(self, stages: list[StageView], current: str, summary: str = "") -> None:
        for row in self._rows:
            row.deleteLater()
        self._rows = []
        self._layout.removeWidget(self._summary)
        self.current = current
        self.stages = stages
        keys = [s.key for s in stages]
        here = keys.index(current) if current in keys else -1
        for number, stage in enumerate(stages, start=1):
            state = "done" if number - 1 < here else ("current" if number - 1 == here else "future")
            row = self._row(number, stage, state)
            self._rows.append(row)
            self._layout.addWidget(row)
        self._summary.setText(summary)
        self._summary.setVisible(bool(summary))
        self._layout.addWidget(self._summary)

    def _row(self, number: int, stage: StageView, state: str) -> QFrame:
        frame = QFrame()
        frame.setObjectName("stage")
        frame.setProperty("state", state)
        layout = QHBoxLayout(frame)
        layout.setContentsMargins(8, 4, 8, 4)
        mark = {"done": "\u2713 Done", "current": "\u25b6 You are here", "future": ""}[state]
        number_label = QLabel(f"{number}")
        number_label.setObjectName("stageNumber")
        number_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        number_label.setMinimumWidth(number_label.fontMetrics().horizontalAdvance("00") + 8)
        text = QLabel()
        text.setWordWrap(True)
        text.setTextFormat(Qt.TextFormat.RichText)
        status = f" <i>({mark})</i>" if mark else ""
        text.setText(f"<b>{_esc(stage.name)}</b>{status}<br>{_esc(stage.what)}")
        text.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        when = QLabel(f"{_esc(stage.duration)}" + (f"<br>{_esc(stage.dates)}" if stage.dates else ""))
        when.setTextFormat(Qt.TextFormat.RichText)
        when.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        when.setWordWrap(True)
        when.setMinimumWidth(when.fontMetrics().horizontalAdvance("Mon 30 Sep – Mon 30 Sep"))
        layout.addWidget(number_label, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(text, 1)
        layout.addWidget(when, 0)
        frame.setAccessibleName(
            f"Stage {number}: {stage.name}. {mark}. {stage.duration} {stage.dates}".strip()
        )
        if state == "current":
            font = text.font()
            font.setBold(True)
            number_label.setFont(font)
        return frame


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
