"""The catalogue of finding codes: every code the engine can emit, in plain English.

One entry per code: its title, its default severity (and whether the code is also emitted
at other severities), what it means for the firm and what to do. The registered checks
(:mod:`migration_assistant.core.rules`) give their own title, severity and meaning (the first
paragraph of their docstring); ``resources/finding-codes.json`` adds what to do about them and
describes every other code (those of the file readers, of recognition, and the extra codes
some checks emit). The wizard, both reports and ``migration-assistant rules`` read titles from
here, so a code is called the same everywhere.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from migration_assistant.core.findings import Severity
from migration_assistant.core.resources import resource_path

if TYPE_CHECKING:
    from migration_assistant.core.rules import Rule

CATALOGUE_FILE = ("resources", "finding-codes.json")


@dataclass(frozen=True, slots=True)
class CodeEntry:
    """What one finding code is called, how bad it usually is, what it means and what to do."""

    code: str
    title: str
    severity: Severity
    varies: bool
    """The code is also emitted at other severities (``meaning`` says when)."""
    stage: str
    """Where it is found: "read", "recognise" or "check" (see :data:`STAGES`)."""
    meaning: str
    action: str

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "title": self.title,
            "severity": self.severity.label,
            "severity_varies": self.varies,
            "stage": self.stage,
            "meaning": self.meaning,
            "action": self.action,
        }


class CatalogueError(ValueError):
    """The bundled catalogue file does not fit the registered checks (a fault in the app itself)."""


def _summary(doc: str) -> str:
    """The first paragraph of a docstring, on one line."""
    return " ".join(doc.strip().split("\n\n", 1)[0].split())


def _text(item: Mapping[str, Any], key: str, code: str) -> str:
    value = item.get(key)
    if not isinstance(value, str) or not value.strip():
        raise CatalogueError(f"finding code {code!r} has no {key} in {'/'.join(CATALOGUE_FILE)}")
    return value.strip()


def _rule_entry(rule: Rule, item: Mapping[str, Any]) -> CodeEntry:
    return CodeEntry(
        code=rule.code,
        title=rule.title[:1].upper() + rule.title[1:],
        severity=rule.severity,
        varies=bool(item.get("varies", False)),
        stage="check",
        meaning=_summary(rule.doc),
        action=_text(item, "action", rule.code),
    )


def _code_entry(item: Mapping[str, Any], stages: Mapping[str, str]) -> CodeEntry:
    code = _text(item, "code", "?")
    stage = _text(item, "stage", code)
    if stage not in stages:
        raise CatalogueError(f"finding code {code!r} has an unknown stage {stage!r}")
    try:
        severity = Severity.parse(_text(item, "severity", code))
    except ValueError as exc:
        raise CatalogueError(f"finding code {code!r}: {exc}") from None
    return CodeEntry(
        code=code,
        title=_text(item, "title", code),
        severity=severity,
        varies=bool(item.get("varies", False)),
        stage=stage,
        meaning=_text(item, "meaning", code),
        action=_text(item, "action", code),
    )


@cache
def _load() -> tuple[dict[str, str], dict[str, CodeEntry]]:
    # Here rather than at the top: the checks bring pandas, and the wizard's word tables import
    # this module before its first window (the catalogue is read on the first title asked for).
    from migration_assistant.core.rules import REGISTRY

    data = json.loads(resource_path(*CATALOGUE_FILE).read_text(encoding="utf-8"))
    stages: dict[str, str] = dict(data["stages"])
    extra: dict[str, Any] = data["rules"]
    registered = {r.code for r in REGISTRY}
    if set(extra) != registered:
        # A new check without its action, or an action for a check that is gone: caught by the tests.
        missing, stale = sorted(registered - set(extra)), sorted(set(extra) - registered)
        raise CatalogueError(
            f"the catalogue's checks differ from the registered ones: missing {missing}, stale {stale}"
        )
    entries = {rule.code: _rule_entry(rule, extra[rule.code]) for rule in REGISTRY}
    for item in data["codes"]:
        entry = _code_entry(item, stages)
        if entry.code in entries:
            raise CatalogueError(f"finding code {entry.code!r} is described twice")
        entries[entry.code] = entry
    # Stable sort: within a stage the checks keep their registry order, then the file's order.
    order = list(stages)
    ordered = sorted(entries.values(), key=lambda e: order.index(e.stage))
    return stages, {e.code: e for e in ordered}


def catalogue() -> dict[str, CodeEntry]:
    """Every finding code, by stage (reading, recognising, checking), in a stable order."""
    return _load()[1]


def stages() -> dict[str, str]:
    """Stage key -> its name in words ("read" -> "Reading the files")."""
    return _load()[0]


def code_title(code: str) -> str:
    """The plain title of a finding code ("Blank rows"); an unknown code in words as a fallback.

    A package made by another version of the app can hold codes this one does not know.
    """
    known = catalogue().get(code)
    return known.title if known is not None else code.replace("-", " ").capitalize()
