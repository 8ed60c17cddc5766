"""Seals an export into one encrypted package file, atomically, and proves it opens.

Steps, all streamed (memory stays flat whatever the export's size):

1. Plan: check every name, ``stat()`` every original, estimate the package size and
   refuse early when the destination drive is too small.
2. Seal: stream the BagIt tar (:mod:`.bag`) through age encryption (:mod:`.crypto`)
   into a hidden ``.<name>.partial-XXXXXXXX`` file *in the destination folder* (so
   the final rename never crosses drives). Nothing in plain text is written anywhere.
3. Check: decrypt the partial file again and verify every checksum (:mod:`.verify`).
   Public-key packages are also sealed to a throwaway key that exists only in memory
   during this step, because the app does not hold the specialist's private key;
   passphrase packages are checked with the passphrase itself, which proves it works.
4. Only then ``os.replace`` the partial file onto the final name.

Any failure or cancel removes the partial file. :func:`package_steps` is the
generator GUI workers and the CLI drive; :func:`write_package` wraps it with
callbacks.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import shutil
from collections.abc import Callable, Generator, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Final

import pyrage

from migration_assistant.core.package.bag import (
    DEFAULT_BAG_NAME,
    BagPlan,
    BagSummary,
    PayloadEntry,
    plan_bag,
    write_bag,
)
from migration_assistant.core.package.crypto import (
    EncryptingWriter,
    EnvelopeWriter,
    PackageFormat,
    parse_recipient,
    seal_key_with_passphrase,
)
from migration_assistant.core.package.errors import (
    DestinationError,
    InsufficientSpaceError,
    InvalidRecipientError,
    PackageCancelled,
    PackageCheckFailed,
    PackageError,
    PackageExistsError,
    drive_of,
)
from migration_assistant.core.package.keystore import public_key_fingerprint
from migration_assistant.core.package.verify import VerifyResult, iter_verify_package
from migration_assistant.core.steps import relabel, run_to_end

_AGE_OVERHEAD_PER_CHUNK: Final = 16  # Poly1305 tag per 64 KiB chunk
_SAFETY_MARGIN: Final = 1 << 20  # headers, the passphrase container, filesystem rounding
_PREPARING_SHARE: Final = 0.1  # of the bar: the reports in memory (a few seconds on a large export)
LOCKING: Final = "Locking the package key with the passphrase (this takes a few seconds)…"
"""The busy step of :class:`PackageProgress` while the passphrase's scrypt work runs."""


class Phase(StrEnum):
    """Which step a :class:`PackageProgress` belongs to."""

    PREPARING = "preparing"
    SEALING = "sealing"
    CHECKING = "checking"


@dataclass(frozen=True)
class PackageProgress:
    """Progress of :func:`package_steps`.

    Attributes:
        phase: Preparing (the reports, then planning), sealing (payload bytes), checking (package bytes).
        done: Units done in this phase (bytes while sealing and checking).
        total: Units in this phase.
        current: The ``data/…`` file being sealed, or ``""``.
        busy: What a step that cannot count its progress is doing (one scrypt call for the
            passphrase, a second or more); ``""`` for a measured step. A viewer shows a busy bar.
    """

    phase: Phase
    done: int
    total: int
    current: str = ""
    busy: str = ""

    @property
    def overall(self) -> float:
        """0.0–1.0 across the whole operation: preparing a tenth, sealing and checking the rest alike."""
        part = min(self.done / self.total, 1.0) if self.total else 1.0
        if self.phase is Phase.PREPARING:
            return _PREPARING_SHARE * part
        half = (1.0 - _PREPARING_SHARE) / 2
        start = _PREPARING_SHARE if self.phase is Phase.SEALING else _PREPARING_SHARE + half
        return start + half * part


@dataclass(frozen=True)
class PackageResult:
    """A package that was written, checked and moved into place.

    Attributes:
        path: The final package file.
        size: Its size in bytes.
        sha256: SHA-256 of the file, for the specialist to compare after transfer.
        sealed_with: Public-key or passphrase package.
        recipients: The public keys it was sealed for (the throwaway check key excluded).
        fingerprints: :func:`~.keystore.public_key_fingerprint` of each recipient, to read out.
        bag_name: The bag's top folder inside the package.
        payload_files: Files in ``data/``.
        payload_bytes: Their total size.
        bag_info: The ``bag-info.txt`` elements as written.
    """

    path: Path
    size: int
    sha256: str
    sealed_with: PackageFormat
    recipients: tuple[str, ...]
    fingerprints: tuple[str, ...]
    bag_name: str
    payload_files: int
    payload_bytes: int
    bag_info: Mapping[str, str]


def write_package(
    payload: Sequence[PayloadEntry],
    bag_info: Mapping[str, str],
    out_path: Path,
    *,
    recipients: Sequence[str | pyrage.x25519.Recipient] = (),
    passphrase: str | None = None,
    progress: Callable[[PackageProgress], None] | None = None,
    cancel: Callable[[], bool] | None = None,
    overwrite: bool = False,
    bag_name: str = DEFAULT_BAG_NAME,
) -> PackageResult:
    """Seal, check and atomically save a package; see :func:`package_steps` for the arguments.

    Args:
        payload: The files for ``data/``.
        bag_info: ``bag-info.txt`` elements (Source-Organization, Contact-Email, …).
        out_path: The package file to create.
        recipients: Public keys (``age1…``) to seal for: the specialist's and the firm's own.
        passphrase: Seal with this passphrase instead (recipients, if any, are added).
        progress: Called with every :class:`PackageProgress`.
        cancel: Polled between chunks (e.g. ``event.is_set``); True stops and cleans up.
        overwrite: Replace an existing file at *out_path*.
        bag_name: The bag's top folder inside the archive.
    """
    steps = package_steps(
        payload,
        bag_info,
        out_path,
        recipients=recipients,
        passphrase=passphrase,
        cancel=cancel,
        overwrite=overwrite,
        bag_name=bag_name,
    )
    return run_to_end(steps, progress)


def package_steps(
    payload: Sequence[PayloadEntry],
    bag_info: Mapping[str, str],
    out_path: Path,
    *,
    recipients: Sequence[str | pyrage.x25519.Recipient] = (),
    passphrase: str | None = None,
    cancel: Callable[[], bool] | None = None,
    overwrite: bool = False,
    bag_name: str = DEFAULT_BAG_NAME,
) -> Generator[PackageProgress, None, PackageResult]:
    """Write a package, yielding progress between chunks.

    Closing the generator early (``gen.close()``) cancels just like *cancel* does:
    the partial file is removed.

    Yields:
        :class:`PackageProgress`, at least once per 1 MiB chunk.

    Returns:
        The :class:`PackageResult` (as ``StopIteration.value``).

    Raises:
        InvalidRecipientError: A public key is not valid, or there is neither a key nor a passphrase.
        BagError: A payload name or bag-info label cannot be used.
        SourceFileError: An original could not be read or changed while being read.
        PackageExistsError: *out_path* exists and *overwrite* is False.
        InsufficientSpaceError: The destination drive is (or became) too full.
        DestinationError: The destination folder is missing or not writable.
        PackageCheckFailed: The written package did not verify (it was deleted).
        PackageCancelled: Cancelled; nothing was left behind.
    """
    out_path = Path(out_path).absolute()
    folder = out_path.parent
    parsed = [parse_recipient(r) for r in recipients]
    if passphrase is None and not parsed:
        raise InvalidRecipientError(
            "Choose who can open the package: add the specialist's public key or use a passphrase."
        )
    if passphrase is not None and not passphrase.strip():
        raise PackageError("The passphrase is empty. Generate one, or type at least a few words.")
    plan = plan_bag(payload, bag_name=bag_name)
    _check_destination(out_path, overwrite)
    needed = estimate_package_bytes(plan)
    _check_free_space(folder, needed)
    yield PackageProgress(Phase.PREPARING, plan.payload_bytes, plan.payload_bytes)

    check_key = pyrage.x25519.Identity.generate()
    key_blob: bytes | None = None
    if passphrase is not None:
        # One scrypt call that cannot report progress: say so before it starts.
        yield PackageProgress(Phase.PREPARING, plan.payload_bytes, plan.payload_bytes, busy=LOCKING)
        # The package key: the bag is sealed to it, it is sealed with the passphrase.
        key_blob = seal_key_with_passphrase(check_key, passphrase, cancel)
        body_recipients = [check_key.to_public(), *parsed]
    else:
        body_recipients = [*parsed, check_key.to_public()]
    if cancel is not None and cancel():
        raise PackageCancelled()

    partial = folder / f".{out_path.name}.partial-{secrets.token_hex(4)}"
    handle = None
    encryptor: EncryptingWriter | None = None
    bag_steps: Generator[object, None, BagSummary] | None = None
    check_steps: Generator[object, None, VerifyResult] | None = None
    try:
        # O_EXCL: never clobber another file; 0o600: only this user may read it meanwhile.
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
        handle = os.fdopen(os.open(partial, flags, 0o600), "wb")
        envelope = None
        if key_blob is not None:
            envelope = EnvelopeWriter(handle, key_blob)
            envelope.start()
        encryptor = EncryptingWriter(handle, body_recipients)
        bag_steps = write_bag(encryptor, plan, bag_info, cancel=cancel)
        summary: BagSummary = yield from relabel(
            bag_steps, lambda step: PackageProgress(Phase.SEALING, step.done, step.total, step.current)
        )
        encryptor.close()
        if envelope is not None:
            envelope.finish(encryptor.ciphertext_bytes)
        handle.flush()
        os.fsync(handle.fileno())  # the check below must read what is really on the disk
        handle.close()
        handle = None

        if passphrase is not None:
            check_steps = iter_verify_package(partial, passphrase=passphrase, cancel=cancel)
        else:
            check_steps = iter_verify_package(partial, identity=check_key, cancel=cancel)
        checked: VerifyResult = yield from relabel(
            check_steps, lambda step: PackageProgress(Phase.CHECKING, step.done, step.total, busy=step.busy)
        )
        _confirm(checked, summary)
        partial.replace(out_path)  # atomic on the same folder, replacing only when allowed
        _fsync_folder(folder)
    except BaseException as exc:
        for steps in (bag_steps, check_steps):
            if steps is not None:
                steps.close()  # closes the original file / the partial file they hold open
        if encryptor is not None:
            encryptor.abort()
        if handle is not None:
            with contextlib.suppress(OSError):  # the file is being deleted; a failed flush changes nothing
                handle.close()
        with contextlib.suppress(OSError):  # best effort: it is ciphertext, and its hidden name marks it
            partial.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise _destination_error(exc, folder, needed) from exc
        raise
    return PackageResult(
        path=out_path,
        size=checked.size,
        sha256=checked.sha256,
        sealed_with=PackageFormat.PASSPHRASE if passphrase is not None else PackageFormat.PUBLIC_KEY,
        recipients=tuple(str(r) for r in parsed),
        fingerprints=tuple(public_key_fingerprint(str(r)) for r in parsed),
        bag_name=summary.bag_name,
        payload_files=summary.payload_files,
        payload_bytes=summary.payload_bytes,
        bag_info=dict(summary.bag_info),
    )


def estimate_package_bytes(plan: BagPlan) -> int:
    """About how large the package will be (an upper bound within a megabyte)."""
    tar_bytes = plan.estimated_tar_bytes
    return tar_bytes + (tar_bytes // (64 * 1024) + 1) * _AGE_OVERHEAD_PER_CHUNK + _SAFETY_MARGIN


def _confirm(checked: VerifyResult, summary: BagSummary) -> None:
    problems = [p.message for p in checked.problems]
    if checked.payload_files != summary.payload_files or checked.payload_bytes != summary.payload_bytes:
        problems.append(
            f"it holds {checked.payload_files} files ({checked.payload_bytes} bytes) instead of "
            f"{summary.payload_files} ({summary.payload_bytes} bytes)"
        )
    if problems or not checked.sha256:
        raise PackageCheckFailed(problems or ["it could not be read back to its end"])


def _check_destination(out_path: Path, overwrite: bool) -> None:
    folder = out_path.parent
    if not folder.is_dir():
        raise DestinationError(f"The folder {folder} does not exist. Choose another place for the package.")
    if out_path.is_dir():
        raise DestinationError(f"{out_path} is a folder. Choose a file name for the package.")
    if out_path.exists() and not overwrite:
        raise PackageExistsError(
            f"{out_path.name} already exists in {folder}. Choose another name, or confirm replacing it."
        )


def _check_free_space(folder: Path, needed: int) -> None:
    try:
        free = shutil.disk_usage(folder).free
    except OSError:
        return  # some network drives cannot say; the write itself will tell us
    if free < needed:
        raise InsufficientSpaceError(drive_of(folder), needed, detail=f"free={free} needed={needed}")


def _destination_error(exc: OSError, folder: Path, needed: int) -> DestinationError:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return InsufficientSpaceError(drive_of(folder), needed, detail=repr(exc))
    return DestinationError(
        f"The package could not be written to {folder} ({exc.strerror or exc}).", detail=repr(exc)
    )


def _fsync_folder(folder: Path) -> None:
    """Make the rename durable (POSIX); Windows cannot open folders and does not need it."""
    if os.name == "nt":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some filesystems refuse fsync on folders; the data itself is already synced
    finally:
        os.close(fd)
