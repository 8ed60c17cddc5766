"""The downloadable migration templates, generated from the canonical schema.

One CSV per entity and one workbook with a sheet per entity, headers exactly as the
schema's field titles. The shipped copies in ``resources/templates`` are produced by
:func:`write_templates` and a test keeps them in step with the schema.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import IO, cast

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill

from migration_assistant.core.atomic import atomic_write
from migration_assistant.core.schema import entities

WORKBOOK_NAME = "migration-templates.xlsx"


def csv_text(entity: str) -> str:
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\r\n").writerow(entities()[entity].titles)
    return buf.getvalue()


def _describe(field_title: str, entity: str) -> str:
    f = next(f for f in entities()[entity].fields if f.title == field_title)
    parts = [f.description] if f.description else []
    if f.required:
        parts.append("Required.")
    if f.enum:
        parts.append("One of: " + ", ".join(f.enum) + ".")
    if f.type == "boolean":
        parts.append("Y or N.")
    if f.is_date:
        parts.append("A date: YYYY-MM-DD or MM/DD/YYYY, the same way throughout the column.")
    if f.money:
        parts.append("An amount; a currency sign and thousands separators are fine.")
    return " ".join(parts) or "Optional."


def write_templates(folder: Path) -> list[Path]:
    """Write every template into *folder*; returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for name in entities():
        path = folder / f"{name}.csv"
        with atomic_write(path, "w", encoding="utf-8", newline="") as fh:
            cast(IO[str], fh).write(csv_text(name))
        written.append(path)
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    header_fill = PatternFill("solid", fgColor="DDE7F0")
    for name, ent in entities().items():
        sheet = book.create_sheet(ent.name)
        sheet.append(list(ent.titles))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.fill = header_fill
            cell.comment = Comment(_describe(str(cell.value), name), "Migration Assistant")
            sheet.column_dimensions[cell.column_letter].width = max(14, len(str(cell.value)) + 4)
            # Text format keeps IDs such as 000123 from losing their zeros when typed in Excel.
            sheet.column_dimensions[cell.column_letter].number_format = "@"
        sheet.freeze_panes = "A2"
    path = folder / WORKBOOK_NAME
    with atomic_write(path, "wb", encoding=None) as fh:
        book.save(fh)
    written.append(path)
    return written
