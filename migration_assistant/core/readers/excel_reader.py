"""Excel workbooks (.xlsx, .xlsm, .xls, .ods) read with python-calamine, every sheet.

calamine converts date cells with the workbook's own date system (1900 or 1904),
so dates arrive as real dates. Numbers are rendered the way a person typed them
(``123`` not ``123.0``); numbers too long for Excel's 15 significant digits are
rendered in scientific notation, which the Excel-damage rule then reports.

calamine gives a formula's last computed value and an error cell (``#REF!``) as blank, so
the cells holding a formula or an error value are found in the sheet's XML
(:mod:`.sheet_shape`, in the pass that measures the sheet) and reported at their cell:
.xlsx and .xlsm only (.xls, .xlsb and .ods are not scanned).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from python_calamine import CalamineWorkbook

from migration_assistant.core.findings import Finding, Severity
from migration_assistant.core.hashing import sha256_file
from migration_assistant.core.readers.dialect import find_header_row
from migration_assistant.core.readers.errors import UnreadableFile
from migration_assistant.core.readers.labels import (
    MAX_COLUMNS,
    clean_label,
    header_findings,
    too_many_columns,
    unique_labels,
)
from migration_assistant.core.readers.sheet_shape import (
    MAX_NOTED,
    CellNote,
    SheetShape,
    column_name,
    sheet_shapes,
)
from migration_assistant.core.readers.table import ROW, SourceTable

EXCEL_EXTENSIONS = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")
_XLS_MAX_ROWS = 65_536
_XLSX_MAX_ROWS = 1_048_576


def cell_text(value: object) -> str:
    """A cell as the text a person sees in Excel (without number formats)."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        if abs(value) >= 1e15:
            return f"{value:.5E}".replace("E+", "E+")
        return repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.isoformat(timespec="minutes")
    if isinstance(value, dt.timedelta):
        return str(value)
    return str(value)


def read_workbook(path: Path, file: str) -> list[SourceTable]:
    """Every non-empty sheet of a workbook as a :class:`SourceTable`.

    calamine lays a sheet out as a full rectangle when it is opened (an OpenDocument file:
    every sheet, when the workbook is opened), so each sheet's reach is measured first
    (:mod:`.sheet_shape`) and a sheet that is mostly empty or far too wide is one blocker
    instead of a read.
    """
    shapes = sheet_shapes(str(path))
    refusals = {
        name: finding
        for name, shape in shapes.items()
        if (finding := _refusal(file, name, shape)) is not None
    }
    if refusals and path.suffix.lower() == ".ods":
        # Opening it would lay out every sheet, the refused ones too: none is read.
        sha = sha256_file(path)
        return [
            _refused_sheet(path, file, name, sha, _whole_file(finding)) for name, finding in refusals.items()
        ]
    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for damaged files
        raise UnreadableFile(
            f"{file} could not be opened as an Excel workbook ({exc.__class__.__name__}). It may be damaged, "
            "password-protected, or not really a spreadsheet."
        ) from exc
    sha = sha256_file(path)
    tables: list[SourceTable] = []
    for sheet_name in book.sheet_names:
        refusal = refusals.get(sheet_name)
        if refusal is not None:
            tables.append(_refused_sheet(path, file, sheet_name, sha, refusal))
            continue
        try:
            rows = book.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False)
        except Exception as exc:
            raise UnreadableFile(f"The sheet “{sheet_name}” in {file} could not be read ({exc}).") from exc
        if not any(any(c not in ("", None) for c in r) for r in rows[:50]):
            continue
        table = _sheet_table(path, file, sheet_name, rows, sha)
        shape = shapes.get(sheet_name)
        if shape is not None:
            table.findings.extend(_cell_findings(file, sheet_name, shape, table.labels))
        tables.append(table)
    return tables


def _cell_findings(file: str, sheet: str, shape: SheetShape, labels: list[str]) -> list[Finding]:
    """A finding at each cell holding a formula or an Excel error value (the first few hundred)."""

    def where(note: CellNote) -> tuple[str, str]:
        ref = f"{column_name(note.column)}{note.row}"
        column = labels[note.column - 1] if note.column <= len(labels) else column_name(note.column)
        return ref, column

    out: list[Finding] = []
    for note in shape.formulas:
        ref, column = where(note)
        formula = f" (={note.text})" if note.text else ""
        out.append(
            Finding(
                "formula-cell",
                Severity.WARNING,
                None,
                file,
                sheet,
                note.row,
                column,
                f"={note.text}" if note.text else None,
                f"Cell {ref} holds a formula{formula}, not a typed value. The value read is the one the "
                "spreadsheet last worked out (blank if it never did), and the spreadsheet works it out again, "
                "perhaps differently, whenever the file is opened.",
                "Replace the formulas with their values (copy the cells, then Paste Special > Values) and save, "
                "or export the data again from the old system.",
            )
        )
    for note in shape.errors:
        ref, column = where(note)
        shown = note.text or "an error value"
        out.append(
            Finding(
                "excel-error-value",
                Severity.ERROR,
                None,
                file,
                sheet,
                note.row,
                column,
                note.text or None,
                f"Cell {ref} holds the Excel error {shown} instead of a value: whatever it should hold was lost "
                "when a formula failed. It reads as blank.",
                "Find what the cell should hold (the formula behind it, or the old system), type the value in, "
                "and save.",
            )
        )
    if shape.formula_count > len(shape.formulas):
        out.append(
            Finding.about_file(
                "formula-cell",
                Severity.WARNING,
                file,
                sheet,
                f"The sheet “{sheet}” holds {shape.formula_count:,} cells with formulas; only the first "
                f"{MAX_NOTED:,} are listed.",
                "Replace the formulas with their values (copy the sheet, then Paste Special > Values) and save.",
            )
        )
    if shape.error_count > len(shape.errors):
        out.append(
            Finding.about_file(
                "excel-error-value",
                Severity.ERROR,
                file,
                sheet,
                f"The sheet “{sheet}” holds {shape.error_count:,} cells with Excel error values; only the "
                f"first {MAX_NOTED:,} are listed.",
                "Find what these cells should hold and type the values in.",
            )
        )
    return out


def _whole_file(finding: Finding) -> Finding:
    return replace(
        finding,
        message=finding.message + " An OpenDocument workbook is read all at once, so its other sheets were "
        "not read either.",
    )


def _refusal(file: str, sheet: str, shape: SheetShape) -> Finding | None:
    """The finding that keeps a sheet from being read, or None when it can be read."""
    far = f"{column_name(shape.columns)}{shape.rows}" if shape.exact else ""
    if not shape.allowed():
        at = f" (its last cell is {far})" if far else ""
        return Finding.about_file(
            "sheet-mostly-empty",
            Severity.BLOCKER,
            file,
            sheet,
            f"The sheet “{sheet}” reaches {shape.columns:,} columns by {shape.rows:,} rows{at} but holds only "
            f"{shape.cells:,} cells: laying it out would take more memory than this computer should spend on "
            "a mostly empty sheet, so it was not read.",
            "Open the workbook, press Ctrl+End on this sheet to find the far cell, delete the empty rows and "
            "columns up to it (or copy the real data to a new sheet), save, and check it again.",
        )
    if shape.exact and shape.columns > MAX_COLUMNS:
        return too_many_columns(
            file,
            sheet,
            shape.columns,
            f" Its last column is {column_name(shape.columns)} (the far cell is {far}).",
        )
    return None


def _refused_sheet(path: Path, file: str, sheet: str, sha: str, finding: Finding) -> SourceTable:
    return SourceTable(
        file=file,
        path=path,
        sheet=sheet,
        data=pd.DataFrame({ROW: pd.Series([], dtype="int64")}),
        labels=[],
        encoding=None,
        sha256=sha,
        findings=[finding],
        format="xlsx",
    )


def _sheet_table(path: Path, file: str, sheet: str, rows: list[list[Any]], sha: str) -> SourceTable:
    width = max((len(r) for r in rows), default=0)
    frame = pd.DataFrame(rows, dtype=object)
    head = [[cell_text(c) for c in r] for r in rows[:25]]
    header_index = find_header_row(head)
    raw_labels = [clean_label(c) for c in head[header_index]] if head else []
    # Columns to the right of the last heading are only kept if they hold data.
    last = max((i for i, lab in enumerate(raw_labels) if lab), default=-1)
    body = frame.iloc[header_index + 1 :]
    filled = [i for i in range(width) if i <= last or (body[i].notna() & body[i].ne("")).any()]
    # Empty columns between used ones stay, so a column is named by its real position in the sheet.
    used = list(range(max(filled) + 1)) if filled else []
    raw_labels = [raw_labels[i] if i < len(raw_labels) else "" for i in used]
    labels = unique_labels(raw_labels)
    data = pd.DataFrame(
        {lab: body[i].map(cell_text).astype("str") for lab, i in zip(labels, used, strict=True)}
    )
    data[ROW] = np.arange(header_index + 2, header_index + 2 + len(body), dtype=np.int64)
    header_row = header_index + 1
    findings = header_findings(raw_labels, file, sheet, header_row, data, labels)
    blank = (data[labels].apply(lambda c: c.str.strip()) == "").all(axis=1).to_numpy() if labels else None
    if blank is not None and blank.any():
        # Trailing empty rows are how worksheets end; only blank rows between records matter.
        last_filled = int(np.flatnonzero(~blank).max()) if (~blank).any() else -1
        inner = blank.copy()
        inner[last_filled + 1 :] = False
        for r in data.loc[inner, ROW].to_numpy():
            findings.append(
                Finding(
                    "blank-row",
                    Severity.WARNING,
                    None,
                    file,
                    sheet,
                    int(r),
                    None,
                    None,
                    f"Row {int(r)} is empty. Empty rows can make an import stop early or skip what follows.",
                    "Delete the empty row.",
                )
            )
        data = data.loc[~blank].reset_index(drop=True)
    limit = _XLS_MAX_ROWS if path.suffix.lower() == ".xls" else _XLSX_MAX_ROWS
    if len(rows) >= limit:
        findings.append(
            Finding(
                "excel-row-limit",
                Severity.BLOCKER,
                None,
                file,
                sheet,
                len(rows),
                None,
                None,
                f"The sheet “{sheet}” is full to Excel's last row ({limit:,}): records after it were lost.",
                "Export this data again as CSV, or split it by year, so no records are cut off.",
            )
        )
    return SourceTable(
        file=file,
        path=path,
        sheet=sheet,
        data=data,
        labels=labels,
        encoding=None,
        header_row=header_row,
        sha256=sha,
        findings=findings,
        format="xlsx",
    )
