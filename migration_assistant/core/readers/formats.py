"""Interchange formats (LEDES, iCalendar, vCard, QuickBooks IIF): recognising them and reading them.

:func:`sniff_format` tells which format a file is in, :func:`read_format` reads it with
the matching reader. What the four readers share is in :mod:`.common`.
"""

from __future__ import annotations

import re
from pathlib import Path

from migration_assistant.core.readers.common import decode_text, split_lines
from migration_assistant.core.readers.table import SourceTable

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
    for line in split_lines(text):
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
    # Imported when needed: the iCalendar and vCard readers load their parsing libraries, which a
    # run without such files (most runs) does not need.
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
