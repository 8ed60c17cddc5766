"""The command line and the wizard seal the same package from the same export (one seal pipeline).

The sample export is packaged twice: by ``migration-assistant package`` and by the wizard's
own operations (the check op, then the package op, with the arguments the Package page
passes). Both packages are opened and their bags compared file by file: the same files,
and the same content apart from the moments they were made.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import openpyxl
import pyrage
import pytest

from migration_assistant.cli import main
from migration_assistant.core.api import iter_verify_package, plan_for_report, run_to_end, sample_export_dir
from migration_assistant.gui.operations import validate_op
from migration_assistant.gui.package_ops import SealRequest, package_op
from migration_assistant.gui.state import AUTO_SOURCE

SIGNER = "Pat Example"
# Times of day and dates as the reports write them ("2025-05-14", "14 May 2025", "10:31").
_MOMENT = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
    r"|\d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]* \d{4}(?:,? \d{1,2}:\d{2})?"
    r"|\b\d{1,2}:\d{2}(?::\d{2})?\b"
)


@pytest.fixture(scope="module")
def bags(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The sample sealed by the CLI and by the wizard's ops, each opened into a folder."""
    tmp = tmp_path_factory.mktemp("seal")
    identity = pyrage.x25519.Identity.generate()
    specialist = str(identity.to_public())

    cli_out = tmp / "cli.age"
    code = main(
        [
            "package",
            "--sample",
            "--source",
            "auto",
            "--out",
            str(cli_out),
            "--recipient",
            specialist,
            "--acknowledge",
            SIGNER,
            "--no-firm-key",
            "--quiet",
        ]
    )
    assert code == 0

    # The wizard: Check (validate_op), then sign off the checklist, then Package (package_op)
    # with the timeline the wizard plans for the firm's place (the default: the US).
    outcome = run_to_end(validate_op([sample_export_dir()], AUTO_SOURCE, {}, {})(lambda: False))
    assert outcome.checklist is not None and outcome.balances is not None
    outcome.checklist.acknowledge_all(SIGNER)
    wizard_out = tmp / "wizard.age"
    request = SealRequest(out=wizard_out, firm="", contact="", recipients=(specialist,))
    timeline = plan_for_report(outcome.result.report, country="US", subdiv=None)
    op = package_op(outcome.result, outcome.checklist, request, timeline=timeline, balances=outcome.balances)
    run_to_end(op(lambda: False))

    opened = []
    for name, package in (("cli", cli_out), ("wizard", wizard_out)):
        result = run_to_end(iter_verify_package(package, identity=identity, extract_to=tmp / name))
        assert result.ok, result.problems
        (bag,) = [p for p in (tmp / name).iterdir() if p.is_dir()]
        opened.append(bag)
    return opened[0], opened[1]


def _files(bag: Path) -> list[str]:
    return sorted(p.relative_to(bag).as_posix() for p in bag.rglob("*") if p.is_file())


def _masked(text: str) -> str:
    return _MOMENT.sub("<moment>", text)


def _without(data: Any, keys: frozenset[str]) -> Any:
    """*data* with every value under one of *keys* left out, at any depth."""
    if isinstance(data, dict):
        return {k: _without(v, keys) for k, v in data.items() if k not in keys}
    if isinstance(data, list):
        return [_without(v, keys) for v in data]
    return data


def _cells(content: bytes) -> dict[str, list[tuple[object, ...]]]:
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    try:
        return {
            ws.title: [
                tuple(_masked(str(v)) if v is not None else None for v in row)
                for row in ws.iter_rows(values_only=True)
            ]
            for ws in book.worksheets
        }
    finally:
        book.close()


def test_both_front_ends_seal_the_same_files(bags: tuple[Path, Path]) -> None:
    cli, wizard = bags
    files = _files(cli)
    assert files == _files(wizard)
    assert {"data/findings/report.html", "data/findings/report.xlsx", "data/balances.csv"} <= set(files)
    manifest = {
        line.split(maxsplit=1)[1]: line.split(maxsplit=1)[0]
        for line in (cli / "manifest-sha256.txt").read_text(encoding="utf-8").splitlines()
    }
    assert sorted(manifest) == [f for f in files if f.startswith("data/")]


def test_the_data_and_findings_are_byte_for_byte_the_same(bags: tuple[Path, Path]) -> None:
    cli, wizard = bags
    timestamped = {
        "data/findings/report.html",
        "data/findings/report.xlsx",
        "data/checklist.json",
        "data/normalised/datapackage.json",
    }
    same = [f for f in _files(cli) if f.startswith("data/") and f not in timestamped]
    assert "data/balances.csv" in same and "data/findings/findings.json" in same
    assert any(f.startswith("data/originals/") for f in same)
    assert any(f.startswith("data/normalised/") and f.endswith(".csv") for f in same)
    different = [f for f in same if (cli / f).read_bytes() != (wizard / f).read_bytes()]
    assert different == []


def test_the_checklist_and_the_data_package_differ_only_in_their_times(bags: tuple[Path, Path]) -> None:
    cli = bags[0]
    times = frozenset({"created_at", "acknowledged_at", "created"})
    for name in ("data/checklist.json", "data/normalised/datapackage.json"):
        ours, theirs = (json.loads((bag / name).read_text(encoding="utf-8")) for bag in bags)
        assert _without(ours, times) == _without(theirs, times), name
    checklist = json.loads((cli / "data/checklist.json").read_text(encoding="utf-8"))
    assert checklist["items"] and all(item["acknowledged_by"] == SIGNER for item in checklist["items"])


def test_the_reports_are_the_same_apart_from_dates_and_both_show_the_balances(
    bags: tuple[Path, Path],
) -> None:
    cli = bags[0]
    html = [(bag / "data/findings/report.html").read_text(encoding="utf-8") for bag in bags]
    assert _masked(html[0]) == _masked(html[1])
    balances_csv = (cli / "data/balances.csv").read_text(encoding="utf-8").splitlines()
    assert len(balances_csv) > 1  # the sample has matters with money on them
    first_matter = balances_csv[1].split(",")[0]
    assert first_matter and first_matter in html[0]  # the balances are in the command line's report too

    workbooks = [_cells((bag / "data/findings/report.xlsx").read_bytes()) for bag in bags]
    assert workbooks[0] == workbooks[1]
    assert any("balance" in title.lower() for title in workbooks[0])


def test_the_bag_labels_agree_apart_from_the_moment_of_bagging(bags: tuple[Path, Path]) -> None:
    labels = [
        sorted(
            line
            for line in (bag / "bag-info.txt").read_text(encoding="utf-8").splitlines()
            # The reports' sizes may differ by a byte or two with the moment they were made.
            if not line.startswith(("Bagging-Date", "Payload-Oxum"))
        )
        for bag in bags
    ]
    assert labels[0] == labels[1]
    counts = [
        line.rsplit(".", 1)[1]
        for bag in bags
        for line in (bag / "bag-info.txt").read_text(encoding="utf-8").splitlines()
        if line.startswith("Payload-Oxum")
    ]
    assert len(counts) == 2 and counts[0] == counts[1]
