"""Running independent pieces of work two at a time.

Reading files and running rules spend their time in pyarrow, numpy and hashing, which
release the GIL, so two threads make real progress side by side; more would only share
the same two cores most office laptops have.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Generator
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from typing import TypeVar

K = TypeVar("K")
R = TypeVar("R")


def two_at_a_time(calls: list[tuple[K, Callable[[], R]]]) -> Generator[tuple[K, Future[R]], None, None]:
    """Run *calls* two at a time (they spend their time in code that releases the GIL) and yield
    each one's key and finished future as it ends; closing it early cancels the ones not started
    and waits for the running ones (callers use ``contextlib.closing``)."""
    with ThreadPoolExecutor(max_workers=min(2, os.cpu_count() or 1)) as pool:
        pending = {pool.submit(call): key for key, call in calls}
        try:
            for future in as_completed(pending):
                yield pending[future], future
        finally:
            for future in pending:
                future.cancel()
