"""Rules derived from the canonical Table Schema: required, types, enums, unique keys, foreign keys."""

from __future__ import annotations

from collections.abc import Collection

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from migration_assistant.core.dataset import SRC, EntityData
from migration_assistant.core.findings import Severity
from migration_assistant.core.normalise import as_arrow
from migration_assistant.core.people import ResolvedColumn, is_name_like
from migration_assistant.core.readers.table import ROW
from migration_assistant.core.rules.base import CheckContext, rule
from migration_assistant.core.rules.repeats import repeats
from migration_assistant.core.transforms import provided_fields

_PLAIN_TYPES = {"number": "a number", "boolean": "Y or N", "date": "a date", "datetime": "a date and time"}


@rule("missing-column", Severity.BLOCKER, "A required column is missing")
def missing_column(ctx: CheckContext) -> None:
    """A file lacks a column the new system needs for that kind of record, so none of its records can be
    migrated complete.

    The columns required are those of the canonical schema for the entity the file was recognised as.
    One finding per file and column, at no row: the column is missing, not a value on some row.
    An activities file with Hours and Rate but no Amount is not missing one (Clio's template has no
    total: the new system works it out as quantity × price); one note per file says so.
    """
    for index, role in enumerate(ctx.dataset.roles):
        if role.entity is None or role.mapping is None:
            continue
        for title in role.mapping.missing_required:
            if _amount_from_hours_rate(role.entity, title, role.mapping.matches):
                ctx.file_finding(
                    index,
                    rule="amount-derived",
                    severity=Severity.INFO,
                    entity=role.entity,
                    column=title,
                    message=(
                        f"This {role.entity} file has no “{title}” column: each entry's amount is worked out "
                        "as its Hours × Rate (quantity × price)."
                    ),
                    hint="Nothing to do if that is how the entries are billed.",
                )
                continue
            ctx.file_finding(
                index,
                rule="missing-column",
                severity=Severity.BLOCKER,
                entity=role.entity,
                column=title,
                message=f"This {role.entity} file has no “{title}” column, which every record needs.",
                hint=f"Add a “{title}” column (or choose which column holds it on the Map columns page).",
            )


def derivable_titles(entity: str, mapped: Collection[str]) -> set[str]:
    """Required titles a file may lack because its other columns give them: an activities file's
    Amount when its Hours and Rate are there (Clio's template has no total)."""
    if entity == "activities" and {"Hours", "Rate"} <= set(mapped):
        return {"Amount"}
    return set()


def _amount_from_hours_rate(entity: str, title: str, matches: Collection[str]) -> bool:
    return title in derivable_titles(entity, matches)


def _without_column(ctx: CheckContext, data: EntityData, name: str) -> np.ndarray:
    """Rows from files that have no column for *name* (their blanks are the file's missing-column finding).

    A field a profile transform fills in (Outlook's row IDs) counts as a column of the file.
    """
    profile = ctx.dataset.profile
    lacking = [
        src
        for src in ctx.sources_of(data)
        if name not in ctx.dataset.labels[src]
        and name not in provided_fields(profile, data.name, ctx.dataset.labels[src])
    ]
    if not lacking:
        return np.zeros(len(data), dtype=bool)
    return np.isin(data.frame[SRC].to_numpy(), lacking)


@rule("required", Severity.ERROR, "A required value is empty")
def required(ctx: CheckContext) -> None:
    """A required field is blank on a record."""
    for data in ctx.dataset.entities.values():
        for f in data.entity.fields:
            if not f.required or f.name not in data.present:
                continue
            if "" in ctx.dataset.profile.value_map(data.name, f.title):
                # The source's own convention gives a blank a value (Clio: a blank activity type
                # is a time entry): the enum parse already turned it into that value.
                continue
            # A file with no column at all has its one missing-column finding, not one per row.
            blank = (data.stripped(f.name) == "").to_numpy() & ~_without_column(ctx, data, f.name)
            if data.name == "activities" and f.name == "amount":
                # Hours x rate stands in for a blank amount (amount-derived says so); only an entry
                # with neither has no value at all.
                _, underivable = blank_amounts(data)
                ctx.flag(
                    data,
                    underivable & blank,
                    rule="required",
                    severity=Severity.ERROR,
                    field=f.name,
                    message="No amount, and no hours × rate to work it out from.",
                    hint="Fill in the Amount (or the Hours and the Rate), or remove the entry if it is not real.",
                )
                continue
            ctx.flag(
                data,
                blank,
                rule="required",
                severity=Severity.ERROR,
                field=f.name,
                message=f"“{f.title}” is empty, but every {data.entity.title.lower()} record needs it.",
                hint=f"Fill in the {f.title}, or remove the record if it is not real.",
            )


@rule("amount-derived", Severity.INFO, "An amount worked out from hours × rate")
def amount_derived(ctx: CheckContext) -> None:
    """A time or expense entry with a blank Amount whose Hours and Rate give it: the product is used."""
    data = ctx.entity("activities")
    if data is None or "amount" not in data.present:
        return
    derived, _ = blank_amounts(data)
    ctx.flag(
        data,
        derived,
        rule="amount-derived",
        severity=Severity.INFO,
        field="amount",
        extra={"hours": data.text("hours"), "rate": data.text("rate"), "product": _hours_by_rate(data)},
        message=lambda c: (
            f"The Amount is empty, so it was worked out as {c['hours']} hours × {c['rate']} "
            f"= {c['product']:,.2f}."
        ),
        hint="Nothing to do if that is the amount to bill; otherwise fill in the Amount.",
    )


def blank_amounts(data: EntityData) -> tuple[np.ndarray, np.ndarray]:
    """Activities whose Amount is blank: those Hours × Rate gives, and those it cannot.

    Returns:
        Two masks over the rows: derivable from hours × rate, and not (no amount at all).
    """
    if "amount" not in data.present:
        none = np.zeros(len(data), dtype=bool)
        return none, none
    blank = (data.stripped("amount") == "").to_numpy()
    known = _hours_by_rate(data).notna().to_numpy(dtype=bool)
    return blank & known, blank & ~known


def _hours_by_rate(data: EntityData) -> pd.Series:
    if "hours" not in data.parsed or "rate" not in data.parsed:
        return pd.Series(np.nan, index=data.frame.index, dtype="float64")
    product: pd.Series = data.parsed["hours"].values.astype("float64") * data.parsed["rate"].values.astype(
        "float64"
    )
    return product


@rule("invalid-value", Severity.ERROR, "A value of the wrong kind")
def invalid_value(ctx: CheckContext) -> None:
    """A number, money, yes/no or date cell that cannot be read as one."""
    for data in ctx.dataset.entities.values():
        for f in data.entity.fields:
            parsed = data.parsed.get(f.name)
            if parsed is None or f.enum:
                continue
            want = "an amount" if f.money else _PLAIN_TYPES.get(f.type, f.type)
            example = {
                "number": "1.5",
                "boolean": "Y or N",
                "date": "2025-03-31 or 03/31/2025",
                "datetime": "2025-03-31 14:30",
            }.get(f.type, "")
            if f.money:
                example = "1234.50 or $1,234.50"
            ctx.flag(
                data,
                parsed.invalid,
                rule="invalid-value",
                severity=Severity.ERROR,
                field=f.name,
                message=lambda c, want=want, title=f.title: f"“{c['value']}” in {title} is not {want}.",
                hint=f"Write it like {example}." if example else "Correct the value.",
            )


@rule("enum", Severity.ERROR, "A value outside the allowed list")
def enum(ctx: CheckContext) -> None:
    """A value of a field with a fixed list (status, type, billing method) that is not on the list."""
    for data in ctx.dataset.entities.values():
        for f in data.entity.fields:
            parsed = data.parsed.get(f.name)
            if parsed is None or not f.enum:
                continue
            allowed = ", ".join(f.enum)
            ctx.flag(
                data,
                parsed.invalid,
                rule="enum",
                severity=Severity.ERROR,
                field=f.name,
                message=lambda c, title=f.title, allowed=allowed: (
                    f"“{c['value']}” is not a valid {title}: the new system only accepts {allowed}."
                ),
                hint=f"Change it to one of: {allowed}. Your specialist can also map your own words to these.",
            )


@rule("duplicate-key", Severity.ERROR, "The same ID used twice", slow=True)
def duplicate_key(ctx: CheckContext) -> None:
    """Two records share an ID that must be unique. Reported at the later record, naming the first."""
    for data in ctx.dataset.entities.values():
        for f in data.entity.fields:
            if not f.unique or f.name not in data.present:
                continue
            key = data.stripped(f.name)
            later, earlier = repeats(key, (key != "").to_numpy())
            if not len(later):
                continue
            dup = np.zeros(len(data), dtype=bool)
            dup[later] = True
            first_row = np.zeros(len(data), dtype=np.int64)
            first_row[later] = data.frame[ROW].to_numpy()[earlier]
            names = [t.file + (f" (sheet “{t.sheet}”)" if t.sheet else "") for t in ctx.tables]
            files = np.full(len(data), "", dtype=object)
            files[later] = np.array(names, dtype=object)[data.frame[SRC].to_numpy()[earlier]]
            ctx.flag(
                data,
                dup,
                rule="duplicate-key",
                severity=Severity.ERROR,
                field=f.name,
                extra={"first": first_row, "first_file": files},
                message=lambda c, title=f.title: (
                    f"{title} “{c['value']}” is used twice: it already appears on row {c['first']}"
                    f" of {c['first_file']}."
                ),
                hint="Give each record its own ID, or delete the repeated record if it is the same one.",
            )


@rule("foreign-key", Severity.ERROR, "A reference to a record that does not exist", slow=True)
def foreign_key(ctx: CheckContext) -> None:
    """A reference (matter -> client, time entry -> matter, user, invoice...) to no known record.

    When the reference only matches after restoring leading zeros ("123" for "000123"),
    it is reported as Excel damage instead (rule ``leading-zeros``). People and a matter's
    client may be written by name or initials (``core.people``): the check sees the ID each
    resolved to, and a name that fits two people is reported as ``ambiguous-reference``.
    """
    for data in ctx.dataset.entities.values():
        for fk in data.entity.foreign_keys:
            if fk.field not in data.present:
                continue
            target = ctx.entity(fk.resource)
            title = data.entity.field(fk.field).title
            ref_title = ctx.dataset.entities[fk.resource].entity.field(fk.ref_field).title if target else ""
            resolved = data.parsed.get(fk.field)
            people = resolved if isinstance(resolved, ResolvedColumn) else None
            values = people.values if people is not None else data.stripped(fk.field)
            nonblank = (values != "").to_numpy()
            if not nonblank.any():
                continue
            if target is None or fk.ref_field not in target.present:
                for src in ctx.sources_of(data):
                    ctx.file_finding(
                        src,
                        rule="foreign-key-unchecked",
                        severity=Severity.INFO,
                        entity=data.name,
                        column=ctx.label(src, fk.field),
                        message=(
                            f"The {title} values could not be checked: no {fk.resource} file was given."
                        ),
                        hint=f"Add the {fk.resource} export so every {title} can be matched.",
                    )
                continue
            if people is not None:
                _ambiguous_references(ctx, data, fk.field, title, people)
            keys = target.stripped(fk.ref_field)
            key_set = pc.unique(as_arrow(keys))
            known = np.asarray(
                pc.is_in(as_arrow(values), value_set=key_set).to_numpy(zero_copy_only=False), dtype=bool
            )
            missing = nonblank & ~known
            if people is not None:
                missing &= ~people.ambiguous
            if not missing.any():
                continue
            # Only the unmatched references are examined (a handful among a million rows): each is
            # looked up among the keys with leading zeros removed on both sides. Keys are searched
            # from the end, so where two keys differ only in zeros the later one is named.
            positions = np.flatnonzero(missing)
            key_arr = as_arrow(keys)
            filled_keys = pc.filter(key_arr, pc.not_equal(key_arr, ""))
            filled_keys = pc.take(filled_keys, pa.array(np.arange(len(filled_keys) - 1, -1, -1)))
            unmatched = pc.take(as_arrow(values), pa.array(positions))
            found = pc.index_in(
                pc.utf8_ltrim(unmatched, characters="0"),
                value_set=pc.utf8_ltrim(filled_keys, characters="0"),
            )
            intended_sub = pc.fill_null(pc.take(filled_keys, found), "")
            intended = np.full(len(values), "", dtype=object)
            intended[positions] = np.asarray(intended_sub.to_pylist(), dtype=object)
            # Only a reference shorter than the key it matches lost zeros ("123" for "000123").
            restorable = np.zeros(len(values), dtype=bool)
            restorable[positions] = np.asarray(
                pc.greater(pc.utf8_length(intended_sub), pc.utf8_length(unmatched)).to_numpy(
                    zero_copy_only=False
                ),
                dtype=bool,
            )
            if restorable.any():
                ctx.flag(
                    data,
                    restorable,
                    rule="leading-zeros",
                    severity=Severity.ERROR,
                    field=fk.field,
                    extra={"intended": intended},
                    message=lambda c, title=title: (
                        f"{title} “{c['value']}” matches nothing, but “{c['intended']}” exists: the leading zeros "
                        "were probably removed when the file was opened in Excel."
                    ),
                    hint=(
                        "Restore the zeros (format the column as Text in Excel before typing), or export "
                        "again and do not open the file in Excel."
                    ),
                )
            severity = Severity.ERROR if fk.severity == "error" else Severity.WARNING
            unknown = missing & ~restorable
            closest = None
            if people is not None:
                spots = np.flatnonzero(unknown)
                closest = np.full(len(values), "", dtype=object)
                closest[spots] = values.iloc[spots].map(people.closest).astype(object).fillna("").to_numpy()
            ctx.flag(
                data,
                unknown,
                rule="foreign-key",
                severity=severity,
                field=fk.field,
                extra=None if closest is None else {"closest": closest},
                message=lambda c, title=title, res=fk.resource, ref=ref_title, why=fk.why, by_name=people: (
                    _unknown_person(c, title, res, why)
                    if by_name is not None and is_name_like(str(c["value"]))
                    else f"{title} “{c['value']}” does not match any {ref} in the {res} file. {why}"
                ),
                hint=lambda c, res=fk.resource: (
                    f"Correct the reference, or add the missing record to the {res} export."
                    # A name's closest people are in its message already.
                    + (
                        f" The closest in the {res} file: {c['closest']}."
                        if c.get("closest") and not is_name_like(str(c["value"]))
                        else ""
                    )
                ),
            )


_WHO = {"users": "user", "contacts": "contact"}
_BY = {"users": "User ID, name or initials", "contacts": "Contact ID, name or company name"}


def _unknown_person(c: dict[str, object], title: str, res: str, why: str) -> str:
    """The message for a person or client written by name that matches nobody (names the closest)."""
    closest = f" The closest: {c['closest']}." if c.get("closest") else f" No {_WHO[res]} has a similar name."
    return f"{title} “{c['value']}” does not match any {_WHO[res]} by {_BY[res]}.{closest} {why}"


def _ambiguous_references(
    ctx: CheckContext, data: EntityData, name: str, title: str, people: ResolvedColumn
) -> None:
    """A name or initials that fit two or more people: which one is meant cannot be told."""
    if not people.ambiguous.any():
        return
    who = _WHO[people.target]
    spots = np.flatnonzero(people.ambiguous)
    candidates = np.full(len(people.ambiguous), "", dtype=object)
    candidates[spots] = (
        data.stripped(name).iloc[spots].map(people.candidates).astype(object).fillna("").to_numpy()
    )
    ctx.flag(
        data,
        people.ambiguous,
        rule="ambiguous-reference",
        severity=Severity.WARNING,
        field=name,
        extra={"candidates": candidates},
        message=lambda c: (
            f"{title} “{c['value']}” could be more than one {who}: {c['candidates']}. "
            "It is left as written, so the record is not linked to either."
        ),
        hint=f"Write the {who}'s ID instead (or the full name), so the record goes to the right person.",
    )
