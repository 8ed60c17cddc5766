"""Extraction of a package's bag: a hidden folder inside the destination, renamed into place on success.

Nothing is written to the system temp folder, and a failed or cancelled check leaves
nothing half-extracted: the hidden folder is removed instead of renamed.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Final

from migration_assistant.core.package.errors import DestinationError, InsufficientSpaceError, drive_of


def is_unsafe_name(name: str) -> bool:
    """True when a tar entry's name could write outside the destination folder.

    Args:
        name: The entry's name, without a directory's trailing ``/``.
    """
    parts = name.split("/")
    return (
        not name
        or name.startswith("/")
        or "\\" in name
        or "\0" in name
        or re.match(r"^[A-Za-z]:", name) is not None
        or any(part in ("", ".", "..") for part in parts)
    )


class Extraction:
    """A hidden folder inside the destination, renamed into place only on success."""

    def __init__(self, destination: Path) -> None:
        self.destination = destination
        try:
            destination.mkdir(parents=True, exist_ok=True)
            self.temp = destination / f".migration-package-extract.partial-{secrets.token_hex(4)}"
            self.temp.mkdir()
        except OSError as exc:
            raise DestinationError(
                f"The package cannot be extracted into {destination} ({exc.strerror or exc}).",
                detail=repr(exc),
            ) from exc
        self._root = self.temp.resolve()

    def target(self, parts: Sequence[str]) -> Path:
        """Where the entry named by *parts* goes inside the hidden folder."""
        path = self.temp.joinpath(*parts)
        # Second line of defence after the name checks: never write outside the temp folder.
        if not path.resolve().is_relative_to(self._root):
            raise ValueError(f"unsafe extraction path {'/'.join(parts)!r}")
        return path

    def commit(self, bag_name: str) -> Path:
        """Move the extracted bag into the destination under a name not yet taken; returns it."""
        final = self.destination / bag_name
        counter = 2
        while final.exists():  # never overwrite an earlier extraction
            final = self.destination / f"{bag_name}-{counter}"
            counter += 1
        (self.temp / bag_name).rename(final)
        self.temp.rmdir()
        return final

    def discard(self) -> None:
        """Remove the hidden folder and everything in it."""
        shutil.rmtree(self.temp, ignore_errors=True)


EARLIEST_FILE_TIME: Final = 0
"""1 January 1970: Windows cannot give a file an earlier date."""
LATEST_FILE_TIME: Final = 253_402_300_799
"""31 December 9999, 23:59:59 UTC: the last moment every system can give a file."""


def set_file_time(path: Path, mtime: float) -> None:
    """Give an extracted file its date from the package, brought within what a file can carry.

    A tar's dates are unchecked metadata (no manifest covers them): a date far in the past or
    the future (a hostile or broken header) must not stop an extraction that ``verify`` alone
    would pass, so it is clamped, and a file system that refuses even that keeps today's date.
    """
    when = min(max(mtime, EARLIEST_FILE_TIME), LATEST_FILE_TIME)
    with contextlib.suppress(OSError, OverflowError):
        os.utime(path, (when, when))


def extraction_error(exc: OSError, destination: Path, needed: int) -> DestinationError:
    """The plain-English error for a failed write while extracting.

    Args:
        exc: The error the write raised.
        destination: The folder extracted into.
        needed: Bytes the extraction may need (the package's size), for a full disk's message.
    """
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return InsufficientSpaceError(drive_of(destination), needed, detail=repr(exc))
    return DestinationError(
        f"The package could not be extracted into {destination} ({exc.strerror or exc}).",
        detail=repr(exc),
    )
