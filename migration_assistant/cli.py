"""Command line: the same engine as the wizard, for specialists' scripts.

Exit codes (DESIGN.md): 0 nothing at or above --fail-on; 1 something is; 2 could not run
(one plain line on stderr, never a traceback).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Generator, Sequence
from pathlib import Path
from typing import TextIO, TypeVar

from migration_assistant import APP_ID, __version__

# numpy's OpenBLAS starts a thread per core when it loads, which costs start-up time, and the
# app does no linear algebra. Set before numpy is first imported (an explicit setting wins).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
T = TypeVar("T")


class CliError(Exception):
    """A problem to report in one line with exit code 2."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=APP_ID,
        description="Checks a law firm's data export offline and seals it for the migration specialist. "
        "Run without arguments to open the wizard.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command")

    gui = sub.add_parser("gui", help="open the wizard")
    gui.add_argument("--sample", action="store_true", help="start on the bundled sample export")

    sources = sub.add_parser("sources", help="list the source systems")
    sources.add_argument("--json", action="store_true", help="machine-readable output")

    rules = sub.add_parser("rules", help="list every finding code: what it means and what to do")
    rules.add_argument("--json", action="store_true", help="machine-readable output")

    val = sub.add_parser("validate", help="check an export and report every problem")
    val.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="files or folders of the export")
    val.add_argument("--sample", action="store_true", help="check the bundled sample export")
    val.add_argument("--source", default="auto", help="source system id (see `sources`), or auto")
    val.add_argument("--mapping", type=Path, help="a saved column mapping (JSON) to apply")
    val.add_argument("--json", type=Path, dest="json_out", metavar="FILE", help="write findings as JSON")
    val.add_argument("--html", type=Path, metavar="FILE", help="write the HTML report")
    val.add_argument("--xlsx", type=Path, metavar="FILE", help="write the Excel report")
    val.add_argument(
        "--balances", type=Path, metavar="FILE", help="write the balances brought forward as CSV"
    )
    val.add_argument("--privacy", action="store_true", help="mask client data in the HTML and Excel reports")
    val.add_argument(
        "--country", default="US", help="country for public holidays in the timeline (default US)"
    )
    val.add_argument("--subdiv", default=None, help="state or province for public holidays, e.g. NY or ON")
    val.add_argument(
        "--fail-on",
        default="blocker",
        choices=["blocker", "error", "warning", "info"],
        help="exit 1 when a finding is at or above this severity (default blocker)",
    )
    val.add_argument("--quiet", action="store_true", help="no progress bar")

    from migration_assistant.cli_package import add_parsers

    add_parsers(sub)
    return parser


def _drive(gen: Generator[object, None, T], show: bool, stream: TextIO) -> T:
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


def _large(paths: list[Path]) -> bool:
    total = 0
    for path in paths:
        if path.is_dir():
            total += sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
        elif path.exists():
            total += path.stat().st_size
    return total > 5_000_000


def cmd_validate(args: argparse.Namespace) -> int:
    from migration_assistant.core.api import discard_read_ahead, read_ahead, sample_export_dir

    paths: list[Path] = list(args.paths)
    if args.sample:
        paths.append(sample_export_dir())
    if not paths:
        raise CliError("give at least one file or folder to check (or --sample)")
    # pyarrow can read the big files while pandas loads (below): that half needs no pandas.
    read_ahead(paths)

    from migration_assistant.core.api import iter_validate
    from migration_assistant.core.findings import Severity

    source = args.source
    columns: dict[str, dict[str, str]] | None = None
    roles: dict[str, str] | None = None
    if args.mapping:
        from migration_assistant.core.api import load_mapping_file

        saved = load_mapping_file(args.mapping)
        columns, roles = saved.columns, saved.roles
        if source == "auto" and saved.source:
            source = saved.source
    show = not args.quiet and (_large(paths) or sys.stderr.isatty())
    try:
        result = _drive(iter_validate(paths, source, mappings=columns, roles=roles), show, sys.stderr)
    finally:
        discard_read_ahead()  # anything not taken (the run stopped early) is let go
    report = result.report
    if args.json_out:
        from migration_assistant.core.atomic import atomic_write

        with atomic_write(args.json_out) as fh:
            report.write_json(fh)  # type: ignore[arg-type]  # a text file: mode "w"
    if args.html or args.xlsx or args.balances:
        from migration_assistant.core.api import (
            build_checklist,
            compute_balances,
            plan_for_report,
            write_html,
            write_xlsx,
        )

        balances = compute_balances(result.dataset)
        if args.balances:
            balances.to_csv(args.balances)
        if args.html:
            timeline = plan_for_report(report, country=args.country, subdiv=args.subdiv)
            checklist = build_checklist(result)
            write_html(
                result,
                args.html,
                privacy=args.privacy,
                balances=balances,
                timeline=timeline,
                checklist=checklist,
            )
        if args.xlsx:
            write_xlsx(result, args.xlsx, balances=balances, privacy=args.privacy)
    _print_summary(result, sys.stdout)
    threshold = Severity.parse(args.fail_on)
    return EXIT_FINDINGS if any(True for _ in report.at_or_above(threshold)) else EXIT_OK


def _print_summary(result: object, out: TextIO) -> None:
    from migration_assistant.core.findings import encoding_label
    from migration_assistant.core.results import ValidationResult

    assert isinstance(result, ValidationResult)
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
    by_rule = report.rule_counts()
    for rule_code, count in sorted(by_rule.items(), key=lambda kv: -kv[1])[:12]:
        out.write(f"  {rule_code}: {count:,}\n")


def cmd_sources(args: argparse.Namespace) -> int:
    from migration_assistant.core.api import load_catalog

    catalog, problems = load_catalog()
    if args.json:
        data = [
            {
                "id": p.id,
                "name": p.name,
                "kind": p.kind,
                "summary": p.summary,
                "exports": [
                    {
                        "entity": e.entity,
                        "what": e.what,
                        "how": e.how,
                        "format": e.format,
                        "file_names": list(e.file_names),
                        "required": e.required,
                    }
                    for e in p.exports
                ],
                "limitations": [
                    {
                        "id": lim.id,
                        "what": lim.what,
                        "why": lim.why,
                        "instead": lim.instead,
                        "source": lim.source,
                    }
                    for lim in p.limitations
                ],
                "guide": [{"title": g.title, "text": g.text} for g in p.guide],
                "sources": list(p.sources),
            }
            for p in sorted(catalog.values(), key=lambda p: p.name.casefold())
        ]
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    else:
        for p in sorted(catalog.values(), key=lambda p: p.name.casefold()):
            exports = ", ".join(sorted({e.entity for e in p.exports}))
            sys.stdout.write(f"{p.id:<22} {p.name}\n{'':<22} exports: {exports}\n")
    for problem in problems:
        sys.stderr.write(f"warning: {problem}\n")
    return EXIT_OK


def cmd_rules(args: argparse.Namespace) -> int:
    """The catalogue of finding codes: grouped by stage, each with its severity, title, meaning and fix."""
    import textwrap

    from migration_assistant.core.api import catalogue, stages

    entries = list(catalogue().values())
    if args.json:
        # ASCII-escaped: the same JSON, and writable to any console or redirected file.
        sys.stdout.write(json.dumps([e.to_json() for e in entries], indent=2) + "\n")
        return EXIT_OK
    lines: list[str] = []
    for stage, heading in stages().items():
        lines += [heading, "=" * len(heading)]
        for e in (e for e in entries if e.stage == stage):
            severity = e.severity.word + (" (varies)" if e.varies else "")
            lines.append(f"{e.code:<28} {severity:<18} {e.title}")
            for label, text in (("What it means", e.meaning), ("What to do", e.action)):
                lines += textwrap.wrap(
                    f"{label}: {text}", width=100, initial_indent="    ", subsequent_indent="    "
                )
        lines.append("")
    lines.append("(varies): the code is also reported at other severities; its entry says when.")
    text = "\n".join(lines) + "\n"
    # A console or file in a legacy encoding gets "?" for a character it cannot show, not a failure.
    encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
    sys.stdout.write(text.encode(encoding, errors="replace").decode(encoding))
    return EXIT_OK


def cmd_gui(sample: bool) -> int:
    try:
        from migration_assistant.gui.app import run_gui
    except ImportError as exc:
        raise CliError(f"the wizard cannot start: {exc}") from exc
    return run_gui(sample=sample)


def _log_to_file() -> None:
    """Warnings go to the app's log file (never to the terminal: stderr carries one plain line)."""
    import logging

    from migration_assistant.core.paths import log_dir

    root = logging.getLogger()
    if any(getattr(h, "_ma_cli", False) for h in root.handlers):
        return
    try:
        handler: logging.Handler = logging.FileHandler(
            log_dir() / "migration-assistant-cli.log", encoding="utf-8"
        )
    except OSError:
        handler = logging.NullHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler._ma_cli = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > logging.WARNING:
        root.setLevel(logging.WARNING)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command is not None and args.command != "gui":
        _log_to_file()
    try:
        if args.command is None:
            return cmd_gui(sample=False)
        if args.command == "gui":
            return cmd_gui(sample=args.sample)
        if args.command == "sources":
            return cmd_sources(args)
        if args.command == "rules":
            return cmd_rules(args)
        if args.command == "validate":
            return cmd_validate(args)
        if args.command in ("package", "verify"):
            from migration_assistant import cli_package

            return cli_package.run(args)
    except CliError as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        return _fail("cancelled")
    except Exception as exc:
        return _fail(_plain(exc))
    return EXIT_ERROR


def _plain(exc: Exception) -> str:
    """The one line to print for *exc*.

    A closed output pipe (``validate ... | head``) is not a failure to describe: it is
    raised again, for :func:`run` to end the command quietly.
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


def _fail(message: str) -> int:
    sys.stderr.write(f"migration-assistant: {message}\n")
    return EXIT_ERROR


def run() -> None:
    """The ``migration-assistant`` command: :func:`main`, then a quick exit after ``validate``.

    A validation of a large export leaves a gigabyte of columns behind, and tearing the
    interpreter down frees them one object at a time (a tenth of a second or more). Once
    the report is written and the output and the log are flushed, nothing is left to
    save, so ``validate`` ends the process at once. Other commands exit normally (the
    wizard's settings are written on the way out).
    """
    argv = sys.argv[1:]
    try:
        code = main(argv)
        if sys.stdout is not None:  # None in a windowed build
            sys.stdout.flush()
    except BrokenPipeError:
        code = _output_closed()
    if argv[:1] == ["validate"]:
        import contextlib
        import logging

        logging.shutdown()
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(OSError, ValueError):  # a closed pipe (``| head``): nothing to add
                stream.flush()
        os._exit(code)
    raise SystemExit(code)


EXIT_PIPE_CLOSED = 141
"""128 + SIGPIPE: what a shell reports for a Unix tool whose reader went away (``yes | head``).

Python's own recipe exits 1, which this command's contract keeps for "findings at or
above --fail-on"; 141 says the output was cut off, not what the check found."""


def _output_closed() -> int:
    """The reader of standard output went away (``| head`` had its lines): end quietly.

    The recipe of the Python documentation (signal module, "Note on SIGPIPE"): point
    standard output at the null device so the flush at exit does not fail again, and
    leave SIGPIPE alone. Nothing goes to stderr: the user closed the pipe on purpose.
    """
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return EXIT_PIPE_CLOSED


if __name__ == "__main__":
    run()
