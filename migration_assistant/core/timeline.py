"""The expected migration timeline, in business days of the firm's own jurisdiction.

The vendor's published timeline is: export, review, processing (5 business days,
longer for volume and complexity), import, then 3 business days for the firm to
review. This module turns it into dates: weekends and the public holidays of the
firm's country and state/province are skipped, and processing is extended by the
rules in ``resources/timeline-rules.json``, each with an explanation the firm sees.
The durations and rules are data so a specialist can adjust them without a release.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import holidays

from migration_assistant.core.findings import Report
from migration_assistant.core.resources import resource_path

_OPS: dict[str, Callable[[float, float], bool]] = {
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "<": operator.lt,
    "<=": operator.le,
}


class TimelineRulesError(ValueError):
    """The timeline rules file is not valid (the message says where)."""


@dataclass(frozen=True, slots=True)
class StageRule:
    """How a stage is described and how long it takes before extensions."""

    key: str
    name: str
    days: int
    who: str
    what: str
    explanation: str = ""
    session_name: str | None = None
    session_who: str | None = None


@dataclass(frozen=True, slots=True)
class ExtensionRule:
    """Extra business days for a stage when a metric of the export passes a threshold."""

    id: str
    stage: str
    metric: str
    op: str
    value: float
    days: int
    explanation: str
    per: int | None = None
    max_days: int | None = None

    def extra_days(self, count: float) -> int:
        """Days this rule adds for a metric equal to *count* (0 when its condition is false)."""
        if not _OPS[self.op](count, self.value):
            return 0
        days = self.days
        if self.per:
            # "+1 per 5": every 5 units, or part of 5, above the threshold.
            days = self.days * max(1, math.ceil((count - self.value) / self.per))
        return min(days, self.max_days) if self.max_days is not None else days


@dataclass(frozen=True, slots=True)
class TimelineRules:
    stages: tuple[StageRule, ...]
    extensions: tuple[ExtensionRule, ...]


@dataclass(frozen=True, slots=True)
class Extension:
    """One extension that applies to this export, with the reason shown to the firm."""

    rule_id: str
    stage: str
    days: int
    explanation: str


@dataclass(frozen=True, slots=True)
class Stage:
    """One stage with its dates (both inclusive, both business days)."""

    key: str
    name: str
    start: dt.date
    end: dt.date
    business_days: int
    who: str
    what: str
    explanations: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "name": self.name,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "business_days": self.business_days,
            "who": self.who,
            "what": self.what,
            "explanations": list(self.explanations),
        }


@dataclass(frozen=True, slots=True)
class Timeline:
    """The dated plan from the first stage to the end of the post-import review."""

    start: dt.date
    country: str
    subdiv: str | None
    stages: tuple[Stage, ...]
    extensions: tuple[Extension, ...]
    holidays_skipped: tuple[tuple[dt.date, str], ...]

    @property
    def end(self) -> dt.date:
        return self.stages[-1].end if self.stages else self.start

    @property
    def business_days(self) -> int:
        return sum(s.business_days for s in self.stages)

    def stage(self, key: str) -> Stage:
        for s in self.stages:
            if s.key == key:
                return s
        raise KeyError(f"no stage {key!r}; stages: {', '.join(s.key for s in self.stages)}")

    def to_json(self) -> dict[str, Any]:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "country": self.country,
            "subdiv": self.subdiv,
            "business_days": self.business_days,
            "stages": [s.to_json() for s in self.stages],
            "extensions": [
                {"rule": e.rule_id, "stage": e.stage, "days": e.days, "explanation": e.explanation}
                for e in self.extensions
            ],
            "holidays_skipped": [{"date": d.isoformat(), "name": n} for d, n in self.holidays_skipped],
        }


# ---------------------------------------------------------------- business days


def holiday_calendar(country: str, subdiv: str | None = None) -> holidays.HolidayBase:
    """The public holidays of a country (ISO code such as "US", "CA") and optional subdivision.

    Raises:
        ValueError: in plain words, when the country or subdivision is unknown.
    """
    try:
        return holidays.country_holidays(
            country.strip().upper(), subdiv=subdiv.strip().upper() if subdiv else None
        )
    except NotImplementedError as exc:
        raise ValueError(
            f"Public holidays are not known for “{country}{'-' + subdiv if subdiv else ''}”: "
            "use a two-letter country code such as US or CA and, if needed, a state or province code "
            f"such as NY or ON ({exc})."
        ) from None


def is_business_day(day: dt.date, calendar: Mapping[dt.date, str]) -> bool:
    """Monday to Friday and not a public holiday."""
    return day.weekday() < 5 and day not in calendar


def next_business_day(day: dt.date, calendar: Mapping[dt.date, str]) -> dt.date:
    """*day* itself when it is a business day, otherwise the first business day after it."""
    while not is_business_day(day, calendar):
        day += dt.timedelta(days=1)
    return day


def add_business_days(day: dt.date, count: int, calendar: Mapping[dt.date, str]) -> dt.date:
    """The date *count* business days after *day* (*day* itself not counted).

    ``add_business_days(friday, 1, cal)`` is the next Monday when that Monday is not a
    holiday. A *count* of 0 returns *day* unchanged.
    """
    if count < 0:
        raise ValueError("count must be zero or more")
    for _ in range(count):
        day = next_business_day(day + dt.timedelta(days=1), calendar)
    return day


def business_days_between(first: dt.date, last: dt.date, calendar: Mapping[dt.date, str]) -> int:
    """How many business days from *first* to *last*, both included."""
    count = 0
    day = first
    while day <= last:
        count += is_business_day(day, calendar)
        day += dt.timedelta(days=1)
    return count


# ---------------------------------------------------------------- rules


def _require(raw: Mapping[str, Any], key: str, where: str) -> Any:
    if key not in raw:
        raise TimelineRulesError(f"{where}: “{key}” is missing")
    return raw[key]


def parse_rules(data: Mapping[str, Any]) -> TimelineRules:
    """Build the rules from the JSON structure of ``timeline-rules.json``.

    Raises:
        TimelineRulesError: naming the stage or rule that is wrong.
    """
    stages = []
    for i, raw in enumerate(_require(data, "stages", "timeline rules")):
        where = f"stage {i + 1}"
        days = int(_require(raw, "days", where))
        if days < 1:
            raise TimelineRulesError(f"{where}: “days” must be at least 1")
        stages.append(
            StageRule(
                key=str(_require(raw, "key", where)),
                name=str(_require(raw, "name", where)),
                days=days,
                who=str(_require(raw, "who", where)),
                what=str(_require(raw, "what", where)),
                explanation=str(raw.get("explanation", "")),
                session_name=raw.get("session_name"),
                session_who=raw.get("session_who"),
            )
        )
    keys = {s.key for s in stages}
    extensions = []
    for i, raw in enumerate(data.get("extensions", [])):
        where = f"extension {raw.get('id', i + 1)}"
        op = str(_require(raw, "op", where))
        if op not in _OPS:
            raise TimelineRulesError(f"{where}: “op” must be one of {', '.join(_OPS)}")
        stage = str(raw.get("stage", "processing"))
        if stage not in keys:
            raise TimelineRulesError(f"{where}: there is no stage “{stage}”")
        per = raw.get("per")
        extensions.append(
            ExtensionRule(
                id=str(_require(raw, "id", where)),
                stage=stage,
                metric=str(_require(raw, "metric", where)),
                op=op,
                value=float(_require(raw, "value", where)),
                days=int(_require(raw, "days", where)),
                explanation=str(_require(raw, "explanation", where)),
                per=int(per) if per else None,
                max_days=int(raw["max_days"]) if raw.get("max_days") is not None else None,
            )
        )
    return TimelineRules(tuple(stages), tuple(extensions))


@cache
def default_rules() -> TimelineRules:
    """The bundled ``resources/timeline-rules.json``."""
    return load_rules(resource_path("resources", "timeline-rules.json"))


def load_rules(path: Path) -> TimelineRules:
    """Read a timeline rules file (the bundled one, or a specialist's own)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise TimelineRulesError(f"The timeline rules in {path} could not be read: {exc}") from exc
    return parse_rules(data)


def metrics_of(
    records: Mapping[str, int] | None = None,
    summary: Mapping[str, int] | None = None,
    files: int = 0,
) -> dict[str, float]:
    """The numbers extension rules can test: ``records.<entity>``, ``records.total``,
    ``findings.<severity>`` and ``files``."""
    out: dict[str, float] = {f"records.{k}": float(v) for k, v in (records or {}).items()}
    out["records.total"] = float(sum((records or {}).values()))
    out.update({f"findings.{k}": float(v) for k, v in (summary or {}).items()})
    out["files"] = float(files)
    return out


def _explain(rule: ExtensionRule, count: float, days: int) -> str:
    try:
        days_text = f"{days} business day{'' if days == 1 else 's'}"
        return rule.explanation.format(count=int(count), days=days, days_text=days_text)
    except (KeyError, IndexError, ValueError):
        # A specialist's own wording with a typo in a placeholder still shows, unformatted.
        return rule.explanation


# ---------------------------------------------------------------- the plan


def plan_timeline(
    *,
    start: dt.date | None = None,
    country: str = "US",
    subdiv: str | None = None,
    records: Mapping[str, int] | None = None,
    summary: Mapping[str, int] | None = None,
    files: int = 0,
    export_session: bool = False,
    rules: TimelineRules | None = None,
    exported: dt.date | None = None,
) -> Timeline:
    """Date every stage from *start*, extending processing for the export's volume and problems.

    Args:
        start: the day the export begins (default today); a weekend or holiday moves
            it to the next business day.
        country: ISO country code of the firm ("US", "CA", "GB", "AU"...).
        subdiv: state or province code ("NY", "ON"...), for its own holidays.
        records: records per entity (``Report.records``).
        summary: findings per severity (``Report.summary()``).
        files: how many files (or sheets) the export has.
        export_session: the export is done with the specialist over a screen share.
        rules: stage durations and extensions (default: the bundled rules).
        exported: the day the export was made, once it has been (``core.export_date``): the
            export stage is dated that day, never later, and the next stages start from *start*.

    Raises:
        ValueError: an unknown country or subdivision.
    """
    plan = rules or default_rules()
    calendar = holiday_calendar(country, subdiv)
    first = start or dt.date.today()
    metrics = metrics_of(records, summary, files)

    applied: list[Extension] = []
    for ext in plan.extensions:
        count = metrics.get(ext.metric, 0.0)
        days = ext.extra_days(count)
        if days:
            applied.append(Extension(ext.id, ext.stage, days, _explain(ext, count, days)))

    stages: list[Stage] = []
    skipped: list[tuple[dt.date, str]] = []
    day = next_business_day(first, calendar)
    # Holidays are reported with the stage they delay, including those in the gap before it.
    window = first
    for rule in plan.stages:
        if exported is not None and rule.key == "export":
            # Already done: dated when it happened, not planned from today (a weekend would put it
            # on Monday, in the future, while the firm is already reviewing).
            stages.append(
                Stage(
                    key=rule.key,
                    name=(rule.session_name or rule.name) if export_session else rule.name,
                    start=exported,
                    end=exported,
                    business_days=rule.days,
                    who=(rule.session_who or rule.who) if export_session else rule.who,
                    what=rule.what,
                    explanations=(rule.explanation,) if rule.explanation else (),
                )
            )
            continue
        extra = [e for e in applied if e.stage == rule.key]
        length = rule.days + sum(e.days for e in extra)
        end = add_business_days(day, length - 1, calendar)
        inside = _holidays_in(window, end, calendar)
        window = end + dt.timedelta(days=1)
        skipped.extend(inside)
        explanations = [rule.explanation] if rule.explanation else []
        explanations.extend(e.explanation for e in extra)
        explanations.extend(
            f"{name} ({when:%a %d %b %Y}) is a public holiday and is not counted." for when, name in inside
        )
        stages.append(
            Stage(
                key=rule.key,
                name=(rule.session_name or rule.name) if export_session else rule.name,
                start=day,
                end=end,
                business_days=length,
                who=(rule.session_who or rule.who) if export_session else rule.who,
                what=rule.what,
                explanations=tuple(explanations),
            )
        )
        day = add_business_days(end, 1, calendar)
    return Timeline(
        start=stages[0].start if stages else first,
        country=country.upper(),
        subdiv=subdiv.upper() if subdiv else None,
        stages=tuple(stages),
        extensions=tuple(applied),
        holidays_skipped=tuple(skipped),
    )


def plan_for_report(report: Report, **kwargs: Any) -> Timeline:
    """:func:`plan_timeline` with the record counts, findings and files of a validation run."""
    return plan_timeline(records=report.records, summary=report.summary(), files=len(report.files), **kwargs)


def _holidays_in(first: dt.date, last: dt.date, calendar: holidays.HolidayBase) -> list[tuple[dt.date, str]]:
    """Holidays on weekdays between two dates: the ones that actually moved the plan."""
    out: list[tuple[dt.date, str]] = []
    day = first
    while day <= last:
        if day.weekday() < 5 and day in calendar:
            out.append((day, str(calendar.get(day))))
        day += dt.timedelta(days=1)
    return out
