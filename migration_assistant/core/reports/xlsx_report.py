"""The Excel report: the firm's own rows, with every problem marked where it is.

Staff live in Excel, so this workbook is the one they fix from: a Summary sheet,
then one sheet per source file (or workbook sheet) with the ORIGINAL headers and
cells, problem cells coloured by severity and carrying a comment with the message
and the fix, a "Problems" column that says the same in words (colour is never the
only signal), then every finding in one list, and the balances when given.

Safety: every cell is written as text. A value such as ``=HYPERLINK(...)`` from
the export is stored as a string, never as a formula, so opening the report cannot
run anything. The workbook is written in openpyxl's write-only mode (rows stream to
disk) with each file sheet capped, and saved atomically.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Generator, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, cast

import numpy as np
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.hyperlink import Hyperlink

from migration_assistant.core.atomic import atomic_write
from migration_assistant.core.balances import AMOUNTS, CLIENT, COLUMNS, MATTER, TRUST, Balances
from migration_assistant.core.catalogue import code_title
from migration_assistant.core.finding_table import FindingTable
from migration_assistant.core.findings import Finding, Severity, encoding_label
from migration_assistant.core.privacy import MASK, MaskedFindings, client_labels, mask_findings, mask_series
from migration_assistant.core.readers.table import ROW, SourceTable
from migration_assistant.core.reports import xlsx_memory
from migration_assistant.core.reports.html_report import entity_title, group_findings, verdict
from migration_assistant.core.results import ValidationResult
from migration_assistant.core.schema import ENTITY_ORDER
from migration_assistant.core.steps import relabel, run_to_end

MAX_SHEET_ROWS = 100_000
"""Rows written per file sheet; rows with problems are kept first when a file is longer."""
_STEP = 2_000
"""Rows written between two progress reports (and two chances to cancel)."""

MAX_FINDING_ROWS = 1_000_000
"""Rows of the "All findings" sheet (Excel stops at 1,048,576)."""

MAX_CELL = 32_767
"""Excel's limit on the characters of one cell."""

AUTHOR = "Migration Assistant"

# The fills are the severities' own (core.findings), shared with the wizard and the HTML report.
_FILLS = {s: PatternFill("solid", fgColor=s.fill.lstrip("#").upper()) for s in Severity}
# White text on dark red; black elsewhere, so every fill stays readable.
_FONTS = {s: Font(color="FFFFFF", bold=True) if s is Severity.BLOCKER else Font() for s in Severity}
_HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
_BOLD = Font(bold=True)
_LINK = Font(color="0563C1", underline="single")
_TITLE = Font(bold=True, size=16)
_WRAP = Alignment(wrap_text=True, vertical="top")
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")
_RESERVED = {"summary", "all findings", "balances", "history"}  # Excel reserves "History".


@dataclass(slots=True)
class _Plan:
    """One file sheet: its table, name, and which of its rows are written."""

    table: SourceTable
    index: int
    name: str
    positions: np.ndarray
    capped: bool


def sheet_title(text: str, taken: set[str]) -> str:
    """A valid, unique sheet name: at most 31 characters, none of []:*?/\\, not Excel-reserved.

    *taken* holds the lower-cased names already used and is updated.
    """
    base = _SHEET_BAD.sub("_", text).strip().strip("'") or "Sheet"
    base = base[:31]
    name = base
    n = 2
    while name.lower() in taken or name.lower() in _RESERVED:
        suffix = f" ({n})"
        name = base[: 31 - len(suffix)] + suffix
        n += 1
    taken.add(name.lower())
    return name


def _order(entity: str) -> int:
    return ENTITY_ORDER.index(entity) if entity in ENTITY_ORDER else len(ENTITY_ORDER)


def _clean(text: str) -> str:
    # Control characters make openpyxl refuse the workbook; U+FFFD shows where one was.
    text = ILLEGAL_CHARACTERS_RE.sub("\ufffd", text)
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"


def _text_cell(
    ws: Any, value: object, *, font: Font | None = None, fill: PatternFill | None = None
) -> WriteOnlyCell:
    """A cell that is always text: openpyxl would otherwise store "=..." as a formula."""
    cell = WriteOnlyCell(ws, value=_clean("" if value is None else str(value)))
    cell.data_type = "s"
    if font is not None:
        cell.font = font
    if fill is not None:
        cell.fill = fill
    return cell


def _cells_for_sheet(
    table: SourceTable, positions: np.ndarray, masked: set[str]
) -> tuple[np.ndarray, np.ndarray]:
    """The rows to write, cleaned column by column (and masked in privacy mode).

    Returns:
        An object matrix of cell texts (None for an empty cell: openpyxl then writes
        nothing, which halves the work on sparse exports) and, per row, whether any
        cell starts with "=" (those rows must be written cell by cell as text).
    """
    data = table.data.iloc[positions]
    columns = []
    risky = np.zeros(len(data), dtype=bool)
    for label in table.labels:
        col = data[label].astype("str")
        if label in masked:
            col = mask_series(col).astype("str")
        if col.str.contains(ILLEGAL_CHARACTERS_RE.pattern, regex=True).any():
            col = col.str.replace(ILLEGAL_CHARACTERS_RE.pattern, "\ufffd", regex=True)
        if (col.str.len() > MAX_CELL).any():
            col = col.where(col.str.len() <= MAX_CELL, col.str.slice(0, MAX_CELL - 1) + "…")
        risky |= col.str.startswith("=").to_numpy(dtype=bool)
        values = col.to_numpy(dtype=object)
        values[values == ""] = None
        columns.append(values)
    matrix = np.column_stack(columns) if columns else np.empty((len(data), 0), dtype=object)
    return matrix, risky


def _describe(f: Finding) -> str:
    where = f" in {f.column}" if f.column else ""
    return f"{f.severity.word}{where}: {f.message}"


def _comment(findings: Sequence[Finding]) -> Comment:
    text = "\n\n".join(f"{f.severity.word.upper()}: {f.message}\nHow to fix: {f.hint}" for f in findings)
    comment = Comment(_clean(text), AUTHOR)
    comment.width = 360
    comment.height = min(400, 90 + 60 * len(findings))
    return comment


def _worst(findings: Iterable[Finding]) -> Severity:
    return max(f.severity for f in findings)


class _RowFindings:
    """The findings on the rows of one file (or workbook sheet), made a chunk of rows at a time."""

    def __init__(
        self,
        table: FindingTable,
        rows: np.ndarray,
        indices: np.ndarray,
        shown: Callable[[list[Finding]], list[Finding]],
    ) -> None:
        order = np.argsort(rows, kind="stable")  # findings of a row keep their order
        self._rows, self._indices = rows[order], indices[order]
        self.rows = np.unique(rows)
        """The rows that have a finding."""
        self._table, self._shown = table, shown

    def on_rows(self, rows: np.ndarray) -> dict[int, list[Finding]]:
        """The findings (masked in privacy mode) on *rows*, by row."""
        wanted = np.unique(rows)
        starts = np.searchsorted(self._rows, wanted, side="left")
        lengths = np.searchsorted(self._rows, wanted, side="right") - starts
        # Every position from each start, for its length: the findings of the wanted rows, in order.
        spots = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(lengths.sum())
        out: dict[int, list[Finding]] = defaultdict(list)
        for f in self._shown(self._table.take(self._indices[spots])):
            if f.row is not None:
                out[f.row].append(f)
        return out


def _plan_sheets(
    result: ValidationResult, by_table: dict[tuple[str, str | None], _RowFindings], max_rows: int
) -> list[_Plan]:
    taken: set[str] = set()
    plans = []
    per_file = Counter(t.file for t in result.dataset.tables)
    for index, table in enumerate(result.dataset.tables):
        stem = Path(table.file).stem
        if table.sheet is not None and per_file[table.file] > 1:
            # Only a workbook with several sheets needs the sheet in the name.
            stem = f"{stem} - {table.sheet}"
        name = sheet_title(stem, taken)
        rows = table.data[ROW].to_numpy()
        n = len(rows)
        if n <= max_rows:
            positions = np.arange(n)
            capped = False
        else:
            # Keep every row with a problem (up to the cap), fill up with the first clean rows,
            # and keep the file's own order so the sheet still reads like the file.
            found = by_table.get((table.file, table.sheet))
            flagged = np.isin(rows, found.rows if found is not None else np.zeros(0, dtype=np.int64))
            chosen = np.flatnonzero(flagged)[:max_rows]
            room = max_rows - len(chosen)
            clean = np.flatnonzero(~flagged)[:room]
            positions = np.sort(np.concatenate([chosen, clean]))
            capped = True
        plans.append(_Plan(table, index, name, positions, capped))
    return plans


@dataclass(frozen=True, slots=True)
class XlsxProgress:
    """Rows written so far, of all the rows the workbook will hold (file sheets and findings)."""

    done: int
    total: int

    @property
    def fraction(self) -> float:
        return self.done / self.total if self.total else 1.0


def build_workbook(
    result: ValidationResult,
    *,
    balances: Balances | None = None,
    privacy: bool = False,
    max_rows: int = MAX_SHEET_ROWS,
) -> Workbook:
    """The Excel report as an openpyxl workbook (see :func:`write_xlsx` for the arguments)."""
    return run_to_end(iter_workbook(result, balances=balances, privacy=privacy, max_rows=max_rows))


def iter_workbook(
    result: ValidationResult,
    *,
    balances: Balances | None = None,
    privacy: bool = False,
    max_rows: int = MAX_SHEET_ROWS,
) -> Generator[XlsxProgress, None, Workbook]:
    """:func:`build_workbook`, yielding :class:`XlsxProgress` every few thousand rows.

    A big export's workbook takes a while (openpyxl writes cell by cell): the wizard shows
    the progress and stops when the user cancels (closing the generator stops the work).
    """
    xlsx_memory.install()
    report = result.report
    table = report.table()
    findings: Sequence[Finding] = table
    if privacy:
        findings = mask_findings(table, headers=[c for info in report.files for c in info.columns])
    shown = findings.masked if isinstance(findings, MaskedFindings) else list
    # Where each finding goes, from the findings' columns: a million findings are made a sheet's
    # chunk of rows at a time (and once more for the "All findings" sheet), never all held.
    rows = table.row_numbers()
    file_codes, files = table.codes("file")
    sheet_codes, sheets = table.codes("sheet")
    places = file_codes.astype(np.int64) * len(sheets) + sheet_codes
    by_table: dict[tuple[str, str | None], _RowFindings] = {}
    for place in np.unique(places[rows >= 0]).tolist():
        idx = np.flatnonzero((places == place) & (rows >= 0))
        by_table[(files[place // len(sheets)], sheets[place % len(sheets)])] = _RowFindings(
            table, rows[idx], idx, shown
        )
    header_findings: dict[tuple[str, str | None], dict[str, list[Finding]]] = defaultdict(
        lambda: defaultdict(list)
    )
    columns = table.column("column")
    file_level = [i for i in np.flatnonzero(rows < 0).tolist() if columns[i] is not None]
    for f in shown(table.take(file_level)):
        if f.column is not None:
            header_findings[(f.file, f.sheet)][f.column].append(f)

    plans = _plan_sheets(result, by_table, max_rows)
    total = sum(len(plan.positions) for plan in plans) + min(len(findings), MAX_FINDING_ROWS)
    done = 0
    yield XlsxProgress(done, total)
    wb = Workbook(write_only=True)
    try:
        _summary_sheet(wb, result, plans, max_rows, len(findings), privacy, findings)
        locations: dict[tuple[str, str | None], tuple[str, dict[int, int], dict[str, int]]] = {}
        for plan in plans:
            sheet = _file_sheet(wb, result, plan, by_table, header_findings, privacy)
            locations[(plan.table.file, plan.table.sheet)] = yield from relabel(sheet, _after(done, total))
            done += len(plan.positions)
        yield from relabel(_findings_sheet(wb, findings, locations), _after(done, total))
        _fixed_sheet(wb, result, locations, privacy)
        if balances is not None:
            _balances_sheet(wb, balances, privacy)
    except BaseException:
        _discard(wb)  # stopped part-way (cancelled, or failed)
        raise
    return wb


def _after(base: int, total: int) -> Callable[[int], XlsxProgress]:
    """Progress of a sheet's rows, counted after the *base* rows of the sheets before it."""
    return lambda rows: XlsxProgress(base + rows, total)


def _discard(wb: Workbook) -> None:
    """Close the sheets of a workbook that will not be saved.

    A write-only sheet keeps an open XML writer; collected later, it would try to finish
    writing into a buffer that is already gone and print an error nobody can act on.
    """
    for ws in wb.worksheets:
        with contextlib.suppress(Exception):  # it is being thrown away: nothing to report
            ws.close()


def write_xlsx(
    result: ValidationResult,
    path: Path,
    *,
    balances: Balances | None = None,
    privacy: bool = False,
    max_rows: int = MAX_SHEET_ROWS,
) -> None:
    """Write the Excel report, atomically.

    Args:
        result: a finished validation run.
        path: where to write the ``.xlsx`` file.
        balances: adds a "Balances" sheet.
        privacy: hide client data in the rows, the findings and the per-matter amounts.
        max_rows: rows per file sheet (rows with problems are kept first).
    """
    run_to_end(iter_write_xlsx(result, path, balances=balances, privacy=privacy, max_rows=max_rows))


def iter_write_xlsx(
    result: ValidationResult,
    path: Path,
    *,
    balances: Balances | None = None,
    privacy: bool = False,
    max_rows: int = MAX_SHEET_ROWS,
) -> Generator[XlsxProgress, None, None]:
    """:func:`write_xlsx` with progress; closing it part-way leaves no file behind."""
    wb = yield from iter_workbook(result, balances=balances, privacy=privacy, max_rows=max_rows)
    with atomic_write(Path(path), "wb") as fh:
        wb.save(cast(IO[bytes], fh))


def xlsx_bytes(result: ValidationResult, *, balances: Balances | None = None, privacy: bool = False) -> bytes:
    """The Excel report in memory, for the package (no copy on disk)."""
    return run_to_end(iter_xlsx_bytes(result, balances=balances, privacy=privacy))


def iter_xlsx_bytes(
    result: ValidationResult, *, balances: Balances | None = None, privacy: bool = False
) -> Generator[XlsxProgress, None, bytes]:
    """:func:`xlsx_bytes` with progress."""
    wb = yield from iter_workbook(result, balances=balances, privacy=privacy)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _summary_sheet(
    wb: Workbook,
    result: ValidationResult,
    plans: list[_Plan],
    max_rows: int,
    total: int,
    privacy: bool,
    findings: Sequence[Finding],
) -> None:
    report = result.report
    ws = wb.create_sheet("Summary")
    for col, width in zip("ABCDEFG", (34, 16, 22, 12, 14, 30, 50), strict=True):
        ws.column_dimensions[col].width = width
    judged = verdict(report)
    ws.append([_text_cell(ws, "Migration check report", font=_TITLE)])
    ws.append(
        [
            _text_cell(
                ws,
                f"Export from {result.profile.name or report.source}"
                f" · Migration Assistant {report.tool_version}",
            )
        ]
    )
    if privacy:
        ws.append(
            [
                _text_cell(
                    ws,
                    "Privacy mode: client names, contact details, descriptions and amounts are "
                    f"hidden (shown as {MASK}).",
                )
            ]
        )
    ws.append([])
    ws.append([_text_cell(ws, "Verdict", font=_BOLD), _text_cell(ws, judged.title, font=_TITLE)])
    ws.append([_text_cell(ws, ""), _text_cell(ws, judged.reason)])
    ws.append([])
    ws.append(
        [_text_cell(ws, h, font=_BOLD, fill=_HEADER_FILL) for h in ("How serious", "Problems", "Meaning")]
    )
    counts = report.summary()
    for sev in sorted(Severity, reverse=True):
        ws.append(
            [
                _text_cell(ws, sev.words, font=_FONTS[sev], fill=_FILLS[sev]),
                counts[sev.label],
                _text_cell(ws, sev.meaning),
            ]
        )
    ws.append([_text_cell(ws, "All problems", font=_BOLD), total])
    ws.append([])
    repeats = [(g, r) for g in group_findings(findings, sample=0) for r in g.repeats]
    if repeats:
        # A systematic problem (every amount, every date) is one thing to fix, not a million.
        ws.append(
            [
                _text_cell(ws, h, font=_BOLD, fill=_HEADER_FILL)
                for h in ("Problems that repeat", "Rows", "How serious", "Where")
            ]
        )
        for group, repeat in repeats:
            ws.append(
                [
                    _text_cell(ws, group.title),
                    repeat.count,
                    _text_cell(
                        ws, group.severity.word, font=_FONTS[group.severity], fill=_FILLS[group.severity]
                    ),
                    _text_cell(ws, repeat.text),
                ]
            )
        ws.append([])
    ws.append(
        [
            _text_cell(ws, h, font=_BOLD, fill=_HEADER_FILL)
            for h in ("Kind of record", "Records", "Earliest date", "Latest date")
        ]
    )
    for name, count in sorted(report.records.items(), key=lambda kv: _order(kv[0])):
        first, last = report.date_ranges.get(name, ("", ""))
        ws.append([_text_cell(ws, entity_title(name)), count, _text_cell(ws, first), _text_cell(ws, last)])
    ws.append([])
    ws.append(
        [
            _text_cell(ws, h, font=_BOLD, fill=_HEADER_FILL)
            for h in (
                "File",
                "Sheet in the file",
                "Holds",
                "Rows",
                "Encoding",
                "Sheet in this workbook",
                "Note",
            )
        ]
    )
    for plan in plans:
        t = plan.table
        note = ""
        if plan.capped:
            note = (
                f"Only {len(plan.positions):,} of {t.rows:,} rows are shown (every row with a problem "
                "first): Excel slows down beyond that. The “All findings” sheet lists every problem."
            )
        ws.append(
            [
                _text_cell(ws, t.file),
                _text_cell(ws, t.sheet or ""),
                _text_cell(ws, entity_title(t.role) if t.role else "Not recognised"),
                t.rows,
                _text_cell(ws, encoding_label(t.encoding)),
                _text_cell(ws, plan.name),
                _text_cell(ws, note),
            ]
        )
    ws.append([])
    ws.append([_text_cell(ws, "How to use this workbook", font=_BOLD)])
    for line in (
        "Each file has its own sheet with its own headings. Cells with a problem are coloured ("
        + ", ".join(f"{s.fill_name} = {s.word.lower()}" for s in sorted(Severity, reverse=True))
        + ") and have a comment saying what is wrong and how to fix it.",
        "The “Problems” column says the same in words; filter it to see only the rows that need work.",
        "“Row in file” is the row number the original file shows, so you can find the record there.",
        "Correct the records in the old system (or in the exported file), export again and check again.",
        f"File sheets show at most {max_rows:,} rows each.",
    ):
        ws.append([_text_cell(ws, line)])


def _file_sheet(
    wb: Workbook,
    result: ValidationResult,
    plan: _Plan,
    by_table: dict[tuple[str, str | None], _RowFindings],
    header_findings: dict[tuple[str, str | None], dict[str, list[Finding]]],
    privacy: bool,
) -> Generator[int, None, tuple[str, dict[int, int], dict[str, int]]]:
    """Write one source table, yielding how many rows are written so far; returns its sheet
    name, file row -> sheet row, label -> column."""
    table = plan.table
    key = (table.file, table.sheet)
    ws = wb.create_sheet(plan.name)
    labels = list(table.labels)
    lead = ("Row in file", "Problems")
    ws.column_dimensions["A"].width = 11
    ws.column_dimensions["B"].width = 60
    for i, label in enumerate(labels, start=len(lead) + 1):
        ws.column_dimensions[get_column_letter(i)].width = min(40, max(10, len(label) + 4))
    ws.freeze_panes = "C2"
    last_col = get_column_letter(len(lead) + len(labels))
    ws.auto_filter.ref = f"A1:{last_col}{len(plan.positions) + 1}"

    head = [_text_cell(ws, h, font=_BOLD, fill=_HEADER_FILL) for h in (*lead, *labels)]
    for label, found in header_findings.get(key, {}).items():
        if label in labels:
            cell = head[len(lead) + labels.index(label)]
            cell.fill = _FILLS[_worst(found)]
            cell.font = _FONTS[_worst(found)]
            cell.comment = _comment(found)
    ws.append(head)

    masked = client_labels(table.role, result.dataset.labels[plan.index]) if privacy else set()
    values, risky = _cells_for_sheet(table, plan.positions, masked)
    file_rows = table.data[ROW].to_numpy()[plan.positions]
    found_in_table = by_table.get(key)
    problems: dict[int, list[Finding]] = {}
    fixed = _fixed_marks(result, key, privacy)
    column_of = {label: i for i, label in enumerate(labels)}
    sheet_row: dict[int, int] = {}
    for i in range(len(values)):
        if not i % _STEP:
            if i:
                yield i
            if found_in_table is not None:
                problems = found_in_table.on_rows(file_rows[i : i + _STEP])
        file_row = int(file_rows[i])
        sheet_row[file_row] = i + 2
        found = problems.get(file_row, [])
        if not found and not risky[i] and file_row not in fixed:
            ws.append([file_row, None, *values[i]])
            continue
        cells: list[Any] = [file_row]
        if found:
            worst = _worst(found)
            cells.append(
                _text_cell(ws, "\n".join(_describe(f) for f in found), font=_FONTS[worst], fill=_FILLS[worst])
            )
        else:
            cells.append(None)
        # Every cell as text, so "=..." stays a string; empty cells stay empty.
        row_cells: list[Any] = [_text_cell(ws, v) if v is not None else None for v in values[i]]
        if found:
            per_column: dict[str, list[Finding]] = defaultdict(list)
            for f in found:
                if f.column in column_of:
                    per_column[f.column].append(f)
            for label, items in per_column.items():
                cell = row_cells[column_of[label]]
                if cell is None:
                    # A problem in an empty cell ("this is required") still needs the colour and comment.
                    cell = row_cells[column_of[label]] = _text_cell(ws, "")
                worst = _worst(items)
                cell.fill = _FILLS[worst]
                cell.font = _FONTS[worst]
                cell.comment = _comment(items)
        if file_row in fixed:
            _mark_fixed(ws, row_cells, column_of, fixed[file_row])
        ws.append(cells + row_cells)
    yield len(values)
    return plan.name, sheet_row, {label: len(lead) + 1 + i for i, label in enumerate(labels)}


def _findings_sheet(
    wb: Workbook,
    findings: Sequence[Finding],
    locations: dict[tuple[str, str | None], tuple[str, dict[int, int], dict[str, int]]],
) -> Generator[int, None, None]:
    ws = wb.create_sheet("All findings")
    heads = (
        "Severity",
        "Problem",
        "Rule",
        "Kind of record",
        "File",
        "Sheet in the file",
        "Row in file",
        "Column",
        "Value",
        "What is wrong",
        "How to fix",
        "Go to",
    )
    for col, width in zip(heads, (10, 34, 18, 16, 22, 14, 10, 18, 24, 80, 60, 12), strict=True):
        ws.column_dimensions[get_column_letter(heads.index(col) + 1)].width = width
    ws.freeze_panes = "A2"
    shown = min(len(findings), MAX_FINDING_ROWS)
    ws.auto_filter.ref = f"A1:{get_column_letter(len(heads))}{shown + 1}"
    ws.append([_text_cell(ws, h, font=_BOLD, fill=_HEADER_FILL) for h in heads])
    for i, f in enumerate(itertools.islice(findings, shown)):
        if i and not i % _STEP:
            yield i
        go: Any = None
        place = locations.get((f.file, f.sheet))
        if place is not None:
            sheet, rows, columns = place
            target_row = rows.get(f.row, 1) if f.row is not None else 1
            if f.row is None or f.row in rows:
                target = f"{quote_sheetname(sheet)}!{get_column_letter(columns.get(f.column or '', 2))}{target_row}"
                go = _text_cell(ws, "Show", font=_LINK)
                # An internal link, not a HYPERLINK() formula: nothing in this workbook is a formula.
                go.hyperlink = Hyperlink(ref="", location=target)
        ws.append(
            [
                _text_cell(ws, f.severity.word, font=_FONTS[f.severity], fill=_FILLS[f.severity]),
                _text_cell(ws, code_title(f.rule)),
                _text_cell(ws, f.rule),
                _text_cell(ws, entity_title(f.entity)),
                _text_cell(ws, f.file),
                # Empty cells are left out (None) rather than written as empty text: every cell
                # costs time on a list of hundreds of thousands of problems.
                _text_cell(ws, f.sheet) if f.sheet else None,
                f.row,
                _text_cell(ws, f.column) if f.column else None,
                _text_cell(ws, f.value) if f.value else None,
                _text_cell(ws, f.message),
                _text_cell(ws, f.hint),
                go,
            ]
        )
    if len(findings) > shown:
        ws.append(
            [
                _text_cell(
                    ws,
                    f"… and {len(findings) - shown:,} more problems: too many for one sheet. "
                    "Fix the largest groups first and check again.",
                    font=_BOLD,
                )
            ]
        )
    yield shown


def _balances_sheet(wb: Workbook, balances: Balances, privacy: bool) -> None:
    ws = wb.create_sheet("Balances")
    for col, width in zip("ABCDE", (18, 14, 18, 22, 18), strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A2"
    table = balances.table
    ws.auto_filter.ref = f"A1:E{len(table) + 1}"
    ws.append([_text_cell(ws, h, font=_BOLD, fill=_HEADER_FILL) for h in COLUMNS])
    money = "#,##0.00"
    overdrawn = _FILLS[Severity.ERROR]
    for row in table.itertuples(index=False):
        record = dict(zip(COLUMNS, row, strict=True))
        cells: list[Any] = [_text_cell(ws, record[MATTER]), _text_cell(ws, record[CLIENT])]
        for col in AMOUNTS:
            if privacy:
                # Firm totals stay visible below; each matter's amounts belong to its client.
                cells.append(_text_cell(ws, MASK))
                continue
            cell = WriteOnlyCell(ws, value=float(record[col]))
            cell.number_format = money
            if col == TRUST and record[col] < 0:
                cell.fill = overdrawn
                cell.comment = Comment(
                    "This client's trust balance is below zero: other clients' money covered "
                    "it. Correct it in the old system before the cut-off.",
                    AUTHOR,
                )
            cells.append(cell)
        ws.append(cells)
    totals = []
    for value in (balances.trust_total, balances.receivable_total, balances.unbilled_total):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = money
        cell.font = _BOLD
        totals.append(cell)
    ws.append([_text_cell(ws, "Firm total", font=_BOLD), _text_cell(ws, ""), *totals])
    ws.append([])
    if balances.as_of:
        ws.append([_text_cell(ws, f"As of the latest record in the export: {balances.as_of}")])
    for note in balances.notes:
        ws.append([_text_cell(ws, note)])
    if balances.has_trust:
        cell = _text_cell(ws, balances.explanation)
        cell.alignment = _WRAP
        ws.append([cell])


# ---------------------------------------------------------------- fixed for you

_FIXED_FILL = PatternFill("solid", fgColor="C6EFCE")
"""Excel's own "good" green: a cell changed by an automatic fix (a problem's colour wins over it)."""


def _fixed_marks(
    result: ValidationResult, key: tuple[str, str | None], privacy: bool
) -> dict[int, dict[str, tuple[str, str]]]:
    """File row -> column -> (what the cell held before, the fix's title), for one table's fixed cells."""
    log = result.fix_log
    if log is None or not len(log):
        return {}
    from migration_assistant.core.fixes import FIXES
    from migration_assistant.core.privacy import mask_text

    titles = {f.code: f.title for f in FIXES}
    frame = log.frame
    sheet = frame["sheet"].where(frame["sheet"].notna(), None)
    mine = frame[((frame["file"] == key[0]) & (sheet.map(lambda v: v == key[1]))).to_numpy(dtype=bool)]
    marks: dict[int, dict[str, tuple[str, str]]] = defaultdict(dict)
    for row, column, before, code in zip(
        mine["row"].tolist(),
        mine["column"].tolist(),
        mine["before"].tolist(),
        mine["fix"].tolist(),
        strict=True,
    ):
        shown = mask_text(str(before)) if privacy else str(before)
        if column not in marks[int(row)]:  # a cell fixed in two rounds: what it held first
            marks[int(row)][str(column)] = (shown, titles.get(code, code))
    return marks


def _mark_fixed(
    ws: Any, row_cells: list[Any], column_of: dict[str, int], marks: dict[str, tuple[str, str]]
) -> None:
    for label, (before, title) in marks.items():
        at = column_of.get(label)
        if at is None:
            continue
        cell = row_cells[at]
        if cell is None:
            cell = row_cells[at] = _text_cell(ws, "")
        note = f"FIXED FOR YOU ({title}): this cell read “{before}” in the original file."
        if cell.comment is None:
            cell.fill = _FIXED_FILL
            cell.comment = Comment(_clean(note), AUTHOR)
        else:
            cell.comment = Comment(_clean(cell.comment.text + "\n\n" + note), AUTHOR)


def _fixed_sheet(
    wb: Workbook,
    result: ValidationResult,
    locations: dict[tuple[str, str | None], tuple[str, dict[int, int], dict[str, int]]],
    privacy: bool,
) -> None:
    """A "Fixed for you" sheet: every change an automatic fix made, before and after, linked to its cell."""
    log = result.fix_log
    if log is None or not len(log):
        return
    from migration_assistant.core.fixes import FIXES
    from migration_assistant.core.privacy import mask_fix_values

    titles = {f.code: f.title for f in FIXES}
    ws = wb.create_sheet("Fixed for you")
    heads = ("Fix", "Code", "File", "Sheet in the file", "Row in file", "Column", "Before", "After", "Go to")
    for i, width in enumerate((34, 20, 22, 14, 10, 18, 28, 28, 10), start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    ws.append([_text_cell(ws, h, font=_BOLD, fill=_HEADER_FILL) for h in heads])
    for n, entry in enumerate(log.entries()):
        if n == MAX_FINDING_ROWS:
            ws.append([_text_cell(ws, f"… and {len(log) - n:,} more: see the fix log.", font=_BOLD)])
            break
        before, after = mask_fix_values(entry.before, entry.after) if privacy else (entry.before, entry.after)
        go: Any = None
        place = locations.get((entry.file, entry.sheet))
        if place is not None and entry.row in place[1]:
            sheet, rows, columns = place
            go = _text_cell(ws, "Show", font=_LINK)
            go.hyperlink = Hyperlink(
                ref="",
                location=f"{quote_sheetname(sheet)}!{get_column_letter(columns.get(entry.column, 2))}{rows[entry.row]}",
            )
        ws.append(
            [
                _text_cell(ws, titles.get(entry.fix, entry.fix)),
                _text_cell(ws, entry.fix),
                _text_cell(ws, entry.file),
                _text_cell(ws, entry.sheet) if entry.sheet else None,
                entry.row,
                _text_cell(ws, entry.column),
                _text_cell(ws, before),
                _text_cell(ws, after, fill=_FIXED_FILL),
                go,
            ]
        )
