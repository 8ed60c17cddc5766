"""Collect, read and recognise: the first half of a run.

One generator, :func:`iter_read_and_recognise`, finds the files in what the user gave,
reads them two at a time, picks the source system, adds the second views of files that
hold two kinds of record, and decides what each table holds with the user's column and
role choices applied. The check (:func:`~migration_assistant.core.engine.iter_validate`)
goes on from its result; the wizard's Add files page shows it, so the page and the check
recognise every file the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Generator
from contextlib import closing
from dataclasses import replace
from functools import partial
from pathlib import Path

from migration_assistant.core.adapters import Profile, get_profile, load_catalog
from migration_assistant.core.findings import Finding, Severity
from migration_assistant.core.readers.errors import UnreadableFile
from migration_assistant.core.readers.inputs import InputFile, collect_inputs, not_checked, read_input
from migration_assistant.core.readers.table import SourceTable
from migration_assistant.core.recognise import (
    RoleGuess,
    SourceGuess,
    SourceMismatch,
    also_tables,
    check_chosen_source,
    guess_role,
    guess_source,
    suggest_mapping,
)
from migration_assistant.core.results import (
    LEFT_OUT,
    Cancelled,
    ExportTooLarge,
    Mappings,
    Progress,
    Recognised,
    Unread,
    table_key,
)
from migration_assistant.core.threads import two_at_a_time

_UNREADABLE = (UnreadableFile, OSError, ValueError, UnicodeError)
"""What a file that cannot be read raises (a MemoryError is not one: the whole run stops)."""

# Measured on the 1M-row benchmark export (bench/README.md): peak memory is about 150 MB for the
# program plus six times the size of the files; said as a rough figure, never as a promise. With a
# problem on most rows (bench/many_findings.py) the findings themselves take it to 2.8 times that.
_MEMORY_PER_BYTE = 6
_MEMORY_BASE = 150_000_000


def iter_read_and_recognise(
    paths: list[Path],
    source: str = "auto",
    *,
    mappings: Mappings | Callable[[str], Mappings] | None = None,
    roles: dict[str, str] | None = None,
    catalog: dict[str, Profile] | None = None,
    keep_going: bool = False,
    steps_after: int = 0,
    cancelled: Callable[[], bool] = lambda: False,
) -> Generator[Progress, None, Recognised]:
    """Read the files and folders in *paths* and recognise what each table holds.

    Args:
        paths: files and folders as the user gave them.
        source: a source system id, or "auto" to pick one from the content.
        mappings: the user's column choices (see :data:`~migration_assistant.core.results.Mappings`),
            or a function giving them for the source system's id, for when the source is
            picked from the content (the wizard's choices remembered per source system).
        roles: the user's entity choice per table (see :func:`~migration_assistant.core.results.table_key`),
            overriding detection; ``LEFT_OUT`` ("") leaves that table out (an info finding says so).
        catalog: the source-system profiles by id (loaded when not given).
        keep_going: a path or file that cannot be read is listed in the result's ``problems``
            or ``unread`` and the others are still read (the Add files page); otherwise the
            first one raises (the check).
        steps_after: how many progress steps the caller adds after this (for the total).
        cancelled: polled between steps; when it returns True the run raises :class:`Cancelled`.

    Raises:
        UnreadableFile: a path that does not exist or is not a table (unless *keep_going*).
        ProfileError: an unknown source id.
        Cancelled: when *cancelled* said so.
        ExportTooLarge: the computer ran out of memory (the message says what to do).
    """
    inputs, skipped, problems = _collect(paths, keep_going)
    try:
        recognised = yield from _read_and_recognise(
            inputs, source, mappings, roles or {}, catalog, keep_going, steps_after, cancelled
        )
    except MemoryError:
        pass
    else:
        recognised.skipped, recognised.problems = skipped, problems
        recognised.findings.extend(not_checked(item) for item in skipped)
        return recognised
    # Raised outside the handler: the MemoryError's traceback, which holds the frames and their
    # columns, is gone by now, so the memory is free again for whatever the user does next.
    raise out_of_memory(inputs)


def out_of_memory(inputs: list[InputFile]) -> ExportTooLarge:
    """The plain-English explanation of a check that ran out of memory on *inputs*."""
    from migration_assistant.core.package.bag import human_size  # only on this rare path

    sizes = [(file_size(f.path), f.display) for f in inputs]
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


def file_size(path: Path) -> int:
    """The size of *path* in bytes, or 0 when it cannot be read (reading it will say why)."""
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _collect(paths: list[Path], keep_going: bool) -> tuple[list[InputFile], list[InputFile], list[str]]:
    if not keep_going:
        inputs, skipped = collect_inputs(paths)
        return inputs, skipped, []
    # Paths that cannot be used are listed and left out; the rest are collected together, so
    # that same-named files in two folders get the same distinct names the check gives them.
    usable: list[Path] = []
    problems: list[str] = []
    for given in paths:
        try:
            collect_inputs([given])
        except UnreadableFile as exc:
            problems.append(exc.message)
            continue
        usable.append(given)
    inputs, skipped = collect_inputs(usable) if usable else ([], [])
    return inputs, skipped, problems


def _read_and_recognise(
    inputs: list[InputFile],
    source: str,
    mappings: Mappings | Callable[[str], Mappings] | None,
    roles: dict[str, str],
    catalog: dict[str, Profile] | None,
    keep_going: bool,
    steps_after: int,
    cancelled: Callable[[], bool],
) -> Generator[Progress, None, Recognised]:
    total = len(inputs) + 1 + steps_after
    read, unread = yield from _read_all(inputs, total, keep_going, cancelled)
    tables = [table for tables_of_file in read for table in tables_of_file]

    yield Progress("Recognising the files", len(inputs), total)
    if cancelled():
        raise Cancelled
    if catalog is None:
        catalog, _problems = load_catalog()
    source_id = source
    source_guess = None
    if source == "auto":
        source_guess = guess_source(tables, catalog) if catalog else None
        source_id = source_guess.source_id if source_guess else "template"
    profile = catalog.get(source_id) or get_profile(source_id)
    read_tables = list(tables)
    # Some exports hold two entities in one file (PCLaw's client/matter list): add those views.
    companions = also_tables(tables, profile)
    tables.extend(companions)
    chosen = mappings(profile.id) if callable(mappings) else mappings
    guesses = _roles(tables, profile, chosen or {}, roles)
    mismatch = None
    if source_guess is None and read_tables:
        # The user named the source: the files are still ranked, as for an automatic choice (so
        # before the chosen system's roles are set on them), and a clearly better match said.
        found = {g.entity for g in guesses[: len(read_tables)] if g.entity}
        mismatch = check_chosen_source(read_tables, catalog, profile.id, found)
    for table, guess in zip(tables, guesses, strict=True):
        table.role = guess.entity
        table.role_confidence = guess.confidence
    left_out = {key for key, role in roles.items() if role == LEFT_OUT}
    findings: list[Finding] = []
    for table in tables:
        if table_key(table) in left_out:
            continue  # the user left it out: its reading problems are not theirs to fix
        # Readers report before roles are known: their findings take the table's entity now.
        findings.extend(
            replace(f, entity=table.role) if f.entity is None and table.role else f for f in table.findings
        )
    findings.extend(_recognition_findings(tables, guesses, left_out))
    findings.extend(_unreadable(item) for item in unread)
    if source_guess is not None and source_guess.ambiguous and source_guess.runner_up:
        findings.append(_ambiguous_source(source_guess, profile, catalog, tables))
    if mismatch is not None:
        findings.append(_source_mismatch(mismatch, catalog, read_tables))
    return Recognised(
        inputs=inputs,
        tables=tables,
        guesses=guesses,
        profile=profile,
        source_guess=source_guess,
        findings=findings,
        companions=len(companions),
        unread=unread,
    )


def _read_all(
    inputs: list[InputFile], total: int, keep_going: bool, cancelled: Callable[[], bool]
) -> Generator[Progress, None, tuple[list[list[SourceTable]], list[Unread]]]:
    """Read every input, two files at a time, largest first; results keep the inputs' order.

    Reading is mostly pyarrow, hashing and decoding, which release the GIL: while the big
    time-entries file is read, the small ones are read beside it. When several files cannot
    be read, the first one in input order is reported, as a one-at-a-time read would (with
    *keep_going*, each unreadable one is listed instead and the rest are kept).
    """
    if not inputs:
        return [], []
    by_size = sorted(range(len(inputs)), key=lambda i: -file_size(inputs[i].path))
    done = 0
    yield Progress(f"Reading {inputs[by_size[0]].display}", done, total)
    if cancelled():
        raise Cancelled
    results: dict[int, list[SourceTable]] = {}
    errors: dict[int, BaseException] = {}
    with closing(two_at_a_time([(i, partial(read_input, inputs[i])) for i in by_size])) as finished:
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
    unread: list[Unread] = []
    # A file named by the user that cannot be read stops the check (the command says why); one
    # found in a folder is listed (a finding on it) and the folder's other files are still checked.
    for index in sorted(errors):
        exc = errors[index]
        if isinstance(exc, _UNREADABLE) and (keep_going or inputs[index].in_folder):
            unread.append(Unread(inputs[index], _why(inputs[index], exc)))
    listed = {item.input for item in unread}
    errors = {i: exc for i, exc in errors.items() if inputs[i] not in listed}
    if errors:
        raise errors[min(errors)]
    return [results.get(i, []) for i in range(len(inputs))], unread


def _unreadable(item: Unread) -> Finding:
    """The blocker on a file of a folder that could not be read at all (the others were checked)."""
    return Finding.about_file(
        "unreadable-file",
        Severity.BLOCKER,
        item.input.display,
        None,
        item.message,
        "The folder's other files were checked. Export this file again from the old system (as CSV or "
        "Excel), or take it out of the folder if it is not part of the export; it goes into the package "
        "as it is.",
    )


def _why(item: InputFile, exc: BaseException) -> str:
    if isinstance(exc, UnreadableFile):
        return exc.message
    return f"{item.display} could not be read ({type(exc).__name__})."


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


def _ambiguous_source(
    guess: SourceGuess, profile: Profile, catalog: dict[str, Profile], tables: list[SourceTable]
) -> Finding:
    other = catalog[guess.runner_up].name if guess.runner_up else ""
    return Finding.about_file(
        "ambiguous-source",
        Severity.INFO,
        tables[0].file if tables else "",
        None,
        f"The files could come from {profile.name} or from {other}: their headings do not tell "
        f"them apart, so they were read as {profile.name}.",
        "Choose your old software on the first page (or pass --source) if this is wrong.",
    )


def _source_mismatch(
    mismatch: SourceMismatch, catalog: dict[str, Profile], tables: list[SourceTable]
) -> Finding:
    """The finding that the files look like another system's export (its id is the finding's value)."""
    better, chosen = catalog[mismatch.better], catalog[mismatch.chosen]
    files = list(mismatch.files)
    shown = ", ".join(files[:3]) + (f" and {len(files) - 3} more" if len(files) > 3 else "")
    text = f"These files look like an export from {better.name}, not {chosen.name}: {shown} "
    text += f"{'has' if len(files) == 1 else 'have'} the layout of its files"
    if mismatch.headings:
        text += ", with headings such as " + ", ".join(f"“{h}”" for h in mismatch.headings)
    text += "."
    if mismatch.unexported:
        kinds = ", ".join(mismatch.unexported)
        text += f" They also hold {kinds} records, which {chosen.name} does not export."
    text += f" They were read as {chosen.name}, as chosen, so some columns may be read wrong."
    return Finding.about_file(
        "source-mismatch",
        Severity.WARNING,
        files[0] if files else tables[0].file,
        None,
        text,
        f"If they come from {better.name}, choose it as your old software (or run again with "
        f"--source {better.id}). How well the files match: {better.name} "
        f"{mismatch.better_score:.0%}, {chosen.name} {mismatch.chosen_score:.0%}.",
        value=better.id,
    )


def _recognition_findings(
    tables: list[SourceTable], guesses: list[RoleGuess], left_out: Collection[str] = ()
) -> list[Finding]:
    findings: list[Finding] = []
    for table, guess in zip(tables, guesses, strict=True):
        if table_key(table) in left_out:
            findings.append(
                Finding.about_file(
                    "left-out-file",
                    Severity.INFO,
                    table.file,
                    table.sheet,
                    "This file was left out at your request: it was not checked.",
                    "Nothing to do if it is not needed; to check it after all, include it again on the "
                    "Map columns page.",
                )
            )
        elif guess.entity is None:
            findings.append(
                Finding.about_file(
                    "unrecognised-file",
                    Severity.WARNING,
                    table.file,
                    table.sheet,
                    "This file's columns do not match any kind of record the new system takes, so it was not checked.",
                    "Check it is the right export; on the Add files page you can say what it holds.",
                )
            )
        elif guess.ambiguous:
            findings.append(
                Finding.about_file(
                    "ambiguous-file",
                    Severity.INFO,
                    table.file,
                    table.sheet,
                    f"This file was read as {guess.entity}, but it could also be {guess.runner_up}.",
                    "Confirm what the file holds on the Add files page.",
                    entity=guess.entity,
                )
            )
        if guess.mapping is not None and guess.mapping.unmapped_labels:
            extra = [lab for lab in guess.mapping.unmapped_labels if not lab.startswith("(blank column")]
            if extra:
                findings.append(
                    Finding.about_file(
                        "unmapped-columns",
                        Severity.INFO,
                        table.file,
                        table.sheet,
                        f"{len(extra)} column(s) have no place in the new system's standard fields: "
                        + ", ".join(f"“{x}”" for x in extra[:8])
                        + (" …" if len(extra) > 8 else "")
                        + ". They will travel as custom fields or notes.",
                        "Nothing to do unless one of them is a standard field under another name: "
                        "then map it on the Map columns page.",
                        entity=guess.entity,
                    )
                )
    return findings
