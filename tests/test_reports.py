"""The HTML and Excel reports, and privacy masking: read back what was written and check it."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from migration_assistant.core.balances import compute_balances
from migration_assistant.core.engine import validate
from migration_assistant.core.findings import FileInfo, Finding, Report, Severity
from migration_assistant.core.privacy import MASK, client_labels, mask_finding, mask_text
from migration_assistant.core.reports import render_html, verdict, write_html, write_xlsx
from migration_assistant.core.reports.html_report import _month_chart, checklist_rows
from migration_assistant.core.reports.xlsx_report import sheet_title
from migration_assistant.core.results import ValidationResult
from migration_assistant.core.timeline import plan_for_report

CLIENT_NAMES = ("Margaret", "Holloway", "Brightwater", "Desmond", "Achterberg")
FORMULA = '=HYPERLINK("http://evil.example","click")'

FILES = {
    "contacts": (
        "Contact ID,Type,First Name,Middle Name,Last Name,Company,Title,Email,Phone,Mobile,Street,City,"
        "State/Province,Postal Code,Country,Notes\n"
        "C001,Person,Margaret,,Holloway,,,margaret@example.com,+1 212 555 0101,,1 Main St,New York,NY,10001,US,\n"
        "C002,Company,,,,Brightwater Holdings LLC,,info@brightwater,+1 212 555 0102,,2 Main St,New York,NY,"
        f'10001,US,"{FORMULA.replace(chr(34), chr(34) * 2)}"\n'
        "C003,Person,Desmond,,Achterberg,,,<script>alert(1)</script>,+1 212 555 0103,,3 Main St,New York,NY,"
        "10001,US,\n"
    ),
    "matters": (
        "Matter Number,Client ID,Description,Practice Area,Responsible Attorney,Originating Attorney,Status,"
        "Open Date,Close Date,Billing Method\n"
        "M-001,C001,Holloway estate,Probate,U1,U1,Open,2024-01-10,,Hourly\n"
        "M-002,C002,Brightwater lease,Litigation,U1,U1,Open,2024-02-01,,Hourly\n"
        "M-003,C003,Achterberg divorce,Family,U1,U1,Open,2024-03-01,,Flat\n"
    ),
    "users": (
        "User ID,Name,Email,Initials,Role,Default Rate,Active\n"
        "U1,Alice Partner,alice@firm.example,AP,Attorney,350,Y\n"
    ),
    "activities": (
        "Entry ID,Type,Date,User ID,Matter Number,Description,Hours,Rate,Amount,Billable,Billed,Invoice Number,"
        "Activity Code\n"
        "A1,Time,2024-01-15,U1,M-001,Call with Margaret Holloway,1.0,350,350.00,Y,N,,\n"
        "A2,Time,2024-02-15,U1,M-001,Draft will,2.0,350,700.00,Y,Y,INV-1,\n"
        "A3,Time,2024-03-15,U1,M-002,Review lease,0.5,350,175.00,Y,N,,\n"
        "A4,Time,2024-03-16,U1,M-002,Bell\x07char,0.5,350,175.00,N,N,,\n"
        "A5,Time,2024-03-17,U1,M-999,Unknown matter work,0.5,350,175.00,Y,N,,\n"
    ),
    "bills": (
        "Invoice Number,Matter Number,Issue Date,Due Date,Total,Amount Paid,Status\n"
        'INV-1,M-001,2024-02-28,2024-03-28,"$1,000.00",400.00,Partial\n'
        "INV-5,M-003,2024-03-30,2024-04-30,200.00,0,Unpaid\n"
    ),
    "trust": (
        "Transaction ID,Date,Client ID,Matter Number,Type,Amount,Reference,Description\n"
        'T1,2024-01-11,C001,M-001,Deposit,"5,000.00",CHK1,Retainer from Margaret Holloway\n'
        "T2,2024-02-20,C001,M-001,Withdrawal,1200.00,CHK2,Fees\n"
        "T3,2024-03-01,C002,M-002,Deposit,100.00,CHK3,Retainer\n"
        "T4,2024-03-05,C002,M-002,Withdrawal,300.00,CHK4,Fees\n"
    ),
}


@pytest.fixture
def result(tmp_path: Path) -> ValidationResult:
    folder = tmp_path / "export"
    folder.mkdir()
    for name, text in FILES.items():
        (folder / f"{name}.csv").write_text(text, encoding="utf-8")
    return validate([folder])


def _finding(result: ValidationResult, rule: str) -> Finding:
    found = [f for f in result.report.findings if f.rule == rule]
    assert found, (
        f"the fixture should produce a {rule} finding; got {[f.rule for f in result.report.findings]}"
    )
    return found[0]


# ---------------------------------------------------------------- privacy


def test_mask_text_keeps_at_most_the_first_letter() -> None:
    assert mask_text("Margaret") == "M" + MASK
    assert mask_text("M") == "M" + MASK
    assert mask_text("1,000.00") == MASK
    assert mask_text("") == ""
    assert mask_text(None) == ""
    # Fixed length: a long name and a short one look alike.
    assert len(mask_text("Bo")) == len(mask_text("Bartholomew Featherstonehaugh"))


def test_mask_finding_hides_quoted_values_and_amounts_but_keeps_column_names() -> None:
    finding = Finding(
        "trust-overdraft",
        Severity.ERROR,
        "trust",
        "trust.csv",
        None,
        5,
        "Amount",
        "300.00",
        "This withdrawal of 300.00 leaves the balance at -200.00; “Margaret Holloway” in “Amount”.",
        "Export again as “CSV UTF-8”; the bad value was 300.00.",
    )
    safe = mask_finding(finding)
    assert safe.value == MASK
    assert "300.00" not in safe.message and "200.00" not in safe.message
    assert "Margaret" not in safe.message and "Holloway" not in safe.message
    assert "“Amount”" in safe.message
    # Hints are the rule's advice: menu names stay, the value and amounts do not.
    assert "“CSV UTF-8”" in safe.hint and "300.00" not in safe.hint
    assert (
        mask_finding(
            Finding("r", Severity.ERROR, None, "f.csv", None, 2, "Hours", "26.50", "RKM has 26.50 hours.", "")
        ).message
        == f"RKM has {MASK} hours."
    )
    assert (safe.file, safe.row, safe.column, safe.rule) == ("trust.csv", 5, "Amount", "trust-overdraft")


def test_client_labels_cover_names_and_amounts() -> None:
    labels = {"first_name": "Given", "contact_id": "ID", "email": "E-mail"}
    assert client_labels("contacts", labels) == {"Given", "E-mail"}
    assert client_labels(None, {"a": "A"}) == {"A"}


# ---------------------------------------------------------------- verdict


def _report(*severities: Severity) -> Report:
    report = Report(source="template", records={"contacts": 3})
    report.files = [FileInfo("c.csv", None, "contacts", "UTF-8", 3, "0" * 64)]
    report.findings = [
        Finding("r", s, "contacts", "c.csv", None, 2, None, None, "message", "hint") for s in severities
    ]
    return report


def test_verdicts() -> None:
    assert verdict(_report()).title == "Ready"
    assert verdict(_report(Severity.INFO)).title == "Ready"
    assert verdict(_report(Severity.WARNING)).title == "Ready with warnings"
    assert verdict(_report(Severity.ERROR, Severity.WARNING)).title == "Ready with warnings"
    blocked = verdict(_report(Severity.BLOCKER, Severity.BLOCKER, Severity.BLOCKER, Severity.ERROR))
    assert blocked.title == "Not ready"
    assert "3 blockers must be fixed first" in blocked.reason
    cancelled = _report()
    cancelled.cancelled = True
    assert verdict(cancelled).title == "Not ready"
    assert verdict(Report(source="template")).title == "Not ready"


# ---------------------------------------------------------------- HTML


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    @property
    def words(self) -> str:
        return re.sub(r"\s+", " ", " ".join(self.text))


def _parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


def test_html_report_states_verdict_counts_and_groups(result: ValidationResult, tmp_path: Path) -> None:
    path = tmp_path / "out" / "report.html"
    write_html(result, path)
    page = _parse(path.read_text(encoding="utf-8"))
    words = page.words
    summary = result.report.summary()
    assert summary["blocker"] == 0 and summary["error"] > 0
    assert "Ready with warnings" in words
    assert f"{summary['error']} Errors" in words
    for rule, title in (
        ("foreign-key", "A reference to a record that does not exist"),
        ("trust-overdraft", "A client's trust balance goes below zero"),
        ("formula-injection", "Cells a spreadsheet would run as a formula"),
    ):
        assert _finding(result, rule)
        assert title in words, title
    assert "How to fix:" in words
    assert "activities.csv" in words and "M-999" in words
    # What was received: files, kinds of records, rows.
    assert "Time and expenses" in words and "UTF-8" in words
    assert [p.name for p in path.parent.iterdir()] == ["report.html"]  # no temporary file left


def test_html_report_makes_no_external_requests_and_runs_no_script(result: ValidationResult) -> None:
    html = render_html(result, balances=compute_balances(result.dataset))
    page = _parse(html)
    assert not any(tag == "script" for tag, _ in page.tags)
    for tag, attrs in page.tags:
        for name in ("src", "href", "xlink:href", "action", "data"):
            value = (attrs.get(name) or "").strip().lower()
            assert not value.startswith(("http:", "https:", "//", "ftp:")), (tag, name, value)
        assert tag not in ("link", "img", "iframe", "object", "embed")
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    # Values from the export are escaped text, never markup.
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html
    assert "=HYPERLINK(" in _parse(html).words


def test_html_report_draws_inline_svg_charts(result: ValidationResult) -> None:
    page = _parse(render_html(result))
    svgs = [attrs for tag, attrs in page.tags if tag == "svg"]
    assert len(svgs) >= 2  # problems by kind and severity, and records over time
    assert any("Time and expenses" in (a.get("aria-label") or "") for a in svgs)
    assert sum(1 for tag, _ in page.tags if tag == "rect") > 5


def test_html_report_balances_timeline_and_checklist_sections(result: ValidationResult) -> None:
    balances = compute_balances(result.dataset)
    timeline = plan_for_report(result.report, start=dt.date(2026, 11, 19), country="US", subdiv="NY")
    html = render_html(result, balances=balances, timeline=timeline, checklist=result.profile.limitations)
    words = _parse(html).words
    assert "Balances brought forward" in words
    assert "Three-way reconciliation" in words
    assert "-200.00 (below zero)" in words
    assert "3,600.00" in words  # trust total: 3,800 on M-001 and -200 on M-002
    assert "What happens next, and when" in words
    assert "Thanksgiving" in words
    assert "Processing" in words
    if result.profile.limitations:
        assert "What cannot be migrated" in words and "Not yet" in words


def test_privacy_mode_shows_no_client_name_or_amount(result: ValidationResult) -> None:
    balances = compute_balances(result.dataset)
    plain = render_html(result, balances=balances)
    # The control: without privacy these client details are on the page.
    assert "info@brightwater" in plain and "HYPERLINK" in plain and "-200.00" in plain
    html = render_html(result, privacy=True, balances=balances)
    words = _parse(html).words
    for name in CLIENT_NAMES:
        assert name not in html, name
    assert "info@brightwater" not in html
    assert "HYPERLINK" not in html
    assert "-200.00" not in html  # a matter's trust balance is the client's
    assert "Privacy mode" in words
    # Where the problem is stays visible.
    assert "contacts.csv" in words and "Email" in words


# ---------------------------------------------------------------- Excel


def _sheet_rows(ws: Worksheet) -> dict[int, int]:
    """File row (column A) -> sheet row."""
    return {int(row[0].value): row[0].row for row in ws.iter_rows(min_row=2) if isinstance(row[0].value, int)}


def _column(ws: Worksheet, label: str) -> int:
    for cell in ws[1]:
        if cell.value == label:
            return int(cell.column)
    raise AssertionError(f"no column {label!r}")


@pytest.fixture
def workbook_path(result: ValidationResult, tmp_path: Path) -> Path:
    path = tmp_path / "report.xlsx"
    write_xlsx(result, path, balances=compute_balances(result.dataset))
    return path


def test_xlsx_has_summary_file_sheets_findings_and_balances(
    workbook_path: Path, result: ValidationResult
) -> None:
    wb = load_workbook(workbook_path)
    assert wb.sheetnames[0] == "Summary"
    assert wb.sheetnames[-2:] == ["All findings", "Balances"]
    assert {"contacts", "activities", "trust", "matters"} <= set(wb.sheetnames)
    summary = [c for row in wb["Summary"].iter_rows(values_only=True) for c in row if c is not None]
    assert "Ready with warnings" in summary
    findings = wb["All findings"]
    assert findings.max_row == len(result.report.findings) + 1
    assert [c.value for c in findings[1]][:3] == ["Severity", "Problem", "Rule"]


def test_xlsx_marks_the_problem_cell_with_colour_comment_and_words(
    workbook_path: Path, result: ValidationResult
) -> None:
    email = _finding(result, "invalid-email")
    wb = load_workbook(workbook_path)
    ws = wb["contacts"]
    assert ws.freeze_panes == "C2"
    assert ws.auto_filter.ref
    row = _sheet_rows(ws)[email.row or 0]
    cell = ws.cell(row=row, column=_column(ws, "Email"))
    assert cell.value == email.value
    assert cell.fill.fgColor.rgb.endswith("F28B82")  # error red
    assert cell.comment is not None
    assert email.message in cell.comment.text and "How to fix" in cell.comment.text
    problems = ws.cell(row=row, column=2).value
    assert "Error in Email" in problems
    # A clean cell on the same row is not coloured.
    assert ws.cell(row=row, column=_column(ws, "Contact ID")).fill.fill_type is None


def test_xlsx_never_writes_a_formula(workbook_path: Path, result: ValidationResult) -> None:
    injected = _finding(result, "formula-injection")
    wb = load_workbook(workbook_path)
    formulas = [
        f"{ws.title}!{c.coordinate}"
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.data_type == "f"
    ]
    assert formulas == []
    ws = wb["contacts"]
    cell = ws.cell(row=_sheet_rows(ws)[injected.row or 0], column=_column(ws, "Notes"))
    assert cell.value == FORMULA
    assert cell.data_type == "s"
    assert cell.fill.fgColor.rgb.endswith("FFD966")  # warning amber
    # The same value in the findings list is text too.
    values = [c for c in wb["All findings"].iter_rows() for c in c if c.value == injected.value]
    assert values and all(c.data_type == "s" for c in values)


def test_xlsx_links_each_finding_to_its_cell(workbook_path: Path, result: ValidationResult) -> None:
    wb = load_workbook(workbook_path)
    ws = wb["All findings"]
    links = [row[-1].hyperlink.location for row in ws.iter_rows(min_row=2) if row[-1].hyperlink is not None]
    assert links
    assert any(link.startswith("'activities'!") for link in links)


def test_xlsx_balances_sheet_marks_the_overdrawn_matter(workbook_path: Path) -> None:
    ws = load_workbook(workbook_path)["Balances"]
    rows = {r[0].value: r for r in ws.iter_rows(min_row=2) if r[0].value}
    assert rows["M-002"][2].value == pytest.approx(-200.0)
    assert rows["M-002"][2].fill.fgColor.rgb.endswith("F28B82")
    assert rows["Firm total"][2].value == pytest.approx(3600.0)


def test_xlsx_strips_control_characters_instead_of_failing(workbook_path: Path) -> None:
    ws = load_workbook(workbook_path)["activities"]
    texts = [
        c.value
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str) and c.value.startswith("Bell")
    ]
    assert texts and "\x07" not in texts[0]


def test_xlsx_caps_long_files_keeping_rows_with_problems(result: ValidationResult, tmp_path: Path) -> None:
    path = tmp_path / "capped.xlsx"
    write_xlsx(result, path, max_rows=2)
    wb = load_workbook(path)
    ws = wb["activities"]
    assert ws.max_row == 3  # header + 2
    assert _finding(result, "foreign-key").row in _sheet_rows(ws)
    notes = [c for row in wb["Summary"].iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert any(n.startswith("Only 2 of 5 rows are shown") for n in notes)


def _all_text(path: Path) -> str:
    wb = load_workbook(path)
    return "\n".join(
        str(c) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for c in row if c is not None
    )


def test_xlsx_privacy_hides_client_data(result: ValidationResult, tmp_path: Path) -> None:
    balances = compute_balances(result.dataset)
    write_xlsx(result, tmp_path / "plain.xlsx", balances=balances)
    plain = _all_text(tmp_path / "plain.xlsx")
    assert all(name in plain for name in CLIENT_NAMES)  # the control
    path = tmp_path / "private.xlsx"
    write_xlsx(result, path, privacy=True, balances=balances)
    blob = _all_text(path)
    assert "info@brightwater" not in blob and "HYPERLINK" not in blob
    for name in CLIENT_NAMES:
        assert name not in blob, name
    assert "M-002" in blob and "Alice Partner" in blob  # IDs and staff stay


def test_sheet_titles_are_valid_and_unique() -> None:
    taken: set[str] = set()
    long = sheet_title("A very long file name that Excel would refuse [2024]: part*1?", taken)
    assert len(long) <= 31 and not re.search(r"[\[\]:*?/\\]", long)
    again = sheet_title("A very long file name that Excel would refuse [2024]: part*1?", taken)
    assert again != long and len(again) <= 31
    assert sheet_title("Summary", taken) == "Summary (2)"
    assert sheet_title("history", taken) == "history (2)"
    assert sheet_title("'quoted'", taken) == "quoted"


def test_records_over_time_ignores_a_stray_date_far_from_the_rest() -> None:
    months = [f"20{y:02d}-{m:02d}-01" for y in range(10, 25) for m in range(1, 13)]
    chart = _month_chart("Time and expenses", "#000", pd.Series(pd.to_datetime(["1901-01-05", *months])))
    assert chart is not None
    assert (chart.first, chart.last, chart.omitted, chart.total) == ("Jan 2010", "Dec 2024", 1, 181)


def test_checklist_accepts_objects_or_dicts_and_shows_who_acknowledged(result: ValidationResult) -> None:
    when = dt.datetime(2026, 11, 20, 9, 30)
    rows = checklist_rows(
        [
            {
                "what": "Trust history",
                "why": "Only balances move",
                "instead": "Keep the reports",
                "acknowledged_by": "Pat Partner",
                "acknowledged_at": when,
            },
            {"title": "Billing rates", "detail": "Not migrated"},
        ]
    )
    assert rows[0].item == "Trust history" and rows[0].acknowledged_at == "2026-11-20T09:30"
    assert rows[1].acknowledged_by is None
    words = _parse(render_html(result, checklist=rows)).words
    assert "Pat Partner, 2026-11-20T09:30" in words and "Not yet" in words


def test_privacy_mode_masks_checklist_items_that_quote_the_export(result: ValidationResult) -> None:
    from migration_assistant.core.checklist import Checklist, ChecklistItem

    checklist = Checklist(
        source="template",
        items=[
            ChecklistItem(
                id="blocker:mojibake",
                what="1 blocking problem(s) of this kind remain: “JosÃ© Núñez” looks garbled.",
                why="A blocker means the file cannot be migrated as it is.",
                instead="Fix it and check again.",
                origin="finding",
                blocking=True,
            )
        ],
    )
    shown = render_html(result, privacy=True, checklist=checklist)
    assert "Núñez" not in shown and "JosÃ©" not in shown
    assert "blocking problem" in shown
    plain = render_html(result, privacy=False, checklist=checklist)
    assert "Núñez" in plain


def test_workbook_progress_counts_every_row_and_closing_leaves_no_file(
    result: ValidationResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from migration_assistant.core.reports import xlsx_report

    monkeypatch.setattr(xlsx_report, "_STEP", 3)
    rows = sum(t.rows for t in result.dataset.tables) + len(result.report.findings)
    path = tmp_path / "report.xlsx"
    steps = list(xlsx_report.iter_write_xlsx(result, path))
    assert [s.done for s in steps] == sorted(s.done for s in steps)  # never goes backwards
    assert steps[-1].done == steps[-1].total == rows
    assert len(steps) > 3 and load_workbook(path, read_only=True).sheetnames[0] == "Summary"

    # The wizard stops a save by closing the generator: nothing is left where the file would go.
    stopped = tmp_path / "stopped.xlsx"
    writing = xlsx_report.iter_write_xlsx(result, stopped)
    next(writing)
    next(writing)
    writing.close()
    assert not stopped.exists() and list(tmp_path.glob("stopped*")) == []
