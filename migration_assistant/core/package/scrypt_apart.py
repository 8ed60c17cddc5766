"""The passphrase's scrypt work, done in a process of its own.

age's passphrase recipient runs scrypt on purpose slowly (one to several seconds, ~0.5 GB), and
pyrage holds Python's interpreter lock throughout: done on a worker thread, it still froze the
window, so the busy step could not be painted and Cancel waited for it. In a child process the
waiting thread only reads a pipe (the lock is free for the window) and Cancel ends the child.

The child is started with "spawn" on every system: forking a process that runs Qt and threads is
unsafe, and spawn is what Windows and macOS do anyway. A packaged app must call
``multiprocessing.freeze_support()`` first thing (``build/launcher.py`` does). The passphrase goes
to the child through the pipe, in memory, never through a file or the command line. Where no
process can be started (a locked-down machine), the work is done here as before.

This module imports nothing of the app: the child loads only it and pyrage.
"""

from __future__ import annotations

import logging
import multiprocessing
from collections.abc import Callable
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Literal

log = logging.getLogger(__name__)

Work = Literal["encrypt", "decrypt"]

POLL_SECONDS = 0.1
"""How often the waiting thread looks at Cancel."""


class ScryptCancelled(Exception):
    """Cancel was pressed while the child worked; it has been ended."""


class ScryptDecryptError(Exception):
    """pyrage refused to decrypt (wrong passphrase or damaged data); the message is pyrage's."""


def _do(work: Work, data: bytes, passphrase: str) -> bytes:
    import pyrage

    if work == "encrypt":
        return bytes(pyrage.passphrase.encrypt(data, passphrase))
    try:
        return bytes(pyrage.passphrase.decrypt(data, passphrase))
    except pyrage.DecryptError as exc:
        raise ScryptDecryptError(str(exc)) from None


def _child(conn: Connection, work: Work, data: bytes, passphrase: str) -> None:
    try:
        conn.send(("ok", _do(work, data, passphrase)))
    except ScryptDecryptError as exc:
        conn.send(("decrypt-error", str(exc)))
    except BaseException as exc:  # reported to the parent, which raises it there
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()


def run_scrypt(work: Work, data: bytes, passphrase: str, cancel: Callable[[], bool] | None = None) -> bytes:
    """pyrage's passphrase ``encrypt`` or ``decrypt`` of *data*, in a child process.

    Raises:
        ScryptDecryptError: decrypting failed (pyrage's message).
        ScryptCancelled: *cancel* returned True meanwhile.
        RuntimeError: the child failed otherwise (out of memory, ended by the system).
    """
    context = multiprocessing.get_context("spawn")
    try:
        receiver, sender = context.Pipe(duplex=False)
        child = context.Process(
            target=_child, args=(sender, work, data, passphrase), name="scrypt", daemon=True
        )
        child.start()
    except (OSError, RuntimeError) as exc:  # no process may be started here: do it in this one
        log.warning("scrypt runs in the app's own process: %s", type(exc).__name__)
        return _do(work, data, passphrase)
    sender.close()
    try:
        answer = _wait(child, receiver, cancel)
    finally:
        receiver.close()
        child.join(5)
        if child.is_alive():
            child.kill()
            child.join()
    if answer is None:
        # The child could not do it (it could not start the app's code, or was ended): do it here,
        # with the window frozen meanwhile, rather than fail the package.
        log.warning(
            "the scrypt process gave no answer (exit code %s): done in the app's own process", child.exitcode
        )
        return _do(work, data, passphrase)
    status, value = answer
    if status == "ok" and isinstance(value, bytes):
        return value
    if status == "decrypt-error":
        raise ScryptDecryptError(str(value))
    raise RuntimeError(f"the scrypt process failed: {value}")


def _wait(
    child: BaseProcess, receiver: Connection, cancel: Callable[[], bool] | None
) -> tuple[str, object] | None:
    """The child's answer, None if it ended without one."""
    while not receiver.poll(POLL_SECONDS):
        if cancel is not None and cancel():
            child.terminate()
            raise ScryptCancelled()
        if not child.is_alive() and not receiver.poll():
            return None
    try:
        status, value = receiver.recv()
    except EOFError:
        return None
    return str(status), value
