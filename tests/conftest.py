"""Test isolation: offscreen Qt, app directories under tmp, an in-memory keyring, no network."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.backend
import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SHARED = Path(__file__).resolve().parents[2] / "shared"
CONFORMANCE = SHARED / "conformance"


class MemoryKeyring(keyring.backend.KeyringBackend):
    """Keeps secrets in a dict so tests never reach the real OS keyring."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.store.pop((service, username), None)


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Every test gets its own platformdirs root and an empty in-memory keyring."""
    home = tmp_path / "app-home"
    monkeypatch.setenv("MIGRATION_ASSISTANT_HOME", str(home))
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    yield home
    keyring.set_keyring(previous)


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """The app is offline: any attempt to open an internet socket fails the test."""

    def guarded_connect(self: socket.socket, address: object) -> None:
        if self.family in (socket.AF_INET, socket.AF_INET6):
            raise AssertionError(f"the app tried to open a network connection to {address!r}")
        return original_connect(self, address)  # type: ignore[arg-type]

    original_connect = socket.socket.connect
    monkeypatch.setattr(socket.socket, "connect", guarded_connect)


def shared_path(*parts: str) -> Path:
    """A file or folder of ../shared (the conformance corpus, DOMAIN.md), when it is there.

    Locally a clone without ../shared skips the tests that need it, with the reason. In CI
    (``CI=true``) the folder is part of the set-up, so its absence fails them loudly: a silent
    skip there would let the corpus tests stop running unnoticed.
    """
    path = SHARED.joinpath(*parts)
    if not path.exists():
        reason = f"{path} not found (the ../shared folder is absent in this clone)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; CI must provide it", pytrace=False)
        pytest.skip(reason)
    return path


def conformance_dir(*parts: str) -> Path:
    """A folder of the shared conformance corpus (see :func:`shared_path`)."""
    return shared_path("conformance", *parts)
