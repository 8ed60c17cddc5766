"""The canonical migration schema, read from its Frictionless Table Schema JSON.

The JSON in ``resources/schema/migration-schema.json`` is the single declaration;
this module only gives it typed access.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from migration_assistant.core.resources import resource_path

ENTITY_ORDER = ("users", "contacts", "matters", "activities", "bills", "trust", "calendar", "tasks", "notes")


@lru_cache(maxsize=1 << 16)
def normalise_label(label: str) -> str:
    """Header comparison key: case and surrounding/duplicated spaces ignored.

    Cached: role and source detection compare every heading with every profile's names.
    """
    return re.sub(r"\s+", " ", label.replace("\ufeff", "")).strip().casefold()


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    title: str
    type: str
    required: bool
    unique: bool
    enum: tuple[str, ...]
    minimum: float | None
    money: bool
    description: str

    @property
    def is_date(self) -> bool:
        return self.type in ("date", "datetime")


@dataclass(frozen=True, slots=True)
class ForeignKey:
    field: str
    resource: str
    ref_field: str
    severity: str
    why: str


@dataclass(frozen=True, slots=True)
class Entity:
    name: str
    title: str
    description: str
    fields: tuple[Field, ...]
    primary_key: str
    foreign_keys: tuple[ForeignKey, ...]
    role_words: tuple[str, ...]

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"{self.name} has no field {name!r}")

    @property
    def titles(self) -> tuple[str, ...]:
        return tuple(f.title for f in self.fields)

    def has(self, name: str) -> bool:
        return any(f.name == name for f in self.fields)


def _field(raw: dict[str, Any]) -> Field:
    constraints = raw.get("constraints", {})
    minimum = constraints.get("minimum")
    return Field(
        name=raw["name"],
        title=raw["title"],
        type=raw["type"],
        required=bool(constraints.get("required", False)),
        unique=bool(constraints.get("unique", False)),
        enum=tuple(constraints.get("enum", ())),
        minimum=float(minimum) if minimum is not None else None,
        money=bool(raw.get("x-money", False)),
        description=raw.get("description", ""),
    )


@cache
def raw_descriptor() -> dict[str, Any]:
    """The Data Package descriptor as stored (used for the normalised datapackage.json)."""
    with resource_path("resources", "schema", "migration-schema.json").open(encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return data


@cache
def entities() -> dict[str, Entity]:
    out: dict[str, Entity] = {}
    for res in raw_descriptor()["resources"]:
        schema = res["schema"]
        fks = tuple(
            ForeignKey(
                field=fk["fields"],
                resource=fk["reference"]["resource"],
                ref_field=fk["reference"]["fields"],
                severity=fk.get("x-severity", "error"),
                why=fk.get("x-why", ""),
            )
            for fk in schema.get("foreignKeys", [])
        )
        out[res["name"]] = Entity(
            name=res["name"],
            title=res["title"],
            description=res.get("description", ""),
            fields=tuple(_field(f) for f in schema["fields"]),
            primary_key=schema["primaryKey"],
            foreign_keys=fks,
            role_words=tuple(res.get("x-role-words", ())),
        )
    return {name: out[name] for name in ENTITY_ORDER if name in out}


def entity(name: str) -> Entity:
    try:
        return entities()[name]
    except KeyError:
        raise KeyError(f"unknown entity {name!r}; known: {', '.join(entities())}") from None
