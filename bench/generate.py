"""Write a realistic law-firm export at scale for the benchmark (``bench/run.py``).

    .venv/bin/python bench/generate.py --rows 1000000 --out bench/data/large

Uses the sample export's generator (``scripts/sample_export``): the same
template headers, value formats and planted problems, at scale. ``--rows`` is the
number of time and expense entries; the other entities are scaled from it (at
1,000,000 rows: ~50k matters, 200 users, ~40k contacts, ~90k invoices, 60k trust
transactions, 20k events, 15k tasks, 25k notes). About 1.5% of the descriptions are
multi-line (quoted embedded newlines). Every file is CSV, including the invoices.

The folder gets the export files only (the CLI validates the whole folder); the planted
problems go beside it, in ``<out>.planted.json``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scripts import sample_export as gen  # noqa: E402 - needs the sys.path line above


def sizes_for(rows: int) -> dict[str, int]:
    """Entity sizes for an export with ``rows`` time and expense entries."""
    return {
        "n_activities": rows,
        "n_matters": max(350, rows // 20),
        "n_contacts": max(300, rows // 25),
        "n_users": 200 if rows >= 100_000 else 12,
        "n_trust": max(600, rows * 6 // 100),
        "n_events": max(200, rows // 50),
        "n_tasks": max(150, rows * 15 // 1000),
        "n_notes": max(250, rows // 40),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="time and expense entries (1,000,000)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "data" / "large", help="output folder")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--multiline-share", type=float, default=0.015, help="multi-line descriptions (0.015)"
    )
    args = parser.parse_args(argv)

    layout = gen.BENCH_LAYOUT
    out: Path = args.out
    names = {spec.name for spec in layout.values()}
    strangers = sorted(p.name for p in out.iterdir() if p.name not in names) if out.is_dir() else []
    if strangers:
        print(
            f"{out} holds other files ({', '.join(strangers)}); the CLI would read them too. "
            "Use an empty folder.",
            file=sys.stderr,
        )
        return 2

    sizes = sizes_for(args.rows)
    started = time.perf_counter()
    firm = gen.build_firm(seed=args.seed, multiline_share=args.multiline_share, **sizes)
    built = time.perf_counter()
    planted = gen.plant_problems(firm, seed=args.seed)
    planted_at = time.perf_counter()
    paths = gen.write_export(firm, out, layout)
    written = time.perf_counter()

    planted_json = out.with_name(out.name + ".planted.json")
    planted_json.write_text(
        json.dumps(gen.locate(planted, layout), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    for path in paths:
        print(f"{path}  {path.stat().st_size:>13,} bytes")
    multiline = int(firm["activities"]["Description"].str.contains("\n", regex=False).sum())
    print(
        f"{len(firm['activities']):,} activities ({multiline / len(firm['activities']):.2%} multi-line), "
        + ", ".join(f"{len(firm[e]):,} {e}" for e in ("matters", "users", "contacts", "bills", "trust"))
    )
    print(f"{len(planted)} planted problems listed in {planted_json}")
    print(
        f"build {built - started:.1f} s, plant {planted_at - built:.1f} s, "
        f"write {written - planted_at:.1f} s, total {written - started:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
