"""The ``fix`` command: make the fixes that are certain, write fixed copies and the fix log.

The originals are never changed: the fixed copies go into a folder of their own (refused if it
is, holds or lies inside what was given), with the log of every changed cell. ``validate
--fixes LOG`` and ``package --fixes LOG`` check and seal with such a log, as the wizard does.
Exit codes as for ``validate``: 0 when no finding left after the fixes is at or above
``--fail-on``, 1 when one is, 2 when it could not run.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from migration_assistant.cli.common import (
    EXIT_OK,
    CliError,
    drive,
    exit_code,
    mapping_choices,
    print_problems,
    write_console,
)

if TYPE_CHECKING:
    from migration_assistant.core.api import FixLog
    from migration_assistant.core.results import ValidationResult

LOG_NAME = "fix-log.json"


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    fix = sub.add_parser(
        "fix", help="fix what is certain; write fixed copies and a log (originals untouched)"
    )
    fix.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="files or folders of the export")
    fix.add_argument("--sample", action="store_true", help="fix the bundled sample export")
    fix.add_argument("--out", type=Path, metavar="DIR", help="a new or empty folder for the fixed copies")
    fix.add_argument(
        "--only", nargs="+", metavar="CODE", help="make only these fixes (codes as listed by --list)"
    )
    fix.add_argument("--dry-run", action="store_true", help="say what would be fixed; write no copies")
    fix.add_argument(
        "--log", type=Path, metavar="FILE", help=f"where to write the fix log (default DIR/{LOG_NAME})"
    )
    fix.add_argument("--list", action="store_true", help="list the fixes and the findings each resolves")
    fix.add_argument("--source", default="auto", help="source system id (see `sources`), or auto")
    fix.add_argument("--mapping", type=Path, help="a saved column mapping (JSON) to apply")
    fix.add_argument(
        "--privacy", action="store_true", help="mask client data in the changes and problems listed"
    )
    fix.add_argument(
        "--fail-on",
        default="blocker",
        choices=["blocker", "error", "warning", "info"],
        help="exit 1 when a finding left after the fixes is at or above this severity (default blocker)",
    )
    fix.add_argument("--quiet", action="store_true", help="no progress bar and no list of changes")


def _list(out: TextIO) -> int:
    from migration_assistant.core.api import FIXES

    for unit in FIXES:
        resolves = ", ".join(unit.fixes) if unit.fixes else "no finding (a tidy-up)"
        write_console(f"{unit.code}: {unit.title}. Resolves: {resolves}.\n  {unit.description}\n", out)
    return EXIT_OK


def print_changes(log: FixLog, out: TextIO, *, privacy: bool, limit: int = 20) -> None:
    """The first changes, one per line (``file[sheet]:row: column: before -> after  [fix]``)."""
    if not len(log):
        return
    from migration_assistant.core.privacy import mask_fix_values

    lines = [""]
    for n, entry in enumerate(log.entries()):
        if n == limit:
            lines.append(f"… and {len(log) - limit:,} more in the fix log")
            break
        before, after = mask_fix_values(entry.before, entry.after) if privacy else (entry.before, entry.after)
        where = entry.file + (f"[{entry.sheet}]" if entry.sheet else "")
        lines.append(
            " ".join(
                f"{where}:{entry.row}: {entry.column}: “{before}” → “{after}”  [{entry.fix}]".splitlines()
            )
        )
    write_console("\n".join(lines) + "\n", out)


def print_fix_summary(result: ValidationResult, out: TextIO) -> None:
    """How many cells each fix changed and how many findings they resolved."""
    log = result.fix_log
    report = result.report
    counts = log.counts() if log is not None else {}
    if not counts:
        out.write("Fixed: nothing (no fix is certain for these files)\n")
        return
    out.write(f"Fixed: {sum(counts.values()):,} cells, resolving {len(report.fixed):,} findings\n")
    for code, count in counts.items():
        out.write(f"  {code}: {count:,} cells\n")
    left = report.summary()
    out.write("Problems left: " + ", ".join(f"{v:,} {k}" for k, v in left.items()) + "\n")


def run(args: argparse.Namespace) -> int:
    if args.list:
        return _list(sys.stdout)
    from migration_assistant.core.api import (
        FixLogError,
        FixOutError,
        UnknownFix,
        check_out_folder,
        iter_fix,
        sample_export_dir,
        write_fixed_copies,
    )
    from migration_assistant.core.atomic import write_text
    from migration_assistant.core.findings import Severity

    paths: list[Path] = list(args.paths) + ([sample_export_dir()] if args.sample else [])
    if not paths:
        raise CliError("give at least one file or folder to fix (or --sample)")
    if args.out is None and not args.dry_run:
        raise CliError("give --out DIR, a new or empty folder for the fixed copies (or --dry-run)")
    source, columns, roles = mapping_choices(args.source, args.mapping)
    try:
        if args.out is not None:
            check_out_folder(args.out, paths)  # before the work, not after it
        if args.log is not None:
            _check_log_path(args.log, paths)
        show = not args.quiet and sys.stderr.isatty()
        result = drive(
            iter_fix(paths, source, only=args.only, mappings=columns, roles=roles), show, sys.stderr
        )
        log = result.fix_log
        if not args.dry_run:
            assert args.out is not None
            written = write_fixed_copies(result, args.out, paths)
            log_path = args.log or args.out / LOG_NAME
            if log is not None:
                write_text(log_path, log.to_json_text())
            rewritten = sum(1 for w in written if w.fixed)
            sys.stdout.write(
                f"Fixed copies written to {args.out} ({rewritten} rewritten, {len(written) - rewritten} copied "
                f"unchanged); fix log {log_path if log is not None else 'not written (nothing fixed)'}\n"
            )
    except (FixOutError, UnknownFix, FixLogError) as exc:
        raise CliError(str(exc)) from exc
    print_fix_summary(result, sys.stdout)
    if not args.quiet and log is not None:
        print_changes(log, sys.stdout, privacy=args.privacy)
        print_problems(result.report, sys.stdout, privacy=args.privacy)
    threshold = Severity.parse(args.fail_on)
    return exit_code(result.report, threshold)


def _check_log_path(log: Path, given: list[Path]) -> None:
    """The log is never written over a file given, nor into a folder given (it would be read as data)."""
    target = log.expanduser().resolve()
    for path in given:
        real = path.expanduser().resolve()
        if target == real or (real.is_dir() and real in target.parents):
            raise CliError(
                f"the fix log {log} would be written over or among the files given: choose another place"
            )


def load_log(path: Path) -> FixLog:
    """The fix log of ``--fixes``, or a plain :class:`CliError`."""
    from migration_assistant.core.api import FixLog, FixLogError

    try:
        return FixLog.load(path)
    except FixLogError as exc:
        raise CliError(f"the fix log cannot be used: {exc}") from exc
