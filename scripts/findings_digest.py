"""The findings the engine gives on a fixed set of exports, written one per line, to compare two versions.

    .venv/bin/python scripts/findings_digest.py --out after.jsonl [--bench bench/data/large]
    .venv/bin/python scripts/findings_digest.py --compare before.jsonl after.jsonl

The set: the bundled sample export (as one folder), every file of ../shared/conformance
(each on its own), and, with ``--bench``, the benchmark export folder. Each line is one
finding of one input (or the refusal when the input could not be checked), with the tool
version left out, so the digests of two versions of the code differ only where the findings
do. It measures the engine of the checkout it lies in.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# This checkout's engine, not the one the virtual environment was installed from.
sys.path.insert(0, str(ROOT))
CONFORMANCE = ROOT.parent / "shared" / "conformance"
FIELDS = ("rule", "severity", "entity", "file", "sheet", "row", "column", "value", "message")


def inputs(bench: Path | None) -> list[tuple[str, Path]]:
    out = [("sample", ROOT / "resources" / "samples" / "sample-firm")]
    if CONFORMANCE.is_dir():
        for path in sorted(CONFORMANCE.rglob("*")):
            if (
                path.is_file()
                and path.suffix.lower() not in (".json", ".md", ".txt")
                and path.name != "SHA256SUMS"
            ):
                out.append((path.relative_to(CONFORMANCE).as_posix(), path))
    if bench is not None:
        out.append(("bench", bench))
    return out


def digest(bench: Path | None, out: Path) -> None:
    from migration_assistant.core.engine import validate

    with out.open("w", encoding="utf-8") as fh:
        for name, path in inputs(bench):
            try:
                result = validate([path])
            except Exception as exc:  # a refusal is part of the behaviour being compared
                fh.write(json.dumps({"input": name, "refused": f"{type(exc).__name__}: {exc}"}) + "\n")
                continue
            for finding in result.report.findings:
                data = finding.to_json()
                fh.write(
                    json.dumps({"input": name, **{k: data.get(k) for k in FIELDS}}, sort_keys=True) + "\n"
                )
            print(f"{name}: {len(result.report.findings)} findings", file=sys.stderr)


def compare(before: Path, after: Path) -> int:
    a = Counter(before.read_text(encoding="utf-8").splitlines())
    b = Counter(after.read_text(encoding="utf-8").splitlines())
    gone, new = a - b, b - a
    print(
        f"{sum(a.values())} findings before, {sum(b.values())} after; {sum(gone.values())} gone, "
        f"{sum(new.values())} new"
    )
    for label, lines in (("gone", gone), ("new", new)):
        by_rule = Counter()
        for line, count in lines.items():
            item = json.loads(line)
            by_rule[(item["input"], item.get("rule") or item.get("refused"))] += count
        for (inp, rule), count in sorted(by_rule.items()):
            print(f"  {label}: {inp}: {rule} x{count}")
    return 0 if not gone and not new else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path)
    parser.add_argument("--bench", type=Path)
    parser.add_argument("--compare", nargs=2, type=Path, metavar=("BEFORE", "AFTER"))
    args = parser.parse_args()
    if args.compare:
        return compare(*args.compare)
    if not args.out:
        parser.error("--out or --compare")
    digest(args.bench, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
