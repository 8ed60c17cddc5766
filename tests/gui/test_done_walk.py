"""What happens next (issue 17 items 6 and 7): one decision, the timeline's own figures, no future export date."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from migration_assistant.core.checklist import build_checklist
from migration_assistant.core.engine import validate
from migration_assistant.core.export_date import export_date
from migration_assistant.core.timeline import plan_for_report, plan_timeline
from migration_assistant.gui.pages import ids
from migration_assistant.gui.widgets.timeline import processing_text
from tests.gui.exports import USERS, write_csv, write_small_export


def done_page(wizard, folder: Path):  # type: ignore[no-untyped-def]
    wizard.state.result = validate([folder], "template")
    wizard.state.checklist = build_checklist(wizard.state.result)
    page = wizard.page_object(ids.DONE)
    return page


def test_errors_left_mean_fix_first_and_not_send(wizard, tmp_path: Path) -> None:
    page = done_page(wizard, write_small_export(tmp_path))
    wizard.state.checklist.acknowledge_all("Jane Partner")  # every blocker accepted: the errors remain
    page.initializePage()
    text = page.steps.text()
    assert "Fix first, then send" in text and "Send the package now" not in text
    steps = page.next_steps(object(), None)  # a package was made: it must not be sent as it is
    assert "Do not send the package you just made" in steps[0]


def test_only_accepted_limitations_left_mean_send_now(wizard, tmp_path: Path) -> None:
    write_csv(
        tmp_path / "users.csv",
        USERS,
        [["U1", "Jane Lawyer", "jane@firm.example", "JL", "Attorney", "300", "Y"]],
    )
    page = done_page(wizard, tmp_path)
    steps = page.next_steps(object(), None)
    assert steps[0].startswith("<b>Send the package now</b>")
    assert not any("Fix" in s for s in steps)


def test_processing_days_in_the_steps_are_the_timelines(wizard, tmp_path: Path) -> None:
    page = done_page(wizard, write_small_export(tmp_path))
    page.initializePage()
    processing = next(s for s in page.timeline.stages if s.key == "processing")
    assert f"processing takes {processing.duration}" in page.steps.text()

    # With an extension (trust transactions add a day), the sentence says why inline.
    plan = plan_timeline(records={"trust": 3})
    days = plan.stage("processing").business_days
    assert days == 6
    text = processing_text(plan)
    assert text.startswith(
        "processing takes 6 business days (5 as standard; +1 business day: there are trust"
    )


def test_the_export_stage_is_dated_by_the_export_never_in_the_future(wizard, tmp_path: Path) -> None:
    page = done_page(wizard, write_small_export(tmp_path))
    page.initializePage()
    exported = dt.date.fromisoformat(export_date(wizard.state.result))
    export_stage = next(s for s in page.timeline.stages if s.key == "export")
    assert export_stage.dates == f"{exported:%a} {exported.day} {exported:%b}"
    assert exported <= dt.date.today()
    # The package's timeline (the report's) uses the same date.
    assert wizard.state.timeline().stage("export").start == exported
    # A Sunday export is not moved to Monday once it has happened.
    sunday = dt.date(2026, 12, 6)
    plan = plan_for_report(wizard.state.result.report, start=sunday, exported=sunday)
    assert plan.stage("export").start == sunday and plan.stage("review").start == dt.date(2026, 12, 7)
