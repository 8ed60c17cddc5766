"""Plain words for what the engine names with codes (entities, severities, sources).

Everything a non-technical user reads about a code goes through here, so the same
thing is called the same everywhere.
"""

from __future__ import annotations

from migration_assistant.core.api import entities
from migration_assistant.core.findings import Severity

SEVERITY_WORDS = {
    Severity.BLOCKER: "Blocker",
    Severity.ERROR: "Error",
    Severity.WARNING: "Warning",
    Severity.INFO: "Note",
}
"""What each severity is called on screen (``info`` reads as "Note" for the firm)."""

SEVERITY_MARKS = {
    Severity.BLOCKER: "\u25a0",  # black square
    Severity.ERROR: "\u25b2",  # triangle
    Severity.WARNING: "\u25c6",  # diamond
    Severity.INFO: "\u25cb",  # circle
}
"""A shape per severity, so severity is never told by colour alone."""

SEVERITY_COLOURS = {
    Severity.BLOCKER: "#8b1a1a",
    Severity.ERROR: "#c0392b",
    Severity.WARNING: "#b9770e",
    Severity.INFO: "#2e6da4",
}


def severity_text(severity: Severity) -> str:
    """The severity with its shape, e.g. "▲ Error"."""
    return f"{SEVERITY_MARKS[severity]} {SEVERITY_WORDS[severity]}"


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
    """The plain title of a rule code, falling back to the code in words."""
    from migration_assistant.core.api import REGISTRY

    for rule in REGISTRY:
        if rule.code == code:
            return rule.title[:1].upper() + rule.title[1:]
    extra = {
        "unrecognised-file": "File not recognised",
        "ambiguous-file": "File could be two kinds of record",
        "unmapped-columns": "Columns with no standard place",
        "left-out-file": "File left out at your request",
    }
    return extra.get(code, code.replace("-", " ").capitalize())
