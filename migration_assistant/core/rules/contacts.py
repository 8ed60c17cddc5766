"""Contact rules: nameless contacts, e-mail and phone syntax, the same person under two IDs."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from migration_assistant.core.dataset import SRC, EntityData
from migration_assistant.core.findings import Finding, Severity
from migration_assistant.core.normalise import as_arrow
from migration_assistant.core.readers.table import ROW
from migration_assistant.core.rules.base import CheckContext, rule
from migration_assistant.core.rules.name_match import (
    DIFFER,
    NEAR,
    SAME,
    SHARED_LINE,
    SMALL_BLOCK,
    WARN_AT,
    agreement,
    block_pairs,
    codes_of,
    distinct_names,
    fold,
    match_weight,
    name_keys,
    name_levels,
    split_values,
)

DEFAULT_REGION = "US"
_PLAIN_EMAIL = (
    r"[A-Za-z0-9_%+-]+(?:\.[A-Za-z0-9_%+-]+)*@"
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}"
)


@rule("nameless-contact", Severity.ERROR, "A contact with neither a name nor a company")
def nameless_contact(ctx: CheckContext) -> None:
    """A person needs a first or last name, a company needs a company name.

    Company contacts without a person's name are fine, and so is a person with a company.
    """
    data = ctx.entity("contacts")
    if data is None:
        return
    first = data.stripped("first_name") != ""
    last = data.stripped("last_name") != ""
    company = data.stripped("company") != ""
    kind = data.stripped("type").str.lower()
    nothing = (~first & ~last & ~company).to_numpy()
    ctx.flag(
        data,
        nothing,
        rule="nameless-contact",
        severity=Severity.ERROR,
        field="last_name" if "last_name" in data.present else None,
        extra={"id": data.text("contact_id")},
        message=lambda c: f"Contact {c['id']} has no first name, last name or company name.",
        hint="Add the name, or delete the contact if it is an empty leftover.",
    )
    company_without_name = ((kind == "company") & ~company & (first | last)).to_numpy()
    ctx.flag(
        data,
        company_without_name,
        rule="nameless-contact",
        severity=Severity.WARNING,
        field="company",
        extra={"id": data.text("contact_id")},
        message=lambda c: f"Contact {c['id']} is marked as a company but has no company name.",
        hint="Fill in Company, or change Type to Person.",
    )
    person_without_company = ((kind != "company") & ~company).to_numpy()
    for missing, present_part, field in (
        (~first & last, "last", "first_name"),
        (first & ~last, "first", "last_name"),
    ):
        ctx.flag(
            data,
            person_without_company & missing.to_numpy(),
            rule="incomplete-name",
            severity=Severity.WARNING,
            field=field,
            extra={"id": data.text("contact_id")},
            message=lambda c, part=present_part: (
                f"Contact {c['id']} has only a {part} name; the new system needs both a first and a last "
                "name for a person."
            ),
            hint="Add the missing part of the name.",
        )


@cache
def _email_problem(address: str) -> str | None:
    # Imported here: most exports only hold plain addresses, which never reach this function,
    # and the import costs the command line a few hundredths of a second at every start.
    from email_validator import EmailNotValidError, validate_email

    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError as exc:
        return str(exc)
    return None


def _bad_parts(
    n: int, owner: np.ndarray, parts: pd.Series, why: pd.Series
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per cell: whether any of its values is bad, the first bad value, and why."""
    bad = (why != "").to_numpy()
    first = pd.DataFrame({"owner": owner[bad], "part": parts[bad].to_numpy(), "why": why[bad].to_numpy()})
    first = first.drop_duplicates("owner")
    mask = np.zeros(n, dtype=bool)
    part_of = np.full(n, "", dtype=object)
    why_of = np.full(n, "", dtype=object)
    at = first["owner"].to_numpy()
    mask[at] = True
    part_of[at] = first["part"].to_numpy(dtype=object)
    why_of[at] = first["why"].to_numpy(dtype=object)
    return mask, part_of, why_of


def _which(c: dict[str, object], kind: str) -> str:
    """The bad value, as the cell holds it alone or as one of several values."""
    part, value = str(c["part"]), str(c["value"]).strip()
    return f"“{part}”" if part == value else f"“{part}” (one of the {kind} in this cell)"


Verdict = tuple[np.ndarray, dict[str, np.ndarray]]
"""Per cell: bad or not; and per cell, what the message names (the bad part, why)."""


def _email_verdict(values: pd.Series) -> Verdict | None:
    """Per cell: bad or not, the first bad address and why (None when every address is fine)."""
    owner, parts = split_values(values)
    # Ordinary addresses pass a strict pattern in one vectorised step; only the rest
    # (unusual or wrong ones) go through email-validator one distinct value at a time.
    plain = parts.str.fullmatch(_PLAIN_EMAIL).fillna(False).to_numpy(dtype=bool)
    problems = {value: _email_problem(str(value)) or "" for value in parts[~plain].unique()}
    if not any(problems.values()):
        return None
    why = pd.Series("", index=parts.index, dtype="str")
    why[~plain] = parts[~plain].map(problems).fillna("")
    mask, part_of, why_of = _bad_parts(len(values), owner, parts, why)
    return mask, {"part": part_of, "why": why_of}


def _email_message(c: dict[str, object]) -> str:
    return f"{_which(c, 'addresses')} is not a valid e-mail address: {c['why']}"


_EMAIL_HINT = (
    "Correct the address (a phone number or name belongs in its own column; several addresses in "
    "one cell are separated by “;”)."
)


def _cells(ctx: CheckContext, src: int, label: str) -> pd.Series:
    """A column of a table as read, spaces trimmed (an address book's second e-mail, say)."""
    column = ctx.tables[src].data[label]
    return column.fillna("").astype("str").str.strip().reset_index(drop=True)


def _flag_book_columns(
    ctx: CheckContext,
    books: dict[int, tuple[str, ...]],
    verdict: Callable[[pd.Series], Verdict | None],
    *,
    rule: str,
    severity: Severity,
    message: Callable[[dict[str, object]], str],
    hint: str,
) -> None:
    """Check each address-book column (``Dataset.address_book_columns``) under its own heading."""
    for src, labels in books.items():
        for label in labels:
            found = verdict(_cells(ctx, src, label))
            if found is None:
                continue
            mask, extra = found
            at = np.flatnonzero(mask)
            ctx.flag_cells(
                ctx.tables[src],
                label,
                at,
                rule=rule,
                severity=severity,
                extra={k: v[at] for k, v in extra.items()},
                message=message,
                hint=hint,
            )


def _outside(data: EntityData, sources: dict[int, tuple[str, ...]]) -> np.ndarray:
    """Rows of *data* not from the tables in *sources* (whose columns are checked one by one)."""
    if not sources:
        return np.ones(len(data), dtype=bool)
    return ~np.isin(data.frame[SRC].to_numpy(), list(sources))


@rule("invalid-email", Severity.ERROR, "An e-mail address that cannot be right")
def invalid_email(ctx: CheckContext) -> None:
    """An e-mail address that is not written as one can be, so no message would reach it.

    Syntax checked offline with email-validator (no DNS lookups); each distinct value once. A cell
    holding several addresses (joined by " ::: " as Google Contacts does, by ";" or by a line
    break) has each address checked on its own; the finding names the bad one. An address book
    (Outlook's three e-mail columns, Google's "E-mail 1 - Value"…) has every e-mail column checked
    under its own heading, not only the address that takes the contact's slot.
    """
    books = ctx.dataset.address_book_columns("email")
    for name in ("contacts", "users"):
        data = ctx.entity(name)
        if data is None or "email" not in data.present:
            continue
        verdict = _email_verdict(data.stripped("email"))
        if verdict is None:
            continue
        mask, extra = verdict
        ctx.flag(
            data,
            mask & (_outside(data, books) if name == "contacts" else True),
            rule="invalid-email",
            severity=Severity.ERROR,
            field="email",
            extra=extra,
            message=_email_message,
            hint=_EMAIL_HINT,
        )
    _flag_book_columns(
        ctx,
        books,
        _email_verdict,
        rule="invalid-email",
        severity=Severity.ERROR,
        message=_email_message,
        hint=_EMAIL_HINT,
    )


@cache
def _phone_ok(value: str, region: str) -> bool:
    import phonenumbers  # here, for the same reason as email_validator above

    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        return False
    return bool(phonenumbers.is_possible_number(number))


def _phone_verdict(values: pd.Series) -> Verdict | None:
    """Per cell: bad or not and the first bad number (None when every number is fine)."""
    owner, parts = split_values(values)
    # Ten-digit North American numbers in any punctuation are possible numbers by definition;
    # only the rest (international, short, odd) go through phonenumbers, one distinct value each.
    squeezed = pc.replace_substring_regex(as_arrow(parts), r"[\s().-]", "")
    nanp = pc.match_substring_regex(squeezed, r"^(?:\+?1)?\d{10}$").fill_null(False)
    unusual = ~np.asarray(nanp.to_numpy(zero_copy_only=False), dtype=bool)
    bad = {v for v in parts[unusual].unique() if not _phone_ok(str(v), DEFAULT_REGION)}
    if not bad:
        return None
    why = pd.Series(np.where(parts.isin(bad).to_numpy(), "bad", ""), index=parts.index, dtype="str")
    mask, part_of, _ = _bad_parts(len(values), owner, parts, why)
    return mask, {"part": part_of}


def _phone_message(c: dict[str, object]) -> str:
    return f"{_which(c, 'numbers')} does not look like a complete phone number."


_PHONE_HINT = "Write the full number with area code (and +country code for numbers outside North America)."


@rule("invalid-phone", Severity.WARNING, "A phone number that cannot be dialled")
def invalid_phone(ctx: CheckContext) -> None:
    """A phone number with too few or too many digits to be dialled.

    Checked with phonenumbers (international format, or North American by default). A cell
    holding several numbers (" ::: ", ";" or a line break between them) has each number checked
    on its own; the finding names the bad one. An address book has every phone column checked
    under its own heading ("Business Phone 2", "Home Fax"), not only the numbers that take the
    contact's Phone and Mobile.
    """
    books = ctx.dataset.address_book_columns("phone")
    data = ctx.entity("contacts")
    for field in ("phone", "mobile"):
        if data is None or field not in data.present:
            continue
        verdict = _phone_verdict(data.stripped(field))
        if verdict is None:
            continue
        mask, extra = verdict
        ctx.flag(
            data,
            mask & _outside(data, books),
            rule="invalid-phone",
            severity=Severity.WARNING,
            field=field,
            extra=extra,
            message=_phone_message,
            hint=_PHONE_HINT,
        )
    _flag_book_columns(
        ctx,
        books,
        _phone_verdict,
        rule="invalid-phone",
        severity=Severity.WARNING,
        message=_phone_message,
        hint=_PHONE_HINT,
    )


# ------------------------------------------------------------------ duplicates


def _details(
    data: EntityData, named: np.ndarray
) -> dict[str, tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]]:
    """Per kind of detail: each value's record, its comparable key's code, the value as written, its field.

    E-mail and phone cells holding several values give one entry per value; a phone key is its
    last ten digits (seven at least); an address key is street plus postal code (or city).
    """
    out: dict[str, tuple[np.ndarray, pd.Series, pd.Series, np.ndarray]] = {}
    if "email" in data.present:
        owner, parts = split_values(data.stripped("email"))
        out["email"] = (owner, parts.str.lower(), parts, np.full(len(owner), "email", dtype=object))
    owners, keys, raws, fields = [], [], [], []
    for field in ("phone", "mobile"):
        if field in data.present:
            owner, parts = split_values(data.stripped(field))
            digits = parts.str.replace(r"\D", "", regex=True).str[-10:]
            ok = (digits.str.len() >= 7).to_numpy()
            owners.append(owner[ok])
            keys.append(digits[ok])
            raws.append(parts[ok])
            fields.append(np.full(int(ok.sum()), field, dtype=object))
    if owners:
        out["phone"] = (
            np.concatenate(owners),
            pd.concat(keys, ignore_index=True),
            pd.concat(raws, ignore_index=True),
            np.concatenate(fields),
        )
    if "street" in data.present:
        street = fold(data.stripped("street"))
        postal = fold(data.stripped("postal_code")).str.replace(" ", "", regex=False)
        place = postal.where(postal != "", fold(data.stripped("city")))
        ok = ((street != "") & (place != "")).to_numpy()
        owner = np.flatnonzero(ok)
        out["address"] = (
            owner,
            (street + "|" + place)[ok].reset_index(drop=True),
            data.stripped("street")[ok].reset_index(drop=True),
            np.full(len(owner), "street", dtype=object),
        )
    coded: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = {}
    for kind, (owner, key, raw, where) in out.items():
        keep = named[owner]
        coded[kind] = (owner[keep], codes_of(key[keep]), raw[keep].to_numpy(dtype=object), where[keep])
    return coded


_WHAT = {"email": "e-mail address", "phone": "phone number", "address": "address"}
_WHATS = {"email": "e-mail addresses", "phone": "phone numbers", "address": "addresses"}


def _evidence(name_level: int, names: tuple[str, str], levels: dict[str, int], shared: dict[str, str]) -> str:
    """The pair's evidence in words: what they share, then what differs."""
    kinds = ("email", "phone", "address")
    # Client data in curly quotes: privacy mode masks what is quoted (core.privacy.mask_message).
    same = [f"the same {_WHAT[k]} (“{shared[k]}”)" for k in kinds if levels.get(k) == SAME]
    same += [
        f"the same {_WHAT[k]} (“{shared[k]}”, which other contacts share too)"
        for k in kinds
        if levels.get(k) == SHARED_LINE
    ]
    alike = "the same name" if name_level == SAME else "a very similar name"
    if names[0] != names[1]:
        alike += f" (“{names[1]}” / “{names[0]}”)"
    differ = [_WHATS[k] for k in kinds if levels.get(k) == DIFFER]
    text = ", ".join(same) + " and " + alike
    if differ:
        text += "; their " + " and ".join(differ) + " differ"
    return text


@rule("possible-duplicate", Severity.WARNING, "Probably the same person or company twice", slow=True)
def possible_duplicate(ctx: CheckContext) -> None:
    """The same person or company under two IDs, weighed on the evidence two records share.

    Records are blocked on each e-mail address, phone number and address (and, within a large
    block such as a switchboard number, also on the surname), so only records sharing a detail
    are compared. Each pair gets a match weight (see ``name_match``): the same or a
    near-identical name plus a shared e-mail, phone or address is a warning at the later record,
    naming the earlier one and the evidence. A shared e-mail or phone under a different name (a
    family, a switchboard) is an info (``shared-contact-detail``); pairs that share a name and
    nothing else are counted in one info per export (``namesakes``).
    """
    data = ctx.entity("contacts")
    if data is None or len(data) < 2:
        return
    n = len(data)
    names = name_keys(data.stripped("first_name"), data.stripped("last_name"), data.stripped("company"))
    named = (names.key != "").to_numpy()
    details = _details(data, named)
    name_code = codes_of(names.key)
    family = codes_of(names.family)

    found: list[tuple[np.ndarray, np.ndarray]] = []
    for kind, (owner, code, _, _) in details.items():
        if kind != "address":  # a shared address under another surname says nothing
            found.append(block_pairs(owner, code, SMALL_BLOCK))
        found.append(block_pairs(owner, code * (int(family.max()) + 1) + family[owner]))
    ids = data.stripped("contact_id").to_numpy(dtype=object)
    if found:
        code = np.unique(np.concatenate([e * n + la for e, la in found]))
        earlier, later = code // n, code % n
        distinct = ids[earlier] != ids[later]  # the same ID twice is the duplicate-key rule's finding
        earlier, later = earlier[distinct], later[distinct]
    else:
        earlier = later = np.zeros(0, dtype=np.int64)

    name_level = name_levels(names, earlier, later)
    levels: dict[str, np.ndarray] = {"name": name_level}
    shared: dict[str, np.ndarray] = {}
    for kind, (owner, code, raw, _) in details.items():
        levels[kind], shared[kind] = agreement(earlier, later, owner, code, raw, family)
    score = match_weight(levels)
    warn = (name_level >= NEAR) & (score >= WARN_AT)
    warned = _report_duplicates(ctx, data, names.display, earlier, later, warn, score, levels, shared)

    _report_shared_details(ctx, data, name_code, names.display, details, warned)
    any_shared = np.zeros(len(earlier), dtype=bool)
    for kind in details:
        any_shared |= levels[kind] >= SAME
    _report_namesakes(ctx, data, names.key, names.display, int((any_shared & (name_level == SAME)).sum()))


def _report_duplicates(
    ctx: CheckContext,
    data: EntityData,
    display: pd.Series,
    earlier: np.ndarray,
    later: np.ndarray,
    warn: np.ndarray,
    score: np.ndarray,
    levels: dict[str, np.ndarray],
    shared: dict[str, np.ndarray],
) -> np.ndarray:
    """One warning per later record, naming its strongest earlier match; returns the warned records."""
    n = len(data)
    mask = np.zeros(n, dtype=bool)
    if not warn.any():
        return mask
    at = np.flatnonzero(warn)
    # The strongest pair per later record (then the earliest partner).
    best = pd.DataFrame({"pair": at, "later": later[at], "score": -score[at], "earlier": earlier[at]})
    best = best.sort_values(["later", "score", "earlier"]).drop_duplicates("later")
    pairs = best["pair"].to_numpy()
    shown = display.to_numpy(dtype=object)
    rows = data.frame[ROW].to_numpy()
    ids = data.stripped("contact_id").to_numpy(dtype=object)
    other = np.zeros(n, dtype=np.int64)
    other_id = np.full(n, "", dtype=object)
    why = np.full(n, "", dtype=object)
    # One sentence per warning: as many as the findings themselves.
    for p in pairs.tolist():
        e, la = int(earlier[p]), int(later[p])
        mask[la] = True
        other[la] = rows[e]
        other_id[la] = ids[e]
        why[la] = _evidence(
            int(levels["name"][p]),
            (str(shown[e]), str(shown[la])),
            {k: int(v[p]) for k, v in levels.items() if k != "name"},
            {k: str(v[p]) for k, v in shared.items()},
        )
    ctx.flag(
        data,
        mask,
        rule="possible-duplicate",
        severity=Severity.WARNING,
        field="contact_id",
        extra={"other": other, "other_id": other_id, "why": why},
        message=lambda c: (
            f"Contact {c['value']} looks like the contact on row {c['other']} ({c['other_id']}): {c['why']}. "
            "The same client under two IDs splits their matters and history."
        ),
        hint="If they are the same, merge them in the old system (or tell your specialist which ID to keep).",
    )
    return mask


def _report_shared_details(
    ctx: CheckContext,
    data: EntityData,
    name_code: np.ndarray,
    display: pd.Series,
    details: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]],
    warned: np.ndarray,
) -> None:
    """An info per e-mail address or phone number held by contacts of different names, at its second holder."""
    n = len(data)
    rows = data.frame[ROW].to_numpy()
    ids = data.stripped("contact_id").to_numpy(dtype=object)
    shown = display.to_numpy(dtype=object)
    done = np.zeros(n, dtype=bool)
    for kind in ("email", "phone"):
        if kind not in details:
            continue
        owner, code, raw, field = details[kind]
        keep = ~warned[owner]  # a duplicate already warned about is explained
        owner, code, raw, field = owner[keep], code[keep], raw[keep], field[keep]
        if len(owner) < 2:
            continue
        # Holders of each value in row order (one entry per record and value), all on integers.
        order = np.lexsort((owner, code))
        owner, code, raw, field = owner[order], code[order], raw[order], field[order]
        fresh = np.concatenate(([True], (code[1:] != code[:-1]) | (owner[1:] != owner[:-1])))
        owner, code, raw, field = owner[fresh], code[fresh], raw[fresh], field[fresh]
        starts = np.concatenate(([True], code[1:] != code[:-1]))
        first_at = np.flatnonzero(starts)[np.cumsum(starts) - 1]
        rank = np.arange(len(code)) - first_at
        holders = np.bincount(code)[code]
        names = distinct_names(code, name_code[owner])[code]
        pick = (rank == 1) & (names >= 2)
        second = pd.DataFrame(
            {
                "owner": owner[pick],
                "first": owner[first_at[pick]],
                "holders": holders[pick],
                "raw": raw[pick],
                "field": field[pick],
            }
        )
        second = second[~done[second["owner"].to_numpy()]].drop_duplicates("owner")
        for fld, part in second.groupby("field", sort=False):
            at = part["owner"].to_numpy()
            first = part["first"].to_numpy()
            mask = np.zeros(n, dtype=bool)
            mask[at] = True
            done[at] = True
            value = pd.Series(np.full(n, "", dtype=object))
            value.iloc[at] = part["raw"].to_numpy(dtype=object)
            other = np.zeros(n, dtype=np.int64)
            other[at] = rows[first]
            other_who = np.full(n, "", dtype=object)
            other_who[at] = [
                f"{i}, “{s}”" for i, s in zip(ids[first].tolist(), shown[first].tolist(), strict=True)
            ]
            more = np.zeros(n, dtype=np.int64)
            more[at] = part["holders"].to_numpy() - 2
            ctx.flag(
                data,
                mask,
                rule="shared-contact-detail",
                severity=Severity.INFO,
                field=str(fld),
                value=value,
                extra={"other": other, "who": other_who, "more": more, "id": data.stripped("contact_id")},
                message=lambda c, what=_WHAT[kind]: (
                    f"Contact {c['id']} has the same {what} as the contact on row {c['other']} ({c['who']})"
                    + (f" and {c['more']} other contact{'s' if c['more'] > 1 else ''}" if c["more"] else "")
                    + " under a different name: a family or a shared office line, most likely."
                ),
                hint="Nothing to fix if they are different people. If they are one person, merge them in the old "
                "system.",
            )


def _report_namesakes(
    ctx: CheckContext, data: EntityData, key: pd.Series, display: pd.Series, explained: int
) -> None:
    """One info for the whole contact list: how many pairs share only a name, with examples."""
    named = key[(key != "").to_numpy()]
    counts = named.value_counts()
    counts = counts[counts >= 2]
    pairs = int((counts * (counts - 1) // 2).sum()) - explained
    if pairs <= 0:
        return
    rows = data.frame[ROW].to_numpy()
    examples: list[str] = []
    shared = named[named.isin(counts.index)]
    for name in pd.unique(shared)[:5].tolist():
        at = np.flatnonzero((key == name).to_numpy())
        listed = ", ".join(str(r) for r in rows[at[:4]].tolist()) + (", …" if len(at) > 4 else "")
        examples.append(f"“{display.iloc[at[0]]}” (rows {listed})")
    src = int(data.frame[SRC].iloc[0])
    table = ctx.tables[src]
    listing = "; ".join(examples)
    plural = "pairs of contacts share" if pairs > 1 else "pair of contacts shares"
    ctx.findings.append(
        Finding.about_file(
            "namesakes",
            Severity.INFO,
            table.file,
            table.sheet,
            f"{pairs:,} {plural} a name and nothing else (no e-mail address, phone number or address in common), "
            f"so they are not reported as duplicates. For example: {listing}.",
            "Nothing to do if they are different people: namesakes are common in a large list. If some are one "
            "person, merge them in the old system.",
            entity=data.name,
            column=ctx.label(src, "last_name") if "last_name" in data.present else None,
            value=listing,
        )
    )
