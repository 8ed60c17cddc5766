"""The Review page while a large "Fix all" is applied: is the window ever blocked? (issue 18, item 6)

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m pytest -p tests.conftest -p tests.gui.conftest \
        bench/review_fixes.py -s -q          (ROWS=500000 in the environment to change the size)

Not part of the test suite (``testpaths`` is ``tests/``): it drives the real wizard, as the GUI
tests do, on an export whose time entries have a formula-like description on every other row (1,000,000
entries: 500,000 fixes)
(each a ``formula-injection`` finding with the safe ``inert-formula`` fix), clicks "Fix all N like
this" on one of them, and waits for the fix and the check that follows. A 10 ms QTimer records
the longest gap between its ticks on the GUI thread meanwhile: the event loop's worst block.
PROFILE=1 prints what the GUI thread spent its time on. TRACE=1 lists, beside every gap over 40 ms, the
worker's longest stretches without a Python call (one C call: it holds the GIL unless it releases it).
"""

from __future__ import annotations

import gc
import os
import sys
import time
import traceback
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QElapsedTimer, QTimer

from tests.gui.driving import go_to_review
from tests.gui.test_review_fixes import click, select
from tests.helpers import base_export, time_entry

pytestmark = pytest.mark.gui


def export(folder: Path, rows: int) -> Path:
    entries = (
        time_entry(f"E{i}", Description=f'=HYPERLINK("x{i}")' if i % 2 else "Drafting") for i in range(rows)
    )
    return base_export(folder, activities=entries)


def test_fix_all_keeps_the_window_responsive(qtbot, wizard, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    rows = int(os.environ.get("ROWS", "1000000"))
    trace = bool(os.environ.get("TRACE"))
    folder = export(tmp_path / "export", rows)
    # As the app does once the wizard is built (gui/app.py, gc_guard.settle).
    gc.collect()
    gc.freeze()
    started = time.perf_counter()
    go_to_review(qtbot, wizard, folder)
    print(f"\n{rows:,} time entries: launch to Review {time.perf_counter() - started:.1f} s")
    review = wizard.currentPage()
    select(qtbot, review, "formula-injection", "activities.csv", 3, "Description")
    details = review.details
    assert details.fix_all_button.isVisible(), details.fix_text.text()
    print("button:", details.fix_all_button.text())

    gaps: list[tuple[float, int]] = []
    clock = QElapsedTimer()
    ticker = QTimer()
    ticker.setInterval(10)
    ticker.timeout.connect(lambda: gaps.append((time.perf_counter(), clock.restart())))
    clock.start()
    ticker.start()
    started = time.perf_counter()
    profile = None
    if os.environ.get("PROFILE"):
        import cProfile

        profile = cProfile.Profile()
        profile.enable()
    stretches: list[tuple[float, float, str]] = []
    collections: list[tuple[float, float, int]] = []
    if trace:
        trace_worker(stretches)
        trace_gc(collections)
    click(qtbot, details.fix_all_button)
    qtbot.waitUntil(
        lambda: review._operation is None and review.state.result.fix_log is not None, timeout=600_000
    )
    ticker.stop()
    elapsed = time.perf_counter() - started
    if profile is not None:
        import pstats

        profile.disable()
        pstats.Stats(profile).sort_stats("cumulative").print_stats(25)
    if trace:
        report_trace(started, gaps, stretches, collections)
    collect = time.perf_counter()
    gc.collect()
    # The app collects on the GUI thread every 30 s (gui/gc_guard.py): a full collection is a gap too.
    print(f"a full garbage collection now: {(time.perf_counter() - collect) * 1000:.0f} ms")
    gc.unfreeze()
    saving = time.perf_counter()
    wizard.save()  # as every page change does: the log's own file is written by a thread
    print(
        f"saving the session with the fix log: {(time.perf_counter() - saving) * 1000:.0f} ms on the GUI thread"
    )
    writing = time.perf_counter()
    wizard._fix_log_saver.wait(600)
    print(f"the fix log's file written meanwhile in {time.perf_counter() - writing:.1f} s more")
    result = review.state.result
    print(
        f"fixed {len(result.fix_log):,} cells, {len(result.report.fixed):,} findings shown as fixed; "
        f"fix + check again {elapsed:.1f} s; longest event-loop gap {max(g for _, g in gaps)} ms"
    )


def report_trace(
    started: float,
    gaps: list[tuple[float, int]],
    stretches: list[tuple[float, float, str]],
    collections: list[tuple[float, float, int]],
) -> None:
    """The GUI gaps over 40 ms beside the worker's longest C calls and the collections, in time."""
    print("GUI gaps over 40 ms (end time, ms):", [(round(t - started, 2), g) for t, g in gaps if g > 40])
    # Waiting on a lock or a queue releases the GIL: only the other stretches can block the window.
    holds = [s for s in stretches if not any(w in s[2] for w in ("lock.acquire in", "SimpleQueue.get in"))]
    for end, length, where in sorted(holds, key=lambda s: -s[1])[:15]:
        print(f"worker stretch {length * 1000:.0f} ms ending {end - started:.2f} s at {where}")
    for end, length, generation in collections:
        if length > 0.02:
            print(
                f"garbage collection (generation {generation}) {length * 1000:.0f} ms ending {end - started:.2f} s"
            )
    kinds = Counter(type(o).__name__ for o in gc.get_objects())
    print(f"{sum(kinds.values()):,} objects the collector walks, most:", kinds.most_common(8))


def trace_worker(stretches: list[tuple[float, float, str]]) -> None:
    """Profile the next worker runs and the threads they start (the check's two at a time): note
    each stretch over 40 ms between two Python-level events of one thread."""
    import threading

    from migration_assistant.gui import workers

    original: Callable[..., None] = workers._Runnable.run
    mine = threading.local()

    def watch(frame, event, arg):  # type: ignore[no-untyped-def]
        now = time.perf_counter()
        last = getattr(mine, "last", 0.0)
        if now - last > 0.04 and last:
            stack = traceback.extract_stack(frame, limit=9)
            where = " <- ".join(f"{f.name} {Path(f.filename).name}:{f.lineno}" for f in reversed(stack))
            if event in ("c_return", "c_exception"):
                where = f"{getattr(arg, '__qualname__', arg)} in " + where
            name = threading.current_thread().name
            stretches.append((now, now - last, f"[{name}] {where}, after {getattr(mine, 'before', '')}"))
        code = frame.f_code
        mine.before = f"{event} {code.co_name} {Path(code.co_filename).name}:{frame.f_lineno}"
        if event == "c_return":
            mine.before += f" ({getattr(arg, '__qualname__', arg)})"
        mine.last = time.perf_counter()

    def run(self) -> None:  # type: ignore[no-untyped-def]
        mine.last = 0.0
        threading.setprofile(watch)
        sys.setprofile(watch)
        try:
            original(self)
        finally:
            sys.setprofile(None)
            threading.setprofile(None)  # type: ignore[arg-type]

    workers._Runnable.run = run  # type: ignore[method-assign]


def trace_gc(collections: list[tuple[float, float, int]]) -> None:
    """Note every garbage collection's length: a full one walks every live object with the GIL held."""
    began = [0.0]

    def note(phase: str, info: dict[str, int]) -> None:
        now = time.perf_counter()
        if phase == "start":
            began[0] = now
        else:
            collections.append((now, now - began[0], info["generation"]))

    gc.callbacks.append(note)
