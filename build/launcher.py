"""Entry script of the packaged app (PyInstaller's "script"): the same ``run`` as the ``migration-assistant`` command.

A windowed executable (Windows' ``Migration Assistant.exe``, the macOS app) has no
console: ``sys.stdout`` and ``sys.stderr`` are ``None`` there, and a one-line error
written by the CLI would itself raise. They are pointed at the null device instead;
the log file under ``paths.log_dir()`` keeps the details.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

if sys.stdout is None:
    sys.stdout = Path(os.devnull).open("w", encoding="utf-8")  # noqa: SIM115 - lives as long as the process
if sys.stderr is None:
    sys.stderr = Path(os.devnull).open("w", encoding="utf-8")  # noqa: SIM115

if __name__ == "__main__":
    import multiprocessing

    # The passphrase's scrypt work runs in a spawned child of this executable
    # (core/package/scrypt_apart.py): this turns such a child into that work, before the app loads.
    multiprocessing.freeze_support()

    from migration_assistant.cli import run

    run()
