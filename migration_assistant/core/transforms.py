"""Declarative value transforms a source profile can name (``"transforms"`` in its JSON).

They run on one table's canonical piece, right after its columns were renamed to the
canonical field names and before any parsing: every column is text, plus ``_row`` and
``_src``. Each transform is vectorised and only ever rewrites or fills canonical
columns; the original export is never touched (it travels byte for byte in the package).

Kinds (``kind`` in the profile; ``from``/``to`` are canonical *titles* of the entity):

``split-last-first``
    "Núñez, José" in one column -> Last Name "Núñez", First Name "José". Reads ``from``
    (default "Last Name") and writes ``to`` (default ["Last Name", "First Name"]). Only rows
    whose first name is blank and that hold exactly one comma are split; company-looking
    names ("Dewey, Cheatham & Howe", "Acme, Inc."), a suffix after the comma ("Smith, Jr.")
    and rows typed Company are left as they are.
``hours-from-minutes``
    The Hours column came from a minutes column (``headers`` lists the source headings that
    mean minutes, e.g. "Minutes"): 90 -> 1.5. Without ``headers`` it always applies.
``hours-from-hhmm``
    Durations written "1:30" (hours:minutes) -> 1.5; other cells unchanged.
``amount-sign-to-type``
    Trust: a signed Amount gives the direction. Rows with no Type get Deposit (positive) or
    Withdrawal (negative); a negative amount on a row whose Type already means money out
    (Withdrawal, Transfer Out, after the profile's value map) is made positive. A negative
    amount on a Deposit is left alone for the rules to report. ``(12.50)`` counts as negative.
``row-id``
    The export has no ID column for the entity's key (Outlook and Google contacts): the key
    (``to``, default the primary key) is filled from the spreadsheet row, ``<prefix><row>``
    (with the file's position when several files hold the entity). Never applied when the
    export has an ID column, so blank IDs there are still reported.
``client-from-matter-number``
    Tabs3's client.matter IDs: a blank Client ID is filled from the Matter Number's part
    before ``separator`` (default "."): "1234.001" -> "1234".
``invert-boolean``
    The Billable column came from a column meaning the opposite ("Non-billable",
    "No Charge"; ``headers`` lists them): Y <-> N, Yes <-> No, True <-> False, 1 <-> 0.
``client-from-name-columns``
    The export names a matter's client in separate columns, not by one ID (Clio's matters
    template: client_first_name, client_last_name, client_company_name; ``headers`` lists them
    in that order). A blank Client ID (``to``) becomes "First Last", or the company name when
    both names are blank; it is then resolved against the contacts by name like any client
    written by name (``core.people``). Needs the table's own columns (``source``).

:func:`provided_titles` tells which required fields a profile's transforms fill in even
though the export has no such column, so mapping does not call them missing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from migration_assistant.core.adapters import Profile
from migration_assistant.core.schema import Entity, entities, normalise_label

ROW = "_row"
SRC = "_src"

KINDS = (
    "split-last-first",
    "hours-from-minutes",
    "hours-from-hhmm",
    "amount-sign-to-type",
    "row-id",
    "client-from-matter-number",
    "invert-boolean",
    "client-from-name-columns",
)

_COMPANY_WORDS = re.compile(
    r"(?:&|\+|\band\b|\b(?:inc|incorporated|llc|llp|ltd|limited|corp|corporation|co|company|plc|pc|pllc"
    r"|gmbh|sa|lp|group|partners|associates|bank|trust|university|hospital|holdings)\b\.?)",
    re.IGNORECASE,
)
_SUFFIX_ONLY = re.compile(r"^\s*(jr|sr|ii|iii|iv|v|esq|md|phd|cpa|qc|kc)\.?\s*$", re.IGNORECASE)
_OUT_TYPES = {"Withdrawal", "Transfer Out"}
_TRUE = ("y", "yes", "true", "1", "t")
_FALSE = ("n", "no", "false", "0", "f")


def _name(ent: Entity, title: str) -> str | None:
    for f in ent.fields:
        if f.title == title:
            return f.name
    return None


def _header_matches(spec: Mapping[str, Any], label: str | None) -> bool:
    """True when the transform has no ``headers`` condition, or *label* is one of them."""
    headers = spec.get("headers")
    if not headers:
        return True
    if not label:
        return False
    return normalise_label(label) in {normalise_label(h) for h in headers}


def _text(frame: pd.DataFrame, name: str) -> pd.Series:
    return frame[name].astype("str")


def _split_last_first(
    frame: pd.DataFrame, ent: Entity, spec: Mapping[str, Any], profile: Profile, labels: Mapping[str, str]
) -> None:
    src = _name(ent, spec.get("from", "Last Name"))
    to = spec.get("to", ["Last Name", "First Name"])
    last, first = _name(ent, to[0]), _name(ent, to[1]) if len(to) > 1 else None
    if src is None or last is None or first is None or src not in labels:
        return
    text = _text(frame, src).str.strip()
    parts = text.str.split(",", n=1, expand=True)
    if parts.shape[1] < 2:
        return
    left = parts[0].fillna("").str.strip()
    right = parts[1].fillna("").str.strip()
    splittable = (
        (text.str.count(",") == 1)
        & (left != "")
        & (right != "")
        & (_text(frame, first).str.strip() == "")
        & ~text.str.contains(_COMPANY_WORDS, regex=True)
        & ~right.str.match(_SUFFIX_ONLY)
    )
    if "type" in frame.columns and ent.has("type"):
        kind = _text(frame, "type").str.strip().str.casefold()
        company_words = {
            k.casefold() for k, v in profile.value_map(ent.name, "Type").items() if v == "Company"
        }
        splittable &= ~kind.isin({"company", *company_words})
    if not splittable.any():
        return
    mask = splittable.to_numpy()
    frame.loc[mask, last] = left[mask].to_numpy()
    frame.loc[mask, first] = right[mask].to_numpy()


def _format_hours(values: pd.Series) -> pd.Series:
    rounded = values.round(4)
    return rounded.map(lambda v: f"{v:.4f}".rstrip("0").rstrip("."))


def _hours_from_minutes(
    frame: pd.DataFrame, ent: Entity, spec: Mapping[str, Any], profile: Profile, labels: Mapping[str, str]
) -> None:
    target = _name(ent, (spec.get("to") or ["Hours"])[0])
    if target is None or target not in labels or not _header_matches(spec, labels.get(target)):
        return
    text = _text(frame, target).str.strip().str.replace(",", "", regex=False)
    numeric = pd.to_numeric(text.where(text.str.fullmatch(r"-?\d+(?:\.\d+)?")), errors="coerce")
    ok = numeric.notna()
    if ok.any():
        frame.loc[ok, target] = _format_hours(numeric[ok] / 60.0).to_numpy()


def _hours_from_hhmm(
    frame: pd.DataFrame, ent: Entity, spec: Mapping[str, Any], profile: Profile, labels: Mapping[str, str]
) -> None:
    target = _name(ent, (spec.get("to") or ["Hours"])[0])
    if target is None or target not in labels or not _header_matches(spec, labels.get(target)):
        return
    parts = _text(frame, target).str.strip().str.extract(r"^(\d{1,4}):([0-5]\d)(?::([0-5]\d))?$")
    ok = parts[0].notna() & parts[1].notna()
    if not ok.any():
        return
    hours = parts.loc[ok, 0].astype(float) + parts.loc[ok, 1].astype(float) / 60.0
    hours += parts.loc[ok, 2].fillna("0").astype(float) / 3600.0
    frame.loc[ok, target] = _format_hours(hours).to_numpy()


def _amount_sign_to_type(
    frame: pd.DataFrame, ent: Entity, spec: Mapping[str, Any], profile: Profile, labels: Mapping[str, str]
) -> None:
    amount = _name(ent, spec.get("from", "Amount"))
    to = spec.get("to", ["Type", "Amount"])
    kind = _name(ent, to[0])
    target_amount = _name(ent, to[1]) if len(to) > 1 else amount
    if amount is None or kind is None or target_amount is None or amount not in labels:
        return
    raw = _text(frame, amount).str.strip()
    parens = raw.str.fullmatch(r"\(.*\)")
    leading = raw.str.match(r"^[A-Z]{0,3}\s*[$€£¥]?\s*-")
    trailing = raw.str.match(r"^.*\d-$")
    negative = parens | leading | trailing
    magnitude = raw.where(~parens, raw.str.slice(1, -1))
    magnitude = magnitude.str.replace(r"^([A-Z]{0,3}\s*[$€£¥]?\s*)-", r"\1", regex=True)
    magnitude = magnitude.str.replace(r"(\d)-$", r"\1", regex=True)
    has_amount = raw != ""
    current = _text(frame, kind).str.strip() if kind in frame.columns else pd.Series("", index=frame.index)
    lookup = {k.casefold(): v for k, v in profile.value_map(ent.name, ent.field(kind).title).items()}
    lookup.update({a.casefold(): a for a in ent.field(kind).enum})
    canonical = current.str.casefold().map(lookup)
    no_type = current == ""
    fill = no_type & has_amount
    frame.loc[fill & negative, kind] = "Withdrawal"
    frame.loc[fill & ~negative, kind] = "Deposit"
    flip = negative & (fill | canonical.isin(_OUT_TYPES))
    if flip.any():
        frame.loc[flip, target_amount] = magnitude[flip].to_numpy()


def _row_id(
    frame: pd.DataFrame, ent: Entity, spec: Mapping[str, Any], profile: Profile, labels: Mapping[str, str]
) -> None:
    target = _name(ent, (spec.get("to") or [ent.field(ent.primary_key).title])[0])
    if target is None or target in labels:
        return
    prefix = spec.get("prefix", "row-")
    rows = (
        frame[ROW].astype("int64").astype("str")
        if ROW in frame.columns
        else pd.Series((np.arange(len(frame)) + 2).astype(str), index=frame.index)
    )
    if SRC in frame.columns and frame[SRC].nunique() > 1:
        ids = prefix + (frame[SRC].astype("int64") + 1).astype("str") + "-" + rows
    else:
        ids = prefix + rows
    dtype = frame[target].dtype if target in frame.columns else "str"
    frame[target] = pd.Series(ids.to_numpy(dtype=object), index=frame.index, dtype=dtype)


def _client_from_matter(
    frame: pd.DataFrame, ent: Entity, spec: Mapping[str, Any], profile: Profile, labels: Mapping[str, str]
) -> None:
    matter = _name(ent, spec.get("from", "Matter Number"))
    target = _name(ent, (spec.get("to") or ["Client ID"])[0])
    if matter is None or target is None or matter not in labels:
        return
    sep = spec.get("separator", ".")
    text = _text(frame, matter).str.strip()
    left = text.str.split(sep, n=1, regex=False).str[0].fillna("")
    blank = (
        _text(frame, target).str.strip() == ""
        if target in frame.columns
        else pd.Series(True, index=frame.index)
    )
    fill = blank & text.str.contains(sep, regex=False) & (left != "")
    if fill.any():
        frame.loc[fill, target] = left[fill].to_numpy()


def _invert_boolean(
    frame: pd.DataFrame, ent: Entity, spec: Mapping[str, Any], profile: Profile, labels: Mapping[str, str]
) -> None:
    target = _name(ent, (spec.get("to") or ["Billable"])[0])
    if target is None or target not in labels or not _header_matches(spec, labels.get(target)):
        return
    text = _text(frame, target).str.strip()
    folded = text.str.casefold()
    swap = {t: f for t, f in zip(_TRUE, _FALSE, strict=True)} | {
        f: t for t, f in zip(_TRUE, _FALSE, strict=True)
    }
    flipped = folded.map(swap)
    ok = flipped.notna()
    if not ok.any():
        return
    # Keep the source's spelling style: "Y"/"N" stay upper case, "yes"/"no" lower.
    upper = text.str.isupper()
    out = flipped.where(~upper, flipped.str.upper())
    title = text.str.istitle() & ~upper
    out = out.where(~title, out.str.title())
    frame.loc[ok, target] = out[ok].to_numpy()


def _client_from_name_columns(
    frame: pd.DataFrame, ent: Entity, spec: Mapping[str, Any], source: pd.DataFrame
) -> None:
    target = _name(ent, (spec.get("to") or ["Client ID"])[0])
    headers = list(spec.get("headers") or ())
    if target is None or len(headers) < 2:
        return
    by_key = {normalise_label(str(c)): c for c in source.columns}

    def column(header: str | None) -> pd.Series:
        label = by_key.get(normalise_label(header)) if header else None
        if label is None:
            return pd.Series("", index=frame.index, dtype="str")
        return pd.Series(source[label].astype("str").str.strip().to_numpy(), index=frame.index)

    first, last = column(headers[0]), column(headers[1])
    company = column(headers[2] if len(headers) > 2 else None)
    person = (first + " " + last).str.strip()
    name = person.where(person != "", company)
    blank = (
        _text(frame, target).str.strip() == ""
        if target in frame.columns
        else pd.Series(True, index=frame.index)
    )
    fill = blank & (name != "")
    if fill.any():
        frame.loc[fill, target] = name[fill].to_numpy()


_APPLY: dict[str, Callable[[pd.DataFrame, Entity, Mapping[str, Any], Profile, Mapping[str, str]], None]] = {
    "split-last-first": _split_last_first,
    "hours-from-minutes": _hours_from_minutes,
    "hours-from-hhmm": _hours_from_hhmm,
    "amount-sign-to-type": _amount_sign_to_type,
    "row-id": _row_id,
    "client-from-matter-number": _client_from_matter,
    "invert-boolean": _invert_boolean,
}


def transforms_for(profile: Profile, entity: str) -> list[Mapping[str, Any]]:
    """The profile's transforms for *entity*, in the order they are declared."""
    return [t for t in profile.transforms if t.get("entity") == entity]


def apply_transforms(
    table_frame: pd.DataFrame,
    entity: str,
    profile: Profile,
    labels: dict[str, str],
    source: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Apply the profile's transforms for *entity* to one table's canonical frame.

    Args:
        table_frame: canonical field names as columns (all text, "" for missing), plus ``_row``/``_src``.
        entity: the canonical entity the table holds.
        profile: the source system's profile.
        labels: canonical field name -> the source column label it was mapped from (only mapped fields).
        source: the table's own columns, same rows (for transforms that read unmapped columns).

    Returns:
        A new frame (the input is not modified) with the transformed columns.
    """
    specs = transforms_for(profile, entity)
    if not specs or table_frame.empty:
        return table_frame
    ent = entities()[entity]
    frame = table_frame.copy()
    for spec in specs:
        if spec["kind"] == "client-from-name-columns":
            if source is not None:
                _client_from_name_columns(frame, ent, spec, source)
            continue
        _APPLY[spec["kind"]](frame, ent, spec, profile, labels)
    return frame


def provided_titles(profile: Profile, entity: str, mapped_titles: set[str] | frozenset[str]) -> set[str]:
    """Canonical titles of *entity* that a transform fills in although no column was mapped to them.

    Used so that mapping does not call them missing (``missing_required``) and role scoring
    counts them: Outlook contacts get their Contact ID from ``row-id``, a signed trust amount
    gives the Type (``amount-sign-to-type``), Tabs3 matters their Client ID.
    """
    out: set[str] = set()
    ent = entities()[entity]
    for spec in transforms_for(profile, entity):
        kind = spec["kind"]
        if kind == "row-id":
            title = (spec.get("to") or [ent.field(ent.primary_key).title])[0]
            if title not in mapped_titles:
                out.add(title)
        elif kind == "amount-sign-to-type" and spec.get("from", "Amount") in mapped_titles:
            out.add((spec.get("to") or ["Type"])[0])
        elif (
            kind == "client-from-matter-number" and spec.get("from", "Matter Number") in mapped_titles
        ) or kind == "client-from-name-columns":
            out.add((spec.get("to") or ["Client ID"])[0])
    return out - set(mapped_titles)


def provided_fields(profile: Profile, entity: str, labels: Mapping[str, str]) -> set[str]:
    """Like :func:`provided_titles`, as canonical field names, from a table's ``labels`` (name -> label).

    ``build_dataset`` adds these to the entity's ``present`` set so the filled columns are parsed and checked.
    """
    ent = entities()[entity]
    mapped = {ent.field(name).title for name in labels if ent.has(name)}
    return {f.name for f in ent.fields if f.title in provided_titles(profile, entity, mapped)}
