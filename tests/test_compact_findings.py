"""Findings held as columns (issue 16, item 4): the same findings and JSON as before, a bounded
cost per finding, a repeating problem shown as one group, and vCard photos never decoded."""

from __future__ import annotations

import base64
import json
import os
import random
import tracemalloc
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from migration_assistant.core.api import sample_export_dir
from migration_assistant.core.dataset import SRC, EntityData
from migration_assistant.core.engine import validate
from migration_assistant.core.finding_table import FindingTable
from migration_assistant.core.findings import Finding, Report, Severity, compare_runs
from migration_assistant.core.readers.table import ROW
from migration_assistant.core.readers.vcard import read_vcf
from migration_assistant.core.reports.html_report import group_findings, render_html
from migration_assistant.core.rules import base
from migration_assistant.core.rules.base import CheckContext

# ------------------------------------------------------------------ the reference: findings made at once


def _eager_flag(
    self: CheckContext,
    data: EntityData,
    mask: Any,
    *,
    rule: str,
    severity: Severity,
    field: str | None,
    message: Any,
    hint: Any,
    extra: dict[str, Any] | None = None,
    value: pd.Series | None = None,
) -> int:
    """``CheckContext.flag`` as it was before findings were held as columns: every finding made now."""
    flags = np.asarray(mask, dtype=bool)
    if not flags.any():
        return 0
    positions = np.flatnonzero(flags)
    frame = data.frame
    rows = frame[ROW].to_numpy()[positions]
    srcs = frame[SRC].to_numpy()[positions]
    if value is not None:
        values = np.asarray(value.iloc[positions].to_numpy(), dtype=object)
    elif field is not None:
        values = np.asarray(frame[field].iloc[positions].to_numpy(), dtype=object)
    else:
        values = np.full(len(positions), None, dtype=object)
    extras = {
        k: (
            np.asarray(v.iloc[positions].to_numpy(), dtype=object)
            if isinstance(v, pd.Series)
            else v[positions]
        )
        for k, v in (extra or {}).items()
    }
    where = {
        s: (self.tables[s].file, self.tables[s].sheet, self.label(s, field)) for s in np.unique(srcs).tolist()
    }
    extra_values = {k: v.tolist() for k, v in extras.items()}
    for i, (row, src, cell) in enumerate(zip(rows.tolist(), srcs.tolist(), values.tolist(), strict=True)):
        file, sheet, column = where[src]
        ctx: dict[str, Any] = {"value": cell, "row": row, "column": column}
        for k, v in extra_values.items():
            ctx[k] = v[i]
        self.findings.append(
            Finding(
                rule,
                severity,
                data.name,
                file,
                sheet,
                row,
                column,
                None if cell is None else str(cell),
                message(ctx) if callable(message) else message,
                hint(ctx) if callable(hint) else hint,
            )
        )
    return len(positions)


def _old_json_text(report: Report, findings: list[Finding]) -> str:
    """``Report.to_json_text`` as it was: one string built from a list of findings."""
    head = json.dumps(report.to_json_head(), indent=2, ensure_ascii=False)[:-2]
    one = json.JSONEncoder(ensure_ascii=False).encode
    lines = ",\n".join("    " + one(f.to_json()) for f in findings)
    text = head + (',\n  "findings": [\n' + lines + "\n  ]\n}\n" if lines else ',\n  "findings": []\n}\n')
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _odd_export(folder: Path) -> Path:
    """Contacts with repeated IDs, blank names, odd e-mails and a line separator in a cell."""
    folder.mkdir()
    rows = ["Contact ID,Type,First Name,Last Name,Company,Email"]
    for i in range(60):
        key = f"C{i % 7}\u2028x"
        first = "" if i % 5 == 0 else f"Ann{i}"
        email = "not an address" if i % 4 == 0 else f"a{i}@example.com"
        rows.append(f"{key},Person,{first},Lee{i % 3},,{email}")
    (folder / "Client list.csv").write_text("\r\n".join(rows) + "\r\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize("which", ["sample", "odd"])
def test_findings_and_json_are_what_they_were_when_made_at_once(
    which: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = sample_export_dir() if which == "sample" else _odd_export(tmp_path / "odd")
    compact = validate([folder], "template").report
    with monkeypatch.context() as patch:
        patch.setattr(base.CheckContext, "flag", _eager_flag)
        eager = validate([folder], "template").report
    made = list(eager.findings)
    assert len(made) > 20
    assert list(compact.findings) == made
    text = compact.to_json_text()
    assert text == _old_json_text(compact, made) == eager.to_json_text()
    assert compact.json_bytes() == text.encode("utf-8")
    if which == "odd":
        assert "\\u2028" in text and "\u2028" not in text  # a line separator cannot split a finding


def test_the_json_is_written_a_few_thousand_findings_at_a_time() -> None:
    report = Report("template")
    loose = [_finding("file-rule", None, "b.csv", None, Severity.BLOCKER, column=None)]
    report.extend(loose)
    report.extend(_many("a.csv", 20_000))
    pieces = list(report.iter_json_text())
    assert len(pieces) >= 4 and max(len(p) for p in pieces) < len("".join(pieces)) / 2
    document = json.loads("".join(pieces))
    assert len(document["findings"]) == 20_001
    assert document["summary"] == {"blocker": 1, "error": 20_000, "warning": 0, "info": 0}


# ------------------------------------------------------------------ memory


def test_a_finding_costs_a_few_dozen_bytes_not_kilobytes(tmp_path: Path) -> None:
    """200,000 duplicate-key findings through ``flag()``, every allocation counted (Python's and
    Arrow's): the columns stay under 300 bytes a finding (a made Finding is about 2.4 KB)."""
    n = 200_000
    folder = tmp_path / "keys"
    folder.mkdir()
    (folder / "Contacts.csv").write_text(
        "Contact ID,Company\n" + "".join(f"C{i:07d},A\n" for i in range(n)), encoding="utf-8"
    )
    result = validate([folder], "template")
    assert not [f for f in result.report.findings if f.rule == "duplicate-key"]
    data = result.dataset.entities["contacts"]
    ctx = CheckContext(result.dataset)
    first = np.arange(n, dtype=np.int64) + 1
    files = np.full(n, "Contacts.csv", dtype=object)
    arrow_before = pa.total_allocated_bytes()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        flagged = ctx.flag(
            data,
            np.ones(n, dtype=bool),
            rule="duplicate-key",
            severity=Severity.ERROR,
            field="contact_id",
            extra={"first": first, "first_file": files},
            message=lambda c: (
                f"Contact ID “{c['value']}” is used twice: it already appears on row {c['first']} "
                f"of {c['first_file']}."
            ),
            hint="Give each record its own ID.",
        )
        held = tracemalloc.get_traced_memory()[0] - before + pa.total_allocated_bytes() - arrow_before
    finally:
        tracemalloc.stop()
    assert flagged == n == len(ctx.findings)
    assert held / n < 300, f"{held / n:.0f} bytes a finding"
    last = ctx.findings[n - 1]
    assert last.value == f"C{n - 1:07d}" and last.row == n + 1
    assert (
        last.message
        == f"Contact ID “C{n - 1:07d}” is used twice: it already appears on row {n} of Contacts.csv."
    )


# ------------------------------------------------------------------ the table behaves as the list did


def _finding(
    rule: str,
    row: int | None,
    file: str,
    sheet: str | None,
    severity: Severity,
    column: str | None = "Amount",
) -> Finding:
    return Finding(
        rule, severity, "activities", file, sheet, row, column, f"v{row}", f"{rule} on {row}", "Fix it."
    )


def _many(file: str, n: int) -> FindingTable:
    table = FindingTable()
    for i in range(n):
        table.append(_finding("invalid-value", 2 + i, file, None, Severity.ERROR))
    return table


def test_sorting_the_columns_orders_findings_as_sorting_the_list_did() -> None:
    rng = random.Random(16)
    rules = ["enum", "amount-mismatch", "required", "duplicate-key"]
    items = [
        _finding(
            rng.choice(rules),
            rng.choice([None, *range(2, 40)]),
            rng.choice(["b.csv", "a.xlsx", "B.csv", "é.csv"]),
            rng.choice([None, "Sheet1", ""]),
            rng.choice(list(Severity)),
        )
        for _ in range(3_000)
    ]
    table = FindingTable()
    for start in range(0, len(items), 500):
        table.extend(FindingTable(items[start : start + 500]))
    report = Report("template", findings=table)
    report.sort()
    expected = sorted(
        items, key=lambda f: (f.file, f.sheet or "", f.row if f.row is not None else -1, -f.severity, f.rule)
    )
    assert list(report.findings) == expected
    assert (
        report.findings == expected
        and report.findings[5] == expected[5]
        and report.findings[-3:] == expected[-3:]
    )
    assert report.worst() == max(f.severity for f in items)
    assert list(report.at_or_above(Severity.ERROR)) == [f for f in expected if f.severity >= Severity.ERROR]


def test_comparing_two_runs_matches_the_findings_as_before() -> None:
    before = [_finding("enum", r, "a.csv", None, Severity.ERROR) for r in (2, 3, 3, 5)]
    after = [_finding("enum", r, "a.csv", None, Severity.ERROR) for r in (3, 5, 7)]
    diff = compare_runs(Report("t", findings=before), Report("t", findings=after))
    assert [f.row for f in diff.fixed] == [2, 3]
    assert [f.row for f in diff.remaining] == [3, 5]
    assert [f.row for f in diff.new] == [7]


# ------------------------------------------------------------------ a repeating problem, one group


def _repeating_export(folder: Path, rows: int) -> Path:
    folder.mkdir()
    lines = ["Contact ID,Company", "C9,Z", "C8,Y", "C8,Y"] + ["C1,A"] * (rows + 1)
    (folder / "Contacts.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def test_a_problem_on_most_rows_is_one_group_in_the_html_report(tmp_path: Path) -> None:
    result = validate([_repeating_export(tmp_path / "export", 1_500)], "template")
    groups = [g for g in group_findings(result.report.findings) if g.rule == "duplicate-key"]
    assert groups[0].count == 1_501
    assert [r.text for r in groups[0].repeats] == [
        "The same problem on 1,501 rows of Contacts.csv, column Contact ID."
    ]
    html = render_html(result)
    assert "The same problem on 1,501 rows of Contacts.csv, column Contact ID." in html
    assert html.count("is used twice") == 10  # the group's first ten rows, not 1,501


@pytest.mark.gui
def test_a_problem_on_most_rows_is_one_group_row_on_the_review_page(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from migration_assistant.gui.models import FindingsFilter, FindingsModel
    from migration_assistant.gui.privacy_view import FindingMasker

    result = validate([_repeating_export(tmp_path / "export", 2_500)], "template")
    total = len(result.report.findings)
    model = FindingsModel()
    proxy = FindingsFilter()
    proxy.setSourceModel(model)
    model.set_findings(result.report.findings, FindingMasker())
    groups = [r for r in range(model.rowCount()) if model.is_group(r)]
    assert len(groups) == 1 and model.rowCount() < 10
    group = model.finding_at(groups[0])
    assert group.count == 2_501 and model.problem_count() == proxy.problem_count() == total
    text = model.text(group, FindingsModel.PROBLEM)
    assert text.startswith("The same problem on 2,501 rows of Contacts.csv, column Contact ID: ")
    assert model.text(group, FindingsModel.ROW) == "2,501 rows"
    rows = model.rowCount()
    assert model.expand(groups[0]) == 1_000
    assert model.rowCount() == rows + 1_000 and model.problem_count() == total
    listed = model.finding_at(groups[0])
    assert listed.group is None and listed.finding.rule == "duplicate-key" and listed.finding.row == 4
    rest = model.finding_at(groups[0] + 1_000)
    assert rest.count == 1_501 and "1,501 rows" in model.text(rest, FindingsModel.PROBLEM)
    assert model.expand(groups[0] + 1_000) == 1_000 and model.expand(groups[0] + 2_000) == 501
    assert not any(model.is_group(r) for r in range(model.rowCount())) and model.problem_count() == total
    assert proxy.rowCount() == model.rowCount() and proxy.problem_count() == total


# ------------------------------------------------------------------ vCard photos


def _card(photo_lines: list[str]) -> str:
    return "\r\n".join(
        [
            "BEGIN:VCARD",
            "VERSION:3.0",
            "N:Doe;Jane;;;",
            "FN:Jane Doe",
            *photo_lines,
            "EMAIL:jane@example.com",
            "END:VCARD",
            "",
        ]
    )


def _photo(size: int) -> str:
    return base64.b64encode(os.urandom(size * 3 // 4)).decode()


@pytest.mark.parametrize("shape", ["one line", "folded", "bare 2.1 lines", "grouped"])
def test_a_vcard_photo_is_skipped_not_decoded(shape: str, tmp_path: Path) -> None:
    photo = _photo(2_000_000 if shape == "one line" else 200_000)
    if shape == "one line":
        lines = [f"PHOTO;ENCODING=b;TYPE=JPEG:{photo}"]
    elif shape == "folded":
        lines = [f"PHOTO;ENCODING=b;TYPE=JPEG:{photo[:60]}"] + [
            " " + photo[i : i + 74] for i in range(60, len(photo), 74)
        ]
    elif shape == "bare 2.1 lines":
        lines = ["PHOTO;JPEG;ENCODING=BASE64:"] + [photo[i : i + 76] for i in range(0, len(photo), 76)] + [""]
    else:
        lines = [f"item1.PHOTO;VALUE=uri:data:image/jpeg;base64,{photo}"]
    path = tmp_path / "contacts.vcf"
    path.write_text(_card(lines), encoding="utf-8")
    size = path.stat().st_size
    tracemalloc.start()
    try:
        (table,) = read_vcf(path, path.name)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    record = table.data.drop(columns=[ROW]).iloc[0].to_dict()
    assert record["Last Name"] == "Doe" and record["First Name"] == "Jane"
    assert record["Email"] == "jane@example.com" and not table.findings
    # The file's text, its lines and the card's other properties: a few times the file, where
    # decoding the photo (vobject) took 160 times the file (325 MB for a 2 MB photo).
    assert peak < 6 * size + 2_000_000, f"peak {peak / 1e6:.1f} MB for a {size / 1e6:.1f} MB file"
