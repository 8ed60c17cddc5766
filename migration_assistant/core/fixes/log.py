"""The fix log: every cell a fix changed, as data that can be saved, sealed and applied again.

A log is columnar (one array per field, like the tables it describes): a systematic problem
can mean half a million fixes, which as half a million Python objects would cost more memory
than the column they fix. :meth:`FixLog.entries` gives them one by one for display.

The log names each cell as the findings do (the file as given, the sheet, the spreadsheet row,
the file's own column heading) and holds the text before and after, so applying it to a fresh
read can tell a cell that still holds what was fixed from one that changed since
(:mod:`migration_assistant.core.fixes.apply`). This module imports nothing of the engine: the
run's value types name it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

SCHEMA_VERSION = 1
"""The fix log's format; a log of a later format is refused rather than half understood."""

NO_SHEET = "[no sheet]"
"""Stands for the sheet of a file that has none when entries are grouped (Excel forbids "[" in sheet names)."""

COLUMNS = ("file", "sheet", "row", "column", "before", "after", "fix", "time")


class FixLogError(ValueError):
    """A fix log file that cannot be used (the message says why, in plain words)."""


@dataclass(frozen=True, slots=True)
class FixEntry:
    """One cell changed by one fix."""

    file: str
    sheet: str | None
    row: int
    column: str
    before: str
    after: str
    fix: str
    time: str
    """When the fix was made: ISO 8601 UTC, to the second."""

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "before": self.before,
            "after": self.after,
            "fix": self.fix,
            "time": self.time,
        }


def now() -> str:
    """The time stamp fixes made now carry."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _empty() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "file": pd.Series([], dtype=object),
            "sheet": pd.Series([], dtype=object),
            "row": pd.Series([], dtype=np.int64),
            "column": pd.Series([], dtype=object),
            "before": pd.Series([], dtype=object),
            "after": pd.Series([], dtype=object),
            "fix": pd.Series([], dtype=object),
            "time": pd.Series([], dtype=object),
        }
    )


class FixLog:
    """Every cell the fixes changed, in the order they were made, and who applied them.

    Attributes:
        frame: One row per change, columns :data:`COLUMNS` (``sheet`` None for a CSV).
        applied_by: The name given at sign-off, once known ("" until then).
    """

    __slots__ = ("applied_by", "frame")

    def __init__(self, frame: pd.DataFrame | None = None, *, applied_by: str = "") -> None:
        self.frame = _empty() if frame is None else frame.loc[:, list(COLUMNS)].reset_index(drop=True)
        self.applied_by = applied_by

    # --- building -----------------------------------------------------------------------

    @classmethod
    def from_entries(cls, entries: Sequence[FixEntry], *, applied_by: str = "") -> FixLog:
        if not entries:
            return cls(applied_by=applied_by)
        frame = pd.DataFrame([e.to_json() for e in entries], columns=list(COLUMNS))
        return cls(_typed(frame), applied_by=applied_by)

    @classmethod
    def concat(cls, logs: Sequence[FixLog], *, applied_by: str = "") -> FixLog:
        frames = [log.frame for log in logs if len(log)]
        if not frames:
            return cls(applied_by=applied_by)
        return cls(pd.concat(frames, ignore_index=True), applied_by=applied_by)

    def only(self, codes: Sequence[str]) -> FixLog:
        """The entries made by the fixes *codes* (an Undo keeps the others)."""
        keep = self.frame["fix"].isin(list(codes)).to_numpy()
        return FixLog(self.frame[keep], applied_by=self.applied_by)

    def without(self, mask: np.ndarray) -> FixLog:
        """The log minus the entries *mask* marks (Undo of single fixes)."""
        return FixLog(self.frame[~np.asarray(mask, dtype=bool)], applied_by=self.applied_by)

    def signed(self, name: str) -> FixLog:
        """The same log, applied by *name* (the name given at sign-off)."""
        return FixLog(self.frame, applied_by=name)

    # --- reading ------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.frame)

    def __bool__(self) -> bool:
        return len(self.frame) > 0

    def entries(self) -> Iterator[FixEntry]:
        """The entries one by one (for display; a log can be large)."""
        for file, sheet, row, column, before, after, fix, time in self.frame.itertuples(
            index=False, name=None
        ):
            yield FixEntry(
                str(file), _sheet(sheet), int(row), str(column), str(before), str(after), str(fix), str(time)
            )

    def counts(self) -> dict[str, int]:
        """Cells changed per fix code, in the order the fixes first appear."""
        counts = self.frame["fix"].value_counts(sort=False)
        return {str(k): int(v) for k, v in counts.items()}

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, FixLog):
            return NotImplemented
        return self.applied_by == other.applied_by and self.to_json() == other.to_json()

    __hash__ = None  # type: ignore[assignment]  # mutable holder of a frame

    # --- JSON -------------------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        return {
            "schema_version": SCHEMA_VERSION,
            "tool": "migration-assistant",
            "applied_by": self.applied_by,
            "counts": self.counts(),
            "entries": [e.to_json() for e in self.entries()],
        }

    def to_json_text(self) -> str:
        """The log as JSON text, one entry per line (a large log is written quickly and greps well)."""
        head = json.dumps(
            {
                "schema_version": SCHEMA_VERSION,
                "tool": "migration-assistant",
                "applied_by": self.applied_by,
                "counts": self.counts(),
            },
            indent=2,
            ensure_ascii=False,
        )[:-2]
        one = json.JSONEncoder(ensure_ascii=False).encode
        f = self.frame
        records = zip(
            f["file"].tolist(),
            f["sheet"].tolist(),
            f["row"].astype(np.int64).tolist(),
            f["column"].tolist(),
            f["before"].tolist(),
            f["after"].tolist(),
            f["fix"].tolist(),
            f["time"].tolist(),
            strict=True,
        )
        lines = ",\n".join(
            "    " + one(dict(zip(COLUMNS, (a, _sheet(b), c, d, e, g, h, i), strict=True)))
            for a, b, c, d, e, g, h, i in records
        )
        body = ',\n  "entries": [\n' + lines + "\n  ]\n}\n" if lines else ',\n  "entries": []\n}\n'
        return (head + body).replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> FixLog:
        """A log from its JSON form; raises :class:`FixLogError` with a plain reason."""
        if not isinstance(data, Mapping) or "entries" not in data:
            raise FixLogError("this is not a fix log (it has no list of fixes)")
        version = data.get("schema_version")
        if not isinstance(version, int) or version > SCHEMA_VERSION or version < 1:
            raise FixLogError(
                f"this fix log has format version {version!r}, which this version of the app cannot read"
            )
        entries = data["entries"]
        if not isinstance(entries, list):
            raise FixLogError("this fix log's list of fixes is not a list")
        rows: list[dict[str, Any]] = []
        for number, item in enumerate(entries, start=1):
            rows.append(_entry(item, number))
        frame = pd.DataFrame(rows, columns=list(COLUMNS)) if rows else _empty()
        applied_by = data.get("applied_by", "")
        return cls(_typed(frame), applied_by=applied_by if isinstance(applied_by, str) else "")

    @classmethod
    def load(cls, path: Path) -> FixLog:
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise FixLogError(f"{path} does not exist") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise FixLogError(f"{path} could not be read ({type(exc).__name__})") from None
        try:
            data = json.loads(text)
        except ValueError:
            raise FixLogError(f"{path} is not a fix log (it is not JSON)") from None
        return cls.from_json(data)


def _sheet(value: object) -> str | None:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    return str(value)


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.astype(
        {"file": object, "sheet": object, "column": object, "before": object, "after": object}
    )
    frame["row"] = frame["row"].astype(np.int64)
    return frame


def _entry(item: object, number: int) -> dict[str, Any]:
    if not isinstance(item, Mapping):
        raise FixLogError(f"fix {number} of the log is not a fix")
    out: dict[str, Any] = {}
    for key in ("file", "column", "before", "after", "fix"):
        value = item.get(key)
        if not isinstance(value, str):
            raise FixLogError(f"fix {number} of the log has no {key}")
        out[key] = value
    sheet = item.get("sheet")
    if sheet is not None and not isinstance(sheet, str):
        raise FixLogError(f"fix {number} of the log has a sheet that is not a name")
    out["sheet"] = sheet
    row = item.get("row")
    if not isinstance(row, int) or isinstance(row, bool) or row < 1:
        raise FixLogError(f"fix {number} of the log has no spreadsheet row")
    out["row"] = row
    time = item.get("time", "")
    out["time"] = time if isinstance(time, str) else ""
    return out
