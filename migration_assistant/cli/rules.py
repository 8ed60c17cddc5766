"""The ``rules`` command: the catalogue of finding codes."""

from __future__ import annotations

import argparse
import json
import sys

from migration_assistant.cli.common import EXIT_OK, write_console


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    rules = sub.add_parser("rules", help="list every finding code: what it means and what to do")
    rules.add_argument("--json", action="store_true", help="machine-readable output")


def run(args: argparse.Namespace) -> int:
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
    write_console("\n".join(lines) + "\n", sys.stdout)
    return EXIT_OK
