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

from collections.abc import Mapping
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
_PHONE_RANK = {"main": 0, "work": 1, "company": 2, "home": 3, "": 4, "other": 4}
_ADDRESS_RANK = {"work": 0, "home": 1, "": 2, "other": 3}


@dataclass(slots=True)
class _Cells:
    """Candidate columns side by side: text, whether blank, kind, primary mark and label, rows x columns."""

    values: np.ndarray
    blank: np.ndarray
    kinds: np.ndarray
    primary: np.ndarray
    captions: np.ndarray


def _text(source: pd.DataFrame, label: str) -> pd.Series:
    return source[label].astype("str").fillna("")


def _kinds(
    source: pd.DataFrame, column: ValueColumn | AddressBlock, caption: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per row: the kind, the primary mark and the words naming the value (its label or heading)."""
    n = len(source)
    if column.kind_label is None:
        primary = bool(getattr(column, "primary", False))
        return (
            np.full(n, column.kind, dtype=object),
            np.full(n, primary, dtype=bool),
            np.full(n, caption, dtype=object),
        )
    labels = _text(source, column.kind_label).str.strip()
    distinct = labels.unique()
    kinds = labels.map({lab: kind_of(lab) for lab in distinct}).to_numpy(dtype=object)
    starred = labels.str.startswith("*").to_numpy(dtype=bool)
    # Google marks the primary value's label with "* " and joins several labels with " ::: ".
    clean = labels.str.replace(r"^\*\s*", "", regex=True).to_numpy(dtype=object)
    return kinds, starred, clean


def _parts(text: pd.Series) -> list[pd.Series]:
    """A column whose cells hold several values joined by Google's " ::: " as one column per value."""
    if not text.str.contains(MULTI, regex=False).any():
        return [text]
    split = text.str.split(MULTI, regex=False, expand=True).fillna("")
    return [split[i].astype("str").str.strip() for i in split.columns]


def _value_cells(source: pd.DataFrame, columns: list[ValueColumn]) -> _Cells:
    values, blank, kinds, primary, captions = [], [], [], [], []
    for column in columns:
        kind, star, caption = _kinds(source, column, column.label)
        for number, text in enumerate(_parts(_text(source, column.label))):
            values.append(text.to_numpy(dtype=object))
            blank.append(text.str.strip().eq("").to_numpy(dtype=bool))
            kinds.append(kind)
            # Google's "* " marks the field as primary: with two values under it, the first.
            primary.append(star if number == 0 else np.zeros_like(star))
            captions.append(caption)
    return _Cells(
        np.column_stack(values),
        np.column_stack(blank),
        np.column_stack(kinds),
        np.column_stack(primary),
        np.column_stack(captions),
    )


def _rank(kinds: np.ndarray, table: Mapping[str, int], default: int) -> np.ndarray:
    """Each cell's rank by its kind (a hash lookup over the whole matrix, not a loop)."""
    flat = pd.Series(kinds.ravel(), dtype=object).map(table).fillna(default)
    return flat.to_numpy(dtype=np.int64).reshape(kinds.shape)


def _mark(used: np.ndarray, best: np.ndarray, found: np.ndarray) -> None:
    rows = np.flatnonzero(found)
    used[rows, best[rows]] = True


def _pick(rank: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per row, the column of the lowest rank and whether any column qualified."""
    best = rank.argmin(axis=1)
    found = np.take_along_axis(rank, best[:, None], axis=1)[:, 0] < _NONE
    return best, found


def _take(matrix: np.ndarray, index: np.ndarray, found: np.ndarray) -> np.ndarray:
    out = np.take_along_axis(matrix, index[:, None], axis=1)[:, 0]
    return np.where(found, out, "")


def _rest(cells: _Cells, used: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    """The filled cells no slot took, moved left in column order: values, captions, how many columns."""
    extra = ~cells.blank & ~used
    width = int(extra.sum(axis=1).max()) if extra.size else 0
    order = np.argsort(~extra, axis=1, kind="stable")[:, :width]
    kept = np.take_along_axis(extra, order, axis=1)
    values = np.where(kept, np.take_along_axis(cells.values, order, axis=1), "")
    captions = np.where(kept, np.take_along_axis(cells.captions, order, axis=1), "")
    return values, captions, width


def _column(values: np.ndarray, index: pd.Index) -> pd.Series:
    return pd.Series(values.astype(object), index=index, dtype="str")


def _emails(piece: pd.DataFrame, cells: _Cells, extras: dict[str, pd.Series]) -> None:
    rank = np.where(cells.blank, _NONE, np.where(cells.primary, 0, 1))
    best, found = _pick(rank)
    piece["email"] = _column(_take(cells.values, best, found), piece.index)
    used = np.zeros_like(cells.blank)
    _mark(used, best, found)
    values, captions, width = _rest(cells, used)
    for i in range(width):
        extras[f"Email {i + 2}"] = _column(values[:, i], piece.index)
        extras[f"Email {i + 2} Label"] = _column(captions[:, i], piece.index)


def _phones(piece: pd.DataFrame, cells: _Cells, extras: dict[str, pd.Series]) -> None:
    kind_rank = _rank(cells.kinds, _PHONE_RANK, _NONE)
    starred = np.where(cells.primary, 0, 1)
    phone_rank = np.where(cells.blank | (kind_rank >= _NONE), _NONE, kind_rank * 2 + starred)
    mobile_rank = np.where(cells.blank | (cells.kinds != "mobile"), _NONE, starred)
    used = np.zeros_like(cells.blank)
    for name, rank in (("phone", phone_rank), ("mobile", mobile_rank)):
        best, found = _pick(rank)
        piece[name] = _column(_take(cells.values, best, found), piece.index)
        _mark(used, best, found)
    values, captions, width = _rest(cells, used)
    for i in range(width):
        extras[f"Phone {i + 2}"] = _column(values[:, i], piece.index)
        extras[f"Phone {i + 2} Label"] = _column(captions[:, i], piece.index)


def _joined(source: pd.DataFrame, labels: tuple[str, ...]) -> pd.Series:
    """Several street lines as one street, ", " between the filled ones."""
    out = _text(source, labels[0]).str.strip()
    for label in labels[1:]:
        line = _text(source, label).str.strip()
        comma = pd.Series(np.where((out != "") & (line != ""), ", ", ""), index=out.index, dtype="str")
        out = out + comma + line
    return out


def _addresses(
    piece: pd.DataFrame, source: pd.DataFrame, blocks: list[AddressBlock], extras: dict[str, pd.Series]
) -> None:
    n = len(source)
    parts = {
        part: np.column_stack(
            [
                _joined(source, block.parts[part]).to_numpy(dtype=object)
                if part in block.parts
                else np.full(n, "", dtype=object)
                for block in blocks
            ]
        )
        for part in ADDRESS_PARTS
    }
    empty = np.logical_and.reduce([parts[p] == "" for p in ADDRESS_PARTS])
    kinds, captions = [], []
    for number, block in enumerate(blocks, start=1):
        kind, _star, caption = _kinds(source, block, block.kind.title() or f"Address {number}")
        kinds.append(kind)
        captions.append(caption)
    kind_rank = _rank(np.column_stack(kinds), _ADDRESS_RANK, 3)
    rank = np.where(empty, _NONE, kind_rank)
    best, found = _pick(rank)
    for part, field_name in PART_FIELD.items():
        piece[field_name] = _column(_take(parts[part], best, found), piece.index)
    used = np.zeros_like(empty)
    _mark(used, best, found)
    extra = ~empty & ~used
    width = int(extra.sum(axis=1).max()) if extra.size else 0
    order = np.argsort(~extra, axis=1, kind="stable")[:, :width]
    kept = np.take_along_axis(extra, order, axis=1)
    caption_matrix = np.column_stack(captions)
    for i in range(width):
        prefix = f"Address {i + 2}"
        for part in ADDRESS_PARTS:
            taken = np.take_along_axis(parts[part], order[:, i : i + 1], axis=1)[:, 0]
            extras[f"{prefix} {PART_TITLE[part]}"] = _column(np.where(kept[:, i], taken, ""), piece.index)
        label = np.take_along_axis(caption_matrix, order[:, i : i + 1], axis=1)[:, 0]
        extras[f"{prefix} Label"] = _column(np.where(kept[:, i], label, ""), piece.index)


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
    piece["type"] = _column(kind, piece.index)


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
