"""Opens a package: decrypts it as a stream, checks every checksum, optionally extracts it.

The package is read exactly once, front to back. Decrypted bytes flow through a
small forward-only tar reader (:mod:`.tar_stream`); each payload file is hashed
(SHA-256 and SHA-512) as it passes and, only when asked, written into a hidden
temporary folder *inside* the destination (:mod:`.extract`). That folder is renamed
into place only when every check passed, so a failed or cancelled check leaves nothing
half-extracted, and nothing is ever written to the system temp folder. Once the stream
ends, :mod:`.bag_check` compares what was seen with the bag's manifests.

This module drives the read; the result types are in :mod:`.verify_result`.

Everything wrong with the package itself (wrong key or passphrase, damaged or cut
short, a file missing, altered or extra, a malformed bag, an unsafe name) becomes a
:class:`Problem` with a plain-English message. Exceptions are kept for "could not
even start" (no such file, no key given, destination not writable) and cancel.
"""

from __future__ import annotations

import hashlib
import tarfile
from collections.abc import Callable, Collection, Generator, Sequence
from pathlib import Path
from typing import BinaryIO, Final, TypeAlias

import pyrage

from migration_assistant.core.package.bag import ALGORITHMS, CHUNK_SIZE
from migration_assistant.core.package.bag_check import TAG_LIMIT, SeenFile, bag_info, check_bag
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
    InvalidIdentityError,
    PackageCancelled,
    PackageNotFoundError,
)
from migration_assistant.core.package.extract import (
    Extraction,
    extraction_error,
    is_unsafe_name,
    set_file_time,
)
from migration_assistant.core.package.tar_stream import (
    BagArchiveError,
    HashingReader,
    TarCutShort,
    TarMember,
    TarReader,
)
from migration_assistant.core.package.verify_result import (
    Problem,
    ProblemKind,
    ProblemList,
    VerifyProgress,
    VerifyResult,
)
from migration_assistant.core.steps import run_to_end

__all__ = [
    "CAPTURE_LIMIT",
    "UNLOCKING",
    "IdentityInput",
    "Problem",
    "ProblemKind",
    "VerifyProgress",
    "VerifyResult",
    "iter_verify_package",
    "verify_package",
]

_KEY_LIMIT: Final = 1 << 20
CAPTURE_LIMIT: Final = 16 << 20
"""Largest file :func:`iter_verify_package` hands back in memory when asked to *capture* it."""

IdentityInput: TypeAlias = "pyrage.x25519.Identity | str"

UNLOCKING: Final = "Unlocking the package with the passphrase (this takes a few seconds)…"
"""The busy step of :class:`VerifyProgress` while the passphrase's key is opened."""


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
        self.problems = ProblemList()
        self.payload: dict[str, SeenFile] = {}
        self.tags: dict[str, SeenFile] = {}
        self.bag_name: str | None = None
        self.members_seen: set[str] = set()  # files, by case-folded name
        self.folders_seen: set[str] = set()  # folders made or implied, by case-folded name
        self.capture = capture
        self.captured: dict[str, bytes] = {}
        self.confirmed: set[str] = set()  # files whose checksums matched the manifests
        self.extraction: Extraction | None = None
        self.hashing: HashingReader | None = None

    # -- driving ------------------------------------------------------------------

    def run(self) -> Generator[VerifyProgress, None, VerifyResult]:
        extracted_to: Path | None = None
        with self.path.open("rb") as raw:
            fmt = sniff_format(raw.read(tarfile.BLOCKSIZE))
            raw.seek(0)
            self.hashing = HashingReader(raw)
            if self.extract_to is not None and fmt is not PackageFormat.UNKNOWN:
                self.extraction = Extraction(self.extract_to)
            try:
                completed = yield from self._read(fmt)
                if completed:
                    self.confirmed = check_bag(self.bag_name, self.payload, self.tags, self.problems)
                if self.extraction is not None and not self.problems.items and self.bag_name is not None:
                    extracted_to = self._commit_extraction(self.bag_name)
            finally:
                # Whatever ends the check short of a clean commit (a problem found, a bug, cancel,
                # the caller closing the generator, Ctrl+C), no decrypted file stays on disk.
                if self.extraction is not None and extracted_to is None:
                    self.extraction.discard()
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
            bag_info=bag_info(self.tags),
            payload_files=len(self.payload),
            payload_bytes=sum(seen.size for seen in self.payload.values()),
            problems=tuple(self.problems.items),
            extracted_to=extracted_to,
            captured=captured,
        )

    def _read(self, fmt: PackageFormat) -> Generator[VerifyProgress, None, bool]:
        """Decrypt and walk the package; True when it was read to its end (the bag can be checked)."""
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
                return False
            return True
        except DecryptionFailed as exc:
            self.problems.items.append(Problem(ProblemKind.UNDECRYPTABLE, str(exc), reason=exc.reason))
        except TarCutShort:
            self.problems.items.append(
                Problem(
                    ProblemKind.UNDECRYPTABLE,
                    "The package is incomplete: the file ends too early. It was probably cut short "
                    "while being copied or downloaded; ask for a fresh copy.",
                    reason=DecryptFailure.INCOMPLETE,
                )
            )
        except BagArchiveError as exc:
            self.problems.add(
                ProblemKind.MALFORMED,
                f"The package decrypts, but what is inside is not a readable archive ({exc}).",
            )
        except tarfile.TarError as exc:
            # Outside _read_bag, only a header of the passphrase container can be this broken.
            self.problems.items.append(
                Problem(
                    ProblemKind.UNDECRYPTABLE,
                    f"The package is damaged: its container could not be read ({exc}). Ask for a fresh copy.",
                    reason=DecryptFailure.DAMAGED,
                )
            )
        return False

    def _commit_extraction(self, bag_name: str) -> Path:
        assert self.extraction is not None
        try:
            return self.extraction.commit(bag_name)
        except OSError as exc:
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
        outer = TarReader(self.hashing)
        for member in outer.members():
            if member.name == ENVELOPE_README and member.isfile():
                continue
            if member.name == ENVELOPE_KEY and member.isfile() and key_blob is None:
                key_blob = read_small(outer, _KEY_LIMIT)
                continue
            if member.name == ENVELOPE_BODY and member.isfile() and not body_seen:
                body_seen = True
                if self.passphrase is not None:
                    # One scrypt call (a second or more, deliberately): it cannot report progress,
                    # so say what is happening before it starts rather than sit at the last figure.
                    yield VerifyProgress(self.hashing.bytes_read, self.size, busy=UNLOCKING)
                identities = self._unlock(key_blob)
                if self.cancel is not None and self.cancel():
                    raise PackageCancelled()
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
            return open_key_with_passphrase(key_blob, self.passphrase, self.cancel) + self.identities
        except DecryptionFailed:
            if self.identities:  # a wrong passphrase does not matter if a given key opens it
                return self.identities
            raise

    # -- reading the bag ----------------------------------------------------------

    def _read_bag(self, plaintext: DecryptingReader) -> Generator[VerifyProgress, None, None]:
        try:
            tar = TarReader(plaintext)
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
        except (tarfile.TarError, TarCutShort) as exc:
            raise BagArchiveError(str(exc)) from exc
        # tarfile stops at the end-of-archive marker; read on to the end so age
        # authenticates the final chunk too (a cut-off file fails here, not silently).
        while plaintext.read(CHUNK_SIZE):
            yield self._progress()

    def _accept(self, member: TarMember) -> list[str] | None:
        name = member.name.rstrip("/") if member.isdir() else member.name
        parts = name.split("/")
        if is_unsafe_name(name):
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
        return parts if self._fits(name, parts, member.isdir()) else None

    def _fits(self, name: str, parts: list[str], is_dir: bool) -> bool:
        """True when the entry can sit beside those before it on any computer's disk.

        A file named like an earlier file (ignoring case, as Windows and macOS do), a file
        where a folder already is or the reverse would make extracting fail where checking
        alone passes; each is refused the same way, with or without extraction.
        """
        key = name.casefold()
        folders = ["/".join(parts[:end]).casefold() for end in range(1, len(parts))]
        clash = next((f for f in folders if f in self.members_seen), None)
        if clash is not None:
            self.problems.add(
                ProblemKind.MALFORMED,
                f"“{name}” is inside “{'/'.join(parts[: clash.count('/') + 1])}”, which is a file in the "
                "package, not a folder; it was ignored.",
                name,
            )
            return False
        if is_dir:
            if key in self.members_seen:
                self.problems.add(
                    ProblemKind.MALFORMED,
                    f"“{name}” is both a file and a folder in the package; only the file was used.",
                    name,
                )
                return False
            self.folders_seen.update([*folders, key])
            return True
        if key in self.members_seen or key in self.folders_seen:
            said = (
                "appears twice in the package" if key in self.members_seen else "is both a folder and a file"
            )
            self.problems.add(ProblemKind.MALFORMED, f"“{name}” {said}; only the first was used.", name)
            return False
        self.folders_seen.update(folders)
        self.members_seen.add(key)
        return True

    def _mkdir(self, parts: list[str]) -> None:
        assert self.extraction is not None
        try:
            self.extraction.target(parts).mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise self._extraction_error(exc) from exc

    def _read_member(
        self, member: TarMember, parts: list[str], stream: TarReader
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
                    if size <= TAG_LIMIT:
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
            set_file_time(target, member.mtime)  # keep the originals' dates
        seen = SeenFile(size, {a: h.hexdigest() for a, h in zip(ALGORITHMS, hashers, strict=True)})
        if captured is not None:
            self.captured[relative] = b"".join(captured)
        if is_payload:
            self.payload[relative] = seen
        else:
            seen.body = b"".join(kept) if kept is not None else None
            self.tags[relative] = seen

    def _extraction_error(self, exc: OSError) -> DestinationError:
        return extraction_error(exc, self.extract_to or self.path.parent, self.size)
