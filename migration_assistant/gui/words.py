"""Plain words for what the engine names with codes (entities, severities, sources).

Everything a non-technical user reads about a code goes through here, so the same
thing is called the same everywhere.
"""

from __future__ import annotations

from migration_assistant.core.api import code_title, entities
from migration_assistant.core.findings import Severity

# The severity's look is defined once, in core, and read by both reports too; these tables
# keep the pages' imports short.
SEVERITY_WORDS = {s: s.word for s in Severity}
"""What each severity is called on screen (``info`` reads as "Note" for the firm)."""

SEVERITY_MARKS = {s: s.mark for s in Severity}
"""A shape per severity, so severity is never told by colour alone."""

SEVERITY_COLOURS = {s: s.colour for s in Severity}


def severity_text(severity: Severity) -> str:
    """The severity with its shape, e.g. "▲ Error"."""
    return severity.text


def entity_title(name: str | None) -> str:
    """ "activities" -> "Time and expenses"; None -> "Not recognised"."""
    if not name:
        return "Not recognised"
    entity = entities().get(name)
    return entity.title if entity else name.replace("_", " ").capitalize()


def entity_names() -> list[str]:
    """The canonical entities in their usual order."""
    return list(entities())


def plural(count: int, one: str, many: str | None = None) -> str:
    """ "1 file", "3 files"."""
    return f"{count:,} {one if count == 1 else (many or one + 's')}"


def rule_title(code: str) -> str:
    """The plain title of a finding code, from the catalogue (the reports use the same)."""
    return code_title(code)
