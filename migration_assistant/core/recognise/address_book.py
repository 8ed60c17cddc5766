"""Reading an address book's headings: which columns hold e-mails, phones and addresses, and of what kind.

Address books (Outlook, Google Contacts, Thunderbird, most CRMs) give a contact several
e-mails, phones and addresses, each in its own column ("Business Phone", "Home Phone 2",
"E-mail 2 Address") or as numbered groups whose kind is written beside the value, row by row
(Google's "Phone 1 - Label" / "Phone 1 - Value"). The canonical contact has one slot of each
(Email, Phone, Mobile, one address), so mapping one heading per field either drops the rest or
takes a pager number for the phone. This module only reads the headings into an
:class:`AddressBookLayout`; :mod:`migration_assistant.core.contact_slots` fills the slots
row by row from it.

The grammar is deliberately narrow: a heading is an e-mail, phone or address column only when
its words say so and nothing else ("E-mail Type", "E-mail Display Name" and "Phone 1 - Label"
are not e-mails or phones; the label columns are read as the kind of their value).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from migration_assistant.core.schema import normalise_label

EMAIL, PHONE, ADDRESS = "email", "phone", "address"
ADDRESS_PARTS = ("street", "city", "state", "postal", "country")
"""Parts of an address block, in the order of the canonical fields they fill."""

_GROUP = re.compile(
    r"^(email|phone|address) (\d+) - "
    r"(type|label|value|formatted|street|city|po box|region|postal code|country|extended address)$"
)
_GROUP_PART = {
    "street": "street",
    "extended address": "street",
    "city": "city",
    "region": "state",
    "postal code": "postal",
    "country": "country",
}
_ADDRESS = re.compile(
    r"^(?:(business|work|office|home|private|personal|other) )?"
    r"(street|address|address line|city|town|state|province|state/province|region"
    r"|zip|zip code|zipcode|postal code|postcode|post code|country|country/region)"
    r"(?: (\d))?$"
)
_ADDRESS_PART = {
    "street": "street",
    "address": "street",
    "address line": "street",
    "city": "city",
    "town": "city",
    "state": "state",
    "province": "state",
    "state/province": "state",
    "region": "state",
    "zip": "postal",
    "zip code": "postal",
    "zipcode": "postal",
    "postal code": "postal",
    "postcode": "postal",
    "post code": "postal",
    "country": "country",
    "country/region": "country",
}
_PHONE_WORDS = frozenset(
    {"phone", "telephone", "tel", "mobile", "cell", "fax", "pager", "callback", "isdn", "telex"}
)
_EMAIL_EXTRA = frozenset(
    {"address", "primary", "secondary", "home", "work", "business", "personal", "private", "other"}
)
_NOT_A_VALUE = frozenset(
    {"type", "label", "kind", "display", "name", "ext", "extension", "code", "id", "country", "date"}
)
"""Words that make a heading describe a value rather than hold it ("E-mail Type", "Phone Extension")."""

_WORD = re.compile(r"[a-z0-9]+")

# Kinds, most specific first: "Home Fax" is a fax, "Company Main Phone" the firm's switchboard.
_KIND_RULES: tuple[tuple[frozenset[str], str], ...] = (
    (frozenset({"fax", "facsimile"}), "fax"),
    (frozenset({"pager"}), "pager"),
    (frozenset({"mobile", "cell", "cellular", "iphone"}), "mobile"),
    (frozenset({"car"}), "car"),
    (
        frozenset({"assistant", "assistants", "callback", "radio", "isdn", "telex", "tty", "tdd", "video"}),
        "special",
    ),
    (frozenset({"company"}), "company"),
    (frozenset({"main", "primary"}), "main"),
    (frozenset({"business", "work", "office"}), "work"),
    (frozenset({"home", "private", "personal"}), "home"),
    (frozenset({"other"}), "other"),
)


@lru_cache(maxsize=1 << 16)
def words(text: str) -> tuple[str, ...]:
    """A heading's or label's words, lower case, "e-mail" read as "email" (cached: every profile
    and entity compares the same headings)."""
    key = normalise_label(text).replace("e-mail", "email").replace("'s", "s")
    return tuple(_WORD.findall(key))


def kind_of(text: str) -> str:
    """The kind a heading or a label names: main, work, company, home, mobile, fax, pager, car,
    special (assistant, callback…), other, or "" when it names none (a label such as "Grandma's")."""
    found = set(words(text.lstrip("* ")))
    for vocabulary, kind in _KIND_RULES:
        if found & vocabulary:
            return kind
    return ""


@dataclass(frozen=True, slots=True)
class ValueColumn:
    """One column holding an e-mail address or a phone number."""

    label: str
    kind: str
    """The kind its heading names ("" for none); ignored when ``kind_label`` is set."""
    kind_label: str | None = None
    """The column whose text, row by row, names this value's kind (Google's "Phone 1 - Label")."""
    primary: bool = False
    """The heading says it is the primary one (Thunderbird's "Primary Email")."""


@dataclass(frozen=True, slots=True)
class AddressBlock:
    """The columns of one address (Outlook's Business Street…Business Country/Region)."""

    kind: str
    kind_label: str | None
    parts: dict[str, tuple[str, ...]]
    """Part (:data:`ADDRESS_PARTS`) -> its columns; a street may have several lines."""


@dataclass(frozen=True, slots=True)
class AddressBookLayout:
    """Every e-mail, phone and address column of one table, in the table's column order."""

    emails: tuple[ValueColumn, ...] = ()
    phones: tuple[ValueColumn, ...] = ()
    addresses: tuple[AddressBlock, ...] = ()
    kind_labels: frozenset[str] = field(default_factory=frozenset)

    @property
    def labels(self) -> frozenset[str]:
        """Every column the layout reads (values, address parts and the label columns beside them)."""
        out = {c.label for c in (*self.emails, *self.phones)}
        out.update(lab for block in self.addresses for cols in block.parts.values() for lab in cols)
        return frozenset(out | self.kind_labels)

    def __bool__(self) -> bool:
        return bool(self.emails or self.phones or self.addresses)


def _email_column(tokens: tuple[str, ...]) -> bool:
    if "email" not in tokens or set(tokens) & _NOT_A_VALUE:
        return False
    return all(t == "email" or t in _EMAIL_EXTRA or t.isdigit() for t in tokens)


def _phone_column(tokens: tuple[str, ...]) -> bool:
    found = set(tokens)
    return bool(found & _PHONE_WORDS) and not found & _NOT_A_VALUE and len(tokens) <= 5


def read_layout(labels: list[str]) -> AddressBookLayout:
    """The e-mail, phone and address columns among *labels* (a table's headings)."""
    emails: list[ValueColumn] = []
    phones: list[ValueColumn] = []
    groups: dict[tuple[str, str], dict[str, list[str]]] = {}
    static_blocks: dict[str, dict[str, list[str]]] = {}
    for label in labels:
        if label.startswith("(blank column"):
            continue
        key = normalise_label(label).replace("e-mail", "email")
        group = _GROUP.match(key)
        if group:
            family, number, part = group.groups()
            groups.setdefault((family, number), {}).setdefault(part, []).append(label)
            continue
        tokens = words(label)
        address = _ADDRESS.match(key)
        if address:
            prefix, part, _line = address.groups()
            kind = kind_of(prefix) if prefix else ""
            static_blocks.setdefault(kind, {}).setdefault(_ADDRESS_PART[part], []).append(label)
        elif _email_column(tokens):
            emails.append(ValueColumn(label, kind_of(label), primary="primary" in tokens))
        elif _phone_column(tokens):
            phones.append(ValueColumn(label, kind_of(label)))
    blocks = [
        AddressBlock(kind, None, {part: tuple(cols) for part, cols in parts.items()})
        for kind, parts in static_blocks.items()
    ]
    kind_labels: set[str] = set()
    for (family, _number), parts in groups.items():
        values = parts.get("value", [])
        kind_cols = parts.get("label") or parts.get("type") or []
        kind_col = kind_cols[0] if kind_cols else None
        if family in (EMAIL, PHONE):
            if not values:
                continue
            target = emails if family == EMAIL else phones
            target.append(ValueColumn(values[0], "", kind_col))
        else:
            block_parts: dict[str, list[str]] = {}
            for part, cols in parts.items():
                if part in _GROUP_PART:
                    block_parts.setdefault(_GROUP_PART[part], []).extend(cols)
            if not block_parts:
                continue
            blocks.append(AddressBlock("", kind_col, {p: tuple(c) for p, c in block_parts.items()}))
        if kind_col:
            kind_labels.add(kind_col)
    order = {lab: i for i, lab in enumerate(labels)}

    def first(cols: dict[str, tuple[str, ...]]) -> int:
        return min(order[c] for group in cols.values() for c in group)

    blocks.sort(key=lambda b: first(b.parts))
    return AddressBookLayout(tuple(emails), tuple(phones), tuple(blocks), frozenset(kind_labels))


_FIRST = frozenset({"first name", "given name", "first", "forename", "firstname"})
_LAST = frozenset({"last name", "family name", "surname", "last", "lastname"})


def looks_like_address_book(labels: list[str]) -> bool:
    """True when the headings name a first name, a last name and an e-mail: a list of people."""
    keys = {normalise_label(lab) for lab in labels}
    return bool(keys & _FIRST) and bool(keys & _LAST) and bool(read_layout(labels).emails)
