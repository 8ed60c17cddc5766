"""The one way to run work off the UI thread: :func:`run_op` on a QThreadPool.

An *op* is a plain function that takes a cancel check (``cancelled() -> bool``) and
either returns a result or returns a generator. A generator's yields are progress
reports (the engine's :class:`~migration_assistant.core.results.Progress`); the worker
forwards them to the UI thread and checks for cancel between yields; the generator's
return value is the result.

The op never touches a widget: it only returns data. Every callback runs on the UI
thread (the signals cross threads through queued connections), and none runs once
the QObject that owns the operation has been deleted.

Cancelling is immediate for the UI (``on_cancelled`` runs inside :meth:`Operation.cancel`)
while the thread itself stops at the op's next yield; its late result is dropped.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Generator
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)

Op = Callable[[Callable[[], bool]], Any]

PROGRESS_INTERVAL = 0.03
"""Seconds between two progress reports forwarded to the UI (more are dropped, the last is kept)."""


BUSY_PAINT_SECONDS = 0.2
"""How long a worker waits after announcing a busy step, so the window can paint it first."""


class OpCancelled(Exception):
    """Raised inside the worker when the user cancelled between two yields."""


class _Runnable(QRunnable):
    def __init__(self, operation: Operation, op: Op) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self._operation = operation
        self._op = op

    def run(self) -> None:
        operation = self._operation
        token = operation.is_cancel_requested
        try:
            result = self._op(token)
            if isinstance(result, Generator):
                result = self._drive(result, token)
        except BaseException as exc:  # every failure is reported to the UI thread, never lost
            if token() or isinstance(exc, OpCancelled):
                operation._cancelled_signal.emit()
            else:
                log.warning("background operation %s failed: %s", operation.name, type(exc).__name__)
                operation._failed_signal.emit(exc)
        else:
            if token():
                operation._cancelled_signal.emit()
            else:
                operation._succeeded_signal.emit(result)
        finally:
            operation._finished_signal.emit()

    def _drive(self, gen: Generator[Any, None, Any], token: Callable[[], bool]) -> Any:
        last = 0.0
        pending: Any = None
        while True:
            if token():
                gen.close()
                raise OpCancelled
            try:
                item = next(gen)
            except StopIteration as stop:
                if pending is not None:
                    self._operation._progress_signal.emit(pending)
                return stop.value
            now = time.monotonic()
            # A "busy" item announces one long call that reports nothing until it ends: it must reach
            # the UI now, not wait behind the throttle until that call is over.
            busy = bool(getattr(item, "busy", ""))
            if now - last >= PROGRESS_INTERVAL or busy:
                self._operation._progress_signal.emit(item)
                last = now
                pending = None
            if busy:
                # The call that follows may hold the GIL throughout (pyrage's scrypt did, before it moved to
                # a process of its own: core/package/scrypt_apart.py):
                # give the UI thread a moment to show the busy step before it starts.
                time.sleep(BUSY_PAINT_SECONDS)
            else:
                pending = item


class Operation(QObject):
    """A background operation started by :func:`run_op`.

    Signals:
        finished(): the worker thread is done (after success, failure or cancel).
    """

    finished = Signal()
    _progress_signal = Signal(object)
    _succeeded_signal = Signal(object)
    _failed_signal = Signal(object)
    _cancelled_signal = Signal()
    _finished_signal = Signal()

    def __init__(self, name: str, owner: QObject | None) -> None:
        super().__init__(None)
        self.name = name
        self._owner = owner
        self._cancel = threading.Event()
        self._done = False
        self._reported = False
        self.on_success: Callable[[Any], None] | None = None
        self.on_failure: Callable[[BaseException], None] | None = None
        self.on_progress: Callable[[Any], None] | None = None
        self.on_cancelled: Callable[[], None] | None = None
        self._progress_signal.connect(self._on_progress)
        self._succeeded_signal.connect(self._on_succeeded)
        self._failed_signal.connect(self._on_failed)
        self._cancelled_signal.connect(self._on_cancelled)
        self._finished_signal.connect(self._on_finished)
        self._runnable: _Runnable | None = None

    # --- public -----------------------------------------------------------------
    def is_cancel_requested(self) -> bool:
        """The cancel check handed to the op (safe to call from any thread)."""
        return self._cancel.is_set()

    @property
    def running(self) -> bool:
        return not self._done

    def cancel(self) -> None:
        """Ask the op to stop; the UI hears ``on_cancelled`` at once, the thread stops at its next yield."""
        if self._cancel.is_set() or self._done:
            return
        self._cancel.set()
        self._report(self.on_cancelled)

    # --- delivery on the UI thread --------------------------------------------------
    def _owner_alive(self) -> bool:
        return self._owner is None or shiboken6.isValid(self._owner)

    def _report(self, callback: Callable[..., None] | None, *args: Any) -> None:
        if self._reported:
            return
        self._reported = True
        if callback is not None and self._owner_alive():
            callback(*args)

    def _on_progress(self, item: Any) -> None:
        if not self._cancel.is_set() and not self._reported and self.on_progress and self._owner_alive():
            self.on_progress(item)

    def _on_succeeded(self, result: Any) -> None:
        self._report(self.on_success, result)

    def _on_failed(self, exc: BaseException) -> None:
        if self._cancel.is_set():
            self._report(self.on_cancelled)
        else:
            self._report(self.on_failure, exc)

    def _on_cancelled(self) -> None:
        self._report(self.on_cancelled)

    def _on_finished(self) -> None:
        self._done = True
        self._runnable = None
        _LIVE.discard(self)
        self.finished.emit()


class ImmediatePool:
    """Runs each op at once on the calling thread (for logic tests that need no threads)."""

    def start(self, runnable: QRunnable) -> None:
        runnable.run()


_LIVE: set[Operation] = set()


def run_op(
    name: str,
    op: Op,
    *,
    on_success: Callable[[Any], None],
    on_failure: Callable[[BaseException], None],
    on_progress: Callable[[Any], None] | None = None,
    on_cancelled: Callable[[], None] | None = None,
    owner: QObject | None = None,
    pool: QThreadPool | ImmediatePool | None = None,
) -> Operation:
    """Run *op* in the background and report back on the UI thread.

    Args:
        name: what the operation does, for the log (never client data).
        op: ``op(cancelled)`` returning a result, or a generator of progress items whose
            return value is the result.
        on_success: called with the result.
        on_failure: called with the exception the op raised.
        on_progress: called with each (throttled) progress item.
        on_cancelled: called once, as soon as :meth:`Operation.cancel` is called.
        owner: callbacks are dropped once this QObject is deleted.
        pool: defaults to the global QThreadPool.
    """
    operation = Operation(name, owner)
    operation.on_success = on_success
    operation.on_failure = on_failure
    operation.on_progress = on_progress
    operation.on_cancelled = on_cancelled
    runnable = _Runnable(operation, op)
    operation._runnable = runnable
    _LIVE.add(operation)
    (pool or QThreadPool.globalInstance()).start(runnable)
    return operation


def live_operations() -> list[Operation]:
    """Operations whose thread has not finished yet."""
    return list(_LIVE)


def cancel_all(wait_ms: int = 3000) -> bool:
    """Cancel every running operation and wait for the threads; True when all ended."""
    for operation in list(_LIVE):
        operation.cancel()
    return QThreadPool.globalInstance().waitForDone(wait_ms)
