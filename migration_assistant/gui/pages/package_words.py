"""What the Package page says: its progress steps, why a package was not made, the file's default name."""

from __future__ import annotations

import datetime as dt
import logging
import re
from pathlib import Path
from typing import TYPE_CHECKING

from migration_assistant.gui.crash import safe_details

if TYPE_CHECKING:
    from migration_assistant.core.api import PackageProgress

log = logging.getLogger(__name__)

PHASE_WORDS = {
    "preparing": "Preparing: writing {current} and listing your files…",
    "sealing": "Sealing (encrypting): {current}",
    "checking": "Checking: opening the sealed package again to make sure every file is intact…",
}


def phase_text(progress: PackageProgress) -> str:
    """The step under the progress bar, naming the file at hand without its ``data/`` folder."""
    if progress.busy:
        return progress.busy  # a step that cannot count: the bar is busy, the words say why
    if progress.phase.value == "preparing" and not progress.current:
        return "Preparing: listing your files…"
    template = PHASE_WORDS.get(progress.phase.value, "{current}")
    current = progress.current.removeprefix("data/") or "the package"
    return template.format(current=current)


def default_file_name(firm: str, today: dt.date | None = None) -> str:
    """ "Harbourview Legal" -> "Harbourview-Legal-migration-2026-11-26.age"."""
    slug = re.sub(r"[\W_]+", "-", firm.strip()).strip("-") or "Law-firm"
    return f"{slug}-migration-{(today or dt.date.today()).isoformat()}.age"


def free_name(folder: Path, name: str) -> Path:
    """*name* in *folder*, or "name (2).age", "name (3).age"… when a file already has it.

    The default name carries only the day, so a second package made the same day would
    otherwise collide with the first.
    """
    candidate = folder / name
    stem, suffix = candidate.stem, candidate.suffix
    number = 2
    while candidate.exists():
        candidate = folder / f"{stem} ({number}){suffix}"
        number += 1
    return candidate


def gate_text(exc: BaseException) -> str:
    """The gate's reason as a sentence: "2 blocking problem(s) are neither fixed nor accepted (…): …"."""
    reason = str(exc).rstrip(".")
    return f"{reason[:1].upper()}{reason[1:]}."


def failure_text(exc: BaseException) -> str:
    """A plain sentence for why the package was not created."""
    from migration_assistant.core.api import GateClosed, InsufficientSpaceError, PackageError

    if isinstance(exc, GateClosed):
        return f"{gate_text(exc)} Nothing was saved."
    if isinstance(exc, InsufficientSpaceError):
        return f"{exc} Nothing was saved. Choose another drive (a USB stick, for example) or free some space."
    if isinstance(exc, PackageError):
        return f"{exc}" if "saved" in str(exc) or "deleted" in str(exc) else f"{exc} Nothing was saved."
    if isinstance(exc, OSError):
        return f"The package could not be written ({exc.strerror or type(exc).__name__}). Nothing was saved."
    log.error("packaging failed\n%s", safe_details(type(exc), exc, exc.__traceback__))
    return (
        "Something went wrong while creating the package. Nothing was saved and your files have not been "
        "changed. Try again; if it happens again, tell your migration specialist (the details are in the log)."
    )
