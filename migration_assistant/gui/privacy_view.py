"""Privacy mode for the views: what each screen hides, built on ``core.privacy``.

``migration_assistant.core.privacy`` decides what client data is and how it is
hidden (so the GUI and the privacy-safe reports mask alike). This module only adapts
it to what the views need: a cached masker for findings, and the set of columns of
a source table to hide in the record preview. The preview is stricter than core:
a column the app could not place (not mapped to a known field) is hidden too,
because nothing says it is harmless.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from migration_assistant.core.findings import Finding
from migration_assistant.core.privacy import (
    MASK,
    balance_text,
    client_labels,
    known_labels,
    mask_finding,
    mask_message,
    mask_text,
)

if TYPE_CHECKING:
    from migration_assistant.core.api import Dataset

__all__ = [
    "MASK",
    "FindingMasker",
    "balance_text",
    "mask_checklist_text",
    "mask_text",
    "masker_for",
    "private_columns",
    "private_labels",
]


class FindingMasker:
    """Privacy-safe text for findings (value, message, hint), cached per finding.

    Args:
        headers: the export's own column headings, which stay visible when a message quotes them.
    """

    def __init__(self, headers: Iterable[str] = ()) -> None:
        self._keep = known_labels(headers)
        self._cache: dict[Finding, Finding] = {}

    def masked(self, finding: Finding) -> Finding:
        safe = self._cache.get(finding)
        if safe is None:
            safe = mask_finding(finding, keep=self._keep)
            self._cache[finding] = safe
        return safe

    def value(self, finding: Finding) -> str:
        return self.masked(finding).value or ""

    def message(self, finding: Finding) -> str:
        return self.masked(finding).message

    def hint(self, finding: Finding) -> str:
        return self.masked(finding).hint


def masker_for(dataset: Dataset | None) -> FindingMasker:
    """A :class:`FindingMasker` that keeps the dataset's own headings visible."""
    if dataset is None:
        return FindingMasker()
    return FindingMasker(label for table in dataset.tables for label in table.labels)


def private_columns(dataset: Dataset, table_index: int) -> set[str]:
    """The original column labels of one source table to hide in privacy mode."""
    table = dataset.tables[table_index]
    role = dataset.roles[table_index].entity if table_index < len(dataset.roles) else None
    mapped = dataset.labels[table_index] if table_index < len(dataset.labels) else {}
    if role is None:
        return set(table.labels)
    hidden = client_labels(role, mapped)
    hidden |= set(table.labels) - set(mapped.values())
    return hidden


def private_labels(entity: str | None, chosen: Mapping[str, str], labels: Iterable[str]) -> set[str]:
    """The column labels of a file not yet checked to hide in privacy mode (the Map columns preview).

    Args:
        entity: what the file holds (None: not recognised, every column is hidden).
        chosen: canonical title -> the file's column, as mapped now.
        labels: every column of the file.

    Returns:
        The client-data columns of the entity, plus every column that has no place yet.
    """
    from migration_assistant.core.api import entities

    labels = set(labels)
    if entity is None or entity not in entities():
        return labels
    by_title = {f.title: f.name for f in entities()[entity].fields}
    mapped = {by_title[t]: lab for t, lab in chosen.items() if t in by_title and lab}
    return client_labels(entity, mapped) | (labels - set(mapped.values()))


def mask_checklist_text(text: str, headers: Iterable[str] = ()) -> str:
    """A checklist item's text with the client data it quotes hidden (a blocker quotes a finding)."""
    return mask_message(text, keep=known_labels(headers))
