"""The one place that knows where bundled files live.

Works from a checkout (files beside the package), an installed wheel (copied into
``migration_assistant/_data``) and a PyInstaller build (``sys._MEIPASS``).
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent.parent
_TOP_LEVEL = ("adapters", "resources", "ui")


@cache
def _roots() -> tuple[Path, ...]:
    roots: list[Path] = []
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        roots.append(Path(frozen))
    roots.append(_PACKAGE_DIR / "_data")
    roots.append(_PACKAGE_DIR.parent)
    return tuple(roots)


def resource_path(*parts: str) -> Path:
    """Absolute path of a bundled file, e.g. ``resource_path("resources", "schema", "x.json")``.

    Raises:
        FileNotFoundError: with the places searched, when the file is in none of them.
    """
    if not parts or parts[0] not in _TOP_LEVEL:
        raise ValueError(f"resource paths start with one of {_TOP_LEVEL}, not {parts[:1]}")
    for root in _roots():
        candidate = root.joinpath(*parts)
        if candidate.exists():
            return candidate
    searched = ", ".join(str(r) for r in _roots())
    raise FileNotFoundError(f"bundled file {'/'.join(parts)} not found (looked in {searched})")


def sample_export_dir() -> Path:
    """The bundled fictional firm's export."""
    return resource_path("resources", "samples", "sample-firm")
