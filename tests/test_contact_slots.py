"""Contacts land in the right slots, checked against a peer's expectations.

Roundcube's own tests map the address-book CSVs of ../shared/conformance/formats/contacts-csv
to the vCards beside them (``*.expected.vcf``); Thunderbird's tests give the contacts its CSV
importer must read (``thunderbird_addressbook.expected.json``). The normalised contact of each
file is compared with them: names, every e-mail, phones by kind (the mobile in Mobile, the
main, work or home number in Phone, pager and fax never in a slot), organisation, job title,
and the address taken whole from one block, the other values kept as extra columns.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import vobject

from migration_assistant.core.dataset import EntityData
from migration_assistant.core.engine import validate
from migration_assistant.core.handoff import datapackage, normalised_csv
from migration_assistant.core.recognise.address_book import kind_of
from tests.conftest import conformance_dir

# vCard TEL types as roundcube writes them -> the kind our slots use.
VCARD_KIND = {
    "main": "main", "work": "work", "work2": "work", "home": "home", "home2": "home", "cell": "mobile",
    "homefax": "fax", "workfax": "fax", "fax": "fax", "pager": "pager", "car": "car", "video": "special",
    "assistant": "special", "": "",
}  # fmt: skip
PHONE_RANK = {"main": 0, "work": 1, "company": 2, "home": 3, "": 4, "other": 4}
ADDRESS_RANK = {"work": 0, "home": 1, "": 2}


def contacts_of(path: Path) -> EntityData:
    result = validate([path])
    data = result.dataset.get("contacts")
    assert data is not None, f"{path.name} was not read as contacts: {result.dataset.roles}"
    return data


def row(data: EntityData, index: int = 0) -> dict[str, str]:
    names = [f.name for f in data.entity.fields] + data.extra_columns
    return {k: str(v) for k, v in data.frame[names].iloc[index].items()}


def numbered(record: dict[str, str], family: str) -> list[tuple[str, str]]:
    """The extra values of a family ("Email", "Phone") as (value, label), in column order."""
    out = []
    n = 2
    while f"{family} {n}" in record:
        if record[f"{family} {n}"]:
            out.append((record[f"{family} {n}"], record[f"{family} {n} Label"]))
        n += 1
    return out


def vcard(path: Path) -> Any:
    return vobject.readOne(path.read_text(encoding="utf-8"))


def tel_kind(tel: Any) -> str:
    kinds = [t.lower() for t in tel.params.get("TYPE", [])]
    return VCARD_KIND[kinds[0] if kinds else ""]


def adr_kind(adr: Any) -> str:
    kinds = [t.lower() for t in adr.params.get("TYPE", [])]
    return kinds[0] if kinds else ""


def check_against_vcard(record: dict[str, str], card: Any) -> None:
    name = card.n.value
    assert (record["first_name"], record["middle_name"], record["last_name"]) == (
        name.given,
        name.additional,
        name.family,
    )
    org = card.contents.get("org")
    assert record["company"] == (org[0].value[0] if org else "")
    title = card.contents.get("title")
    assert record["title"] == (title[0].value if title else "")
    # Every e-mail kept: the first in Email, the others in Email 2, 3… in the vCard's order.
    emails = [e.value for e in card.contents.get("email", [])]
    assert [record["email"], *[v for v, _ in numbered(record, "Email")]] == emails
    # Phones by kind.
    tels = [(t.value, tel_kind(t)) for t in card.contents.get("tel", [])]
    mobile = next((v for v, k in tels if k == "mobile"), "")
    eligible = [(PHONE_RANK[k], i, v) for i, (v, k) in enumerate(tels) if k in PHONE_RANK]
    phone = min(eligible)[2] if eligible else ""
    assert (record["phone"], record["mobile"]) == (phone, mobile)
    rest = [(v, k) for v, k in tels if v not in (phone, mobile)]
    extra = numbered(record, "Phone")
    assert sorted(v for v, _ in extra) == sorted(v for v, _ in rest)
    kinds = dict(tels)  # the values of these samples are unique
    for value, label in extra:
        wanted = kinds[value]
        assert kind_of(label) in ({wanted} if wanted else {"", "other"}), (value, label)
    # One whole address, work before home before any other; the others kept whole.
    adrs = [
        (adr_kind(a), (a.value.street, a.value.city, a.value.region, a.value.code, a.value.country))
        for a in card.contents.get("adr", [])
    ]
    if not adrs:
        assert record["street"] == record["city"] == ""
        return
    main = min(adrs, key=lambda a: ADDRESS_RANK.get(a[0], 3))
    fields = ("street", "city", "state_province", "postal_code", "country")
    assert tuple(record[f] for f in fields) == main[1]
    parts = ("Street", "City", "State/Province", "Postal Code", "Country")
    others = []
    n = 2
    while f"Address {n} Street" in record:
        others.append(tuple(record[f"Address {n} {p}"] for p in parts))
        n += 1
    assert sorted(others) == sorted(a[1] for a in adrs if a is not main)


@pytest.mark.parametrize(
    "name", ["roundcube_all", "roundcube_gmail", "roundcube_tb_plain", "roundcube_outlook"]
)
def test_roundcube_csv_lands_as_its_expected_vcard(name: str) -> None:
    folder = conformance_dir("formats", "contacts-csv")
    data = contacts_of(folder / f"{name}.csv")
    assert len(data) == 1
    check_against_vcard(row(data), vcard(folder / f"{name}.expected.vcf"))


def test_gmail_labels_decide_the_phone_slots() -> None:
    """The regression the issue names: pager as Phone and the main number as Mobile."""
    data = contacts_of(conformance_dir("formats", "contacts-csv") / "roundcube_gmail.csv")
    record = row(data)
    assert (record["phone"], record["mobile"]) == ("mainphone", "mobile")
    assert ("pager", "Pager") in numbered(record, "Phone")
    assert record["type"] == "Person"


def test_roundcube_all_takes_one_whole_address_business_first() -> None:
    data = contacts_of(conformance_dir("formats", "contacts-csv") / "roundcube_all.csv")
    record = row(data)
    assert [record[f] for f in ("street", "city", "state_province", "postal_code", "country")] == [
        "Work Street",
        "Work City",
        "Work State",
        "Work Zip",
        "Work Country",
    ]
    assert record["type"] == "Person"


def _thunderbird_expected(key: str) -> list[dict[str, Any]]:
    path = conformance_dir("formats", "contacts-csv") / "thunderbird_addressbook.expected.json"
    expected: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))[key]
    return expected


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("thunderbird_quote.csv", "quote_csv"),
        ("thunderbird_utf16_addressbook.csv", "utf16_csv"),
        ("thunderbird_shiftjis_addressbook.csv", "shiftjis_csv"),
    ],
)
def test_thunderbird_csv_lands_as_thunderbird_reads_it(name: str, key: str) -> None:
    data = contacts_of(conformance_dir("formats", "contacts-csv") / name)
    expected = _thunderbird_expected(key)
    assert len(data) == len(expected)
    for index, card in enumerate(expected):
        record = row(data, index)
        assert record["email"] == card.get("PrimaryEmail", "")
        assert record["first_name"] == card.get("FirstName", record["first_name"])
        assert record["last_name"] == card.get("LastName", record["last_name"])
        if "_vCard" in card:
            text = "\r\n".join(["BEGIN:VCARD", *card["_vCard"], "END:VCARD"]) + "\r\n"
            parsed = vobject.readOne(text)
            org = parsed.contents.get("org")
            assert record["company"] == (org[0].value[0] if org else "")
            tels = {tel_kind(t): t.value for t in parsed.contents.get("tel", [])}
            assert record["phone"] == tels.get("work", tels.get("home", ""))
        # A contact with a person's name is a Person, one with only a company a Company.
        person = bool(record["first_name"] or record["last_name"])
        assert record["type"] == ("Person" if person else "Company" if record["company"] else "")


def test_thunderbird_export_is_recognised_and_nothing_is_dropped() -> None:
    path = conformance_dir("formats", "contacts-csv") / "thunderbird_export.csv"
    data = contacts_of(path)
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(data) == len(rows)
    for index, source in enumerate(rows):
        record = row(data, index)
        assert (record["first_name"], record["last_name"], record["email"]) == (
            source["First Name"],
            source["Last Name"],
            source["Primary Email"],
        )
        assert record["title"] == source["Job Title"]
        assert record["notes"] == source["Notes"]


def test_extra_columns_travel_in_the_normalised_data() -> None:
    path = conformance_dir("formats", "contacts-csv") / "roundcube_gmail.csv"
    result = validate([path])
    data = result.dataset.get("contacts")
    assert data is not None
    content = normalised_csv(data, [t.file for t in result.dataset.tables])
    frame = pd.read_csv(io.BytesIO(content), dtype=str, keep_default_na=False)
    assert {"Email 2", "Phone 2", "Phone 2 Label", "Address 2 Street"} <= set(frame.columns)
    values = set(frame.iloc[0])
    for kept in (
        "work@email.pl",
        "unknown@email.com",
        "other@email.com",
        "pager",
        "homefax",
        "workfax",
        "workphone",
    ):
        assert kept in values, kept
    descriptor = datapackage({"contacts": content}, {"contacts": data.extra_columns})
    described = [f["name"] for f in descriptor["resources"][0]["schema"]["fields"]]
    assert described == list(frame.columns)
