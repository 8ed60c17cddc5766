"""The user's mapping corrections, remembered per source system and reused next time.

Stored as JSON under the user data folder (``mappings/<source>.json``) with a schema
version; the same shape is what ``validate --mapping FILE`` reads, so a specialist
can save a mapping from the wizard and script it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from migration_assistant.core import paths
from migration_assistant.core.atomic import write_text
from migration_assistant.core.schema import entities

SCHEMA_VERSION = 1


class MappingFileError(Exception):
    """A mapping file that cannot be used (plain message naming the file)."""


@dataclass(slots=True)
class SavedMapping:
    source: str
    columns: dict[str, dict[str, str]] = field(default_factory=dict)
    """entity -> canonical title -> source label ("" = deliberately left unmapped)."""
    roles: dict[str, str] = field(default_factory=dict)
    """table key (file, or file#sheet) -> entity."""

    def to_json(self) -> dict[str, Any]:
        return {
            "schema_version": SCHEMA_VERSION,
            "source": self.source,
            "columns": self.columns,
            "roles": self.roles,
        }

    def remember(self, entity: str, title: str, label: str) -> None:
        self.columns.setdefault(entity, {})[title] = label


def _validate(raw: object, where: str) -> SavedMapping:
    if not isinstance(raw, dict):
        raise MappingFileError(f"{where} is not a mapping file (expected a JSON object).")
    version = raw.get("schema_version", SCHEMA_VERSION)
    if not isinstance(version, int) or version > SCHEMA_VERSION:
        raise MappingFileError(f"{where} was saved by a newer version of the app (schema {version}).")
    columns = raw.get("columns", {})
    if not isinstance(columns, dict):
        raise MappingFileError(f"{where}: “columns” must map entities to columns.")
    known = entities()
    for entity, titles in columns.items():
        if entity not in known:
            raise MappingFileError(f"{where}: “{entity}” is not a kind of record ({', '.join(known)}).")
        if not isinstance(titles, dict) or not all(isinstance(v, str) for v in titles.values()):
            raise MappingFileError(f"{where}: columns/{entity} must map field names to column headings.")
        for title in titles:
            if title not in known[entity].titles:
                raise MappingFileError(f"{where}: “{title}” is not a field of {entity}.")
    roles = raw.get("roles", {})
    if not isinstance(roles, dict) or any(v not in known for v in roles.values()):
        raise MappingFileError(f"{where}: “roles” must map file names to kinds of record.")
    return SavedMapping(source=str(raw.get("source", "")), columns=columns, roles=roles)


def load_mapping_file(path: Path) -> SavedMapping:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise MappingFileError(f"mapping file {path} does not exist") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise MappingFileError(f"mapping file {path} could not be read: {exc}") from exc
    return _validate(raw, f"mapping file {path.name}")


def _store_path(source: str) -> Path:
    return paths.data_dir() / "mappings" / f"{source}.json"


def load_saved(source: str) -> SavedMapping:
    """The corrections saved for *source*, or an empty mapping (a damaged file is ignored, not fatal)."""
    path = _store_path(source)
    if not path.exists():
        return SavedMapping(source)
    try:
        return load_mapping_file(path)
    except MappingFileError:
        return SavedMapping(source)


def save(mapping: SavedMapping, path: Path | None = None) -> Path:
    target = path or _store_path(mapping.source)
    write_text(target, json.dumps(mapping.to_json(), indent=2, ensure_ascii=False) + "\n")
    return target
