"""Report.to_json_text: the findings contract's JSON, one finding per line, read back the same."""

from __future__ import annotations

import json
from pathlib import Path

from migration_assistant.core.findings import FileInfo, Finding, Report, Severity

TRICKY = [
    'He said "stop"',
    "line one\nline two\r\nthree",
    "tab\tand backslash \\ and slash /",
    "Zoë Ñúñez 日本語 emoji 🙂",
    "\u2028 line separator and \x00 nul",
    "",
]


def report(findings: list[Finding]) -> Report:
    r = Report("template", tool_version="9.9.9")
    r.files = [FileInfo("time.csv", None, "activities", "UTF-8", 3, "ab" * 32)]
    r.findings = findings
    return r


def test_same_document_as_the_plain_dump() -> None:
    findings = [
        Finding(
            "mojibake",
            Severity.ERROR,
            "contacts",
            "clients.csv",
            None,
            i + 2,
            "Name",
            text,
            f"“{text}” looks odd.",
            text,
        )
        for i, text in enumerate(TRICKY)
    ] + [
        Finding(
            "missing-column",
            Severity.BLOCKER,
            None,
            "time.csv",
            "Sheet 1",
            None,
            None,
            None,
            "No column.",
            "Add it.",
        )
    ]
    r = report(findings)
    text = r.to_json_text()
    assert (
        json.loads(text) == r.to_json() == json.loads(json.dumps(r.to_json(), indent=2, ensure_ascii=False))
    )
    lines = text.splitlines()
    # One finding per line, each a JSON object on its own; the rest indented as before.
    finding_lines = [line for line in lines if line.startswith('    {"rule"')]
    assert len(finding_lines) == len(findings)
    assert [json.loads(line.strip().rstrip(",")) for line in finding_lines] == [f.to_json() for f in findings]
    assert text.endswith("  ]\n}\n") and "Zoë" in text  # not escaped to \\u sequences


def test_no_findings() -> None:
    r = report([])
    assert json.loads(r.to_json_text()) == r.to_json()
    assert '"findings": []' in r.to_json_text()


def test_the_findings_the_fixes_resolved_are_written_one_per_line_too(tmp_path: Path) -> None:
    import shutil

    from migration_assistant.core.engine import iter_fix
    from migration_assistant.core.resources import sample_export_dir
    from migration_assistant.core.steps import run_to_end

    folder = Path(shutil.copytree(sample_export_dir(), tmp_path / "export"))
    report = run_to_end(iter_fix([folder])).report
    assert report.fixed
    text = report.to_json_text()
    assert json.loads(text) == report.to_json()
    lines = text.splitlines()
    start = lines.index('  "fixed": [')
    assert all(line.startswith("    {") for line in lines[start + 1 : start + 1 + len(report.fixed)])
