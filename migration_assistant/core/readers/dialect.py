"""Delimiter and header-row detection on a decoded sample of a file."""

from __future__ import annotations

import csv
import io
from collections import Counter

from migration_assistant.core.schema import entities, normalise_label

DELIMITERS = (",", ";", "\t", "|")
_HEADER_SCAN = 25
MAX_HEADING_ROW = 100_000
"""The longest first row (in characters) read as a heading row: a real one is a few hundred."""


def sample_records(text: str, delimiter: str, limit: int = _HEADER_SCAN) -> list[list[str]]:
    """The first *limit* records of a sample, quoting and embedded newlines respected."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    out: list[list[str]] = []
    try:
        for record in reader:
            out.append(record)
            if len(out) >= limit:
                break
    except csv.Error:
        pass
    return out


def heading_row_problem(text: str, records: list[list[str]]) -> tuple[str, str, str] | None:
    """Why the sample's first row cannot be a heading row, or None when it can.

    A first row longer than :data:`MAX_HEADING_ROW` characters (a whole document in one
    cell, or a file with no line breaks) is no heading row, and Python's CSV parser refuses
    a cell that long; nothing of such a file is read as a table.

    Args:
        text: The decoded sample (the file's first megabyte).
        records: The records :func:`sample_records` found in it.

    Returns:
        The finding's rule, message and hint, or None.
    """
    first = records[0] if records else None
    length = sum(len(cell) for cell in first) if first is not None else 0
    if first is not None and length <= MAX_HEADING_ROW:
        return None
    if first is None:
        end = min((i for i in (text.find("\n"), text.find("\r")) if i >= 0), default=len(text))
        length = end
    if length <= MAX_HEADING_ROW:
        return (
            "heading-row-unreadable",
            "The first row of this file could not be read as column headings, so the file was not read.",
            "Open the file in a text editor: the first line should name the columns, separated by commas. "
            "Export the data again from the old system.",
        )
    size = (
        f"runs past the first {length:,} characters"
        if length >= len(text)
        else f"is {length:,} characters long"
    )
    return (
        "heading-row-unreadable",
        f"The first row of this file {size}, far longer than a row of column headings, so the file was not "
        "read as a table.",
        "Check that this is the right export file: its first line should name the columns. If a note or "
        "document was pasted into the heading row, remove it and export again.",
    )


def sniff_delimiter(text: str) -> str:
    """Pick the delimiter that splits the sample's records into the most consistent columns.

    csv.Sniffer guesses badly on short files and on files with free text, so each
    candidate is scored by how many records share its most common field count.
    """
    lines = text[:65536]
    best, best_score = ",", -1.0
    for delim in DELIMITERS:
        if delim not in lines:
            continue
        records = [r for r in sample_records(lines, delim, 50) if any(c.strip() for c in r)]
        if not records:
            continue
        counts = Counter(len(r) for r in records)
        width, agree = counts.most_common(1)[0]
        if width < 2:
            continue
        score = agree / len(records) * 100 + min(width, 30)
        if score > best_score:
            best, best_score = delim, score
    return best


def _known_labels() -> set[str]:
    labels: set[str] = set()
    for ent in entities().values():
        labels.update(normalise_label(t) for t in ent.titles)
    return labels


def find_header_row(records: list[list[str]], extra_labels: set[str] | None = None) -> int:
    """0-based index of the header among the first records.

    Titles, dates and blank lines often sit above the header in exports saved from a
    report. The header is the first record that names known columns, or failing that
    the first record as wide as the widest of the sample whose cells are all filled.
    """
    if not records:
        return 0
    known = _known_labels() | (extra_labels or set())
    for index, record in enumerate(records[:_HEADER_SCAN]):
        filled = [normalise_label(c) for c in record if c.strip()]
        if len(filled) >= 2 and sum(1 for c in filled if c in known) >= max(2, len(filled) // 3):
            return index
    widths = [sum(1 for c in r if c.strip()) for r in records[:_HEADER_SCAN]]
    for index, width in enumerate(widths):
        following = sorted(widths[index + 1 : index + 11]) or [width]
        median = following[len(following) // 2]
        if width >= 2 and width >= 0.5 * median:
            return index
    return 0
