"""The date the firm exported its data, worked out once for everything that shows it.

An export holds dates in the future (court dates, deadlines, a post-dated trust
entry), so the latest date in the files says nothing about when they were exported.
What does: the latest *posted* record (time and expenses, trust entries, bills issued,
notes written) that is not in the future, never later than the files themselves were
last written; with no posted records, the day the newest file was written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from migration_assistant.core.dataset import Dataset

if TYPE_CHECKING:
    from migration_assistant.core.results import ValidationResult

POSTED = (("activities", "date"), ("trust", "date"), ("bills", "issue_date"), ("notes", "date"))
"""The entity fields whose dates record something that already happened when it was entered."""


def export_date(result: ValidationResult, *, today: dt.date | None = None) -> str:
    """The export's date (ISO) for a finished check.

    Args:
        result: The check, for its records and the files read.
        today: The day to count as today (tests); the computer's date otherwise.

    Returns:
        ``YYYY-MM-DD``: the latest posted date up to today, capped at the day the newest file
        was written; that day when nothing is posted; today when neither is known.
    """
    return export_date_of(result.dataset, [item.path for item in result.inputs], today=today)


def export_date_of(dataset: Dataset, files: Iterable[Path], *, today: dt.date | None = None) -> str:
    """:func:`export_date` from the records and the files' paths (for callers without a result)."""
    today = today or dt.date.today()
    written = newest_written(files)
    posted = latest_posted(dataset, min(today, written) if written else today)
    best = posted or written or today
    return best.isoformat()


def latest_posted(dataset: Dataset, until: dt.date) -> dt.date | None:
    """The latest posted date on or before *until*, or None when no record has one."""
    end = pd.Timestamp(until) + pd.Timedelta(days=1)
    latest: pd.Timestamp | None = None
    for entity, name in POSTED:
        data = dataset.get(entity)
        if data is None or name not in data.parsed:
            continue
        values = data.parsed[name].values
        if getattr(values.dt, "tz", None) is not None:
            values = values.dt.tz_localize(None)
        found = values[values < end].max()
        if not pd.isna(found) and (latest is None or found > latest):
            latest = pd.Timestamp(found)
    return latest.date() if latest is not None else None


def newest_written(files: Iterable[Path]) -> dt.date | None:
    """The day (local time) the most recently written of *files* was last modified, or None."""
    stamps = []
    for path in files:
        try:
            stamps.append(path.stat().st_mtime)
        except OSError:
            continue  # gone since it was read: the others still say when the export was made
    return dt.datetime.fromtimestamp(max(stamps)).date() if stamps else None
