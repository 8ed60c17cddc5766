"""Opens a package: decrypts it as a stream, checks every checksum, optionally extracts it.

The package is read exactly once, front to back. Decrypted bytes flow through a
small forward-only tar reader (:class:`_TarReader`); each payload file is hashed
(SHA-256 and SHA-512) as it passes and, only when asked, written into a hidden
temporary folder *inside* the destination. That folder is renamed into place only when every check passed, so a
failed or cancelled check leaves nothing half-extracted, and nothing is ever written
to the system temp folder.

Everything wrong with the package itself (wrong key or passphrase, damaged or cut
short, a file missing, altered or extra, a malformed bag, an unsafe name) becomes a
:class:`Problem` with a plain-English message. Exceptions are kept for "could not
even start" (no such file, no key given, destination not writable) and cancel.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import secrets
import shutil
import tarfile
from collections.abc import Callable, Collection, Generator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import BinaryIO, Final, Protocol, TypeAlias

import pyrage

from migration_assistant.core.package.bag import (
    ALGORITHMS,
    CHUNK_SIZE,
    human_size,
    parse_bag_info,
    parse_manifest,
)
from migration_assistant.core.package.crypto import (
    ENVELOPE_BODY,
    ENVELOPE_KEY,
    ENVELOPE_README,
    DecryptFailure,
    DecryptingReader,
    DecryptionFailed,
    PackageFormat,
    load_identity_file,
    open_key_with_passphrase,
    parse_identities,
    read_small,
    sniff_format,
)
from migration_assistant.core.package.errors import (
    DestinationError,
    InsufficientSpaceError,
    InvalidIdentityError,
    PackageCancelled,
    PackageNotFoundError,
    drive_of,
)
from migration_assistant.core.steps import run_to_end

_TAG_LIMIT: Final = 64 << 20  # tag files are read into memory; a bigger one is hostile or broken
_KEY_LIMIT: Final = 1 << 20
_MAX_LISTED: Final = 200  # per kind: a wholly damaged bag should not produce a million-line report
CAPTURE_LIMIT: Final = 16 << 20
"""Largest file :func:`iter_verify_package` hands back in memory when asked to *capture* it."""

IdentityInput: TypeAlias = "pyrage.x25519.Identity | str"


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
    """Bytes of the package file read so far, out of its size."""

    done: int
    total: int


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
            confirmed against the bag's manifests and that fit :data:`CAPTURE_LIMIT`.
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


def verify_package(
    path: Path,
    *,
    identity: IdentityInput | Sequence[IdentityInput] | None = None,
    identity_file: Path | None = None,
    passphrase: str | None = None,
    extract_to: Path | None = None,
    progress: Callable[[VerifyProgress], None] | None = None,
    cancel: Callable[[], bool] | None = None,
    capture: Collection[str] = (),
) -> VerifyResult:
    """Decrypt and check a package in one pass; see :func:`iter_verify_package`.

    Args:
        path: The package file.
        identity: Private key(s) (``pyrage.x25519.Identity`` or ``AGE-SECRET-KEY-1…`` text).
        identity_file: An age identity file (``age-keygen`` format).
        passphrase: The passphrase of a passphrase package.
        extract_to: When given, a folder to extract the bag into (as ``<folder>/<bag name>``).
        progress: Called with each :class:`VerifyProgress`.
        cancel: Polled between chunks; True stops with :class:`PackageCancelled`.
        capture: Bag-relative names of small files to return in :attr:`VerifyResult.captured`.
    """
    steps = iter_verify_package(
        path,
        identity=identity,
        identity_file=identity_file,
        passphrase=passphrase,
        extract_to=extract_to,
        cancel=cancel,
        capture=capture,
    )
    return run_to_end(steps, progress)


def iter_verify_package(
    path: Path,
    *,
    identity: IdentityInput | Sequence[IdentityInput] | None = None,
    identity_file: Path | None = None,
    passphrase: str | None = None,
    extract_to: Path | None = None,
    cancel: Callable[[], bool] | None = None,
    capture: Collection[str] = (),
) -> Generator[VerifyProgress, None, VerifyResult]:
    """The generator behind :func:`verify_package`, for GUI workers and the CLI.

    *capture* names files (relative to the bag folder, e.g. ``"data/checklist.json"``)
    to keep in memory while they stream past, so a viewer can show them without any
    plaintext reaching the disk; see :attr:`VerifyResult.captured`.

    Yields:
        :class:`VerifyProgress` after every chunk read.

    Returns:
        The :class:`VerifyResult` (as ``StopIteration.value``).

    Raises:
        PackageNotFoundError: *path* does not exist or is not a file.
        InvalidIdentityError: A key given is not an age private key, or no key and no passphrase.
        DestinationError: *extract_to* cannot be created or written (incl. a full disk).
        PackageCancelled: *cancel* returned True; any partial extraction was removed.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise PackageNotFoundError(f"{path} is a folder, not a package file.")
    except OSError as exc:
        raise PackageNotFoundError(
            f"The package {path} could not be found or opened ({exc.strerror or exc}).", detail=repr(exc)
        ) from exc
    identities = _gather_identities(identity, identity_file)
    if not identities and passphrase is None:
        raise InvalidIdentityError(
            "To open a package, give the private key it was sealed for or its passphrase."
        )
    verifier = _Verifier(path, size, identities, passphrase, extract_to, cancel, frozenset(capture))
    return (yield from verifier.run())


def _gather_identities(
    identity: IdentityInput | Sequence[IdentityInput] | None, identity_file: Path | None
) -> list[pyrage.x25519.Identity]:
    given: list[IdentityInput]
    if identity is None:
        given = []
    elif isinstance(identity, str) or not isinstance(identity, Sequence):
        given = [identity]
    else:
        given = list(identity)
    identities = []
    for item in given:
        identities.extend(parse_identities(item) if isinstance(item, str) else [item])
    if identity_file is not None:
        identities.extend(load_identity_file(identity_file))
    return identities


class _Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


class _BagArchiveError(Exception):
    """The decrypted contents are not a readable tar (as opposed to a damaged container)."""


class _TarCutShort(EOFError):
    """A tar ended in the middle of a header or a file.

    An ``EOFError`` so :class:`DecryptingReader` reports a cut-short envelope as incomplete.
    """


@dataclass(frozen=True)
class _TarMember:
    name: str
    size: int
    mtime: int
    type: bytes

    def isfile(self) -> bool:
        return self.type in (tarfile.REGTYPE, tarfile.AREGTYPE, tarfile.CONTTYPE)

    def isdir(self) -> bool:
        return self.type == tarfile.DIRTYPE


class _TarReader:
    """Reads a tar front to back, handing file contents over without re-buffering.

    ``tarfile``'s stream mode joins and re-slices its buffer on every read, which
    halved the check's throughput; this reader parses each 512-byte header with
    ``tarfile.TarInfo.frombuf`` (checksums, base-256 sizes, ustar prefixes), applies
    PAX (``x``/``g``) records and GNU long names, and then passes member data straight
    from the source. Links, devices and the like are reported as members with their
    type so the caller can refuse them.
    """

    def __init__(self, source: _Readable) -> None:
        self._source = source
        self._remaining = 0
        self._padding = 0

    def _read_exact(self, size: int, *, allow_eof: bool = False) -> bytes | None:
        parts: list[bytes] = []
        got = 0
        while got < size:
            piece = self._source.read(size - got)
            if not piece:
                if allow_eof and got == 0:
                    return None
                raise _TarCutShort("the archive ends in the middle of an entry")
            parts.append(piece)
            got += len(piece)
        return parts[0] if len(parts) == 1 else b"".join(parts)

    def _skip(self, size: int) -> None:
        while size > 0:
            piece = self._source.read(min(size, CHUNK_SIZE))
            if not piece:
                raise _TarCutShort("the archive ends in the middle of an entry")
            size -= len(piece)

    def members(self) -> Generator[_TarMember, None, None]:
        """Each member in order; read its data with :meth:`read` before asking for the next."""
        global_pax: dict[str, str] = {}
        pending: dict[str, str] = {}
        while True:
            self._skip(self._remaining + self._padding)
            self._remaining = self._padding = 0
            block = self._read_exact(tarfile.BLOCKSIZE, allow_eof=True)
            if block is None or block == tarfile.NUL * tarfile.BLOCKSIZE:
                return  # end-of-archive marker (or a tar written without one)
            info = tarfile.TarInfo.frombuf(block, "utf-8", "surrogateescape")
            data_size = (
                info.size if info.type not in (tarfile.DIRTYPE, tarfile.SYMTYPE, tarfile.LNKTYPE) else 0
            )
            if info.type in (
                tarfile.XHDTYPE,
                tarfile.XGLTYPE,
                tarfile.SOLARIS_XHDTYPE,
                tarfile.GNUTYPE_LONGNAME,
            ):
                if info.size > _TAG_LIMIT:
                    raise tarfile.HeaderError("an extended header is impossibly large")
                data = self._read_exact(info.size) or b""
                self._skip(-info.size % tarfile.BLOCKSIZE)
                if info.type == tarfile.GNUTYPE_LONGNAME:
                    pending["path"] = data.rstrip(b"\0").decode("utf-8", "surrogateescape")
                else:
                    (global_pax if info.type == tarfile.XGLTYPE else pending).update(_pax_records(data))
                continue
            if info.type == tarfile.GNUTYPE_LONGLINK:
                self._skip(info.size + (-info.size % tarfile.BLOCKSIZE))
                continue
            fields = {**global_pax, **pending}
            pending = {}
            try:
                size = int(fields["size"]) if "size" in fields else data_size
                mtime = int(float(fields.get("mtime", info.mtime)))
            except ValueError as exc:
                raise tarfile.HeaderError("an extended header has a bad number") from exc
            name = fields.get("path", info.name)
            if info.type == tarfile.DIRTYPE and not name.endswith("/"):
                name += "/"
            self._remaining = size
            self._padding = -size % tarfile.BLOCKSIZE
            yield _TarMember(name=name, size=size, mtime=mtime, type=info.type)

    def read(self, size: int = -1) -> bytes:
        """Up to *size* bytes of the current member's data; ``b""`` at its end."""
        if self._remaining <= 0:
            return b""
        want = self._remaining if size is None or size < 0 else min(size, self._remaining)
        piece = self._source.read(want)
        if not piece:
            raise _TarCutShort("the archive ends in the middle of a file")
        self._remaining -= len(piece)
        return piece


def _pax_records(data: bytes) -> dict[str, str]:
    """``"<length> <key>=<value>\\n"`` records of a PAX extended header."""
    records: dict[str, str] = {}
    position = 0
    while position < len(data) and data[position : position + 1] != b"\0":
        space = data.find(b" ", position)
        try:
            length = int(data[position:space])
        except ValueError as exc:
            raise tarfile.HeaderError("an extended header is malformed") from exc
        record = data[space + 1 : position + length]
        if length <= 0 or not record.endswith(b"\n") or b"=" not in record:
            raise tarfile.HeaderError("an extended header is malformed")
        key, value = record[:-1].split(b"=", 1)
        records[key.decode("utf-8", "surrogateescape")] = value.decode("utf-8", "surrogateescape")
        position += length
    return records


class _HashingReader:
    """The package file as read, hashed on the way (the sender's SHA-256 is checked against it)."""

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw
        self._hash = hashlib.sha256()
        self.bytes_read = 0

    def read(self, size: int = -1) -> bytes:
        data = self._raw.read(size)
        self._hash.update(data)
        self.bytes_read += len(data)
        return data

    def drain(self) -> None:
        while self.read(CHUNK_SIZE):
            pass

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


class _Extraction:
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
        path = self.temp.joinpath(*parts)
        # Second line of defence after the name checks: never write outside the temp folder.
        if not path.resolve().is_relative_to(self._root):
            raise ValueError(f"unsafe extraction path {'/'.join(parts)!r}")
        return path

    def commit(self, bag_name: str) -> Path:
        final = self.destination / bag_name
        counter = 2
        while final.exists():  # never overwrite an earlier extraction
            final = self.destination / f"{bag_name}-{counter}"
            counter += 1
        (self.temp / bag_name).rename(final)
        self.temp.rmdir()
        return final

    def discard(self) -> None:
        shutil.rmtree(self.temp, ignore_errors=True)


@dataclass
class _Seen:
    size: int
    digests: dict[str, str]
    body: bytes | None = None  # tag files only


@dataclass
class _Problems:
    items: list[Problem] = field(default_factory=list)
    counts: dict[ProblemKind, int] = field(default_factory=dict)

    def add(self, kind: ProblemKind, message: str, path: str | None = None) -> None:
        self.counts[kind] = self.counts.get(kind, 0) + 1
        if self.counts[kind] <= _MAX_LISTED:
            self.items.append(Problem(kind, message, path))
        elif self.counts[kind] == _MAX_LISTED + 1:
            self.items.append(Problem(kind, f"… and more {kind.value} problems, not listed one by one."))


class _Verifier:
    def __init__(
        self,
        path: Path,
        size: int,
        identities: list[pyrage.x25519.Identity],
        passphrase: str | None,
        extract_to: Path | None,
        cancel: Callable[[], bool] | None,
        capture: frozenset[str] = frozenset(),
    ) -> None:
        self.path = path
        self.size = size
        self.identities = identities
        self.passphrase = passphrase
        self.extract_to = extract_to
        self.cancel = cancel
        self.problems = _Problems()
        self.payload: dict[str, _Seen] = {}
        self.tags: dict[str, _Seen] = {}
        self.bag_name: str | None = None
        self.members_seen: set[str] = set()
        self.capture = capture
        self.captured: dict[str, bytes] = {}
        self.confirmed: set[str] = set()  # files whose checksums matched the manifests
        self.extraction: _Extraction | None = None
        self.hashing: _HashingReader | None = None

    # -- driving ------------------------------------------------------------------

    def run(self) -> Generator[VerifyProgress, None, VerifyResult]:
        with self.path.open("rb") as raw:
            fmt = sniff_format(raw.read(tarfile.BLOCKSIZE))
            raw.seek(0)
            self.hashing = _HashingReader(raw)
            if self.extract_to is not None and fmt is not PackageFormat.UNKNOWN:
                self.extraction = _Extraction(self.extract_to)
            completed = False
            try:
                yield VerifyProgress(0, self.size)
                if fmt is PackageFormat.PUBLIC_KEY:
                    yield from self._read_public_key_package()
                elif fmt is PackageFormat.PASSPHRASE:
                    yield from self._read_passphrase_package()
                else:
                    self.problems.add(
                        ProblemKind.MALFORMED,
                        "This file is not a Migration Assistant package: it is neither an age-encrypted "
                        "file nor a passphrase package.",
                    )
                completed = fmt is not PackageFormat.UNKNOWN
            except DecryptionFailed as exc:
                self.problems.items.append(Problem(ProblemKind.UNDECRYPTABLE, str(exc), reason=exc.reason))
            except _TarCutShort:
                self.problems.items.append(
                    Problem(
                        ProblemKind.UNDECRYPTABLE,
                        "The package is incomplete: the file ends too early. It was probably cut short "
                        "while being copied or downloaded; ask for a fresh copy.",
                        reason=DecryptFailure.INCOMPLETE,
                    )
                )
            except _BagArchiveError as exc:
                self.problems.add(
                    ProblemKind.MALFORMED,
                    f"The package decrypts, but what is inside is not a readable archive ({exc}).",
                )
            except tarfile.TarError as exc:
                # Outside _read_bag, only a header of the passphrase container can be this broken.
                self.problems.items.append(
                    Problem(
                        ProblemKind.UNDECRYPTABLE,
                        "The package is damaged: its container could not be read "
                        f"({exc}). Ask for a fresh copy.",
                        reason=DecryptFailure.DAMAGED,
                    )
                )
            except BaseException:
                if self.extraction is not None:
                    self.extraction.discard()
                raise
            if completed:
                self._check_bag()
            extracted_to = None
            if self.extraction is not None:
                if self.problems.items or self.bag_name is None:
                    self.extraction.discard()
                else:
                    extracted_to = self._commit_extraction(self.bag_name)
            digest = self.hashing.hexdigest() if self.hashing.bytes_read == self.size and completed else ""
        # Only what the manifests vouch for is handed back (never bytes of an altered or unlisted file).
        captured = {
            name: body for name, body in self.captured.items() if completed and name in self.confirmed
        }
        yield VerifyProgress(self.size, self.size)
        return VerifyResult(
            path=self.path,
            sealed_with=fmt,
            size=self.size,
            sha256=digest,
            bag_name=self.bag_name,
            bag_info=self._bag_info(),
            payload_files=len(self.payload),
            payload_bytes=sum(seen.size for seen in self.payload.values()),
            problems=tuple(self.problems.items),
            extracted_to=extracted_to,
            captured=captured,
        )

    def _commit_extraction(self, bag_name: str) -> Path:
        assert self.extraction is not None
        try:
            return self.extraction.commit(bag_name)
        except OSError as exc:
            self.extraction.discard()
            raise DestinationError(
                f"The package was checked but could not be moved into {self.extraction.destination} "
                f"({exc.strerror or exc}).",
                detail=repr(exc),
            ) from exc

    def _progress(self) -> VerifyProgress:
        assert self.hashing is not None
        if self.cancel is not None and self.cancel():
            raise PackageCancelled()
        return VerifyProgress(min(self.hashing.bytes_read, self.size), self.size)

    def _read_public_key_package(self) -> Generator[VerifyProgress, None, None]:
        assert self.hashing is not None
        if not self.identities:
            raise DecryptionFailed(
                DecryptFailure.WRONG_KEY,
                "This package was sealed for a public key, not with a passphrase: open it with the "
                "private key that belongs to that public key.",
            )
        with DecryptingReader(self.hashing, self.identities, total_size=self.size) as plaintext:
            yield from self._read_bag(plaintext)
        self.hashing.drain()

    def _read_passphrase_package(self) -> Generator[VerifyProgress, None, None]:
        assert self.hashing is not None
        key_blob: bytes | None = None
        body_seen = False
        outer = _TarReader(self.hashing)
        for member in outer.members():
            if member.name == ENVELOPE_README and member.isfile():
                continue
            if member.name == ENVELOPE_KEY and member.isfile() and key_blob is None:
                key_blob = read_small(outer, _KEY_LIMIT)
                continue
            if member.name == ENVELOPE_BODY and member.isfile() and not body_seen:
                body_seen = True
                identities = self._unlock(key_blob)
                with DecryptingReader(outer, identities, total_size=member.size) as plaintext:
                    yield from self._read_bag(plaintext)
                continue
            self.problems.add(
                ProblemKind.MALFORMED,
                f"The package contains an unexpected part “{member.name}”; it was ignored.",
            )
        if not body_seen:
            raise DecryptionFailed(
                DecryptFailure.INCOMPLETE,
                f"The package is incomplete: its encrypted contents ({ENVELOPE_BODY}) are missing.",
            )
        self.hashing.drain()

    def _unlock(self, key_blob: bytes | None) -> list[pyrage.x25519.Identity]:
        if self.passphrase is None:
            return self.identities  # e.g. the firm's own key, if the package was also sealed to it
        if key_blob is None:
            raise DecryptionFailed(
                DecryptFailure.DAMAGED,
                f"The package's passphrase-protected key ({ENVELOPE_KEY}) is missing or damaged.",
            )
        try:
            return open_key_with_passphrase(key_blob, self.passphrase) + self.identities
        except DecryptionFailed:
            if self.identities:  # a wrong passphrase does not matter if a given key opens it
                return self.identities
            raise

    # -- reading the bag ----------------------------------------------------------

    def _read_bag(self, plaintext: DecryptingReader) -> Generator[VerifyProgress, None, None]:
        try:
            tar = _TarReader(plaintext)
            for member in tar.members():
                yield self._progress()
                parts = self._accept(member)
                if parts is None:
                    continue
                if member.isdir():
                    if self.extraction is not None:
                        self._mkdir(parts)
                    continue
                yield from self._read_member(member, parts, tar)
        except (tarfile.TarError, _TarCutShort) as exc:
            raise _BagArchiveError(str(exc)) from exc
        # tarfile stops at the end-of-archive marker; read on to the end so age
        # authenticates the final chunk too (a cut-off file fails here, not silently).
        while plaintext.read(CHUNK_SIZE):
            yield self._progress()

    def _accept(self, member: _TarMember) -> list[str] | None:
        name = member.name.rstrip("/") if member.isdir() else member.name
        parts = name.split("/")
        unsafe = (
            not name
            or name.startswith("/")
            or "\\" in name
            or "\0" in name
            or re.match(r"^[A-Za-z]:", name) is not None
            or any(part in ("", ".", "..") for part in parts)
        )
        if unsafe:
            self.problems.add(
                ProblemKind.UNSAFE,
                f"The package contains an entry with an unsafe name “{member.name}” (it could write outside "
                "the chosen folder); it was not extracted.",
                member.name,
            )
            return None
        if not (member.isfile() or member.isdir()):
            self.problems.add(
                ProblemKind.UNSAFE,
                f"The package contains “{member.name}”, which is a link or special file rather than a "
                "normal file; it was not extracted.",
                member.name,
            )
            return None
        if self.bag_name is None:
            self.bag_name = parts[0]
        if parts[0] != self.bag_name or (len(parts) == 1 and not member.isdir()):
            self.problems.add(
                ProblemKind.MALFORMED,
                f"“{member.name}” is outside the package's folder “{self.bag_name}”; it was ignored.",
                member.name,
            )
            return None
        if member.isfile():
            if name in self.members_seen:
                self.problems.add(
                    ProblemKind.MALFORMED,
                    f"“{name}” appears twice in the package; only the first was used.",
                    name,
                )
                return None
            self.members_seen.add(name)
        return parts

    def _mkdir(self, parts: list[str]) -> None:
        assert self.extraction is not None
        try:
            self.extraction.target(parts).mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise self._extraction_error(exc) from exc

    def _read_member(
        self, member: _TarMember, parts: list[str], stream: _TarReader
    ) -> Generator[VerifyProgress, None, None]:
        relative = "/".join(parts[1:])
        is_payload = relative.startswith("data/")
        hashers = [hashlib.new(a) for a in ALGORITHMS]
        kept: list[bytes] | None = None if is_payload else []
        captured: list[bytes] | None = [] if relative in self.capture else None
        size = 0
        out: BinaryIO | None = None
        target: Path | None = None
        try:
            if self.extraction is not None:
                target = self.extraction.target(parts)
                target.parent.mkdir(parents=True, exist_ok=True)
                out = target.open("xb")
            while chunk := stream.read(CHUNK_SIZE):
                for hasher in hashers:
                    hasher.update(chunk)
                size += len(chunk)
                if kept is not None:
                    if size <= _TAG_LIMIT:
                        kept.append(chunk)
                    else:
                        kept = None
                if captured is not None:
                    if size <= CAPTURE_LIMIT:
                        captured.append(chunk)
                    else:
                        captured = None  # too big to show: left out rather than cut short
                if out is not None:
                    out.write(chunk)
                yield self._progress()
        except OSError as exc:
            raise self._extraction_error(exc) from exc
        finally:
            if out is not None:
                out.close()
        if target is not None:
            os.utime(target, (member.mtime, member.mtime))  # keep the originals' dates
        seen = _Seen(size, {a: h.hexdigest() for a, h in zip(ALGORITHMS, hashers, strict=True)})
        if captured is not None:
            self.captured[relative] = b"".join(captured)
        if is_payload:
            self.payload[relative] = seen
        else:
            seen.body = b"".join(kept) if kept is not None else None
            self.tags[relative] = seen

    def _extraction_error(self, exc: OSError) -> DestinationError:
        destination = self.extract_to or self.path.parent
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            return InsufficientSpaceError(drive_of(destination), self.size, detail=repr(exc))
        return DestinationError(
            f"The package could not be extracted into {destination} ({exc.strerror or exc}).",
            detail=repr(exc),
        )

    # -- checking the bag ---------------------------------------------------------

    def _tag_text(self, name: str) -> bytes | None:
        seen = self.tags.get(name)
        if seen is None:
            return None
        if seen.body is None:
            self.problems.add(ProblemKind.MALFORMED, f"{name} is far too large to be a real bag file.", name)
        return seen.body

    def _check_bag(self) -> None:
        if self.bag_name is None:
            self.problems.add(ProblemKind.MALFORMED, "The package is empty.")
            return
        self._check_bagit_txt()
        info = self.tags.get("bag-info.txt")
        if info is not None and info.body is not None:
            for complaint in parse_bag_info(info.body)[1]:
                self.problems.add(
                    ProblemKind.MALFORMED, f"bag-info.txt cannot be read: {complaint}.", "bag-info.txt"
                )
        self._check_manifests()
        self._check_tag_manifests()
        self._check_oxum()

    def _check_bagit_txt(self) -> None:
        body = self._tag_text("bagit.txt")
        if body is None:
            if "bagit.txt" not in self.tags:
                self.problems.add(
                    ProblemKind.MISSING,
                    "bagit.txt is missing, so this is not a complete BagIt bag.",
                    "bagit.txt",
                )
            return
        fields, complaints = parse_bag_info(body)
        declared = dict(fields)
        if complaints or declared.get("BagIt-Version") not in ("0.97", "1.0"):
            self.problems.add(
                ProblemKind.MALFORMED, "bagit.txt does not declare a known BagIt version.", "bagit.txt"
            )
        if declared.get("Tag-File-Character-Encoding", "").upper() not in ("UTF-8", "UTF8"):
            self.problems.add(ProblemKind.MALFORMED, "bagit.txt does not declare UTF-8 text.", "bagit.txt")

    def _manifest_names(self, prefix: str) -> dict[str, str]:
        found = {}
        for name in self.tags:
            match = re.fullmatch(rf"{prefix}-([a-z0-9]+)\.txt", name)
            if match and match.group(1) in ALGORITHMS:
                found[match.group(1)] = name
        return found

    def _check_manifests(self) -> None:
        manifests = self._manifest_names("manifest")
        if not manifests:
            self.problems.add(
                ProblemKind.MISSING,
                "The package has no list of checksums (manifest-sha256.txt), so its files cannot be checked.",
                "manifest-sha256.txt",
            )
            return
        missing: set[str] = set()
        altered: set[str] = set()
        listed_everywhere = set(self.payload)
        for algorithm, name in sorted(manifests.items()):
            body = self._tag_text(name)
            if body is None:
                return
            entries, complaints = parse_manifest(body)
            for complaint in complaints:
                self.problems.add(ProblemKind.MALFORMED, f"{name} cannot be read: {complaint}.", name)
            listed_everywhere &= set(entries)
            for path, digest in entries.items():
                if not path.startswith("data/"):
                    self.problems.add(
                        ProblemKind.MALFORMED,
                        f"{name} lists “{path}”, which is not in the data folder.",
                        name,
                    )
                elif path not in self.payload:
                    missing.add(path)
                elif self.payload[path].digests[algorithm] != digest:
                    altered.add(path)
        for path in sorted(missing):
            self.problems.add(
                ProblemKind.MISSING,
                f"{path} is missing: it is listed in the package's checksums but is not in the package.",
                path,
            )
        for path in sorted(altered):
            self.problems.add(
                ProblemKind.ALTERED,
                f"{path} has been altered: its contents no longer match the checksum recorded when the "
                "package was sealed.",
                path,
            )
        self.confirmed |= listed_everywhere - altered
        for path in sorted(set(self.payload) - listed_everywhere):
            self.problems.add(
                ProblemKind.EXTRA,
                f"{path} is in the package but not in its list of checksums, so it cannot be checked "
                "(it may have been added afterwards).",
                path,
            )

    def _check_tag_manifests(self) -> None:
        matched: set[str] = set()
        mismatched: set[str] = set()
        for algorithm, name in sorted(self._manifest_names("tagmanifest").items()):
            body = self._tag_text(name)
            if body is None:
                continue
            entries, complaints = parse_manifest(body)
            for complaint in complaints:
                self.problems.add(ProblemKind.MALFORMED, f"{name} cannot be read: {complaint}.", name)
            for path, digest in sorted(entries.items()):
                seen = self.tags.get(path)
                if seen is None:
                    self.problems.add(
                        ProblemKind.MISSING,
                        f"{path} is missing from the package (it is listed in {name}).",
                        path,
                    )
                elif seen.digests[algorithm] != digest:
                    mismatched.add(path)
                    self.problems.add(
                        ProblemKind.ALTERED,
                        f"{path} has been altered since the package was sealed (its checksum in {name} "
                        "does not match).",
                        path,
                    )
                else:
                    matched.add(path)
        self.confirmed |= matched - mismatched

    def _check_oxum(self) -> None:
        declared = self._bag_info().get("Payload-Oxum")
        if declared is None:
            return
        actual_bytes = sum(seen.size for seen in self.payload.values())
        actual = f"{actual_bytes}.{len(self.payload)}"
        if declared.strip() != actual:
            match = re.fullmatch(r"(\d+)\.(\d+)", declared.strip())
            said = (
                f"{int(match.group(2))} files ({human_size(int(match.group(1)))})"
                if match
                else f"“{declared}”"
            )
            self.problems.add(
                ProblemKind.MALFORMED,
                f"bag-info.txt says the package holds {said}, but it holds {len(self.payload)} files "
                f"({human_size(actual_bytes)}).",
                "bag-info.txt",
            )

    def _bag_info(self) -> dict[str, str]:
        seen = self.tags.get("bag-info.txt")
        if seen is None or seen.body is None:
            return {}
        pairs, _ = parse_bag_info(seen.body)
        info: dict[str, str] = {}
        for label, value in pairs:
            info[label] = f"{info[label]}; {value}" if label in info else value
        return info
