"""How far a workbook's sheets reach and how many cells they hold, read before calamine opens them.

calamine (the Excel reader) lays every sheet out as a rectangle from its first to its last
cell, 32 bytes per cell of the rectangle, before anything can look at it: one value at
XFD1048576 in a 2 KB file asks for 512 GiB and aborts the process, one at XFD5000 takes
3 GB. The declared ``<dimension>`` of a worksheet does not matter (calamine ignores it, and
it can lie); the cells' own positions do. So the sheet's XML is streamed first (never held
whole) and its reach compared with the cells it really holds.

Measured reach, in order of cost:

* .xlsx/.xlsm: every cell is one ``<c>`` element, counted with ``bytes.count``; a cheap
  upper bound on the reach comes from the *widths* of the cell references (three letters
  means a column past ZZ, seven digits a row past 999,999), found with ``bytes.find`` on a
  copy of the XML where every capital is ``A`` and every digit ``0``. Only when that bound
  is too large to allow is the exact reach taken from every reference with a regular
  expression (a second pass, about 0.4 µs a cell).
* .ods: cells and rows can repeat (``number-columns-repeated``), so a few bytes can stand
  for billions of cells; the XML is parsed as a stream and the repeats multiplied out.
* .xls (at most 65,536 x 256 cells, 512 MiB at worst) and .xlsb are not measured.

The same pass over an .xlsx sheet notes the cells that hold a formula (``<f>``) or an Excel
error value (``t="e"``, such as ``#REF!``): calamine gives only a formula's last computed
value (blank when it was never computed) and gives an error cell as blank, so neither can be
seen in what it returns. Only a piece of the XML that holds such a cell is searched for it.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import PurePosixPath
from typing import IO
from xml.etree import ElementTree
from xml.sax.saxutils import unescape

from migration_assistant.core.readers.labels import MAX_COLUMNS

_CHUNK = 4 << 20
_CARRY_LIMIT = 1 << 20
_MAX_PART_XML = 16 << 20
"""The largest workbook.xml or relationships part parsed to match sheet names with their XML."""

MOSTLY_EMPTY_FLOOR = 250_000
"""A sheet's rectangle of up to this many cells is read whatever it holds (8 MB in calamine).

Small, so that a stray value far below a short list (A900000 under 100 rows) is refused
rather than read as 900,000 empty rows, each of them then reported."""
MOSTLY_EMPTY_RATIO = 20
"""Past the floor, a rectangle more than this many times the cells it holds (under 5% filled) is refused.

Real exports leave many optional columns blank, rarely nineteen cells in twenty."""
MAX_CELLS = 60_000_000
"""No rectangle larger than this is read, however full (1,048,576 rows of 57 columns; ~2 GB in calamine)."""

_SHAPES = bytes.maketrans(
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'\t\n\r>/", b"A" * 26 + b"0" * 10 + b'"' + b" " * 5
)
_VALUED_CELL = re.compile(rb"""<(?:[\w.-]+:)?c\s[^>]*?\br\s*=\s*["']([A-Z]{1,4})(\d{1,8})["'][^>]*(?<!/)>""")
"""A cell's opening tag that is not self-closing (so it may hold a value), with its reference."""
_CELL_OPEN = re.compile(rb"<(?:[\w.-]+:)?c\s([^>]*?)(/?)>")
_REF = re.compile(rb"""\br\s*=\s*["']([A-Z]{1,4})(\d{1,8})["']""")
_ERROR_TYPE = re.compile(rb"""\bt\s*=\s*["']e["']""")
_FORMULA_TAG = re.compile(rb"<(?:[\w.-]+:)?f[\s>/]")
_FORMULA_TEXT = re.compile(rb"<(?:[\w.-]+:)?f(?:\s[^>]*)?>([^<]*)<")
_VALUE_TEXT = re.compile(rb"<(?:[\w.-]+:)?v(?:\s[^>]*)?>([^<]*)<")
_CELL_CLOSE = re.compile(rb"</(?:[\w.-]+:)?c>")
_TAIL = 4096
"""How much of a piece's end is searched for a cell that goes on in the next piece."""
MAX_NOTED = 1000
"""Formula and error cells kept per sheet; past it they are only counted (a sheet of formulas is one story)."""
_ROOT_PREFIX = re.compile(rb"<(?:([A-Za-z_][\w.-]*):)?worksheet[\s>]")
_NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_NS_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_NS_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"


@dataclass(frozen=True, slots=True)
class CellNote:
    """A cell worth reporting: where it is (1-based row and column) and its formula or error value."""

    row: int
    column: int
    text: str


@dataclass(frozen=True, slots=True)
class SheetShape:
    """A sheet's reach and content.

    Attributes:
        cells: cells the sheet's XML holds (for .ods, with repeats multiplied out).
        rows: the last row a cell sits in (1-based; an upper bound when ``exact`` is False).
        columns: the last column a cell sits in (likewise).
        exact: ``rows`` and ``columns`` are the real reach, not a bound.
        formulas: the first :data:`MAX_NOTED` cells holding a formula (.xlsx/.xlsm), text without "=".
        formula_count: how many cells hold a formula.
        errors: the first :data:`MAX_NOTED` cells holding an Excel error value such as ``#REF!``.
        error_count: how many cells hold an error value.
    """

    cells: int
    rows: int
    columns: int
    exact: bool = True
    formulas: tuple[CellNote, ...] = field(default=())
    formula_count: int = 0
    errors: tuple[CellNote, ...] = field(default=())
    error_count: int = 0

    @property
    def area(self) -> int:
        """Cells in the rectangle calamine lays out (from A1, as the reader asks for it)."""
        return self.rows * self.columns

    def allowed(self) -> bool:
        """The rectangle is small, or not mostly empty, and below :data:`MAX_CELLS`."""
        if self.area <= MOSTLY_EMPTY_FLOOR:
            return True
        return self.area <= MAX_CELLS and self.area <= MOSTLY_EMPTY_RATIO * self.cells


def column_name(number: int) -> str:
    """Excel's letters for a 1-based column number (1 -> A, 16384 -> XFD)."""
    name = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        name = chr(ord("A") + rest) + name
    return name


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def sheet_shapes(path: str) -> dict[str, SheetShape]:
    """The shape of each sheet of a workbook, by sheet name, for the formats that are measured.

    Args:
        path: The workbook (.xlsx, .xlsm or .ods; other formats give an empty answer).

    Returns:
        Sheet name -> shape; a sheet (or a whole format) that could not be measured is left
        out, and calamine's own reading then decides (a damaged file is its to report).
    """
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "xl/workbook.xml" in names:
                return _xlsx_shapes(archive)
            if "content.xml" in names:
                return _ods_shapes(archive)
            return {}
    except (zipfile.BadZipFile, OSError, KeyError, ElementTree.ParseError, ValueError, EOFError):
        return {}


# ------------------------------------------------------------------ xlsx


def _xlsx_shapes(archive: zipfile.ZipFile) -> dict[str, SheetShape]:
    shapes: dict[str, SheetShape] = {}
    for name, part in _xlsx_sheet_parts(archive).items():
        try:
            info = archive.getinfo(part)
        except KeyError:
            continue
        if info.filename.lower().endswith(".bin"):
            continue  # .xlsb: binary records, not measured
        shape = _measure_xlsx(archive, info, exact=False)
        if not shape.allowed() or shape.columns > MAX_COLUMNS:
            exact = _measure_xlsx(archive, info, exact=True, notes=False)
            shape = replace(
                shape, cells=exact.cells, rows=exact.rows, columns=exact.columns, exact=exact.exact
            )
        shapes[name] = shape
    return shapes


def _small_xml(archive: zipfile.ZipFile, name: str) -> ElementTree.Element:
    info = archive.getinfo(name)
    if info.file_size > _MAX_PART_XML:
        raise ValueError(f"{name} is too large to be a workbook's list of sheets")
    return ElementTree.fromstring(archive.read(info))


def _xlsx_sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> the zip member holding its cells, from workbook.xml and its relationships."""
    book = _small_xml(archive, "xl/workbook.xml")
    rels = _small_xml(archive, "xl/_rels/workbook.xml.rels")
    targets = {
        rel.get("Id", ""): rel.get("Target", "")
        for rel in rels.iter()
        if rel.tag.rsplit("}", 1)[-1] == "Relationship"
    }
    parts: dict[str, str] = {}
    for sheet in book.iter(f"{{{_NS_MAIN}}}sheet"):
        target = targets.get(sheet.get(f"{{{_NS_REL}}}id", ""), "")
        if not target:
            continue
        # Targets are relative to xl/, or absolute from the package root.
        path = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
        parts[sheet.get("name", "")] = _normalise(path)
    return parts


def _normalise(path: str) -> str:
    out: list[str] = []
    for piece in path.split("/"):
        if piece == "..":
            if out:
                out.pop()
        elif piece not in ("", "."):
            out.append(piece)
    return "/".join(out)


def _pieces(stream: IO[bytes]) -> Iterator[bytes]:
    """The decompressed XML in chunks that each end just before a ``<`` (no tag is split)."""
    carry = b""
    while chunk := stream.read(_CHUNK):
        data = carry + chunk
        cut = data.rfind(b"<")
        if cut <= 0 or len(data) - cut > _CARRY_LIMIT:
            yield data
            carry = b""
        else:
            yield data[:cut]
            carry = data[cut:]
    if carry:
        yield carry


class _CellNotes:
    """Formula and error cells of one sheet, found piece by piece (a cell may straddle two pieces)."""

    def __init__(self) -> None:
        self.formulas: list[CellNote] = []
        self.errors: list[CellNote] = []
        self.formula_count = 0
        self.error_count = 0
        self._open: tuple[int, int, bool] | None = None
        """The last cell of the previous piece, when its content may go on in this one."""

    def scan(self, piece: bytes) -> None:
        if self._open is None and not (_FORMULA_TAG.search(piece) or _ERROR_TYPE.search(piece)):
            # A piece is cut just before a tag, often between a cell and its formula: the last
            # cell is remembered in case its content goes on in the next piece.
            self._open = self._unclosed(piece[-_TAIL:])
            return
        cells = list(_CELL_OPEN.finditer(piece))
        lead_end = cells[0].start() if cells else len(piece)
        if self._open is not None:
            self._note(*self._open, piece[:lead_end])
            self._open = None
        for i, match in enumerate(cells):
            ref = _REF.search(match.group(1))
            if ref is None or match.group(2):
                continue  # no position to report, or self-closing (no content)
            end = cells[i + 1].start() if i + 1 < len(cells) else len(piece)
            body = piece[match.end() : end]
            position = (
                int(ref.group(2)),
                _column_number(ref.group(1)),
                bool(_ERROR_TYPE.search(match.group(1))),
            )
            self._note(*position, body)
            if i + 1 == len(cells) and not _CELL_CLOSE.search(body):
                self._open = position

    @staticmethod
    def _unclosed(tail: bytes) -> tuple[int, int, bool] | None:
        opens = list(_CELL_OPEN.finditer(tail))
        last = opens[-1] if opens else None
        if last is None or last.group(2) or _CELL_CLOSE.search(tail, last.end()):
            return None
        ref = _REF.search(last.group(1))
        if ref is None:
            return None
        return int(ref.group(2)), _column_number(ref.group(1)), bool(_ERROR_TYPE.search(last.group(1)))

    def _note(self, row: int, column: int, error: bool, body: bytes) -> None:
        if _FORMULA_TAG.search(body):
            self.formula_count += 1
            if len(self.formulas) < MAX_NOTED:
                text = _FORMULA_TEXT.search(body)
                self.formulas.append(CellNote(row, column, _text(text.group(1)) if text else ""))
        if error:
            self.error_count += 1
            if len(self.errors) < MAX_NOTED:
                value = _VALUE_TEXT.search(body)
                self.errors.append(CellNote(row, column, _text(value.group(1)) if value else ""))


def _text(raw: bytes) -> str:
    return unescape(raw.decode("utf-8", errors="replace"), {"&quot;": '"', "&apos;": "'"})


def _measure_xlsx(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, *, exact: bool, notes: bool = True
) -> SheetShape:
    """Count the cells holding a value, and bound (or, *exact*, find) the reach of those cells.

    calamine leaves out a cell with no value (``<c r="ZZ9" s="1"/>``, formatting only, which
    Excel writes far out when whole rows are formatted), so only cells with a ``<v>`` or an
    inline ``<is>`` count; the cheap bound takes every reference, and a sheet it cannot
    clear is measured exactly on the cells that are not self-closing. With *notes*, the
    formula and error cells are noted on the way.
    """
    cells = rows = columns = 0
    letters = digits = 0
    placed = 0
    prefix: bytes | None = None
    marks = _CellNotes()
    with archive.open(info) as stream:
        for piece in _pieces(stream):
            if notes:
                marks.scan(piece)
            if prefix is None:
                found = _ROOT_PREFIX.search(piece)
                prefix = found.group(1) + b":" if found and found.group(1) else b""
            # Capitals become A, digits 0, quotes ", and white space, ">" and "/" a space: every
            # value tag then reads "<v " and every reference ' r="AA00"', whatever the writer did.
            shapes = piece.translate(_SHAPES)
            cells += shapes.count(b"<" + prefix + b"v ") + shapes.count(b"<" + prefix + b"is ")
            if exact:
                for column, row in _VALUED_CELL.findall(piece):
                    placed += 1
                    rows = max(rows, int(row))
                    columns = max(columns, _column_number(column))
                continue
            placed += shapes.count(b' r="A')
            while letters < 4 and shapes.find(b' r="' + b"A" * (letters + 1)) >= 0:
                letters += 1
            row_tag = b"<" + prefix + b'row r="'
            while digits < 8 and (
                shapes.find(b"A" + b"0" * (digits + 1) + b'"') >= 0
                or shapes.find(row_tag + b"0" * (digits + 1)) >= 0
            ):
                digits += 1
    # A cell without a reference follows the one before it: at most one column (or row) further each.
    unplaced = max(0, cells - placed)
    if exact:
        shape = SheetShape(cells, rows + unplaced, columns + unplaced, exact=unplaced == 0)
    else:
        column_bound = (0, 26, 702, 18_278, 475_254)[letters]
        row_bound = 10**digits - 1 if digits else 0
        shape = SheetShape(cells, row_bound + unplaced, column_bound + unplaced, exact=False)
    return replace(
        shape,
        formulas=tuple(marks.formulas),
        formula_count=marks.formula_count,
        errors=tuple(marks.errors),
        error_count=marks.error_count,
    )


# ------------------------------------------------------------------ ods


def _ods_shapes(archive: zipfile.ZipFile) -> dict[str, SheetShape]:
    """Each table's reach, with repeated rows and cells multiplied out; trailing empty ones do not count."""
    shapes: dict[str, SheetShape] = {}
    table_tag = f"{{{_NS_TABLE}}}table"
    row_tag = f"{{{_NS_TABLE}}}table-row"
    cell_tags = (f"{{{_NS_TABLE}}}table-cell", f"{{{_NS_TABLE}}}covered-table-cell")
    value_type = f"{{{_NS_OFFICE}}}value-type"
    rows_repeated = f"{{{_NS_TABLE}}}number-rows-repeated"
    columns_repeated = f"{{{_NS_TABLE}}}number-columns-repeated"
    with archive.open("content.xml") as stream:
        name = ""
        row = cells = last_row = last_column = 0
        row_cells: list[tuple[int, int, bool]] = []  # (repeat, column after it, filled) in the current row
        for event, element in ElementTree.iterparse(stream, events=("start", "end")):
            tag = element.tag
            if event == "start":
                if tag == table_tag:
                    name = element.get(f"{{{_NS_TABLE}}}name", "")
                    row = cells = last_row = last_column = 0
                elif tag == row_tag:
                    row_cells = []
                continue
            if tag in cell_tags:
                repeat = _repeat(element.get(columns_repeated))
                filled = element.get(value_type) is not None or len(element) > 0 or bool(element.text)
                column = (row_cells[-1][1] if row_cells else 0) + repeat
                row_cells.append((repeat, column, filled))
                element.clear()
            elif tag == row_tag:
                repeat = _repeat(element.get(rows_repeated))
                filled_cells = [(r, col) for r, col, filled in row_cells if filled]
                row += repeat
                if filled_cells:
                    cells += repeat * sum(r for r, _ in filled_cells)
                    last_row = row
                    last_column = max(last_column, filled_cells[-1][1])
                element.clear()
            elif tag == table_tag:
                shapes[name] = SheetShape(cells, last_row, last_column)
                element.clear()
    return shapes


def _repeat(text: str | None) -> int:
    try:
        return max(1, int(text)) if text else 1
    except ValueError:
        return 1
