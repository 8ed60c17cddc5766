"""The Review page while a large "Fix all" is applied: is the window ever blocked? (issue 18, item 6)

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m pytest -p tests.conftest -p tests.gui.conftest \
        bench/review_fixes.py -s -q          (ROWS=500000 in the environment to change the size)

Not part of the test suite (``testpaths`` is ``tests/``): it drives the real wizard, as the GUI
tests do, on an export whose time entries have a formula-like description on every other row (1,000,000
entries: 500,000 fixes)
(each a ``formula-injection`` finding with the safe ``inert-formula`` fix), clicks "Fix all N like
this" on one of them, and waits for the fix and the check that follows. A 10 ms QTimer records
the longest gap between its ticks on the GUI thread meanwhile: the event loop's worst block.
PROFILE=1 prints what the GUI thread spent its time on.
"""

from __future__ import annotations

import os
import time
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
    folder = export(tmp_path / "export", rows)
    started = time.perf_counter()
    go_to_review(qtbot, wizard, folder)
    print(f"\n{rows:,} time entries: launch to Review {time.perf_counter() - started:.1f} s")
    review = wizard.currentPage()
    select(qtbot, review, "formula-injection", "activities.csv", 3, "Description")
    details = review.details
    assert details.fix_all_button.isVisible(), details.fix_text.text()
    print("button:", details.fix_all_button.text())

    clock = QElapsedTimer()
    worst = [0]
    ticker = QTimer()
    ticker.setInterval(10)

    def tick() -> None:
        worst[0] = max(worst[0], clock.restart())

    ticker.timeout.connect(tick)
    clock.start()
    ticker.start()
    started = time.perf_counter()
    profile = None
    if os.environ.get("PROFILE"):
        import cProfile

        profile = cProfile.Profile()
        profile.enable()
    click(qtbot, details.fix_all_button)
    qtbot.waitUntil(
        lambda: review._operation is None and review.state.result.fix_log is not None, timeout=600_000
    )
    ticker.stop()
    if profile is not None:
        import pstats

        profile.disable()
        pstats.Stats(profile).sort_stats("cumulative").print_stats(25)
    result = review.state.result
    print(
        f"fixed {len(result.fix_log):,} cells, {len(result.report.fixed):,} findings shown as fixed; "
        f"fix + check again {time.perf_counter() - started:.1f} s; longest event-loop gap {worst[0]} ms"
    )
