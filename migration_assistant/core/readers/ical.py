"""iCalendar (.ics) files: calendar events exported from Outlook, Google, Apple or a practice system.

Each VEVENT becomes one ``calendar`` row, traced to the line of its ``BEGIN:VEVENT``.
Parsing is done by the ``icalendar`` library; this module only finds where each event
starts, turns its values into the template's text, and explains what cannot move as is.

Decisions:

* **Times** are copied as the clock time of the event's own time zone (``TZID``), without
  conversion, because the new system stores the time the user sees. Windows zone names
  ("Pacific Standard Time") and 8-bit zone names therefore need no mapping. Times stored
  in UTC (``...Z``) are converted to the calendar's ``X-WR-TIMEZONE`` when it names a
  known zone, and otherwise kept as UTC and flagged, since they are rarely the firm's
  local time.
* **All-day events** (``DATE`` values) keep dates only; iCalendar's end date is the day
  *after* the event, so the inclusive last day is stored.
* **Recurring events** (``RRULE``) stay one row holding the first occurrence, with an
  info finding that spells the rule out. Expanding them is not done: a rule without an
  end ("every weekday") never finishes, and hundreds of unlinked copies could not be
  edited as a series in the new system. Moved occurrences (``RECURRENCE-ID``) become
  their own rows with ID ``UID#YYYYMMDDTHHMMSS``; cancelled ones and cancelled events
  are left out and noted.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from icalendar import Component, vBroken

from migration_assistant.core.findings import Finding, Severity
from migration_assistant.core.readers.common import (
    build_table,
    decode_text,
    load,
    make_finding,
    plural,
    split_lines,
)
from migration_assistant.core.readers.table import SourceTable

_ENTITY = "calendar"
_BEGIN = re.compile(r"BEGIN:(VEVENT|VTODO|VJOURNAL|VTIMEZONE|VCALENDAR)\s*$", re.IGNORECASE)
_END = re.compile(r"END:(VEVENT|VTIMEZONE)\s*$", re.IGNORECASE)
_WR_TIMEZONE = re.compile(r"X-WR-TIMEZONE[;:](?:.*:)?\s*(\S+)\s*$", re.IGNORECASE)

_FREQUENCIES = {
    "SECONDLY": ("second", "every second"),
    "MINUTELY": ("minute", "every minute"),
    "HOURLY": ("hour", "hourly"),
    "DAILY": ("day", "daily"),
    "WEEKLY": ("week", "weekly"),
    "MONTHLY": ("month", "monthly"),
    "YEARLY": ("year", "yearly"),
}
_DAYS = {
    "MO": "Monday",
    "TU": "Tuesday",
    "WE": "Wednesday",
    "TH": "Thursday",
    "FR": "Friday",
    "SA": "Saturday",
    "SU": "Sunday",
}
_ORDINALS = {"1": "first", "2": "second", "3": "third", "4": "fourth", "5": "fifth", "-1": "last"}


@dataclass(slots=True)
class _Block:
    """Where one VEVENT sits in the file."""

    start: int
    end: int | None
    lines: list[str]


@dataclass(slots=True)
class _Scan:
    events: list[_Block]
    timezones: list[str]
    other: Counter[str]
    wr_timezone: str | None
    has_calendar: bool


def read_ics(path: Path, display_name: str) -> list[SourceTable]:
    """Read an iCalendar file into one ``calendar`` table.

    Args:
        path: The file.
        display_name: The name findings and the report use for it.

    Returns:
        One table; its row numbers are the lines of each ``BEGIN:VEVENT``.

    Raises:
        UnreadableFile: the file could not be read at all.
    """
    raw = load(path, display_name)
    text, encoding = decode_text(raw.data, fallback="cp1252")
    reader = _IcsReader(raw.file)
    if encoding in ("cp1252", "latin-1"):
        reader.note(
            "ics-encoding",
            Severity.WARNING,
            None,
            "The file is not in UTF-8 as iCalendar requires; it was read as Windows-1252, "
            "so accented letters may be wrong.",
            "Check names and places with accents; export the calendar again if they look garbled.",
        )
    reader.read(text)
    return [
        build_table(
            raw,
            role=_ENTITY,
            fmt="ics",
            encoding=encoding,
            records=reader.records,
            rows=reader.rows,
            findings=reader.findings,
        )
    ]


def _scan(lines: list[str]) -> _Scan:
    events: list[_Block] = []
    timezones: list[str] = []
    other: Counter[str] = Counter()
    wr_timezone: str | None = None
    has_calendar = False
    current: _Block | None = None
    tz_lines: list[str] | None = None
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        begin = _BEGIN.match(stripped)
        if begin:
            kind = begin.group(1).upper()
            if kind == "VEVENT":
                if current is not None:
                    events.append(current)  # never closed: the next event starts regardless
                current = _Block(number, None, [])
            elif kind == "VTIMEZONE":
                tz_lines = []
            elif kind == "VCALENDAR":
                has_calendar = True
            else:
                other[kind] += 1
        if current is not None:
            current.lines.append(line)
        if tz_lines is not None:
            tz_lines.append(line)
        end = _END.match(stripped)
        if end and end.group(1).upper() == "VEVENT" and current is not None:
            current.end = number
            events.append(current)
            current = None
        elif end and tz_lines is not None:
            timezones.append("\r\n".join(tz_lines))
            tz_lines = None
        wr = _WR_TIMEZONE.match(stripped)
        if wr and current is None:
            wr_timezone = wr.group(1)
    if current is not None:
        events.append(current)
    return _Scan(events, timezones, other, wr_timezone, has_calendar)


def _prop_dt(prop: Any) -> Any:
    """The Python value of a date/time property, or None when it is absent or broken."""
    if isinstance(prop, list):
        prop = prop[0] if prop else None
    if prop is None or isinstance(prop, vBroken):
        return None
    try:
        return prop.dt
    except Exception:  # icalendar raises its own error for a value it could not parse
        return None


def _text(event: Any, name: str) -> str:
    value = event.get(name)
    if value is None:
        return ""
    parts = value if isinstance(value, list) else [value]
    text = "\n".join(str(p) for p in parts if str(p))
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def _clock(value: dt.datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M")


def _compact(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.strftime("%Y%m%dT%H%M%S")
    if isinstance(value, dt.date):
        return value.strftime("%Y%m%d")
    return str(value)


class _IcsReader:
    """Turns the events of one calendar file into rows and findings."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.records: list[dict[str, str]] = []
        self.rows: list[int] = []
        self.findings: list[Finding] = []
        self._zones: Counter[str] = Counter()
        self._local_zone: zoneinfo.ZoneInfo | None = None
        self._local_name = ""

    def note(
        self,
        rule: str,
        severity: Severity,
        row: int | None,
        message: str,
        hint: str,
        *,
        column: str | None = None,
        value: str | None = None,
    ) -> None:
        """Record a finding about this file."""
        self.findings.append(
            make_finding(rule, severity, _ENTITY, self.file, row, message, hint, column=column, value=value)
        )

    # ------------------------------------------------------------------ reading

    def read(self, text: str) -> None:
        """Read every event of the calendar text."""
        scan = _scan(split_lines(text))
        if not scan.events and not scan.has_calendar and not scan.other:
            self.note(
                "ics-parse",
                Severity.BLOCKER,
                None,
                "This is not a calendar file: it has no BEGIN:VCALENDAR or BEGIN:VEVENT line.",
                "Export the calendar again as an iCalendar (.ics) file.",
            )
            return
        if scan.wr_timezone:
            try:
                self._local_zone = zoneinfo.ZoneInfo(scan.wr_timezone)
                self._local_name = scan.wr_timezone
            except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):  # "Europe" is a folder
                self._local_zone = None
        for block in scan.events:
            if block.end is None:
                self.note(
                    "ics-parse",
                    Severity.ERROR,
                    block.start,
                    f"The event starting on line {block.start} has no END:VEVENT line; the file may be "
                    "cut short. What could be read of it is kept.",
                    "Export the calendar again and check that the file is complete.",
                )
        for block, event in self._parse(text, scan):
            try:
                self._event(block, event)
            except Exception as exc:  # icalendar values can fail on access; one event must not stop the rest
                self.note(
                    "ics-parse",
                    Severity.ERROR,
                    block.start,
                    f"The event starting on line {block.start} could not be read ({exc}); it is not migrated.",
                    "Open the calendar in its program, check this event and export again.",
                )
        self._summaries(scan)

    def _parse(self, text: str, scan: _Scan) -> list[tuple[_Block, Any]]:
        """Pair each VEVENT block with the parsed event, parsing block by block if need be."""
        if all(block.end is not None for block in scan.events):
            try:
                components = Component.from_ical(text, multiple=True)
                events = [e for c in components for e in c.walk("VEVENT")]
            except Exception:  # the whole-file parse failed; fall back to one event at a time
                events = []
            if len(events) == len(scan.events):
                return list(zip(scan.events, events, strict=True))
        pairs: list[tuple[_Block, Any]] = []
        zones = "\r\n".join(scan.timezones)
        for block in scan.events:
            body = list(block.lines) + ([] if block.end is not None else ["END:VEVENT"])
            wrapped = "\r\n".join(["BEGIN:VCALENDAR", zones, *body, "END:VCALENDAR", ""])
            try:
                found = [e for c in Component.from_ical(wrapped, multiple=True) for e in c.walk("VEVENT")]
            except Exception as exc:  # a damaged event must not stop the others from being read
                self.note(
                    "ics-parse",
                    Severity.ERROR,
                    block.start,
                    f"The event starting on line {block.start} could not be read ({exc}); it is not migrated.",
                    "Open the calendar in its program, check this event and export again.",
                )
                continue
            if found:
                pairs.append((block, found[0]))
        return pairs

    def _event(self, block: _Block, event: Any) -> None:
        title = _text(event, "SUMMARY")
        uid = _text(event, "UID")
        recurrence_id = _prop_dt(event.get("RECURRENCE-ID"))
        self._report_errors(block, event, title)
        start_value = _prop_dt(event.get("DTSTART"))
        start_text, end_text, all_day, zone = self._times(event, start_value)
        label = f"“{title}”" if title else f"the event on line {block.start}"
        if _text(event, "STATUS").upper() == "CANCELLED":
            if recurrence_id is not None:
                message = f"The occurrence on {self._plain(recurrence_id, event)} of {label} was cancelled"
            else:
                message = f"{_cap(label)} is marked cancelled"
            self.note(
                "ics-cancelled",
                Severity.INFO,
                block.start,
                message + ", so it is not migrated.",
                "Nothing to do, unless the event should still appear in the new calendar.",
                column="Event ID",
                value=uid or None,
            )
            return
        if not uid:
            uid = f"ics-{block.start}"
            self.note(
                "ics-no-uid",
                Severity.INFO,
                block.start,
                f"{_cap(label)} has no UID (the calendar's own event ID); it is given "
                f"the ID {uid} from its line number.",
                "Nothing to do; the ID only has to be unique within the migration.",
                column="Event ID",
                value=uid,
            )
        event_id = uid
        if recurrence_id is not None:
            event_id = f"{uid}#{_compact(recurrence_id)}"
            self.note(
                "ics-override",
                Severity.INFO,
                block.start,
                f"{_cap(label)} is a changed occurrence (originally "
                f"{self._plain(recurrence_id, event)}) of a repeating event; it is migrated as a "
                "separate event.",
                "Nothing to do.",
                column="Event ID",
                value=event_id,
            )
        self._recurrence(block, event, label, start_text)
        if zone:
            self._zones[zone] += 1
        self.records.append(
            {
                "Event ID": event_id,
                "Title": title,
                "Start": start_text,
                "End": end_text,
                "All Day": "Y" if all_day else "N",
                "Location": _text(event, "LOCATION"),
                "Matter Number": "",
                "Description": _text(event, "DESCRIPTION"),
            }
        )
        self.rows.append(block.start)

    def _report_errors(self, block: _Block, event: Any, title: str) -> None:
        for name, error in getattr(event, "errors", []) or []:
            what = f"the {name} value" if name else "a line"
            raw = event.get(name) if name else None
            shown = _text(event, name) if raw is not None else None
            self.note(
                "ics-parse",
                Severity.WARNING,
                block.start,
                f"In the event {'“' + title + '” ' if title else ''}starting on line {block.start}, "
                f"{what} could not be read: {error}",
                "Open the event in the calendar program, correct it and export again.",
                column={"DTSTART": "Start", "DTEND": "End"}.get(name or ""),
                value=shown,
            )

    # ------------------------------------------------------------------ times

    def _times(self, event: Any, start: Any) -> tuple[str, str, bool, str | None]:
        """Start, end (inclusive for all-day events), all-day flag and the zone the times are in."""
        if start is None:
            raw = event.get("DTSTART")
            return (str(raw) if raw is not None else ""), "", False, None
        end = _prop_dt(event.get("DTEND"))
        duration = _prop_dt(event.get("DURATION"))
        if not isinstance(start, dt.datetime):
            return self._all_day(start, end, duration)
        local_start, zone = self._local(start, event.get("DTSTART"))
        if isinstance(end, dt.datetime):
            local_end = self._end_in_zone(start, end, event.get("DTSTART"), event.get("DTEND"))
        elif isinstance(end, dt.date):
            local_end = dt.datetime.combine(end, dt.time())
        elif isinstance(duration, dt.timedelta):
            local_end = local_start + duration
        else:
            # RFC 5545: a timed event without an end ends when it starts.
            local_end = local_start
        return _clock(local_start), _clock(local_end), False, zone

    def _all_day(self, start: dt.date, end: Any, duration: Any) -> tuple[str, str, bool, str | None]:
        if isinstance(end, dt.datetime):
            last = end.date()
        elif isinstance(end, dt.date):
            # DTEND of an all-day event is the first day *after* it.
            last = end - dt.timedelta(days=1)
        elif isinstance(duration, dt.timedelta) and duration.days > 0:
            last = start + dt.timedelta(days=duration.days - 1)
        else:
            last = start
        return start.isoformat(), max(last, start).isoformat(), True, None

    def _local(self, value: dt.datetime, prop: Any) -> tuple[dt.datetime, str | None]:
        """The clock time to store, and the name of the zone it is in (None for floating times)."""
        params = getattr(prop, "params", {}) or {}
        tzid = params.get("TZID")
        if tzid:
            return value.replace(tzinfo=None), str(tzid)
        if value.tzinfo is None:
            return value, None
        if value.utcoffset() == dt.timedelta(0) and self._local_zone is not None:
            return value.astimezone(self._local_zone).replace(tzinfo=None), self._local_name
        offset = value.utcoffset()
        return value.replace(tzinfo=None), "UTC" if offset == dt.timedelta(0) else str(value.tzinfo)

    def _end_in_zone(
        self, start: dt.datetime, end: dt.datetime, start_prop: Any, end_prop: Any
    ) -> dt.datetime:
        start_zone = (getattr(start_prop, "params", {}) or {}).get("TZID")
        end_zone = (getattr(end_prop, "params", {}) or {}).get("TZID")
        if start_zone and end_zone != start_zone and start.tzinfo is not None and end.tzinfo is not None:
            try:
                # An end in another zone (a flight) is shown in the start's zone.
                return end.astimezone(start.tzinfo).replace(tzinfo=None)
            except (ValueError, OverflowError):
                pass
        local, _ = self._local(end, end_prop)
        return local

    def _plain(self, value: Any, event: Any) -> str:
        if isinstance(value, dt.datetime):
            local, _ = self._local(value, event.get("RECURRENCE-ID"))
            return _clock(local)
        if isinstance(value, dt.date):
            return value.isoformat()
        return str(value)

    # ------------------------------------------------------------------ recurrence and summaries

    def _recurrence(self, block: _Block, event: Any, label: str, start_text: str) -> None:
        rule = event.get("RRULE")
        if rule is None:
            return
        rules = rule if isinstance(rule, list) else [rule]
        try:
            rule_text = "; ".join(r.to_ical().decode("utf-8", "replace") for r in rules)
        except Exception:  # a broken rule still gets its raw text shown
            rule_text = "; ".join(str(r) for r in rules)
        described = _describe_rule(rules[0])
        extras = []
        exdates = _count_dates(event.get("EXDATE"))
        rdates = _count_dates(event.get("RDATE"))
        if exdates:
            extras.append(f"{plural(exdates, 'date')} skipped")
        if rdates:
            extras.append(f"{plural(rdates, 'extra date')}")
        detail = f" ({', '.join(extras)})" if extras else ""
        first = f", on {start_text}" if start_text else ""
        self.note(
            "ics-recurring",
            Severity.INFO,
            block.start,
            f"{_cap(label)} repeats {described}{detail}. The new system receives it "
            f"once, as the first occurrence{first}; the repeat rule is not carried over.",
            "If the series is still needed, set up the repeat again in the new calendar (the rule "
            "is shown as the value).",
            column="Start",
            value=rule_text,
        )

    def _summaries(self, scan: _Scan) -> None:
        if self._zones:
            zones = ", ".join(f"{zone} ({n})" for zone, n in self._zones.most_common())
            self.note(
                "ics-timezone",
                Severity.INFO,
                None,
                "Event times are copied as the clock time of the time zone they were entered in, "
                f"without conversion: {zones}.",
                "If the firm works in a different time zone, the new calendar's times need adjusting.",
                value=", ".join(self._zones),
            )
        if "UTC" in self._zones:
            self.note(
                "ics-utc",
                Severity.WARNING,
                None,
                f"{plural(self._zones['UTC'], 'event')} stored in universal time (UTC), and the file does "
                "not say which time zone the firm uses, so their times are UTC clock times, not local "
                "ones.",
                "Shift these events' times to the firm's time zone, or export the calendar again with "
                "local times.",
            )
        names = {"VTODO": "to-do item", "VJOURNAL": "journal entry"}
        for kind, count in sorted(scan.other.items()):
            self.note(
                "ics-not-migrated",
                Severity.INFO,
                None,
                f"The file also holds {plural(count, names.get(kind, kind), None)} ({kind}); only events "
                "are read from calendar files.",
                "Export tasks separately if they should be migrated.",
            )


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _count_dates(prop: Any) -> int:
    if prop is None:
        return 0
    count = 0
    for item in prop if isinstance(prop, list) else [prop]:
        if isinstance(item, vBroken):
            continue  # reported with the event's other unreadable values
        dts = getattr(item, "dts", None)
        count += len(dts) if dts is not None else 1
    return count


def _describe_rule(rule: Any) -> str:
    """An RRULE in plain English, e.g. "weekly on Tuesday until 2012-07-03"."""
    if isinstance(rule, vBroken) or not hasattr(rule, "get"):
        return f"by a rule that could not be read ({rule})"
    try:
        freq = str(rule.get("FREQ", [""])[0]).upper()
        interval = int(rule.get("INTERVAL", [1])[0])
    except (AttributeError, IndexError, TypeError, ValueError):
        return f"by the rule {rule}"
    unit, adverb = _FREQUENCIES.get(freq, (freq.lower() or "period", freq.lower() or "regularly"))
    text = f"every {interval} {unit}s" if interval > 1 else adverb
    days = [_day(str(d)) for d in rule.get("BYDAY", [])]
    if days:
        text += " on " + ", ".join(days)
    month_days = [str(d) for d in rule.get("BYMONTHDAY", [])]
    if month_days:
        text += " on day " + ", ".join(month_days)
    until = rule.get("UNTIL", [])
    count = rule.get("COUNT", [])
    if until:
        value = until[0]
        text += " until " + (value.date().isoformat() if isinstance(value, dt.datetime) else str(value))
    elif count:
        text += f", {count[0]} times"
    else:
        text += ", with no end date"
    return text


def _day(code: str) -> str:
    match = re.fullmatch(r"([+-]?\d+)?([A-Z]{2})", code.upper())
    if not match:
        return code
    ordinal, day = match.groups()
    name = _DAYS.get(day, day)
    if ordinal:
        return f"the {_ORDINALS.get(ordinal.lstrip('+'), ordinal)} {name}"
    return name
