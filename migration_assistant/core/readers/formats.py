"""Interchange formats (LEDES, iCalendar, vCard, QuickBooks IIF): recognising them and reading them.

:func:`sniff_format` tells which format a file is in, :func:`read_format` reads it with
the matching reader. The small helpers below (reading bytes, decoding text, numbering
lines, building the :class:`SourceTable`) are shared by the four readers so that they
all count lines, spell money and report findings the same way.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pandas as pd

from migration_assistant.core.findings import Finding, Severity
from migration_assistant.core.readers.errors import UnreadableFile
from migration_assistant.core.readers.table import ROW, SourceTable
from migration_assistant.core.schema import entity

FORMATS = ("ledes", "ics", "vcf", "iif")
"""The format names :func:`sniff_format` returns and :func:`read_format` accepts."""

FORMAT_EXTENSIONS = {
    ".ledes": "ledes",
    ".ics": "ics",
    ".ical": "ics",
    ".icalendar": "ics",
    ".ifb": "ics",
    ".vcf": "vcf",
    ".vcard": "vcf",
    ".iif": "iif",
}
"""Extension -> format, the one table of interchange-format extensions (the folder scan reads it too)."""
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_IIF_HEADER = re.compile(r"!\s*[A-Za-z][A-Za-z ]*[\t,]|!\s*ENDTRNS\b", re.IGNORECASE)
_LEDES_HEADER = re.compile(r"INVOICE_DATE\s*\|\s*INVOICE_NUMBER", re.IGNORECASE)


# --------------------------------------------------------------------------- recognising


def sniff_format(path: Path, head: bytes) -> str | None:
    """Which interchange format a file is in: by content first, by extension second.

    Args:
        path: The file (only its extension is used).
        head: The first few kilobytes of the file.

    Returns:
        "ledes", "ics", "vcf" or "iif", or None when the file is none of them (a CSV or a
        workbook, for the table readers).
    """
    text, _ = decode_text(head[:16384], fallback="cp1252", partial=True)
    first = ""
    for line in _LINE_BREAK.split(text):
        if line.strip():
            first = line.strip()
            break
    upper = first.upper()
    if upper.startswith("LEDES") or _LEDES_HEADER.search(first):
        return "ledes"
    if upper.startswith(("BEGIN:VCALENDAR", "BEGIN:VEVENT", "BEGIN:VTODO")):
        return "ics"
    if upper.startswith("BEGIN:VCARD"):
        return "vcf"
    if _IIF_HEADER.match(first) or upper.rstrip("\t, ") in ("!TRNS", "!SPL", "!ENDTRNS"):
        return "iif"
    return FORMAT_EXTENSIONS.get(path.suffix.lower())


def read_format(path: Path, display_name: str, fmt: str) -> list[SourceTable]:
    """Read a file in one of the interchange formats.

    Args:
        path: The file.
        display_name: The name findings and the report use for it.
        fmt: One of :data:`FORMATS` (usually what :func:`sniff_format` returned).

    Returns:
        The tables read from the file; format-level problems are in their ``findings``.

    Raises:
        UnreadableFile: the file could not be read at all.
        ValueError: *fmt* is not one of :data:`FORMATS`.
    """
    # Imported here because every reader imports the helpers of this module.
    if fmt == "ledes":
        from migration_assistant.core.readers.ledes import read_ledes

        return read_ledes(path, display_name)
    if fmt == "ics":
        from migration_assistant.core.readers.ical import read_ics

        return read_ics(path, display_name)
    if fmt == "vcf":
        from migration_assistant.core.readers.vcard import read_vcf

        return read_vcf(path, display_name)
    if fmt == "iif":
        from migration_assistant.core.readers.iif import read_iif

        return read_iif(path, display_name)
    raise ValueError(f"unknown format {fmt!r}; known: {', '.join(FORMATS)}")


# --------------------------------------------------------------------------- shared helpers


@dataclass(frozen=True, slots=True)
class RawFile:
    """A file's bytes with what every table read from it records."""

    path: Path
    file: str
    data: bytes
    sha256: str


def load(path: Path, display_name: str) -> RawFile:
    """Read a whole file.

    Interchange files are small (a calendar or an address book, not a million time
    entries), so they are read in one go.

    Args:
        path: The file.
        display_name: The name messages use for it.

    Returns:
        The bytes with their SHA-256.

    Raises:
        UnreadableFile: the operating system could not read it.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableFile.from_os_error(display_name, exc) from exc
    return RawFile(path=path, file=display_name, data=data, sha256=hashlib.sha256(data).hexdigest())


_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def decode_text(data: bytes, *, fallback: str, partial: bool = False) -> tuple[str, str]:
    """Decode a file's bytes: byte-order mark, UTF-16 without one, UTF-8, else *fallback*.

    Args:
        data: The bytes.
        fallback: The 8-bit code page to use when the bytes are not UTF-8.
        partial: The bytes are only the head of a file and may end inside a character.

    Returns:
        The text (without a byte-order mark) and the Python codec name used.
    """
    for bom, name in _BOMS:
        if data.startswith(bom):
            return _decode(data[len(bom) :], name.replace("-sig", ""), partial), name
    utf16 = _utf16_without_bom(data)
    if utf16:
        return _decode(data, utf16, partial), utf16
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        if partial and exc.start >= len(data) - 3:
            return data[: exc.start].decode("utf-8"), "utf-8"
    try:
        return data.decode(fallback), fallback
    except UnicodeDecodeError:
        # Windows-1252 leaves five byte values undefined; Latin-1 maps every byte, so
        # the text still reads and the odd character shows up for a person to check.
        return data.decode("latin-1"), "latin-1"


def _decode(data: bytes, codec: str, partial: bool) -> str:
    if partial:
        decoder = codecs.getincrementaldecoder(codec)(errors="replace")
        return decoder.decode(data, final=False)
    return data.decode(codec, errors="replace")


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:4096]
    if len(sample) < 4:
        return None
    half = len(sample) // 2
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    # ASCII-heavy text in UTF-16 has a NUL in every other byte; binary data has them anywhere.
    if odd_nuls > half * 0.3 and even_nuls < half * 0.05:
        return "utf-16-le"
    if even_nuls > half * 0.3 and odd_nuls < half * 0.05:
        return "utf-16-be"
    return None


def split_lines(text: str) -> list[str]:
    """Physical lines, numbered the way a text editor numbers them (index 0 is line 1).

    CRLF, LF and a bare CR each end a line; unlike :meth:`str.splitlines`, form feeds and
    Unicode separators inside a value do not, so line numbers match what the user sees.
    """
    lines = _LINE_BREAK.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)")


def parse_decimal(text: str) -> Decimal | None:
    """A plain decimal number ("1250", "1250.", "-70", "0.200"), or None when it is not one."""
    text = text.strip()
    if not _NUMBER.fullmatch(text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern already excludes these
        return None


def money_text(value: Decimal) -> str:
    """Money as plain text with two decimals ("1234.50").

    A value with more than two decimals keeps them all: rounding here would silently
    change an amount the user never sees in the original file.
    """
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent >= -2:
        return f"{value.quantize(Decimal('0.01')):f}"
    return f"{value.normalize():f}"


def number_text(value: Decimal) -> str:
    """A quantity as plain text without trailing zeros ("2", "0.2", "1.25")."""
    text = f"{value.normalize():f}"
    return "0" if text in ("-0", "+0") else text


def make_finding(
    rule: str,
    severity: Severity,
    entity_name: str | None,
    file: str,
    row: int | None,
    message: str,
    hint: str,
    *,
    column: str | None = None,
    value: str | None = None,
) -> Finding:
    """A :class:`Finding` for a format reader (readers of these formats have no sheets)."""
    return Finding(
        rule=rule,
        severity=severity,
        entity=entity_name,
        file=file,
        sheet=None,
        row=row,
        column=column,
        value=value,
        message=message,
        hint=hint,
    )


def build_table(
    raw: RawFile,
    *,
    role: str,
    fmt: str,
    encoding: str,
    records: Sequence[dict[str, str]],
    rows: Sequence[int],
    findings: Iterable[Finding] = (),
    delimiter: str | None = None,
    header_row: int = 1,
) -> SourceTable:
    """A :class:`SourceTable` whose columns are the canonical template titles of *role*.

    Args:
        raw: The file the records came from.
        role: The canonical entity ("activities", "calendar"...).
        fmt: The format name ("ledes"...).
        encoding: The codec the text was decoded with.
        records: One dict per record, keyed by template title; a missing title is "".
        rows: The line number where each record starts, parallel to *records*.
        findings: Format-level problems found while reading.
        delimiter: The field delimiter, for delimited formats.
        header_row: The line holding the field names, for formats that have one.
    """
    titles = list(entity(role).titles)
    columns: dict[str, pd.Series] = {
        title: pd.Series([r.get(title, "") for r in records], dtype="str") for title in titles
    }
    columns[ROW] = pd.Series(list(rows), dtype="int64")
    return SourceTable(
        file=raw.file,
        path=raw.path,
        sheet=None,
        data=pd.DataFrame(columns),
        labels=titles,
        encoding=encoding,
        delimiter=delimiter,
        header_row=header_row,
        sha256=raw.sha256,
        findings=list(findings),
        role=role,
        role_confidence=1.0,
        format=fmt,
    )


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """A count with its noun ("1 invoice", "3 invoices"), so messages read as plain English."""
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{count} {word}"
