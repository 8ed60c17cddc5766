"""The bundled sample export as a test oracle.

``tests/data/sample_expected_problems.json`` lists the problems planted in the sample export
(resources/samples/README.md describes them): each must be found at its file, row and column,
and nothing at warning or above may be found that was not planted. The same holds whether the
engine is called directly or through ``migration-assistant validate --sample --json FILE``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pytest

from migration_assistant.cli import main
from migration_assistant.core.engine import validate
from migration_assistant.core.findings import Severity
from migration_assistant.core.resources import sample_export_dir
from tests import conftest

EXPECTED = Path(__file__).parent / "data" / "sample_expected_problems.json"

# The planted problem's id (the sample generator's name for it) -> the finding code the engine
# gives it. Kept here, not in the JSON, because scripts/make_sample_export.py rewrites that file.
RULE_OF_PLANTED = {
    "mojibake": "mojibake",
    "invalid-email": "invalid-email",
    "same-person-twice": "possible-duplicate",
    "implausible-phone": "invalid-phone",
    "duplicate-contact-id": "duplicate-key",
    "matter-without-client": "foreign-key",
    "closed-before-opened": "close-before-open",
    "leading-zeros-lost": "leading-zeros",
    "unknown-user": "foreign-key",
    "negative-hours": "negative-value",
    "unknown-invoice": "foreign-key",
    "impossible-date": "impossible-date",
    "unknown-matter": "foreign-key",
    "day-over-24-hours": "over-24-hours",
    "amount-not-hours-times-rate": "amount-mismatch",
    "formula-injection": "formula-injection",
    "paid-more-than-total": "overpaid-bill",
    "trust-matter-of-other-client": "trust-wrong-client",
    "trust-overdrawn": "trust-overdraft",
}

Place = tuple[str, str, str, int, str]  # rule, entity, file, row, column


def planted() -> list[dict[str, Any]]:
    return list(json.loads(EXPECTED.read_text(encoding="utf-8")))


def place(finding: Mapping[str, Any]) -> Place:
    return (finding["rule"], finding["entity"], finding["file"], finding["row"], finding["column"])


def line(finding: Mapping[str, Any]) -> str:
    return (
        f"{finding['rule']} {finding['severity']} {finding['file']}:{finding['row']} "
        f"[{finding['column']}] {finding['value']!r}: {finding['message']}"
    )


def assert_matches_the_oracle(findings: Iterable[Mapping[str, Any]]) -> None:
    """Every planted problem found at its place at warning or above; nothing else at warning or above."""
    expected = planted()
    unmapped = sorted({p["id"] for p in expected} - set(RULE_OF_PLANTED))
    assert not unmapped, f"planted problems with no finding code in RULE_OF_PLANTED: {unmapped}"
    wanted = {(RULE_OF_PLANTED[p["id"]], p["entity"], p["file"], p["row"], p["column"]): p for p in expected}
    serious = [f for f in findings if Severity.parse(f["severity"]) >= Severity.WARNING]
    found = {place(f) for f in serious}
    missed = [
        f"#{i} {p['file']}:{p['row']} [{p['column']}] {p['id']} (expected {key[0]}): {p['problem']}"
        for i, (key, p) in enumerate(wanted.items(), 1)
        if key not in found
    ]
    unplanted = [line(f) for f in serious if place(f) not in wanted]
    assert not missed, "planted problems not found (at warning or above):\n" + "\n".join(missed)
    assert not unplanted, "findings at warning or above that were not planted:\n" + "\n".join(unplanted)


def test_oracle_lists_the_planted_problems() -> None:
    """The oracle itself: one entry per planted cell, each naming a place the sample has."""
    expected = planted()
    keys = {"id", "entity", "file", "row", "column", "problem"}
    assert all(set(p) == keys for p in expected), "the generator's keys changed"
    places = [(p["file"], p["row"], p["column"]) for p in expected]
    assert len(places) == len(set(places)) == 21
    files = {p.name for p in sample_export_dir().iterdir()}
    assert {p["file"] for p in expected} <= files


def test_engine_finds_every_planted_problem_and_nothing_else() -> None:
    result = validate([sample_export_dir()])
    assert_matches_the_oracle(f.to_json() for f in result.report.findings)


def test_validate_sample_json_finds_every_planted_problem_and_nothing_else(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = tmp_path / "sample.json"
    code = main(["validate", "--sample", "--quiet", "--json", str(report)])
    _, err = capsys.readouterr()
    assert code == 0, f"no planted problem is a blocker, yet validate --sample exited {code}: {err}"
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["source"] == "template"
    assert_matches_the_oracle(data["findings"])
    # The summary counts the same findings the list holds.
    counted = {s: sum(f["severity"] == s for f in data["findings"]) for s in data["summary"]}
    assert data["summary"] == counted


def test_the_oracle_check_catches_a_missed_and_an_unplanted_problem() -> None:
    """The comparison fails both ways, naming the problem: a planted one lost, a new one found."""
    findings = [f.to_json() for f in validate([sample_export_dir()]).report.findings]
    lost = [f for f in findings if f["rule"] != "over-24-hours"]
    with pytest.raises(AssertionError, match=r"not found.*\n\s*#16 Time and expenses.csv:3741 \[Hours\]"):
        assert_matches_the_oracle(lost)
    stray = {**findings[0], "rule": "required", "severity": "error", "row": 2, "column": "Email"}
    with pytest.raises(AssertionError, match=r"not planted:\n\s*required error Client list.csv:2 \[Email\]"):
        assert_matches_the_oracle([*findings, stray])
    # Below warning a finding is a note, not a problem: the sample may have some (an encoding guess).
    assert_matches_the_oracle([*findings, {**stray, "severity": "info"}])


# ---------------------------------------------------------------- the ../shared corpus other oracles read


def test_missing_shared_corpus_skips_locally(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(conftest, "SHARED", tmp_path / "no-shared")
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match=r"the \.\./shared folder is absent"):
        conftest.conformance_dir("formats")


def test_missing_shared_corpus_fails_in_ci(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(conftest, "SHARED", tmp_path / "no-shared")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI must provide it"):
        conftest.shared_path("DOMAIN.md")


def test_present_shared_corpus_is_returned(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "conformance" / "formats").mkdir(parents=True)
    monkeypatch.setattr(conftest, "SHARED", tmp_path)
    monkeypatch.setenv("CI", "true")
    assert conftest.conformance_dir("formats") == tmp_path / "conformance" / "formats"
