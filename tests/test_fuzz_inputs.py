"""Fuzzing the readers (issue 16): mutated copies of the public test files and of the sample export.

A seeded mutator (byte flips, truncations, inserted quotes, delimiters, NULs and byte-order
marks, duplicated and deleted lines) makes a few hundred inputs; each is checked in-process
with :func:`validate`, alone. Every run must end in findings or in one of the engine's
specific refusals (an unreadable file, an export too large for memory), which the command
line prints as they are; nothing may reach its catch-all "unexpected error".
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from migration_assistant.cli.common import plain_message as _plain
from migration_assistant.core.engine import validate
from migration_assistant.core.readers.errors import UnreadableFile
from migration_assistant.core.resources import sample_export_dir
from migration_assistant.core.results import ExportTooLarge
from tests.conftest import CONFORMANCE

SEED = 16
CASES = 300
SEED_PREFIX = 64 << 10
"""Seeds longer than this are cut to it (at a line break) so a few hundred runs stay under a minute."""
SPECIFIC_REFUSALS = (UnreadableFile, ExportTooLarge)
_SUFFIXES = {".csv", ".tsv", ".txt", ".xlsx", ".ics", ".vcf", ".iif", ".ledes"}
_INSERTS = (b'"', b",", b";", b"\t", b"|", b"\x00", b"\r", b"\n", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


def _seeds() -> list[Path]:
    if not CONFORMANCE.is_dir():
        pytest.skip(f"the public conformance corpus is not here ({CONFORMANCE}): nothing to mutate")
    found = [p for p in sorted(CONFORMANCE.rglob("*")) if p.is_file() and p.suffix.lower() in _SUFFIXES]
    found += sorted(p for p in sample_export_dir().iterdir() if p.suffix.lower() in _SUFFIXES)
    return found


def _seed_bytes(path: Path) -> bytes:
    data = path.read_bytes()
    if len(data) <= SEED_PREFIX or path.suffix.lower() == ".xlsx":
        return data
    cut = data.rfind(b"\n", 0, SEED_PREFIX)
    return data[: cut + 1 if cut > 0 else SEED_PREFIX]


def _flip(data: bytearray, rng: random.Random) -> None:
    for _ in range(rng.randint(1, 8)):
        if data:
            data[rng.randrange(len(data))] ^= rng.randint(1, 255)


def _truncate(data: bytearray, rng: random.Random) -> None:
    if data:
        del data[rng.randrange(len(data)) :]


def _insert(data: bytearray, rng: random.Random) -> None:
    token = rng.choice(_INSERTS) * rng.choice((1, 1, 2, 3, 50))
    at = 0 if rng.random() < 0.2 else rng.randint(0, len(data))
    data[at:at] = token


def _lines(data: bytearray, rng: random.Random) -> None:
    lines = bytes(data).split(b"\n")
    if len(lines) < 2:
        return
    index = rng.randrange(len(lines))
    if rng.random() < 0.5:
        lines[index:index] = [lines[index]] * rng.randint(1, 20)
    else:
        del lines[index : index + rng.randint(1, 3)]
    data[:] = b"\n".join(lines)


MUTATIONS: tuple[Callable[[bytearray, random.Random], None], ...] = (_flip, _truncate, _insert, _lines)


def mutate(data: bytes, rng: random.Random) -> bytes:
    """One to three mutations of *data*, chosen by *rng*."""
    out = bytearray(data)
    for _ in range(rng.randint(1, 3)):
        rng.choice(MUTATIONS)(out, rng)
    return bytes(out)


def test_mutated_inputs_end_in_findings_or_a_specific_refusal(tmp_path: Path) -> None:
    seeds = _seeds()
    originals = {path: _seed_bytes(path) for path in seeds}
    rng = random.Random(SEED)
    escaped: list[str] = []
    refused = 0
    slowest = (0.0, "")
    started = time.monotonic()
    for case in range(CASES):
        seed = rng.choice(seeds)
        folder = tmp_path / f"case-{case:03d}"
        folder.mkdir()
        path = folder / seed.name
        path.write_bytes(mutate(originals[seed], rng))
        begun = time.monotonic()
        try:
            result = validate([path])
        except SPECIFIC_REFUSALS as exc:
            refused += 1
            assert str(exc) and not _plain(exc).startswith("unexpected error")
        except Exception as exc:  # anything else would reach the command line's catch-all
            escaped.append(f"case {case} ({seed.name}): {_plain(exc)}")
        else:
            assert result.report.files, f"case {case} ({seed.name}): no file in the report"
        took = time.monotonic() - begun
        slowest = max(slowest, (took, f"case {case} ({seed.name})"))
    elapsed = time.monotonic() - started
    print(
        f"\n{CASES} mutated inputs from {len(seeds)} seeds in {elapsed:.1f} s; {refused} refused as unreadable; "
        f"slowest {slowest[0]:.2f} s: {slowest[1]}"
    )
    assert not escaped, "\n".join(escaped)
    assert refused < CASES  # the mutations must leave most inputs readable, or nothing is being tested
