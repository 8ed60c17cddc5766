"""The catalogue of finding codes: complete, true to the engine, and the one source of words.

Every code the engine can emit has an entry (checked statically over core's source, and on
the sample export and the conformance corpus at run time); the wizard, the HTML report, the
Excel report and ``migration-assistant rules`` show the same title and severity word for it.
"""

from __future__ import annotations

import ast
import io
import json
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
from markupsafe import escape

from migration_assistant import cli
from migration_assistant.core.catalogue import CATALOGUE_FILE, catalogue, code_title, stages
from migration_assistant.core.engine import validate
from migration_assistant.core.findings import Finding, Severity
from migration_assistant.core.readers.errors import UnreadableFile
from migration_assistant.core.resources import resource_path, sample_export_dir
from migration_assistant.core.results import ValidationResult
from migration_assistant.core.rules import REGISTRY
from tests.conftest import conformance_dir

CORE = Path(__file__).resolve().parents[1] / "migration_assistant" / "core"

# Rebuild findings from codes made elsewhere (a package's findings.json; the codes flag() was
# given, held as columns): they read codes, they do not emit them.
READS_CODES = {"handoff.py", "finding_table.py"}


# --------------------------------------------------------------------------- the entries


def test_every_entry_has_a_title_a_meaning_and_an_action() -> None:
    entries = catalogue()
    assert len(entries) >= 80
    for code, entry in entries.items():
        assert entry.code == code and re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", code), code
        for text in (entry.title, entry.meaning, entry.action):
            assert text.strip() == text and text, (code, text)
        assert entry.title[0].isupper(), code
        assert isinstance(entry.severity, Severity), code
        assert entry.stage in stages(), code


def test_a_registered_check_gives_its_own_title_severity_and_meaning() -> None:
    entries = catalogue()
    for rule in REGISTRY:
        entry = entries[rule.code]
        assert entry.title.casefold() == rule.title.casefold()
        assert entry.severity is rule.severity
        first_paragraph = " ".join(rule.doc.split("\n\n")[0].split())
        assert entry.meaning == first_paragraph
        assert entry.stage == "check"
    # The data file adds only what a check does not define itself: nothing is defined twice.
    data = json.loads(resource_path(*CATALOGUE_FILE).read_text(encoding="utf-8"))
    assert set(data["rules"]) == {r.code for r in REGISTRY}
    for code, extra in data["rules"].items():
        assert set(extra) <= {"action", "varies"}, code


def test_unknown_codes_still_read_as_words() -> None:
    """A package from another version of the app can hold a code this one does not know."""
    assert code_title("some-future-check") == "Some future check"
    assert code_title("blank-row") == catalogue()["blank-row"].title


# --------------------------------------------------------------------------- static: core's source


@dataclass(frozen=True, slots=True)
class Emitted:
    code: str
    severity: Severity | None  # None when the severity is computed
    where: str


def _params(node: ast.FunctionDef) -> list[str]:
    return [a.arg for a in (*node.args.posonlyargs, *node.args.args)]


def _builders(trees: dict[Path, ast.Module]) -> dict[str, dict[Path, tuple[int | None, int | None]]]:
    """Function name -> module -> positions of its ``rule`` and ``severity`` parameters.

    A finding builder is anything that takes ``rule`` and ``severity`` parameters (``Finding``
    itself, the readers' ``note``/``_line`` helpers, ``CheckContext.flag`` ...), so a new helper
    is found without naming it here.
    """
    found: dict[str, dict[Path, tuple[int | None, int | None]]] = defaultdict(dict)
    found["Finding"][CORE / "finding.py"] = (0, 1)
    for path, tree in trees.items():
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef):
                positional = _params(node)
                keyword_only = [a.arg for a in node.args.kwonlyargs]
                if {"rule", "severity"} <= {*positional, *keyword_only}:
                    shift = 1 if positional[:1] in (["self"], ["cls"]) else 0

                    def at(name: str, positional: list[str] = positional, shift: int = shift) -> int | None:
                        return positional.index(name) - shift if name in positional else None

                    found[node.name][path] = (at("rule"), at("severity"))
    return found


def _local_defs(tree: ast.Module) -> set[str]:
    return {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}


def _argument(call: ast.Call, name: str, position: int | None) -> ast.expr | None:
    for keyword in call.keywords:
        if keyword.arg == name:
            return keyword.value
    if position is not None and position < len(call.args):
        return call.args[position]
    return None


def _literal_codes(node: ast.expr) -> list[str] | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        body, orelse = _literal_codes(node.body), _literal_codes(node.orelse)
        return None if body is None or orelse is None else body + orelse
    return None


def _literal_severity(node: ast.expr | None) -> Severity | None:
    if (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "Severity"
        and node.attr in Severity.__members__
    ):
        return Severity[node.attr]
    return None


def _enclosing_params(tree: ast.Module) -> dict[ast.AST, set[str]]:
    """Each call -> the parameter names of the function it sits in."""
    out: dict[ast.AST, set[str]] = {}

    def visit(node: ast.AST, params: set[str]) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            params = params | {
                a.arg for a in (*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs)
            }
        if isinstance(node, ast.Call):
            out[node] = params
        for child in ast.iter_child_nodes(node):
            visit(child, params)

    visit(tree, set())
    return out


@cache
def emitted_in_source() -> tuple[Emitted, ...]:
    """Every (code, severity) that core's source passes to a finding builder."""
    trees = {p: ast.parse(p.read_text(encoding="utf-8")) for p in sorted(CORE.rglob("*.py"))}
    builders = _builders(trees)
    out: list[Emitted] = []
    for path, tree in trees.items():
        if path.name in READS_CODES:
            continue
        local = _local_defs(tree)
        params_of = _enclosing_params(tree)
        for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
            func = call.func
            name = (
                func.id
                if isinstance(func, ast.Name)
                else func.attr
                if isinstance(func, ast.Attribute)
                else ""
            )
            if name not in builders:
                continue
            defs = builders[name]
            if path in defs:
                rule_at, severity_at = defs[path]
            elif name in local:
                continue  # a function of the same name here that takes no rule (iif's _invoice)
            else:
                positions = set(defs.values())
                assert len(positions) == 1, f"{name} is defined with different signatures: {defs}"
                rule_at, severity_at = positions.pop()
            code = _argument(call, "rule", rule_at)
            if code is None:
                continue
            where = f"{path.relative_to(CORE.parent)}:{call.lineno}"
            codes = _literal_codes(code)
            if codes is None:
                # A helper passing its own ``rule`` parameter on; anything else hides the code.
                assert isinstance(code, ast.Name) and code.id in params_of[call], (
                    f"{where}: the finding code is computed ({ast.unparse(code)}); write it as a literal "
                    "so the catalogue test can see it"
                )
                continue
            severity = _literal_severity(_argument(call, "severity", severity_at))
            out.extend(Emitted(c, severity, where) for c in codes)
    return tuple(out)


def test_every_code_in_core_source_is_catalogued_and_every_entry_is_emitted() -> None:
    emitted = emitted_in_source()
    in_source = {e.code for e in emitted}
    entries = catalogue()
    missing = sorted(in_source - set(entries))
    assert not missing, (
        f"finding codes with no catalogue entry (add them to resources/finding-codes.json): {missing}"
    )
    stale = sorted(set(entries) - in_source)
    assert not stale, f"catalogue entries for codes nothing emits: {stale}"


def test_a_code_emitted_at_several_severities_says_it_varies() -> None:
    seen: dict[str, set[Severity]] = defaultdict(set)
    computed: set[str] = set()
    for e in emitted_in_source():
        if e.severity is None:
            computed.add(e.code)
        else:
            seen[e.code].add(e.severity)
    for code, entry in catalogue().items():
        levels = seen[code]
        if entry.varies:
            assert len(levels) > 1 or code in computed, f"{code} is marked as varying but is not"
            assert not levels or entry.severity in levels, code
        else:
            assert code not in computed, f"{code}'s severity is computed: mark it as varying"
            assert levels == {entry.severity}, (
                f"{code}: catalogued as {entry.severity.label}, emitted as {levels}"
            )


# --------------------------------------------------------------------------- run time: the engine


def _inputs() -> Iterator[tuple[str, Path]]:
    yield "sample", sample_export_dir()
    base = conformance_dir()
    for path in sorted(base.rglob("*")):
        if (
            path.is_file()
            and path.suffix.lower() not in (".json", ".md", ".txt")
            and path.name != "SHA256SUMS"
        ):
            yield path.relative_to(base).as_posix(), path


def test_every_code_the_engine_emits_on_the_sample_and_the_corpus_is_catalogued() -> None:
    entries = catalogue()
    seen: set[str] = set()
    checked = 0
    for name, path in _inputs():
        try:
            result = validate([path])
        except UnreadableFile:  # refused with a plain message: no findings to catalogue
            continue
        checked += 1
        for f in result.report.findings:
            entry = entries.get(f.rule)
            assert entry is not None, f"{name}: {f.rule} is not in the catalogue"
            assert entry.varies or f.severity is entry.severity, (
                f"{name}: {f.rule} emitted as {f.severity.label}, catalogued as {entry.severity.label}"
            )
            seen.add(f.rule)
    assert checked > 50 and len(seen) > 30, (checked, sorted(seen))


# --------------------------------------------------------------------------- the same words everywhere


@pytest.fixture(scope="module")
def sample_result() -> ValidationResult:
    return validate([sample_export_dir()])


SHOWN = ["encoding-guessed", "possible-duplicate"]  # a reader's note and a check's warning


def _first(result: ValidationResult, code: str) -> Finding:
    return next(f for f in result.report.findings if f.rule == code)


@pytest.mark.parametrize("code", SHOWN)
def test_html_report_shows_the_catalogue_title_and_severity_word(
    sample_result: ValidationResult, code: str
) -> None:
    from migration_assistant.core.reports.html_report import render_html

    entry = catalogue()[code]
    severity = _first(sample_result, code).severity
    page = render_html(sample_result)
    badge = f'<span class="badge" style="background: {severity.colour}">{severity.word}</span>'
    assert re.search(re.escape(badge) + r"\s*<h3>" + re.escape(str(escape(entry.title))) + "</h3>", page)
    # The page's colours are core's too, down to the style sheet.
    for s in Severity:
        assert f"--{s.label}: {s.colour};" in page


@pytest.fixture(scope="module")
def excel_findings(sample_result: ValidationResult) -> list[dict[str, tuple[object, str]]]:
    """The Excel report's "All findings" sheet: per row, heading -> (value, fill colour)."""
    from openpyxl import load_workbook

    from migration_assistant.core.reports.xlsx_report import xlsx_bytes

    book = load_workbook(io.BytesIO(xlsx_bytes(sample_result)), read_only=True)
    rows = list(book["All findings"].iter_rows())
    heads = [str(c.value) for c in rows[0]]

    def fill(cell: object) -> str:
        found = getattr(cell, "fill", None)  # an empty cell of a read-only sheet has none
        return str(found.fgColor.rgb) if found is not None else ""

    return [{h: (c.value, fill(c)) for h, c in zip(heads, row, strict=False)} for row in rows[1:]]


@pytest.mark.parametrize("code", SHOWN)
def test_excel_report_shows_the_catalogue_title_and_severity_word(
    sample_result: ValidationResult, excel_findings: list[dict[str, tuple[object, str]]], code: str
) -> None:
    entry = catalogue()[code]
    severity = _first(sample_result, code).severity
    row = next(r for r in excel_findings if r["Rule"][0] == code)
    word, fill = row["Severity"]
    assert word == severity.word
    assert fill.endswith(severity.fill.lstrip("#").upper())
    assert row["Problem"][0] == entry.title


@pytest.mark.gui
@pytest.mark.parametrize("code", SHOWN)
def test_wizard_shows_the_catalogue_title_and_severity_word(
    qtbot, sample_result: ValidationResult, code: str
) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    from migration_assistant.gui.models import FindingsModel
    from migration_assistant.gui.words import SEVERITY_WORDS, rule_title

    entry = catalogue()[code]
    finding = _first(sample_result, code)
    model = FindingsModel()
    model.set_findings([finding])
    severity = model.index(0, FindingsModel.SEVERITY)
    assert severity.data() == f"{finding.severity.mark} {finding.severity.word}"
    assert severity.data(Qt.ItemDataRole.ForegroundRole).color().name() == finding.severity.colour
    assert (
        model.index(0, FindingsModel.PROBLEM).data(Qt.ItemDataRole.ToolTipRole).startswith(entry.title + "\n")
    )
    assert rule_title(code) == entry.title and SEVERITY_WORDS[finding.severity] == finding.severity.word


# --------------------------------------------------------------------------- the command


def test_rules_json_lists_the_catalogue(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["rules", "--json"]) == cli.EXIT_OK
    listed = json.loads(capsys.readouterr().out)
    assert listed == [e.to_json() for e in catalogue().values()]
    for item in listed:
        assert {"code", "title", "severity", "meaning", "action"} <= set(item)
        assert Severity.parse(item["severity"]) is catalogue()[item["code"]].severity


def test_rules_lists_every_code_by_stage_in_words(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["rules"]) == cli.EXIT_OK
    out = capsys.readouterr().out
    positions = [out.index(heading) for heading in stages().values()]
    assert positions == sorted(positions)
    for code, entry in catalogue().items():
        line = next(line for line in out.splitlines() if line.startswith(code + " "))
        assert entry.severity.word in line and entry.title in line
        assert ("(varies)" in line) == entry.varies


def test_rules_prints_on_a_console_that_cannot_show_every_character(monkeypatch: pytest.MonkeyPatch) -> None:
    """A Windows console or a redirected file in a legacy encoding gets "?", not an error."""
    buffer = io.BytesIO()
    console = io.TextIOWrapper(buffer, encoding="ascii")
    monkeypatch.setattr("sys.stdout", console)
    assert cli.main(["rules"]) == cli.EXIT_OK
    console.flush()
    out = buffer.getvalue().decode("ascii")
    assert "undecodable-bytes" in out and "(shown as ?)" in out
