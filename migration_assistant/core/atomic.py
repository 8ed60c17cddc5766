"""Atomic file writes: a temp file in the destination folder, renamed into place only when complete."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, cast


@contextlib.contextmanager
def atomic_write(
    path: Path, mode: str = "w", encoding: str | None = "utf-8", newline: str | None = None
) -> Iterator[IO[str] | IO[bytes]]:
    """Yield a file object; on success it replaces *path*, on error nothing is left behind."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    try:
        with os.fdopen(fd, mode, encoding=encoding if "b" not in mode else None, newline=newline) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        # mkstemp creates owner-only files; give the result the permissions a normal save would.
        Path(tmp).chmod(0o666 & ~_umask())
        Path(tmp).replace(path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            Path(tmp).unlink()
        raise


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def write_text(path: Path, text: str) -> None:
    with atomic_write(path) as fh:
        cast(IO[str], fh).write(text)
