"""The engine calls the GUI runs in workers, as ops for :func:`~migration_assistant.gui.workers.run_op`.

Each op is a plain function of the cancel check that returns a generator of
:class:`~migration_assistant.core.results.Progress`; the engine is looked up through
:mod:`migration_assistant.core.api` when the op runs (so tests can swap
``engine.iter_validate`` for a slow one).
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from migration_assistant.gui.state import AUTO_SOURCE, PREVIEW_ROWS, CheckOutcome, FileEntry

if TYPE_CHECKING:
    from migration_assistant.core.api import Balances, FixLog, Recognised
    from migration_assistant.core.findings import Report

log = logging.getLogger(__name__)


@dataclass(slots=True)
class ReadResult:
    files: list[FileEntry] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    detected_source: str | None = None
    skipped: list[Any] = field(default_factory=list)
    """Files in the folders given that are not read (``InputFile``, with why): listed, and sealed."""
    better_source: tuple[str, str] | None = None
    """A source system that fits the files clearly better than the one chosen: its id, and why."""


def read_files_op(
    inputs: list[Path], source_id: str | None, catalog: dict[str, Any]
) -> Callable[[Callable[[], bool]], Generator[Any, None, ReadResult]]:
    """Read every file the user added, and recognise what each holds (for the Add files page).

    The engine's own first half (:func:`~migration_assistant.core.api.iter_read_and_recognise`),
    so the page shows each file as the check will read it: with the column choices remembered
    for the source system, and with the second kind of record some files hold (PCLaw's
    client/matter list also gives the clients). A path or file that cannot be read is listed,
    and the others are still read.
    """

    def op(cancelled: Callable[[], bool]) -> Generator[Any, None, ReadResult]:
        from migration_assistant.core import api

        auto = source_id is None or source_id == AUTO_SOURCE
        recognised = yield from api.iter_read_and_recognise(
            list(inputs),
            "auto" if auto else str(source_id),
            mappings=_remembered,
            catalog=catalog,
            keep_going=True,
            cancelled=cancelled,
        )
        return ReadResult(
            files=_entries(recognised),
            problems=list(recognised.problems),
            detected_source=recognised.profile.id if auto else None,
            skipped=list(recognised.skipped),
            better_source=next(
                (
                    (f.value, f.message)
                    for f in recognised.findings
                    if f.rule == "source-mismatch" and f.value
                ),
                None,
            ),
        )

    return op


def _remembered(source: str) -> dict[str, dict[str, str]]:
    """The column choices remembered for *source* (none when they cannot be read)."""
    from migration_assistant.core import api

    try:
        return api.load_saved_mapping(source).columns
    except (OSError, ValueError) as exc:  # a damaged store must not stop the files being read
        log.warning("remembered column choices not read: %s", type(exc).__name__)
        return {}


def _entries(recognised: Recognised) -> list[FileEntry]:
    """One row per table read (and per file that could not be read), in the order given.

    A second view of a file (its other kind of record) is not a row of its own: the file's
    row names it in :attr:`FileEntry.also`, and the check makes the view itself.
    """
    from migration_assistant.core.api import table_key

    also: dict[str, list[str]] = {}
    for table in recognised.tables[len(recognised.read_tables) :]:
        if table.role:
            also.setdefault(table_key(table), []).append(table.role)
    read = recognised.read_tables
    files = [
        FileEntry(
            key=table_key(table),
            file=table.file,
            sheet=table.sheet,
            path=table.path,
            role=guess.entity,
            confidence=guess.confidence,
            rows=table.rows,
            encoding=table.encoding,
            sha256=table.sha256,
            ambiguous=guess.ambiguous,
            runner_up=guess.runner_up,
            labels=tuple(table.labels),
            preview=_preview(table),
            format=table.format,
            also=tuple(also.pop(table_key(table), ())),
        )
        for table, guess in zip(read, recognised.guesses[: len(read)], strict=True)
    ]
    files += [
        FileEntry(
            item.input.display,
            item.input.display,
            None,
            item.input.path,
            None,
            0.0,
            0,
            None,
            "",
            item.message,
        )
        for item in recognised.unread
    ]
    order = {item.display: i for i, item in enumerate(recognised.inputs)}
    files.sort(key=lambda e: (order.get(e.file, 0), e.sheet or ""))
    return files


def _preview(table: Any) -> tuple[tuple[str, ...], ...]:
    """The first rows of a table as text, in label order (for the Map columns preview)."""
    labels = [lab for lab in table.labels if lab in table.data.columns]
    head = table.data.head(PREVIEW_ROWS)
    return tuple(tuple(str(row[lab]) for lab in labels) for _, row in head.iterrows())


_UNKNOWN: Any = object()
"""*previous* not given to :func:`validate_op`: the outcome is not prepared in the worker."""


def validate_op(
    inputs: list[Path],
    source_id: str | None,
    roles: dict[str, str],
    mappings: dict[str, dict[str, str]],
    fixes: FixLog | None = None,
    before: Report | None = None,
    previous: Any = _UNKNOWN,
    saved_fixes: Path | None = None,
) -> Callable[[Callable[[], bool]], Generator[Any, None, CheckOutcome]]:
    """Run the whole check (the engine's :func:`iter_validate`), then add up the balances
    and build the limitations checklist, in the same worker.

    Args:
        inputs: files and folders as the user gave them.
        source_id: the chosen source system (``auto`` lets the engine pick).
        roles: table key -> entity ("" leaves the table out).
        mappings: entity -> canonical title -> the user's column choice ("" = not in the file).
        fixes: the fixes the user applied (checked with them; the files are never changed). When
            the files changed since, so that the log no longer fits, they are checked without it
            and the outcome says why (``stale_fixes``).
        before: the report of the same files without *fixes* (saves checking them twice).
        previous: the state's current result (a ``ValidationResult`` or None), to compare the
            new one with here in the worker; left out, the state compares when it takes it.
        saved_fixes: a resumed session's fix log file, read here when *fixes* is None (one that
            cannot be read is left out, as a stale one is).
    """

    def op(cancelled: Callable[[], bool]) -> Generator[Any, None, CheckOutcome]:
        from migration_assistant.core import api

        source = source_id if source_id and source_id != AUTO_SOURCE else "auto"
        stale = ""
        applied = fixes
        if applied is None and saved_fixes is not None:
            yield api.Progress("Reading the fixes you made last time", 0, 1)
            try:
                applied = api.FixLog.load(saved_fixes)
            except api.FixLogError as exc:
                log.warning("saved fix log not used: %s", type(exc).__name__)
                stale = "the fixes saved last time could not be read, so the files were checked as they are"
            applied = applied if applied is not None and len(applied) else None
        try:
            result = yield from api.iter_validate(
                list(inputs),
                source,
                mappings=mappings or None,
                roles=roles or None,
                cancelled=cancelled,
                # Only with fixes: the check without them is called as it always was.
                **({"fixes": applied, "before": before} if applied is not None else {}),
            )
        except api.StaleFixLog as exc:
            stale = str(exc)
            result = yield from api.iter_validate(
                list(inputs), source, mappings=mappings or None, roles=roles or None, cancelled=cancelled
            )
        yield api.Progress("Finding what can be fixed for you", 1, 1)
        if cancelled():
            raise api.Cancelled
        plan = api.plan_fixes(result.dataset)
        yield api.Progress("Adding up the balances brought forward", 1, 1)
        if cancelled():
            raise api.Cancelled
        balances: Balances | None
        try:
            balances = api.compute_balances(result.dataset)
        except Exception as exc:  # the figures help the review; a fault in them must not lose the check
            log.warning("balances could not be computed: %s", type(exc).__name__)
            balances = None
        outcome = CheckOutcome(
            result, balances, api.build_checklist(result), fix_plan=plan, stale_fixes=stale
        )
        if previous is not _UNKNOWN:
            # Comparing with the last check and indexing the fixes take seconds at half a million
            # findings: done here, so the page only assigns them (bench/review_fixes.py).
            from migration_assistant.gui.models import diff_rows
            from migration_assistant.gui.state import prepare

            yield api.Progress("Comparing with the last check", 1, 1)
            prepared = prepare(outcome, previous)
            if prepared.diff is not None:
                prepared.rows = diff_rows(prepared.diff)
            outcome = dataclasses.replace(outcome, prepared=prepared)
        return outcome

    return op


# --- the check, as the Check page and Review's "Check again" run it ---------------------------------

if TYPE_CHECKING:
    from migration_assistant.gui.state import WizardState


def check_op(state: WizardState) -> Callable[[Callable[[], bool]], Generator[Any, None, CheckOutcome]]:
    """The check of what the user added (run by the Check page and by Review's "Check again").

    The run uses the roles chosen on Add your files, the files left out and the column
    choices of Map columns (this session's and those remembered for the software).
    """
    from migration_assistant.gui.column_choices import engine_inputs, stored_choices

    source = state.source_id
    if source == AUTO_SOURCE and state.detected_source:
        source = state.detected_source
    profile = state.profile
    mappings, roles = engine_inputs(state, stored_choices(profile.id if profile else None))
    fixes = state.fix_log
    return validate_op(
        list(state.inputs),
        source,
        roles,
        mappings,
        fixes,
        state.unfixed_report if fixes else None,
        previous=state.result,
        saved_fixes=state.saved_fix_log if fixes is None else None,
    )


def fix_op(
    log: FixLog | None, plan: FixLog, chosen: Any
) -> Callable[[Callable[[], bool]], Generator[Any, None, FixLog]]:
    """Add the entries of *plan* that *chosen* marks (a boolean mask) to the applied *log*.

    Run in a worker: half a million fixes are a frame of half a million rows to copy.
    """

    def op(cancelled: Callable[[], bool]) -> Generator[Any, None, FixLog]:
        from migration_assistant.core import api

        yield api.Progress("Making the fixes", 0, 1)
        picked = plan.without(~chosen)
        if cancelled():
            raise api.Cancelled
        merged = api.FixLog.concat([log, picked]) if log is not None else picked
        yield api.Progress("Making the fixes", 1, 1)
        return merged

    return op


def undo_op(log: FixLog, undone: Any) -> Callable[[Callable[[], bool]], Generator[Any, None, FixLog]]:
    """The applied *log* without the entries *undone* marks (a boolean mask), in a worker."""

    def op(cancelled: Callable[[], bool]) -> Generator[Any, None, FixLog]:
        from migration_assistant.core import api

        yield api.Progress("Undoing the fixes", 0, 1)
        kept = log.without(undone)
        if cancelled():
            raise api.Cancelled
        return kept

    return op


def check_failure_text(exc: BaseException) -> str:
    """A plain sentence for a check that failed (the engine's own messages are written for the user)."""
    from migration_assistant.core.api import ExportTooLarge, ProfileError, UnreadableFile
    from migration_assistant.gui.crash import safe_details

    if isinstance(exc, UnreadableFile | ExportTooLarge):
        return exc.message
    if isinstance(exc, ProfileError):
        return str(exc)
    log.error("check failed\n%s", safe_details(type(exc), exc, exc.__traceback__))
    return (
        "Something went wrong while checking. Your files have not been changed. "
        "Try again; if it happens again, tell your migration specialist (the details are in the log)."
    )
