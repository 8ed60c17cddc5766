"""Which findings have a fix, and for those that do not, why a person must decide.

The fix registry knows which finding codes a fix resolves; ``resources/finding-codes.json``
says, for every other code, why no fix is made (its ``why_not`` table). A finding of a code that has a
fix may still be left alone when the fix's precondition does not hold for it (the fix's
``certain_when`` says when it does). The Review page asks :func:`fix_status` per finding, with
the planned log of the run, and shows "Fix" or the reason.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from migration_assistant.core.findings import Finding
from migration_assistant.core.fixes.base import FIXES, Fix
from migration_assistant.core.fixes.log import NO_SHEET, FixLog
from migration_assistant.core.resources import resource_path

CATALOGUE_FILE = ("resources", "finding-codes.json")


@dataclass(frozen=True, slots=True)
class FixStatus:
    """Whether one finding is fixed by a fix, and if not why.

    Attributes:
        fix: The code of the fix that changes the finding's cell, or None.
        before: The cell's text now ("" when there is no fix).
        after: The text the fix writes ("" when there is no fix).
        why_not: Why no fix is made, in plain words ("" when there is one).
    """

    fix: str | None
    before: str = ""
    after: str = ""
    why_not: str = ""

    @property
    def fixable(self) -> bool:
        return self.fix is not None


@cache
def _why_not() -> dict[str, str]:
    data = json.loads(resource_path(*CATALOGUE_FILE).read_text(encoding="utf-8"))
    return {str(code): str(text) for code, text in data.get("why_not", {}).items()}


def fixes_for(code: str) -> list[Fix]:
    """The fixes that resolve findings of *code* (none for most codes)."""
    return [f for f in FIXES if code in f.fixes]


def why_not(code: str) -> str:
    """Why findings of *code* are not fixed automatically, or when they are ("" for an unknown code)."""
    units = fixes_for(code)
    if units:
        return "Fixed automatically " + "; or ".join(f.certain_when for f in units) + "."
    return _why_not().get(code, "")


def fix_status(finding: Finding, plan: FixLog) -> FixStatus:
    """Is there a fix for *finding* in *plan* (the planned log of its run), and if not why.

    A finding is matched to the plan's entries by its file, sheet, row and column; findings of a
    code no fix resolves are never matched (a fix of another finding may change the same cell).
    """
    units = fixes_for(finding.rule)
    if not units:
        return FixStatus(None, why_not=why_not(finding.rule))
    if finding.row is not None and len(plan):
        f = plan.frame
        same_row = (
            (f["file"] == finding.file).to_numpy()
            & (
                f["sheet"].fillna(NO_SHEET) == (finding.sheet if finding.sheet is not None else NO_SHEET)
            ).to_numpy()
            & (f["row"] == finding.row).to_numpy()
            & f["fix"].isin([u.code for u in units]).to_numpy()
        )
        hits = f[same_row]
        if len(hits):
            on_cell = hits[(hits["column"] == finding.column).to_numpy()]
            pick = on_cell.iloc[0] if len(on_cell) else hits.iloc[0]
            return FixStatus(str(pick["fix"]), str(pick["before"]), str(pick["after"]))
    return FixStatus(
        None,
        why_not="Not fixed automatically: the result would not be certain. It is fixed "
        + "; or ".join(u.certain_when for u in units)
        + ".",
    )


class FixIndex:
    """A fix log indexed once by cell, for asking about many findings (the Review page's list).

    :func:`fix_status` scans the whole plan per finding; over half a million findings that is
    quadratic. The index sorts the entries once on one integer per (file, sheet, row), so each
    question is a binary search that finds that row's few entries. No Python object is made per
    entry: building it for half a million fixes never holds the interpreter long from the window.
    """

    __slots__ = ("_files", "_keys", "_order", "_rows", "_sheets", "log")

    def __init__(self, log: FixLog) -> None:
        self.log = log
        f = log.frame
        sheet = f["sheet"].astype(object).where(f["sheet"].notna(), NO_SHEET)
        file_codes, files = pd.factorize(f["file"].astype(object))
        sheet_codes, sheets = pd.factorize(sheet)
        self._files = {str(name): i for i, name in enumerate(files.tolist())}
        self._sheets = {str(name): i for i, name in enumerate(sheets.tolist())}
        rows = f["row"].to_numpy(dtype=np.int64)
        self._rows = int(rows.max()) + 1 if len(rows) else 1
        keys = (file_codes.astype(np.int64) * max(len(sheets), 1) + sheet_codes) * self._rows + rows
        self._order = np.argsort(keys, kind="stable")
        self._keys = keys[self._order]

    def __len__(self) -> int:
        return len(self.log)

    def positions(self, file: str, sheet: str | None, row: int) -> np.ndarray:
        """Positions in the log of the entries on one row (empty when none)."""
        file_code = self._files.get(file)
        sheet_code = self._sheets.get(sheet if sheet is not None else NO_SHEET)
        if file_code is None or sheet_code is None or not 0 <= row < self._rows:
            return np.empty(0, np.intp)
        key = (file_code * max(len(self._sheets), 1) + sheet_code) * self._rows + row
        lo, hi = np.searchsorted(self._keys, [key, key + 1])
        return self._order[lo:hi].astype(np.intp)

    def on_cell(self, finding: Finding) -> int | None:
        """The position of the entry that fixes *finding* (None when none does), as :func:`fix_status` picks it."""
        codes = [u.code for u in fixes_for(finding.rule)]
        if not codes or finding.row is None:
            return None
        at = self.positions(finding.file, finding.sheet, finding.row)
        if not len(at):
            return None
        hits = self.log.frame.iloc[at]
        at = at[hits["fix"].isin(codes).to_numpy()]
        if not len(at):
            return None
        same = (self.log.frame["column"].to_numpy()[at] == finding.column).nonzero()[0]
        return int(at[same[0]] if len(same) else at[0])

    def status(self, finding: Finding) -> FixStatus:
        """The same answer as :func:`fix_status` for *finding*, from the index."""
        at = self.on_cell(finding)
        if at is None:
            return fix_status(finding, FixLog())  # no entry: the reason, without a scan
        row = self.log.frame.iloc[at]
        return FixStatus(str(row["fix"]), str(row["before"]), str(row["after"]))

    def like(self, position: int) -> np.ndarray:
        """A mask of the entries made by the same fix, in the same column of the same file, as *position*'s."""
        f = self.log.frame
        entry = f.iloc[position]
        mask: np.ndarray = (
            (f["fix"] == entry["fix"]).to_numpy()
            & (f["column"] == entry["column"]).to_numpy()
            & (f["file"] == entry["file"]).to_numpy()
        )
        return mask
