"""The migration timeline: business-day arithmetic with public holidays, and processing extensions."""

from __future__ import annotations

import datetime as dt

import pytest

from migration_assistant.core.findings import Report
from migration_assistant.core.timeline import (
    TimelineRulesError,
    add_business_days,
    business_days_between,
    default_rules,
    holiday_calendar,
    is_business_day,
    next_business_day,
    parse_rules,
    plan_for_report,
    plan_timeline,
)

D = dt.date
US_NY = holiday_calendar("US", "NY")
CA_ON = holiday_calendar("CA", "ON")


def test_a_business_day_after_friday_is_monday() -> None:
    assert add_business_days(D(2026, 11, 20), 1, US_NY) == D(2026, 11, 23)


def test_thanksgiving_is_skipped_in_the_us() -> None:
    wednesday = D(2026, 11, 25)
    assert not is_business_day(D(2026, 11, 26), US_NY)
    assert add_business_days(wednesday, 1, US_NY) == D(2026, 11, 27)
    # Across Thanksgiving and the weekend: Thu (holiday), Fri, Sat, Sun, Mon.
    assert add_business_days(wednesday, 2, US_NY) == D(2026, 11, 30)


def test_canada_day_is_skipped_in_ontario_but_not_in_new_york() -> None:
    assert add_business_days(D(2026, 6, 30), 1, CA_ON) == D(2026, 7, 2)
    assert add_business_days(D(2026, 6, 30), 1, US_NY) == D(2026, 7, 1)


def test_next_business_day_moves_off_weekends_and_holidays() -> None:
    assert next_business_day(D(2026, 11, 21), US_NY) == D(2026, 11, 23)  # Saturday
    assert next_business_day(D(2026, 11, 26), US_NY) == D(2026, 11, 27)  # Thanksgiving
    assert next_business_day(D(2026, 11, 24), US_NY) == D(2026, 11, 24)  # already one


def test_zero_business_days_is_the_same_day_and_negative_is_refused() -> None:
    assert add_business_days(D(2026, 11, 24), 0, US_NY) == D(2026, 11, 24)
    with pytest.raises(ValueError):
        add_business_days(D(2026, 11, 24), -1, US_NY)


def test_business_days_between_counts_both_ends() -> None:
    assert business_days_between(D(2026, 11, 23), D(2026, 11, 27), US_NY) == 4  # Thanksgiving out


def test_unknown_country_is_explained_in_plain_words() -> None:
    with pytest.raises(ValueError, match="two-letter country code"):
        holiday_calendar("XX")
    with pytest.raises(ValueError, match="NY or ON"):
        holiday_calendar("US", "ZZ")


def test_standard_plan_has_five_stages_and_five_days_of_processing() -> None:
    plan = plan_timeline(start=D(2026, 3, 2), country="US", subdiv="NY")  # a Monday, no holidays near
    assert [s.key for s in plan.stages] == ["export", "review", "processing", "import", "post-import"]
    processing = plan.stage("processing")
    assert processing.business_days == 5
    assert business_days_between(processing.start, processing.end, US_NY) == 5
    assert plan.stage("post-import").business_days == 3
    assert plan.extensions == ()
    # Stages follow each other on consecutive business days.
    for before, after in zip(plan.stages, plan.stages[1:], strict=False):
        assert after.start == add_business_days(before.end, 1, US_NY)
    assert plan.end == plan.stages[-1].end
    assert plan.business_days == sum(s.business_days for s in plan.stages)


def test_a_weekend_start_begins_on_monday() -> None:
    plan = plan_timeline(start=D(2026, 2, 28), country="US")  # Saturday
    assert plan.start == D(2026, 3, 2)
    assert plan.stages[0].start == D(2026, 3, 2)


def test_thanksgiving_inside_processing_is_explained_and_pushes_the_end() -> None:
    plan = plan_timeline(start=D(2026, 11, 19), country="US", subdiv="NY")
    processing = plan.stage("processing")
    assert processing.start == D(2026, 11, 23)
    # Mon 23, Tue 24, Wed 25, (Thu 26 holiday), Fri 27, Mon 30.
    assert processing.end == D(2026, 11, 30)
    assert any("Thanksgiving" in e for e in processing.explanations)
    assert (D(2026, 11, 26), "Thanksgiving Day") in plan.holidays_skipped


def test_volume_trust_and_blockers_extend_processing_with_reasons() -> None:
    plan = plan_timeline(
        start=D(2026, 3, 2),
        records={"activities": 150_000, "trust": 12},
        summary={"blocker": 7, "error": 0, "warning": 0, "info": 0},
    )
    by_rule = {e.rule_id: e for e in plan.extensions}
    assert by_rule["activities-over-100k"].days == 2
    assert by_rule["trust"].days == 1
    assert by_rule["blockers"].days == 2  # 1 per 5 blockers, or part of 5
    assert "activities-over-1m" not in by_rule
    processing = plan.stage("processing")
    assert processing.business_days == 5 + 2 + 1 + 2
    assert any("150,000" in e for e in processing.explanations)
    assert any("2 business days" in e and "7" in e for e in processing.explanations)


def test_blocker_extension_is_capped() -> None:
    plan = plan_timeline(start=D(2026, 3, 2), summary={"blocker": 100})
    assert {e.rule_id: e.days for e in plan.extensions}["blockers"] == 5


def test_plan_for_report_uses_the_records_findings_and_files() -> None:
    report = Report(source="template", records={"activities": 1_200_000, "trust": 0})
    plan = plan_for_report(report, start=D(2026, 3, 2))
    ids = {e.rule_id for e in plan.extensions}
    assert ids == {"activities-over-100k", "activities-over-1m"}
    assert "trust" not in ids


def test_export_session_changes_who_does_the_export() -> None:
    plan = plan_timeline(start=D(2026, 3, 2), export_session=True)
    assert plan.stages[0].name == "Export session"
    assert "specialist" in plan.stages[0].who


def test_default_start_is_today_or_the_next_business_day() -> None:
    plan = plan_timeline(country="US")
    assert plan.start >= dt.date.today()
    assert plan.start - dt.date.today() < dt.timedelta(days=7)


def test_to_json_is_plain_data() -> None:
    data = plan_timeline(start=D(2026, 11, 19), subdiv="NY", records={"trust": 1}).to_json()
    assert data["start"] == "2026-11-19"
    assert data["stages"][2]["key"] == "processing"
    assert data["extensions"][0]["rule"] == "trust"
    assert data["holidays_skipped"][0]["name"] == "Thanksgiving Day"


def test_bundled_rules_load_and_bad_rules_are_named() -> None:
    assert default_rules().stages[2].days == 5
    stage = {"key": "processing", "name": "P", "days": 5, "who": "x", "what": "y"}
    with pytest.raises(TimelineRulesError, match="op"):
        parse_rules(
            {
                "stages": [stage],
                "extensions": [
                    {"id": "bad", "metric": "files", "op": "~", "value": 1, "days": 1, "explanation": ""}
                ],
            }
        )
    with pytest.raises(TimelineRulesError, match="no stage"):
        parse_rules(
            {
                "stages": [stage],
                "extensions": [
                    {
                        "id": "bad",
                        "stage": "nope",
                        "metric": "files",
                        "op": ">",
                        "value": 1,
                        "days": 1,
                        "explanation": "",
                    }
                ],
            }
        )
    with pytest.raises(TimelineRulesError, match="days"):
        parse_rules({"stages": [{**stage, "days": 0}]})
