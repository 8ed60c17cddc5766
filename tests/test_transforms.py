"""core/transforms.py called directly on canonical frames, as build_dataset will call it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from migration_assistant.core.adapters import Profile, load_profile
from migration_assistant.core.schema import entities
from migration_assistant.core.transforms import (
    KINDS,
    apply_transforms,
    provided_fields,
    provided_titles,
)


def profile_with(
    tmp_path: Path, transforms: list[dict[str, Any]], values: dict[str, Any] | None = None
) -> Profile:
    raw = {
        "id": "t",
        "name": "T",
        "summary": "Transforms under test.",
        "exports": [{"entity": "contacts", "what": "x", "how": "y", "format": "CSV"}],
        "columns": {"contacts": {"Last Name": ["Client Name"]}},
        "values": values or {},
        "transforms": transforms,
        "limitations": [],
        "guide": [{"title": "x", "text": "y"}],
    }
    path = tmp_path / "t.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    return load_profile(path)


def frame(entity: str, rows: list[dict[str, str]], src: list[int] | None = None) -> pd.DataFrame:
    """A canonical piece: every field of *entity* as text ("" when not given), plus _row and _src."""
    names = [f.name for f in entities()[entity].fields]
    data = {n: pd.Series([r.get(n, "") for r in rows], dtype="str") for n in names}
    out = pd.DataFrame(data)
    out["_row"] = list(range(2, len(rows) + 2))
    out["_src"] = src if src is not None else [0] * len(rows)
    return out


def test_every_kind_is_allowed_by_the_profile_schema() -> None:
    from migration_assistant.core.resources import resource_path

    schema = json.loads(
        resource_path("resources", "schema", "adapter-profile.schema.json").read_text("utf-8")
    )
    assert set(schema["properties"]["transforms"]["items"]["properties"]["kind"]["enum"]) == set(KINDS)


# --------------------------------------------------------------------------- split-last-first


def test_split_last_first(tmp_path: Path) -> None:
    profile = profile_with(tmp_path, [{"entity": "contacts", "kind": "split-last-first"}])
    before = frame(
        "contacts",
        [
            {"last_name": "Núñez, José"},
            {"last_name": "  O'Brien ,  Mary Ann "},
            {"last_name": "Dewey, Cheatham & Howe"},
            {"last_name": "Acme, Inc."},
            {"last_name": "Smith, Jr."},
            {"last_name": "Chen, Li", "first_name": "Li Wei"},
            {"last_name": "Plain Name"},
            {"last_name": "Müller, Jörg", "type": "Company"},
            {"last_name": "A, B, C"},
            {"last_name": ""},
        ],
    )
    after = apply_transforms(before, "contacts", profile, {"last_name": "Client Name"})
    assert after["last_name"].tolist() == [
        "Núñez", "O'Brien", "Dewey, Cheatham & Howe", "Acme, Inc.", "Smith, Jr.", "Chen, Li",
        "Plain Name", "Müller, Jörg", "A, B, C", "",
    ]  # fmt: skip
    assert after["first_name"].tolist() == ["José", "Mary Ann", "", "", "", "Li Wei", "", "", "", ""]
    # The input frame is left alone; row numbers and sources travel unchanged.
    assert before["last_name"][0] == "Núñez, José"
    assert after["_row"].tolist() == before["_row"].tolist()
    assert after["_src"].tolist() == before["_src"].tolist()


def test_split_respects_company_type_words_from_the_value_map(tmp_path: Path) -> None:
    profile = profile_with(
        tmp_path,
        [{"entity": "contacts", "kind": "split-last-first"}],
        values={"contacts.Type": {"Organisation": "Company", "Individual": "Person"}},
    )
    before = frame(
        "contacts",
        [
            {"last_name": "Baker, Sam", "type": "organisation"},
            {"last_name": "Baker, Sam", "type": "Individual"},
        ],
    )
    after = apply_transforms(before, "contacts", profile, {"last_name": "Name", "type": "Kind"})
    assert after["last_name"].tolist() == ["Baker, Sam", "Baker"]
    assert after["first_name"].tolist() == ["", "Sam"]


def test_split_does_nothing_when_the_column_was_not_mapped(tmp_path: Path) -> None:
    profile = profile_with(tmp_path, [{"entity": "contacts", "kind": "split-last-first"}])
    before = frame("contacts", [{"last_name": "Núñez, José"}])
    after = apply_transforms(before, "contacts", profile, {})
    assert after["last_name"].tolist() == ["Núñez, José"]


# --------------------------------------------------------------------------- hours


def test_hours_from_minutes_only_for_a_minutes_column(tmp_path: Path) -> None:
    profile = profile_with(
        tmp_path, [{"entity": "activities", "kind": "hours-from-minutes", "headers": ["Minutes", "Mins"]}]
    )
    before = frame(
        "activities", [{"hours": "90"}, {"hours": "6"}, {"hours": "1,200"}, {"hours": "abc"}, {"hours": ""}]
    )
    after = apply_transforms(before, "activities", profile, {"hours": "MINUTES"})
    assert after["hours"].tolist() == ["1.5", "0.1", "20", "abc", ""]
    untouched = apply_transforms(before, "activities", profile, {"hours": "Hours"})
    assert untouched["hours"].tolist() == before["hours"].tolist()


def test_hours_from_hhmm(tmp_path: Path) -> None:
    profile = profile_with(tmp_path, [{"entity": "activities", "kind": "hours-from-hhmm"}])
    before = frame(
        "activities",
        [{"hours": "1:30"}, {"hours": "0:06"}, {"hours": "2:00:36"}, {"hours": "1.25"}, {"hours": "1:75"}],
    )
    after = apply_transforms(before, "activities", profile, {"hours": "Duration"})
    assert after["hours"].tolist() == ["1.5", "0.1", "2.01", "1.25", "1:75"]


# --------------------------------------------------------------------------- trust amount sign


def test_amount_sign_to_type(tmp_path: Path) -> None:
    profile = profile_with(
        tmp_path,
        [{"entity": "trust", "kind": "amount-sign-to-type"}],
        values={"trust.Type": {"Disbursement": "Withdrawal", "Receipt": "Deposit"}},
    )
    before = frame(
        "trust",
        [
            {"amount": "500.00"},
            {"amount": "-200.00"},
            {"amount": "($1,250.00)"},
            {"amount": "75.00-"},
            {"amount": "-80.00", "type": "Disbursement"},
            {"amount": "-10.00", "type": "Receipt"},
            {"amount": "30.00", "type": "Withdrawal"},
            {"amount": "", "type": ""},
            {"amount": "USD -12.00"},
        ],
    )
    after = apply_transforms(before, "trust", profile, {"amount": "Amount"})
    assert after["type"].tolist() == [
        "Deposit", "Withdrawal", "Withdrawal", "Withdrawal", "Disbursement", "Receipt", "Withdrawal", "", "Withdrawal",
    ]  # fmt: skip
    # Money out made positive; a negative deposit is left for the rules to report.
    assert after["amount"].tolist() == [
        "500.00", "200.00", "$1,250.00", "75.00", "80.00", "-10.00", "30.00", "", "USD 12.00",
    ]  # fmt: skip


# --------------------------------------------------------------------------- generated IDs, Tabs3 IDs, inverted flags


def test_row_id_fills_a_missing_key_column_only(tmp_path: Path) -> None:
    profile = profile_with(
        tmp_path, [{"entity": "contacts", "kind": "row-id", "to": ["Contact ID"], "prefix": "outlook-"}]
    )
    before = frame("contacts", [{"last_name": "Núñez"}, {"last_name": "Smith"}])
    after = apply_transforms(before, "contacts", profile, {"last_name": "Last Name"})
    assert after["contact_id"].tolist() == ["outlook-2", "outlook-3"]
    assert after["contact_id"].dtype == before["contact_id"].dtype
    # An export that has an ID column keeps its (even blank) IDs: the rules must still see them.
    kept = apply_transforms(before, "contacts", profile, {"contact_id": "ID", "last_name": "Last Name"})
    assert kept["contact_id"].tolist() == ["", ""]


def test_row_id_is_unique_across_files(tmp_path: Path) -> None:
    profile = profile_with(tmp_path, [{"entity": "contacts", "kind": "row-id"}])
    before = frame("contacts", [{"last_name": "A"}, {"last_name": "B"}], src=[0, 3])
    before["_row"] = [2, 2]
    after = apply_transforms(before, "contacts", profile, {"last_name": "Name"})
    assert after["contact_id"].tolist() == ["row-1-2", "row-4-2"]


def test_client_from_matter_number(tmp_path: Path) -> None:
    profile = profile_with(
        tmp_path, [{"entity": "matters", "kind": "client-from-matter-number", "separator": "."}]
    )
    before = frame(
        "matters",
        [
            {"matter_number": "1234.001"},
            {"matter_number": "1234.010", "client_id": "9999"},
            {"matter_number": "850"},
            {"matter_number": ".5"},
        ],
    )
    after = apply_transforms(before, "matters", profile, {"matter_number": "Client ID"})
    assert after["client_id"].tolist() == ["1234", "9999", "", ""]
    assert after["matter_number"].tolist() == ["1234.001", "1234.010", "850", ".5"]


def test_invert_boolean_for_a_non_billable_column(tmp_path: Path) -> None:
    profile = profile_with(
        tmp_path,
        [{"entity": "activities", "kind": "invert-boolean", "to": ["Billable"], "headers": ["Non-billable"]}],
    )
    before = frame(
        "activities",
        [{"billable": "Y"}, {"billable": "N"}, {"billable": "yes"}, {"billable": "False"}, {"billable": "1"},
         {"billable": ""}, {"billable": "maybe"}],
    )  # fmt: skip
    after = apply_transforms(before, "activities", profile, {"billable": "Non-billable"})
    assert after["billable"].tolist() == ["N", "Y", "no", "True", "0", "", "maybe"]
    same = apply_transforms(before, "activities", profile, {"billable": "Billable"})
    assert same["billable"].tolist() == before["billable"].tolist()


# --------------------------------------------------------------------------- what transforms provide


def test_provided_titles_and_fields(tmp_path: Path) -> None:
    profile = profile_with(
        tmp_path,
        [
            {"entity": "contacts", "kind": "row-id"},
            {"entity": "trust", "kind": "amount-sign-to-type"},
            {"entity": "matters", "kind": "client-from-matter-number"},
            {"entity": "contacts", "kind": "split-last-first"},
        ],
    )
    assert provided_titles(profile, "contacts", {"Last Name"}) == {"Contact ID"}
    assert provided_titles(profile, "contacts", {"Contact ID", "Last Name"}) == set()
    assert provided_titles(profile, "trust", {"Amount", "Date"}) == {"Type"}
    assert provided_titles(profile, "trust", {"Amount", "Type"}) == set()
    assert provided_titles(profile, "trust", {"Date"}) == set()
    assert provided_titles(profile, "matters", {"Matter Number"}) == {"Client ID"}
    assert provided_fields(profile, "contacts", {"last_name": "Name"}) == {"contact_id"}
    assert provided_fields(profile, "trust", {"amount": "Amount"}) == {"type"}


def test_no_transforms_returns_the_same_frame(tmp_path: Path) -> None:
    profile = profile_with(tmp_path, [])
    before = frame("contacts", [{"last_name": "Núñez, José"}])
    assert apply_transforms(before, "contacts", profile, {"last_name": "Name"}) is before


@pytest.mark.parametrize("entity", ["contacts", "trust", "activities", "matters"])
def test_empty_frames_pass_through(tmp_path: Path, entity: str) -> None:
    profile = profile_with(
        tmp_path,
        [{"entity": entity, "kind": k} for k in KINDS if k in _KIND_ENTITY and _KIND_ENTITY[k] == entity],
    )
    before = frame(entity, [])
    after = apply_transforms(before, entity, profile, {f.name: f.title for f in entities()[entity].fields})
    assert after.empty and list(after.columns) == list(before.columns)


_KIND_ENTITY = {
    "split-last-first": "contacts",
    "row-id": "contacts",
    "amount-sign-to-type": "trust",
    "hours-from-minutes": "activities",
    "hours-from-hhmm": "activities",
    "invert-boolean": "activities",
    "client-from-matter-number": "matters",
}


def test_bundled_profiles_transforms_run_on_realistic_rows() -> None:
    """Every transform a bundled profile declares runs on a small canonical frame without error."""
    from migration_assistant.core.adapters import load_catalog

    catalog, _ = load_catalog()
    samples = {
        "contacts": [{"last_name": "Núñez, José"}, {"last_name": "Acme, Inc.", "type": "Company"}],
        "trust": [{"amount": "-50.00"}, {"amount": "100.00", "type": "Deposit"}],
        "activities": [{"hours": "1:30", "billable": "N"}],
        "matters": [{"matter_number": "1234.001"}],
    }
    for profile in catalog.values():
        for spec in profile.transforms:
            entity = spec["entity"]
            before = frame(entity, samples.get(entity, [{}]))
            labels = {f.name: f.title for f in entities()[entity].fields if f.name != "contact_id"}
            after = apply_transforms(before, entity, profile, labels)
            assert len(after) == len(before) and set(after.columns) == set(before.columns), profile.id
