"""Benchmark: how many findings have a safe fix, and what fixing them all costs (not a timed test).

For each export: the check as the files are (findings, and how many of them a fix resolves with
certainty), planning every fix over that check, applying the planned log to a fresh read of the
tables (in memory), and the re-check of the fixed data (``validate(..., fixes=log)``, given the
first report so only the fixed data is checked). Three exports:

* the bundled sample;
* the many-findings export of ``bench/many_findings.py`` (1M time entries, every second Amount
  off and every third Date unreadable: problems no machine can decide);
* a variant of it with a systematic problem a fix can take (every second Description starting
  with "=", which Excel would run as a formula): about 500,000 fixes.

    python bench/generate.py                 # once: bench/data/large
    python bench/fixes.py [--skip-large]
"""

from __future__ import annotations

import argparse
import gc
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

ACTIVITIES = "Time and expenses.csv"


def write_formula_variant(source: Path, target: Path) -> None:
    """The many-findings export with every second Description starting with "=" as well."""
    from many_findings import rewrite_activities

    def edit(i: int, header: list[str], row: list[str]) -> None:
        if i % 2 == 0:
            row[header.index("Description")] = "=" + row[header.index("Description")]

    rewrite_activities(source, target, edit)


def measure(name: str, folder: Path, source: str) -> dict[str, object]:
    from migration_assistant.core.engine import validate
    from migration_assistant.core.fixes import FIXES, apply_log, plan_fixes
    from migration_assistant.core.intake import iter_read_and_recognise
    from migration_assistant.core.steps import run_to_end

    started = time.perf_counter()
    before = validate([folder], source)
    check = time.perf_counter() - started
    findings = len(before.report.findings)

    started = time.perf_counter()
    log = plan_fixes(before.dataset)
    plan = time.perf_counter() - started

    fixed_codes = {code: {u.code for u in FIXES if code in u.fixes} for u in FIXES for code in u.fixes}
    f = log.frame
    sheets = f["sheet"].astype(object).where(f["sheet"].notna(), None).tolist()
    cells = set(
        zip(
            f["file"].tolist(),
            sheets,
            f["row"].tolist(),
            f["column"].tolist(),
            f["fix"].tolist(),
            strict=True,
        )
    )
    with_fix = sum(
        1
        for x in before.report.findings
        if x.rule in fixed_codes
        and any((x.file, x.sheet, x.row, x.column, c) in cells for c in fixed_codes[x.rule])
    )
    report = before.report
    del before
    gc.collect()

    recognised = run_to_end(iter_read_and_recognise([folder], source))
    started = time.perf_counter()
    stale = apply_log(recognised.tables, log)
    apply = time.perf_counter() - started
    assert not stale, stale[:3]
    del recognised
    gc.collect()

    started = time.perf_counter()
    after = validate([folder], source, fixes=log, before=report)
    recheck = time.perf_counter() - started
    assert not plan_fixes(after.dataset), "fixing twice changed something"
    return {
        "export": name,
        "findings": findings,
        "with a safe fix": with_fix,
        "cells fixed": len(log),
        "findings fixed": len(after.report.fixed),
        "findings left": len(after.report.findings),
        "check s": round(check, 2),
        "plan s": round(plan, 2),
        "apply s": round(apply, 2),
        "re-check s": round(recheck, 2),
        "by fix": log.counts(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--large", type=Path, default=ROOT / "bench" / "data" / "large")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "data")
    parser.add_argument("--skip-large", action="store_true", help="the sample only")
    args = parser.parse_args(argv)
    from migration_assistant.core.resources import sample_export_dir

    cases = [("sample", sample_export_dir(), "auto")]
    if not args.skip_large:
        if not (args.large / ACTIVITIES).exists():
            print(f"{args.large / ACTIVITIES} not found: run bench/generate.py first", file=sys.stderr)
            return 2
        from many_findings import write_variant

        many = args.out / "many-findings"
        formulas = args.out / "many-findings-formulas"
        if not (many / ACTIVITIES).exists():
            write_variant(args.large, many)
        if not (formulas / ACTIVITIES).exists():
            write_formula_variant(many, formulas)
        cases += [
            ("many findings (1M)", many, "template"),
            ("many findings + formulas (1M)", formulas, "template"),
        ]
    for name, folder, source in cases:
        figures = measure(name, folder, source)
        print(" | ".join(f"{k}: {v}" for k, v in figures.items()), flush=True)
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
