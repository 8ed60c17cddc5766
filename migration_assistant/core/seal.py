"""Sealing a finished check into the specialist's package, the one way both front ends do it.

:func:`iter_seal` adds up the balances once, renders the HTML and Excel reports with the
balances, the timeline and the checklist, and hands them to
:func:`~migration_assistant.core.handoff.iter_package`, which assembles the bag (with the
same balances), seals, self-checks and saves it. The wizard's Package page and the
``package`` command both call it, so one export makes the same package either way.
Nothing is written to disk but the package: the reports go into it from memory.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Generator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from migration_assistant.core.balances import Balances
    from migration_assistant.core.checklist import Checklist
    from migration_assistant.core.handoff import FirmDetails
    from migration_assistant.core.package import PackageProgress, PackageResult
    from migration_assistant.core.results import ValidationResult
    from migration_assistant.core.timeline import Timeline


def iter_seal(
    result: ValidationResult,
    checklist: Checklist,
    out: Path,
    *,
    details: FirmDetails,
    recipients: list[str],
    passphrase: str | None = None,
    timeline: Timeline | None = None,
    balances: Balances | None = None,
    cancel: Callable[[], bool] | None = None,
    overwrite: bool = False,
) -> Generator[PackageProgress, None, PackageResult]:
    """Write the reports in memory, then seal, self-check and save the package at *out*.

    Args:
        result: A finished check.
        checklist: Its limitations checklist, with who acknowledged what (the gate).
        out: The package file to create.
        details: The firm's name and contact, for ``bag-info.txt``.
        recipients: Public keys to seal for.
        passphrase: Seal with this passphrase instead (or as well), or None.
        timeline: The dated plan for the report (planned from the findings, in the US, when None).
        balances: The balances brought forward, when already added up (added up here when None).
        cancel: Polled while sealing; True stops and removes the partial file.
        overwrite: Replace an existing file at *out* (only once the new package has verified).

    Raises:
        GateClosed: Blocking problems are neither fixed nor accepted on the checklist.
        PackageError: The package could not be written or did not verify (the message says why).
    """
    # Looked up when sealing, so tests can slow the packaging step or make it fail.
    from migration_assistant.core import handoff
    from migration_assistant.core.balances import compute_balances
    from migration_assistant.core.checklist import fixes_applied_by
    from migration_assistant.core.package import PackageProgress, Phase
    from migration_assistant.core.reports.html_report import render_html
    from migration_assistant.core.reports.xlsx_report import iter_xlsx_bytes
    from migration_assistant.core.steps import relabel
    from migration_assistant.core.timeline import plan_for_report

    handoff.check_gate(checklist)  # before any work: a closed gate is the user's to open
    signer = fixes_applied_by(checklist)
    if result.fix_log is not None and not result.fix_log.applied_by and signer:
        # Signed once here, so the reports and the sealed log all name who applied the fixes.
        result = dataclasses.replace(result, fix_log=result.fix_log.signed(signer))
    if balances is None:
        yield PackageProgress(Phase.PREPARING, 0, 2, "the balances brought forward")
        balances = compute_balances(result.dataset)
    yield PackageProgress(Phase.PREPARING, 0, 2, "the findings report")
    plan = timeline or plan_for_report(result.report)
    html = render_html(result, timeline=plan, checklist=checklist, balances=balances).encode("utf-8")
    yield PackageProgress(Phase.PREPARING, 1, 2, "the Excel workbook")
    # A big export's workbook takes a while: its progress is shown, and Cancel stops it.
    xlsx = yield from relabel(
        iter_xlsx_bytes(result, balances=balances),
        lambda step: PackageProgress(
            Phase.PREPARING,
            1000 + int(1000 * step.fraction),
            2000,
            f"the Excel workbook ({step.fraction:.0%})",
        ),
    )
    package: PackageResult = yield from handoff.iter_package(
        result,
        checklist,
        out,
        details=details,
        recipients=recipients,
        passphrase=passphrase,
        timeline=plan,
        balances=balances,
        html=html,
        xlsx=xlsx,
        cancel=cancel,
        overwrite=overwrite,
    )
    return package
