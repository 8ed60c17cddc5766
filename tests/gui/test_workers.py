"""The background-operation API: results, failures, progress and cancel, always on the UI thread."""

from __future__ import annotations

import threading
import time
from collections.abc import Generator

from PySide6.QtCore import QObject, QThreadPool

from migration_assistant.gui.workers import ImmediatePool, live_operations, run_op


def counting(n: int, pause: float = 0.0):  # type: ignore[no-untyped-def]
    def op(cancelled) -> Generator[int, None, str]:  # type: ignore[no-untyped-def]
        for i in range(n):
            yield i
            time.sleep(pause)
        return "done"

    return op


def test_result_and_progress_arrive_on_the_ui_thread(qtbot) -> None:  # type: ignore[no-untyped-def]
    ui = threading.get_ident()
    seen: dict[str, object] = {"progress": [], "threads": set()}
    results: list[str] = []

    def on_progress(item: int) -> None:
        seen["progress"].append(item)  # type: ignore[union-attr]
        seen["threads"].add(threading.get_ident())  # type: ignore[union-attr]

    def on_success(value: str) -> None:
        results.append(value)
        seen["threads"].add(threading.get_ident())  # type: ignore[union-attr]

    op = run_op(
        "count", counting(5, 0.05), on_success=on_success, on_failure=lambda e: None, on_progress=on_progress
    )
    with qtbot.waitSignal(op.finished, timeout=5000):
        pass
    assert results == ["done"]
    assert seen["threads"] == {ui}
    assert seen["progress"] and seen["progress"][-1] == 4  # throttled, but the last one always arrives
    assert op not in live_operations()


def test_failure_is_reported_not_raised(qtbot) -> None:  # type: ignore[no-untyped-def]
    failures: list[BaseException] = []

    def op(cancelled):  # type: ignore[no-untyped-def]
        raise ValueError("bad")

    operation = run_op("fail", op, on_success=lambda r: None, on_failure=failures.append)
    with qtbot.waitSignal(operation.finished, timeout=5000):
        pass
    assert len(failures) == 1 and isinstance(failures[0], ValueError)


def test_cancel_is_immediate_for_the_ui_and_stops_the_thread_between_yields(qtbot) -> None:  # type: ignore[no-untyped-def]
    events: list[str] = []
    op = run_op(
        "slow",
        counting(1000, 0.01),
        on_success=lambda r: events.append("success"),
        on_failure=lambda e: events.append("failure"),
        on_cancelled=lambda: events.append("cancelled"),
    )
    time.sleep(0.05)
    op.cancel()
    assert events == ["cancelled"]
    # The thread stops at its next yield (10 ms); 5 s spares a busy CI machine, and a thread
    # that ignored the cancel would run on for the whole 10 s.
    with qtbot.waitSignal(op.finished, timeout=5000):
        pass
    assert events == ["cancelled"]  # no late success
    assert QThreadPool.globalInstance().waitForDone(5000)


def test_callbacks_stop_when_the_owner_is_deleted(qtbot) -> None:  # type: ignore[no-untyped-def]
    owner = QObject()
    events: list[str] = []
    op = run_op("owned", counting(3, 0.05), on_success=lambda r: events.append("success"),
                on_failure=lambda e: None, owner=owner)  # fmt: skip
    owner.deleteLater()
    qtbot.wait(10)
    with qtbot.waitSignal(op.finished, timeout=5000):
        pass
    assert events == []


def test_immediate_pool_runs_synchronously() -> None:
    results: list[str] = []
    run_op("sync", counting(3), on_success=results.append, on_failure=lambda e: None, pool=ImmediatePool())
    assert results == ["done"]
