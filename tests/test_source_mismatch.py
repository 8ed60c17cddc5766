"""The chosen source checked against the files: a clearly better match is said, with its evidence."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from migration_assistant import cli
from migration_assistant.core.adapters import Profile, load_catalog
from migration_assistant.core.engine import validate
from migration_assistant.core.findings import Severity
from migration_assistant.core.recognise import check_chosen_source
from migration_assistant.core.resources import sample_export_dir
from tests.helpers import CONTACTS, MATTERS, findings, write_export
from tests.test_adapters import read_tables, write_synthetic_export

CLIO = Path(__file__).parent / "data" / "real_exports" / "clio"


@pytest.fixture(scope="module")
def catalog() -> dict[str, Profile]:
    found, problems = load_catalog()
    assert problems == []
    return found


def test_pclaw_chosen_for_template_files_names_the_template() -> None:
    result = validate([sample_export_dir()], "pclaw")
    hits = findings(result, "source-mismatch")
    assert len(hits) == 1
    hit = hits[0]
    assert (hit.severity, hit.row, hit.value) == (Severity.WARNING, None, "template")
    assert "not PCLaw" in hit.message and "Migration template" in hit.message
    assert "“Matter Number”" in hit.message  # the evidence: headings only the template writes
    # The sample holds bills, calendar entries, notes, tasks and users: PCLaw exports none of them.
    assert "which PCLaw does not export" in hit.message and "bills" in hit.message
    assert "--source template" in hit.hint and "%" in hit.hint


def test_clio_templates_checked_as_another_vendor_name_clio() -> None:
    result = validate([CLIO], "practicepanther")
    [hit] = findings(result, "source-mismatch")
    assert hit.value == "clio"
    assert "Clio" in hit.message and "“activity_user”" in hit.message


def test_the_right_choice_raises_nothing() -> None:
    assert findings(validate([sample_export_dir()], "template"), "source-mismatch") == []
    assert findings(validate([CLIO], "clio"), "source-mismatch") == []
    # Chosen automatically, the guess is the choice: nothing to compare.
    assert findings(validate([CLIO], "auto"), "source-mismatch") == []


def test_generic_spreadsheet_is_never_offered(tmp_path: Path, catalog: dict[str, Profile]) -> None:
    """Files with no system's own evidence: the generic profile mapping better is not a better match."""
    write_export(tmp_path, {"contacts": CONTACTS, "matters": MATTERS})
    for chosen in ("practicepanther", "mycase", "leap"):
        mismatch = check_chosen_source(read_tables(tmp_path), catalog, chosen)
        assert mismatch is None or catalog[mismatch.better].kind != "spreadsheet"


@pytest.mark.parametrize("pid", sorted(load_catalog()[0]))
def test_each_documented_system_on_its_own_export_raises_nothing(
    catalog: dict[str, Profile], pid: str, tmp_path: Path
) -> None:
    write_synthetic_export(catalog[pid], tmp_path)
    assert check_chosen_source(read_tables(tmp_path), catalog, pid) is None


def test_cli_reports_it_and_exits_as_before(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "report.json"
    code = cli.main(["validate", str(CLIO), "--source", "pclaw", "--json", str(out)])
    assert code in (0, 1)
    printed = capsys.readouterr().out
    assert "source-mismatch" in printed
    report = json.loads(out.read_text(encoding="utf-8"))
    [hit] = [f for f in report["findings"] if f["rule"] == "source-mismatch"]
    assert hit["value"] == "clio" and hit["row"] is None


def test_a_chosen_source_ranks_the_files_as_the_automatic_choice_does(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The ranking must not see the chosen system's roles, set on the tables before (they made Clio
    score 0.878 under PracticePanther and 0.955 on its own)."""
    from migration_assistant.core import intake
    from migration_assistant.core.recognise import sources

    real = sources.guess_source
    seen = []

    def recorded(*args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(real(*args, **kwargs))
        return seen[-1]

    monkeypatch.setattr(sources, "guess_source", recorded)
    monkeypatch.setattr(intake, "guess_source", recorded)
    files = sorted(CLIO.glob("*.csv"))
    validate(files, "auto")
    validate(files, "practicepanther")
    automatic, under_choice = seen
    assert automatic.source_id == under_choice.source_id == "clio"
    assert under_choice.scores == automatic.scores
