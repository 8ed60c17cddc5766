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
    from migration_assistant.core.results import ValidationResult

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
"""DESIGN.md: 0 nothing at or above --fail-on; 1 something is; 2 could not run."""

T = TypeVar("T")


class CliError(Exception):
    """A problem to report in one line with exit code 2."""


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


# What went wrong, in one plain line: the exception that stopped a command, never a traceback.
def plain_message(exc: Exception) -> str:
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
    if result.skipped:
        names = [item.display for item in result.skipped]
        more = f" and {len(names) - 20:,} more" if len(names) > 20 else ""
        out.write(f"Not checked (not a kind of file the app reads): {', '.join(names[:20])}{more}\n")
    out.write("Records: " + ", ".join(f"{k} {v:,}" for k, v in report.records.items()) + "\n")
    summary = report.summary()
    out.write("Problems: " + ", ".join(f"{v:,} {k}" for k, v in summary.items()) + "\n")
    by_rule: dict[str, int] = {}
    for f in report.findings:
        by_rule[f.rule] = by_rule.get(f.rule, 0) + 1
    for rule_code, count in sorted(by_rule.items(), key=lambda kv: -kv[1])[:12]:
        out.write(f"  {rule_code}: {count:,}\n")
