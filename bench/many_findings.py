"""Benchmark: a check that finds a problem on most rows (not a timed test).

Migrations often have one systematic problem: every amount includes tax, every date is in
another format. Then nearly every row is a finding, and what costs time is no longer the
checks but the findings themselves (messages, the JSON, the review screen). This takes the
export written by ``bench/generate.py`` and writes a copy whose time entries have every
second Amount off and every third Date unreadable (about 774,000 findings for 1M entries),
then times ``validate --json`` on it.

    python bench/generate.py                 # once: bench/data/large
    python bench/many_findings.py            # writes bench/data/many-findings, times validate
    python bench/many_findings.py --repeated-key 1000000   # a 5 MB contact list, one ID on every row

``--repeated-key N`` needs no export: it writes a contact list of N + 1 rows that all carry
the same Contact ID (N duplicate-key findings from a 5 MB file) and times the same command.
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ACTIVITIES = "Time and expenses.csv"


def rewrite_activities(source: Path, target: Path, edit: Callable[[int, list[str], list[str]], None]) -> None:
    """A copy of the export *source* in *target*, each well-formed time entry passed through
    ``edit(number, header, row)`` (which changes the row in place)."""
    target.mkdir(parents=True, exist_ok=True)
    for path in source.iterdir():
        if path.is_file() and path.name != ACTIVITIES:
            shutil.copy2(path, target / path.name)
    with (
        (source / ACTIVITIES).open(newline="", encoding="utf-8") as src,
        (target / ACTIVITIES).open("w", newline="", encoding="utf-8") as out,
    ):
        reader, writer = csv.reader(src), csv.writer(out)
        header = next(reader)
        writer.writerow(header)
        for i, row in enumerate(reader):
            if len(row) == len(header):
                edit(i, header, row)
            writer.writerow(row)


def write_variant(source: Path, target: Path) -> None:
    """Every second Amount off, every third Date unreadable."""

    def edit(i: int, header: list[str], row: list[str]) -> None:
        if i % 2 == 0:
            row[header.index("Amount")] = "1.23"
        if i % 3 == 0:
            row[header.index("Date")] = "not a date"

    rewrite_activities(source, target, edit)


def write_repeated_key(target: Path, rows: int) -> None:
    """A contact list whose every row repeats one Contact ID: *rows* duplicate-key findings."""
    target.mkdir(parents=True, exist_ok=True)
    with (target / "Contacts.csv").open("w", newline="", encoding="utf-8") as out:
        out.write("Contact ID,Company\n")
        out.write("C1,A\n" * (rows + 1))


def time_validate(cli: str, folder: Path, report: Path) -> None:
    """Run ``validate --json`` on *folder* as a child process; print wall, CPU and peak RSS."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        [cli, "validate", str(folder), "--source", "template", "--json", str(report), "--quiet"],
        stdout=subprocess.DEVNULL,
    )
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    findings = 0
    with report.open(encoding="utf-8") as fh:
        # One finding per line: counted without loading a JSON of hundreds of megabytes.
        for line in fh:
            findings += line.startswith('    {"rule"')
    print(
        f"validate --json: {wall:.2f} s wall, {usage.ru_utime + usage.ru_stime:.2f} s CPU, "
        f"peak RSS {usage.ru_maxrss / 1024:,.0f} MiB, exit {os.waitstatus_to_exitcode(status)}, "
        f"{findings:,} findings, JSON {report.stat().st_size / 1e6:,.0f} MB"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT / "bench" / "data" / "large")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "data" / "many-findings")
    parser.add_argument("--cli", default=str(Path(sys.executable).with_name("migration-assistant")))
    parser.add_argument(
        "--repeated-key",
        type=int,
        metavar="ROWS",
        help="instead: a contact list with one Contact ID on ROWS + 1 rows (written to --out)",
    )
    args = parser.parse_args(argv)
    report = ROOT / "bench" / "out" / "many-findings.json"
    report.parent.mkdir(parents=True, exist_ok=True)
    if args.repeated_key:
        folder = args.out.with_name(f"repeated-key-{args.repeated_key}")
        if not (folder / "Contacts.csv").exists():
            write_repeated_key(folder, args.repeated_key)
        time_validate(args.cli, folder, report)
        return 0
    if not (args.data / ACTIVITIES).exists():
        print(f"{args.data / ACTIVITIES} not found: run bench/generate.py first", file=sys.stderr)
        return 2
    if not (args.out / ACTIVITIES).exists():
        print(f"writing {args.out} ...", flush=True)
        write_variant(args.data, args.out)
    time_validate(args.cli, args.out, report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
