"""Contact rules: nameless contacts, e-mail and phone syntax, the same person under two IDs."""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd
import pyarrow.compute as pc
from rapidfuzz import fuzz

from migration_assistant.core.dataset import EntityData
from migration_assistant.core.findings import Severity
from migration_assistant.core.normalise import as_arrow
from migration_assistant.core.readers.table import ROW
from migration_assistant.core.rules.base import CheckContext, rule
from migration_assistant.core.rules.repeats import repeats

_COMPANY_SUFFIX = (
    r"(?i)\b(inc|incorporated|llc|llp|ltd|limited|corp|corporation|co|company|plc|pc|pllc|gmbh|sa|lp)\b\.?"
)
DEFAULT_REGION = "US"
_PLAIN_EMAIL = (
    r"[A-Za-z0-9_%+-]+(?:\.[A-Za-z0-9_%+-]+)*@"
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}"
)
NAME_SIMILAR = 80.0


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


@rule("invalid-email", Severity.ERROR, "An e-mail address that cannot be right")
def invalid_email(ctx: CheckContext) -> None:
    """An e-mail address that is not written as one can be, so no message would reach it.

    Syntax checked offline with email-validator (no DNS lookups); each distinct value once.
    """
    for name in ("contacts", "users"):
        data = ctx.entity(name)
        if data is None or "email" not in data.present:
            continue
        emails = data.stripped("email")
        # Ordinary addresses pass a strict pattern in one vectorised step; only the rest
        # (unusual or wrong ones) go through email-validator one distinct value at a time.
        plain = emails.str.fullmatch(_PLAIN_EMAIL).fillna(False).to_numpy(dtype=bool)
        unusual = emails[(emails != "").to_numpy() & ~plain].unique()
        problems = {value: _email_problem(str(value)) for value in unusual}
        bad_values = {v for v, p in problems.items() if p}
        if not bad_values:
            continue
        mask = emails.isin(bad_values).to_numpy()
        ctx.flag(
            data,
            mask,
            rule="invalid-email",
            severity=Severity.ERROR,
            field="email",
            extra={"why": emails.map(problems).fillna("").to_numpy()},
            message=lambda c: f"“{c['value']}” is not a valid e-mail address: {c['why']}",
            hint="Correct the address (one address per cell; a phone number or name belongs in its own column).",
        )


@cache
def _phone_ok(value: str, region: str) -> bool:
    import phonenumbers  # here, for the same reason as email_validator above

    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        return False
    return bool(phonenumbers.is_possible_number(number))


@rule("invalid-phone", Severity.WARNING, "A phone number that cannot be dialled")
def invalid_phone(ctx: CheckContext) -> None:
    """A phone number with too few or too many digits to be dialled.

    Checked with phonenumbers (international format, or North American by default).
    """
    data = ctx.entity("contacts")
    if data is None:
        return
    for field in ("phone", "mobile"):
        if field not in data.present:
            continue
        phones = data.stripped(field)
        # Ten-digit North American numbers in any punctuation are possible numbers by definition;
        # only the rest (international, short, odd) go through phonenumbers, one distinct value each.
        squeezed = pc.replace_substring_regex(as_arrow(phones), r"[\s().-]", "")
        nanp = pc.match_substring_regex(squeezed, r"^(?:\+?1)?\d{10}$").fill_null(False)
        unusual = (phones != "").to_numpy() & ~np.asarray(nanp.to_numpy(zero_copy_only=False), dtype=bool)
        unique = phones[unusual].unique()
        bad = {v for v in unique if not _phone_ok(str(v), DEFAULT_REGION)}
        if not bad:
            continue
        ctx.flag(
            data,
            phones.isin(bad).to_numpy(),
            rule="invalid-phone",
            severity=Severity.WARNING,
            field=field,
            message=lambda c: f"“{c['value']}” does not look like a complete phone number.",
            hint="Write the full number with area code (and +country code for numbers outside North America).",
        )


def _name_keys(data: EntityData) -> pd.Series:
    person = (data.stripped("first_name") + " " + data.stripped("last_name")).str.strip()
    company = data.stripped("company")
    company = pd.Series(
        pc.replace_substring_regex(as_arrow(company), _COMPANY_SUFFIX, ""), index=company.index, dtype="str"
    )
    name = person.where(person != "", company)
    # Accents off (NFKD, then only ASCII kept), lower case, punctuation to spaces, single spaces.
    folded = pc.replace_substring_regex(pc.utf8_normalize(as_arrow(name), "NFKD"), r"[^\x00-\x7f]+", "")
    folded = pc.replace_substring_regex(pc.ascii_lower(folded), r"[^a-z0-9 ]+", " ")
    folded = pc.utf8_trim(pc.replace_substring_regex(folded, " {2,}", " "), " ")
    return pd.Series(folded, index=name.index, dtype="str")


@rule("possible-duplicate", Severity.WARNING, "Probably the same person or company twice", slow=True)
def possible_duplicate(ctx: CheckContext) -> None:
    """The same person or company under two IDs.

    Pairs are blocked (only records sharing an e-mail, a phone number or the exact
    normalised name are compared), then names are compared with rapidfuzz. Reported
    at the later record, naming the earlier one and why they look alike.
    """
    data = ctx.entity("contacts")
    if data is None or len(data) < 2:
        return
    names = _name_keys(data).fillna("")
    blocks: list[tuple[str, pd.Series]] = [("the same name", names)]
    if "email" in data.present:
        blocks.append(("the same e-mail address", data.stripped("email").str.lower()))
    for field in ("phone", "mobile"):
        if field in data.present:
            only_digits = pc.replace_substring_regex(as_arrow(data.stripped(field)), r"\D", "")
            digits = pd.Series(only_digits, index=data.frame.index, dtype="str").str[-10:]
            blocks.append(("the same phone number", digits.where(digits.str.len() >= 7, "")))
    # Plain lists: stepping through Arrow-backed columns one cell at a time is slow.
    name_of = names.tolist()
    id_of = data.stripped("contact_id").tolist()
    row_of = data.frame[ROW].to_numpy()
    named = (names != "").to_numpy()
    reported: dict[int, tuple[int, str, float]] = {}
    for reason, key in blocks:
        later, first = repeats(key, named & (key != "").to_numpy())
        for pos, earlier in zip(later.tolist(), first.tolist(), strict=True):
            if id_of[pos] == id_of[earlier] or pos in reported:
                continue  # same ID twice is the duplicate-key rule's finding
            name, e_name = name_of[pos], name_of[earlier]
            score = 100.0 if name == e_name else fuzz.token_sort_ratio(name, e_name)
            if reason != "the same name" and score < NAME_SIMILAR:
                continue
            reported[pos] = (
                int(row_of[earlier]),
                f"{reason} and {'the same' if score == 100 else 'a very similar'} name ({score:.0f}% alike)"
                if reason != "the same name"
                else reason,
                score,
            )
    if not reported:
        return
    mask = np.zeros(len(data), dtype=bool)
    mask[list(reported)] = True
    other = np.zeros(len(data), dtype=np.int64)
    why = np.full(len(data), "", dtype=object)
    for pos, (row, reason, _) in reported.items():
        other[pos] = row
        why[pos] = reason
    ctx.flag(
        data,
        mask,
        rule="possible-duplicate",
        severity=Severity.WARNING,
        field="contact_id",
        extra={"other": other, "why": why},
        message=lambda c: (
            f"Contact {c['value']} looks like the contact on row {c['other']}: {c['why']}. "
            "The same client under two IDs splits their matters and history."
        ),
        hint="If they are the same, merge them in the old system (or tell your specialist which ID to keep).",
    )
