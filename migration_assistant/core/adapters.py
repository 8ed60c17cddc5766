"""Source-system adapter profiles: data files, validated against a JSON Schema on load.

Profiles ship in ``adapters/``; a specialist can drop more (or a corrected one, by
the same ``id``) into the user data folder's ``adapters/`` without a new release.
Those user profiles are checked against the schema every time they are loaded; the
bundled ones are part of the release and checked by its test suite, so a run does not
pay for checking them again (importing jsonschema and checking 17 files cost about a
tenth of a second, each time the command line starts).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from migration_assistant.core import paths
from migration_assistant.core.resources import resource_path
from migration_assistant.core.schema import entities

if TYPE_CHECKING:
    import jsonschema


class ProfileError(Exception):
    """A profile that cannot be used; the message names the file and the field."""


@dataclass(frozen=True, slots=True)
class ExportStep:
    entity: str
    what: str
    how: str
    format: str
    file_names: tuple[str, ...] = ()
    required: bool = True


@dataclass(frozen=True, slots=True)
class Limitation:
    id: str
    what: str
    why: str
    instead: str
    source: str = ""


@dataclass(frozen=True, slots=True)
class GuideStep:
    title: str
    text: str
    entity: str | None = None


@dataclass(frozen=True, slots=True)
class FileSignature:
    """One export file of a system, known by its headings (``detection.files`` in a profile)."""

    entity: str
    headers: tuple[str, ...]
    min_hits: int
    """How many of *headers* a table must have to be this file."""
    also: tuple[str, ...] = ()
    """Other entities the same file holds (PCLaw's client/matter list also holds the clients)."""


@dataclass(frozen=True, slots=True)
class ValuePattern:
    """Most values of one column match *regex* in this system's exports (Tabs3's client.matter IDs)."""

    entity: str
    title: str
    regex: re.Pattern[str]


@dataclass(frozen=True, slots=True)
class Detection:
    """What tells this system's export apart from others' (the ``detection`` block of a profile)."""

    signature_headers: tuple[str, ...] = ()
    """Headings only this system writes, in any of its files."""
    formats: tuple[str, ...] = ()
    file_names: tuple[str, ...] = ()
    """Glob patterns of file names: weak evidence, only ever a tie-breaker."""
    files: tuple[FileSignature, ...] = ()
    value_patterns: tuple[ValuePattern, ...] = ()


@dataclass(frozen=True, slots=True)
class Profile:
    id: str
    name: str
    summary: str
    kind: str
    date_order: str
    strict_headers: bool
    exports: tuple[ExportStep, ...]
    columns: dict[str, dict[str, tuple[str, ...]]]
    values: dict[str, dict[str, str]]
    transforms: tuple[dict[str, Any], ...]
    limitations: tuple[Limitation, ...]
    guide: tuple[GuideStep, ...]
    detection: Detection = Detection()
    vendor: str = ""
    origin: str = ""
    sources: tuple[str, ...] = field(default=())
    unused: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """entity -> headings the system writes that no canonical field takes (never matched)."""

    def synonyms(self, entity: str) -> dict[str, tuple[str, ...]]:
        """Canonical title -> accepted source headers (the canonical title always included)."""
        declared = self.columns.get(entity, {})
        out: dict[str, tuple[str, ...]] = {}
        for f in entities()[entity].fields:
            names = declared.get(f.title, ())
            out[f.title] = names if self.strict_headers else (f.title, *names)
        return out

    def value_map(self, entity: str, title: str) -> dict[str, str]:
        return self.values.get(f"{entity}.{title}", {})


@cache
def _validator() -> jsonschema.Draft202012Validator:
    import jsonschema

    with resource_path("resources", "schema", "adapter-profile.schema.json").open(encoding="utf-8") as fh:
        return jsonschema.Draft202012Validator(json.load(fh))


def _where(error: jsonschema.ValidationError) -> str:
    return "/".join(str(p) for p in error.absolute_path) or "(top level)"


def load_profile(path: Path, *, check_schema: bool = True) -> Profile:
    """Read and validate one profile file (*check_schema* False: a bundled one, see the module).

    Raises:
        ProfileError: unreadable JSON, or a field that breaks the profile schema, naming both.
    """
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ProfileError(f"Adapter profile {path.name} could not be read: {exc}") from exc
    except json.JSONDecodeError as exc:
        raise ProfileError(
            f"Adapter profile {path.name} is not valid JSON (line {exc.lineno}): {exc.msg}"
        ) from exc
    errors = (
        sorted(_validator().iter_errors(raw), key=lambda e: list(e.absolute_path)) if check_schema else []
    )
    if errors:
        first = errors[0]
        more = f" (and {len(errors) - 1} more problems)" if len(errors) > 1 else ""
        raise ProfileError(f"Adapter profile {path.name}, field {_where(first)}: {first.message}{more}")
    known = entities()
    for entity, mapping in raw.get("columns", {}).items():
        titles = set(known[entity].titles)
        for title in mapping:
            if title not in titles:
                raise ProfileError(
                    f"Adapter profile {path.name}, field columns/{entity}/{title}: "
                    f"“{title}” is not a field of {entity} (fields: {', '.join(sorted(titles))})"
                )
    detection = _detection(raw.get("detection", {}), path)
    return Profile(
        id=raw["id"],
        name=raw["name"],
        summary=raw["summary"],
        kind=raw.get("kind", "practice-management"),
        date_order=raw.get("date_order", "auto"),
        strict_headers=raw.get("strict_headers", False),
        exports=tuple(
            ExportStep(**{**e, "file_names": tuple(e.get("file_names", ()))}) for e in raw["exports"]
        ),
        columns={ent: {t: tuple(v) for t, v in cols.items()} for ent, cols in raw["columns"].items()},
        values=raw.get("values", {}),
        transforms=tuple(raw.get("transforms", ())),
        limitations=tuple(Limitation(**item) for item in raw["limitations"]),
        guide=tuple(GuideStep(**step) for step in raw["guide"]),
        detection=detection,
        vendor=raw.get("vendor", ""),
        origin=str(path),
        sources=tuple(raw.get("sources", ())),
        unused={ent: tuple(v) for ent, v in raw.get("unused_columns", {}).items()},
    )


def _detection(raw: dict[str, Any], path: Path) -> Detection:
    """The ``detection`` block as typed data, its patterns compiled once here.

    Raises:
        ProfileError: a value pattern for a field the entity does not have, or one that is
            not a valid regular expression (the schema cannot tell: it only says "a string").
    """
    files = []
    for item in raw.get("files", ()):
        headers = tuple(item["signature_headers"])
        files.append(
            FileSignature(
                entity=item["entity"],
                headers=headers,
                min_hits=int(item.get("min_hits", min(3, len(headers)))),
                also=tuple(item.get("also", ())),
            )
        )
    known = entities()
    patterns = []
    for key, regex in raw.get("value_patterns", {}).items():
        where = f"Adapter profile {path.name}, field detection/value_patterns/{key}"
        entity, _, title = key.partition(".")
        if entity not in known or title not in known[entity].titles:
            raise ProfileError(f"{where}: “{key}” is not a field (write it as kind-of-record.Field Name)")
        try:
            compiled = re.compile(regex)
        except re.error as exc:
            raise ProfileError(f"{where}: “{regex}” is not a valid regular expression ({exc})") from exc
        patterns.append(ValuePattern(entity, title, compiled))
    return Detection(
        signature_headers=tuple(raw.get("signature_headers", ())),
        formats=tuple(raw.get("formats", ())),
        file_names=tuple(raw.get("file_names", ())),
        files=tuple(files),
        value_patterns=tuple(patterns),
    )


def _profile_files() -> list[tuple[Path, bool]]:
    """Every profile file, and whether it is a user's (checked against the schema on load)."""
    bundled = sorted(resource_path("adapters").glob("*.json"))
    user = sorted(paths.user_adapters_dir().glob("*.json"))
    return [(p, False) for p in bundled] + [(p, True) for p in user]


def load_catalog() -> tuple[dict[str, Profile], list[str]]:
    """All profiles by id (a user profile replaces a bundled one of the same id), and load errors."""
    catalog: dict[str, Profile] = {}
    problems: list[str] = []
    for path, users in _profile_files():
        try:
            profile = load_profile(path, check_schema=users)
        except ProfileError as exc:
            problems.append(str(exc))
            continue
        catalog[profile.id] = profile
    return catalog, problems


def get_profile(source_id: str) -> Profile:
    catalog, problems = load_catalog()
    if source_id in catalog:
        return catalog[source_id]
    hint = f" ({problems[0]})" if problems else ""
    raise ProfileError(f"Unknown source system “{source_id}”. Known: {', '.join(sorted(catalog))}.{hint}")
