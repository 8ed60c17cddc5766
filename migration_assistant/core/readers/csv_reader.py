"""Delimited text files (CSV, semicolon, tab, pipe) read with pyarrow.

pyarrow with ``newlines_in_values=True`` is the fast path that survives quoted
multi-line cells; every column is read as text so IDs keep their leading zeros and
only the empty string means "empty" (:mod:`.csv_arrow`). Rows with too few or too many
cells are kept (padded or cut), never shifted, and reported.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd

from migration_assistant.core.cell_bytes import first_bytes
from migration_assistant.core.encoding import EncodingGuess
from migration_assistant.core.findings import Finding, Severity
from migration_assistant.core.readers.byte_scan import ByteScan
from migration_assistant.core.readers.csv_arrow import code_units, read_arrow_csv, take_read_ahead
from migration_assistant.core.readers.labels import header_findings, too_many_columns
from migration_assistant.core.readers.table import ROW, SourceTable

EXCEL_MAX_ROWS = 1_048_576


def _file_level(
    file: str, rule: str, severity: Severity, message: str, hint: str, row: int | None = None
) -> Finding:
    return Finding(rule, severity, None, file, None, row, None, None, message, hint)


def read_csv(path: Path, file: str) -> SourceTable:
    """Read one delimited text file into a :class:`SourceTable` with spreadsheet row numbers.

    pyarrow does the reading (:func:`~.csv_arrow.read_arrow_csv`, perhaps already started
    by :func:`~.csv_arrow.read_ahead`); this turns its table into pandas text columns and
    reports what the file itself gets wrong: a title above the headings, ragged or blank
    rows, a record cut at the end, bad bytes, Excel's row limit.
    """
    arrow = take_read_ahead(path) or read_arrow_csv(path)
    guess, scanned = arrow.guess, arrow.scanned
    if arrow.refusal is not None or arrow.too_wide:
        refused = SourceTable(
            file, path, None, pd.DataFrame({ROW: pd.Series([], dtype="int64")}), [], guess.label
        )
        refused.sha256 = scanned().sha256
        refused.delimiter = arrow.delimiter
        if arrow.refusal is not None:
            # Every refusal is a heading row that cannot be read; the code is written out here so
            # the catalogue's test sees it.
            _, message, hint = arrow.refusal
            refused.findings.append(
                _file_level(file, "heading-row-unreadable", Severity.BLOCKER, message, hint)
            )
        else:
            refused.findings.append(too_many_columns(file, None, arrow.too_wide))
        return refused
    if arrow.empty or arrow.table is None:
        empty = SourceTable(
            file, path, None, pd.DataFrame({ROW: pd.Series([], dtype="int64")}), [], guess.label
        )
        empty.sha256 = scanned().sha256
        empty.findings.append(
            _file_level(
                file,
                "empty-file",
                Severity.BLOCKER,
                "This file is empty: it has no heading row and no records.",
                "Export the data again from the old system and check the file opens with rows in it.",
            )
        )
        return empty
    delimiter, header_index, raw_labels, labels = (
        arrow.delimiter,
        arrow.header_index,
        arrow.raw_labels,
        arrow.labels,
    )
    header_row = header_index + 1
    table = arrow.table
    arrow.table = None  # the frame below takes the buffers over
    invalid = arrow.invalid_rows

    frame = table.to_pandas(self_destruct=True)
    del table
    frame.columns = labels
    total = len(frame) + len(invalid)
    numbers = np.arange(header_row + 1, header_row + 1 + total, dtype=np.int64)
    bad_numbers = np.array([n for n, _, _ in invalid], dtype=np.int64)
    frame[ROW] = np.setdiff1d(numbers, bad_numbers, assume_unique=True) if len(bad_numbers) else numbers

    findings = header_findings(raw_labels, file, None, header_row, frame, labels)
    if header_index > 0:
        findings.append(
            _file_level(
                file,
                "header-not-first",
                Severity.INFO,
                f"The column headings are on row {header_row}; the rows above them were skipped.",
                "Nothing to do: the title rows above the headings are ignored.",
                header_row,
            )
        )
    last_record = header_row + total
    open_quote = _ends_inside_quotes(scanned(), guess, delimiter, path)
    if open_quote:
        # With no record read, the heading row itself is what the open quote cut short.
        what = (
            f"a record that starts on row {last_record}" if total else f"its heading row (row {header_row})"
        )
        findings.append(
            _file_level(
                file,
                "truncated-record",
                Severity.BLOCKER,
                f"The file ends in the middle of {what}: a quoted cell is "
                "never closed, so the end of the file is missing or damaged.",
                "Export the file again; if it was copied or e-mailed, copy it again and check its size.",
                last_record,
            )
        )
    if invalid:
        frame, ragged = _ragged_rows(
            frame,
            invalid,
            labels,
            delimiter,
            file,
            path,
            guess,
            last_record,
            check_short_end=not open_quote,
        )
        findings.extend(ragged)
    frame, blanks = _drop_blank_rows(frame, labels, file)
    findings.extend(blanks)
    findings.extend(_encoding_findings(guess, frame, labels, file))
    # Exactly Excel's last row: a file with more rows than a sheet holds was never saved by Excel.
    if header_row + total == EXCEL_MAX_ROWS:
        findings.append(
            _file_level(
                file,
                "excel-row-limit",
                Severity.BLOCKER,
                f"This file stops at row {EXCEL_MAX_ROWS:,}, Excel's last row: rows after it were probably "
                "lost when the file was opened and saved in Excel.",
                "Export this data again straight from the old system and do not open it in Excel; "
                "or split the export by year.",
                header_row + total,
            )
        )
    result = SourceTable(
        file=file,
        path=path,
        sheet=None,
        data=frame.reset_index(drop=True),
        labels=labels,
        encoding=guess.label,
        delimiter=delimiter,
        header_row=header_row,
        sha256=scanned().sha256,
        findings=findings,
    )
    return result


def _ragged_rows(
    frame: pd.DataFrame,
    rows: list[tuple[int | None, int, str]],
    labels: list[str],
    delimiter: str,
    file: str,
    path: Path,
    guess: EncodingGuess,
    last_record: int,
    check_short_end: bool = True,
) -> tuple[pd.DataFrame, list[Finding]]:
    """Pad short rows and cut long ones, keep them in place, and report each odd cell.

    Only the file's last record (*last_record*), when short and not followed by a line
    break, is reported as cut off; a short record earlier in the file is just short.
    """
    width = len(labels)
    findings: list[Finding] = []
    fixed: list[list[str]] = []
    ends_with_newline = _ends_with_newline(path, guess)
    for number, _, text in rows:
        cells = [
            c for rec in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter) for c in rec
        ] or [""]
        if check_short_end and len(cells) < width and number == last_record and not ends_with_newline:
            findings.append(
                _file_level(
                    file,
                    "truncated-record",
                    Severity.ERROR,
                    f"The last record (row {number}) has only {len(cells)} of {width} cells and the file does "
                    "not end with a line break: the file looks cut off.",
                    "Export the file again and check that the last record is complete.",
                    number,
                )
            )
        if len(cells) < width:
            for index in range(len(cells), width):
                findings.append(
                    Finding(
                        "missing-cell",
                        Severity.ERROR,
                        None,
                        file,
                        None,
                        number,
                        labels[index],
                        None,
                        f"Row {number} has {len(cells)} cells but the header has {width}: "
                        f"“{labels[index]}” is missing.",
                        "A delimiter is probably missing or a cell was merged; compare this row with the "
                        "header in a text editor.",
                    )
                )
            cells = cells + [""] * (width - len(cells))
        elif len(cells) > width:
            for index in range(width, len(cells)):
                findings.append(
                    Finding(
                        "extra-cell",
                        Severity.ERROR,
                        None,
                        file,
                        None,
                        number,
                        f"(column {index + 1})",
                        cells[index],
                        f"Row {number} has {len(cells)} cells but the header has only {width}: "
                        "the values may be shifted into the wrong columns.",
                        "Look for a comma or delimiter inside a value that is not in quotes.",
                    )
                )
            cells = cells[:width]
        fixed.append(cells)
    extra = pd.DataFrame(fixed, columns=labels, dtype="str")
    extra[ROW] = np.array([n or 0 for n, _, _ in rows], dtype=np.int64)
    merged = pd.concat([frame, extra], ignore_index=True).sort_values(ROW, kind="stable")
    return merged.reset_index(drop=True), findings


def _ends_inside_quotes(scan: ByteScan, guess: EncodingGuess, delimiter: str, path: Path) -> bool:
    """True when the file ends inside a quoted cell that was never closed (a file cut mid-record).

    pyarrow silently accepts an unterminated quote at the end of the file, so the quotes
    counted by :func:`scan_file` decide (see :meth:`ByteScan.ends_inside_quotes`).
    """
    unit, _order, codec = code_units(guess, path)
    encoded = [text.encode(codec, errors="replace") for text in (delimiter, "\n", "\r")]
    if any(len(e) != unit for e in encoded):
        return False  # a delimiter of several units (rare): the scan cannot place it
    return scan.ends_inside_quotes(*encoded)


def _ends_with_newline(path: Path, guess: EncodingGuess) -> bool:
    unit, _order, codec = code_units(guess, path)
    with path.open("rb") as fh:
        fh.seek(0, io.SEEK_END)
        if fh.tell() < unit:
            return False
        fh.seek(-unit, io.SEEK_END)
        return fh.read(unit) in ("\n".encode(codec), "\r".encode(codec))


_MAYBE_BLANK = np.ones(256, dtype=bool)
_MAYBE_BLANK[0x21:0x7F] = False
"""First bytes of a cell that might be empty once stripped (0 is an empty cell)."""


def _drop_blank_rows(frame: pd.DataFrame, labels: list[str], file: str) -> tuple[pd.DataFrame, list[Finding]]:
    if not labels or frame.empty:
        return frame, []
    # Only rows whose first cell is empty can be blank: other columns are checked on those alone.
    # A first cell starting with a printable ASCII character is not empty, which the first
    # bytes tell at once; the others (empty, white space, non-ASCII) are stripped and looked at.
    blank = np.zeros(len(frame), dtype=bool)
    maybe = np.flatnonzero(_MAYBE_BLANK[first_bytes(frame[labels[0]])])
    blank[maybe] = (frame[labels[0]].iloc[maybe].str.strip() == "").to_numpy()
    for label in labels[1:]:
        candidates = np.flatnonzero(blank)
        if not len(candidates):
            return frame, []
        blank[candidates] = (frame[label].iloc[candidates].str.strip() == "").to_numpy()
    if not blank.any():
        return frame, []
    rows = frame.loc[blank, ROW].to_numpy()
    # A run of blank rows at the very end is an export artefact, not a record problem.
    findings = [
        Finding(
            "blank-row",
            Severity.WARNING,
            None,
            file,
            None,
            int(r),
            None,
            None,
            f"Row {int(r)} is empty. Empty rows can make an import stop early or skip what follows.",
            "Delete the empty row.",
        )
        for r in rows
    ]
    return frame.loc[~blank].reset_index(drop=True), findings


def _encoding_findings(
    guess: EncodingGuess, frame: pd.DataFrame, labels: list[str], file: str
) -> list[Finding]:
    findings: list[Finding] = []
    if guess.invalid_bytes:
        for label in labels:
            col = frame[label]
            hits = col.str.contains("\ufffd", regex=False).to_numpy()
            for row, value in zip(frame.loc[hits, ROW].to_numpy(), col[hits].to_numpy(), strict=True):
                findings.append(
                    Finding(
                        "undecodable-bytes",
                        Severity.ERROR,
                        None,
                        file,
                        None,
                        int(row),
                        label,
                        str(value),
                        "Some characters in this cell could not be read (shown as �): the file mixes text "
                        f"encodings, and the {guess.label} text has bytes that do not belong to it.",
                        "Export the file again as UTF-8, or retype the damaged characters.",
                    )
                )
    if not guess.certain:
        findings.append(
            _file_level(
                file,
                "encoding-guessed",
                Severity.INFO,
                f"This file is not UTF-8. It was read as {guess.label}; accented letters may be wrong "
                "if that guess is wrong.",
                "If names with accents look wrong in the review, export the file again as “CSV UTF-8”.",
            )
        )
    return findings
