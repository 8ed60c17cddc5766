"""The ``fix`` command and ``validate``/``package --fixes``: fixed copies beside untouched originals."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pyrage
import pytest

from migration_assistant.cli import main
from migration_assistant.core.api import iter_verify_package, run_to_end, sample_export_dir
from tests.helpers import CONTACTS, base_export

SIGNER = "Pat Example"


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def one_line_error(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


def hashes(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    """A copy of the sample export (the tests must be able to see that nothing touches it)."""
    return Path(shutil.copytree(sample_export_dir(), tmp_path / "export"))


def test_fix_writes_copies_and_a_log_and_leaves_the_originals(
    sample: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = hashes(sample)
    out = tmp_path / "fixed"
    code, stdout, err = run_cli(capsys, "fix", str(sample), "--out", str(out), "--quiet")
    assert code == 0, err
    assert hashes(sample) == before
    assert "Fixed: 4 cells, resolving 4 findings" in stdout
    log = json.loads((out / "fix-log.json").read_text(encoding="utf-8"))
    assert log["counts"] == {"restore-leading-zeros": 1, "repair-mojibake": 2, "inert-formula": 1}
    # The rewritten files are UTF-8 with the original delimiter; the others are copied byte for byte.
    clients = (out / "Client list.csv").read_bytes()
    assert (
        clients.startswith(b"\xef\xbb\xbf") and "José".encode() in clients and "JosÃ©".encode() not in clients
    )
    assert (out / "Staff.csv").read_bytes() == (sample / "Staff.csv").read_bytes()
    # Checking the fixed copies finds none of the fixed problems.
    code, stdout, _ = run_cli(capsys, "validate", str(out), "--json", str(tmp_path / "f.json"), "--quiet")
    rules = {f["rule"] for f in json.loads((tmp_path / "f.json").read_text(encoding="utf-8"))["findings"]}
    assert not rules & {"mojibake", "leading-zeros", "formula-injection"}
    assert {"foreign-key", "trust-overdraft", "amount-mismatch", "possible-duplicate"} <= rules


def test_dry_run_writes_nothing_and_only_limits_the_fixes(
    sample: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "fixed"
    code, stdout, _ = run_cli(
        capsys, "fix", str(sample), "--out", str(out), "--dry-run", "--only", "repair-mojibake"
    )
    assert code == 0 and not out.exists()
    assert "Fixed: 2 cells, resolving 2 findings" in stdout
    assert "“JosÃ©” → “José”  [repair-mojibake]" in stdout
    assert "restore-leading-zeros" not in stdout


@pytest.mark.parametrize("where", ["input", "inside", "holder", "not-empty"])
def test_fix_refuses_a_folder_that_mixes_copies_with_originals(
    sample: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], where: str
) -> None:
    before = hashes(tmp_path / "export")
    out = {
        "input": sample / "Staff.csv",
        "inside": sample / "fixed",
        "holder": tmp_path,
        "not-empty": tmp_path / "busy",
    }[where]
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "x.txt").write_text("x", encoding="utf-8")
    code, _, err = run_cli(capsys, "fix", str(sample), "--out", str(out), "--quiet")
    assert code == 2
    assert one_line_error(err).startswith("migration-assistant: ")
    assert hashes(tmp_path / "export") == before
    assert not (sample / "fixed").exists()


def test_fix_explains_an_unknown_code(
    sample: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run_cli(capsys, "fix", str(sample), "--dry-run", "--only", "make-it-right")
    assert code == 2 and "no fix called make-it-right" in one_line_error(err)


def test_fix_list_names_every_fix(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "fix", "--list")
    assert code == 0
    for name in ("repair-mojibake", "date-iso", "restore-leading-zeros", "plain-money", "phone-e164",
                 "clean-email", "split-last-first", "yes-no", "inert-formula", "inert-excel-error"):  # fmt: skip
        assert f"{name}:" in out


def test_validate_with_a_log_reports_what_was_fixed_and_refuses_a_stale_log(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = base_export(
        tmp_path / "x", contacts=[*CONTACTS, {"Contact ID": "C3", "First Name": "JosÃ©", "Last Name": "Li"}]
    )
    log = tmp_path / "log.json"
    code, _, err = run_cli(capsys, "fix", str(folder), "--dry-run", "--quiet", "--log", str(log))
    assert code == 0 and not log.exists()  # a dry run writes nothing at all
    code, _, err = run_cli(
        capsys, "fix", str(folder), "--out", str(tmp_path / "o"), "--log", str(log), "--quiet"
    )
    assert code == 0 and log.exists() and not (tmp_path / "o" / "fix-log.json").exists()
    report = tmp_path / "r.json"
    code, out, _ = run_cli(
        capsys, "validate", str(folder), "--fixes", str(log), "--json", str(report), "--quiet"
    )
    assert code == 0 and "Fixed: 1 cells, resolving 1 findings" in out
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["fixes"] == {"cells_changed": 1, "findings_fixed": 1}
    assert [f["rule"] for f in data["fixed"]] == ["mojibake"]
    assert not [f for f in data["findings"] if f["rule"] == "mojibake"]
    # The same check without a log says nothing about fixes (the contract is unchanged).
    run_cli(capsys, "validate", str(folder), "--json", str(report), "--quiet")
    assert "fixed" not in json.loads(report.read_text(encoding="utf-8"))
    contacts = folder / "contacts.csv"
    contacts.write_bytes(contacts.read_bytes().replace("JosÃ©".encode(), b"Joe"))
    code, _, err = run_cli(capsys, "validate", str(folder), "--fixes", str(log), "--quiet")
    assert code == 2
    assert "contacts.csv, row 4, “First Name” no longer holds what the fix log recorded" in one_line_error(
        err
    )
    (tmp_path / "bad.json").write_text("{}", encoding="utf-8")
    code, _, err = run_cli(capsys, "validate", str(folder), "--fixes", str(tmp_path / "bad.json"), "--quiet")
    assert code == 2 and "the fix log cannot be used" in one_line_error(err)


def test_package_with_a_log_seals_it_beside_the_untouched_originals(
    sample: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = hashes(sample)
    log = tmp_path / "log.json"
    assert (
        run_cli(capsys, "fix", str(sample), "--out", str(tmp_path / "o"), "--log", str(log), "--quiet")[0]
        == 0
    )
    identity = pyrage.x25519.Identity.generate()
    package = tmp_path / "p.age"
    code, _, err = run_cli(
        capsys, "package", str(sample), "--source", "auto", "--out", str(package), "--recipient",
        str(identity.to_public()), "--acknowledge", SIGNER, "--no-firm-key", "--quiet", "--fixes", str(log),
    )  # fmt: skip
    assert code == 0, err
    assert hashes(sample) == before
    opened = tmp_path / "opened"
    assert run_to_end(iter_verify_package(package, identity=identity, extract_to=opened)).ok
    (bag,) = [p for p in opened.iterdir() if p.is_dir()]
    data = bag / "data"
    for name, digest in before.items():
        assert hashlib.sha256((data / "originals" / name).read_bytes()).hexdigest() == digest
    sealed = json.loads((data / "fixes" / "fix-log.json").read_text(encoding="utf-8"))
    assert sealed["applied_by"] == SIGNER and len(sealed["entries"]) == 4
    contacts = (data / "normalised" / "contacts.csv").read_text(encoding="utf-8")
    assert "José" in contacts and "JosÃ©" not in contacts
    assert "000123" in (data / "normalised" / "activities.csv").read_text(encoding="utf-8")
    checklist = json.loads((data / "checklist.json").read_text(encoding="utf-8"))
    (item,) = [i for i in checklist["items"] if i["id"] == "fixes:applied"]
    assert item["acknowledged_by"] == SIGNER and item["count"] == 4
    html = (data / "findings" / "report.html").read_text(encoding="utf-8")
    assert "Fixed for you" in html and "José" in html and f"applied by {SIGNER}" in html
    findings = json.loads((data / "findings" / "findings.json").read_text(encoding="utf-8"))
    assert {f["rule"] for f in findings["fixed"]} == {"mojibake", "leading-zeros", "formula-injection"}
    assert "Fixes-Applied: 4 cells" in (bag / "bag-info.txt").read_text(encoding="utf-8")


def test_reports_show_fixed_for_you_and_mask_it_in_privacy_mode(
    sample: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import openpyxl

    log = tmp_path / "log.json"
    run_cli(capsys, "fix", str(sample), "--out", str(tmp_path / "o"), "--log", str(log), "--quiet")
    for privacy in (False, True):
        html, xlsx = tmp_path / f"r{privacy}.html", tmp_path / f"r{privacy}.xlsx"
        argv = [
            "validate",
            str(sample),
            "--fixes",
            str(log),
            "--html",
            str(html),
            "--xlsx",
            str(xlsx),
            "--quiet",
        ]
        run_cli(capsys, *argv, *(["--privacy"] if privacy else []))
        page = html.read_text(encoding="utf-8")
        assert "Fixed for you" in page
        assert ("JosÃ©" in page) is not privacy
        book = openpyxl.load_workbook(xlsx)
        sheet = book["Fixed for you"]
        rows = [[c.value for c in r] for r in sheet.iter_rows(min_row=2)]
        assert len(rows) == 4
        befores = {r[6] for r in rows}
        assert ("JosÃ©" in befores) is not privacy
        clients = book["Client list"]
        marked = [
            c for r in clients.iter_rows() for c in r if c.comment and "FIXED FOR YOU" in c.comment.text
        ]
        assert len(marked) == 2 and all(c.fill.fgColor.rgb.endswith("C6EFCE") for c in marked)
        assert all(("Ã" in c.comment.text) is not privacy for c in marked)


def test_a_rewritten_copy_keeps_the_original_rows_so_the_log_points_at_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import csv

    folder = base_export(tmp_path / "export")
    contacts = folder / "contacts.csv"
    heading, *records = contacts.read_text(encoding="utf-8").splitlines()
    # A title and a blank line above the headings, a blank line between records, a garbled name.
    records[1] = records[1].replace("Acme Holdings Inc.", "AcmÃ© Holdings Inc.")
    contacts.write_text(
        "\r\n".join(["Contacts exported 2026-11-30", "", heading, records[0], "", records[1]]) + "\r\n",
        encoding="utf-8",
    )
    out = tmp_path / "fixed"
    code, _stdout, err = run_cli(capsys, "fix", str(folder), "--out", str(out), "--quiet")
    assert code == 0, err
    log = json.loads((out / "fix-log.json").read_text(encoding="utf-8"))
    (entry,) = [e for e in log["entries"] if e["file"] == "contacts.csv"]
    assert (entry["row"], entry["after"]) == (6, "Acmé Holdings Inc.")
    with (out / "contacts.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["Contacts exported 2026-11-30"] and not any(rows[1])
    assert rows[2] == heading.split(",") and rows[3][0] == "C1" and not any(rows[4])
    copied = dict(zip(rows[2], rows[entry["row"] - 1], strict=True))
    assert copied["Contact ID"] == "C2" and copied[entry["column"]] == "Acmé Holdings Inc."
