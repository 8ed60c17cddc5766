"""Writing the export: each entity as a file named, encoded and laid out the way a firm's would be."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd

from scripts.sample_export.common import FIRM_NAME, Firm
from scripts.sample_export.planting import Planted


@dataclass(frozen=True)
class FileSpec:
    """How one entity is written: file name, encoding, line ending, and a title above a workbook's header."""

    name: str
    encoding: str = "utf-8"
    newline: str = "\n"
    title: str | None = None

    @property
    def is_workbook(self) -> bool:
        return self.name.lower().endswith(".xlsx")

    @property
    def header_row(self) -> int:
        """The spreadsheet row of the header (a title row and a blank row push it to 3)."""
        return 3 if self.title else 1


SAMPLE_LAYOUT: dict[str, FileSpec] = {
    "users": FileSpec("Staff.csv"),
    "contacts": FileSpec("Client list.csv", encoding="utf-8-sig", newline="\r\n"),
    "matters": FileSpec("Matters export.csv"),
    "activities": FileSpec("Time and expenses.csv"),
    "bills": FileSpec("Invoices.xlsx", title="Harbourview Legal — Invoices"),
    "trust": FileSpec("Trust ledger.csv"),
    "calendar": FileSpec("Calendar.csv"),
    "tasks": FileSpec("Tasks.csv"),
    "notes": FileSpec("Notes.csv", encoding="cp1252"),
}
"""The bundled sample: names a firm would use, one workbook, three encodings."""

BENCH_LAYOUT: dict[str, FileSpec] = {**SAMPLE_LAYOUT, "bills": FileSpec("Invoices.csv")}
"""The benchmark export: the same, with the invoices as CSV too (openpyxl writes ~10k rows/s)."""

_FIXED_TIME = dt.datetime(2025, 11, 14, 9, 30, 0)
_MONEY_COLUMNS = {"Total", "Amount Paid"}
_DATE_COLUMNS = {"Issue Date", "Due Date"}


def locate(planted: Sequence[Planted], layout: dict[str, FileSpec]) -> list[dict[str, Any]]:
    """The planted problems as the app reports them: file name, spreadsheet row, column."""
    return [
        {
            "id": x.id,
            "entity": x.entity,
            "file": layout[x.entity].name,
            "row": layout[x.entity].header_row + 1 + x.index,
            "column": x.column,
            "problem": x.problem,
        }
        for x in planted
    ]


def write_export(firm: Firm, out_dir: Path, layout: dict[str, FileSpec]) -> list[Path]:
    """Write every entity as its file in ``out_dir``; returns the paths written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for entity, spec in layout.items():
        path = out_dir / spec.name
        if spec.is_workbook:
            _write_workbook(firm[entity], path, spec)
        else:
            _write_csv(firm[entity], path, spec)
        written.append(path)
    return written


def _write_csv(frame: pd.DataFrame, path: Path, spec: FileSpec) -> None:
    columns = [frame[c].to_numpy(dtype=object) for c in frame.columns]
    with path.open("w", encoding=spec.encoding, newline="") as fh:
        writer = csv.writer(fh, lineterminator=spec.newline)
        writer.writerow(frame.columns)
        writer.writerows(zip(*columns, strict=True))


def _excel_value(column: str, text: str) -> tuple[Any, str | None]:
    """A text cell as the typed value a bookkeeper's workbook holds, with its number format."""
    if text == "":
        return None, None
    if column in _DATE_COLUMNS:
        return dt.datetime.strptime(text, "%m/%d/%Y").date(), "mm/dd/yyyy"
    if column in _MONEY_COLUMNS:
        return float(Decimal(text.replace("$", "").replace(",", ""))), '"$"#,##0.00'
    if column == "Invoice Number" and text.isdigit():
        return int(text), "0"
    return text, None


def _write_workbook(frame: pd.DataFrame, path: Path, spec: FileSpec) -> None:
    """An .xlsx with a title row, a blank row, then the header (the sample's 500 rows; not for scale)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Invoices"
    ws.cell(row=1, column=1, value=spec.title).font = Font(bold=True, size=14)
    for j, header in enumerate(frame.columns, start=1):
        ws.cell(row=spec.header_row, column=j, value=header).font = Font(bold=True)
        ws.column_dimensions[chr(ord("A") + j - 1)].width = 16
    for i, record in enumerate(frame.itertuples(index=False, name=None), start=spec.header_row + 1):
        for j, (column, text) in enumerate(zip(frame.columns, record, strict=True), start=1):
            value, number_format = _excel_value(column, str(text))
            cell = ws.cell(row=i, column=j, value=value)
            if number_format:
                cell.number_format = number_format
    ws.freeze_panes = ws.cell(row=spec.header_row + 1, column=1)
    wb.properties.creator = FIRM_NAME
    wb.properties.created = _FIXED_TIME
    wb.properties.modified = _FIXED_TIME
    buffer = io.BytesIO()
    wb.save(buffer)
    path.write_bytes(_reproducible_zip(buffer.getvalue()))


def _reproducible_zip(data: bytes) -> bytes:
    """Rewrite a workbook's zip with fixed timestamps so the same data gives the same bytes."""
    stamp = _FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + stamp, content)
            fixed = zipfile.ZipInfo(info.filename, date_time=_FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            dst.writestr(fixed, content)
    return out.getvalue()
