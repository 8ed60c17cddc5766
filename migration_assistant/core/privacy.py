"""Privacy mode: hide client data when the screen is shared or a report leaves the firm.

During an export session the migration specialist watches the firm's screen, and
a privacy-safe report may be mailed around. Both must show *where* a problem is
(file, row, column, rule) without showing *whose* data it is. This module is the
one place that decides what counts as client data and how it is hidden; the GUI
and the report writers call it, so every surface masks the same way.

Masking keeps at most the first letter ("M•••••") and a fixed run of dots, so the
length of a name or the size of an amount is never hinted at.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, overload

import numpy as np
import pandas as pd

from migration_assistant.core.findings import Finding
from migration_assistant.core.schema import entities, normalise_label

if TYPE_CHECKING:
    from migration_assistant.core.fixes.log import FixLog

MASK = "•••••"
"""What replaces hidden text. Fixed length: the real length is itself a clue."""

CLIENT_FIELDS: Mapping[str, frozenset[str]] = {
    # Staff names and e-mails (users) are the firm's own data, not its clients': they
    # stay visible so the specialist can talk about "Alice's time entries".
    "users": frozenset(),
    "contacts": frozenset(
        {
            "first_name",
            "middle_name",
            "last_name",
            "company",
            "title",
            "email",
            "phone",
            "mobile",
            "street",
            "city",
            "postal_code",
            "notes",
        }
    ),
    # Matter descriptions usually name the client ("Holloway estate").
    "matters": frozenset({"description"}),
    "activities": frozenset({"description", "amount"}),
    "bills": frozenset({"total", "amount_paid"}),
    # A cheque reference often carries the payer's name.
    "trust": frozenset({"amount", "reference", "description"}),
    "calendar": frozenset({"title", "description", "location"}),
    "tasks": frozenset({"name"}),
    "notes": frozenset({"subject", "body"}),
}
"""Canonical field names, per entity, that hold client data and are masked in privacy mode."""

# Curly-quoted text in a message: findings quote the offending value this way.
_QUOTED = re.compile(r"“([^”]*)”")
# Money-shaped numbers (two decimals, optional sign, currency sign, thousands separators):
# messages state balances and amounts without quotes, e.g. "leaves the balance at -200.00".
_MONEY = re.compile(r"[-−]?[$€£¥]?\d{1,3}(?:[,\u00a0]\d{3})*\.\d{2}(?!\d)|[-−]?[$€£¥]?\d+\.\d{2}(?!\d)")


def mask_text(value: str | None) -> str:
    """Hide *value*, keeping only its first letter when it starts with one.

    Digits are never kept: the first digit of an amount or a phone number is a clue
    to the rest. Empty text stays empty so a blank cell still reads as blank.

    Args:
        value: the text to hide (None counts as empty).

    Returns:
        "" for empty input, otherwise e.g. "M•••••" or "•••••".
    """
    if not value:
        return ""
    text = value.strip()
    if not text:
        return value
    first = text[0]
    return f"{first}{MASK}" if first.isalpha() else MASK


def mask_series(values: pd.Series) -> pd.Series:
    """:func:`mask_text` over a whole column at once (for tables of original rows).

    Args:
        values: text cells ("" for empty).

    Returns:
        A new object-dtype series, same index; blank cells stay as they were.
    """
    text = values.astype("str")
    stripped = text.str.strip()
    first = stripped.str[:1]
    masked = np.where(first.str.isalpha().fillna(False), first + MASK, MASK)
    return pd.Series(np.where(stripped == "", text, masked), index=values.index, dtype=object)


def balance_text(amount: str, *, privacy: bool, matters: int = 1) -> str:
    """One rule for money on every balances screen (the wizard's Balances tab, Open a package).

    A matter's trust, receivable and unbilled amounts are its client's data: hidden in
    privacy mode. A firm total added over several matters is the firm's own figure and
    stays visible, as it does in the privacy-safe report; over a single matter it would
    be that client's figure again, so it is hidden like one.

    Args:
        amount: the amount as it is shown ("$1,200.00", "-$50.00 (below zero)").
        privacy: whether privacy mode is on.
        matters: how many lines (matters, or clients without one) the amount adds up: 1 for
            a matter's own amount, the table's length for a firm total.

    Returns:
        *amount*, or :data:`MASK` where privacy mode hides it.
    """
    return MASK if privacy and matters < 2 else amount


def is_client_field(entity: str | None, field_name: str | None) -> bool:
    """Whether a canonical field of an entity holds client data."""
    if entity is None or field_name is None:
        return False
    return field_name in CLIENT_FIELDS.get(entity, frozenset())


def client_labels(entity: str | None, labels: Mapping[str, str]) -> set[str]:
    """The original column labels of one table that hold client data.

    Args:
        entity: the table's entity (None for an unrecognised file).
        labels: canonical field name -> the table's own label (``Dataset.labels[i]``).

    Returns:
        The labels to mask. An unrecognised file gets every label, because nothing
        tells us which of its columns are harmless.
    """
    if entity is None:
        return set(labels.values())
    private = CLIENT_FIELDS.get(entity, frozenset())
    return {label for name, label in labels.items() if name in private}


def known_labels(extra: Iterable[str] = ()) -> frozenset[str]:
    """Column names that are never client data: every schema title plus *extra* file headers.

    Messages quote column names the same way they quote values (“Matter Number” is
    empty), and hiding those would make the message useless without protecting anyone.
    """
    titles = {normalise_label(f.title) for ent in entities().values() for f in ent.fields}
    titles.update(normalise_label(x) for x in extra)
    return frozenset(titles)


def mask_message(
    text: str, *, value: str | None = None, keep: frozenset[str] = frozenset(), quotes: bool = True
) -> str:
    """Hide the client data a message or hint quotes.

    Args:
        text: the message.
        value: the finding's cell value; any literal occurrence of it is hidden too,
            because some messages state it without quotes ("a withdrawal of 300.00").
        keep: normalised column names that may stay visible (see :func:`known_labels`).
        quotes: mask curly-quoted text. Hints are the rule's own advice and quote menu
            names (“CSV UTF-8”), so they are masked only for the value and amounts.

    Returns:
        The message with quoted values, the cell value and money amounts masked.
    """

    def quoted(match: re.Match[str]) -> str:
        inner = match.group(1)
        # Column names and lone symbols ("starts with “=”") tell nobody anything about a client.
        if normalise_label(inner) in keep or not any(ch.isalnum() for ch in inner):
            return match.group(0)
        return f"“{mask_text(inner)}”"

    out = _QUOTED.sub(quoted, text) if quotes else text
    stripped = (value or "").strip()
    # Very short values ("Y", "1") would mask ordinary words and numbers in the sentence.
    if len(stripped) >= 3 and normalise_label(stripped) not in keep:
        out = out.replace(stripped, mask_text(stripped))
    return _MONEY.sub(MASK, out)


def mask_finding(finding: Finding, *, keep: frozenset[str] | None = None) -> Finding:
    """A privacy-safe copy of *finding*: its value and the values its message quotes are hidden.

    The rule, file, sheet, row and column stay, so staff can still find and fix the cell.

    Args:
        finding: the original finding (not modified: findings are frozen).
        keep: normalised column names that may stay visible; defaults to the schema titles.
    """
    labels = known_labels() if keep is None else keep
    if finding.column:
        labels = labels | {normalise_label(finding.column)}
    return dataclasses.replace(
        finding,
        value=None if finding.value is None else mask_text(finding.value),
        message=mask_message(finding.message, value=finding.value, keep=labels),
        hint=mask_message(finding.hint, value=finding.value, keep=labels, quotes=False),
    )


def mask_findings(findings: Sequence[Finding], *, headers: Iterable[str] = ()) -> MaskedFindings:
    """:func:`mask_finding` over many findings, keeping the files' own *headers* visible.

    Lazy: each finding is masked when it is read, so a million findings are never all held
    twice (a report reads the few it shows, or streams through them once).
    """
    return MaskedFindings(findings, known_labels(headers))


class MaskedFindings(Sequence[Finding]):
    """A read-only view of *findings* with every finding masked as it is read."""

    __slots__ = ("_keep", "source")

    def __init__(self, findings: Sequence[Finding], keep: frozenset[str]) -> None:
        self.source = findings
        """The findings unmasked: for counting and grouping by rule, file or column."""
        self._keep = keep

    def __len__(self) -> int:
        return len(self.source)

    @overload
    def __getitem__(self, index: int) -> Finding: ...

    @overload
    def __getitem__(self, index: slice) -> list[Finding]: ...

    def __getitem__(self, index: int | slice) -> Finding | list[Finding]:
        if isinstance(index, slice):
            return [mask_finding(f, keep=self._keep) for f in self.source[index]]
        return mask_finding(self.source[index], keep=self._keep)

    def __iter__(self) -> Iterator[Finding]:
        keep = self._keep
        return (mask_finding(f, keep=keep) for f in self.source)

    def masked(self, findings: Iterable[Finding]) -> list[Finding]:
        """*findings* (some of :attr:`source`) masked as this view masks them."""
        return [mask_finding(f, keep=self._keep) for f in findings]


def mask_fix_values(before: str, after: str) -> tuple[str, str]:
    """A fix's before and after, hidden as every other value is (:func:`mask_text`).

    Both are masked the same way, whatever the column: a fix changes client data as often as
    not ("JosÃ©" to "José"), and the pair side by side would show what changed.
    """
    return mask_text(before), mask_text(after)


def mask_fix_log(log: FixLog) -> FixLog:
    """The log with every before and after masked (for a report shown in privacy mode)."""
    from migration_assistant.core.fixes.log import FixLog

    frame = log.frame.copy()
    for column in ("before", "after"):
        frame[column] = mask_series(frame[column].astype(object).fillna("")).to_numpy(dtype=object)
    return FixLog(frame, applied_by=log.applied_by)
