"""The engine calls the GUI runs in workers, as ops for :func:`~migration_assistant.gui.workers.run_op`.

Each op is a plain function of the cancel check that returns a generator of
:class:`~migration_assistant.core.engine.Progress`; the engine is looked up when the
op runs (so tests can swap ``engine.iter_validate`` for a slow one).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from migration_assistant.gui.state import AUTO_SOURCE, PREVIEW_ROWS, CheckOutcome, FileEntry

log = logging.getLogger(__name__)


@dataclass(slots=True)
class ReadResult:
    files: list[FileEntry] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    detected_source: str | None = None
    skipped: list[Any] = field(default_factory=list)
    """Files in the folders given that are not read (``InputFile``, with why): listed, and sealed."""


def read_files_op(
    inputs: list[Path], source_id: str | None, catalog: dict[str, Any]
) -> Callable[[Callable[[], bool]], Generator[Any, None, ReadResult]]:
    """Read every file the user added, and guess what each holds (for the Add files page)."""

    def op(cancelled: Callable[[], bool]) -> Generator[Any, None, ReadResult]:
        from migration_assistant.core.engine import Progress
        from migration_assistant.core.readers.errors import UnreadableFile
        from migration_assistant.core.readers.inputs import collect_inputs, read_input
        from migration_assistant.core.recognise import guess_role, guess_source

        result = ReadResult()
        usable = []
        for given in inputs:
            try:
                collect_inputs([given])
            except UnreadableFile as exc:
                result.problems.append(exc.message)
                continue
            usable.append(given)
        # Collected together, as the check collects them, so same-named files get the same names.
        items, result.skipped = collect_inputs(usable) if usable else ([], [])
        tables = []
        for index, item in enumerate(items):
            yield Progress(f"Reading {item.display}", index, len(items))
            try:
                for table in read_input(item):
                    # Keep what the page shows; drop the cells to free memory.
                    tables.append(table)
            except UnreadableFile as exc:
                result.files.append(
                    FileEntry(
                        item.display, item.display, None, item.path, None, 0.0, 0, None, "", exc.message
                    )
                )
            except (OSError, ValueError, UnicodeError) as exc:
                result.files.append(
                    FileEntry(
                        item.display,
                        item.display,
                        None,
                        item.path,
                        None,
                        0.0,
                        0,
                        None,
                        "",
                        f"{item.display} could not be read ({type(exc).__name__}).",
                    )
                )
        yield Progress("Recognising the files", len(items), len(items) + 1)
        source = source_id
        if source == AUTO_SOURCE or source is None:
            source = guess_source(tables, catalog).source_id if catalog and tables else "template"
            result.detected_source = source
        profile = catalog.get(source)
        for table in tables:
            if profile is not None:
                guess = guess_role(table, profile)
                role, confidence, ambiguous, runner = (
                    guess.entity,
                    guess.confidence,
                    guess.ambiguous,
                    guess.runner_up,
                )
            else:
                role, confidence, ambiguous, runner = table.role, table.role_confidence, False, None
            key = table.file if table.sheet is None else f"{table.file}#{table.sheet}"
            result.files.append(
                FileEntry(
                    key,
                    table.file,
                    table.sheet,
                    table.path,
                    role,
                    confidence,
                    table.rows,
                    table.encoding,
                    table.sha256,
                    None,
                    ambiguous,
                    runner,
                    tuple(table.labels),
                    _preview(table),
                    table.format,
                )
            )
        order = {item.display: i for i, item in enumerate(items)}
        result.files.sort(key=lambda e: (order.get(e.file, 0), e.sheet or ""))
        return result

    return op


def _preview(table: Any) -> tuple[tuple[str, ...], ...]:
    """The first rows of a table as text, in label order (for the Map columns preview)."""
    labels = [lab for lab in table.labels if lab in table.data.columns]
    head = table.data.head(PREVIEW_ROWS)
    return tuple(tuple(str(row[lab]) for lab in labels) for _, row in head.iterrows())


def validate_op(
    inputs: list[Path],
    source_id: str | None,
    roles: dict[str, str],
    mappings: dict[str, dict[str, str]],
) -> Callable[[Callable[[], bool]], Generator[Any, None, CheckOutcome]]:
    """Run the whole check (the engine's :func:`iter_validate`), then add up the balances
    and build the limitations checklist, in the same worker.

    Args:
        inputs: files and folders as the user gave them.
        source_id: the chosen source system (``auto`` lets the engine pick).
        roles: table key -> entity ("" leaves the table out).
        mappings: entity -> canonical title -> the user's column choice ("" = not in the file).
    """

    def op(cancelled: Callable[[], bool]) -> Generator[Any, None, CheckOutcome]:
        from migration_assistant.core import engine

        source = source_id if source_id and source_id != AUTO_SOURCE else "auto"
        result = yield from engine.iter_validate(
            list(inputs), source, mappings=mappings or None, roles=roles or None, cancelled=cancelled
        )
        from migration_assistant.core.balances import Balances, compute_balances
        from migration_assistant.core.checklist import build_checklist

        yield engine.Progress("Adding up the balances brought forward", 1, 1)
        if cancelled():
            raise engine.Cancelled
        balances: Balances | None
        try:
            balances = compute_balances(result.dataset)
        except Exception as exc:  # the figures help the review; a fault in them must not lose the check
            log.warning("balances could not be computed: %s", type(exc).__name__)
            balances = None
        return CheckOutcome(result, balances, build_checklist(result))

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
    return validate_op(list(state.inputs), source, roles, mappings)


def check_failure_text(exc: BaseException) -> str:
    """A plain sentence for a check that failed (the engine's own messages are written for the user)."""
    from migration_assistant.core.adapters import ProfileError
    from migration_assistant.core.engine import ExportTooLarge
    from migration_assistant.core.readers.errors import UnreadableFile
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
