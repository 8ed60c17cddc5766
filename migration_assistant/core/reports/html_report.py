"""The HTML report: one self-contained, printable page a managing partner can read.

Everything the page needs is inside the file: CSS inline, charts drawn here as
inline SVG, no scripts, no fonts or images fetched from anywhere (a Content
Security Policy forbids it too), because the report is opened offline and may be
mailed around. The page is built from plain view-model dataclasses by a Jinja2
template with autoescaping, so no value from the export can inject markup.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import IO, Any, cast

import jinja2
import numpy as np
import pandas as pd

from migration_assistant.core.atomic import atomic_write
from migration_assistant.core.balances import AMOUNTS, CLIENT, MATTER, Balances, format_money
from migration_assistant.core.catalogue import code_title
from migration_assistant.core.finding_table import FindingTable, as_table
from migration_assistant.core.findings import Finding, Report, Severity, encoding_label
from migration_assistant.core.privacy import MASK, MaskedFindings, mask_findings, mask_message
from migration_assistant.core.resources import resource_path
from migration_assistant.core.results import ValidationResult
from migration_assistant.core.schema import ENTITY_ORDER, entities
from migration_assistant.core.timeline import Timeline

SAMPLE_ROWS = 10
"""Rows shown per group of problems; the Excel report lists every one."""

MAX_HINTS = 4
"""Different fixes listed per group at most."""

REPEAT_ROWS = 1_000
"""A problem on more rows than this in one column of one file is summed up in one line
("The same problem on 999,999 rows of Time and expenses.csv, column Hours")."""

BALANCE_ROWS = 300
"""Matters listed in the balances table; the Excel report and CSV hold them all."""

MAX_MONTHS = 180
"""Months drawn in a records-over-time chart (15 years); older records are counted, not drawn."""

SEVERITY_COLOURS = {s: s.colour for s in Severity}
"""Each severity's colour: the one the wizard and the Excel report use (defined in core.findings)."""

TIMELINE_ENTITIES = (
    ("activities", "date", "#0f766e"),
    ("trust", "date", "#7c3aed"),
    ("bills", "issue_date", "#b45309"),
)
"""Entities drawn over time, the date field used and the bar colour."""

WHOLE_FILE = "Whole file"
"""Shown where a finding concerns a file rather than one kind of record."""


# ---------------------------------------------------------------- verdict


@dataclass(frozen=True, slots=True)
class Verdict:
    """The one-line answer to "can we migrate?", with the reason in plain words.

    ``level`` is a stable key for styling: "ready", "warnings" or "not-ready".
    """

    level: str
    title: str
    reason: str


def _count(n: int, severity: Severity) -> str:
    """ "1 error", "3 notes": the severity's own words, in a sentence."""
    return f"{n:,} {(severity.word if n == 1 else severity.words).lower()}"


def verdict(report: Report) -> Verdict:
    """Decide "Ready", "Ready with warnings" or "Not ready" from the findings.

    Only blockers make an export "Not ready", matching the command line's default
    ``--fail-on blocker``; errors and warnings are explained in the reason.
    """
    if report.cancelled:
        return Verdict(
            "not-ready",
            "Not ready",
            "The check was stopped before it finished, so this report is "
            "incomplete. Run it again to the end.",
        )
    if not report.files or not any(report.records.values()):
        return Verdict(
            "not-ready",
            "Not ready",
            "No records were recognised in the files given, so nothing could be checked.",
        )
    counts = report.summary()
    blockers, errors = counts["blocker"], counts["error"]
    warnings, infos = counts["warning"], counts["info"]
    if blockers:
        verb = "stops" if blockers == 1 else "stop"
        return Verdict(
            "not-ready",
            "Not ready",
            f"{_count(blockers, Severity.BLOCKER)} must be fixed first: {'it' if blockers == 1 else 'they'} "
            f"{verb} a file from being migrated as it is."
            + (
                f" There {'is' if errors == 1 else 'are'} also {_count(errors, Severity.ERROR)}."
                if errors
                else ""
            ),
        )
    if errors or warnings:
        parts = []
        if errors:
            parts.append(
                f"{errors:,} record problem{'s' if errors != 1 else ''} will fail to import or import wrong "
                "unless corrected"
            )
        if warnings:
            parts.append(
                f"{warnings:,} thing{'s' if warnings != 1 else ''} need{'s' if warnings == 1 else ''} "
                "a person to look at"
            )
        return Verdict(
            "warnings",
            "Ready with warnings",
            "Nothing stops the migration, but " + " and ".join(parts) + ".",
        )
    extra = f" ({_count(infos, Severity.INFO)} for the migration specialist.)" if infos else ""
    return Verdict("ready", "Ready", "No problems were found that stop or spoil the migration." + extra)


# ---------------------------------------------------------------- view models


@dataclass(frozen=True, slots=True)
class Repeat:
    """One problem on many rows of one column of one file: shown as one line, not row by row."""

    count: int
    file: str
    column: str | None

    @property
    def text(self) -> str:
        where = f"{self.file}, column {self.column}" if self.column else self.file
        return f"The same problem on {self.count:,} rows of {where}."


@dataclass(frozen=True, slots=True)
class FindingGroup:
    """All findings of one rule at one severity."""

    rule: str
    title: str
    severity: Severity
    count: int
    entities: tuple[str, ...]
    files: tuple[str, ...]
    hints: tuple[str, ...]
    rows: tuple[Finding, ...]
    repeats: tuple[Repeat, ...] = ()
    """The columns where this problem is on more than :data:`REPEAT_ROWS` rows."""

    @property
    def more(self) -> int:
        return self.count - len(self.rows)


def entity_title(name: str | None) -> str:
    if name is None:
        return WHOLE_FILE
    ent = entities().get(name)
    return ent.title if ent else name.capitalize()


def _place(file: str, sheet: str | None) -> str:
    return file if sheet is None else f"{file} ({sheet})"


def _source(findings: Sequence[Finding]) -> tuple[FindingTable, MaskedFindings | None]:
    """The findings as columns, and the masking view when they are masked (privacy mode)."""
    if isinstance(findings, MaskedFindings):
        return as_table(findings.source), findings
    return as_table(findings), None


def group_findings(findings: Sequence[Finding], sample: int = SAMPLE_ROWS) -> list[FindingGroup]:
    """Group by rule and severity, worst and most frequent first, keeping the first *sample* rows.

    Counted on the findings' columns: only the rows shown (and one finding per hint) are made,
    so a problem on a million rows costs what ten rows do.
    """
    table, masked = _source(findings)
    if not len(table):
        return []
    sev_codes, severities = table.codes("severity")
    rule_codes, rules = table.codes("rule")
    ent_codes, ents = table.codes("entity")
    file_codes, files = table.codes("file")
    sheet_codes, sheets = table.codes("sheet")
    column_codes, columns = table.codes("column")
    hint_codes, hints = table.codes("hint")
    keys = sev_codes.astype(np.int64) * len(rules) + rule_codes
    places = file_codes.astype(np.int64) * len(sheets) + sheet_codes
    order = np.argsort(keys, kind="stable")  # each group's findings keep their order
    bounds = np.flatnonzero(np.diff(keys[order])) + 1
    groups = []
    for idx in np.split(order, bounds):
        key = int(keys[idx[0]])
        severity, rule = Severity(severities[key // len(rules)]), rules[key % len(rules)]
        # A rule's fix can differ by column (a reference to contacts vs. to matters): the first
        # few distinct hints are kept, most frequent first, ties in the order met.
        seq = hint_codes[idx]
        present, first = np.unique(seq, return_index=True)
        met = np.argsort(first, kind="stable")[:MAX_HINTS]
        counts = np.bincount(seq)[present[met]]
        kept = sorted(range(len(met)), key=lambda i: (-counts[i], i))
        hint_texts = [hints[int(present[met[i]])] for i in kept]
        rows = table.take(idx[:sample])
        if masked is not None:
            rows = masked.masked(rows)
            hint_texts = [masked.masked(table.take([idx[int(first[met[i]])]]))[0].hint for i in kept]
        spots = places[idx] * len(columns) + column_codes[idx]
        spot_values, spot_counts = np.unique(spots, return_counts=True)
        repeats = tuple(
            Repeat(
                int(n),
                _place(
                    files[spot // len(columns) // len(sheets)], sheets[spot // len(columns) % len(sheets)]
                ),
                columns[spot % len(columns)],
            )
            for spot, n in zip(spot_values.tolist(), spot_counts.tolist(), strict=True)
            if n > REPEAT_ROWS
        )
        groups.append(
            FindingGroup(
                rule=rule,
                title=code_title(rule),
                severity=severity,
                count=len(idx),
                entities=tuple(sorted({entity_title(ents[c]) for c in np.unique(ent_codes[idx]).tolist()})),
                files=tuple(
                    sorted(
                        {
                            _place(files[p // len(sheets)], sheets[p % len(sheets)])
                            for p in np.unique(places[idx]).tolist()
                        }
                    )
                ),
                hints=tuple(dict.fromkeys(hint_texts)),
                rows=tuple(rows),
                repeats=tuple(sorted(repeats, key=lambda r: -r.count)),
            )
        )
    groups.sort(key=lambda g: (-g.severity, -g.count, g.rule))
    return groups


@dataclass(frozen=True, slots=True)
class Segment:
    x: float
    width: float
    colour: str
    label: str


@dataclass(frozen=True, slots=True)
class BarRow:
    label: str
    y: float
    total: int
    segments: tuple[Segment, ...]
    end: float


@dataclass(frozen=True, slots=True)
class StackedChart:
    """Problems per kind of record, one horizontal bar stacked by severity."""

    width: int
    height: int
    label_width: int
    bar_height: int
    rows: tuple[BarRow, ...]
    legend: tuple[tuple[str, str], ...]
    description: str


def problems_chart(findings: Sequence[Finding]) -> StackedChart | None:
    """Geometry of the "problems by record type and severity" chart (None when there are none)."""
    if not findings:
        return None
    table, _ = _source(findings)
    ent_codes, ents = table.codes("entity")
    sev_codes, severities = table.codes("severity")
    pairs = ent_codes.astype(np.int64) * len(severities) + sev_codes
    values, numbers = np.unique(pairs, return_counts=True)
    counts: Counter[tuple[str | None, Severity]] = Counter(
        {
            (ents[v // len(severities)], Severity(severities[v % len(severities)])): int(n)
            for v, n in zip(values.tolist(), numbers.tolist(), strict=True)
        }
    )
    names = sorted(
        {e for e, _ in counts}, key=lambda e: (ENTITY_ORDER.index(e) if e in ENTITY_ORDER else 99, e or "")
    )
    label_width, bar_area, bar_height, gap, top = 150, 470, 20, 10, 34
    totals = {e: sum(c for (ent, _), c in counts.items() if ent == e) for e in names}
    scale = bar_area / max(totals.values())
    rows = []
    for i, name in enumerate(names):
        x = float(label_width)
        segments = []
        for sev in sorted(Severity, reverse=True):
            n = counts.get((name, sev), 0)
            if not n:
                continue
            # At least 3 px, so a single finding beside thousands is still visible.
            width = max(3.0, n * scale)
            segments.append(
                Segment(x, width, SEVERITY_COLOURS[sev], f"{entity_title(name)}: {_count(n, sev)}")
            )
            x += width
        rows.append(
            BarRow(entity_title(name), top + i * (bar_height + gap), totals[name], tuple(segments), x)
        )
    legend = tuple((SEVERITY_COLOURS[s], s.word) for s in sorted(Severity, reverse=True))
    description = "; ".join(
        f"{entity_title(n)}: "
        + ", ".join(_count(counts[(n, s)], s) for s in sorted(Severity, reverse=True) if counts.get((n, s)))
        for n in names
    )
    height = top + len(names) * (bar_height + gap) + 4
    return StackedChart(720, height, label_width, bar_height, tuple(rows), legend, description)


@dataclass(frozen=True, slots=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str


@dataclass(frozen=True, slots=True)
class MonthChart:
    """Records per month of one kind of record, as a column chart."""

    title: str
    colour: str
    width: int
    height: int
    plot_left: int
    plot_bottom: int
    peak: int
    bars: tuple[Bar, ...]
    ticks: tuple[tuple[float, str], ...]
    first: str
    last: str
    total: int
    omitted: int


def month_charts(result: ValidationResult) -> list[MonthChart]:
    """Records over time for activities, trust and bills (only those with readable dates)."""
    charts = []
    for name, date_field, colour in TIMELINE_ENTITIES:
        data = result.dataset.get(name)
        if data is None or date_field not in data.parsed:
            continue
        values = data.parsed[date_field].values.dropna()
        if values.empty:
            continue
        chart = _month_chart(entity_title(name), colour, values)
        if chart is not None:
            charts.append(chart)
    return charts


def _month_chart(title: str, colour: str, values: pd.Series) -> MonthChart | None:
    months = pd.Series(pd.DatetimeIndex(values).to_period("M"))
    counts = months.value_counts()
    last = counts.index.max()
    first = counts.index.min()
    span = pd.period_range(first, last, freq="M")
    series = counts.reindex(span, fill_value=0)
    omitted = 0
    if len(span) > MAX_MONTHS:
        # A stray date in 1901 or 2099 would squash fifteen real years into a sliver: draw the
        # window of MAX_MONTHS months that holds the most records, and count the rest.
        window = series.rolling(MAX_MONTHS).sum()
        end = int(np.nanargmax(window.to_numpy()))
        span = span[end - MAX_MONTHS + 1 : end + 1]
        series = series.loc[span]
        omitted = int(counts.sum() - series.sum())
    width, height, left, bottom, top = 720, 150, 48, 120, 12
    plot_w = width - left - 8
    step = plot_w / len(span)
    peak = int(series.max()) or 1
    scale = (bottom - top) / peak
    # Bars no wider than 24 px: three months of data should not look like three walls.
    bar = min(max(step * 0.8, 1.0), 24.0)
    labels = [p.strftime("%b %Y") for p in span]
    bars = tuple(
        Bar(left + (i + 0.5) * step - bar / 2, bottom - n * scale, bar, n * scale, f"{labels[i]}: {n:,}")
        for i, n in enumerate(int(v) for v in series.to_numpy())
        if n
    )
    ticks: list[tuple[float, str]] = []
    if len(span) <= 36:
        every = 1 if len(span) <= 12 else 3
        ticks = [(left + (i + 0.5) * step, p.strftime("%b %Y")) for i, p in enumerate(span) if i % every == 0]
    else:
        every = max(1, len({p.year for p in span}) // 10)
        ticks = [
            (left + i * step, str(p.year)) for i, p in enumerate(span) if p.month == 1 and p.year % every == 0
        ] or [(left, span[0].strftime("%b %Y"))]
    return MonthChart(
        title=title,
        colour=colour,
        width=width,
        height=height,
        plot_left=left,
        plot_bottom=bottom,
        peak=peak,
        bars=bars,
        ticks=tuple(ticks),
        first=span[0].strftime("%b %Y"),
        last=span[-1].strftime("%b %Y"),
        total=int(counts.sum()),
        omitted=omitted,
    )


@dataclass(frozen=True, slots=True)
class FileRow:
    file: str
    sheet: str | None
    role: str
    rows: int
    encoding: str
    sha256: str


@dataclass(frozen=True, slots=True)
class RecordRow:
    entity: str
    count: int
    first: str
    last: str


@dataclass(frozen=True, slots=True)
class BalanceView:
    """Balances formatted for the page (amounts as text, masked in privacy mode)."""

    rows: tuple[tuple[str, str, str, str, str, bool], ...]
    total_rows: int
    totals: tuple[str, str, str]
    as_of: str | None
    notes: tuple[str, ...]
    explanation: str
    has_trust: bool
    overdrawn: tuple[tuple[str, str, str], ...]


@dataclass(frozen=True, slots=True)
class ChecklistRow:
    """One limitation the firm must accept knowingly, and whether someone did."""

    item: str
    detail: str
    instead: str
    acknowledged_by: str | None
    acknowledged_at: str | None


@dataclass(slots=True)
class ReportPage:
    """Everything the template shows."""

    title: str
    generated: str
    tool_version: str
    source: str
    privacy: bool
    verdict: Verdict
    summary: list[tuple[str, int, str, str]]
    files: list[FileRow]
    records: list[RecordRow]
    problems_chart: StackedChart | None
    month_charts: list[MonthChart]
    groups: list[FindingGroup]
    total_findings: int
    balances: BalanceView | None = None
    timeline: Timeline | None = None
    checklist: list[ChecklistRow] = field(default_factory=list)
    sample_rows: int = SAMPLE_ROWS
    fixed: FixedView | None = None
    """The "Fixed for you" section: None when no fix was applied."""


def _balance_view(balances: Balances, privacy: bool) -> BalanceView:
    table = balances.table.head(BALANCE_ROWS)

    def money(value: float) -> str:
        # Firm totals are the firm's figures; each matter's amounts belong to its client.
        return MASK if privacy else format_money(value)

    amounts = [table[col].map(money) for col in AMOUNTS]
    over = balances.overdrawn
    negative = (table[AMOUNTS[0]] < 0).to_numpy()
    rows = tuple(
        (m or "(no matter)", c or "—", t, a, u, bool(neg))
        for m, c, t, a, u, neg in zip(table[MATTER], table[CLIENT], *amounts, negative, strict=True)
    )
    return BalanceView(
        rows=rows,
        total_rows=len(balances.table),
        totals=(
            format_money(balances.trust_total),
            format_money(balances.receivable_total),
            format_money(balances.unbilled_total),
        ),
        as_of=balances.as_of,
        notes=balances.notes + ((balances.amounts_note,) if balances.amounts_note else ()),
        explanation=balances.explanation,
        has_trust=balances.has_trust,
        overdrawn=tuple(
            (m or "(no matter)", c or "—", money(t))
            for m, c, t in zip(over[MATTER], over[CLIENT], over[AMOUNTS[0]], strict=True)
        ),
    )


def _attr(item: Any, *names: str) -> Any:
    for name in names:
        if isinstance(item, Mapping) and name in item:
            return item[name]
        if hasattr(item, name):
            return getattr(item, name)
    return None


def checklist_rows(checklist: Any, privacy: bool = False) -> list[ChecklistRow]:
    """Accept the limitations checklist in any reasonable shape: adapter ``Limitation`` objects,
    objects or dicts with title/what, detail/why, acknowledged_by, acknowledged_at.

    With *privacy*, text that quotes this export's data (a blocker item quotes its finding)
    is masked like finding messages are.
    """

    def shown(text: str) -> str:
        return mask_message(text) if privacy else text

    items = _attr(checklist, "items")
    if items is None or callable(items):
        items = checklist
    rows = []
    for item in items or ():
        at = _attr(item, "acknowledged_at", "at", "when")
        rows.append(
            ChecklistRow(
                item=shown(str(_attr(item, "title", "what", "item", "name") or "")),
                detail=shown(str(_attr(item, "detail", "why", "explanation", "text") or "")),
                instead=shown(str(_attr(item, "instead", "workaround") or "")),
                acknowledged_by=_attr(item, "acknowledged_by", "by") or None,
                acknowledged_at=at.isoformat(timespec="minutes")
                if isinstance(at, dt.datetime)
                else (str(at) if at else None),
            )
        )
    return rows


def build_page(
    result: ValidationResult,
    *,
    privacy: bool = False,
    balances: Balances | None = None,
    timeline: Timeline | None = None,
    checklist: Any = None,
) -> ReportPage:
    """The report's view model (the GUI can show the same numbers without the HTML)."""
    report = result.report
    findings: Sequence[Finding] = report.findings
    if privacy:
        headers = [c for info in report.files for c in info.columns]
        findings = mask_findings(findings, headers=headers)
    counts = report.summary()
    summary = [
        (s.words, counts[s.label], s.meaning, SEVERITY_COLOURS[s]) for s in sorted(Severity, reverse=True)
    ]
    files = [
        FileRow(
            file=info.file,
            sheet=info.sheet,
            role=entity_title(info.role) if info.role else "Not recognised",
            rows=info.rows,
            encoding=encoding_label(info.encoding),
            sha256=info.sha256,
        )
        for info in report.files
    ]
    records = [
        RecordRow(entity_title(name), count, *report.date_ranges.get(name, ("", "")))
        for name, count in sorted(
            report.records.items(), key=lambda kv: ENTITY_ORDER.index(kv[0]) if kv[0] in ENTITY_ORDER else 99
        )
    ]
    return ReportPage(
        title="Migration check report",
        generated=dt.datetime.now().strftime("%d %B %Y, %H:%M"),
        tool_version=report.tool_version,
        source=result.profile.name or report.source,
        privacy=privacy,
        verdict=verdict(report),
        summary=summary,
        files=files,
        records=records,
        problems_chart=problems_chart(findings),
        month_charts=month_charts(result),
        groups=group_findings(findings),
        total_findings=len(findings),
        balances=_balance_view(balances, privacy) if balances is not None else None,
        timeline=timeline,
        checklist=checklist_rows(checklist, privacy) if checklist is not None else [],
        fixed=fixed_view(result, privacy),
    )


# ---------------------------------------------------------------- fixed for you

FIXED_ROWS = 50
"""Changes listed in the "Fixed for you" section; the fix log in the package has every one."""


@dataclass(frozen=True, slots=True)
class FixedView:
    """What the automatic fixes changed, for the "Fixed for you" section.

    Attributes:
        cells: Cells changed in all.
        findings: Findings the fixes resolved.
        by_fix: Per fix: its title, its code and the cells it changed.
        rows: The first changes: file, sheet, row, column, before, after, the fix's title.
        applied_by: Who applied them ("" until signed off).
    """

    cells: int
    findings: int
    by_fix: tuple[tuple[str, str, int], ...]
    rows: tuple[tuple[str, str | None, int, str, str, str, str], ...]
    applied_by: str

    @property
    def more(self) -> int:
        return self.cells - len(self.rows)


def fixed_view(result: ValidationResult, privacy: bool = False, limit: int = FIXED_ROWS) -> FixedView | None:
    """The "Fixed for you" section of a check made with fixes (None without), values masked in privacy mode."""
    log = result.fix_log
    if log is None or not len(log):
        return None
    from migration_assistant.core.fixes import FIXES
    from migration_assistant.core.privacy import mask_fix_values

    titles = {f.code: f.title for f in FIXES}
    rows = []
    for n, entry in enumerate(log.entries()):
        if n == limit:
            break
        before, after = mask_fix_values(entry.before, entry.after) if privacy else (entry.before, entry.after)
        rows.append(
            (
                entry.file,
                entry.sheet,
                entry.row,
                entry.column,
                before,
                after,
                titles.get(entry.fix, entry.fix),
            )
        )
    return FixedView(
        cells=len(log),
        findings=len(result.report.fixed),
        by_fix=tuple((titles.get(code, code), code, n) for code, n in log.counts().items()),
        rows=tuple(rows),
        applied_by=log.applied_by,
    )


# ---------------------------------------------------------------- rendering


def _date(value: dt.date | str | None) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        try:
            day = dt.date.fromisoformat(value[:10])
        except ValueError:
            return value
        return f"{day:%a %d %b %Y}"
    return f"{value:%a %d %b %Y}"


def _num(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(resource_path("resources", "report-templates"))),
        # Every value from the export is untrusted text: autoescape everything, always.
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["date"] = _date
    env.filters["num"] = _num
    env.filters["r"] = lambda v: f"{v:.1f}"
    env.filters["plural"] = lambda n, one, many: one if n == 1 else many
    env.globals["SEVERITY_COLOURS"] = {s.label: c for s, c in SEVERITY_COLOURS.items()}
    return env


def render_html(
    result: ValidationResult,
    *,
    privacy: bool = False,
    balances: Balances | None = None,
    timeline: Timeline | None = None,
    checklist: Any = None,
) -> str:
    """The report as one HTML string (see :func:`write_html`)."""
    page = build_page(result, privacy=privacy, balances=balances, timeline=timeline, checklist=checklist)
    return _environment().get_template("report.html.j2").render(page=page)


def write_html(
    result: ValidationResult,
    path: Path,
    *,
    privacy: bool = False,
    balances: Balances | None = None,
    timeline: Timeline | None = None,
    checklist: Any = None,
) -> None:
    """Write the self-contained HTML report, atomically.

    Args:
        result: a finished validation run.
        path: where to write the ``.html`` file.
        privacy: hide client data (names, contact details, descriptions, amounts) everywhere.
        balances: the opening balances section (:func:`~migration_assistant.core.balances.compute_balances`).
        timeline: the expected dates section (:func:`~migration_assistant.core.timeline.plan_timeline`).
        checklist: what cannot be migrated and who acknowledged it (see :func:`checklist_rows`).
    """
    text = render_html(result, privacy=privacy, balances=balances, timeline=timeline, checklist=checklist)
    with atomic_write(Path(path), "w", encoding="utf-8") as fh:
        cast(IO[str], fh).write(text)
