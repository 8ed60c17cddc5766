"""Command line: the same engine as the wizard, for specialists' scripts.

One module per command (``validate``, ``fix``, ``sources``, ``rules``, ``package``, ``verify``,
``gui``), each with its ``add_parser`` and ``run``; what they share (exit codes, errors in
plain English, the progress bar, the summary) is in :mod:`migration_assistant.cli.common`.

Exit codes (DESIGN.md): 0 nothing at or above --fail-on; 1 something is; 2 could not run
(one plain line on stderr, never a traceback).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence

from migration_assistant import APP_ID, __version__
from migration_assistant.cli import fix, gui, package, rules, sources, validate, verify
from migration_assistant.cli.common import (
    EXIT_ERROR,
    EXIT_FINDINGS,
    EXIT_OK,
    CliError,
    fail,
    plain_message,
)

# numpy's OpenBLAS starts a thread per core when it loads, which costs start-up time, and the
# app does no linear algebra. Set before numpy is first imported (an explicit setting wins):
# the command modules above import the engine only inside their functions.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "gui": gui.run,
    "sources": sources.run,
    "rules": rules.run,
    "validate": validate.run,
    "fix": fix.run,
    "package": package.run,
    "verify": verify.run,
}
"""Each command's name and what runs it, in the order ``--help`` lists them."""


def build_parser() -> argparse.ArgumentParser:
    """The ``migration-assistant`` parser, with every command's sub-parser."""
    parser = argparse.ArgumentParser(
        prog=APP_ID,
        description="Checks a law firm's data export offline and seals it for the migration specialist. "
        "Run without arguments to open the wizard.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command")
    for module in (gui, sources, rules, validate, fix, package, verify):
        module.add_parser(sub)
    return parser


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
    """Run one command as the ``migration-assistant`` command would, and give its exit code."""
    args = build_parser().parse_args(argv)
    if args.command is not None and args.command != "gui":
        _log_to_file()
    try:
        if args.command is None:
            return gui.open_wizard(sample=False)
        return COMMANDS[args.command](args)
    except CliError as exc:
        return fail(str(exc))
    except KeyboardInterrupt:
        return fail("cancelled")
    except Exception as exc:
        return fail(plain_message(exc))


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


__all__ = [
    "COMMANDS",
    "EXIT_ERROR",
    "EXIT_FINDINGS",
    "EXIT_OK",
    "EXIT_PIPE_CLOSED",
    "CliError",
    "build_parser",
    "main",
    "run",
]
