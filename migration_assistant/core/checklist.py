"""The limitations checklist the firm signs off on before anything is packaged.

Items come from three places: the source system's profile (what it cannot export),
the target's rules (``resources/target-limitations.json``: what does not migrate),
and this export's findings (blockers, which must be resolved or explicitly accepted:
the "submit with errors" gate). Each item carries what, why, what to do instead,
and who acknowledged it when.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from functools import cache
from typing import Any

from migration_assistant.core.findings import Severity
from migration_assistant.core.resources import resource_path
from migration_assistant.core.results import ValidationResult

SCHEMA_VERSION = 1


@dataclass(slots=True)
class ChecklistItem:
    id: str
    what: str
    why: str
    instead: str
    origin: str
    """"source" (the old system), "target" (the new system), "finding" (this export), or "fixes"
    (cells changed by automatic fixes: whoever acknowledges it applied them)."""
    count: int | None = None
    blocking: bool = False
    source_url: str = ""
    acknowledged_by: str = ""
    acknowledged_at: str = ""

    @property
    def acknowledged(self) -> bool:
        return bool(self.acknowledged_by)


@dataclass(slots=True)
class Checklist:
    source: str
    items: list[ChecklistItem] = field(default_factory=list)
    created_at: str = ""

    def acknowledge(self, item_id: str, name: str, when: dt.datetime | None = None) -> None:
        """Record that *name* acknowledged the item (or cleared it, with an empty name)."""
        if not name.strip() and name:
            raise ValueError("the person acknowledging must give their name")
        stamp = (when or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds")
        for item in self.items:
            if item.id == item_id:
                item.acknowledged_by = name.strip()
                item.acknowledged_at = stamp if name.strip() else ""
                return
        raise KeyError(f"no checklist item {item_id!r}")

    def acknowledge_all(self, name: str, when: dt.datetime | None = None) -> None:
        for item in self.items:
            self.acknowledge(item.id, name, when)

    @property
    def complete(self) -> bool:
        return all(item.acknowledged for item in self.items)

    def outstanding(self) -> list[ChecklistItem]:
        return [item for item in self.items if not item.acknowledged]

    def to_json(self) -> dict[str, Any]:
        return {
            "schema_version": SCHEMA_VERSION,
            "source": self.source,
            "created_at": self.created_at,
            "complete": self.complete,
            "items": [asdict(item) for item in self.items],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Checklist:
        items = [ChecklistItem(**item) for item in data.get("items", [])]
        return cls(
            source=str(data.get("source", "")), items=items, created_at=str(data.get("created_at", ""))
        )

    def merge_acknowledgements(self, previous: Checklist) -> None:
        """Keep earlier acknowledgements for items that are unchanged (same id and text)."""
        old = {(i.id, i.what): i for i in previous.items}
        for item in self.items:
            prior = old.get((item.id, item.what))
            if prior and prior.acknowledged:
                item.acknowledged_by, item.acknowledged_at = prior.acknowledged_by, prior.acknowledged_at


@cache
def _target_items() -> tuple[dict[str, Any], ...]:
    with resource_path("resources", "target-limitations.json").open(encoding="utf-8") as fh:
        return tuple(json.load(fh)["items"])


def export_counts(result: ValidationResult) -> dict[str, int]:
    """Figures from this export that limitation texts quote."""
    data = result.dataset
    counts: dict[str, int] = dict.fromkeys(
        (
            "billed_activities",
            "bills",
            "matters_with_ar",
            "trust_transactions",
            "activities_without_user",
            "matters_without_client",
        ),
        0,
    )
    activities = data.get("activities")
    if activities is not None and "billed" in activities.parsed:
        counts["billed_activities"] = int(
            activities.parsed["billed"].values.fillna(False).to_numpy(dtype=bool).sum()
        )
    bills = data.get("bills")
    if bills is not None:
        counts["bills"] = len(bills)
        if {"total", "amount_paid"} <= set(bills.parsed):
            owing = (
                bills.parsed["total"].values.fillna(0) - bills.parsed["amount_paid"].values.fillna(0)
            ) > 0.005
            status = bills.stripped("status").str.lower()
            live = ~status.isin(["void", "draft"]).to_numpy()
            counts["matters_with_ar"] = int(
                bills.stripped("matter_number")[owing.to_numpy() & live].nunique()
            )
    trust = data.get("trust")
    if trust is not None:
        counts["trust_transactions"] = len(trust)
    table = result.report.table()  # read from the columns: no finding is made to be counted
    findings = Counter(zip(table.column("entity"), table.column("column"), table.column("rule"), strict=True))
    if activities is not None:
        blank_user = (
            int((activities.stripped("user_id") == "").to_numpy().sum())
            if "user_id" in activities.present
            else len(activities)
        )
        unknown_user = sum(
            n
            for (ent, col, rule), n in findings.items()
            if ent == "activities" and rule == "foreign-key" and _is(result, "activities", "user_id", col)
        )
        counts["activities_without_user"] = blank_user + unknown_user
    matters = data.get("matters")
    if matters is not None:
        blank = (
            int((matters.stripped("client_id") == "").to_numpy().sum())
            if "client_id" in matters.present
            else len(matters)
        )
        unknown = sum(
            n
            for (ent, col, rule), n in findings.items()
            if ent == "matters" and rule == "foreign-key" and _is(result, "matters", "client_id", col)
        )
        counts["matters_without_client"] = blank + unknown
    return counts


def _is(result: ValidationResult, entity: str, field_name: str, column: str | None) -> bool:
    """Whether *column* (a file's own label) is where *entity*'s *field_name* was mapped from."""
    labels = {
        labels.get(field_name)
        for labels, guess in zip(result.dataset.labels, result.dataset.roles, strict=True)
        if guess.entity == entity
    }
    return column in labels


def build_checklist(result: ValidationResult, now: dt.datetime | None = None) -> Checklist:
    """Every item the firm must acknowledge for this export and source system."""
    checklist = Checklist(
        source=result.profile.id, created_at=(now or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds")
    )
    for lim in result.profile.limitations:
        checklist.items.append(
            ChecklistItem(
                id=f"source:{lim.id}",
                what=lim.what,
                why=lim.why,
                instead=lim.instead,
                origin="source",
                source_url=lim.source,
            )
        )
    counts = export_counts(result)
    for raw in _target_items():
        count_key = raw.get("count")
        count = counts.get(count_key) if count_key else None
        if count_key and not count:
            continue  # nothing in this export is affected
        checklist.items.append(
            ChecklistItem(
                id=f"target:{raw['id']}",
                what=raw["what"].replace("{count}", f"{count:,}" if count is not None else ""),
                why=raw["why"],
                instead=raw["instead"],
                origin="target",
                count=count,
                source_url=raw.get("source", ""),
            )
        )
    table = result.report.table()
    blocking = list(table.where(table.severities() == Severity.BLOCKER))  # only the blockers are made
    blockers = Counter(f.rule for f in blocking)
    examples = {f.rule: f for f in blocking}
    for rule, count in sorted(blockers.items()):
        example = examples[rule]
        checklist.items.append(
            ChecklistItem(
                id=f"blocker:{rule}",
                what=f"{count:,} blocking problem(s) of this kind remain: {example.message}",
                why="A blocker means the file cannot be migrated as it is; sending it anyway means the specialist "
                "must work around it and parts of the data may not arrive.",
                instead=f"Fix it and check again ({example.hint}), or accept it here to submit with errors.",
                origin="finding",
                count=count,
                blocking=True,
            )
        )
    fixes = fixes_item(result)
    if fixes is not None:
        checklist.items.append(fixes)
    return checklist


FIXES_ITEM = "fixes:applied"


def fixes_item(result: ValidationResult) -> ChecklistItem | None:
    """The item that records that fixes were applied, or None when none were.

    Whoever acknowledges it is named as the person who applied them (the fix log sealed in
    the package carries the same name).
    """
    log = result.fix_log
    if log is None or not len(log):
        return None
    counts = ", ".join(f"{code} {n:,}" for code, n in log.counts().items())
    cells = len(log)
    return ChecklistItem(
        id=FIXES_ITEM,
        what=f"{cells:,} cell(s) were changed by automatic fixes ({counts}), resolving "
        f"{len(result.report.fixed):,} finding(s). The package holds the fixed data, the fix log with every "
        "value before and after, and the original files unchanged.",
        why="Each fix was made only where the answer was certain, but the new system will hold the fixed values: "
        "the person signing off accepts them, and is named in the fix log as the one who applied them.",
        instead="Undo any fix you do not want on the Review page (or make only some fixes with "
        "`fix --only`) and check again.",
        origin="fixes",
        count=cells,
    )


def fixes_applied_by(checklist: Checklist) -> str:
    """Who applied the fixes: the name that acknowledged the fixes item ("" when none did)."""
    return next((i.acknowledged_by for i in checklist.items if i.id == FIXES_ITEM), "")


__all__ = [
    "FIXES_ITEM",
    "Checklist",
    "ChecklistItem",
    "build_checklist",
    "export_counts",
    "fixes_applied_by",
    "fixes_item",
]
