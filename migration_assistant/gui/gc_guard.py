"""Python's cyclic garbage collector, run only on the GUI thread.

The collector runs in whichever thread happens to allocate when a threshold is
crossed. If that is a worker thread and the garbage holds Qt objects that belong
to the GUI thread (a closed dialog, an old page's widgets), Qt deletes them from
the wrong thread and the app crashes. Anki hit the same problem and solved it the
same way: automatic collection off, and a timer on the GUI thread collects instead.
Reference counting still frees everything that is not in a cycle at once.

A full collection walks every tracked object with the interpreter held: the app's own modules,
classes and widgets alone (some 100,000 objects once pandas and the wizard are loaded) take 70 to
100 ms, a visible stall every 30 s. They live as long as the app, so once the wizard is built they
are frozen (``gc.freeze``) out of every later collection, and a full one takes a few milliseconds.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

_INTERVAL_MS = 1000
_FULL_EVERY = 30


class MainThreadGarbageCollector(QObject):
    """Collects young cycles every second and everything every 30 s, on the GUI thread."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ticks = 0
        self._timer = QTimer(self)
        self._timer.setInterval(_INTERVAL_MS)
        self._timer.timeout.connect(self._on_tick)

    def start(self) -> None:
        gc.disable()
        self._timer.start()

    def settle(self) -> None:
        """Collect once and leave everything alive now out of later collections (call it when the
        long-lived part of the app, the wizard and the libraries it loads, has been built)."""
        gc.collect()
        gc.freeze()

    def stop(self) -> None:
        self._timer.stop()
        gc.unfreeze()
        gc.collect()
        gc.enable()

    def _on_tick(self) -> None:
        self._ticks += 1
        if self._ticks % _FULL_EVERY == 0:
            gc.collect()
        elif gc.get_count()[0] > gc.get_threshold()[0]:
            gc.collect(0)
