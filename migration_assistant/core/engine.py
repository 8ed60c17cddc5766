"""The validation pipeline as one generator: read -> detect -> map -> normalise -> check -> report.

The generator yields :class:`Progress` between steps (and between rules) and checks
the cancel callback there, so the GUI's worker and the CLI's progress bar drive the
same code. :func:`validate` runs it to the end.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Generator
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from contextlib import closing
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import TypeVar

from migration_assistant import __version__
from migration_assistant.core.adapters import Profile, get_profile, load_catalog
from migration_assistant.core.dataset import Dataset, build_dataset
from migration_assistant.core.findings import FileInfo, Finding, Report, Severity
from migration_assistant.core.readers.inputs import InputFile, collect_inputs, not_checked, read_input
from migration_assistant.core.readers.table import SourceTable
from migration_assistant.core.recognise import (
    RoleGuess,
    also_tables,
    guess_role,
    guess_source,
    suggest_mapping,
)
from migration_assistant.core.rules import REGISTRY, CheckContext
from migration_assistant.core.steps import run_to_end


class Cancelled(Exception):
    """The user cancelled the run."""


class ExportTooLarge(Exception):
    """The computer ran out of memory during a check; the message says what to do instead."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


# Measured on the 1M-row benchmark export (bench/README.md): peak memory is about 150 MB for the
# program plus six times the size of the files; said as a rough figure, never as a promise. With a
# problem on most rows (bench/many_findings.py) the findings themselves take it to 2.8 times that.
_MEMORY_PER_BYTE = 6
_MEMORY_BASE = 150_000_000


def out_of_memory(inputs: list[InputFile]) -> ExportTooLarge:
    """The plain-English explanation of a check that ran out of memory on *inputs*."""
    from migration_assistant.core.package.bag import human_size  # only on this rare path

    sizes = [(_size(f.path), f.display) for f in inputs]
    total = sum(size for size, _ in sizes)
    need = _MEMORY_BASE + _MEMORY_PER_BYTE * total
    text = (
        f"This computer ran out of memory while checking {len(inputs)} "
        f"file{'s' if len(inputs) != 1 else ''} ({human_size(total)} in all; checking needs roughly "
        f"{human_size(need)} of free memory, up to three times as much when most rows have a problem). "
        "Your files have not been changed. Close other programs "
        "and try again, or check the export on a computer with more memory"
    )
    if sizes:
        size, name = max(sizes)
        text += f", or export the largest file ({name}, {human_size(size)}) in parts, for example one year at a time"
    return ExportTooLarge(text + ".")


@dataclass(frozen=True, slots=True)
class Progress:
    """How far a run has got: *step* is a plain-English phrase for the UI."""

    step: str
    done: int
    total: int

    @property
    def fraction(self) -> float:
        return self.done / self.total if self.total else 0.0


@dataclass(slots=True)
class ValidationResult:
    report: Report
    dataset: Dataset
    profile: Profile
    inputs: list[InputFile] = field(default_factory=list)
    skipped: list[InputFile] = field(default_factory=list)
    """Files in the folders given that were not read (each has a ``not-checked`` finding)."""


Mappings = dict[str, dict[str, str]]
"""entity -> canonical title -> source column label: the user's column choices ("" = leave unmapped)."""

LEFT_OUT = ""
"""The role that leaves a table out of the check at the user's request (see :func:`iter_validate`)."""


def iter_validate(
    paths: list[Path],
    source: str = "auto",
    *,
    mappings: Mappings | None = None,
    roles: dict[str, str] | None = None,
    cancelled: Callable[[], bool] = lambda: False,
) -> Generator[Progress, None, ValidationResult]:
    """Validate the files and folders in *paths*.

    Args:
        paths: files and folders as the user gave them.
        source: a source system id, or "auto" to pick one from the content.
        mappings: the user's column choices per file (see :data:`Mappings`).
        roles: the user's entity choice per table (see :func:`table_key`), overriding detection;
            :data:`LEFT_OUT` ("") leaves that table out of the check (an info finding says so).
        cancelled: polled between steps; when it returns True the run raises :class:`Cancelled`.

    Raises:
        UnreadableFile: a path that does not exist or is not a table.
        ProfileError: an unknown source id.
        Cancelled: when *cancelled* said so.
        ExportTooLarge: the computer ran out of memory (the message says what to do).
    """
    inputs, skipped = collect_inputs(paths)
    try:
        result = yield from _checked(inputs, source, mappings, roles, cancelled)
        if skipped:
            result.skipped = skipped
            result.report.findings.extend(not_checked(item) for item in skipped)
            result.report.sort()
        return result
    except MemoryError:
        pass
    # Raised outside the handler: the MemoryError's traceback, which holds the frames and their
    # columns, is gone by now, so the memory is free again for whatever the user does next.
    raise out_of_memory(inputs)


def _checked(
    inputs: list[InputFile],
    source: str,
    mappings: Mappings | None,
    roles: dict[str, str] | None,
    cancelled: Callable[[], bool],
) -> Generator[Progress, None, ValidationResult]:
    rules = list(REGISTRY)
    total = len(inputs) + 3 + len(rules)
    done = 0
    read = yield from _read_all(inputs, done, total, cancelled)
    done += len(inputs)
    tables = [table for tables_of_file in read for table in tables_of_file]

    yield Progress("Recognising the files", done, total)
    if cancelled():
        raise Cancelled
    catalog, _problems = load_catalog()
    source_id = source
    source_guess = None
    if source == "auto":
        source_guess = guess_source(tables, catalog) if catalog else None
        source_id = source_guess.source_id if source_guess else "template"
    profile = catalog.get(source_id) or get_profile(source_id)
    # Some exports hold two entities in one file (PCLaw's client/matter list): add those views.
    tables.extend(also_tables(tables, profile))
    role_guesses = _roles(tables, profile, mappings or {}, roles or {})
    for table, guess in zip(tables, role_guesses, strict=True):
        table.role = guess.entity
        table.role_confidence = guess.confidence
    done += 1

    yield Progress("Reading dates, amounts and IDs", done, total)
    if cancelled():
        raise Cancelled
    dataset = build_dataset(tables, role_guesses, profile)
    done += 1

    ctx = CheckContext(dataset)
    left_out = {key for key, role in (roles or {}).items() if role == LEFT_OUT}
    for table in tables:
        if table_key(table) in left_out:
            continue  # the user left it out: its reading problems are not theirs to fix
        # Readers report before roles are known: their findings take the table's entity now.
        ctx.findings.extend(
            replace(f, entity=table.role) if f.entity is None and table.role else f for f in table.findings
        )
    ctx.findings.extend(_recognition_findings(tables, role_guesses, left_out))
    if source_guess is not None and source_guess.ambiguous and source_guess.runner_up:
        other = catalog[source_guess.runner_up].name
        ctx.findings.append(
            Finding(
                "ambiguous-source",
                Severity.INFO,
                None,
                tables[0].file if tables else "",
                None,
                None,
                None,
                None,
                f"The files could come from {profile.name} or from {other}: their headings do not tell "
                f"them apart, so they were read as {profile.name}.",
                "Choose your old software on the first page (or pass --source) if this is wrong.",
            )
        )
    # Rules are independent and spend their time in pyarrow/numpy kernels that release the
    # GIL, so two run at once; findings are sorted afterwards, so the order stays stable.
    ordered = sorted(rules, key=lambda check: not check.slow)  # stable: registry order otherwise
    with closing(_two_at_a_time([(check, partial(check.check, ctx)) for check in ordered])) as finished:
        for check, future in finished:
            future.result()
            done += 1
            yield Progress(f"Checked: {check.title.lower()}", done, total)
            if cancelled():
                raise Cancelled

    yield Progress("Writing up the findings", done, total)
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
    report.findings = ctx.findings
    report.sort()
    report.records = {name: len(data) for name, data in dataset.entities.items()}
    report.date_ranges = _date_ranges(dataset)
    done += 1
    yield Progress("Done", done, total)
    return ValidationResult(report=report, dataset=dataset, profile=profile, inputs=inputs)


def _read_all(
    inputs: list[InputFile], done: int, total: int, cancelled: Callable[[], bool]
) -> Generator[Progress, None, list[list[SourceTable]]]:
    """Read every input, two files at a time, largest first; results keep the inputs' order.

    Reading is mostly pyarrow, hashing and decoding, which release the GIL: while the big
    time-entries file is read, the small ones are read beside it. When several files cannot
    be read, the first one in input order is reported, as a one-at-a-time read would.
    """
    if not inputs:
        return []
    by_size = sorted(range(len(inputs)), key=lambda i: -_size(inputs[i].path))
    yield Progress(f"Reading {inputs[by_size[0]].display}", done, total)
    if cancelled():
        raise Cancelled
    results: dict[int, list[SourceTable]] = {}
    errors: dict[int, BaseException] = {}
    with closing(_two_at_a_time([(i, partial(read_input, inputs[i])) for i in by_size])) as finished:
        for index, future in finished:
            exc = future.exception()
            if exc is not None:
                errors[index] = exc
            else:
                results[index] = future.result()
            done += 1
            # Name the largest file still being read: it is what the user is waiting for.
            left = [i for i in by_size if i not in results and i not in errors]
            step = f"Reading {inputs[left[0]].display}" if left else f"Read {len(inputs)} files"
            yield Progress(step, done, total)
            if cancelled():
                raise Cancelled
    if errors:
        raise errors[min(errors)]
    return [results[i] for i in range(len(inputs))]


K = TypeVar("K")
R = TypeVar("R")


def _two_at_a_time(calls: list[tuple[K, Callable[[], R]]]) -> Generator[tuple[K, Future[R]], None, None]:
    """Run *calls* two at a time (they spend their time in code that releases the GIL) and yield
    each one's key and finished future as it ends; closing it early cancels the ones not started
    and waits for the running ones (callers use ``contextlib.closing``)."""
    with ThreadPoolExecutor(max_workers=min(2, os.cpu_count() or 1)) as pool:
        pending = {pool.submit(call): key for key, call in calls}
        try:
            for future in as_completed(pending):
                yield pending[future], future
        finally:
            for future in pending:
                future.cancel()


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # unreadable: read_input will say why


def validate(paths: list[Path], source: str = "auto", **kwargs: object) -> ValidationResult:
    """Run :func:`iter_validate` to the end (for scripts and tests)."""
    return run_to_end(iter_validate(paths, source, **kwargs))  # type: ignore[arg-type]


def _roles(
    tables: list[SourceTable], profile: Profile, mappings: Mappings, roles: dict[str, str]
) -> list[RoleGuess]:
    out: list[RoleGuess] = []
    for table in tables:
        chosen = roles.get(table_key(table))
        if chosen == LEFT_OUT:
            out.append(RoleGuess(None, 1.0, None))
        elif chosen and not table.role:
            # Tables whose entity the reader already knows (LEDES, iCalendar, a second view of a
            # client/matter list) keep it: a choice made for the file is about its main content.
            mapping = suggest_mapping(table.labels, chosen, profile, mappings.get(chosen))
            out.append(RoleGuess(chosen, 1.0, mapping))
        else:
            out.append(guess_role(table, profile, mappings))
    return out


def table_key(table: SourceTable) -> str:
    """How a table is named in saved role choices: the file, plus ``#sheet`` for a workbook sheet."""
    return table.file if table.sheet is None else f"{table.file}#{table.sheet}"


def _recognition_findings(
    tables: list[SourceTable], guesses: list[RoleGuess], left_out: Collection[str] = ()
) -> list[Finding]:
    findings: list[Finding] = []
    for table, guess in zip(tables, guesses, strict=True):
        if table_key(table) in left_out:
            findings.append(
                Finding(
                    "left-out-file",
                    Severity.INFO,
                    None,
                    table.file,
                    table.sheet,
                    None,
                    None,
                    None,
                    "This file was left out at your request: it was not checked.",
                    "Nothing to do if it is not needed; to check it after all, include it again on the "
                    "Map columns page.",
                )
            )
        elif guess.entity is None:
            findings.append(
                Finding(
                    "unrecognised-file",
                    Severity.WARNING,
                    None,
                    table.file,
                    table.sheet,
                    None,
                    None,
                    None,
                    "This file's columns do not match any kind of record the new system takes, so it was not checked.",
                    "Check it is the right export; on the Add files page you can say what it holds.",
                )
            )
        elif guess.ambiguous:
            findings.append(
                Finding(
                    "ambiguous-file",
                    Severity.INFO,
                    guess.entity,
                    table.file,
                    table.sheet,
                    None,
                    None,
                    None,
                    f"This file was read as {guess.entity}, but it could also be {guess.runner_up}.",
                    "Confirm what the file holds on the Add files page.",
                )
            )
        if guess.mapping is not None and guess.mapping.unmapped_labels:
            extra = [lab for lab in guess.mapping.unmapped_labels if not lab.startswith("(blank column")]
            if extra:
                findings.append(
                    Finding(
                        "unmapped-columns",
                        Severity.INFO,
                        guess.entity,
                        table.file,
                        table.sheet,
                        None,
                        None,
                        None,
                        f"{len(extra)} column(s) have no place in the new system's standard fields: "
                        + ", ".join(f"“{x}”" for x in extra[:8])
                        + (" …" if len(extra) > 8 else "")
                        + ". They will travel as custom fields or notes.",
                        "Nothing to do unless one of them is a standard field under another name: "
                        "then map it on the Map columns page.",
                    )
                )
    return findings


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
