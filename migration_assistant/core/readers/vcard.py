"""vCard (.vcf) address books: contacts exported from Outlook, Google, Apple, Thunderbird and the like.

Each card becomes one ``contacts`` row, traced to the line of its ``BEGIN:VCARD``.

The file is split into cards here, so that one damaged card cannot hide the others and
every row knows its line. vCard 3.0 and 4.0 cards are then parsed with ``vobject``.
vCard 2.1 cards, and any card ``vobject`` rejects, are parsed by the tolerant parser in
this module: ``vobject`` applies 3.0 escaping to 2.1 (splitting "Company, The" in two)
and stops at quoted-printable soft line breaks and undeclared 8-bit text, all common in
Outlook and older phone exports. Files that are not Unicode also go to the tolerant
parser, which honours each value's CHARSET.

Mapping: Contact ID is the UID (else ``vcf-<line>``); a card with an organisation but no
person's name is a Company; names come from N (or FN when N is empty); Email is the first
EMAIL; Phone the first work or untyped TEL (a home number when there is nothing else);
Mobile the first CELL; the address is the first ADR; Notes joins every NOTE. Photos,
logos, keys and sounds are skipped as the cards are split, before anything decodes them.
"""

from __future__ import annotations

import codecs
import quopri
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import vobject

from migration_assistant.core.findings import Finding, Severity
from migration_assistant.core.readers.common import (
    build_table,
    decode_text,
    load,
    make_finding,
    split_lines,
)
from migration_assistant.core.readers.table import SourceTable

_ENTITY = "contacts"
_LEGACY = ("cp1252", "latin-1")
_BASE64_CHARS = re.compile(r"[A-Za-z0-9+/=\s]+")
_BINARY = frozenset({"PHOTO", "LOGO", "SOUND", "KEY"})
"""Properties holding pictures, sounds or keys: skipped as they are read, never decoded."""
_STRUCTURED = ("N", "ADR", "ORG")
_MOBILE_WORDS = ("cell", "mobile", "iphone")
_NOT_WORK_WORDS = ("home", "fax", "pager", "textphone", *_MOBILE_WORDS)
_N_FIELDS = ("family", "given", "additional", "prefix", "suffix")
_ADR_FIELDS = ("box", "extended", "street", "city", "region", "code", "country")
_UNESCAPES = {"n": "\n", "N": "\n", ",": ",", ";": ";", "\\": "\\", ":": ":"}


@dataclass(slots=True)
class _Prop:
    """One property of a card, decoded."""

    name: str
    params: dict[str, list[str]]
    value: str
    parts: list[str]
    group: str | None = None

    @property
    def types(self) -> set[str]:
        return {t.lower() for t in self.params.get("TYPE", [])}

    def typed(self, words: tuple[str, ...]) -> bool:
        """Whether any TYPE contains one of *words* (exporters write "home2", "workfax"...)."""
        return any(word in kind for kind in self.types for word in words)


@dataclass(slots=True)
class _Card:
    start: int
    end: int | None
    physical: list[str] = field(default_factory=list)
    logical: list[tuple[int, str]] = field(default_factory=list)


def read_vcf(path: Path, display_name: str) -> list[SourceTable]:
    """Read a vCard file into one ``contacts`` table.

    Args:
        path: The file.
        display_name: The name findings and the report use for it.

    Returns:
        One table; its row numbers are the lines of each ``BEGIN:VCARD``.

    Raises:
        UnreadableFile: the file could not be read at all.
    """
    raw = load(path, display_name)
    text, encoding = decode_text(raw.data, fallback="cp1252")
    reader = _VcfReader(raw.file, encoding)
    reader.read(split_lines(text))
    return [
        build_table(
            raw,
            role=_ENTITY,
            fmt="vcf",
            encoding=encoding,
            records=reader.records,
            rows=reader.rows,
            findings=reader.findings,
        )
    ]


# --------------------------------------------------------------------------- low-level parsing


def _is_qp(head: str) -> bool:
    return "QUOTED-PRINTABLE" in head.upper()


def _is_base64(head: str) -> bool:
    upper = head.upper()
    return "BASE64" in upper or re.search(r"ENCODING=B\b", upper) is not None


def _split_unescaped(text: str, separator: str) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    escaped = False
    for char in text:
        if escaped:
            current.append("\\" + char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == separator:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    if escaped:
        current.append("\\")
    parts.append("".join(current))
    return parts


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: _UNESCAPES.get(m.group(1), "\\" + m.group(1)), text)


def _split_head(line: str) -> tuple[str, str] | None:
    """Split "NAME;PARAMS:value" at the first colon outside a quoted parameter value."""
    quoted = False
    for index, char in enumerate(line):
        if char == '"':
            quoted = not quoted
        elif char == ":" and not quoted:
            return line[:index], line[index + 1 :]
    return None


def _params(parts: list[str]) -> dict[str, list[str]]:
    params: dict[str, list[str]] = {}
    for part in parts:
        if not part.strip():
            continue
        if "=" in part:
            key, _, raw = part.partition("=")
            key = key.strip().upper()
        else:
            # vCard 2.1 writes bare parameters: TEL;WORK;VOICE, NOTE;QUOTED-PRINTABLE.
            raw = part
            upper = part.strip().upper()
            key = "ENCODING" if upper in ("QUOTED-PRINTABLE", "BASE64", "8BIT", "7BIT", "B") else "TYPE"
        values = [v.strip().strip('"') for v in raw.strip().strip('"').split(",")]
        params.setdefault(key, []).extend(v for v in values if v)
    return params


class _VcfReader:
    """Turns the cards of one vCard file into rows and findings."""

    def __init__(self, file: str, encoding: str) -> None:
        self.file = file
        self.encoding = encoding
        self.records: list[dict[str, str]] = []
        self.rows: list[int] = []
        self.findings: list[Finding] = []
        self._guessed: set[int] = set()

    def _note(
        self,
        rule: str,
        severity: Severity,
        row: int | None,
        message: str,
        hint: str,
        value: str | None = None,
    ) -> None:
        self.findings.append(
            make_finding(rule, severity, _ENTITY, self.file, row, message, hint, value=value)
        )

    # ------------------------------------------------------------------ cards

    def read(self, lines: list[str]) -> None:
        """Read every card of the file."""
        cards = self._cards(lines)
        if not cards:
            self.findings.clear()  # with no card at all, "line outside any contact" says nothing more
            self._note(
                "vcf-parse",
                Severity.BLOCKER,
                None,
                "This is not a vCard file: it has no BEGIN:VCARD line.",
                "Export the address book again as vCard (.vcf).",
            )
            return
        for card in cards:
            self._card(card)

    def _cards(self, lines: list[str]) -> list[_Card]:
        cards: list[_Card] = []
        current: _Card | None = None
        stray: int | None = None
        binary = False  # inside a photo, logo, sound or key (and its folded lines)
        for number, line in enumerate(lines, start=1):
            if binary and current is not None and _continues_binary(line):
                continue
            binary = False
            # Only a short line can be BEGIN or END: a photo's line may hold megabytes.
            upper = line.strip().upper() if len(line) < 64 else ""
            if upper == "BEGIN:VCARD":
                if current is not None:
                    self._unclosed(current, f"the next contact starts on line {number}")
                    cards.append(current)
                current = _Card(number, None, [line])
                continue
            if current is None:
                if line.strip() and stray is None:
                    stray = number
                    self._note(
                        "vcf-parse",
                        Severity.WARNING,
                        number,
                        f"Line {number} is outside any contact (not between BEGIN:VCARD and END:VCARD); "
                        "it is ignored.",
                        "Check that the file was not edited by hand or cut short.",
                        value=line.strip()[:80],
                    )
                continue
            if _is_binary_property(line):
                # Never decoded or kept: a photo can be megabytes of base64, and vobject would decode
                # it to bytes on top of its copies of the text. Nothing binary is migrated.
                binary = True
                continue
            current.physical.append(line)
            if upper == "END:VCARD":
                current.end = number
                cards.append(current)
                current = None
                stray = None
        if current is not None:
            self._unclosed(current, "the file ends")
            cards.append(current)
        return cards

    def _unclosed(self, card: _Card, where: str) -> None:
        self._note(
            "vcf-parse",
            Severity.WARNING,
            card.start,
            f"The contact starting on line {card.start} has no END:VCARD line before {where}; "
            "it is read up to there.",
            "Export the address book again and check that the file is complete.",
        )

    def _card(self, card: _Card) -> None:
        card.logical = self._unfold(card)
        version = next(
            (
                text.partition(":")[2].strip()
                for _, text in card.logical
                if text.upper().startswith("VERSION:")
            ),
            "",
        )
        props: list[_Prop] | None = None
        # vobject sees text, not bytes, so in a file that is not Unicode it cannot honour a
        # card's CHARSET; the tolerant parser re-decodes those values itself.
        if version in ("3.0", "4.0") and self.encoding not in _LEGACY:
            props = self._with_vobject(card)
        if props is None:
            props = self._own_parse(card, version)
        self._add(card, props)

    def _unfold(self, card: _Card) -> list[tuple[int, str]]:
        """Logical lines of a card (with the line each starts on), folding and soft breaks undone."""
        logical: list[tuple[int, str]] = []
        pending_qp = False
        for offset, line in enumerate(card.physical[1:], start=card.start + 1):
            if line.upper().strip() == "END:VCARD":
                break
            if pending_qp and logical:
                # A quoted-printable soft break: the value goes on, whatever the next line starts with.
                number, text = logical[-1]
                logical[-1] = (number, text[:-1] + line)
                pending_qp = line.endswith("=")
                continue
            if not line.strip():
                continue
            if line[0] in " \t" and logical:
                number, text = logical[-1]
                logical[-1] = (number, text + line[1:])
            elif logical and ":" not in line and _is_base64(logical[-1][1].partition(":")[0]):
                # Some writers do not indent the lines of a base64 photo.
                if _BASE64_CHARS.fullmatch(line):
                    number, text = logical[-1]
                    logical[-1] = (number, text + line.strip())
                    continue
                logical.append((offset, line))
            else:
                logical.append((offset, line))
            head = logical[-1][1].partition(":")[0]
            pending_qp = _is_qp(head) and logical[-1][1].endswith("=")
        return logical

    # ------------------------------------------------------------------ vobject

    def _with_vobject(self, card: _Card) -> list[_Prop] | None:
        text = "\r\n".join(line for line in card.physical if line.strip())
        if card.end is None:
            text += "\r\nEND:VCARD"
        try:
            component = vobject.readOne(text)
            return [prop for child in component.getChildren() if (prop := _from_vobject(child))]
        except Exception:  # vobject raises many error types; the tolerant parser takes over
            return None

    # ------------------------------------------------------------------ tolerant parser

    def _own_parse(self, card: _Card, version: str) -> list[_Prop]:
        props: list[_Prop] = []
        for number, line in card.logical:
            split = _split_head(line)
            if split is None:
                self._note(
                    "vcf-parse",
                    Severity.WARNING,
                    number,
                    f"Line {number} (in the contact starting on line {card.start}) is not a vCard "
                    "property (it has no colon); it is ignored.",
                    "Check the contact in the address book program; the file may have been edited by hand.",
                    value=line.strip()[:80],
                )
                continue
            head, raw_value = split
            name_part, *param_parts = _split_params(head)
            group, _, name = name_part.rpartition(".")
            params = _params(param_parts)
            name = name.strip().upper()
            encoding = " ".join(params.get("ENCODING", [])).upper()
            if "B" in encoding.split() or "BASE64" in encoding:
                continue  # photos, logos, keys and sounds are not migrated
            value = self._decode_value(raw_value, params, card, "QUOTED-PRINTABLE" in encoding)
            parts = [_unescape(p) for p in _split_unescaped(value, ";")] if name in _STRUCTURED else []
            props.append(_Prop(name, params, _unescape(value), parts, group or None))
        return props

    def _decode_value(self, raw: str, params: dict[str, list[str]], card: _Card, qp: bool) -> str:
        charset = (params.get("CHARSET") or [""])[0]
        codec = _codec(charset)
        if qp:
            source = self.encoding if self.encoding in _LEGACY else "utf-8"
            data = quopri.decodestring(raw.rstrip("=").encode(source, "replace"))
            return self._bytes_to_text(data, codec, card).replace("\r\n", "\n").replace("\r", "\n")
        if self.encoding in _LEGACY and not raw.isascii():
            # The file was not UTF-8, so it was read as Windows-1252; a declared charset
            # tells how these bytes were really meant.
            if codec:
                return raw.encode(self.encoding, "replace").decode(codec, "replace")
            self._guess(card, raw)
        return raw

    def _bytes_to_text(self, data: bytes, codec: str | None, card: _Card) -> str:
        if codec:
            return data.decode(codec, "replace")
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("cp1252", "replace")
            self._guess(card, text)
            return text

    def _guess(self, card: _Card, sample: str) -> None:
        if card.start in self._guessed:
            return  # one warning per contact is enough to send a person to look at it
        self._guessed.add(card.start)
        self._note(
            "vcf-charset",
            Severity.WARNING,
            card.start,
            f"Some text in the contact starting on line {card.start} (“{sample.strip()[:60]}”) uses an "
            "old 8-bit character set that the file does not name. It was read as Windows-1252 "
            "(Western European), so accented letters may be wrong — Polish or Czech names, for example.",
            "Check this contact's accented letters after the migration, or export the address book "
            "again as UTF-8 (vCard 3.0).",
            value=sample.strip()[:60],
        )

    # ------------------------------------------------------------------ mapping

    def _add(self, card: _Card, props: list[_Prop]) -> None:
        self.records.append(_contact(props, card.start))
        self.rows.append(card.start)


def _is_binary_property(line: str) -> bool:
    """Whether *line* starts a PHOTO, LOGO, SOUND or KEY property (with or without a group)."""
    colon = line.find(":", 0, 4096)
    if colon < 0 or line[:1] in " \t":
        return False
    name = line[:colon].split(";", 1)[0].rpartition(".")[2].strip().upper()
    return name in _BINARY


def _continues_binary(line: str) -> bool:
    """Whether *line* goes on with the binary property before it: folded, or bare base64."""
    if line[:1] in " \t":
        return True
    return ":" not in line[:4096] and bool(line.strip()) and _BASE64_CHARS.fullmatch(line) is not None


def _split_params(head: str) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    quoted = False
    for char in head:
        if char == '"':
            quoted = not quoted
        if char == ";" and not quoted:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def _codec(charset: str) -> str | None:
    if not charset:
        return None
    try:
        return codecs.lookup(charset).name
    except LookupError:
        return None


def _flat(value: Any, joiner: str) -> str:
    if isinstance(value, list | tuple):
        return joiner.join(str(v) for v in value if str(v))
    return "" if value is None else str(value)


def _from_vobject(child: Any) -> _Prop | None:
    value = child.value
    if isinstance(value, bytes | bytearray):
        return None
    name = str(child.name).upper()
    params: dict[str, list[str]] = {}
    for key, values in (child.params or {}).items():
        items = [part.strip().strip('"') for v in values for part in str(v).split(",")]
        params[str(key).upper()] = [i for i in items if i]
    singles = [str(s) for s in getattr(child, "singletonparams", []) or []]
    if singles:
        params.setdefault("TYPE", []).extend(singles)
    parts: list[str] = []
    if name == "N":
        parts = [_flat(getattr(value, f, ""), " ") for f in _N_FIELDS]
        text = ";".join(parts)
    elif name == "ADR":
        parts = [_flat(getattr(value, f, ""), ", ") for f in _ADR_FIELDS]
        text = ";".join(parts)
    elif name == "ORG":
        units: list[Any] = list(value) if isinstance(value, list | tuple) else [value]
        parts = [_flat(unit, ", ") for unit in units]
        text = ";".join(parts)
    else:
        text = _flat(value, ", ")
    return _Prop(name, params, text, parts, child.group)


def _first(props: list[_Prop], name: str) -> _Prop | None:
    return next((p for p in props if p.name == name), None)


def _value(props: list[_Prop], name: str) -> str:
    prop = _first(props, name)
    return prop.value.strip() if prop else ""


def _phone(value: str) -> str:
    text = value.strip()
    if text.lower().startswith("tel:"):
        text = text[4:]
        number, _, ext = text.partition(";ext=")
        text = f"{number} ext. {ext}" if ext else number
    return text


def _phones(props: list[_Prop]) -> tuple[str, str]:
    tels = [p for p in props if p.name == "TEL" and p.value.strip()]
    mobile = next((p for p in tels if p.typed(_MOBILE_WORDS)), None)
    work = next((p for p in tels if not p.typed(_NOT_WORK_WORDS)), None)
    if work is None:
        # A private client's only number is often the home one: better than none.
        work = next(
            (p for p in tels if p.typed(("home",)) and not p.typed(("fax", "pager", *_MOBILE_WORDS))), None
        )
    return (_phone(work.value) if work else ""), (_phone(mobile.value) if mobile else "")


def _padded(prop: _Prop | None, size: int) -> list[str]:
    parts = [p.strip() for p in prop.parts] if prop else []
    return (parts + [""] * size)[:size]


def _contact(props: list[_Prop], start: int) -> dict[str, str]:
    family, given, additional, _prefix, _suffix = _padded(_first(props, "N"), 5)
    full_name = _value(props, "FN")
    company = _padded(_first(props, "ORG"), 1)[0]
    kind = _value(props, "KIND").lower()
    shown_as = _value(props, "X-ABSHOWAS").upper()
    has_person_name = bool(family or given or additional)
    is_company = (
        kind == "org"
        or shown_as == "COMPANY"
        or (bool(company) and not has_person_name and (not full_name or full_name == company))
    )
    if is_company:
        company = company or full_name
        family = given = additional = ""
    elif not has_person_name and full_name and "@" not in full_name:
        # Some exporters put the e-mail address in FN when there is no name; that is no name.
        given, family = _split_full_name(full_name)
    box, extended, street, city, region, code, country = _padded(_first(props, "ADR"), 7)
    phone, mobile = _phones(props)
    email = _value(props, "EMAIL")
    if email.lower().startswith("mailto:"):
        email = email[7:]
    notes = "\n\n".join(p.value.strip() for p in props if p.name == "NOTE" and p.value.strip())
    street_text = ", ".join(s.replace("\n", ", ") for s in (street, extended, box) if s)
    return {
        "Contact ID": _value(props, "UID") or f"vcf-{start}",
        "Type": "Company" if is_company else "Person",
        "First Name": given,
        "Middle Name": additional,
        "Last Name": family,
        "Company": company,
        "Title": _value(props, "TITLE"),
        "Email": email,
        "Phone": phone,
        "Mobile": mobile,
        "Street": street_text,
        "City": city,
        "State/Province": region,
        "Postal Code": code,
        "Country": country,
        "Notes": notes,
    }


def _split_full_name(full_name: str) -> tuple[str, str]:
    """First and last name from a display name, for cards whose N is empty."""
    if "," in full_name:
        last, _, first = full_name.partition(",")
        return first.strip(), last.strip()
    words = full_name.split()
    if len(words) == 1:
        return "", words[0]
    return " ".join(words[:-1]), words[-1]
