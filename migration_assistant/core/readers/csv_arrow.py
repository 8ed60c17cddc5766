"""The first half of reading a delimited text file: bytes to an Arrow table, no pandas.

Encoding, delimiter and header row are decided from the file's first megabyte, then
pyarrow reads the whole file (``newlines_in_values=True`` survives quoted multi-line
cells; every column is text, so IDs keep their leading zeros). This half needs neither
pandas nor the rest of the engine, so the command line can start it for the largest
files while pandas is still loading (:func:`read_ahead`); :mod:`.csv_reader` turns the
result into a :class:`~.table.SourceTable` and reports what it found.
"""

from __future__ import annotations

import codecs
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv

from migration_assistant.core.encoding import (
    REPLACING_SUFFIX,
    EncodingGuess,
    detect_encoding,
    open_text,
    register_replacing_codecs,
)
from migration_assistant.core.readers.byte_scan import ByteScan, scan_file
from migration_assistant.core.readers.dialect import (
    find_header_row,
    heading_row_problem,
    sample_records,
    sniff_delimiter,
)
from migration_assistant.core.readers.labels import MAX_COLUMNS, clean_label, unique_labels

_BLOCK = 8 << 20
_MAX_BLOCK = (1 << 31) - 1
"""pyarrow's block size is a 32-bit number."""


@dataclass(slots=True)
class ArrowCsv:
    """A text file read into Arrow, with what was decided on the way.

    ``table`` is None for a file with nothing in it (``empty``) and for one that is not
    read as a table at all: wider than :data:`~.labels.MAX_COLUMNS` (``too_wide``, its
    width in the sample) or whose first row cannot be a heading row (``refusal``: the
    finding's rule, message and hint). ``invalid_rows`` holds
    pyarrow's rejected rows (number, cell count, text) for the reader to keep and report.
    """

    guess: EncodingGuess
    scanned: Callable[[], ByteScan]
    empty: bool = False
    delimiter: str = ","
    header_index: int = 0
    raw_labels: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    table: pa.Table | None = None
    invalid_rows: list[tuple[int | None, int, str]] = field(default_factory=list)
    refusal: tuple[str, str, str] | None = None
    too_wide: int = 0


def read_arrow_csv(path: Path) -> ArrowCsv:
    """Read *path* into Arrow; see :func:`~.csv_reader.read_csv` for what is decided how.

    The file's fingerprint and quote count come from one pass over its bytes
    (:func:`scan_file`), run beside pyarrow's read. A file whose first megabyte is UTF-8
    is read as UTF-8 straight away: pyarrow checks that every cell it reads is UTF-8, so
    a read that succeeds proves the rest; when it fails, the encoding is decided on the
    whole file and the file read again, exactly as if that had been known from the start.
    """
    guess = detect_encoding(path, whole_file=False)
    unit, order, _codec = code_units(guess, path)
    background = ThreadPoolExecutor(max_workers=1, thread_name_prefix="byte-scan")
    scanning = background.submit(scan_file, path, unit, order)
    background.shutdown(wait=False)  # the scan finishes on its own; its result is asked for later
    if guess.provisional:
        # Strict on this first read: pyarrow decodes a rejected row's text as UTF-8 before
        # handing it to the handler, and a bad byte there cannot be caught, only printed.
        # A clean strict read proves every cell UTF-8; anything else (a bad byte, a ragged
        # row) is read again below, the encoding decided on the whole file.
        try:
            return _read_text(path, guess, scanning.result, strict=True)
        except pa.ArrowInvalid:
            guess = detect_encoding(path)
    return _read_text(path, guess, scanning.result, strict=False)


def _read_text(path: Path, guess: EncodingGuess, scanned: Callable[[], ByteScan], strict: bool) -> ArrowCsv:
    text = open_text(path, guess)
    if not text.strip():
        return ArrowCsv(guess, scanned, empty=True)
    delimiter = sniff_delimiter(text)
    records = sample_records(text, delimiter)
    # Decided on the sample, before anything costs time in proportion to the width.
    widest = max((len(record) for record in records), default=0)
    if widest > MAX_COLUMNS:
        return ArrowCsv(guess, scanned, delimiter=delimiter, too_wide=widest)
    problem = heading_row_problem(text, records)
    if problem:
        return ArrowCsv(guess, scanned, delimiter=delimiter, refusal=problem)
    header_index = find_header_row(records)
    if not records[header_index]:
        # More blank lines above the headings than the scan looks at (or only one column under
        # them): the headings are the first line with anything on it.
        records = sample_records(text, delimiter, limit=len(text))
        header_index = next((i for i, record in enumerate(records) if record), -1)
        if header_index < 0:
            return ArrowCsv(guess, scanned, delimiter=delimiter, refusal=_NO_HEADINGS)
    raw_labels = [clean_label(c) for c in records[header_index]]
    header_row = header_index + 1
    labels = unique_labels(raw_labels)
    names = [f"c{i}" for i in range(len(labels))]
    encoding = _pyarrow_encoding(guess)

    table, invalid = _read(path, names, header_row, delimiter, encoding, threads=True, strict=strict)
    if invalid.rows and any(number is None for number, _, _ in invalid.rows):
        # Row numbers of rejected rows are only known to a single-threaded read.
        table, invalid = _read(path, names, header_row, delimiter, encoding, threads=False, strict=strict)
    return ArrowCsv(guess, scanned, False, delimiter, header_index, raw_labels, labels, table, invalid.rows)


_NO_HEADINGS = (
    "heading-row-unreadable",
    "No row of column headings was found in the first megabyte of this file, so it was not read as a table.",
    "Open the file in a text editor: the first line with text on it should name the columns. Export the "
    "data again from the old system.",
)


# ------------------------------------------------------------------ reading ahead

_AHEAD_SUFFIXES = (".csv", ".tsv")
_AHEAD_MIN_BYTES = 1 << 20
_NOT_TEXT = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"%PDF")
_ahead: dict[tuple[str, int, int], Future[ArrowCsv]] = {}
_ahead_lock = threading.Lock()


def _key(path: Path) -> tuple[str, int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return str(path.resolve()), stat.st_size, stat.st_mtime_ns


def read_ahead(paths: Iterable[Path]) -> None:
    """Start reading the larger CSV files among *paths* (files or folders) in the background.

    The command line calls this before it loads pandas: pyarrow reads while the libraries
    load, and :func:`take_read_ahead` hands the result to the reader. Only ``.csv``/``.tsv``
    files of a megabyte or more that do not start like a workbook or a PDF are read; a file
    changed since (size or time), or not started yet when the reader wants it, is read by
    the reader as usual.
    """
    files: list[Path] = []
    for given in paths:
        try:
            found = [p for p in given.rglob("*") if p.is_file()] if given.is_dir() else [given]
        except OSError:
            continue
        files += [p for p in found if p.suffix.lower() in _AHEAD_SUFFIXES]
    chosen: list[tuple[tuple[str, int, int], Path]] = []
    for path in files:
        key = _key(path)
        if key is None or key[1] < _AHEAD_MIN_BYTES:
            continue
        try:
            with path.open("rb") as fh:
                if fh.read(8).startswith(_NOT_TEXT):
                    continue
        except OSError:
            continue
        chosen.append((key, path))
    if not chosen:
        return
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="read-ahead")
    with _ahead_lock:
        for key, path in sorted(chosen, key=lambda item: -item[0][1]):
            _ahead.setdefault(key, pool.submit(read_arrow_csv, path))
    pool.shutdown(wait=False)


def discard_read_ahead() -> None:
    """Forget reads nobody took (the run stopped early): their tables are let go."""
    with _ahead_lock:
        started = list(_ahead.values())
        _ahead.clear()
    for future in started:
        future.cancel()


def take_read_ahead(path: Path) -> ArrowCsv | None:
    """The read started by :func:`read_ahead` for *path*, or None (not started, or the file changed)."""
    if not _ahead:
        return None
    key = _key(path)
    with _ahead_lock:
        started = _ahead.pop(key, None) if key else None
    if started is None or started.cancel():
        return None  # never started: reading it here is as quick, and runs beside the others
    return started.result()


class _InvalidRows:
    """Collects pyarrow's rows whose cell count differs from the header's."""

    def __init__(self) -> None:
        self.rows: list[tuple[int | None, int, str]] = []

    def __call__(self, row: pacsv.InvalidRow) -> str:
        self.rows.append((row.number, row.actual_columns, row.text))
        return "skip"


def _pyarrow_encoding(guess: EncodingGuess) -> str:
    if guess.name in ("utf-8", "utf-8-sig"):
        return "utf8"
    if guess.name.endswith(REPLACING_SUFFIX):
        register_replacing_codecs()
    return guess.name


def _read(
    path: Path, names: list[str], skip: int, delimiter: str, encoding: str, threads: bool, strict: bool
) -> tuple[pa.Table, _InvalidRows]:
    """pyarrow's read; *strict* fails on a row with the wrong number of cells instead of keeping it.

    pyarrow reads in blocks of 8 MiB and cannot place a record longer than a block (a cell
    holding a whole document): such a file is read again with one block as big as the file.
    A file that ends with its heading row, without a line break after it, has no record to
    skip to; it is read as the table with no records that it is.
    """
    whole = min(path.stat().st_size + 1, _MAX_BLOCK)
    block = _BLOCK
    while True:
        try:
            return _read_blocks(path, names, skip, delimiter, encoding, threads, strict, block)
        except pa.ArrowInvalid as exc:
            reason = str(exc)
            if block < whole and ("straddl" in reason or "Could not skip" in reason):
                block = whole
                continue
            if "Could not skip" not in reason:
                raise
        empty = pa.table({name: pa.array([], pa.large_string()) for name in names})
        return empty, _InvalidRows()


def _read_blocks(
    path: Path,
    names: list[str],
    skip: int,
    delimiter: str,
    encoding: str,
    threads: bool,
    strict: bool,
    block: int,
) -> tuple[pa.Table, _InvalidRows]:
    invalid = _InvalidRows()
    table = pacsv.read_csv(
        path,
        read_options=pacsv.ReadOptions(
            use_threads=threads, skip_rows=skip, column_names=names, encoding=encoding, block_size=block
        ),
        parse_options=pacsv.ParseOptions(
            delimiter=delimiter,
            newlines_in_values=True,
            invalid_row_handler=None if strict else invalid,
            ignore_empty_lines=False,
        ),
        convert_options=pacsv.ConvertOptions(
            # large_string is what pandas keeps text in: reading it directly saves a copy of the table.
            column_types=dict.fromkeys(names, pa.large_string()),
            strings_can_be_null=False,
            null_values=[],
            quoted_strings_can_be_null=False,
        ),
    )
    return table, invalid


def code_units(guess: EncodingGuess, path: Path) -> tuple[int, str, str]:
    """Bytes per code unit, byte order, and the codec that encodes one unit without a BOM."""
    base = codecs.lookup(guess.name.removesuffix(REPLACING_SUFFIX)).name
    if not base.startswith(("utf-16", "utf-32")):
        return 1, "little", base
    unit = 2 if base.startswith("utf-16") else 4
    with path.open("rb") as fh:
        lead = fh.read(4)
    big = base.endswith("-be") or (
        guess.bom and lead.startswith(codecs.BOM_UTF16_BE if unit == 2 else codecs.BOM_UTF32_BE)
    )
    return unit, "big" if big else "little", f"utf-{8 * unit}-{'be' if big else 'le'}"
