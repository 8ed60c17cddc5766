"""Turning what the user gave (files and folders) into files to read, and reading each."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from migration_assistant.core.readers.csv_reader import read_csv
from migration_assistant.core.readers.errors import UnreadableFile
from migration_assistant.core.readers.excel_reader import EXCEL_EXTENSIONS, read_workbook
from migration_assistant.core.readers.formats import read_format, sniff_format
from migration_assistant.core.readers.table import SourceTable

TEXT_EXTENSIONS = (".csv", ".txt", ".tsv", ".tab", ".psv", ".dat", "")
FORMAT_EXTENSIONS = (".ics", ".vcf", ".iif", ".ledes")
_SKIP_NAMES = ("desktop.ini", "thumbs.db", ".ds_store")


@dataclass(frozen=True, slots=True)
class InputFile:
    path: Path
    display: str
    """The name as given, relative to the folder given (the contract's ``file``)."""


def _readable_candidate(path: Path) -> bool:
    name = path.name.lower()
    if name.startswith((".", "~$")) or name in _SKIP_NAMES:
        return False
    return path.suffix.lower() in TEXT_EXTENSIONS + EXCEL_EXTENSIONS + FORMAT_EXTENSIONS


def collect_inputs(paths: list[Path]) -> tuple[list[InputFile], list[Path]]:
    """Expand folders (recursively) into files, keeping display names relative to each folder.

    Returns:
        the files to read, and the files in folders that were skipped (not a table format).

    Raises:
        UnreadableFile: a path that does not exist, or a folder with nothing to read.
    """
    files: list[InputFile] = []
    skipped: list[Path] = []
    for given in paths:
        if not given.exists():
            raise UnreadableFile(f"{given} does not exist.")
        if given.is_dir():
            found = sorted(p for p in given.rglob("*") if p.is_file())
            usable = [p for p in found if _readable_candidate(p)]
            skipped.extend(p for p in found if not _readable_candidate(p))
            if not usable:
                raise UnreadableFile(f"The folder {given} holds no CSV, Excel or export files to check.")
            files.extend(InputFile(p, p.relative_to(given).as_posix()) for p in usable)
        else:
            files.append(InputFile(given, given.name))
    return files, skipped


def read_input(item: InputFile) -> list[SourceTable]:
    """Read one file into tables, choosing the reader by content first and extension second."""
    path = item.path
    try:
        with path.open("rb") as fh:
            head = fh.read(8192)
    except OSError as exc:
        raise UnreadableFile(f"{item.display} could not be opened: {exc.strerror or exc}.") from exc
    fmt = sniff_format(path, head)
    if fmt is not None:
        return read_format(path, item.display, fmt)
    if (
        head.startswith(b"PK\x03\x04")
        or head.startswith(b"\xd0\xcf\x11\xe0")
        or path.suffix.lower() in EXCEL_EXTENSIONS
    ):
        if path.suffix.lower() in (".docx", ".pptx", ".zip", ".doc", ".ppt"):
            raise UnreadableFile(f"{item.display} is not a table (it looks like a document or archive).")
        return read_workbook(path, item.display)
    if _looks_binary(head):
        raise UnreadableFile(
            f"{item.display} is not a table: it holds binary data (for example a PDF or an image), "
            "not CSV text or an Excel workbook."
        )
    return [read_csv(path, item.display)]


def _looks_binary(head: bytes) -> bool:
    if head.startswith((b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        return True
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    nul = head.count(0)
    # UTF-16 text without a byte-order mark has NULs in every other byte; binary has them anywhere.
    return nul > 0 and not (head[1::2].count(0) > len(head) // 4 or head[0::2].count(0) > len(head) // 4)
