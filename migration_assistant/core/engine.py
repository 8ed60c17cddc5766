"""The validation pipeline as one generator: read -> recognise -> normalise -> check -> report.

The first half (collect, read, recognise) is :func:`~migration_assistant.core.intake.iter_read_and_recognise`,
which the wizard's Add files page runs too. The generator yields :class:`Progress` between
steps (and between rules) and checks the cancel callback there, so the GUI's worker and the
CLI's progress bar drive the same code. :func:`validate` runs it to the end.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Sequence
from contextlib import closing
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from migration_assistant import __version__
from migration_assistant.core.dataset import Dataset, build_dataset
from migration_assistant.core.findings import FileInfo, Report, resolved_by_fixes
from migration_assistant.core.intake import iter_read_and_recognise, out_of_memory
from migration_assistant.core.readers.table import drop_waived
from migration_assistant.core.results import (
    Cancelled,
    Mappings,
    Progress,
    Recognised,
    ValidationResult,
)
from migration_assistant.core.rules import REGISTRY, CheckContext, Rule
from migration_assistant.core.steps import run_to_end
from migration_assistant.core.threads import two_at_a_time

if TYPE_CHECKING:
    from migration_assistant.core.fixes.log import FixLog

__all__ = ["iter_fix", "iter_validate", "validate"]


def iter_validate(
    paths: list[Path],
    source: str = "auto",
    *,
    mappings: Mappings | None = None,
    roles: dict[str, str] | None = None,
    cancelled: Callable[[], bool] = lambda: False,
    fixes: FixLog | None = None,
    before: Report | None = None,
) -> Generator[Progress, None, ValidationResult]:
    """Validate the files and folders in *paths*.

    Args:
        paths: files and folders as the user gave them.
        source: a source system id, or "auto" to pick one from the content.
        mappings: the user's column choices per file (see :data:`Mappings`).
        roles: the user's entity choice per table (see :func:`table_key`), overriding detection;
            :data:`LEFT_OUT` ("") leaves that table out of the check (an info finding says so).
        cancelled: polled between steps; when it returns True the run raises :class:`Cancelled`.
        fixes: a fix log to apply to the tables read (in memory; the files are never changed)
            before they are checked. The result's report lists the findings it resolved
            (``Report.fixed``) and the result holds the log (``fix_log``).
        before: the report of the same files without *fixes*, when the caller has it (the
            wizard's previous check); otherwise the files are checked once without the fixes
            first, to tell which findings the fixes resolved.

    Raises:
        UnreadableFile: a path that does not exist or is not a table.
        ProfileError: an unknown source id.
        Cancelled: when *cancelled* said so.
        ExportTooLarge: the computer ran out of memory (the message says what to do).
        StaleFixLog: *fixes* does not fit the files (they changed since it was made): nothing is checked.
    """
    rules = list(REGISTRY)
    passes = 1 if fixes is None else (2 if before is None else 1)
    recognised = yield from iter_read_and_recognise(
        paths,
        source,
        mappings=mappings,
        roles=roles,
        steps_after=(2 + len(rules)) * passes,
        cancelled=cancelled,
    )
    inputs = recognised.inputs
    checking = (
        _checked(recognised, rules, cancelled)
        if fixes is None
        else _fixed_and_checked(recognised, rules, cancelled, fixes, before)
    )
    del recognised  # the generator holds it now: a MemoryError in it frees the tables with it
    try:
        return (yield from checking)
    except MemoryError:
        pass
    # Raised outside the handler: the MemoryError's traceback, which holds the frames and their
    # columns, is gone by now, so the memory is free again for whatever the user does next.
    raise out_of_memory(inputs)


def iter_fix(
    paths: list[Path],
    source: str = "auto",
    *,
    only: Sequence[str] | None = None,
    mappings: Mappings | None = None,
    roles: dict[str, str] | None = None,
    cancelled: Callable[[], bool] = lambda: False,
    rounds: int = 3,
) -> Generator[Progress, None, ValidationResult]:
    """Check the files, make every fix that is certain (or those in *only*), and check the fixed data.

    The files are never changed: the fixes are applied to the tables read, in memory. A fix can
    make another possible (a repaired name now splits); so after each round the fixed data is
    planned again, up to *rounds* rounds, until nothing more is certain. The result is the check
    of the fixed data: its ``fix_log`` holds every change, and ``report.fixed`` the findings of
    the unfixed files that the fixes resolved. Raises as :func:`iter_validate` does, and
    :class:`~migration_assistant.core.fixes.apply.UnknownFix` for a code in *only* no fix has.
    """
    from migration_assistant.core.fixes.apply import apply_log, check_codes, plan_fixes
    from migration_assistant.core.fixes.log import FixLog, now

    if only is not None:
        check_codes(only)
    rules = list(REGISTRY)
    recognised = yield from iter_read_and_recognise(
        paths,
        source,
        mappings=mappings,
        roles=roles,
        steps_after=(2 + len(rules)) * (rounds + 1),
        cancelled=cancelled,
    )
    inputs = recognised.inputs
    stamp = now()
    try:
        passes = rounds + 1  # at most: the rounds stop when nothing more is certain
        result = yield from _checked(
            recognised, rules, cancelled, label="Checking the files as they are: ", at=(0, passes)
        )
        before = result.report
        logs: list[FixLog] = []
        for round_ in range(rounds):
            log = plan_fixes(result.dataset, only, time=stamp)
            if not log:
                break
            if cancelled():
                raise Cancelled
            apply_log(recognised.tables, log)
            logs.append(log)
            del result  # the tables changed: the old dataset goes before the new one is built
            result = yield from _checked(
                recognised,
                rules,
                cancelled,
                label=f"Checking the fixed data (round {round_ + 1}): ",
                at=(round_ + 1, passes),
            )
        if logs:
            _mark_fixed(result, before, FixLog.concat(logs))
        total = len(inputs) + 1 + (2 + len(rules)) * passes
        yield Progress("Done", total, total)  # fewer rounds than the most were needed
        return result
    except MemoryError:
        pass
    raise out_of_memory(inputs)


def _fixed_and_checked(
    recognised: Recognised,
    rules: list[Rule],
    cancelled: Callable[[], bool],
    fixes: FixLog,
    before: Report | None,
) -> Generator[Progress, None, ValidationResult]:
    from migration_assistant.core.fixes.apply import StaleFixLog, apply_log

    passes = 2 if before is None else 1
    if before is None:
        unfixed = yield from _checked(
            recognised, rules, cancelled, label="Checking the files as they are: ", at=(0, passes)
        )
        before = unfixed.report
        del unfixed
    problems = apply_log(recognised.tables, fixes)
    if problems:
        raise StaleFixLog(problems)
    result = yield from _checked(
        recognised, rules, cancelled, label="Checking the fixed data: ", at=(passes - 1, passes)
    )
    _mark_fixed(result, before, fixes)
    return result


def _mark_fixed(result: ValidationResult, before: Report, log: FixLog) -> None:
    """Name the findings the fixes resolved: those of the unfixed files that the fixed data no longer has."""
    result.report.fixed = resolved_by_fixes(before, result.report)
    result.report.fixes_applied = len(log)
    result.fix_log = log


def _checked(
    recognised: Recognised,
    rules: list[Rule],
    cancelled: Callable[[], bool],
    label: str = "",
    at: tuple[int, int] = (0, 1),
) -> Generator[Progress, None, ValidationResult]:
    """One check of the tables read; *at*: this pass and how many the run makes (a run with fixes
    checks the files as they are, then the fixed data), so the progress only ever goes forward.
    *label* names the pass in front of each step ("Checking the fixed data: ...")."""
    inputs, tables, profile = recognised.inputs, recognised.tables, recognised.profile
    per_pass = 2 + len(rules)
    total = len(inputs) + 1 + per_pass * at[1]
    done = len(inputs) + 1 + per_pass * at[0]

    def step(text: str) -> str:
        return label + text[:1].lower() + text[1:] if label else text

    yield Progress(step("Reading dates, amounts and IDs"), done, total)
    if cancelled():
        raise Cancelled
    dataset = build_dataset(tables, recognised.guesses, profile)
    done += 1

    ctx = CheckContext(dataset)
    ctx.findings.extend(recognised.findings)
    # Rules are independent and spend their time in pyarrow/numpy kernels that release the
    # GIL, so two run at once; findings are sorted afterwards, so the order stays stable.
    ordered = sorted(rules, key=lambda check: not check.slow)  # stable: registry order otherwise
    with closing(two_at_a_time([(check, partial(check.check, ctx)) for check in ordered])) as finished:
        for check, future in finished:
            future.result()
            done += 1
            yield Progress(step(f"Checked: {check.title.lower()}"), done, total)
            if cancelled():
                raise Cancelled

    yield Progress(step("Writing up the findings"), done, total)
    report = Report(source=profile.id, tool_version=__version__)
    report.files = [
        FileInfo(
            file=t.file,
            sheet=t.sheet,
            role=t.role,
            encoding=t.encoding,
            rows=t.rows,
            sha256=t.sha256,
            path=str(t.path),
            delimiter=t.delimiter,
            header_row=t.header_row,
            role_confidence=t.role_confidence,
            columns=tuple(t.labels),
        )
        for t in tables
    ]
    # A format that allows what a general rule reports (a LEDES expense without a timekeeper)
    # checks it itself, so the general rule's finding there is dropped.
    report.findings = drop_waived(ctx.findings, tables)
    report.sort()
    report.records = {name: len(data) for name, data in dataset.entities.items()}
    report.date_ranges = _date_ranges(dataset)
    done += 1
    yield Progress(step("Done"), done, total)
    return ValidationResult(
        report=report, dataset=dataset, profile=profile, inputs=inputs, skipped=recognised.skipped
    )


def validate(paths: list[Path], source: str = "auto", **kwargs: object) -> ValidationResult:
    """Run :func:`iter_validate` to the end (for scripts and tests)."""
    return run_to_end(iter_validate(paths, source, **kwargs))  # type: ignore[arg-type]


def _date_ranges(dataset: Dataset) -> dict[str, tuple[str, str]]:
    out: dict[str, tuple[str, str]] = {}
    for name, data in dataset.entities.items():
        for f in data.entity.fields:
            parsed = data.parsed.get(f.name)
            if parsed is None or not f.is_date:
                continue
            values = parsed.values.dropna()
            if len(values):
                out[name] = (values.min().strftime("%Y-%m-%d"), values.max().strftime("%Y-%m-%d"))
            break
    return out
