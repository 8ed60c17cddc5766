"""Streamed age encryption with pyrage, and the one-file passphrase envelope.

What pyrage 1.4.0 offers (checked against its source, ``src/lib.rs`` and
``src/passphrase.rs``):

* ``encrypt_io(reader, writer, recipients)`` / ``decrypt_io(reader, writer, identities)``
  stream through ``std::io::copy`` with 8 KiB buffers, so memory stays flat. But they
  *pull* from a Python reader and *push* into a Python writer inside one blocking
  call, while our bag writer pushes bytes and our verifier pulls them. So each
  direction runs the pyrage call on a helper thread joined to our side by a bounded
  queue of ≤ 1 MiB chunks (:class:`EncryptingWriter`, :class:`DecryptingReader`);
  at most ~8 MiB is in flight whatever the export's size. A queue rather than
  ``os.pipe`` lets us raise a real error into pyrage on cancel (so it never
  finishes a valid-looking truncated file) and works the same on Windows.
* Recipients for ``encrypt_io`` may be X25519, SSH or plugin recipients; **there is no
  scrypt (passphrase) recipient**. Passphrases exist only as the in-memory
  ``pyrage.passphrase.encrypt(bytes, passphrase)``, which would hold a multi-GB
  export in RAM.

Passphrase mode therefore uses an envelope (the trade-off chosen):

1. A fresh X25519 identity is generated for this one package.
2. The bag is streamed, encrypted to that identity (plus any extra public keys such
   as the firm's own), exactly as in public-key mode.
3. The identity, in the text format ``age-keygen`` writes, is encrypted with the
   passphrase (scrypt, via ``pyrage.passphrase.encrypt``; a few hundred bytes).
4. Both go into ONE plain (uncompressed) tar file, together with instructions::

       HOW-TO-OPEN.txt      plain-text instructions, no client data
       passphrase-key.age   the package key, passphrase-protected (age scrypt)
       package.tar.age      the bag, age-encrypted to the package key

   The ciphertext's length is not known in advance (age adds a random "grease"
   stanza to its header), so the tar header of ``package.tar.age`` is written as a
   placeholder and rewritten in place once the size is known: the destination is a
   regular file we are writing anyway, never a pipe.

Cost of the trade-off: opening a passphrase package with standard tools takes a
``tar`` step first, and ``age -d`` cannot take the passphrase for the whole file
directly. Gains: one file, streaming in both directions, standard formats only
(tar + age), and the passphrase's scrypt work is done once on a tiny key.
Public-key mode packages are a single plain age file.

Opening with standard tools (``rage`` accepts the same arguments as ``age``)::

    # Public-key mode: a plain age file.
    age -d -i specialist-key.txt -o package.tar PACKAGE.age && tar -xf package.tar
    age -d -i specialist-key.txt PACKAGE.age | tar -x          # without the package.tar copy

    # Passphrase mode: a tar holding the key and the encrypted bag.
    tar -xf PACKAGE.tar passphrase-key.age package.tar.age
    age -d -o package-key.txt passphrase-key.age              # asks for the passphrase
    age -d -i package-key.txt package.tar.age | tar -x
    # (delete package-key.txt afterwards: it opens this package without the passphrase)
"""

from __future__ import annotations

import contextlib
import io
import logging
import queue
import secrets
import tarfile
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import BinaryIO, Final, Protocol

import pyrage

from migration_assistant.core.package.errors import (
    EncryptionError,
    InvalidIdentityError,
    InvalidRecipientError,
    PackageCancelled,
    PackageError,
)
from migration_assistant.core.package.scrypt_apart import ScryptCancelled, ScryptDecryptError, run_scrypt
from migration_assistant.core.resources import resource_path

_log = logging.getLogger(__name__)

AGE_MAGIC: Final = b"age-encryption.org/v1\n"
AGE_ARMOR_MAGIC: Final = b"-----BEGIN AGE ENCRYPTED FILE-----"
ENVELOPE_README: Final = "HOW-TO-OPEN.txt"
ENVELOPE_KEY: Final = "passphrase-key.age"
ENVELOPE_BODY: Final = "package.tar.age"

DEFAULT_PASSPHRASE_WORDS: Final = 7  # ~78 bits with the 2,401-word list, on top of scrypt
_MIN_WORDLIST: Final = 1024  # a truncated bundle must not silently weaken passphrases
_QUEUE_CHUNKS: Final = 8  # chunks in flight between our thread and pyrage's
_FLUSH_AT: Final = 1 << 20  # coalesce small writes into ~1 MiB queue items
_POLL_SECONDS: Final = 0.2
_AGE_CHUNK: Final = 64 * 1024 + 16  # one STREAM chunk of ciphertext


class PackageFormat(StrEnum):
    """How a package file is sealed, recognised from its first bytes."""

    PUBLIC_KEY = "public key"
    PASSPHRASE = "passphrase"
    UNKNOWN = "unknown"


class DecryptFailure(StrEnum):
    """Why a package could not be decrypted."""

    WRONG_KEY = "wrong-key"
    WRONG_PASSPHRASE = "wrong-passphrase"
    DAMAGED = "damaged"
    INCOMPLETE = "incomplete"
    NOT_A_PACKAGE = "not-a-package"
    UNREADABLE = "unreadable"


class DecryptionFailed(PackageError):
    """The package (or its passphrase-protected key) would not decrypt.

    Attributes:
        reason: The cause, for code; ``str(exc)`` says it for people.
    """

    def __init__(self, reason: DecryptFailure, message: str, *, detail: str = "") -> None:
        super().__init__(message, detail=detail)
        self.reason = reason


class _Aborted(Exception):
    """Raised inside pyrage's thread to make it stop (cancel, or the other side failed)."""


class _Writable(Protocol):
    def write(self, data: bytes, /) -> object: ...


class _Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


# --- keys --------------------------------------------------------------------------


def parse_recipient(value: str | pyrage.x25519.Recipient) -> pyrage.x25519.Recipient:
    """An age X25519 public key from its ``age1…`` text (whitespace and case ignored).

    Raises:
        InvalidRecipientError: With a plain message when *value* is not such a key.
    """
    if not isinstance(value, str):
        return value
    try:
        return pyrage.x25519.Recipient.from_str(value.strip().lower())
    except pyrage.RecipientError as exc:
        shown = value.strip()
        shown = shown if len(shown) <= 20 else shown[:17] + "…"
        raise InvalidRecipientError(
            f"“{shown}” is not an age public key. Public keys start with “age1” and are "
            "62 characters long; ask the specialist to send theirs again.",
            detail=str(exc),
        ) from exc


def parse_identities(text: str) -> list[pyrage.x25519.Identity]:
    """Private keys from identity-file text (``age-keygen`` format: ``#`` comments, one key a line).

    Raises:
        InvalidIdentityError: When a line is not an ``AGE-SECRET-KEY-1…`` key or there is none.
    """
    identities = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            identities.append(pyrage.x25519.Identity.from_str(line))
        except pyrage.IdentityError as exc:
            raise InvalidIdentityError(
                "The key file contains something that is not an age private key. Private keys "
                "start with “AGE-SECRET-KEY-1”.",
                detail=str(exc),
            ) from exc
    if not identities:
        raise InvalidIdentityError("The key file does not contain a private key (AGE-SECRET-KEY-1…).")
    return identities


def load_identity_file(path: Path) -> list[pyrage.x25519.Identity]:
    """Private keys from an age identity file, as ``age -i`` reads them.

    Raises:
        InvalidIdentityError: The file is missing, too large, passphrase-protected or holds no key.
    """
    try:
        with path.open("rb") as handle:
            data = handle.read(1 << 20)
    except OSError as exc:
        raise InvalidIdentityError(
            f"The key file {path} could not be read ({exc.strerror or exc}).", detail=repr(exc)
        ) from exc
    if data.startswith((AGE_MAGIC, AGE_ARMOR_MAGIC)):
        raise InvalidIdentityError(
            f"The key file {path} is itself locked with a passphrase. Unlock it first "
            "(age -d -o key.txt KEYFILE) and choose the unlocked copy."
        )
    try:
        return parse_identities(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise InvalidIdentityError(f"The key file {path} is not a text file.") from exc


def identity_file_text(identity: pyrage.x25519.Identity) -> str:
    """An identity in the file format ``age-keygen`` writes, which ``age -i``/``rage -i`` read."""
    created = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    return f"# created: {created}\n# public key: {identity.to_public()}\n{identity}\n"


# --- passphrases -------------------------------------------------------------------


@cache
def wordlist() -> tuple[str, ...]:
    """The bundled list of common English words passphrases are drawn from."""
    path = resource_path("resources", "wordlist.txt")
    words = sorted(
        {w.strip() for w in path.read_text("utf-8").splitlines() if w.strip() and not w.startswith("#")}
    )
    if len(words) < _MIN_WORDLIST or not all(w.isascii() and w.isalpha() and w.islower() for w in words):
        raise PackageError(
            "The app's word list is damaged, so it cannot make a safe passphrase. Please reinstall the app.",
            detail=f"{path}: {len(words)} usable words",
        )
    return tuple(words)


def generate_passphrase(words: int = DEFAULT_PASSPHRASE_WORDS) -> str:
    """A new passphrase of *words* common English words separated by single spaces.

    Args:
        words: How many words, 6 to 8 (each adds ~11 bits of entropy).
    """
    if not 6 <= words <= 8:
        raise ValueError("a passphrase has 6 to 8 words")
    pool = wordlist()
    return " ".join(secrets.choice(pool) for _ in range(words))


def normalise_passphrase(text: str) -> str:
    """The form generated passphrases have: lower case, single spaces, no edges."""
    return " ".join(text.lower().split())


def _passphrase_candidates(text: str) -> list[str]:
    # Exactly as typed first (a custom passphrase may use capitals), then the
    # generated form, so "Apple  river " still opens a package sealed with "apple river".
    candidates = [text]
    if normalise_passphrase(text) != text:
        candidates.append(normalise_passphrase(text))
    return candidates


def seal_key_with_passphrase(
    identity: pyrage.x25519.Identity, passphrase: str, cancel: Callable[[], bool] | None = None
) -> bytes:
    """The identity file text encrypted with *passphrase* (age scrypt, as ``age -p`` makes).

    This is slow on purpose (scrypt takes about a second and ~0.5 GB of memory,
    briefly, whatever the package's size): done in a process of its own
    (:mod:`.scrypt_apart`), so the window stays live and *cancel* is heard.

    Raises:
        PackageCancelled: *cancel* returned True meanwhile.
    """
    if not passphrase.strip():
        raise ValueError("the passphrase is empty")
    text = identity_file_text(identity).encode("ascii")
    try:
        return run_scrypt("encrypt", text, passphrase, cancel)
    except ScryptCancelled:
        raise PackageCancelled() from None


def open_key_with_passphrase(
    blob: bytes, passphrase: str, cancel: Callable[[], bool] | None = None
) -> list[pyrage.x25519.Identity]:
    """Unlock a key sealed by :func:`seal_key_with_passphrase` (scrypt in a process of its own).

    Raises:
        DecryptionFailed: ``WRONG_PASSPHRASE`` or ``DAMAGED``, with a plain message.
        PackageCancelled: *cancel* returned True meanwhile.
    """
    last_error = ""
    for candidate in _passphrase_candidates(passphrase):
        try:
            plain = run_scrypt("decrypt", blob, candidate, cancel)
        except ScryptCancelled:
            raise PackageCancelled() from None
        except ScryptDecryptError as exc:
            last_error = str(exc)
            if "No matching keys" in last_error or "Decryption failed" in last_error:
                continue
            break
        try:
            return parse_identities(plain.decode("utf-8"))
        except (InvalidIdentityError, UnicodeDecodeError) as exc:
            raise DecryptionFailed(
                DecryptFailure.DAMAGED,
                "The passphrase is right, but the key inside the package is damaged.",
                detail=repr(exc),
            ) from exc
    else:
        raise DecryptionFailed(
            DecryptFailure.WRONG_PASSPHRASE,
            "The passphrase is not right. Check every word (they are separated by single spaces) and "
            "try again.",
            detail=last_error,
        )
    raise DecryptionFailed(
        DecryptFailure.DAMAGED,
        "The package's passphrase-protected key is damaged, so it cannot be opened. Ask for a fresh copy.",
        detail=last_error,
    )


# --- streaming encryption ----------------------------------------------------------


class _RecordingSink:
    """What pyrage writes ciphertext into: the real file, remembering the first OS error.

    pyrage turns a Python exception from ``write`` into a string, losing ``errno``, and
    drops errors from its final buffered flush entirely; keeping the original here is
    how a full disk becomes :class:`InsufficientSpaceError` instead of a vague failure.
    """

    def __init__(self, target: _Writable) -> None:
        self._target = target
        self.bytes_written = 0
        self.error: BaseException | None = None

    def write(self, data: bytes) -> int:
        try:
            self._target.write(data)
        except BaseException as exc:
            self.error = self.error or exc
            raise
        self.bytes_written += len(data)
        return len(data)

    def flush(self) -> None:
        """Nothing to do: the owner flushes and fsyncs the file once pyrage is done."""


class _QueueReader:
    """What pyrage reads plaintext from: chunks our thread put on a queue."""

    def __init__(self, chunks: queue.Queue[bytes | None], abort: threading.Event) -> None:
        self._chunks = chunks
        self._abort = abort
        self._buffer = memoryview(b"")
        self._eof = False

    def read(self, size: int = -1) -> bytes:
        while not self._buffer:
            if self._eof:
                return b""
            if self._abort.is_set():
                raise _Aborted("the package is no longer being written")
            try:
                item = self._chunks.get(timeout=_POLL_SECONDS)
            except queue.Empty:
                continue
            if item is None:
                self._eof = True
                return b""
            self._buffer = memoryview(item)
        if size is None or size < 0:
            size = len(self._buffer)
        piece = bytes(self._buffer[:size])
        self._buffer = self._buffer[size:]
        return piece


class EncryptingWriter:
    """A write-only stream that age-encrypts everything written to it into *target*.

    ``pyrage.encrypt_io`` runs on a helper thread, reading from a bounded queue that
    :meth:`write` fills; :meth:`close` finishes the age stream, :meth:`abort` stops it
    without producing a complete file. Use as a context manager: leaving the block
    with an exception aborts.

    Args:
        target: The open output file (any object with ``write(bytes)``).
        recipients: Public keys the package is sealed for (at least one).
    """

    def __init__(self, target: _Writable, recipients: Sequence[str | pyrage.x25519.Recipient]) -> None:
        if not recipients:
            raise InvalidRecipientError("A package needs at least one public key to be sealed for.")
        self._recipients = [parse_recipient(r) for r in recipients]
        self._sink = _RecordingSink(target)
        self._chunks: queue.Queue[bytes | None] = queue.Queue(maxsize=_QUEUE_CHUNKS)
        self._abort = threading.Event()
        self._pending = bytearray()
        self._error: BaseException | None = None
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="age-encrypt", daemon=True)
        self._thread.start()

    @property
    def ciphertext_bytes(self) -> int:
        """Bytes of age output written to the target so far."""
        return self._sink.bytes_written

    def _run(self) -> None:
        try:
            pyrage.encrypt_io(_QueueReader(self._chunks, self._abort), self._sink, self._recipients)
        except BaseException as exc:  # handed to the writing thread, which raises it properly
            self._error = exc

    def write(self, data: bytes | bytearray | memoryview) -> int:
        """Queue *data* for encryption; blocks while the queue is full (backpressure)."""
        if self._closed:
            raise ValueError("write to a closed EncryptingWriter")
        size = len(data)
        if size >= _FLUSH_AT // 4:
            self._flush_pending()
            self._put(bytes(data))
        elif size:
            self._pending += data
            if len(self._pending) >= _FLUSH_AT:
                self._flush_pending()
        return size

    def _flush_pending(self) -> None:
        if self._pending:
            self._put(bytes(self._pending))
            self._pending.clear()

    def _put(self, item: bytes | None) -> None:
        while True:
            try:
                self._chunks.put(item, timeout=_POLL_SECONDS)
                return
            except queue.Full:
                if not self._thread.is_alive():
                    self._raise_failure()

    def close(self) -> None:
        """Finish the age stream and wait for the last bytes to reach the target.

        Raises:
            OSError: The target failed (e.g. ``ENOSPC``); the caller maps it.
            EncryptionError: pyrage failed for another reason.
        """
        if self._closed:
            return
        self._flush_pending()
        self._put(None)
        self._closed = True
        self._thread.join()
        if self._error is not None or self._sink.error is not None:
            self._raise_failure()

    def abort(self) -> None:
        """Stop encrypting and wait for the helper thread; the output is left incomplete."""
        self._closed = True
        self._abort.set()
        self._thread.join()

    def _raise_failure(self) -> None:
        self._closed = True
        self._abort.set()
        self._thread.join()
        if isinstance(self._sink.error, OSError):
            raise self._sink.error
        if self._sink.error is not None:
            raise EncryptionError("The package could not be written.", detail=repr(self._sink.error))
        raise EncryptionError(
            "The package could not be encrypted. Please try again; if it keeps failing, report it.",
            detail=repr(self._error),
        )

    def __enter__(self) -> EncryptingWriter:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *_: object) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()


# --- streaming decryption ----------------------------------------------------------


class _CountingSource:
    """What pyrage reads ciphertext from: counts bytes and keeps the first read error."""

    def __init__(self, source: _Readable) -> None:
        self._source = source
        self.bytes_read = 0
        self.error: BaseException | None = None

    def read(self, size: int = -1) -> bytes:
        try:
            data = self._source.read(size)
        except BaseException as exc:
            self.error = self.error or exc
            raise
        self.bytes_read += len(data)
        return data


class _Done:
    """Queue marker: pyrage finished (``error`` None) or failed."""

    def __init__(self, error: BaseException | None) -> None:
        self.error = error


class _QueueWriter:
    """What pyrage writes plaintext into: ~1 MiB items on a bounded queue."""

    def __init__(self, chunks: queue.Queue[bytes | _Done], abort: threading.Event) -> None:
        self._chunks = chunks
        self._abort = abort
        # pyrage hands over 8 KiB pieces; a list joined once per ~1 MiB copies each byte once.
        self._pending: list[bytes] = []
        self._pending_size = 0
        self.bytes_out = 0

    def write(self, data: bytes) -> int:
        if self._abort.is_set():
            raise _Aborted("the package is no longer being read")
        self._pending.append(data)
        self._pending_size += len(data)
        self.bytes_out += len(data)
        if self._pending_size >= _FLUSH_AT:
            self.push_pending()
        return len(data)

    def flush(self) -> None:
        """Nothing to do: :meth:`push_pending` runs once pyrage returns."""

    def push_pending(self) -> None:
        if self._pending:
            self.put(b"".join(self._pending))
            self._pending.clear()
            self._pending_size = 0

    def put(self, item: bytes | _Done) -> None:
        while not self._abort.is_set():
            try:
                self._chunks.put(item, timeout=_POLL_SECONDS)
                return
            except queue.Full:
                continue
        raise _Aborted("the package is no longer being read")


class DecryptingReader:
    """A read-only stream of the plaintext inside an age file, decrypted on a helper thread.

    Plaintext only ever arrives after age has authenticated its 64 KiB chunk, so a
    damaged package stops with :class:`DecryptionFailed` before any altered byte is
    returned. Read until ``b""`` to be sure the whole file, including its final
    chunk, was authenticated.

    Args:
        source: The age ciphertext (an open file, or a member of the envelope tar).
        identities: Private keys to try.
        total_size: The ciphertext's size, to tell "cut short" from "damaged in the middle".
    """

    def __init__(
        self,
        source: _Readable,
        identities: Sequence[pyrage.x25519.Identity],
        *,
        total_size: int | None = None,
    ) -> None:
        if not identities:
            raise InvalidIdentityError("A private key is needed to open this package.")
        self._source = _CountingSource(source)
        self._identities = list(identities)
        self._total = total_size
        self._chunks: queue.Queue[bytes | _Done] = queue.Queue(maxsize=_QUEUE_CHUNKS)
        self._abort = threading.Event()
        self._writer = _QueueWriter(self._chunks, self._abort)
        self._item = b""
        self._offset = 0
        self._failure: DecryptionFailed | None = None
        self._eof = False
        self._thread = threading.Thread(target=self._run, name="age-decrypt", daemon=True)
        self._thread.start()

    @property
    def ciphertext_read(self) -> int:
        """Ciphertext bytes consumed so far (for progress)."""
        return self._source.bytes_read

    def _run(self) -> None:
        error: BaseException | None = None
        try:
            pyrage.decrypt_io(self._source, self._writer, self._identities)
            self._writer.push_pending()
        except BaseException as exc:  # handed to the reading thread as a DecryptionFailed
            error = exc
        with contextlib.suppress(_Aborted):  # raised when nobody is reading any more
            self._writer.put(_Done(error))

    def read(self, size: int = -1) -> bytes:
        """Up to *size* plaintext bytes (all buffered ones if negative); ``b""`` at the end.

        Raises:
            DecryptionFailed: The wrong key, or the package is damaged or incomplete.
        """
        while self._offset >= len(self._item):
            if self._failure is not None:
                raise self._failure
            if self._eof:
                return b""
            try:
                item = self._chunks.get(timeout=_POLL_SECONDS)
            except queue.Empty:
                if not self._thread.is_alive() and self._chunks.empty():
                    self._failure = self._classify(RuntimeError("decryption thread ended early"))
                continue
            if isinstance(item, _Done):
                if item.error is None:
                    self._eof = True
                else:
                    self._failure = self._classify(item.error)
                continue
            self._item, self._offset = item, 0
        available = len(self._item) - self._offset
        if size is None or size < 0 or size >= available:
            # Hand over the rest of the item; without slicing when it is the whole item.
            piece = self._item if self._offset == 0 else self._item[self._offset :]
            self._offset = len(self._item)
            return piece
        piece = self._item[self._offset : self._offset + size]
        self._offset += size
        return piece

    def close(self) -> None:
        """Stop decrypting (if still running) and wait for the helper thread."""
        self._abort.set()
        while True:  # unblock a helper waiting on a full queue
            try:
                self._chunks.get_nowait()
            except queue.Empty:
                break
        self._thread.join()

    def __enter__(self) -> DecryptingReader:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def _classify(self, error: BaseException) -> DecryptionFailed:
        message = str(error)
        detail = f"{type(error).__name__}: {message}"
        read_error = self._source.error
        if read_error is not None:
            if isinstance(read_error, tarfile.ReadError | EOFError):
                return DecryptionFailed(
                    DecryptFailure.INCOMPLETE,
                    "The package is incomplete: the file ends too early. It was probably cut short "
                    "while being copied or downloaded; ask for a fresh copy.",
                    detail=repr(read_error),
                )
            return DecryptionFailed(
                DecryptFailure.UNREADABLE,
                f"The package could not be read from the disk ({read_error}).",
                detail=repr(read_error),
            )
        if "No matching keys" in message:
            return DecryptionFailed(
                DecryptFailure.WRONG_KEY,
                "None of the keys you gave can open this package: it was sealed for a different "
                "key (or its first lines are damaged). Check with the sender which key they used.",
                detail=detail,
            )
        if self._writer.bytes_out == 0 and "decryption error" not in message:
            if "MAC" in message:
                return DecryptionFailed(
                    DecryptFailure.DAMAGED,
                    "The package is damaged: its first lines were changed after it was sealed. "
                    "Ask for a fresh copy.",
                    detail=detail,
                )
            return DecryptionFailed(
                DecryptFailure.NOT_A_PACKAGE,
                "This file is not an encrypted package (or its beginning is damaged).",
                detail=detail,
            )
        position = self._source.bytes_read
        if self._total is not None and position >= self._total - 2 * _AGE_CHUNK:
            return DecryptionFailed(
                DecryptFailure.INCOMPLETE,
                "The package is incomplete or its end is damaged: its last part does not decrypt. "
                "It was probably cut short while being copied or downloaded; ask for a fresh copy.",
                detail=detail,
            )
        where = f" at about {position / 1e6:,.1f} MB" + (
            f" of {self._total / 1e6:,.1f} MB" if self._total else ""
        )
        return DecryptionFailed(
            DecryptFailure.DAMAGED,
            f"The package is damaged{where}: that part changed after it was sealed (for example "
            "during copying), so it cannot be trusted. Ask for a fresh copy.",
            detail=detail,
        )


# --- formats -----------------------------------------------------------------------


def sniff_format(head: bytes) -> PackageFormat:
    """Recognise a package from its first 512 bytes."""
    if head.startswith((AGE_MAGIC, AGE_ARMOR_MAGIC)):
        return PackageFormat.PUBLIC_KEY
    if len(head) >= tarfile.BLOCKSIZE and head[257:262] == b"ustar":
        return PackageFormat.PASSPHRASE
    return PackageFormat.UNKNOWN


def _envelope_member(name: str, size: int, mtime: int) -> bytes:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mtime = mtime
    info.mode = 0o644
    # GNU format: a fixed single 512-byte header even above 8 GiB (base-256 size field),
    # which lets the body's header be rewritten in place once its size is known.
    return info.tobuf(tarfile.GNU_FORMAT, "utf-8", "strict")


def envelope_readme() -> bytes:
    """The plain-text instructions stored beside the encrypted parts (no client data)."""
    return (
        "This is an encrypted Migration Assistant package, locked with a passphrase.\n"
        "\n"
        "To open it with Migration Assistant: choose “Open a package” and type the passphrase.\n"
        "\n"
        "To open it with the standard age tool (https://age-encryption.org; rage works the same):\n"
        "\n"
        f"  tar -xf PACKAGE {ENVELOPE_KEY} {ENVELOPE_BODY}\n"
        f"  age -d -o package-key.txt {ENVELOPE_KEY}      (asks for the passphrase)\n"
        f"  age -d -i package-key.txt {ENVELOPE_BODY} | tar -x\n"
        "\n"
        "This makes a folder holding a BagIt bag (RFC 8493). Delete package-key.txt afterwards:\n"
        "it opens this package without the passphrase.\n"
    ).encode()


class EnvelopeWriter:
    """Writes the passphrase-mode container around a streamed body.

    Usage: :meth:`start` writes the instructions, the locked key and a placeholder
    header; the caller streams the body ciphertext into the same file; :meth:`finish`
    pads the tar and rewrites the body's header with the real size.

    Args:
        target: The output file, open for writing and seekable.
        key_blob: The output of :func:`seal_key_with_passphrase`.
    """

    def __init__(self, target: BinaryIO, key_blob: bytes) -> None:
        self._target = target
        self._key_blob = key_blob
        self._mtime = int(time.time())
        self._body_header_at = -1

    def start(self) -> None:
        """Write everything before the body."""
        readme = envelope_readme()
        for name, body in ((ENVELOPE_README, readme), (ENVELOPE_KEY, self._key_blob)):
            self._target.write(_envelope_member(name, len(body), self._mtime))
            self._target.write(body)
            self._target.write(b"\0" * (-len(body) % tarfile.BLOCKSIZE))
        self._body_header_at = self._target.tell()
        self._target.write(_envelope_member(ENVELOPE_BODY, 0, self._mtime))

    def finish(self, body_size: int) -> None:
        """Close the tar after *body_size* bytes of body and fix the body's header."""
        if self._body_header_at < 0:
            raise RuntimeError("EnvelopeWriter.finish before start")
        end = self._body_header_at + tarfile.BLOCKSIZE + body_size
        trailer = b"\0" * (-body_size % tarfile.BLOCKSIZE) + b"\0" * (2 * tarfile.BLOCKSIZE)
        self._target.write(trailer)
        end += len(trailer)
        self._target.write(b"\0" * (-end % tarfile.RECORDSIZE))
        self._target.seek(self._body_header_at)
        self._target.write(_envelope_member(ENVELOPE_BODY, body_size, self._mtime))
        self._target.seek(0, io.SEEK_END)


def read_small(stream: _Readable, limit: int) -> bytes | None:
    """Read all of a small stream, or None when it is longer than *limit* bytes."""
    parts: list[bytes] = []
    size = 0
    while True:
        piece = stream.read(min(1 << 16, limit + 1 - size))
        if not piece:
            return b"".join(parts)
        parts.append(piece)
        size += len(piece)
        if size > limit:
            return None


def all_identities(groups: Iterable[Sequence[pyrage.x25519.Identity]]) -> list[pyrage.x25519.Identity]:
    """Flatten identity groups (given key, key file, unlocked passphrase key) into one list."""
    return [identity for group in groups for identity in group]
