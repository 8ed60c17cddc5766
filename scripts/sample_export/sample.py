"""The bundled sample: the export files, its README and the planted problems for the tests."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from scripts.sample_export.common import EXPECTED_JSON, ROOT, SAMPLE_DIR, SAMPLE_README, SEED
from scripts.sample_export.files import SAMPLE_LAYOUT, locate, write_export
from scripts.sample_export.firm import build_firm
from scripts.sample_export.integrity import integrity_problems
from scripts.sample_export.planting import plant_problems
from scripts.sample_export.readme import sample_readme


def write_sample(sample_dir: Path, readme: Path, expected_json: Path) -> tuple[list[Path], int]:
    """Generate the sample and write its files, README and planted problems.

    Args:
        sample_dir: The folder for the export files (other files in it are removed).
        readme: Where the README goes.
        expected_json: Where the planted problems go, for the tests.

    Returns:
        The export files written, and the number of planted problems.
    """
    firm = build_firm(seed=SEED)
    clean = integrity_problems(firm)
    if clean:
        raise SystemExit(f"the generated firm is not clean before planting: {clean}")
    planted = plant_problems(firm, seed=SEED)
    problems = locate(planted, SAMPLE_LAYOUT)

    sample_dir.mkdir(parents=True, exist_ok=True)
    keep = {spec.name for spec in SAMPLE_LAYOUT.values()}
    for stale in sample_dir.iterdir():
        if stale.is_file() and stale.name not in keep:
            stale.unlink()
    written = write_export(firm, sample_dir, SAMPLE_LAYOUT)
    expected_json.parent.mkdir(parents=True, exist_ok=True)
    expected_json.write_text(json.dumps(problems, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    readme.write_text(sample_readme(firm, problems, SAMPLE_LAYOUT), encoding="utf-8")
    return written, len(planted)


def _shown(path: Path) -> Path:
    return path.relative_to(ROOT) if path.is_relative_to(ROOT) else path


def main(argv: list[str] | None = None) -> int:
    """Rewrite the bundled sample in place, or (``--out``) write it into another folder to compare."""
    parser = argparse.ArgumentParser(
        description="Generate the bundled sample export of Harbourview Legal LLP."
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="write the export files, README.md and sample_expected_problems.json into this folder "
        "instead of rewriting resources/samples and tests/data",
    )
    args = parser.parse_args(argv)
    if args.out is None:
        sample_dir, readme, expected_json = SAMPLE_DIR, SAMPLE_README, EXPECTED_JSON
    else:
        sample_dir = args.out / SAMPLE_DIR.name
        readme, expected_json = args.out / SAMPLE_README.name, args.out / EXPECTED_JSON.name
    written, planted = write_sample(sample_dir, readme, expected_json)

    size = sum(p.stat().st_size for p in written)
    for path in written:
        print(f"{_shown(path)}  {path.stat().st_size:>9,} bytes")
    print(f"{planted} planted problems; {size / 1e6:.2f} MB in {_shown(sample_dir)}")
    if size > 2_000_000:
        print("warning: the sample is larger than 2 MB", file=sys.stderr)
    return 0
