"""Fixed copies of the export files, written beside (never over) the originals.

A file with fixed cells is written as CSV in UTF-8 (with the byte-order mark Excel needs to
read UTF-8), with its own delimiter and headings, one record per row: a CSV keeps its name; a
workbook gives one CSV per sheet ("Invoices - Sheet1.csv"), and a LEDES, iCalendar, vCard or IIF
file one CSV with the canonical headings its reader gives ("bills.txt.csv"). A file with nothing
fixed is copied byte for byte. A rewritten copy keeps the original's spreadsheet rows, so the
fix log's row numbers point at the same rows in the copy: the headings stay on their row, a CSV's
lines above them are copied as they were (a workbook's become blank rows), and a row the reader
did not take (a blank line, a line it could not read) is a blank row in the copy.
"""

from __future__ import annotations

import csv
import shutil
import tempfile
from dataclasses import dataclass
from itertools import islice
from pathlib import Path, PurePosixPath

import numpy as np

from migration_assistant.core.fixes.log import FixLog
from migration_assistant.core.readers.table import ROW, SourceTable
from migration_assistant.core.results import ValidationResult


class FixOutError(ValueError):
    """The folder for the fixed copies cannot be used (the message says why)."""


@dataclass(frozen=True, slots=True)
class Written:
    """One file written into the folder of fixed copies."""

    name: str
    """Its path inside the folder (POSIX form)."""
    source: str
    """The original it came from, as the findings name it."""
    fixed: bool
    """True when rewritten with fixed cells; False when copied byte for byte."""


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def check_out_folder(out: Path, given: list[Path]) -> None:
    """Refuse a folder for fixed copies that is, holds, or lies inside what was given to check.

    Raises:
        FixOutError: *out* is a file given, a folder given or inside one, a folder that holds a
            file given, or a folder that is not empty.
    """
    target = out.expanduser().resolve()
    for path in given:
        real = path.expanduser().resolve()
        if target == real:
            raise FixOutError(
                f"{out} is one of the files given: the fixed copies never replace the originals"
            )
        if real.is_dir() and _inside(target, real):
            raise FixOutError(
                f"{out} is inside {path}, which was given to check: choose a folder outside it, so the "
                "originals and the fixed copies are never mixed up"
            )
        if _inside(real, target):
            raise FixOutError(f"{out} holds {path}, which was given to check: choose a folder of its own")
    if target.exists() and not target.is_dir():
        raise FixOutError(f"{out} is a file, not a folder")
    if target.is_dir() and any(target.iterdir()):
        raise FixOutError(f"{out} is not empty: choose a new or empty folder for the fixed copies")


def _csv_name(table: SourceTable, display: str) -> str:
    path = PurePosixPath(display)
    if table.sheet is not None:
        return str(path.with_name(f"{path.stem} - {table.sheet}.csv"))
    if table.format == "csv":
        return display
    return f"{display}.csv"


def _rows_above(table: SourceTable) -> list[list[str]]:
    """The rows above the headings as the original holds them: a CSV's own lines (a title, an
    export date), a workbook's as blank rows (their cells are not kept by the reader)."""
    above = max(table.header_row - 1, 0)
    if not above:
        return []
    if table.format == "csv" and table.sheet is None:
        encoding = table.encoding or "utf-8"
        if encoding.lower().replace("_", "-") in ("utf-8", "utf8", "ascii"):
            encoding = "utf-8-sig"  # the byte-order mark is not part of the title
        try:
            with table.path.open(encoding=encoding, errors="replace", newline="") as fh:
                rows = list(islice(csv.reader(fh, delimiter=table.delimiter or ","), above))
        except (OSError, LookupError, csv.Error):
            rows = []
        if len(rows) == above:
            return rows
    return [[] for _ in range(above)]


def _write_table(table: SourceTable, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    frame = table.data
    body = frame.loc[:, table.labels]
    if len(frame):
        # Each record on its spreadsheet row; the rows between (blank, unreadable) left blank.
        rows = frame[ROW].to_numpy()
        first = table.header_row + 1
        gaps = int(rows.max()) - first + 1 != len(rows) if len(rows) else False
        if gaps and rows.min() >= first and len(np.unique(rows)) == len(rows):
            # Numbers stay numbers beside the blank rows (an int column would become 1.0, 2.0 …).
            whole = {c: object for c in body.columns if getattr(body[c].dtype, "kind", "O") in "iub"}
            body = body.astype(whole).set_axis(rows).reindex(range(first, int(rows.max()) + 1))
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh, delimiter=table.delimiter or ",", lineterminator="\r\n").writerows(_rows_above(table))
        body.to_csv(fh, index=False, sep=table.delimiter or ",", lineterminator="\r\n")


def write_fixed_copies(result: ValidationResult, out: Path, given: list[Path]) -> list[Written]:
    """Write the fixed copies of every file read in *result* (a check with its fix log) into *out*.

    Everything is written into a temporary folder beside *out* and renamed into place at the
    end, so a failure leaves nothing half-written.

    Raises:
        FixOutError: see :func:`check_out_folder`.
        OSError: the folder could not be written (disk full, no permission).
    """
    check_out_folder(out, given)
    log = result.fix_log or FixLog()
    changed = set(log.frame["file"].tolist()) if len(log) else set()
    target = out.expanduser().resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent))
    written: list[Written] = []
    try:
        seen: set[tuple[str, str | None]] = set()
        for item in result.inputs:
            tables = [t for t in result.dataset.tables if t.file == item.display]
            if item.display not in changed or not tables:
                dest = staging / item.display
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(item.path, dest)
                written.append(Written(item.display, item.display, False))
                continue
            for table in tables:
                if (table.file, table.sheet) in seen:
                    continue  # a second view of the same sheet (the companion of a client/matter list)
                seen.add((table.file, table.sheet))
                name = _csv_name(table, item.display)
                _write_table(table, staging / name)
                written.append(Written(name, item.display, True))
        if target.is_dir():
            target.rmdir()  # empty (checked above): replaced by the finished folder
        staging.replace(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return written
