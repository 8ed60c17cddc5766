"""Verify can hand back small files in memory (for "Open a package"), and handoff reads them back as data."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import tarfile
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyrage
import pytest

from migration_assistant.core.checklist import Checklist, ChecklistItem
from migration_assistant.core.findings import Severity
from migration_assistant.core.handoff import (
    BALANCES_FILE,
    CHECKLIST_FILE,
    CONTENT_FILES,
    FINDINGS_FILE,
    read_contents,
)
from migration_assistant.core.package import PayloadEntry, keystore, verify_package, write_package
from migration_assistant.core.package import verify as verify_module
from migration_assistant.core.package.bag import write_bag

BAG_INFO = {"Source-Organization": "Fictional & Partners LLP", "Contact-Email": "it@fictional.example"}

FINDINGS = {
    "tool": {"name": "migration-assistant", "version": "test"},
    "source": "template",
    "files": [],
    "summary": {"blocker": 0, "error": 1, "warning": 0, "info": 0},
    "findings": [
        {
            "rule": "email-syntax",
            "severity": "error",
            "entity": "contacts",
            "file": "contacts.csv",
            "sheet": None,
            "row": 2,
            "column": "Email",
            "value": "ada@example",
            "message": "“ada@example” is not a valid e-mail address.",
            "hint": "Correct the address.",
        }
    ],
}
BALANCES = (
    "Matter Number,Client ID,Trust Balance,Accounts Receivable,Unbilled Work\r\n"
    "M-001,C001,1200.50,300.00,0.00\r\n"
    "M-002,C002,0.00,45.25,150.00\r\n"
)


def checklist_json() -> bytes:
    checklist = Checklist(
        source="template",
        items=[
            ChecklistItem("source:custom", "Custom fields travel as notes", "why", "instead", "source"),
            ChecklistItem("blocker:x", "2 blocking problems remain", "why", "instead", "finding", 2, True),
        ],
    )
    checklist.acknowledge("source:custom", "Jane Partner", dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.UTC))
    return json.dumps(checklist.to_json()).encode()


def payload() -> list[PayloadEntry]:
    return [
        PayloadEntry.from_bytes("originals/contacts.csv", b"Contact ID,Email\nC001,ada@example\n"),
        PayloadEntry.from_bytes("findings/findings.json", json.dumps(FINDINGS).encode()),
        PayloadEntry.from_bytes("checklist.json", checklist_json()),
        PayloadEntry.from_bytes("balances.csv", BALANCES.encode()),
    ]


@pytest.fixture(autouse=True)
def system_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Nothing, and certainly no plaintext, may land in the system temp folder."""
    temp = tmp_path / "system-temp"
    temp.mkdir()
    for name in ("TMPDIR", "TEMP", "TMP"):
        monkeypatch.setenv(name, str(temp))
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    keystore.clear_session_secrets()
    yield temp
    keystore.clear_session_secrets()
    assert list(temp.iterdir()) == []


@pytest.fixture
def specialist() -> Any:
    return pyrage.x25519.Identity.generate()


@pytest.fixture
def package(tmp_path: Path, specialist: Any) -> Path:
    return write_package(
        payload(), BAG_INFO, tmp_path / "package.age", recipients=[str(specialist.to_public())]
    ).path


def test_capture_hands_back_the_named_files_and_nothing_else(package: Path, specialist: Any) -> None:
    result = verify_package(package, identity=specialist, capture=[*CONTENT_FILES, "bag-info.txt"])
    assert result.ok, result.summary()
    assert set(result.captured) == {FINDINGS_FILE, CHECKLIST_FILE, BALANCES_FILE, "bag-info.txt"}
    assert result.captured[BALANCES_FILE] == BALANCES.encode()
    assert json.loads(result.captured[FINDINGS_FILE]) == FINDINGS
    assert b"Source-Organization: Fictional & Partners LLP" in result.captured["bag-info.txt"]
    assert "data/originals/contacts.csv" not in result.captured  # only what was asked for


def test_without_capture_nothing_is_kept(package: Path, specialist: Any) -> None:
    assert verify_package(package, identity=specialist).captured == {}


def test_a_file_over_the_cap_is_left_out_not_cut_short(
    package: Path, specialist: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(verify_module, "CAPTURE_LIMIT", len(BALANCES) + 1)
    result = verify_package(package, identity=specialist, capture=CONTENT_FILES)
    assert result.ok
    assert set(result.captured) == {BALANCES_FILE}  # the JSON files are larger than the cap


def test_nothing_is_captured_from_a_package_that_cannot_be_opened(package: Path) -> None:
    result = verify_package(package, identity=pyrage.x25519.Identity.generate(), capture=CONTENT_FILES)
    assert not result.ok and result.captured == {}


def test_an_altered_file_is_never_handed_back(tmp_path: Path, specialist: Any) -> None:
    """A bag whose checklist no longer matches its manifest: the checklist is not captured, the rest is."""
    plain = io.BytesIO()
    for _ in write_bag(plain, payload(), BAG_INFO):
        pass
    rebuilt = io.BytesIO()
    with (
        tarfile.open(fileobj=io.BytesIO(plain.getvalue())) as source,
        tarfile.open(fileobj=rebuilt, mode="w", format=tarfile.PAX_FORMAT) as target,
    ):
        for member in source:
            stream = source.extractfile(member) if member.isfile() else None
            body = stream.read() if stream is not None else b""
            if member.name.endswith("data/checklist.json"):
                body = body.replace(b"Jane Partner", b"Someone Else")
            member.size = len(body)
            target.addfile(member, io.BytesIO(body) if member.isfile() else None)
    forged = tmp_path / "forged.age"
    forged.write_bytes(pyrage.encrypt(rebuilt.getvalue(), [specialist.to_public()]))

    result = verify_package(forged, identity=specialist, capture=CONTENT_FILES)

    assert not result.ok
    assert any(p.path == CHECKLIST_FILE for p in result.problems)
    assert set(result.captured) == {FINDINGS_FILE, BALANCES_FILE}
    digest = hashlib.sha256(result.captured[BALANCES_FILE]).hexdigest()
    assert digest == hashlib.sha256(BALANCES.encode()).hexdigest()


def test_read_contents_turns_the_files_into_data(package: Path, specialist: Any) -> None:
    result = verify_package(package, identity=specialist, capture=CONTENT_FILES)
    contents = read_contents(result.captured)
    assert contents.unreadable == ()
    assert contents.source == "template"
    assert contents.summary["error"] == 1
    assert contents.findings is not None
    (finding,) = contents.findings
    assert (finding.severity, finding.file, finding.row, finding.column) == (
        Severity.ERROR,
        "contacts.csv",
        2,
        "Email",
    )
    assert contents.checklist is not None
    signed = {i.id: (i.acknowledged_by, i.acknowledged_at) for i in contents.checklist.items}
    assert signed["source:custom"] == ("Jane Partner", "2026-11-20T09:30:00+00:00")
    assert signed["blocker:x"] == ("", "")
    assert contents.balances is not None and [b.matter for b in contents.balances] == ["M-001", "M-002"]
    assert contents.balance_totals() == (1200.5, 345.25, 150.0)


def test_read_contents_names_what_it_cannot_show() -> None:
    contents = read_contents({FINDINGS_FILE: b"{not json", BALANCES_FILE: b"a,b\n1,2\n"})
    assert contents.findings is None and contents.checklist is None and contents.balances is None
    text = " ".join(contents.unreadable)
    assert "The findings could not be read" in text
    assert "The limitations checklist cannot be shown here" in text
    assert "extract the package" in text
    assert len(contents.unreadable) == 3
