"""The wizard's state saved between runs, so the user can "Resume where I left off".

Saved as JSON in paths.data_dir()/session.json, written atomically (``core.atomic``: a temporary
file in the same folder, flushed, then renamed over the old one), with a ``schema_version``. The
session holds choices and file fingerprints only: paths, sha256, the source system,
roles and column choices, files left out, ticked export-guide steps, acknowledged
limitations (by item id and a fingerprint of the item's text, because a blocker's text
can quote a cell), the acknowledging person's name, the firm's country and state, the
page, the privacy flag, and the fix log (the fixes the user applied, with each cell's before
and after: the Review page's Undo needs them, and the package seals them). It holds no findings.

Schema versions: 2 added the export-guide ticks, files left out, acknowledgements with
who and when, the acknowledging person and the firm's place. A version 1 session is still
read (those fields start empty); a newer version than this app knows is ignored. 3 added the
fix log (a version 1 or 2 session resumes without fixes). 4 keeps the fix log in a file of its own
beside the session (``fix-log-<id>.json``, the format ``migration-assistant fix --log`` writes), named
by ``fix_log_file``: half a million fixes take seconds to write, so it is written by a thread once
per log (:mod:`migration_assistant.gui.fix_log_saver`), and saving the session on every page change
stays quick. A version 3 session's log, held in the session itself, is still read.
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

SCHEMA_VERSION = 4
READABLE_VERSIONS = (1, 2, 3, 4)
"""Versions this app can load: older ones lack fields that then start empty."""
FILE_NAME = "session.json"
FIX_LOG_PREFIX = "fix-log-"


@dataclass(frozen=True, slots=True)
class SavedFile:
    """One file that was read: where it is and its fingerprint at the time."""

    path: str
    file: str
    sha256: str


@dataclass(frozen=True, slots=True)
class SavedAcknowledgement:
    """One acknowledged checklist item: its id, a fingerprint of its text, who and when.

    The text itself is not saved (a blocker's text may quote client data); an item whose
    text changed since (a different count, another problem) must be acknowledged again.
    """

    id: str
    what_sha256: str
    by: str
    at: str


def text_fingerprint(text: str) -> str:
    """The sha256 of *text* (how an acknowledged item's wording is recognised later)."""
    import hashlib

    return hashlib.sha256(text.encode("utf-8")).hexdigest()


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
    """Ids of the acknowledged checklist items (the details are in :attr:`acknowledgements`)."""
    current_page: int = 0
    privacy: bool = False
    saved_at: str = ""
    schema_version: int = SCHEMA_VERSION
    guide_done: dict[str, list[str]] = field(default_factory=dict)
    """Source system id -> titles of the export-guide steps the user ticked."""
    left_out: list[str] = field(default_factory=list)
    """Table keys (file, or file#sheet) the user left out of the check."""
    acknowledgements: list[SavedAcknowledgement] = field(default_factory=list)
    acknowledged_by: str = ""
    """The name typed on the limitations page."""
    firm_country: str | None = None
    firm_subdiv: str | None = None
    fix_log: dict[str, Any] | None = None
    """A version 3 session's fix log, held in the session (``FixLog.to_json``); None since version 4."""
    fix_log_file: str = ""
    """The file beside the session that holds the fix log ("" when no fix was applied)."""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> Session:
        version = raw.get("schema_version")
        if version not in READABLE_VERSIONS:
            raise ValueError(f"session schema_version {version!r} is not one of {READABLE_VERSIONS}")
        country = raw.get("firm_country")
        subdiv = raw.get("firm_subdiv")
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
            guide_done={
                str(k): [str(t) for t in v]
                for k, v in raw.get("guide_done", {}).items()
                if isinstance(v, list)
            },
            left_out=[str(k) for k in raw.get("left_out", [])],
            acknowledgements=[
                SavedAcknowledgement(str(a["id"]), str(a["what_sha256"]), str(a["by"]), str(a["at"]))
                for a in raw.get("acknowledgements", [])
            ],
            acknowledged_by=str(raw.get("acknowledged_by", "")),
            firm_country=str(country) if country else None,
            firm_subdiv=str(subdiv) if subdiv else None,
            fix_log=raw["fix_log"] if isinstance(raw.get("fix_log"), dict) else None,
            fix_log_file=_fix_log_name(raw.get("fix_log_file")),
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
    if path is None:
        discard_fix_logs(keep="")


def _fix_log_name(value: object) -> str:
    """A saved fix log's file name, only as this app writes them (never a path elsewhere)."""
    if isinstance(value, str) and value.startswith(FIX_LOG_PREFIX) and Path(value).name == value:
        return value
    return ""


def fix_log_path(name: str) -> Path:
    return paths.data_dir() / name


def new_fix_log_name() -> str:
    import uuid

    return f"{FIX_LOG_PREFIX}{uuid.uuid4().hex[:12]}.json"


def discard_fix_logs(keep: str) -> None:
    """Delete the fix logs beside the session except *keep* (earlier logs the session no longer names)."""
    try:
        found = list(paths.data_dir().glob(f"{FIX_LOG_PREFIX}*.json"))
    except OSError:
        return
    for old in found:
        if old.name != keep:
            with contextlib.suppress(OSError):
                old.unlink()
