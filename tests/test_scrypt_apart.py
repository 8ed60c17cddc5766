"""The passphrase's scrypt work in a child process: same bytes as pyrage, the interpreter free meanwhile,
Cancel heard, a wrong passphrase a plain error."""

from __future__ import annotations

import threading
import time

import pyrage
import pytest

from migration_assistant.core.package.scrypt_apart import (
    ScryptCancelled,
    ScryptDecryptError,
    run_scrypt,
)


def test_what_the_child_seals_pyrage_opens_and_the_other_way_round() -> None:
    sealed = run_scrypt("encrypt", b"AGE-SECRET-KEY-1EXAMPLE", "seven plain words make a passphrase")
    assert (
        pyrage.passphrase.decrypt(sealed, "seven plain words make a passphrase") == b"AGE-SECRET-KEY-1EXAMPLE"
    )
    other = pyrage.passphrase.encrypt(b"hello", "another one")
    assert run_scrypt("decrypt", other, "another one") == b"hello"
    with pytest.raises(ScryptDecryptError):
        run_scrypt("decrypt", other, "not this one")


def test_the_interpreter_stays_free_while_the_child_works() -> None:
    """In the app's own process pyrage held the lock for the whole scrypt: the window froze."""
    done = threading.Event()
    worker = threading.Thread(target=lambda: (run_scrypt("encrypt", b"x", "a passphrase"), done.set()))
    worst = 0.0
    last = time.perf_counter()
    worker.start()
    while not done.is_set() and worker.is_alive():
        time.sleep(0.005)
        now = time.perf_counter()
        worst, last = max(worst, now - last), now
    worker.join()
    assert done.is_set()
    # Measured 5-20 ms here; in-process the gap is the whole scrypt (1-2 s). 5x margin for a busy CI.
    assert worst < 0.5, f"the main thread waited {worst:.2f} s at once"


def test_cancel_ends_the_child_at_once() -> None:
    started = time.perf_counter()
    with pytest.raises(ScryptCancelled):
        run_scrypt("encrypt", b"x", "a passphrase", cancel=lambda: time.perf_counter() - started > 0.2)
    assert time.perf_counter() - started < 1.0  # not after the scrypt's second or more
