"""Turning what the user gave (files and folders) into files to read, and reading each."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from migration_assistant.core.findings import Finding, Severity
from migration_assistant.core.readers.csv_reader import read_csv
from migration_assistant.core.readers.errors import UnreadableFile
from migration_assistant.core.readers.excel_reader import EXCEL_EXTENSIONS, read_workbook
from migration_assistant.core.readers.formats import FORMAT_EXTENSIONS, read_format, sniff_format
from migration_assistant.core.readers.table import SourceTable

TEXT_EXTENSIONS = (".csv", ".txt", ".tsv", ".tab", ".psv", ".dat", "")
READ_EXTENSIONS = frozenset(TEXT_EXTENSIONS + EXCEL_EXTENSIONS + tuple(FORMAT_EXTENSIONS))
"""What a folder scan reads; any other file in a folder is listed as not checked."""
_SKIP_NAMES = ("desktop.ini", "thumbs.db", ".ds_store")

# Why a file that is not read was not read, by extension: completes "Not checked: …".
_KINDS = (
    ((".pdf",), "it is a PDF document, not a table of records"),
    ((".doc", ".docx", ".rtf", ".odt", ".pages", ".wpd"), "it is a document, not a table of records"),
    ((".ppt", ".pptx", ".odp", ".key"), "it is a presentation, not a table of records"),
    (
        (".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".heic", ".webp", ".svg"),
        "it is a picture, not a table of records",
    ),
    (
        (".zip", ".7z", ".rar", ".gz", ".tgz", ".tar", ".bz2", ".xz"),
        "it is a compressed archive: unpack it and add the files inside",
    ),
    ((".msg", ".eml", ".pst", ".mbox"), "it is an e-mail file, not a table of records"),
)
_READ_KINDS = "CSV, Excel, LEDES, iCalendar, vCard and QuickBooks IIF"
LINK_OUTSIDE = "a link to a file outside the folder"
LINK_OUTSIDE_FOLDER = "a link to a folder outside the folder"


@dataclass(frozen=True, slots=True)
class InputFile:
    path: Path
    display: str
    """The name as given, relative to the folder given (the contract's ``file``); unique in one run."""
    not_read: str = ""
    """For a file in a folder that is not read: why, in plain English (completes "Not checked: …")."""
    sealed: bool = True
    """False for a link in a folder to something outside it: listed, but neither read nor put in
    the package (only what the user gave goes in)."""
    in_folder: bool = False
    """Found inside a folder the user gave (not named one by one): a file of it that cannot be
    read is a finding, and the folder's other files are still checked."""


def _ignored(relative: Path) -> bool:
    """Files a computer leaves in folders by itself (and Office lock files, and anything in a
    hidden folder): never the firm's data. *relative* is the path inside the folder given."""
    name = relative.name.lower()
    hidden = any(part.startswith(".") for part in relative.parts[:-1])
    return hidden or name.startswith((".", "~$")) or name in _SKIP_NAMES


def why_not_read(path: Path) -> str:
    """Why a file in a folder is not read, in plain English, or "" when it is read."""
    suffix = path.suffix.lower()
    if suffix in READ_EXTENSIONS:
        return ""
    for extensions, why in _KINDS:
        if suffix in extensions:
            return why
    return f"the app does not read {suffix} files (it reads {_READ_KINDS} files)"


def not_checked(item: InputFile) -> Finding:
    """The info finding that lists a file in a folder that was not read (nothing is left out unsaid)."""
    if item.sealed:
        message = f"Not checked: {item.not_read}."
        hint = (
            "It still goes into the package as it is, so your specialist has it. If it holds records to "
            "move, export them as CSV or Excel and add that file; if it should not go, take it out of the "
            "folder."
        )
    else:
        message = f"Skipped: {item.not_read}."
        hint = (
            "Links are not followed out of the folder you chose, so what it points to was neither checked "
            "nor put in the package. If that file belongs to the export, copy it into the folder or add "
            "it by name."
        )
    return Finding.about_file("not-checked", Severity.INFO, item.display, None, message, hint)


def collect_inputs(paths: list[Path]) -> tuple[list[InputFile], list[InputFile]]:
    """Expand folders (recursively) into files, keeping display names relative to each folder.

    Every file gets a display name of its own: when two of the paths given hold files of the
    same name (two folders each with ``Contacts.csv``), the names of those paths' files are
    prefixed with the folder's name (``a/Contacts.csv``, ``b/Contacts.csv``), so findings
    and the package's originals never mix them up. A file reached twice (a folder and a file
    inside it, or a file and a link to it) is read once, under its own name rather than the link's.

    Links are followed only as far as the folder they are in: a link in a folder to a file
    in that folder reads the file (its :attr:`InputFile.path` is the real file); a link to a
    file or folder outside it is listed, unread and unsealed (:attr:`InputFile.sealed`), so
    neither the check nor the package ever holds something the user did not give. A link
    given by name is the user's choice and is read, its path being the real file. Links to
    nothing, and loops of links, are passed over like anything else that is not a file.

    Returns:
        the files to read, and the files in folders that are not read (not a format the app
        reads, or a link out of the folder; :attr:`InputFile.not_read` says why). Files a
        computer leaves by itself (``desktop.ini``, ``Thumbs.db``, ``.DS_Store``, hidden files,
        ``~$`` lock files) are in neither.

    Raises:
        UnreadableFile: a path that does not exist, or a folder with nothing to read.
    """
    found: list[_Found] = []
    for group, given in enumerate(paths):
        if not given.exists():
            raise UnreadableFile(f"{given} does not exist.")
        if given.is_dir():
            inside = _scan_folder(given, group)
            if all(item.not_read for item in inside):
                raise UnreadableFile(f"The folder {given} holds no CSV, Excel or export files to check.")
            found.extend(inside)
        else:
            path = _identity(given) if given.is_symlink() else given
            found.append(
                _Found(
                    path,
                    group,
                    given.name,
                    given.absolute().parent,
                    "",
                    link=given.is_symlink(),
                    in_folder=False,
                )
            )
    # A file reached directly and through a link keeps its own name: links are looked at last.
    seen: set[Path] = set()
    kept: list[int] = []
    for index in sorted(range(len(found)), key=lambda i: found[i].link):
        item = found[index]
        key = _identity(item.path) if item.sealed else item.path.absolute()
        if key not in seen:
            seen.add(key)
            kept.append(index)
    unique = [found[index] for index in sorted(kept)]
    names = _distinct_names(unique)
    files = [
        InputFile(f.path, name, in_folder=f.in_folder)
        for f, name in zip(unique, names, strict=True)
        if not f.not_read
    ]
    skipped = [
        InputFile(f.path, name, f.not_read, f.sealed)
        for f, name in zip(unique, names, strict=True)
        if f.not_read
    ]
    return files, skipped


def _scan_folder(given: Path, group: int) -> list[_Found]:
    """Every file in *given* and its subfolders, with links kept to the folder (see collect_inputs)."""
    above = given.absolute()
    root = _identity(given)
    folders: dict[Path, bool] = {}  # a subfolder (as rglob named it) -> whether it really lies in *root*
    inside: list[_Found] = []
    # rglob does not walk into linked folders (it lists the link itself), and a loop of links
    # is not a file: neither can hang the walk.
    for rel in sorted(p.relative_to(given) for p in given.rglob("*")):
        if _ignored(rel):
            continue
        path = given / rel
        if path.parent not in folders:
            # A Windows junction is not a symlink to Python 3.11, and rglob walks into it.
            folders[path.parent] = _identity(path.parent).is_relative_to(root)
        if not path.is_symlink():
            if path.is_file():
                why = why_not_read(rel) if folders[path.parent] else LINK_OUTSIDE
                inside.append(_Found(path, group, rel.as_posix(), above, why, sealed=folders[path.parent]))
            continue
        real = _identity(path)
        within = folders[path.parent] and real.is_relative_to(root)
        if real.is_file():
            if within:
                inside.append(_Found(real, group, rel.as_posix(), above, why_not_read(rel), link=True))
            else:
                inside.append(
                    _Found(path, group, rel.as_posix(), above, LINK_OUTSIDE, link=True, sealed=False)
                )
        elif real.is_dir() and not within:
            inside.append(
                _Found(path, group, rel.as_posix(), above, LINK_OUTSIDE_FOLDER, link=True, sealed=False)
            )
    return inside


@dataclass(frozen=True, slots=True)
class _Found:
    path: Path
    group: int
    """Which given path it came from."""
    name: str
    """Its name relative to the given folder (or its own name, for a file given)."""
    above: Path
    """The folder whose name (and then whose parents' names) prefixes *name* if it clashes."""
    not_read: str
    link: bool = False
    """Reached through a link (in a folder, or given by name)."""
    sealed: bool = True
    in_folder: bool = True
    """Found by scanning a folder given (False for a file given by name)."""


def _identity(path: Path) -> Path:
    """The real location of *path*, links and ``..`` resolved (as far as they go: never raises,
    not even on a loop of links)."""
    return Path(os.path.realpath(path))


def _distinct_names(found: list[_Found]) -> list[str]:
    """One display name per file, prefixed with folder names only where names clash.

    Names are compared ignoring case: Windows and macOS would put ``contacts.csv`` and
    ``Contacts.csv`` in the same place when the package is extracted.
    """
    depth: dict[int, int] = {}
    limit = {item.group: len(item.above.parts) - 1 for item in found}

    def name(item: _Found) -> str:
        folders = item.above.parts[1:]
        return "/".join([*folders[len(folders) - depth.get(item.group, 0) :], item.name])

    while True:
        owners: dict[str, set[int]] = {}
        for item in found:
            owners.setdefault(name(item).casefold(), set()).add(item.group)
        clashing = {group for groups in owners.values() if len(groups) > 1 for group in groups}
        deepen = {group for group in clashing if depth.get(group, 0) < limit[group]}
        if not deepen:
            break
        for group in deepen:
            depth[group] = depth.get(group, 0) + 1
    names = [name(item) for item in found]
    # Folders named alike all the way up (or at the root): number the later ones.
    taken: set[str] = set()
    for index, candidate in enumerate(names):
        unique, n = candidate, 1
        while unique.casefold() in taken:
            n += 1
            path = PurePosixPath(candidate)
            unique = str(path.with_name(f"{path.stem} ({n}){path.suffix}"))
        taken.add(unique.casefold())
        names[index] = unique
    return names


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
