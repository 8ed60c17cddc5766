"""The ``validate`` command: check an export, write the reports asked for, say what is wrong.

Exit 0 when no finding is at or above ``--fail-on`` (default blocker), 1 when one is.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from migration_assistant.cli.common import (
    CliError,
    drive,
    exit_code,
    mapping_choices,
    print_problems,
    print_summary,
)


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    val = sub.add_parser("validate", help="check an export and report every problem")
    val.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="files or folders of the export")
    val.add_argument("--sample", action="store_true", help="check the bundled sample export")
    val.add_argument("--source", default="auto", help="source system id (see `sources`), or auto")
    val.add_argument("--mapping", type=Path, help="a saved column mapping (JSON) to apply")
    val.add_argument(
        "--fixes", type=Path, metavar="LOG", help="apply a fix log made by `fix` (in memory) before checking"
    )
    val.add_argument("--json", type=Path, dest="json_out", metavar="FILE", help="write findings as JSON")
    val.add_argument("--html", type=Path, metavar="FILE", help="write the HTML report")
    val.add_argument("--xlsx", type=Path, metavar="FILE", help="write the Excel report")
    val.add_argument(
        "--balances", type=Path, metavar="FILE", help="write the balances brought forward as CSV"
    )
    val.add_argument(
        "--privacy",
        action="store_true",
        help="mask client data in the HTML and Excel reports and in the problems listed",
    )
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
    val.add_argument(
        "--quiet", action="store_true", help="no progress bar and no list of problems (the summary stays)"
    )


def _large(paths: list[Path]) -> bool:
    total = 0
    for path in paths:
        if path.is_dir():
            total += sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
        elif path.exists():
            total += path.stat().st_size
    return total > 5_000_000


def run(args: argparse.Namespace) -> int:
    from migration_assistant.core.api import discard_read_ahead, read_ahead, sample_export_dir

    paths: list[Path] = list(args.paths)
    if args.sample:
        paths.append(sample_export_dir())
    if not paths:
        raise CliError("give at least one file or folder to check (or --sample)")
    # pyarrow can read the big files while pandas loads (below): that half needs no pandas.
    read_ahead(paths)

    from migration_assistant.core.api import StaleFixLog, iter_validate
    from migration_assistant.core.findings import Severity

    source, columns, roles = mapping_choices(args.source, args.mapping)
    show = not args.quiet and (_large(paths) or sys.stderr.isatty())
    fixes = None
    if args.fixes:
        from migration_assistant.cli.fix import load_log

        fixes = load_log(args.fixes)
    try:
        result = drive(
            iter_validate(paths, source, mappings=columns, roles=roles, fixes=fixes), show, sys.stderr
        )
    except StaleFixLog as exc:
        raise CliError(str(exc)) from exc
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
    print_summary(result, sys.stdout)
    if fixes is not None:
        from migration_assistant.cli.fix import print_fix_summary

        print_fix_summary(result, sys.stdout)
    if not args.quiet:
        print_problems(report, sys.stdout, privacy=args.privacy)
    threshold = Severity.parse(args.fail_on)
    return exit_code(report, threshold)
