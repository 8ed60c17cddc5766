"""Fixes of contact details: e-mail wrappers, phone numbers with a known country, "Last, First" names."""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from migration_assistant.core.fixes.base import FixContext, fix
from migration_assistant.core.normalise import as_arrow
from migration_assistant.core.rules.contacts import _PLAIN_EMAIL, DEFAULT_REGION, _email_problem, _phone_ok
from migration_assistant.core.rules.name_match import split_values
from migration_assistant.core.transforms import _COMPANY_WORDS, _SUFFIX_ONLY

JOIN = "; "
"""How a fixed cell holding several e-mail addresses or phone numbers separates them: one of the
separators every rule, the contact slots and the new system's importer read as a list."""


def _join(owner: np.ndarray, parts: pd.Series, cells: np.ndarray) -> np.ndarray:
    """The parts of each of *cells* (positions), joined with :data:`JOIN`, in their order."""
    frame = pd.DataFrame({"owner": owner, "part": parts.to_numpy(dtype=object)})
    frame = frame[frame["owner"].isin(cells).to_numpy()]
    joined = frame.groupby("owner", sort=False)["part"].agg(JOIN.join)
    return np.asarray(joined.reindex(cells).to_numpy(dtype=object), dtype=object)


def _valid_email(parts: pd.Series) -> np.ndarray:
    plain = parts.str.fullmatch(_PLAIN_EMAIL).fillna(False).to_numpy(dtype=bool)
    problems = {v: _email_problem(str(v)) for v in parts[~plain].unique().tolist()}
    return plain | (~plain & parts.map(problems).isna().to_numpy())


@fix(
    "clean-email",
    ("invalid-email",),
    "Take the e-mail address out of its wrapping",
    certain_when=(
        "only when what is left after removing “mailto:”, a display name and its angle brackets is a valid "
        "address; a typo in the address itself has more than one possible correction"
    ),
)
def clean_email(ctx: FixContext) -> None:
    """An e-mail cell written as "mailto:ann@x.com" or "Ann Lee <ann@x.com>" becomes "ann@x.com".

    Each address in the cell is trimmed and freed of a "mailto:" prefix, a display name with its
    angle brackets, and quotes around it. Only cells the invalid-email rule flags, and only when
    every address in the cell is valid afterwards; several addresses are joined with "; ".
    """
    for name in ("contacts", "users"):
        data = ctx.dataset.get(name)
        if data is None or "email" not in data.present:
            continue
        for src, label, _frame_pos, table_pos, text in ctx.text_cells(data, ("email",), "email"):
            owner, parts = split_values(text)
            if not len(parts):
                continue
            ok_before = _valid_email(parts)
            if ok_before.all():
                continue
            flagged = np.zeros(len(text), dtype=bool)
            flagged[owner[~ok_before]] = True
            cleaned = parts.str.replace(r"^.*<\s*([^<>]+?)\s*>\s*$", r"\1", regex=True)
            cleaned = cleaned.str.replace(r"^(?i:mailto:)\s*", "", regex=True)
            cleaned = cleaned.str.strip().str.strip("\"'").str.strip()
            ok_after = _valid_email(cleaned)
            bad_owner = np.zeros(len(text), dtype=bool)
            bad_owner[owner[~ok_after]] = True
            cells = np.flatnonzero(flagged & ~bad_owner)
            if len(cells):
                ctx.propose(src, label, table_pos[cells], _join(owner, cleaned, cells))


_REGIONS = {
    "UNITED STATES": "US", "UNITED STATES OF AMERICA": "US", "USA": "US", "U.S.A.": "US", "U.S.": "US",
    "CANADA": "CA", "UNITED KINGDOM": "GB", "UK": "GB", "U.K.": "GB", "GREAT BRITAIN": "GB", "ENGLAND": "GB",
    "SCOTLAND": "GB", "WALES": "GB", "NORTHERN IRELAND": "GB", "IRELAND": "IE", "AUSTRALIA": "AU",
    "NEW ZEALAND": "NZ", "FRANCE": "FR", "GERMANY": "DE", "DEUTSCHLAND": "DE", "SPAIN": "ES", "ITALY": "IT",
    "NETHERLANDS": "NL", "THE NETHERLANDS": "NL", "BELGIUM": "BE", "SWITZERLAND": "CH", "AUSTRIA": "AT",
    "MEXICO": "MX", "INDIA": "IN", "JAPAN": "JP", "CHINA": "CN", "SINGAPORE": "SG", "HONG KONG": "HK",
    "SOUTH AFRICA": "ZA", "BRAZIL": "BR", "SWEDEN": "SE", "NORWAY": "NO", "DENMARK": "DK", "FINLAND": "FI",
    "PORTUGAL": "PT", "POLAND": "PL", "ISRAEL": "IL", "LUXEMBOURG": "LU",
}  # fmt: skip
"""Country names as address books write them; two-letter ISO codes are taken as they are."""


@cache
def region_of(country: str) -> str | None:
    """The phone region of a country as written in an address ("UK" -> "GB"), or None if unknown."""
    import phonenumbers  # here: loading its metadata costs the command line time at every start

    key = " ".join(country.upper().split())
    if key in _REGIONS:
        return _REGIONS[key]
    if len(key) == 2 and key in phonenumbers.SUPPORTED_REGIONS:
        return key
    return None


@cache
def e164(value: str, region: str) -> str | None:
    """The number in E.164 form ("+442079460958") when it is a valid number of *region*, else None."""
    import phonenumbers

    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


@fix(
    "phone-e164",
    ("invalid-phone",),
    "Write phone numbers in international form",
    certain_when=(
        "only when the contact's country is given and the number is a valid number of that country; "
        "a number with digits missing cannot be completed"
    ),
)
def phone_e164(ctx: FixContext) -> None:
    """A phone number that cannot be dialled as North American, but is valid for the contact's country, becomes E.164.

    "020 7946 0958" for a contact in the United Kingdom becomes "+442079460958". Only cells the
    invalid-phone rule flags, only for contacts whose Country names a country, and only when
    every number in the cell is a valid number there; several numbers are joined with "; ".
    """
    data = ctx.dataset.get("contacts")
    if data is None or "country" not in data.present:
        return
    country = data.stripped("country")
    fields = tuple(f for f in ("phone", "mobile") if f in data.present)
    for src, label, frame_pos, table_pos, text in ctx.text_cells(data, fields, "phone"):
        owner, parts = split_values(text)
        if not len(parts):
            continue
        squeezed = pc.replace_substring_regex(as_arrow(parts), r"[\s().-]", "")
        nanp = np.asarray(
            pc.match_substring_regex(squeezed, r"^(?:\+?1)?\d{10}$")
            .fill_null(False)
            .to_numpy(zero_copy_only=False),
            dtype=bool,
        )
        values = parts.to_numpy(dtype=object)
        bad = ~nanp & np.asarray([not _phone_ok(str(v), DEFAULT_REGION) for v in values], dtype=bool)
        if not bad.any():
            continue
        flagged = np.zeros(len(text), dtype=bool)
        flagged[owner[bad]] = True
        regions = country.iloc[frame_pos].to_numpy(dtype=object)[owner]
        region = np.asarray([region_of(str(c)) if c else None for c in regions], dtype=object)
        formatted = np.asarray(
            [e164(str(v), r) if r else None for v, r in zip(values, region, strict=True)], dtype=object
        )
        missing = np.zeros(len(text), dtype=bool)
        missing[owner[np.asarray([f is None for f in formatted], dtype=bool)]] = True
        cells = np.flatnonzero(flagged & ~missing)
        if len(cells):
            ctx.propose(src, label, table_pos[cells], _join(owner, pd.Series(formatted), cells))


@fix(
    "split-last-first",
    ("incomplete-name",),
    "Split “Last, First” into last and first name",
    certain_when=(
        "only for a person (not a company) whose one name field holds “Last, First” with a single comma, "
        "while the other name field is empty and the file has a column for it"
    ),
)
def split_last_first(ctx: FixContext) -> None:
    """A person's "Lee, Ann" in one name field, with the other empty, is split into last name "Lee" and first "Ann".

    Only for people (a company's name keeps its commas), one comma, text on both sides, no
    company word ("& Co", "LLC"...) and no lone suffix after the comma ("Smith, Jr.").
    """
    data = ctx.dataset.get("contacts")
    if data is None or not {"first_name", "last_name"} <= data.present:
        return
    kind = (
        data.stripped("type").str.casefold()
        if "type" in data.present
        else pd.Series("", index=data.frame.index, dtype=object)
    )
    person = ((kind != "company") & (data.stripped("company") == "")).to_numpy()
    for filled, empty in (("last_name", "first_name"), ("first_name", "last_name")):
        text = data.stripped(filled)
        candidates = person & (data.stripped(empty) == "").to_numpy() & (text.str.count(",") == 1).to_numpy()
        if not candidates.any():
            continue
        parts = text.str.split(",", n=1, expand=True)
        if parts.shape[1] < 2:
            continue
        left, right = parts[0].fillna("").str.strip(), parts[1].fillna("").str.strip()
        ok = (
            candidates
            & (left != "").to_numpy()
            & (right != "").to_numpy()
            & ~text.str.contains(_COMPANY_WORDS, regex=True).fillna(False).to_numpy(dtype=bool)
            & ~right.str.match(_SUFFIX_ONLY).fillna(False).to_numpy(dtype=bool)
        )
        if not ok.any():
            continue
        cells = dict(
            ((src, name), (label, frame_pos, table_pos))
            for name in ("first_name", "last_name")
            for src, label, frame_pos, table_pos in ctx.field_cells(data, name)
        )
        for (src, name), (label, frame_pos, table_pos) in cells.items():
            if name != filled or (src, empty) not in cells:
                continue
            other_label, other_frame, other_table = cells[(src, empty)]
            here = ok[frame_pos]
            both = np.intersect1d(frame_pos[here], other_frame)
            if not len(both):
                continue
            at = np.searchsorted(frame_pos, both)
            other_at = np.searchsorted(other_frame, both)
            ctx.propose(src, label, table_pos[at], left.iloc[both].to_numpy(dtype=object))
            ctx.propose(src, other_label, other_table[other_at], right.iloc[both].to_numpy(dtype=object))
