"""Adapter profiles: every bundled profile loads, describes itself, and recognises and maps an
export written in its own documented layout; broken and user-supplied profiles; mapping memory;
the `sources` and `validate --mapping` commands.

The synthetic exports are built from each profile's own data: one file per export file
(``detection.files``) or per entity in ``columns``, headed by the system's first-listed
heading for each field plus its signature headings, with realistic rows whose enum cells use
the profile's own value words (``values``).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from migration_assistant import cli
from migration_assistant.core import paths
from migration_assistant.core.adapters import Profile, ProfileError, load_catalog, load_profile
from migration_assistant.core.engine import validate
from migration_assistant.core.findings import FileInfo, Severity
from migration_assistant.core.mapping_store import SavedMapping, load_saved, save
from migration_assistant.core.readers.inputs import InputFile, collect_inputs, read_input
from migration_assistant.core.readers.table import SourceTable
from migration_assistant.core.recognise import AMBIGUOUS_MARGIN, also_tables, guess_source, suggest_mapping
from migration_assistant.core.recognise.signatures import file_match
from migration_assistant.core.resources import resource_path
from migration_assistant.core.rules.schema_rules import derivable_titles
from migration_assistant.core.schema import entities, normalise_label
from migration_assistant.core.transforms import provided_titles

ADAPTERS = resource_path("adapters")
PROFILE_FILES = sorted(ADAPTERS.glob("*.json"))
EXPECTED_IDS = {
    "pclaw", "amicus-attorney", "abacuslaw", "time-matters", "tabs3-practicemaster", "prolaw", "cosmolex",
    "practicepanther", "mycase", "rocket-matter", "smokeball", "leap", "quickbooks", "outlook-contacts",
    "google-contacts", "thunderbird-contacts", "generic-spreadsheet", "template", "clio",
}  # fmt: skip

# Systems whose export headings (or format) are documented: detection must name them outright.
DISTINCT = {
    "pclaw", "amicus-attorney", "time-matters", "tabs3-practicemaster", "practicepanther", "mycase",
    "quickbooks", "outlook-contacts", "google-contacts", "thunderbird-contacts", "template", "clio",
}  # fmt: skip
# Systems whose headings no source documents: the profile uses common headings, so a header-only
# detector may not single them out, but it must then say so (ambiguous), never guess silently.
UNDOCUMENTED = EXPECTED_IDS - DISTINCT


def catalog() -> dict[str, Profile]:
    found, problems = load_catalog()
    assert problems == []
    return found


# --------------------------------------------------------------------------- synthetic exports

FIRST = ["José", "Ann", "Li", "Mary", "Omar", "Zoë"]
LAST = ["Núñez", "Smith", "Chen", "O'Brien", "Haddad", "Müller"]
USERS = ["JS", "AB", "MK"]


def _value(entity: str, name: str, i: int) -> str:
    """A realistic cell for canonical field *name* of *entity* on record *i* (0-based)."""
    client = f"C-{1001 + i % 4}"
    matter = f"16-{1001 + i % 5}"
    day = f"03/{10 + i:02d}/2024"
    by_name: dict[str, str] = {
        "user_id": USERS[i % 3] if entity != "users" else USERS[i] if i < 3 else f"U{i}",
        "name": f"{FIRST[i % 6]} {LAST[i % 6]}",
        "email": f"person{i}@example.com",
        "initials": USERS[i % 3],
        "role": "Attorney",
        "default_rate": "350.00",
        "active": "Y",
        "contact_id": client if entity != "contacts" else f"C-{1001 + i}",
        "first_name": FIRST[i % 6],
        "middle_name": "",
        "last_name": LAST[i % 6],
        "company": ["", "Acme Holdings Ltd", ""][i % 3],
        "title": "Director",
        "phone": f"+1 212 555 01{i:02d}",
        "mobile": f"+1 917 555 02{i:02d}",
        "street": f"{12 + i} Main Street",
        "city": "New York",
        "state_province": "NY",
        "postal_code": "10001",
        "country": "USA",
        "notes": "Referred by a former client",
        "matter_number": matter if entity != "matters" else f"16-{1001 + i}",
        "client_id": client,
        "description": f"Estate of {LAST[i % 6]}",
        "practice_area": "Family",
        "responsible_attorney": USERS[i % 3],
        "originating_attorney": USERS[(i + 1) % 3],
        "open_date": day,
        "close_date": "",
        "entry_id": f"E{500 + i}",
        "date": day,
        "hours": "1.5",
        "rate": "300.00",
        "amount": "450.00",
        "billable": "Y",
        "billed": "N",
        "invoice_number": f"INV-{100 + i}",
        "activity_code": "L110",
        "issue_date": day,
        "due_date": f"04/{10 + i:02d}/2024",
        "total": "1,250.00",
        "amount_paid": "250.00",
        "transaction_id": f"T{700 + i}",
        "reference": f"{1001 + i}",
        "event_id": f"EV{i}",
        "start": f"{day} 09:00",
        "end": f"{day} 10:00",
        "all_day": "N",
        "location": "County Court",
        "task_id": f"TK{i}",
        "assignee": USERS[i % 3],
        "note_id": f"N{i}",
        "subject": "Call with client",
        "body": "Discussed next steps.",
    }
    return by_name.get(name, f"value {i}")


def _enum_words(profile: Profile, entity: str, title: str, allowed: tuple[str, ...]) -> list[str]:
    words = list(profile.value_map(entity, title)) or list(allowed)
    return words + [w for w in allowed if w not in words]


def _first_header(profile: Profile, entity: str, title: str) -> str | None:
    names = profile.columns.get(entity, {}).get(title)
    return names[0] if names else None


def _file_plan(profile: Profile) -> list[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    """(entity, also-entities, extra signature headings) per file of the synthetic export."""
    files = {sig.entity: sig for sig in profile.detection.files}
    covered = {e for sig in files.values() for e in sig.also}
    plan = []
    for entity in profile.columns:
        if entity in covered:
            continue
        sig = files.get(entity)
        plan.append((entity, sig.also if sig else (), sig.headers if sig else ()))
    return plan


def _file_name(profile: Profile, entity: str) -> str:
    for export in profile.exports:
        if export.entity == entity:
            for name in export.file_names:
                if "*" not in name:
                    return Path(name).with_suffix(".csv").name
    return f"{entity}.csv"


def write_synthetic_export(profile: Profile, folder: Path, rows: int = 6) -> dict[str, str]:
    """Write *profile*'s documented layout into *folder*; returns file name -> entity it holds."""
    folder.mkdir(parents=True, exist_ok=True)
    written: dict[str, str] = {}
    for index, (entity, also, file_sigs) in enumerate(_file_plan(profile)):
        columns: dict[str, Callable[[int], str]] = {}
        for ent_name in (entity, *also):
            ent = entities()[ent_name]
            for f in ent.fields:
                header = _first_header(profile, ent_name, f.title)
                if header is None or normalise_label(header) in {normalise_label(h) for h in columns}:
                    continue
                if f.enum:
                    words = _enum_words(profile, ent_name, f.title, f.enum)
                    columns[header] = lambda i, w=words: w[i % len(w)]
                else:
                    columns[header] = lambda i, e=ent_name, n=f.name: _value(e, n, i)
        extra = list(file_sigs) + (list(profile.detection.signature_headers) if index == 0 else [])
        for header in extra:
            if normalise_label(header) not in {normalise_label(h) for h in columns}:
                columns[header] = lambda i: f"other {i}"
        buf = io.StringIO(newline="")
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(list(columns))
        for i in range(rows):
            writer.writerow([make(i) for make in columns.values()])
        name = _file_name(profile, entity)
        (folder / name).write_text(buf.getvalue(), encoding="utf-8")
        written[name] = entity
    if "iif" in profile.detection.formats:
        (folder / "invoices.iif").write_text(IIF, encoding="utf-8")
        written["invoices.iif"] = "bills"
    return written


IIF = (
    "!TRNS\tTRNSID\tTRNSTYPE\tDATE\tACCNT\tNAME\tAMOUNT\tDOCNUM\tMEMO\r\n"
    "!SPL\tSPLID\tTRNSTYPE\tDATE\tACCNT\tNAME\tAMOUNT\tDOCNUM\tMEMO\r\n"
    "!ENDTRNS\r\n"
    "TRNS\t\tINVOICE\t03/15/2024\tAccounts Receivable\tC-1001:16-1001\t1250.00\t1001\tFees\r\n"
    "SPL\t\tINVOICE\t03/15/2024\tLegal Fees\tC-1001:16-1001\t-1250.00\t1001\tFees\r\n"
    "ENDTRNS\r\n"
)


def read_tables(folder: Path) -> list[SourceTable]:
    inputs, _ = collect_inputs([folder])
    return [t for item in inputs for t in read_input(item)]


@pytest.fixture(scope="module")
def bundled() -> dict[str, Profile]:
    return {p.id: p for p in (load_profile(path) for path in PROFILE_FILES)}


# --------------------------------------------------------------------------- the profiles themselves


def test_every_source_system_has_a_profile(bundled: dict[str, Profile]) -> None:
    assert set(bundled) == EXPECTED_IDS
    for path in PROFILE_FILES:
        assert path.stem == json.loads(path.read_text(encoding="utf-8"))["id"]


@pytest.mark.parametrize("path", PROFILE_FILES, ids=lambda p: p.stem)
def test_profile_is_complete_and_honest(path: Path) -> None:
    profile = load_profile(path)
    raw = json.loads(path.read_text(encoding="utf-8"))
    assert profile.name and profile.summary and profile.kind
    assert raw.get("date_order") in ("auto", "MDY", "DMY", "YMD")
    assert profile.exports and profile.guide and profile.limitations
    assert profile.columns, "a profile must say how its columns map"
    exported = {e.entity for e in profile.exports}
    assert exported <= set(entities())
    for lim in profile.limitations:
        assert lim.what and lim.why and lim.instead
        if profile.id != "template":
            assert lim.source, f"{profile.id}/{lim.id} has no source"
    for step in profile.guide:
        assert step.title and step.text
    # Every entity the profile maps has its required fields covered (by a column or a transform).
    for entity, cols in profile.columns.items():
        declared = {t for t, names in cols.items() if names}
        provided = provided_titles(profile, entity, declared)
        missing = [
            f.title
            for f in entities()[entity].fields
            if f.required and f.title not in declared | provided | derivable_titles(entity, declared)
        ]
        assert missing == [], f"{profile.id}/{entity}: {missing}"
    # Value maps only produce canonical values.
    for key, mapping in profile.values.items():
        entity, _, title = key.partition(".")
        field = next(f for f in entities()[entity].fields if f.title == title)
        assert set(mapping.values()) <= set(field.enum), key
    # Transforms read and write canonical titles of their entity.
    for spec in profile.transforms:
        titles = set(entities()[spec["entity"]].titles)
        assert set(spec.get("to", ())) <= titles and spec.get("from", next(iter(titles))) in titles, spec


@pytest.mark.parametrize("pid", ["prolaw", "smokeball", "leap", "rocket-matter", "practicepanther", "mycase"])
def test_guides_do_not_invent_menu_paths_where_none_is_known(bundled: dict[str, Profile], pid: str) -> None:
    """DOMAIN.md: export menu paths NOT FOUND for these; the guide says so instead of inventing one."""
    profile = bundled[pid]
    text = " ".join(step.text for step in profile.guide) + " ".join(e.how for e in profile.exports)
    assert "not published" in text.casefold()  # said in plain words; the sources are under the guide
    assert " > " not in " ".join(e.how for e in profile.exports if "not published" in e.how)


def test_limitations_cite_domain_sources(bundled: dict[str, Profile]) -> None:
    from tests.conftest import shared_path

    text = shared_path("DOMAIN.md").read_text(encoding="utf-8")
    for profile in bundled.values():
        for lim in profile.limitations:
            url = lim.source.split()[0] if lim.source.startswith("http") else None
            if url:
                assert url in text, f"{profile.id}/{lim.id}: {url} is not a DOMAIN.md source"


# --------------------------------------------------------------------------- synthetic exports: detection and mapping


@pytest.mark.parametrize("pid", sorted(EXPECTED_IDS))
def test_synthetic_export_maps_every_required_column(
    bundled: dict[str, Profile], pid: str, tmp_path: Path
) -> None:
    """Under its own profile, each file of the layout is recognised as the entity written and fully mapped."""
    profile = bundled[pid]
    folder = tmp_path / pid
    written = write_synthetic_export(profile, folder)
    for table in read_tables(folder):
        entity = written[table.file]
        if table.role:  # interchange formats arrive with their role
            assert table.role == entity
            continue
        mapping = suggest_mapping(table.labels, entity, profile)
        provided = provided_titles(profile, entity, set(mapping.matches))
        derivable = derivable_titles(entity, mapping.matches)
        missing = [t for t in mapping.missing_required if t not in provided | derivable]
        assert missing == [], f"{pid}/{table.file}: {missing}"
        mapped = {normalise_label(m.label) for m in mapping.matches.values()}
        own = {normalise_label(n[0]) for n in profile.columns[entity].values() if n}
        assert own <= mapped, f"{pid}/{table.file}: not mapped {own - mapped}"


@pytest.mark.parametrize("pid", sorted(EXPECTED_IDS))
def test_signature_ranking_names_the_system(bundled: dict[str, Profile], pid: str, tmp_path: Path) -> None:
    """guess_source: documented systems are named; undocumented ones are ambiguous or named."""
    folder = tmp_path / pid
    write_synthetic_export(bundled[pid], folder)
    guess = guess_source(read_tables(folder), catalog())
    if pid in DISTINCT:
        assert (guess.source_id, guess.ambiguous) == (pid, False), guess.scores
    else:
        close = {s for s, v in guess.scores.items() if guess.confidence - v < AMBIGUOUS_MARGIN}
        assert guess.source_id == pid or (guess.ambiguous and pid in close), (guess.source_id, guess.scores)


def test_signature_file_match_gives_pclaw_list_both_roles(
    bundled: dict[str, Profile], tmp_path: Path
) -> None:
    profile = bundled["pclaw"]
    write_synthetic_export(profile, tmp_path / "pclaw")
    (table,) = [t for t in read_tables(tmp_path / "pclaw") if t.file == "client-matter-list.csv"]
    match = file_match(table, profile)
    assert match is not None and (match.entity, match.also) == ("matters", ("contacts",))
    (contacts,) = also_tables([table], profile)
    assert contacts.role == "contacts"
    # Six matter rows for four clients (C-1001..C-1004): one contact each, at the client's first row.
    assert contacts.data["CLIENT"].tolist() == ["C-1001", "C-1002", "C-1003", "C-1004"]
    assert contacts.data["_row"].tolist() == [2, 3, 4, 5]


def test_overlapping_contact_layouts_are_told_apart_or_reported(
    bundled: dict[str, Profile], tmp_path: Path
) -> None:
    """Outlook's own layout is Outlook; a bare name/e-mail sheet is not silently called Outlook."""
    folder = tmp_path / "bare"
    folder.mkdir()
    (folder / "people.csv").write_text(
        "First Name,Last Name,Email,Phone\r\nJosé,Núñez,jn@example.com,212 555 0100\r\n", encoding="utf-8"
    )
    guess = guess_source(read_tables(folder), catalog())
    assert guess.source_id != "outlook-contacts" or guess.ambiguous
    assert guess.ambiguous or guess.source_id in ("generic-spreadsheet", "template")


def provided_titles_for_layout(profile: Profile) -> set[str]:
    """Required titles the synthetic layout lacks and the profile's transforms fill in."""
    out: set[str] = set()
    for entity, cols in profile.columns.items():
        declared = {t for t, names in cols.items() if names}
        out |= provided_titles(profile, entity, declared)
    return out


def _assert_roles(files: list[FileInfo], written: dict[str, str], profile: Profile) -> None:
    """Each written file has the role it was written for (plus the `also` entities of its file signature)."""
    roles: dict[str, set[str | None]] = {}
    for info in files:
        roles.setdefault(info.file, set()).add(info.role)
    also = {sig.entity: set(sig.also) for sig in profile.detection.files}
    for name, entity in written.items():
        assert roles.get(name) == {entity} | also.get(entity, set()), (name, roles)


@pytest.mark.parametrize("pid", sorted(EXPECTED_IDS))
def test_validate_auto_detects_source_and_roles(
    bundled: dict[str, Profile], pid: str, tmp_path: Path
) -> None:
    """End to end: validate(folder, source="auto") names the system and each file's role, with no missing columns."""
    profile = bundled[pid]
    folder = tmp_path / pid
    written = write_synthetic_export(profile, folder)
    result = validate([folder], source="auto")
    if pid in DISTINCT:
        assert result.profile.id == pid
    else:  # the system itself, or the generic profile (with the ambiguity reported: see below)
        assert result.profile.id == pid or result.profile.kind == "spreadsheet", result.profile.id
    if result.profile.id != pid:
        return  # read with the generic profile's headings; the ambiguity finding is tested below
    _assert_roles(result.report.files, written, profile)
    missing = [f for f in result.report.findings if f.rule == "missing-column"]
    assert missing == [], [(f.file, f.column) for f in missing]


@pytest.mark.parametrize("pid", sorted(UNDOCUMENTED - {"generic-spreadsheet"}))
def test_validate_auto_reports_an_ambiguous_source(
    bundled: dict[str, Profile], pid: str, tmp_path: Path
) -> None:
    folder = tmp_path / pid
    write_synthetic_export(bundled[pid], folder)
    guess = guess_source(read_tables(folder), catalog())
    result = validate([folder], source="auto")
    if guess.ambiguous:
        notes = [f for f in result.report.findings if f.rule == "ambiguous-source"]
        assert notes and notes[0].row is None


@pytest.mark.parametrize("pid", sorted(EXPECTED_IDS))
def test_validate_with_source_id_maps_every_file(
    bundled: dict[str, Profile], pid: str, tmp_path: Path
) -> None:
    """validate(folder, source=ID): each file gets the entity written, no blocker, no unmapped value word."""
    profile = bundled[pid]
    folder = tmp_path / pid
    written = write_synthetic_export(profile, folder)
    result = validate([folder], source=pid)
    assert result.profile.id == pid
    _assert_roles(result.report.files, written, profile)
    blockers = [f for f in result.report.findings if f.severity is Severity.BLOCKER]
    assert blockers == [], [(f.rule, f.file, f.column, f.message) for f in blockers]
    enum_errors = [f for f in result.report.findings if f.rule == "enum"]
    assert enum_errors == [], [(f.file, f.column, f.value) for f in enum_errors]


def test_value_words_are_mapped_case_insensitively(bundled: dict[str, Profile], tmp_path: Path) -> None:
    profile = bundled["generic-spreadsheet"]
    folder = tmp_path / "generic"
    folder.mkdir()
    (folder / "matters.csv").write_text(
        "Matter No,Client,Matter Description,Matter Status,Fee Type\r\n"
        "16-1001,C-1,Estate,ACTIVE,flat fee\r\n16-1002,C-2,Divorce,inactive,Contingent\r\n"
        "16-1003,C-3,Lease,Archived,Hourly\r\n",
        encoding="utf-8",
    )
    result = validate([folder], source=profile.id)
    assert [f for f in result.report.findings if f.rule == "enum"] == []
    parsed = result.dataset.entities["matters"].parsed
    assert parsed["status"].values.tolist() == ["Open", "Closed", "Closed"]
    assert parsed["billing_method"].values.tolist() == ["Flat", "Contingency", "Hourly"]


def test_outlook_contacts_get_row_ids_end_to_end(tmp_path: Path) -> None:
    folder = tmp_path / "outlook"
    folder.mkdir()
    (folder / "contacts.csv").write_text(
        "First Name,Last Name,Company,E-mail Address,Business Phone,Business Street,Business City\r\n"
        "José,Núñez,,jn@example.com,212 555 0100,1 Main St,New York\r\n"
        "Ann,Smith,Acme Ltd,ann@example.com,212 555 0101,2 Main St,New York\r\n",
        encoding="utf-8",
    )
    result = validate([folder], source="outlook-contacts")
    assert [f for f in result.report.findings if f.rule in ("missing-column", "required")] == []
    assert result.dataset.entities["contacts"].frame["contact_id"].tolist() == ["outlook-2", "outlook-3"]


def test_generic_client_name_is_split_end_to_end(tmp_path: Path) -> None:
    folder = tmp_path / "generic"
    folder.mkdir()
    (folder / "clients.csv").write_text(
        'Client Number,Client Name,Email\r\nC-1,"Núñez, José",jn@example.com\r\nC-2,"Acme, Inc.",a@example.com\r\n',
        encoding="utf-8",
    )
    result = validate([folder], source="generic-spreadsheet")
    frame = result.dataset.entities["contacts"].frame
    assert frame["last_name"].tolist() == ["Núñez", "Acme, Inc."]
    assert frame["first_name"].tolist() == ["José", ""]


# --------------------------------------------------------------------------- broken and user profiles


def _minimal(pid: str = "mini", **overrides: object) -> dict[str, object]:
    raw: dict[str, object] = {
        "id": pid,
        "name": "Mini",
        "summary": "A test profile.",
        "exports": [{"entity": "contacts", "what": "Contacts", "how": "Export them", "format": "CSV"}],
        "columns": {"contacts": {"Contact ID": ["Kundennummer"], "Last Name": ["Nachname"]}},
        "limitations": [],
        "guide": [{"title": "Export", "text": "Export the contacts."}],
    }
    raw.update(overrides)
    return raw


def _write(path: Path, raw: object) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(raw) if not isinstance(raw, str) else raw, encoding="utf-8")
    return path


def test_broken_json_names_file_and_line(tmp_path: Path) -> None:
    path = _write(tmp_path / "broken.json", '{"id": "broken",\n  "name": }')
    with pytest.raises(ProfileError, match=r"broken\.json.*not valid JSON \(line 2\)"):
        load_profile(path)


def test_missing_required_field_names_file_and_field(tmp_path: Path) -> None:
    raw = _minimal()
    del raw["guide"]
    path = _write(tmp_path / "noguide.json", raw)
    with pytest.raises(ProfileError, match=r"noguide\.json.*'guide' is a required property"):
        load_profile(path)


def test_bad_nested_field_names_its_path(tmp_path: Path) -> None:
    raw = _minimal(exports=[{"entity": "invoices", "what": "x", "how": "y", "format": "CSV"}])
    path = _write(tmp_path / "badentity.json", raw)
    with pytest.raises(ProfileError, match=r"badentity\.json, field exports/0/entity"):
        load_profile(path)


def test_unknown_canonical_title_names_file_and_field(tmp_path: Path) -> None:
    raw = _minimal(columns={"contacts": {"Surname": ["Nachname"]}})
    path = _write(tmp_path / "badtitle.json", raw)
    with pytest.raises(ProfileError, match=r"badtitle\.json, field columns/contacts/Surname"):
        load_profile(path)


def test_unknown_transform_kind_is_rejected(tmp_path: Path) -> None:
    raw = _minimal(transforms=[{"entity": "contacts", "kind": "guess-everything"}])
    path = _write(tmp_path / "badtransform.json", raw)
    with pytest.raises(ProfileError, match=r"badtransform\.json, field transforms/0/kind"):
        load_profile(path)


def test_detection_file_signatures_are_validated(tmp_path: Path) -> None:
    raw = _minimal(detection={"files": [{"entity": "contacts"}]})
    path = _write(tmp_path / "badfiles.json", raw)
    with pytest.raises(ProfileError, match=r"badfiles\.json, field detection/files/0"):
        load_profile(path)


def test_detection_is_typed_data_with_compiled_patterns(tmp_path: Path) -> None:
    raw = _minimal(
        detection={
            "signature_headers": ["Kundennummer"],
            "files": [{"entity": "matters", "signature_headers": ["Akte", "Mandant"], "also": ["contacts"]}],
            "value_patterns": {"matters.Matter Number": r"^\d+/\d+$"},
        }
    )
    detection = load_profile(_write(tmp_path / "typed.json", raw)).detection
    assert detection.signature_headers == ("Kundennummer",)
    (sig,) = detection.files
    assert (sig.entity, sig.headers, sig.min_hits, sig.also) == (
        "matters",
        ("Akte", "Mandant"),
        2,
        ("contacts",),
    )
    (pattern,) = detection.value_patterns
    assert (pattern.entity, pattern.title) == ("matters", "Matter Number")
    assert pattern.regex.fullmatch("12/345") and not pattern.regex.fullmatch("12.345")


@pytest.mark.parametrize("users", [True, False])
def test_bad_value_pattern_names_file_and_field(tmp_path: Path, users: bool) -> None:
    """A regex that does not compile is an error on load (bundled or not), never silently skipped."""
    raw = _minimal(detection={"value_patterns": {"matters.Matter Number": "^(\\d+$"}})
    path = _write(tmp_path / "badregex.json", raw)
    with pytest.raises(
        ProfileError,
        match=r"badregex\.json, field detection/value_patterns/matters\.Matter Number: .* not a valid regular",
    ):
        load_profile(path, check_schema=users)


def test_value_pattern_for_an_unknown_field_names_file_and_field(tmp_path: Path) -> None:
    raw = _minimal(detection={"value_patterns": {"matters.Aktenzeichen": "^\\d+$"}})
    path = _write(tmp_path / "badpattern.json", raw)
    with pytest.raises(
        ProfileError, match=r"badpattern\.json, field detection/value_patterns/matters\.Akten"
    ):
        load_profile(path)


def test_user_profile_is_loaded_and_a_broken_one_reported(tmp_path: Path) -> None:
    user_dir = paths.user_adapters_dir()
    assert str(user_dir).startswith(str(tmp_path))
    _write(user_dir / "kanzlei.json", _minimal("kanzlei"))
    _write(user_dir / "zz-broken.json", "{not json")
    found, problems = load_catalog()
    assert "kanzlei" in found and found["kanzlei"].origin == str(user_dir / "kanzlei.json")
    assert set(found) >= EXPECTED_IDS
    assert len(problems) == 1 and "zz-broken.json" in problems[0]


def test_user_profile_overrides_a_bundled_one(tmp_path: Path) -> None:
    bundled_raw = json.loads((ADAPTERS / "pclaw.json").read_text(encoding="utf-8"))
    bundled_raw["name"] = "PCLaw (firm's own layout)"
    bundled_raw["columns"]["matters"]["Matter Number"] = ["MATTER NO", "MATTER"]
    _write(paths.user_adapters_dir() / "pclaw.json", bundled_raw)
    found, _ = load_catalog()
    assert found["pclaw"].name == "PCLaw (firm's own layout)"
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "matters.csv").write_text(
        "MATTER NO,CLIENT,MATTER DESCRIPTION,STATUS\r\n16-1001,C-1,Estate,Active\r\n", encoding="utf-8"
    )
    result = validate([folder], source="pclaw")
    assert result.profile.name == "PCLaw (firm's own layout)"
    assert result.dataset.labels[0]["matter_number"] == "MATTER NO"


# --------------------------------------------------------------------------- mapping memory and the CLI


def _odd_export(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "files.csv").write_text(
        "Akte,Mandant,Bezeichnung,Status\r\n16-1001,C-1,Estate of Smith,Open\r\n16-1002,C-2,Lease,Closed\r\n",
        encoding="utf-8",
    )
    return folder


def test_mapping_memory_round_trips_and_is_reused(tmp_path: Path) -> None:
    folder = _odd_export(tmp_path / "export")
    before = validate([folder], source="generic-spreadsheet")
    assert before.report.files[0].role != "matters" or any(
        f.rule == "missing-column" for f in before.report.findings
    )
    saved = SavedMapping("generic-spreadsheet", roles={"files.csv": "matters"})
    saved.remember("matters", "Matter Number", "Akte")
    saved.remember("matters", "Client ID", "Mandant")
    saved.remember("matters", "Description", "Bezeichnung")
    saved.remember("matters", "Practice Area", "")
    where = save(saved)
    assert where.is_file() and str(where).startswith(str(tmp_path))
    again = load_saved("generic-spreadsheet")
    assert again.columns == saved.columns and again.roles == saved.roles
    result = validate([folder], source="generic-spreadsheet", mappings=again.columns, roles=again.roles)
    assert result.report.files[0].role == "matters"
    assert result.dataset.labels[0]["matter_number"] == "Akte"
    assert result.dataset.labels[0]["client_id"] == "Mandant"
    assert [f for f in result.report.findings if f.rule == "missing-column"] == []
    assert load_saved("pclaw").columns == {}  # per source system


def test_cli_validate_applies_a_saved_mapping_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _odd_export(tmp_path / "export")
    saved = SavedMapping("generic-spreadsheet", roles={"files.csv": "matters"})
    for title, label in (("Matter Number", "Akte"), ("Client ID", "Mandant"), ("Description", "Bezeichnung")):
        saved.remember("matters", title, label)
    mapping_file = save(saved, tmp_path / "mapping.json")
    out = tmp_path / "findings.json"
    code = cli.main(["validate", str(folder), "--mapping", str(mapping_file), "--json", str(out), "--quiet"])
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["source"] == "generic-spreadsheet"
    assert report["files"][0]["role"] == "matters"
    assert [f for f in report["findings"] if f["rule"] == "missing-column"] == []
    assert code in (0, 1)
    assert "files.csv: matters" in capsys.readouterr().out


def test_cli_sources_lists_every_system(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["sources"]) == 0
    text = capsys.readouterr().out
    for pid in EXPECTED_IDS:
        assert pid in text
    assert text.count("exports:") >= len(EXPECTED_IDS)


def test_cli_sources_json_has_exports_and_limitations(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["sources", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    by_id = {item["id"]: item for item in data}
    assert set(by_id) >= EXPECTED_IDS
    for pid in EXPECTED_IDS:
        item = by_id[pid]
        assert item["name"] and item["exports"] and item["limitations"], pid
        assert all({"entity", "what", "how", "format"} <= set(e) for e in item["exports"])
        assert all({"what", "why", "instead"} <= set(lim) for lim in item["limitations"])


# --------------------------------------------------------------------------- real contact CSVs (conformance)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("roundcube_gmail.csv", "google-contacts"),
        ("roundcube_outlook.csv", "outlook-contacts"),
        ("roundcube_all.csv", "outlook-contacts"),
    ],
)
def test_real_google_and_outlook_csvs_are_recognised(name: str, expected: str) -> None:
    from tests.conftest import conformance_dir

    path = conformance_dir("formats", "contacts-csv") / name
    tables = read_input(InputFile(path, name))
    found = catalog()
    guess = guess_source(tables, found)
    assert (guess.source_id, guess.ambiguous) == (expected, False), guess.scores
    mapping = suggest_mapping(tables[0].labels, "contacts", found[expected])
    provided = provided_titles(found[expected], "contacts", set(mapping.matches))
    assert [t for t in mapping.missing_required if t not in provided] == []
    assert "Email" in mapping.matches


@pytest.mark.parametrize("name", ["thunderbird_export.csv", "roundcube_tb_plain.csv"])
def test_thunderbird_address_book_is_not_pinned_on_a_vendor(name: str) -> None:
    """Thunderbird's own profile knows its layout: never a practice-management vendor's."""
    from tests.conftest import conformance_dir

    path = conformance_dir("formats", "contacts-csv") / name
    guess = guess_source(read_input(InputFile(path, name)), catalog())
    assert guess.source_id == "thunderbird-contacts"


def test_cli_package_with_source_auto_takes_the_saved_mapping_s_source(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """As validate and fix do (package ignored the mapping's source and guessed the source again)."""
    import pyrage

    from migration_assistant.core.package import verify_package
    from tests.helpers import base_export

    folder = base_export(tmp_path / "export")  # our own template: guessed as the template
    mapping_file = save(SavedMapping("pclaw"), tmp_path / "mapping.json")
    specialist = pyrage.x25519.Identity.generate()
    out = tmp_path / "package.age"
    argv = ["package", str(folder), "--source", "auto", "--mapping", str(mapping_file), "--out", str(out)]
    code = cli.main([*argv, "--recipient", str(specialist.to_public()), "--acknowledge", "Pat", "--quiet"])
    assert code == 0, capsys.readouterr().err
    opened = verify_package(out, identity=specialist, capture=("data/findings/findings.json",))
    assert opened.ok, opened.summary()
    assert json.loads(opened.captured["data/findings/findings.json"])["source"] == "pclaw"
