"""Sealing and opening packages, as ops for :func:`~migration_assistant.gui.workers.run_op`.

Each op is a plain function of the cancel check that returns a generator of progress
items; the engine functions are looked up when the op runs, so tests can swap
``handoff.iter_package`` or ``package.iter_verify_package`` for slow ones. Sealing is the
engine's one seal pipeline, the same the ``package`` command runs. Nothing here
touches a widget, and nothing writes plaintext to disk: the reports go into the
package from memory, and a package is read for display in memory only.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from migration_assistant.core.api import (
        Balances,
        Checklist,
        PackageContents,
        PackageResult,
        Timeline,
        ValidationResult,
        VerifyResult,
    )


@dataclass(frozen=True, slots=True)
class SealRequest:
    """What the Package page asks for.

    Attributes:
        out: The package file to create.
        firm: The firm's name (bag-info.txt).
        contact: The firm's contact e-mail (bag-info.txt).
        recipients: Public keys to seal for: the specialist's (if any) and the firm's own.
        passphrase: Seal with this passphrase instead of a specialist key, or None.
        overwrite: Replace an existing file at *out* (the user confirmed it).
    """

    out: Path
    firm: str
    contact: str
    recipients: tuple[str, ...]
    passphrase: str | None = None
    overwrite: bool = False


def package_op(
    result: ValidationResult,
    checklist: Checklist,
    request: SealRequest,
    *,
    timeline: Timeline | None = None,
    balances: Balances | None = None,
) -> Callable[[Callable[[], bool]], Generator[Any, None, PackageResult]]:
    """Seal the check the way the ``package`` command does (:func:`~migration_assistant.core.api.iter_seal`):
    the reports in memory with the balances, the timeline and the checklist, then the package
    sealed, self-checked and saved."""

    def op(cancelled: Callable[[], bool]) -> Generator[Any, None, PackageResult]:
        from migration_assistant.core import api

        package: PackageResult = yield from api.iter_seal(
            result,
            checklist,
            request.out,
            details=api.FirmDetails(firm=request.firm, contact=request.contact),
            recipients=list(request.recipients),
            passphrase=request.passphrase,
            timeline=timeline,
            balances=balances,
            cancel=cancelled,
            overwrite=request.overwrite,
        )
        return package

    return op


@dataclass(frozen=True, slots=True)
class Unlock:
    """How to open a package: a key file, a passphrase, or (neither given) the firm's own key."""

    key_file: Path | None = None
    passphrase: str | None = None

    def kwargs(self) -> dict[str, Any]:
        from migration_assistant.core.api import KeystoreError, existing_firm_identity

        if self.key_file is not None:
            return {"identity_file": self.key_file}
        if self.passphrase is not None:
            return {"passphrase": self.passphrase}
        # Opening a package only reads: it never creates a firm key to try.
        identity = existing_firm_identity()
        if identity is None:
            raise KeystoreError(
                "No firm key is kept on this computer: open the package with the specialist's key file "
                "or the package's passphrase."
            )
        return {"identity": identity}


@dataclass(frozen=True, slots=True)
class Opened:
    """A package checked (and perhaps extracted), with what it says read into data."""

    result: VerifyResult
    contents: PackageContents


def open_op(
    path: Path, unlock: Unlock, extract_to: Path | None = None
) -> Callable[[Callable[[], bool]], Generator[Any, None, Opened]]:
    """Decrypt and check every checksum in one pass, keeping the small summary files in memory."""

    def op(cancelled: Callable[[], bool]) -> Generator[Any, None, Opened]:
        from migration_assistant.core import api

        result: VerifyResult = yield from api.iter_verify_package(
            path,
            extract_to=extract_to,
            cancel=cancelled,
            capture=api.CONTENT_FILES,
            **unlock.kwargs(),
        )
        return Opened(result, api.read_contents(result.captured))

    return op
