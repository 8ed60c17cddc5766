"""The ``verify`` command: decrypt a package and check every checksum (DESIGN.md: the package).

Exit 0 when every checksum holds, 1 when anything is missing, altered or cannot be decrypted.
Verifying only reads: it never creates or stores a key.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from migration_assistant.cli.common import EXIT_FINDINGS, EXIT_OK, CliError, drive, read_secret


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    ver = sub.add_parser("verify", help="decrypt a package and check every checksum")
    ver.add_argument("file", type=Path, metavar="FILE")
    vkey = ver.add_mutually_exclusive_group()
    vkey.add_argument(
        "--identity", type=Path, metavar="KEY_FILE", help="an age identity file (AGE-SECRET-KEY-…)"
    )
    vkey.add_argument("--passphrase-file", type=Path, metavar="FILE", help="a file holding the passphrase")
    ver.add_argument("--extract", type=Path, metavar="DIR", help="also extract the verified bag here")
    ver.add_argument("--quiet", action="store_true", help="no progress bar")


def _verify(args: argparse.Namespace) -> int:
    from migration_assistant.core.api import existing_firm_identity, iter_verify_package

    kwargs: dict[str, object] = {}
    if args.identity:
        kwargs["identity_file"] = args.identity
    elif args.passphrase_file:
        kwargs["passphrase"] = read_secret(args.passphrase_file)
    else:
        # Verifying only reads: it must never create (and store) a firm key to try.
        identity = existing_firm_identity()
        if identity is None:
            raise CliError(
                "this package needs the specialist's key file (--identity) or the package's passphrase "
                "(--passphrase-file); no firm key is kept on this computer"
            )
        kwargs["identity"] = identity
    show = not args.quiet and sys.stderr.isatty()
    result = drive(iter_verify_package(args.file, extract_to=args.extract, **kwargs), show, sys.stderr)  # type: ignore[arg-type]
    sys.stdout.write(result.summary() + "\n")
    for problem in result.problems:
        sys.stdout.write(f"  {problem.kind.name.lower()}: {problem.message}\n")
    if result.ok and args.extract:
        sys.stdout.write(f"Extracted to {result.extracted_to}\n")
    return EXIT_OK if result.ok else EXIT_FINDINGS


def run(args: argparse.Namespace) -> int:
    from migration_assistant.core.api import PackageError

    try:
        return _verify(args)
    except PackageError as exc:
        raise CliError(str(exc)) from exc
