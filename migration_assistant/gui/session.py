"""The wizard's state saved between runs, so the user can "Resume where I left off".

Saved as JSON in paths.data_dir()/session.json, written atomically (``core.atomic``: a temporary
file in the same folder, flushed, then renamed over the old one), with a ``schema_version``. The
session holds choices and file fingerprints only: paths, sha256, the source system,
roles and column choices, acknowledged limitations, the page, the privacy flag. It
holds no findings and no cell values.
"""

from __future__ import annotations

import contextlib
import json
import logging
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from migration_assistant.core import paths
from migration_assistant.core.atomic import write_text

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1
FILE_NAME = "session.json"


@dataclass(frozen=True, slots=True)
class SavedFile:
    """One file that was read: where it is and its fingerprint at the time."""

    path: str
    file: str
    sha256: str


@dataclass(slots=True)
class Session:
    """Everything needed to bring the wizard back to where the user was."""

    source: str | None = None
    inputs: list[str] = field(default_factory=list)
    """Files and folders as the user gave them (absolute paths)."""
    files: list[SavedFile] = field(default_factory=list)
    roles: dict[str, str] = field(default_factory=dict)
    mappings: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)
    acknowledged: list[str] = field(default_factory=list)
    current_page: int = 0
    privacy: bool = False
    saved_at: str = ""
    schema_version: int = SCHEMA_VERSION

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> Session:
        version = raw.get("schema_version")
        if version != SCHEMA_VERSION:
            raise ValueError(f"session schema_version {version!r} is not {SCHEMA_VERSION}")
        return cls(
            source=raw.get("source"),
            inputs=[str(p) for p in raw.get("inputs", [])],
            files=[SavedFile(str(f["path"]), str(f["file"]), str(f["sha256"])) for f in raw.get("files", [])],
            roles={str(k): str(v) for k, v in raw.get("roles", {}).items()},
            mappings=raw.get("mappings", {}),
            acknowledged=[str(a) for a in raw.get("acknowledged", [])],
            current_page=int(raw.get("current_page", 0)),
            privacy=bool(raw.get("privacy", False)),
            saved_at=str(raw.get("saved_at", "")),
        )

    @property
    def saved_when(self) -> str:
        """ "3 June 2025 at 14:20", or "" when unknown."""
        try:
            when = datetime.fromisoformat(self.saved_at)
        except ValueError:
            return ""
        return f"{when.day} {when:%B %Y} at {when:%H:%M}"

    def changed_files(self, current: dict[str, str]) -> list[str]:
        """Display names of saved files whose fingerprint differs in *current* (path -> sha256) or that are gone."""
        out: list[str] = []
        for saved in self.files:
            now = current.get(saved.path)
            if now != saved.sha256 and saved.file not in out:
                out.append(saved.file)
        return out


def session_path() -> Path:
    return paths.data_dir() / FILE_NAME


def save_session(session: Session, path: Path | None = None) -> Path:
    """Write *session* atomically; the previous file stays intact if anything fails."""
    target = path or session_path()
    session.saved_at = datetime.now().isoformat(timespec="seconds")
    session.schema_version = SCHEMA_VERSION
    write_text(target, json.dumps(session.to_json(), indent=2, ensure_ascii=False))
    return target


def load_session(path: Path | None = None) -> Session | None:
    """The saved session, or None when there is none or it cannot be used (logged, not raised)."""
    source = path or session_path()
    try:
        raw = json.loads(source.read_text(encoding="utf-8"))
        return Session.from_json(raw)
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        log.warning("saved session ignored: %s", type(exc).__name__)
        return None


def discard_session(path: Path | None = None) -> None:
    with contextlib.suppress(FileNotFoundError):
        (path or session_path()).unlink()
