"""The ``gui`` command (and no command at all): open the wizard.

The wizard is imported only here, and only when asked for, so that the other commands
never load Qt (the one import of the wizard that the layers contract in pyproject allows).
"""

from __future__ import annotations

import argparse

from migration_assistant.cli.common import CliError


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    gui = sub.add_parser("gui", help="open the wizard")
    gui.add_argument("--sample", action="store_true", help="start on the bundled sample export")


def open_wizard(sample: bool) -> int:
    """Run the wizard until it is closed; its exit code is the command's."""
    try:
        from migration_assistant.gui.app import run_gui
    except ImportError as exc:
        raise CliError(f"the wizard cannot start: {exc}") from exc
    return run_gui(sample=sample)


def run(args: argparse.Namespace) -> int:
    return open_wizard(sample=args.sample)
