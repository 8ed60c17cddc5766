"""Benchmark: seal a synthetic export and show that memory stays flat as it grows.

Usage::

    .venv/bin/python bench/package_bench.py                 # 2 GB (generated once)
    .venv/bin/python bench/package_bench.py --size-mb 500
    .venv/bin/python bench/package_bench.py --size-mb 500 --mode passphrase

The synthetic export is written once to ``bench/data/export-<N>MB/`` (git-ignored)
in a child process, so its generation does not count towards the measured peak
memory. The package goes to ``bench/out/`` and is deleted afterwards unless
``--keep`` is given. Reported:

* sealing throughput (read + SHA-256 + SHA-512 + tar + age encryption + write), MB/s;
* checking throughput (read back + decrypt + SHA-256/512 + package SHA-256), MB/s;
* peak RSS of the process (``resource.getrusage``) and RSS samples taken during the run
  (Linux ``/proc``), to show memory does not grow with the export.

MB here means 10^6 bytes, as in the app's messages.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR.parent))

from migration_assistant.core.package import (  # noqa: E402 - needs the sys.path line above
    PackageProgress,
    PayloadEntry,
    Phase,
    write_package,
)

MIB = 1 << 20
BIG_FILE = 256 * MIB
MEDIUM_FILES = (4 * MIB, 12 * MIB, 32 * MIB)
SMALL_FILES = 400  # many small files: per-file overhead shows up too


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1e6 if sys.platform == "darwin" else peak * 1024 / 1e6  # bytes on macOS, KiB elsewhere


def current_rss_mb() -> float | None:
    """Resident memory right now (Linux only), in MB."""
    try:
        with open("/proc/self/statm") as handle:  # noqa: PTH123 - a /proc read, not a project file
            pages = int(handle.read().split()[1])
    except OSError:
        return None
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


def plan_sizes(total: int) -> list[int]:
    """File sizes adding up to *total*: a few big files, medium ones, and many small ones."""
    sizes: list[int] = []
    small_total = min(total // 20, SMALL_FILES * 64 * 1024)
    remaining = total - small_total
    while remaining >= 2 * BIG_FILE:
        sizes.append(BIG_FILE)
        remaining -= BIG_FILE
    index = 0
    while remaining > 0:
        size = min(MEDIUM_FILES[index % len(MEDIUM_FILES)], remaining)
        sizes.append(size)
        remaining -= size
        index += 1
    per_small = max(1, small_total // SMALL_FILES)
    sizes += [per_small] * (small_total // per_small)
    return sizes


def generate(folder: Path, total: int) -> None:
    """Write the synthetic export (run in a child process, see module docstring)."""
    pool = os.urandom(64 * MIB)  # incompressible; content does not change hashing/encryption speed
    folder.mkdir(parents=True, exist_ok=True)
    offset = 0
    for number, size in enumerate(plan_sizes(total)):
        sub = "documents" if size >= MIB else "notes"
        path = folder / sub / f"file-{number:05d}.bin"
        path.parent.mkdir(exist_ok=True)
        with path.open("wb") as handle:
            handle.write(number.to_bytes(8, "big"))  # every file distinct
            left = size - 8
            while left > 0:
                start = offset % (len(pool) - MIB)
                piece = pool[start : start + min(MIB, left)]
                handle.write(piece)
                left -= len(piece)
                offset += 7919 * 13  # move through the pool so files differ throughout
    (folder / ".complete").write_text(str(total))


def ensure_export(folder: Path, total: int) -> None:
    marker = folder / ".complete"
    if marker.exists() and marker.read_text() == str(total):
        return
    print(f"generating {total / 1e6:,.0f} MB synthetic export in {folder} (once) …", flush=True)
    subprocess.run(
        [sys.executable, __file__, "--generate-only", str(folder), "--size-mb", str(total // MIB)],
        check=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size-mb", type=int, default=2048, help="export size in MiB (default 2048)")
    parser.add_argument("--mode", choices=("public-key", "passphrase"), default="public-key")
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--out-dir", type=Path, default=BENCH_DIR / "out")
    parser.add_argument("--keep", action="store_true", help="keep the package file afterwards")
    parser.add_argument("--generate-only", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    total = args.size_mb * MIB
    if args.generate_only is not None:
        generate(args.generate_only, total)
        return

    import pyrage  # after generation: the benchmark process stays small until measured

    folder = args.data_dir or BENCH_DIR / "data" / f"export-{args.size_mb}MB"
    ensure_export(folder, total)
    files = sorted(p for p in folder.rglob("*.bin"))
    payload = [PayloadEntry.from_file(f"originals/{p.relative_to(folder).as_posix()}", p) for p in files]
    payload_bytes = sum(p.stat().st_size for p in files)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    out = args.out_dir / ("bench-package.tar" if args.mode == "passphrase" else "bench-package.age")
    out.unlink(missing_ok=True)

    specialist = pyrage.x25519.Identity.generate()
    recipients = [str(specialist.to_public())] if args.mode == "public-key" else []
    passphrase = "bench marked river stone apple cloud light" if args.mode == "passphrase" else None
    started: dict[Phase, float] = {}
    samples: list[tuple[str, float]] = []
    next_sample = [0.0]

    def progress(step: PackageProgress) -> None:
        started.setdefault(step.phase, time.perf_counter())
        if step.overall >= next_sample[0]:
            rss = current_rss_mb()
            if rss is not None:
                samples.append((f"{step.overall:.0%}", rss))
            next_sample[0] += 0.1

    rss_before = peak_rss_mb()
    begin = time.perf_counter()
    result = write_package(
        payload,
        {"Source-Organization": "Benchmark LLP", "Source-System": "synthetic"},
        out,
        recipients=recipients,
        passphrase=passphrase,
        progress=progress,
    )
    end = time.perf_counter()
    seal_s = started[Phase.CHECKING] - started[Phase.SEALING]
    check_s = end - started[Phase.CHECKING]
    report = {
        "mode": args.mode,
        "payload_mb": round(payload_bytes / 1e6, 1),
        "files": len(files),
        "package_mb": round(result.size / 1e6, 1),
        "seal_s": round(seal_s, 2),
        "seal_mb_s": round(payload_bytes / 1e6 / seal_s, 1),
        "check_s": round(check_s, 2),
        "check_mb_s": round(result.size / 1e6 / check_s, 1),
        "total_s": round(end - begin, 2),
        "end_to_end_mb_s": round(payload_bytes / 1e6 / (end - begin), 1),
        "peak_rss_mb_before": round(rss_before, 1),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "rss_samples_mb": [(at, round(mb, 1)) for at, mb in samples],
    }
    if not args.keep:
        out.unlink(missing_ok=True)
    print(
        f"{report['mode']}: {report['payload_mb']:,} MB in {report['files']} files -> "
        f"{report['package_mb']:,} MB package\n"
        f"  sealing  (hash + encrypt + write): {report['seal_s']} s = {report['seal_mb_s']} MB/s\n"
        f"  checking (decrypt + verify)      : {report['check_s']} s = {report['check_mb_s']} MB/s\n"
        f"  end to end                       : {report['total_s']} s = {report['end_to_end_mb_s']} MB/s\n"
        f"  peak RSS: {report['peak_rss_mb']} MB (before packaging: {report['peak_rss_mb_before']} MB)\n"
        f"  RSS during the run: {', '.join(f'{at} {mb} MB' for at, mb in report['rss_samples_mb'])}"
    )
    print(json.dumps(report))


if __name__ == "__main__":
    main()
