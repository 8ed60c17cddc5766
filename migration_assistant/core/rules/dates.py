"""Date rules: formats per column, impossible and out-of-range dates, Excel serials, order of dates."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd

from migration_assistant.core.dataset import EntityData
from migration_assistant.core.findings import Severity
from migration_assistant.core.normalise import ParsedColumn
from migration_assistant.core.rules.base import CheckContext, rule

# Dates that record what already happened; a calendar event or a due date may be in the future.
HISTORIC = {
    ("activities", "date"),
    ("trust", "date"),
    ("bills", "issue_date"),
    ("matters", "open_date"),
    ("matters", "close_date"),
    ("notes", "date"),
}
_EARLIEST = pd.Timestamp("1900-01-01")


def _date_columns(ctx: CheckContext) -> Iterator[tuple[EntityData, str, ParsedColumn]]:
    """Every parsed date or date-time column of every entity."""
    for data in ctx.dataset.entities.values():
        for name, parsed in data.parsed.items():
            if data.entity.field(name).is_date:
                yield data, name, parsed


@rule("date-format", Severity.WARNING, "Dates written in more than one way, or that cannot be told apart")
def date_format(ctx: CheckContext) -> None:
    """A date column must use one format throughout; day/month order must be decidable.

    A column of slash dates where no day is above 12 cannot show whether 04/05/2026 is
    April 5 or May 4: one column-level finding says which order was assumed.
    """
    for data in ctx.dataset.entities.values():
        for f in data.entity.fields:
            parsed = data.parsed.get(f.name)
            if parsed is None or not f.is_date:
                continue
            for (name, src), info in data.date_info.items():
                if name != f.name or "ambiguous" not in info:
                    continue
                order = "month/day/year" if info["ambiguous"] == "MDY" else "day/month/year"
                ctx.file_finding(
                    src,
                    rule="date-order-ambiguous",
                    severity=Severity.WARNING,
                    entity=data.name,
                    column=ctx.label(src, f.name),
                    message=(
                        f"The dates in “{ctx.label(src, f.name)}” never have a day above 12, so it is impossible "
                        f"to tell whether 04/05 means April 5 or May 4. They were read as {order}."
                    ),
                    hint="Confirm the order with your specialist, or export the dates as YYYY-MM-DD.",
                )
            ctx.flag(
                data,
                parsed.masks.get("mixed_format", np.zeros(len(data), bool)),
                rule="date-format",
                severity=Severity.WARNING,
                field=f.name,
                message=lambda c: (
                    f"“{c['value']}” is written differently from the other dates in this column."
                ),
                hint="Write every date in the column the same way (for example YYYY-MM-DD).",
            )
            ctx.flag(
                data,
                parsed.masks.get("order_conflict", np.zeros(len(data), bool)),
                rule="date-format",
                severity=Severity.ERROR,
                field=f.name,
                message=lambda c: (
                    f"“{c['value']}” is in the opposite day/month order from the rest of the column, so one of "
                    "them is read wrong."
                ),
                hint="Check which order the old system used and correct the dates that differ.",
            )
            ctx.flag(
                data,
                parsed.masks.get("two_digit_year", np.zeros(len(data), bool)),
                rule="two-digit-year",
                severity=Severity.ERROR,
                field=f.name,
                message=lambda c: (
                    f"“{c['value']}” has a two-digit year; imports read it as the year 00{str(c['value'])[-2:]}."
                ),
                hint="Write the year with four digits.",
            )


@rule("impossible-date", Severity.ERROR, "A date that does not exist")
def impossible_date(ctx: CheckContext) -> None:
    """A date such as 02/30/2025 or 2025-13-01 (leap days in leap years are fine)."""
    for data, name, parsed in _date_columns(ctx):
        ctx.flag(
            data,
            parsed.masks.get("impossible", np.zeros(len(data), bool)),
            rule="impossible-date",
            severity=Severity.ERROR,
            field=name,
            message=lambda c: f"“{c['value']}” is not a real date.",
            hint="Correct the date; check the old system for the right one.",
        )


@rule("excel-serial-date", Severity.WARNING, "A date stored as an Excel serial number")
def excel_serial(ctx: CheckContext) -> None:
    """A number like 45000 in a date column: Excel's day count (1900 system) instead of a date."""
    for data, name, parsed in _date_columns(ctx):
        mask = parsed.masks.get("serial")
        if mask is None:
            continue
        converted = parsed.values.dt.strftime("%Y-%m-%d").fillna("").to_numpy()
        ctx.flag(
            data,
            mask,
            rule="excel-serial-date",
            severity=Severity.WARNING,
            field=name,
            extra={"date": converted},
            message=lambda c: (
                f"“{c['value']}” is an Excel date number, not a date; it probably means {c['date']}."
            ),
            hint="Format the column as a date in Excel before saving, or type the date.",
        )


@rule("date-range", Severity.WARNING, "A date in the future or before 1900")
def date_range(ctx: CheckContext) -> None:
    """Historic dates (time entries, trust, bills, matters, notes) after today, and any date before 1900."""
    for data, name, parsed in _date_columns(ctx):
        values = parsed.values
        early = (values < _EARLIEST).fillna(False).to_numpy(dtype=bool)
        ctx.flag(
            data,
            early,
            rule="date-range",
            severity=Severity.ERROR,
            field=name,
            message=lambda c: f"“{c['value']}” is before 1900, which cannot be right for this record.",
            hint="Correct the year.",
        )
        if (data.name, name) in HISTORIC:
            future = (values > ctx.today).fillna(False).to_numpy(dtype=bool)
            ctx.flag(
                data,
                future,
                rule="date-range",
                severity=Severity.WARNING,
                field=name,
                message=lambda c: (
                    f"“{c['value']}” is in the future, but this records something already done."
                ),
                hint="Check the year and the day/month order.",
            )


@rule("close-before-open", Severity.ERROR, "A matter closed before it was opened")
def close_before_open(ctx: CheckContext) -> None:
    """A matter's Close Date earlier than its Open Date."""
    data = ctx.entity("matters")
    if data is None or "open_date" not in data.parsed or "close_date" not in data.parsed:
        return
    opened = data.parsed["open_date"].values
    closed = data.parsed["close_date"].values
    bad = (closed < opened).fillna(False).to_numpy(dtype=bool)
    ctx.flag(
        data,
        bad,
        rule="close-before-open",
        severity=Severity.ERROR,
        field="close_date",
        extra={"opened": data.text("open_date")},
        message=lambda c: f"This matter closed on {c['value']}, before it was opened on {c['opened']}.",
        hint="Correct one of the two dates.",
    )
