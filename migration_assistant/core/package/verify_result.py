"""What opening a package found: its problems, the progress of the check and the result.

These are the types :func:`~migration_assistant.core.package.verify.iter_verify_package`
hands back; every stage of the check (the tar reader, the extraction, the BagIt check)
records what it finds wrong as a :class:`Problem`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Final

from migration_assistant.core.package.bag import human_size
from migration_assistant.core.package.crypto import DecryptFailure, PackageFormat

MAX_LISTED: Final = 200  # per kind: a wholly damaged bag should not produce a million-line report


class ProblemKind(StrEnum):
    """What sort of problem a package has."""

    UNDECRYPTABLE = "undecryptable"  # wrong key or passphrase, damaged, cut short
    MISSING = "missing"  # listed in a manifest, not in the package
    ALTERED = "altered"  # present, but its checksum differs
    EXTRA = "extra"  # present, but in no manifest
    MALFORMED = "malformed"  # not a valid BagIt bag / package container
    UNSAFE = "unsafe"  # a name or entry type that could write outside the destination


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a package.

    Attributes:
        kind: The category.
        message: A complete plain-English sentence for the user.
        path: The file inside the bag concerned (``"data/…"``, ``"bag-info.txt"``), if any.
        reason: For ``UNDECRYPTABLE``, the precise cause.
    """

    kind: ProblemKind
    message: str
    path: str | None = None
    reason: DecryptFailure | None = None


@dataclass(frozen=True)
class VerifyProgress:
    """Bytes of the package file read so far, out of its size.

    Attributes:
        done: Bytes read.
        total: The package file's size.
        busy: What a step that cannot count its progress is doing (one call, such as unlocking a
            passphrase's key, that takes a second or more); ``""`` for a step measured in bytes.
    """

    done: int
    total: int
    busy: str = ""


@dataclass(frozen=True)
class VerifyResult:
    """What opening a package found.

    Attributes:
        path: The package file.
        sealed_with: Public-key or passphrase package.
        size: The package file's size in bytes.
        sha256: SHA-256 of the package file, to compare with the sender's; ``""`` when the
            file could not be read to its end.
        bag_name: The bag's top folder inside the archive.
        bag_info: ``bag-info.txt`` elements (repeated labels joined with "; ").
        payload_files: Files found under ``data/``.
        payload_bytes: Their total size.
        problems: Everything found wrong; empty means the package is intact.
        extracted_to: The folder the bag was extracted to, or None.
        captured: The files asked for with *capture* (bag-relative names such as
            ``"data/checklist.json"``), whole, in memory; only those whose checksums were
            confirmed against the bag's manifests and that fit
            :data:`~migration_assistant.core.package.verify.CAPTURE_LIMIT`.
    """

    path: Path
    sealed_with: PackageFormat
    size: int
    sha256: str
    bag_name: str | None
    bag_info: Mapping[str, str]
    payload_files: int
    payload_bytes: int
    problems: tuple[Problem, ...]
    extracted_to: Path | None = None
    captured: Mapping[str, bytes] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when every check passed."""
        return not self.problems

    def summary(self) -> str:
        """A short plain-English report for the CLI or a dialog."""
        if self.ok:
            where = f" It was extracted to {self.extracted_to}." if self.extracted_to else ""
            return (
                f"The package is intact: {self.payload_files} file{'s' if self.payload_files != 1 else ''} "
                f"({human_size(self.payload_bytes)}), "
                f"every checksum matches.{where}"
            )
        count = len(self.problems)
        lines = [f"The package has {count} problem{'s' if count != 1 else ''}:"]
        lines += [f"- {p.message}" for p in self.problems]
        if self.extracted_to is None:
            lines.append("Nothing was extracted.")
        return "\n".join(lines)


@dataclass
class ProblemList:
    """The problems found so far, at most :data:`MAX_LISTED` of each kind listed one by one."""

    items: list[Problem] = field(default_factory=list)
    counts: dict[ProblemKind, int] = field(default_factory=dict)

    def add(self, kind: ProblemKind, message: str, path: str | None = None) -> None:
        self.counts[kind] = self.counts.get(kind, 0) + 1
        if self.counts[kind] <= MAX_LISTED:
            self.items.append(Problem(kind, message, path))
        elif self.counts[kind] == MAX_LISTED + 1:
            self.items.append(Problem(kind, f"… and more {kind.value} problems, not listed one by one."))
