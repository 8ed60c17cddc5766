"""Typed errors for sealing and opening packages.

Every exception's ``str()`` is a complete plain-English sentence that the GUI and the
CLI show as is; technical detail (for the log, never containing client data beyond a
file name the user chose) goes in :attr:`PackageError.detail`.
"""

from __future__ import annotations

import os
from pathlib import Path


class PackageError(Exception):
    """Base class: something stopped a package from being written or opened.

    Attributes:
        detail: Extra technical context for logs and bug reports, or ``""``.
    """

    def __init__(self, message: str, *, detail: str = "") -> None:
        super().__init__(message)
        self.detail = detail


class PackageCancelled(PackageError):
    """The user stopped the operation; anything half-written has been removed."""

    def __init__(self) -> None:
        super().__init__("Stopped. Nothing was saved.")


class BagError(PackageError):
    """The list of files or the package details cannot go into a BagIt bag as given."""


class SourceFileError(PackageError):
    """One of the user's original files could not be read (or changed while it was read).

    Attributes:
        path: The original file concerned.
    """

    def __init__(self, message: str, path: Path, *, detail: str = "") -> None:
        super().__init__(message, detail=detail)
        self.path = path


class InvalidRecipientError(PackageError):
    """A public key to seal the package for is not an age X25519 public key."""


class InvalidIdentityError(PackageError):
    """A private key (or key file) given to open a package is not usable."""


class EncryptionError(PackageError):
    """The encryption library failed for a reason other than the disk."""


class DestinationError(PackageError):
    """The package cannot be written where the user asked (folder missing, file exists, no access)."""


class PackageExistsError(DestinationError):
    """A file already has the package's name and replacing it was not allowed."""


class InsufficientSpaceError(DestinationError):
    """The destination drive ran out of space (``ENOSPC``) or would not have enough.

    Attributes:
        drive: The drive or mount point, as the user would recognise it.
        needed_bytes: The estimated size of the whole package.
    """

    def __init__(self, drive: str, needed_bytes: int, *, detail: str = "") -> None:
        megabytes = max(1, -(-needed_bytes // 1_000_000))  # round up: "about 0 MB" reads as a bug
        super().__init__(
            f"There is not enough free space on {drive} to write the package: "
            f"it needs about {megabytes:,} MB.",
            detail=detail,
        )
        self.drive = drive
        self.needed_bytes = needed_bytes


class PackageNotFoundError(PackageError):
    """The package file to open does not exist or cannot be read."""


class PackageCheckFailed(PackageError):
    """The freshly written package did not pass its own decrypt-and-verify check.

    Attributes:
        problems: The plain-English problems found, one per line.
    """

    def __init__(self, problems: list[str]) -> None:
        listed = "; ".join(problems[:3])
        more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
        super().__init__(
            "The package was written but failed its own check, so it was deleted: "
            f"{listed}{more}. The disk may be faulty or nearly full; try another location."
        )
        self.problems = problems


def drive_of(path: Path) -> str:
    """Name the drive holding *path* as the user knows it: ``drive D:``, ``/Volumes/USB``, "the main disk"."""
    path = Path(path).absolute()
    if os.name == "nt":
        return f"drive {path.drive}" if path.drive else str(path.anchor)
    current = path
    # The mount point is what a user recognises ("/media/usb"); walk up to it. Parts
    # that do not exist yet (a folder about to be created) count as their parent's.
    while current.parent != current and not (current.exists() and os.path.ismount(current)):
        current = current.parent
    return "the main disk" if str(current) == "/" else str(current)
