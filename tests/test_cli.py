"""The command line and the findings JSON contract (DESIGN.md: "Findings contract", "Command line")."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from migration_assistant import __version__
from migration_assistant.cli import main
from migration_assistant.core.resources import resource_path
from tests.helpers import CONTACTS, MATTERS, USERS, base_export, time_entry, write_entity, write_export

TOP_KEYS = {"tool", "source", "files", "summary", "findings"}
FILE_KEYS = {"file", "sheet", "role", "encoding", "rows", "sha256"}
FINDING_KEYS = {"rule", "severity", "entity", "file", "sheet", "row", "column", "value", "message", "hint"}
SEVERITIES = ["blocker", "error", "warning", "info"]
# Findings about a file or a column as a whole; every other finding names its row.
FILE_LEVEL_RULES = {
    "date-order-ambiguous",
    "foreign-key-unchecked",
    "encoding-guessed",
    "empty-file",
    "unrecognised-file",
    "ambiguous-file",
    "unmapped-columns",
}


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def one_line_error(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    assert lines[0].startswith("migration-assistant: ")
    return lines[0]


# ---------------------------------------------------------------- exit codes


def _export(tmp_path: Path, worst: str) -> Path:
    """A folder whose worst finding is *worst* ("none" = no findings at all)."""
    folder = tmp_path / worst
    if worst == "none":
        write_export(folder, {"contacts": CONTACTS})
    elif worst == "info":
        write_export(folder, {"matters": MATTERS})  # references to absent files: info only
    elif worst == "warning":
        write_export(folder, {"contacts": [*CONTACTS, {**CONTACTS[0], "Contact ID": "C9", "Email": "",
                                                       "First Name": "Al", "Phone": "555-01"}]})  # fmt: skip
    elif worst == "error":
        write_export(folder, {"contacts": [*CONTACTS, {**CONTACTS[0], "Contact ID": "C9", "First Name": "Al",
                                                       "Email": "maria@@example", "Phone": ""}]})  # fmt: skip
    elif worst == "blocker":
        header = [h for h in USERS[0] if h != "Name"]
        write_entity(
            folder, "users", [{k: v for k, v in u.items() if k != "Name"} for u in USERS], header=header
        )
    return folder


@pytest.mark.parametrize("worst", ["none", "info", "warning", "error", "blocker"])
def test_exit_codes_follow_fail_on(tmp_path: Path, capsys: pytest.CaptureFixture[str], worst: str) -> None:
    folder = _export(tmp_path, worst)
    report = tmp_path / "report.json"
    code, out, err = run_cli(
        capsys, "validate", str(folder), "--quiet", "--json", str(report), "--fail-on", "info"
    )
    summary = json.loads(report.read_text(encoding="utf-8"))["summary"]
    # The fixture's worst finding is what it claims to be.
    present = [s for s in SEVERITIES if summary[s]]
    assert (present[0] if present else "none") == worst, summary
    rank = {s: i for i, s in enumerate(reversed(SEVERITIES))}  # info 0 ... blocker 3
    for fail_on in SEVERITIES:
        code, out, err = run_cli(capsys, "validate", str(folder), "--quiet", "--fail-on", fail_on)
        expected = 1 if worst != "none" and rank[worst] >= rank[fail_on] else 0
        assert code == expected, (worst, fail_on)
        assert err == ""
        assert "Problems:" in out
    # The default threshold is blocker.
    code, _, _ = run_cli(capsys, "validate", str(folder), "--quiet")
    assert code == (1 if worst == "blocker" else 0)


def test_missing_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "validate", str(tmp_path / "nowhere"), "--quiet")
    assert code == 2 and out == ""
    assert "does not exist" in one_line_error(err)


def test_pdf_is_not_a_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pdf = tmp_path / "statement.pdf"
    pdf.write_bytes(
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" + bytes(range(256))
    )
    code, _, err = run_cli(capsys, "validate", str(pdf), "--quiet")
    assert code == 2
    assert "not a table" in one_line_error(err)


def test_binary_file_named_csv_is_not_a_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fake = tmp_path / "clients.csv"
    fake.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    code, _, err = run_cli(capsys, "validate", str(fake), "--quiet")
    assert code == 2
    assert "not a table" in one_line_error(err)


def test_folder_without_tables(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.4\n")
    code, _, err = run_cli(capsys, "validate", str(tmp_path), "--quiet")
    assert code == 2
    one_line_error(err)


def test_unknown_source(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _export(tmp_path, "none")
    code, _, err = run_cli(capsys, "validate", str(folder), "--source", "no-such-system", "--quiet")
    assert code == 2
    assert "no-such-system" in one_line_error(err)


def test_no_paths(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(capsys, "validate", "--quiet")
    assert code == 2
    one_line_error(err)


def test_explicit_template_source(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _export(tmp_path, "none")
    report = tmp_path / "r.json"
    code, _, _ = run_cli(
        capsys, "validate", str(folder), "--source", "template", "--quiet", "--json", str(report)
    )
    assert code == 0
    assert json.loads(report.read_text(encoding="utf-8"))["source"] == "template"


def test_validate_sample(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    try:
        sample = resource_path("resources", "samples", "sample-firm")
    except FileNotFoundError:
        pytest.skip("resources/samples/sample-firm does not exist yet (the sample export is another task)")
    report = tmp_path / "sample.json"
    code, out, err = run_cli(capsys, "validate", "--sample", "--quiet", "--json", str(report))
    assert code in (0, 1) and "Traceback" not in err
    assert out.startswith("Source: ") and "Problems:" in out
    data = json.loads(report.read_text(encoding="utf-8"))
    assert set(data) == TOP_KEYS
    given = {p.relative_to(sample).as_posix() for p in sample.rglob("*") if p.is_file()}
    assert {f["file"] for f in data["files"]} <= given
    assert all(f["role"] for f in data["files"]), data["files"]


# ---------------------------------------------------------------- sources


def test_sources_lists_the_template(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "sources")
    assert code == 0
    assert any(line.split()[:1] == ["template"] for line in out.splitlines())
    assert "contacts" in out


def test_sources_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "sources", "--json")
    assert code == 0
    data = json.loads(out)
    template = next(s for s in data if s["id"] == "template")
    assert template["name"]
    assert {e["entity"] for e in template["exports"]} >= {"contacts", "matters", "activities"}


# ---------------------------------------------------------------- the JSON contract


def test_json_contract(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "export"
    entries = [time_entry("T1"), time_entry("T2", Hours="2", Amount="1.00")]
    base_export(folder)
    # Time entries in a nested folder: "file" is the path relative to the folder given.
    write_entity(folder / "2024" / "q1", "activities", entries, name="time.csv")
    # Ambiguous slash dates give a column-level (row null) finding.
    write_entity(folder, "notes", [{"Note ID": "N1", "Date": "01/02/2024", "Subject": "x"},
                                   {"Note ID": "N2", "Date": "03/04/2024", "Subject": "y"}])  # fmt: skip
    report = tmp_path / "out" / "findings.json"
    report.parent.mkdir()
    code, _, _ = run_cli(
        capsys, "validate", str(folder), "--quiet", "--json", str(report), "--fail-on", "warning"
    )
    data = json.loads(report.read_text(encoding="utf-8"))

    assert set(data) == TOP_KEYS
    assert data["tool"] == {"name": "migration-assistant", "version": __version__}
    assert data["source"] == "template"
    assert list(data["summary"]) == SEVERITIES
    assert code == 1

    by_file = {f["file"]: f for f in data["files"]}
    assert set(by_file) == {
        "users.csv",
        "contacts.csv",
        "matters.csv",
        "bills.csv",
        "notes.csv",
        "2024/q1/time.csv",
    }
    for info in data["files"]:
        assert set(info) == FILE_KEYS
        path = folder / info["file"]
        assert info["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
        assert info["sheet"] is None and info["encoding"] == "UTF-8"
    assert by_file["2024/q1/time.csv"]["role"] == "activities" and by_file["2024/q1/time.csv"]["rows"] == 2
    assert by_file["users.csv"]["role"] == "users" and by_file["users.csv"]["rows"] == len(USERS)

    for f in data["findings"]:
        assert set(f) == FINDING_KEYS
        assert f["severity"] in SEVERITIES
        assert f["file"] in by_file
        if f["row"] is None:
            assert f["rule"] in FILE_LEVEL_RULES, f
        else:
            assert isinstance(f["row"], int) and f["row"] >= 1
            assert f["rule"] not in FILE_LEVEL_RULES - {"encoding-guessed"}
        assert f["message"] and f["hint"]
    counted = {s: sum(1 for f in data["findings"] if f["severity"] == s) for s in SEVERITIES}
    assert counted == data["summary"]

    mismatch = [f for f in data["findings"] if f["rule"] == "amount-mismatch"]
    assert [(f["file"], f["row"], f["column"], f["value"], f["entity"]) for f in mismatch] == [
        ("2024/q1/time.csv", 3, "Amount", "1.00", "activities")
    ]
    ambiguous = [f for f in data["findings"] if f["rule"] == "date-order-ambiguous"]
    assert [(f["file"], f["row"], f["column"]) for f in ambiguous] == [("notes.csv", None, "Date")]


def test_json_for_a_single_file_and_a_workbook_sheet(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "People"
    book.active.append(list(CONTACTS[0]))
    book.active.append(["C1", "Person", "Ann", "", "bad@@example", ""])
    book.save(tmp_path / "people.xlsx")
    report = tmp_path / "r.json"
    code, _, _ = run_cli(capsys, "validate", str(tmp_path / "people.xlsx"), "--quiet", "--json", str(report))
    assert code == 0  # an invalid e-mail is an error, below the default threshold (blocker)
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["files"][0]["file"] == "people.xlsx" and data["files"][0]["sheet"] == "People"
    assert data["files"][0]["encoding"] is None
    (hit,) = [f for f in data["findings"] if f["rule"] == "invalid-email"]
    assert (hit["file"], hit["sheet"], hit["row"], hit["column"]) == ("people.xlsx", "People", 2, "Email")


# ---------------------------------------------------------------- the installed entry point


def test_entry_point_subprocess(tmp_path: Path) -> None:
    exe = Path(sys.executable).with_name("migration-assistant")
    if not exe.exists():
        pytest.skip(f"the console script is not installed next to {sys.executable}")
    folder = _export(tmp_path, "error")
    report = tmp_path / "r.json"
    proc = subprocess.run(
        [str(exe), "validate", str(folder), "--json", str(report), "--fail-on", "error"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "invalid-email" in proc.stdout
    assert json.loads(report.read_text(encoding="utf-8"))["summary"]["error"] >= 1
    missing = subprocess.run(
        [str(exe), "validate", str(tmp_path / "gone")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert missing.returncode == 2
    assert missing.stderr.count("\n") == 1 and "Traceback" not in missing.stderr


def test_quick_exit_after_validate_flushes_everything(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``validate`` ends the process without interpreter teardown: its output must be complete."""
    env = {**os.environ, "MIGRATION_ASSISTANT_HOME": str(tmp_path / "home")}
    proc = subprocess.run(
        [sys.executable, "-m", "migration_assistant", "validate", "--sample"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr
    assert main(["validate", "--sample"]) == 0
    # stdout is a pipe there (block-buffered): every line must still have arrived.
    assert proc.stdout == capsys.readouterr().out
    # The workbook sheet has no text encoding: the summary says what it is, as every report does.
    assert "Invoices.xlsx [Invoices]: bills, 563 rows, Excel workbook\n" in proc.stdout
    assert "Notes.csv: notes, 250 rows, Windows-1252\n" in proc.stdout


# ---------------------------------------------------------------- running out of memory


def test_out_of_memory_is_one_plain_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A check that runs out of memory (pyarrow's or Python's) says so and what to do: exit 2."""
    import pyarrow as pa

    from migration_assistant.core import dataset

    base_export(tmp_path)

    def exhausted(*args: object, **kwargs: object) -> None:
        raise pa.ArrowMemoryError("malloc of size 1073741824 failed")

    monkeypatch.setattr(dataset, "_parse", exhausted)
    code, out, err = run_cli(capsys, "validate", str(tmp_path), "--quiet")
    line = one_line_error(err)
    assert code == 2 and out == ""
    assert "ran out of memory while checking" in line and "have not been changed" in line
    assert "in parts, for example one year at a time" in line
    assert "ArrowMemoryError" not in line and "malloc" not in line


# ---------------------------------------------------------------- the problems listed after the summary


def listed(out: str) -> list[str]:
    """The lines after the summary: the first problems, then the "… and N more" line."""
    summary, _, rest = out.partition("\n\n")
    assert summary.startswith("Source: ") and "Problems:" in summary
    return rest.splitlines()


def _mixed_export(folder: Path) -> Path:
    """One blocker, one error, two warnings (one about a whole column) and notes (info) in several files."""
    contacts = [
        *CONTACTS,
        {**CONTACTS[0], "Contact ID": "C8", "First Name": "Al", "Email": "maria@@example", "Phone": ""},
        {**CONTACTS[0], "Contact ID": "C9", "First Name": "Bo", "Email": "", "Phone": "555-01"},
    ]
    write_export(folder, {"contacts": contacts})
    header = [h for h in USERS[0] if h != "Name"]
    write_entity(folder, "users", [{k: v for k, v in u.items() if k != "Name"} for u in USERS], header=header)
    write_entity(folder, "notes", [{"Note ID": "N1", "Date": "01/02/2024", "Subject": "x"},
                                   {"Note ID": "N2", "Date": "03/04/2024", "Subject": "y"}])  # fmt: skip
    (folder / "readme.pdf").write_bytes(b"%PDF-1.4\n")  # not checked: a note (info), never listed
    return folder


def test_validate_lists_the_problems_as_linters_do(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _mixed_export(tmp_path / "export")
    report = tmp_path / "r.json"
    code, out, err = run_cli(capsys, "validate", str(folder), "--json", str(report))
    assert code == 1 and err == ""
    findings = json.loads(report.read_text(encoding="utf-8"))["findings"]
    assert {f["severity"] for f in findings} == set(SEVERITIES)  # the fixture has one of each at least
    (ambiguous,) = [f for f in findings if f["rule"] == "date-order-ambiguous"]
    assert ambiguous["severity"] == "warning" and ambiguous["row"] is None
    assert listed(out) == [
        # Worst first; within a severity, by file and row. The row is left out for a whole column.
        "users.csv: Name: This users file has no “Name” column, which every record needs.  "
        "[blocker missing-column]",
        "contacts.csv:4: Email: “maria@@example” is not a valid e-mail address: The part after the @-sign "
        "contains invalid characters: '@'.  [error invalid-email]",
        "contacts.csv:5: Phone: “555-01” does not look like a complete phone number.  [warning invalid-phone]",
        f"notes.csv: Date: {ambiguous['message']}  [warning date-order-ambiguous]",
    ]
    # Nothing more than the reports hold, so no "… and N more" line.
    assert "more; --json/--html/--xlsx for all" not in out


def test_a_workbook_sheet_is_named_after_its_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "People 2024"
    book.active.append(list(CONTACTS[0]))
    book.active.append(["C1", "Person", "Ann", "", "bad@@example", ""])
    book.save(tmp_path / "people.xlsx")
    code, out, _ = run_cli(capsys, "validate", str(tmp_path / "people.xlsx"))
    assert code == 0
    (line,) = [line for line in listed(out) if "invalid-email" in line]
    assert line.startswith("people.xlsx[People 2024]:2: Email: “bad@@example” is not a valid e-mail address")
    assert line.endswith("  [error invalid-email]")


def test_at_most_twenty_problems_then_how_many_more(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Errors come before warnings even when the warnings are earlier in the file; the rest is counted."""
    warnings = [{**CONTACTS[0], "Contact ID": f"W{i}", "Email": "", "Phone": "555-01"} for i in range(5)]
    errors = [{**CONTACTS[0], "Contact ID": f"E{i:02}", "Email": f"person{i}@@example"} for i in range(30)]
    write_export(tmp_path / "export", {"contacts": [*warnings, *errors]})
    report = tmp_path / "r.json"
    code, out, _ = run_cli(capsys, "validate", str(tmp_path / "export"), "--json", str(report))
    summary = json.loads(report.read_text(encoding="utf-8"))["summary"]
    assert code == 0 and summary["error"] == 30 and summary["warning"] >= 5
    lines = listed(out)
    assert len(lines) == 21
    # The first twenty errors, in row order (the warnings are on rows 2 to 6, the errors from row 7).
    assert [line.split(":", 2)[:2] for line in lines[:20]] == [
        ["contacts.csv", str(row)] for row in range(7, 27)
    ]
    assert all(line.endswith("  [error invalid-email]") for line in lines[:20])
    more = summary["blocker"] + summary["error"] + summary["warning"] - 20
    assert lines[20] == f"… and {more:,} more; --json/--html/--xlsx for all"


def test_quiet_lists_no_problems(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _mixed_export(tmp_path / "export")
    code, out, _ = run_cli(capsys, "validate", str(folder), "--quiet")
    assert code == 1
    assert "Problems: 1 blocker" in out
    assert "\n\n" not in out and "[blocker missing-column]" not in out


def test_privacy_masks_the_problems_listed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _mixed_export(tmp_path / "export")
    code, out, _ = run_cli(capsys, "validate", str(folder), "--privacy")
    assert code == 1
    lines = listed(out)
    assert "maria@@example" not in out and "555-01" not in out
    assert "contacts.csv:4: Email: “m•••••” is not a valid e-mail address" in lines[1]
    assert lines[2] == "contacts.csv:5: Phone: “•••••” does not look like a complete phone number.  " \
        "[warning invalid-phone]"  # fmt: skip
    # Where the problem is stays visible: column names are not client data.
    assert lines[0].startswith("users.csv: Name: This users file has no “Name” column")


def test_a_problem_stays_on_one_line() -> None:
    from migration_assistant.cli.common import problem_line
    from migration_assistant.core.findings import Finding, Severity

    finding = Finding(
        rule="invalid-email",
        severity=Severity.ERROR,
        entity="contacts",
        file="Clients.xlsx",
        sheet="All",
        row=7,
        column=None,
        value="a\nb",
        message="“a\nb” is not\u2028an address.",
        hint="",
    )
    assert problem_line(finding) == "Clients.xlsx[All]:7: “a b” is not an address.  [error invalid-email]"


def test_the_commands_share_only_public_names() -> None:
    """One module per command; what they share is public (no ``from .x import _name``)."""
    import ast

    folder = Path(main.__code__.co_filename).parent
    assert {p.stem for p in folder.glob("*.py")} >= {
        "validate",
        "sources",
        "rules",
        "package",
        "verify",
        "gui",
    }
    private = [
        (path.name, alias.name)
        for path in sorted(folder.glob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ImportFrom)
        and (node.level or (node.module or "").startswith("migration_assistant"))
        for alias in node.names
        if alias.name.startswith("_") and alias.name != "__version__"
    ]
    assert private == []
