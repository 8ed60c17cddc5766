"""What every command shares: exit codes, errors in plain English, the progress bar, the summary.

Nothing here imports the engine at module level: ``validate`` starts reading ahead before
pandas loads, so the command line's own modules stay light.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Generator
from pathlib import Path
from typing import TYPE_CHECKING, TextIO, TypeVar

if TYPE_CHECKING:
    from migration_assistant.core.findings import Finding, Report, Severity
    from migration_assistant.core.results import ValidationResult

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
"""DESIGN.md: 0 nothing at or above --fail-on; 1 something is; 2 could not run."""

T = TypeVar("T")


class CliError(Exception):
    """A problem to report in one line with exit code 2."""


def exit_code(report: Report, threshold: Severity) -> int:
    """DESIGN.md's exit code: 1 when a finding is at or above *threshold*, else 0."""
    worst = report.worst()
    return EXIT_FINDINGS if worst is not None and worst >= threshold else EXIT_OK


def mapping_choices(
    source: str, mapping: Path | None
) -> tuple[str, dict[str, dict[str, str]] | None, dict[str, str] | None]:
    """``--mapping``: the source (the saved one when *source* is auto), column choices and roles."""
    if mapping is None:
        return source, None, None
    from migration_assistant.core.api import load_mapping_file

    saved = load_mapping_file(mapping)
    return (saved.source if source == "auto" and saved.source else source), saved.columns, saved.roles


def drive(gen: Generator[object, None, T], show: bool, stream: TextIO) -> T:
    """Run an engine generator, drawing its progress on *stream* when *show*."""
    from migration_assistant.core.api import Progress, run_to_end

    last = 0.0

    def draw(item: object) -> None:
        nonlocal last
        if isinstance(item, Progress) and time.monotonic() - last > 0.1:
            last = time.monotonic()
            width = 30
            filled = int(width * item.fraction)
            stream.write(
                f"\r[{'#' * filled}{'.' * (width - filled)}] {item.fraction:4.0%} {item.step[:60]:<60}"
            )
            stream.flush()

    result = run_to_end(gen, draw if show else None)
    if show:
        stream.write("\r" + " " * 100 + "\r")
        stream.flush()
    return result


def read_secret(path: Path) -> str:
    """The passphrase kept in *path* (``--passphrase-file``), without surrounding white space."""
    try:
        text = path.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise CliError(f"the passphrase file {path} could not be read: {exc.strerror or exc}") from exc
    if not text:
        raise CliError(f"the passphrase file {path} is empty")
    return text


def plain_message(exc: Exception) -> str:
    """What went wrong, in one plain line: the exception that stopped a command, never a traceback.

    A closed output pipe (``validate ... | head``) is not a failure to describe: it is
    raised again, for :func:`migration_assistant.cli.run` to end the command quietly.
    """
    if isinstance(exc, BrokenPipeError):
        raise exc
    from migration_assistant.core.api import ExportTooLarge, MappingFileError, ProfileError, UnreadableFile

    if isinstance(exc, UnreadableFile | ProfileError | MappingFileError | ExportTooLarge):
        return str(exc)
    if isinstance(exc, MemoryError):
        return (
            "this computer ran out of memory; close other programs and try again, "
            "or run it on a computer with more memory"
        )
    if isinstance(exc, PermissionError):
        return f"permission denied: {exc.filename}"
    if isinstance(exc, OSError):
        return f"{exc.strerror or exc}: {exc.filename}" if exc.filename else str(exc)
    return f"unexpected error ({exc.__class__.__name__}): {exc}"


def fail(message: str) -> int:
    """Write *message* as the one line on stderr and give the exit code for "could not run"."""
    sys.stderr.write(f"migration-assistant: {message}\n")
    return EXIT_ERROR


def write_console(text: str, out: TextIO) -> None:
    """Write *text*; a console or file in a legacy encoding gets "?" for a character it cannot show."""
    encoding = getattr(out, "encoding", None) or "utf-8"
    out.write(text.encode(encoding, errors="replace").decode(encoding))


def print_summary(result: ValidationResult, out: TextIO) -> None:
    """The source, the files and what each was read as, the records and the problems counted by code."""
    from migration_assistant.core.findings import encoding_label

    report = result.report
    out.write(f"Source: {result.profile.name}\n")
    out.write("Files:\n")
    for info in report.files:
        name = info.file + (f" [{info.sheet}]" if info.sheet else "")
        role = info.role or "not recognised"
        out.write(f"  {name}: {role}, {info.rows:,} rows, {encoding_label(info.encoding)}\n")
    sealed = [item.display for item in result.skipped if item.sealed]
    links = [item.display for item in result.skipped if not item.sealed]
    for names, what in (
        (sealed, "Not checked (not a kind of file the app reads; sealed as given)"),
        (links, "Skipped (a link out of the folder: neither checked nor sealed)"),
    ):
        if names:
            more = f" and {len(names) - 20:,} more" if len(names) > 20 else ""
            out.write(f"{what}: {', '.join(names[:20])}{more}\n")
    out.write("Records: " + ", ".join(f"{k} {v:,}" for k, v in report.records.items()) + "\n")
    summary = report.summary()
    out.write("Problems: " + ", ".join(f"{v:,} {k}" for k, v in summary.items()) + "\n")
    by_rule = report.rule_counts()
    for rule_code, count in sorted(by_rule.items(), key=lambda kv: -kv[1])[:12]:
        out.write(f"  {rule_code}: {count:,}\n")


LISTED = 20
"""How many problems :func:`print_problems` lists; the reports hold every one."""


def first_problems(report: Report, limit: int = LISTED) -> tuple[list[Finding], int]:
    """The first *limit* blockers, errors and warnings, worst first, and how many there are in all.

    Within a severity the report's own order holds (file, sheet, row). Notes (info) are
    not problems to fix and are left to the reports. Chosen on the severity column, so only
    the findings listed are made: a systematic problem can mean a finding per row.
    """
    import numpy as np  # here: the command line starts without numpy

    from migration_assistant.core.findings import Severity

    table = report.table()
    levels = table.severities()
    order = (Severity.BLOCKER, Severity.ERROR, Severity.WARNING)
    picked = np.concatenate([np.flatnonzero(levels == int(s))[:limit] for s in order])[:limit]
    problems = int(np.count_nonzero(levels >= int(Severity.WARNING)))
    return table.take(picked), problems


def problem_line(finding: Finding) -> str:
    """One finding as linters print one: ``file[sheet]:row: column: message  [severity code]``.

    The row is left out for a finding about the file or a column as a whole, the sheet
    for a text file, the column when the finding names none. Line breaks in a quoted
    cell are flattened so that every finding stays on one line.
    """
    where = finding.file + (f"[{finding.sheet}]" if finding.sheet else "")
    if finding.row is not None:
        where += f":{finding.row}"
    column = f" {finding.column}:" if finding.column else ""
    line = f"{where}:{column} {finding.message}  [{finding.severity.label} {finding.rule}]"
    return " ".join(line.splitlines())


def print_problems(report: Report, out: TextIO, *, privacy: bool = False, limit: int = LISTED) -> None:
    """The first problems, one per line, then how many more the reports hold.

    Args:
        report: the validation's report.
        out: where to write (standard output).
        privacy: hide client data in the messages, as the HTML and Excel reports do.
        limit: how many to list at most.
    """
    first, total = first_problems(report, limit)
    if not first:
        return
    if privacy:
        from migration_assistant.core.privacy import mask_findings

        first = mask_findings(first, headers=[c for info in report.files for c in info.columns])
    lines = ["", *(problem_line(f) for f in first)]
    if total > len(first):
        lines.append(f"… and {total - len(first):,} more; --json/--html/--xlsx for all")
    write_console("\n".join(lines) + "\n", out)
