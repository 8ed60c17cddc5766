"""The ``package`` command: check an export and seal it in an encrypted package (DESIGN.md: the package).

Exit 0 only when the package was written and verified.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from migration_assistant.cli.common import EXIT_OK, CliError, drive, mapping_choices, read_secret


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    pkg = sub.add_parser("package", help="check an export and seal it in an encrypted package")
    pkg.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="files or folders of the export")
    pkg.add_argument("--sample", action="store_true", help="package the bundled sample export")
    pkg.add_argument("--source", required=True, help="source system id (see `sources`), or auto")
    pkg.add_argument("--out", required=True, type=Path, metavar="FILE", help="the package file to write")
    key = pkg.add_mutually_exclusive_group(required=True)
    key.add_argument(
        "--recipient", action="append", metavar="AGE_PUBLIC_KEY", help="the specialist's age key"
    )
    key.add_argument("--passphrase-file", type=Path, metavar="FILE", help="a file holding the passphrase")
    pkg.add_argument("--firm", default="", help="the firm's name, for bag-info.txt")
    pkg.add_argument("--contact", default="", help="the firm's contact e-mail, for bag-info.txt")
    pkg.add_argument(
        "--acknowledge", metavar="NAME", help="sign off every checklist item in this person's name"
    )
    pkg.add_argument("--mapping", type=Path, help="a saved column mapping (JSON) to apply")
    pkg.add_argument(
        "--fixes",
        type=Path,
        metavar="LOG",
        help="apply a fix log made by `fix` and seal it with the fixed data",
    )
    pkg.add_argument("--country", default="US", help="country for public holidays in the timeline")
    pkg.add_argument("--subdiv", default=None, help="state or province for public holidays")
    pkg.add_argument("--no-firm-key", action="store_true", help="do not also seal to the firm's own key")
    pkg.add_argument("--quiet", action="store_true", help="no progress bar")


def _package(args: argparse.Namespace) -> int:
    from migration_assistant.core.api import (
        FirmDetails,
        GateClosed,
        StaleFixLog,
        build_checklist,
        firm_identity_storage,
        firm_recipient,
        iter_seal,
        iter_validate,
        plan_for_report,
        sample_export_dir,
    )

    paths: list[Path] = list(args.paths) + ([sample_export_dir()] if args.sample else [])
    if not paths:
        raise CliError("give at least one file or folder to package (or --sample)")
    passphrase = read_secret(args.passphrase_file) if args.passphrase_file else None
    source, columns, roles = mapping_choices(args.source, args.mapping)
    show = not args.quiet and sys.stderr.isatty()
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
    checklist = build_checklist(result)
    if args.acknowledge:
        checklist.acknowledge_all(args.acknowledge)
    timeline = plan_for_report(result.report, country=args.country, subdiv=args.subdiv)
    recipients = list(args.recipient or [])
    firm_key_note = ""
    if not args.no_firm_key:
        recipients.append(firm_recipient())
        storage = firm_identity_storage()
        if not storage.persisted:
            firm_key_note = (
                f"  note: the firm's own key is kept {storage.where}; you will not be able to reopen this "
                "package yourself after that\n"
            )
    try:
        # The wizard seals through the same call: the same export makes the same package.
        package = drive(
            iter_seal(
                result,
                checklist,
                args.out,
                details=FirmDetails(firm=args.firm, contact=args.contact),
                recipients=recipients,
                passphrase=passphrase,
                timeline=timeline,
            ),
            show,
            sys.stderr,
        )
    except GateClosed as exc:
        raise CliError(str(exc)) from exc
    sys.stdout.write(
        f"Package written and verified: {package.path}\n"
        f"  size {package.size:,} bytes, sha256 {package.sha256}\n"
        f"  {package.payload_files} files; sealed with {package.sealed_with}\n"
    )
    sys.stdout.write(firm_key_note)
    if not checklist.complete:
        sys.stdout.write(
            f"  note: {len(checklist.outstanding())} checklist item(s) are not acknowledged "
            "(use --acknowledge NAME to sign them off)\n"
        )
    return EXIT_OK


def run(args: argparse.Namespace) -> int:
    from migration_assistant.core.api import PackageError

    try:
        return _package(args)
    except PackageError as exc:
        raise CliError(str(exc)) from exc
