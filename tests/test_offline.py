"""DESIGN.md's offline bar: checking, reporting, packaging and verifying open no socket at all."""

from __future__ import annotations

import socket
from pathlib import Path

import pyrage
import pytest

from migration_assistant.cli import main
from migration_assistant.core.resources import sample_export_dir


def test_the_whole_cli_journey_opens_no_socket(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if not sample_export_dir().exists():
        pytest.skip("the bundled sample export is missing")
    opened: list[tuple[object, ...]] = []
    original = socket.socket.__init__

    def recording_init(self: socket.socket, *args: object, **kwargs: object) -> None:
        opened.append(args)
        original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "__init__", recording_init)
    identity = pyrage.x25519.Identity.generate()
    key = tmp_path / "specialist.key"
    key.write_text(str(identity) + "\n", encoding="utf-8")
    package = tmp_path / "package.age"
    assert main(["validate", "--sample", "--quiet", "--json", str(tmp_path / "f.json"),
                 "--html", str(tmp_path / "r.html"), "--xlsx", str(tmp_path / "r.xlsx")]) == 0  # fmt: skip
    assert main(["package", "--sample", "--source", "auto", "--out", str(package), "--quiet",
                 "--recipient", str(identity.to_public()), "--acknowledge", "Test Person"]) == 0  # fmt: skip
    assert main(["verify", str(package), "--identity", str(key), "--quiet"]) == 0
    assert opened == [], f"sockets were created: {opened}"
