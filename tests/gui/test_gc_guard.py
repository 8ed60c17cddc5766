"""The GUI-thread garbage collector: automatic collection off while it runs, back on after."""

from __future__ import annotations

import gc

from pytestqt.qtbot import QtBot

from migration_assistant.gui.gc_guard import MainThreadGarbageCollector


class _Cycle:
    def __init__(self) -> None:
        self.me = self


def test_collects_cycles_on_its_timer_and_restores_automatic_collection(qtbot: QtBot) -> None:
    was_enabled = gc.isenabled()
    collector = MainThreadGarbageCollector()
    collector.start()
    try:
        assert not gc.isenabled()
        for _ in range(gc.get_threshold()[0] + 10):
            _Cycle()
        qtbot.waitUntil(lambda: gc.get_count()[0] < gc.get_threshold()[0], timeout=3000)
    finally:
        collector.stop()
    assert gc.isenabled()
    if not was_enabled:
        gc.disable()


def test_settle_leaves_what_lives_now_out_of_later_full_collections(qtbot: QtBot) -> None:
    was_enabled = gc.isenabled()
    collector = MainThreadGarbageCollector()
    collector.start()
    try:
        long_lived = [_Cycle() for _ in range(1000)]
        collector.settle()
        assert gc.get_freeze_count() >= len(long_lived)
        # A cycle made after settling is still collected by the timer's full collection.
        garbage = _Cycle()
        del garbage
        assert gc.collect() >= 1
    finally:
        collector.stop()
    assert gc.get_freeze_count() == 0 and gc.isenabled()
    if not was_enabled:
        gc.disable()
