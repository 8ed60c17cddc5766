"""The canonical schema and the downloadable templates match DESIGN.md; template files are recognised."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from migration_assistant.core.resources import resource_path
from migration_assistant.core.schema import ENTITY_ORDER, entities
from migration_assistant.core.templates import WORKBOOK_NAME, csv_text, write_templates
from scripts.sample_export import HEADERS as SAMPLE_HEADERS
from tests.helpers import HEADERS, describe, run
from tests.helpers import csv_text as make_csv

SCHEMA = resource_path("resources", "schema", "migration-schema.json")
TEMPLATES = resource_path("resources", "templates")

DESIGN = HEADERS  # the contract, copied from DESIGN.md (tests/helpers.py)
DESIGN_ENUMS = {
    ("contacts", "Type"): ["Person", "Company"],
    ("matters", "Status"): ["Open", "Pending", "Closed"],
    ("matters", "Billing Method"): ["Hourly", "Flat", "Contingency"],
    ("activities", "Type"): ["Time", "Expense"],
    ("bills", "Status"): ["Draft", "Unpaid", "Partial", "Paid", "Void"],
    ("trust", "Type"): ["Deposit", "Withdrawal", "Transfer In", "Transfer Out"],
}
DESIGN_BOOLEANS = {
    ("users", "Active"),
    ("activities", "Billable"),
    ("activities", "Billed"),
    ("calendar", "All Day"),
}
# The relations DESIGN.md and the engine issue name: (entity, field title) -> (target entity, target title).
DESIGN_RELATIONS = {
    ("matters", "Client ID"): ("contacts", "Contact ID"),
    ("activities", "Matter Number"): ("matters", "Matter Number"),
    ("activities", "User ID"): ("users", "User ID"),
    ("activities", "Invoice Number"): ("bills", "Invoice Number"),
    ("trust", "Client ID"): ("contacts", "Contact ID"),
    ("trust", "Matter Number"): ("matters", "Matter Number"),
    ("bills", "Matter Number"): ("matters", "Matter Number"),
}


def descriptor() -> dict:  # type: ignore[type-arg]
    return json.loads(SCHEMA.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def test_sample_generator_writes_the_design_headers() -> None:
    """The sample export's generator takes its headers from the schema: they must be the contract's."""
    assert SAMPLE_HEADERS == DESIGN


def test_schema_has_the_nine_entities_with_design_headers_in_order() -> None:
    resources = {r["name"]: r for r in descriptor()["resources"]}
    assert list(resources) == list(DESIGN) == list(ENTITY_ORDER)
    for name, titles in DESIGN.items():
        assert [f["title"] for f in resources[name]["schema"]["fields"]] == titles, name
    assert {name: list(e.titles) for name, e in entities().items()} == DESIGN


def test_schema_is_a_valid_table_schema_shape() -> None:
    allowed_types = {"string", "number", "integer", "boolean", "date", "datetime"}
    for res in descriptor()["resources"]:
        schema = res["schema"]
        names = [f["name"] for f in schema["fields"]]
        assert len(names) == len(set(names)), res["name"]
        assert all(f["type"] in allowed_types for f in schema["fields"])
        assert schema["primaryKey"] in names
        pk = next(f for f in schema["fields"] if f["name"] == schema["primaryKey"])
        assert pk["constraints"].get("required") and pk["constraints"].get("unique")


def test_foreign_keys_resolve_to_real_fields() -> None:
    ents = entities()
    for ent in ents.values():
        for fk in ent.foreign_keys:
            assert ent.has(fk.field), (ent.name, fk.field)
            assert fk.resource in ents, (ent.name, fk.resource)
            target = ents[fk.resource]
            assert target.has(fk.ref_field), (ent.name, fk.resource, fk.ref_field)
            # References point at a key that identifies one record.
            assert target.field(fk.ref_field).unique
            assert fk.severity in ("error", "warning")


def test_design_relations_are_declared() -> None:
    declared = {
        (ent.name, ent.field(fk.field).title): (
            fk.resource,
            entities()[fk.resource].field(fk.ref_field).title,
        )
        for ent in entities().values()
        for fk in ent.foreign_keys
    }
    for relation, target in DESIGN_RELATIONS.items():
        assert declared.get(relation) == target, relation


def test_value_conventions() -> None:
    ents = entities()
    for (entity, title), values in DESIGN_ENUMS.items():
        field = next(f for f in ents[entity].fields if f.title == title)
        assert list(field.enum) == values, (entity, title)
    for entity, title in DESIGN_BOOLEANS:
        assert next(f for f in ents[entity].fields if f.title == title).type == "boolean"
    money = {(e.name, f.title) for e in ents.values() for f in e.fields if f.money}
    assert {
        ("activities", "Amount"),
        ("bills", "Total"),
        ("bills", "Amount Paid"),
        ("trust", "Amount"),
    } <= money


@pytest.mark.parametrize("entity", list(DESIGN))
def test_template_csv_headers(entity: str) -> None:
    path = TEMPLATES / f"{entity}.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows == [DESIGN[entity]]
    assert path.read_bytes().decode("utf-8") == csv_text(entity)  # shipped copy = generated


def test_template_workbook_has_a_sheet_per_entity() -> None:
    book = load_workbook(TEMPLATES / WORKBOOK_NAME, read_only=True)
    assert book.sheetnames == list(DESIGN)
    for name, titles in DESIGN.items():
        header = next(book[name].iter_rows(min_row=1, max_row=1, values_only=True))
        assert list(header) == titles, name


def test_write_templates_reproduces_the_shipped_files(tmp_path: Path) -> None:
    written = write_templates(tmp_path)
    assert sorted(p.name for p in written) == sorted([f"{n}.csv" for n in DESIGN] + [WORKBOOK_NAME])
    for entity in DESIGN:
        assert (tmp_path / f"{entity}.csv").read_bytes() == (TEMPLATES / f"{entity}.csv").read_bytes()


def test_empty_templates_validate_without_errors(tmp_path: Path) -> None:
    for entity in DESIGN:
        (tmp_path / f"{entity}.csv").write_bytes((TEMPLATES / f"{entity}.csv").read_bytes())
    result = run(tmp_path, source="auto")
    assert result.report.source == "template"  # auto-detection picks the template for template files
    assert {f.file: f.role for f in result.report.files} == {f"{e}.csv": e for e in DESIGN}
    assert result.report.summary() == {"blocker": 0, "error": 0, "warning": 0, "info": 0}, describe(result)


def test_the_template_workbook_validates_with_every_role(tmp_path: Path) -> None:
    (tmp_path / "t.xlsx").write_bytes((TEMPLATES / WORKBOOK_NAME).read_bytes())
    result = run(tmp_path, source="auto")
    assert result.report.source == "template"
    # Sheets holding only a header row are still recognised by their headings.
    assert [(f.sheet, f.role) for f in result.report.files] == [(e, e) for e in DESIGN]


@pytest.mark.parametrize("entity", list(DESIGN))
def test_reordered_recased_spaced_headers_are_recognised(tmp_path: Path, entity: str) -> None:
    titles = DESIGN[entity]
    messy = [f"  {t.upper() if i % 2 else t.lower()} " for i, t in enumerate(reversed(titles))]
    (tmp_path / "Copy of export FINAL (2).csv").write_text(make_csv(messy, []), encoding="utf-8")
    result = run(tmp_path, source="template")
    (info,) = result.report.files
    assert info.role == entity
    mapping = result.dataset.roles[0].mapping
    assert mapping is not None and set(mapping.matches) == set(titles)
    assert [f for f in result.report.findings if f.rule in ("missing-column", "unrecognised-file")] == []


def test_role_comes_from_headers_not_the_file_name(tmp_path: Path) -> None:
    (tmp_path / "contacts.csv").write_text(make_csv(DESIGN["matters"], []), encoding="utf-8")
    book = Workbook()
    book.active.title = "Clients"
    book.active.append(DESIGN["trust"])
    book.save(tmp_path / "matters.xlsx")
    result = run(tmp_path)
    assert [(f.file, f.sheet, f.role) for f in result.report.files] == [
        ("contacts.csv", None, "matters"),
        ("matters.xlsx", "Clients", "trust"),
    ]
