"""A check that runs out of memory ends with a plain explanation, not a MemoryError."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pyarrow as pa
import pytest

from migration_assistant.core import engine, intake, results
from migration_assistant.core.readers.inputs import InputFile
from migration_assistant.core.rules import REGISTRY
from tests.helpers import base_export, time_entry


def test_memory_exhausted_in_a_rule_becomes_export_too_large(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base_export(tmp_path, activities=[time_entry(f"A{i}") for i in range(50)])

    def exhausted(ctx: object) -> None:
        raise MemoryError

    rules = [replace(r, check=exhausted) if r.code == "duplicate-key" else r for r in REGISTRY]
    monkeypatch.setattr(engine, "REGISTRY", rules)
    with pytest.raises(results.ExportTooLarge) as caught:
        engine.validate([tmp_path], "template")
    message = caught.value.message
    largest = max(tmp_path.glob("*.csv"), key=lambda p: p.stat().st_size)
    assert message.startswith("This computer ran out of memory while checking 5 files")
    assert f"the largest file ({largest.name}," in message
    assert "Your files have not been changed." in message
    assert caught.value.__context__ is None  # nothing keeps the exhausted run's frames alive


def test_pyarrow_running_out_while_reading_is_explained_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base_export(tmp_path)

    def exhausted(*args: object, **kwargs: object) -> None:
        raise pa.ArrowMemoryError("malloc of size 1073741824 failed")

    monkeypatch.setattr(intake, "read_input", exhausted)
    with pytest.raises(results.ExportTooLarge, match="ran out of memory"):
        engine.validate([tmp_path], "template")


def test_cancel_is_still_a_cancel(tmp_path: Path) -> None:
    base_export(tmp_path)
    with pytest.raises(results.Cancelled):
        engine.validate([tmp_path], "template", cancelled=lambda: True)


def test_the_estimate_reads_in_plain_sizes(tmp_path: Path) -> None:
    big, small = tmp_path / "Time and expenses.csv", tmp_path / "Clients.csv"
    big.write_bytes(b"x" * 2_500_000)
    small.write_bytes(b"x" * 1_000)
    message = intake.out_of_memory([InputFile(big, big.name), InputFile(small, small.name)]).message
    assert (
        "checking 2 files (2.5 MB in all; checking needs roughly 165.0 MB of free memory, up to three times "
        "as much when most rows have a problem)" in message
    )
    assert "the largest file (Time and expenses.csv, 2.5 MB)" in message
    one = intake.out_of_memory([InputFile(small, small.name)]).message
    assert "checking 1 file (1.0 KB in all" in one  # sizes in the units the package screens use
