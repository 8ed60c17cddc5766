"""Filling a contact's slots from an address book's many e-mail, phone and address columns.

The canonical contact has one Email, one Phone, one Mobile and one address. Address books
hold more, each with a kind: in the heading (Outlook's "Business Phone", "Pager") or in a
label beside the value, row by row (Google's "Phone 1 - Label": "Mobile"). Per row:

* **Email**: the one marked primary (Google's "* " label, Thunderbird's "Primary Email"),
  else the first filled one in column order;
* **Phone**: by kind, main before work, the company's number, home, then unlabelled or other;
  **Mobile**: the first mobile or cell number. Pager, fax, car and the assistant's or callback
  numbers never take a slot;
* **address**: taken whole from one block (business first, as suits a firm's client; then
  home, unlabelled, other), never street from one and city from another;
* everything else is kept, in column order, as extra columns of the normalised data
  ("Email 2", "Phone 2", "Phone 2 Label", "Address 2 Street"…), never dropped.

When the file has no Type column, Type is derived: Person when a first or last name is
present, Company when only a company is.

Every step works on whole columns (numpy arrays of rows x candidate columns); nothing loops
over rows. A cell holding several values joined by Google's " ::: " (two numbers under one
label) gives one value each: the first may take the slot, the others are extra columns, so the
slot holds one e-mail or number as the new system needs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from migration_assistant.core.recognise.address_book import (
    ADDRESS_PARTS,
    AddressBlock,
    AddressBookLayout,
    ValueColumn,
    kind_of,
)

FAMILIES: Mapping[str, tuple[str, ...]] = {
    "email": ("email",),
    "phone": ("phone", "mobile"),
    "address": ("street", "city", "state_province", "postal_code", "country"),
}
"""Canonical fields each family of columns fills."""
PART_FIELD = dict(zip(ADDRESS_PARTS, FAMILIES["address"], strict=True))
PART_TITLE = {
    "street": "Street",
    "city": "City",
    "state": "State/Province",
    "postal": "Postal Code",
    "country": "Country",
}

_NONE = 1_000
MULTI = " ::: "
"""How Google Contacts joins several values of one field in one cell."""
_KINDS = ("", "main", "work", "company", "home", "other", "mobile", "fax", "pager", "car", "special")
_CODE = {kind: code for code, kind in enumerate(_KINDS)}
_PHONE_RANK = np.array([4, 0, 1, 2, 3, 4, _NONE, _NONE, _NONE, _NONE, _NONE])
"""Rank for the Phone slot by kind code: main, work, the company's number, home, then unlabelled or other."""
_ADDRESS_RANK = np.array([2, 3, 0, 3, 1, 3, 3, 3, 3, 3, 3])
"""Rank of an address block by kind code: work, home, unlabelled, then any other."""
_MOBILE = _CODE["mobile"]


@dataclass(slots=True)
class _Cells:
    """Candidate values side by side: each column's text and label, and per row x column whether
    blank, the kind code and the primary mark."""

    columns: list[pd.Series]
    captions: list[pd.Series | str]
    blank: np.ndarray
    kinds: np.ndarray
    primary: np.ndarray


def _text(source: pd.DataFrame, label: str) -> pd.Series:
    return source[label].astype("str").fillna("")


def _kinds(
    source: pd.DataFrame, column: ValueColumn | AddressBlock, caption: str
) -> tuple[np.ndarray, np.ndarray, pd.Series | str]:
    """Per row: the kind code, the primary mark and the words naming the value (its label, row by
    row, or the heading itself)."""
    n = len(source)
    if column.kind_label is None:
        primary = bool(getattr(column, "primary", False))
        return np.full(n, _CODE[column.kind]), np.full(n, primary, dtype=bool), caption
    labels = _text(source, column.kind_label).str.strip()
    codes, distinct = pd.factorize(labels)
    kinds = np.array([_CODE[kind_of(str(lab))] for lab in distinct] + [0], dtype=np.int64)[codes]
    # Google marks the primary value's label with "* ".
    starred = labels.str.startswith("*").to_numpy(dtype=bool)
    return kinds, starred, labels.str.replace(r"^\*\s*", "", regex=True)


def _parts(text: pd.Series) -> list[pd.Series]:
    """A column whose cells hold several values joined by Google's " ::: " as one column per value."""
    if not text.str.contains(MULTI, regex=False).any():
        return [text]
    split = text.str.split(MULTI, regex=False, expand=True).fillna("")
    return [split[i].astype("str").str.strip() for i in split.columns]


def _value_cells(source: pd.DataFrame, columns: list[ValueColumn]) -> _Cells:
    texts, captions, blank, kinds, primary = [], [], [], [], []
    for column in columns:
        kind, star, caption = _kinds(source, column, column.label)
        for number, text in enumerate(_parts(_text(source, column.label))):
            texts.append(text)
            captions.append(caption)
            blank.append(text.str.strip().eq("").to_numpy(dtype=bool))
            kinds.append(kind)
            # Google's "* " marks the field as primary: with two values under it, the first.
            primary.append(star if number == 0 else np.zeros_like(star))
    return _Cells(texts, captions, np.column_stack(blank), np.column_stack(kinds), np.column_stack(primary))


def _pick(rank: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per row, the column of the lowest rank and whether any column qualified."""
    best = rank.argmin(axis=1)
    found = np.take_along_axis(rank, best[:, None], axis=1)[:, 0] < _NONE
    return best, found


def _gather(
    columns: Sequence[pd.Series | str], which: np.ndarray, found: np.ndarray, index: pd.Index
) -> pd.Series:
    """Per row, the value of column ``which[row]`` ("" where not *found*): one masked copy per
    column, never a loop over rows."""
    out = pd.Series("", index=index, dtype="str")
    for number, column in enumerate(columns):
        mask = found & (which == number)
        if mask.any():
            out = out.mask(mask, column)
    return out


def _mark(used: np.ndarray, best: np.ndarray, found: np.ndarray) -> None:
    rows = np.flatnonzero(found)
    used[rows, best[rows]] = True


def _leftovers(filled: np.ndarray, used: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    """The filled cells no slot took, moved left in column order: their column per row, whether
    there is one, and how many extra columns that makes."""
    extra = filled & ~used
    width = int(extra.sum(axis=1).max()) if extra.size else 0
    order = np.argsort(~extra, axis=1, kind="stable")[:, :width]
    return order, np.take_along_axis(extra, order, axis=1), width


def _extras(
    cells: _Cells, used: np.ndarray, family: str, index: pd.Index, extras: dict[str, pd.Series]
) -> None:
    order, kept, width = _leftovers(~cells.blank, used)
    for i in range(width):
        extras[f"{family} {i + 2}"] = _gather(cells.columns, order[:, i], kept[:, i], index)
        extras[f"{family} {i + 2} Label"] = _gather(cells.captions, order[:, i], kept[:, i], index)


def _emails(piece: pd.DataFrame, cells: _Cells, extras: dict[str, pd.Series]) -> None:
    rank = np.where(cells.blank, _NONE, np.where(cells.primary, 0, 1))
    best, found = _pick(rank)
    piece["email"] = _gather(cells.columns, best, found, piece.index)
    used = np.zeros_like(cells.blank)
    _mark(used, best, found)
    _extras(cells, used, "Email", piece.index, extras)


def _phones(piece: pd.DataFrame, cells: _Cells, extras: dict[str, pd.Series]) -> None:
    starred = np.where(cells.primary, 0, 1)
    kind_rank = _PHONE_RANK[cells.kinds]
    phone_rank = np.where(cells.blank | (kind_rank >= _NONE), _NONE, kind_rank * 2 + starred)
    mobile_rank = np.where(cells.blank | (cells.kinds != _MOBILE), _NONE, starred)
    used = np.zeros_like(cells.blank)
    for name, rank in (("phone", phone_rank), ("mobile", mobile_rank)):
        best, found = _pick(rank)
        piece[name] = _gather(cells.columns, best, found, piece.index)
        _mark(used, best, found)
    _extras(cells, used, "Phone", piece.index, extras)


def _joined(source: pd.DataFrame, labels: tuple[str, ...]) -> pd.Series:
    """Several street lines as one street, ", " between the filled ones."""
    out = _text(source, labels[0]).str.strip()
    for label in labels[1:]:
        line = _text(source, label).str.strip()
        filled = line != ""
        if not filled.any():
            continue
        both = filled & (out != "")
        out = out.mask(~both & filled, line)
        if both.any():
            out.loc[both] = out[both] + ", " + line[both]
    return out


def _addresses(
    piece: pd.DataFrame, source: pd.DataFrame, blocks: list[AddressBlock], extras: dict[str, pd.Series]
) -> None:
    index = piece.index
    blank_part = pd.Series("", index=index, dtype="str")
    parts = {
        part: [_joined(source, block.parts[part]) if part in block.parts else blank_part for block in blocks]
        for part in ADDRESS_PARTS
    }
    filled = np.column_stack(
        [
            np.logical_or.reduce([(parts[p][b] != "").to_numpy(dtype=bool) for p in ADDRESS_PARTS])
            for b in range(len(blocks))
        ]
    )
    kinds, captions = [], []
    for number, block in enumerate(blocks, start=1):
        kind, _star, caption = _kinds(source, block, block.kind.title() or f"Address {number}")
        kinds.append(kind)
        captions.append(caption)
    rank = np.where(filled, _ADDRESS_RANK[np.column_stack(kinds)], _NONE)
    best, found = _pick(rank)
    for part, field_name in PART_FIELD.items():
        piece[field_name] = _gather(parts[part], best, found, index)
    used = np.zeros_like(filled)
    _mark(used, best, found)
    order, kept, width = _leftovers(filled, used)
    for i in range(width):
        prefix = f"Address {i + 2}"
        for part in ADDRESS_PARTS:
            extras[f"{prefix} {PART_TITLE[part]}"] = _gather(parts[part], order[:, i], kept[:, i], index)
        extras[f"{prefix} Label"] = _gather(captions, order[:, i], kept[:, i], index)


def _with_mapped(
    layout: AddressBookLayout, mapped: Mapping[str, str]
) -> tuple[list[ValueColumn], list[ValueColumn], list[AddressBlock]]:
    """The layout's columns plus any column the profile maps to a slot field that the layout does
    not know (a vendor's "Main Number" for Phone): the profile's word is taken as its kind."""
    known = layout.labels
    emails, phones, blocks = list(layout.emails), list(layout.phones), list(layout.addresses)
    if (label := mapped.get("email")) and label not in known:
        emails.insert(0, ValueColumn(label, "", primary=True))
    for name, kind in (("phone", "main"), ("mobile", "mobile")):
        if (label := mapped.get(name)) and label not in known:
            phones.insert(0, ValueColumn(label, kind))
    loose: dict[str, tuple[str, ...]] = {
        part: (label,)
        for part, name in PART_FIELD.items()
        if (label := mapped.get(name)) and label not in known
    }
    if loose:
        blocks.append(AddressBlock("", None, loose))
    return emails, phones, blocks


def derive_type(piece: pd.DataFrame) -> None:
    """Type from the names, for a file without a Type column: Person when a first or last name is
    present, Company when only a company is, blank when neither."""
    person = (piece["first_name"].astype("str").str.strip() != "") | (
        piece["last_name"].astype("str").str.strip() != ""
    )
    company = piece["company"].astype("str").str.strip() != ""
    kind = np.where(person, "Person", np.where(company, "Company", ""))
    piece["type"] = pd.Series(kind.astype(object), index=piece.index, dtype="str")


def fill_contact_slots(
    piece: pd.DataFrame,
    source: pd.DataFrame,
    layout: AddressBookLayout,
    families: set[str],
    mapped: Mapping[str, str],
) -> dict[str, pd.Series]:
    """Fill the slot fields of *families* in *piece* (in place) from *source*; return the extra columns.

    Args:
        piece: one table's canonical frame (field names as columns), rows aligned with *source*.
        source: the table's own columns, by label.
        layout: the table's e-mail, phone and address columns (:func:`.read_layout`).
        families: which of "email", "phone", "address" to fill (the others stay as mapped,
            e.g. because the user chose their columns).
        mapped: canonical field name -> the source label the mapping chose.

    Returns:
        Extra column title -> values ("Email 2", "Phone 2 Label"…), in a stable order.
    """
    extras: dict[str, pd.Series] = {}
    if len(source) == 0:
        return extras
    emails, phones, blocks = _with_mapped(layout, mapped)
    if "email" in families and emails:
        _emails(piece, _value_cells(source, emails), extras)
    if "phone" in families and phones:
        _phones(piece, _value_cells(source, phones), extras)
    if "address" in families and blocks:
        _addresses(piece, source, blocks, extras)
    return extras
