"""A check with fixes counts all its passes in one total: the progress only ever goes forward."""

from __future__ import annotations

import shutil
from pathlib import Path

from migration_assistant.core.engine import iter_fix, iter_validate, validate
from migration_assistant.core.fixes.apply import plan_fixes
from migration_assistant.core.resources import sample_export_dir
from migration_assistant.core.results import Progress


def steps(gen) -> list[Progress]:  # type: ignore[no-untyped-def]
    out = []
    try:
        while True:
            out.append(next(gen))
    except StopIteration:
        return out


def assert_forward(progress: list[Progress]) -> None:
    totals = {p.total for p in progress}
    assert len(totals) == 1, totals
    done = [p.done for p in progress]
    assert done == sorted(done), done
    assert done[-1] == progress[-1].total


def test_fix_and_check_again_goes_forward(tmp_path: Path) -> None:
    folder = Path(shutil.copytree(sample_export_dir(), tmp_path / "export"))
    log = plan_fixes(validate([folder]).dataset)
    progress = steps(iter_validate([folder], fixes=log))
    assert_forward(progress)
    assert any(p.step.startswith("Checking the fixed data") for p in progress)
    assert_forward(steps(iter_fix([folder])))
