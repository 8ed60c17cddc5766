"""The ``sources`` command: the source systems, what each exports and what it cannot migrate."""

from __future__ import annotations

import argparse
import json
import sys

from migration_assistant.cli.common import EXIT_OK


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sources = sub.add_parser("sources", help="list the source systems")
    sources.add_argument("--json", action="store_true", help="machine-readable output")


def run(args: argparse.Namespace) -> int:
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
