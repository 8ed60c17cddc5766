#!/usr/bin/env python3
"""Set-up and everyday commands, on a fresh machine with only Python 3.11.

    python3 dev.py run        install (first time) and open the wizard; without a display,
                              check the bundled sample export and print the summary
    python3 dev.py test       install (first time) and run every check CI runs
    python3 dev.py lint       ruff (lint and format check), mypy on the engine, and the import contracts only
    python3 dev.py bench      the benchmarks in bench/ (not part of the tests)
    python3 dev.py package-test   build the packaged app (PyInstaller) and smoke-test it

Everything goes into .venv beside this file; the install is redone only when
pyproject.toml changes.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / ".install-stamp"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")
# What ruff checks and format-checks.
LINTED = ("migration_assistant", "tests", "bench", "scripts", "build", "dev.py")
# Shared libraries Qt's offscreen/xcb platforms load on a bare Debian/Ubuntu machine.
DEBIAN_QT_LIBS = {
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libfontconfig.so.1": "libfontconfig1",
    "libdbus-1.so.3": "libdbus-1-3",
    "libglib-2.0.so.0": "libglib2.0-0",
}
# What Qt's xcb platform (a real X display) loads besides those; without them the app aborts with
# "Could not load the Qt platform plugin xcb".
DEBIAN_XCB_LIBS = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-xinerama.so.0": "libxcb-xinerama0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
}


def run(*cmd: str | Path, env: dict[str, str] | None = None) -> None:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    subprocess.run([str(c) for c in cmd], cwd=ROOT, check=True, env=env)


def ensure_venv(extras: str = "dev") -> None:
    if not PY.exists():
        run(sys.executable, "-m", "venv", VENV)
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + extras.encode()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == digest:
        return
    run(PY, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    run(PY, "-m", "pip", "install", "--quiet", "-e", f".[{extras}]")
    STAMP.write_text(digest)


def ensure_system_libs(display: bool = False) -> None:
    """Install the few system libraries Qt needs, where this is Debian/Ubuntu and we are root.

    Args:
        display: a real X display will be used, so the xcb platform's libraries are needed too.
    """
    if not sys.platform.startswith("linux") or not shutil.which("apt-get"):
        return
    try:
        cache = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True, check=False).stdout
    except FileNotFoundError:
        return
    wanted = {**DEBIAN_QT_LIBS, **(DEBIAN_XCB_LIBS if display else {})}
    missing = sorted({pkg for lib, pkg in wanted.items() if lib not in cache})
    if not missing:
        return
    if os.geteuid() != 0:
        print(f"Qt needs these system packages: {' '.join(missing)} (install them with apt-get).")
        return
    run("apt-get", "update", "-qq")
    run("apt-get", "install", "-y", "-qq", *missing)


def ensure_build_tools() -> None:
    """What the Linux build trims with: ICU's icupkg/genccode and a C compiler (Qt's ICU data),
    binutils' strip, readelf and nm (stripping, unused links)."""
    if not sys.platform.startswith("linux") or not shutil.which("apt-get"):
        return
    if all(shutil.which(tool) for tool in ("icupkg", "genccode", "gcc", "strip", "readelf", "nm")):
        return
    if os.geteuid() != 0:
        print("The build trims with ICU tools, gcc and binutils: apt-get install icu-devtools gcc binutils")
        return
    run("apt-get", "update", "-qq")
    run("apt-get", "install", "-y", "-qq", "icu-devtools", "gcc", "binutils")


def ensure_age_tool() -> None:
    """Install the standard age command where this is Debian/Ubuntu and we are root, so the tests that
    open a package with it run instead of skipping."""
    if shutil.which("age") or not sys.platform.startswith("linux") or not shutil.which("apt-get"):
        return
    if os.geteuid() != 0:
        print("The tests that open a package with the standard age tool are skipped (apt-get install age)")
        return
    run("apt-get", "update", "-qq")
    run("apt-get", "install", "-y", "-qq", "age")


def lint() -> None:
    run(BIN / "ruff", "check", *LINTED)
    run(BIN / "ruff", "format", "--check", *LINTED)
    run(BIN / "mypy")
    run(BIN / "lint-imports")


def test() -> None:
    ensure_venv()
    ensure_system_libs()
    ensure_age_tool()
    lint()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    run(PY, "-m", "pytest", "-q", "-p", "no:cacheprovider", env=env)


def app() -> None:
    ensure_venv()
    has_display = sys.platform in ("win32", "darwin") or bool(
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    )
    if has_display:
        ensure_system_libs(display=bool(os.environ.get("DISPLAY")))
        run(BIN / "migration-assistant", "gui", "--sample")
    else:
        print("No display found: checking the bundled sample export instead of opening the wizard.")
        subprocess.run([str(BIN / "migration-assistant"), "validate", "--sample"], cwd=ROOT, check=False)


def bench() -> None:
    ensure_venv("dev,bench")
    run(PY, "bench/generate.py")
    run(PY, "bench/run.py")
    run(PY, "bench/many_findings.py")


def package_test() -> None:
    """Build the one-folder app with PyInstaller and run the smoke test against it (minutes)."""
    ensure_venv("dev,build")
    ensure_system_libs()
    ensure_build_tools()
    run(PY, "build/build.py", "--smoke")


def main() -> None:
    commands = {
        "run": app,
        "test": test,
        "lint": lambda: (ensure_venv(), lint()),
        "bench": bench,
        "package-test": package_test,
    }
    if len(sys.argv) != 2 or sys.argv[1] not in commands:
        sys.exit(__doc__)
    try:
        commands[sys.argv[1]]()
    except subprocess.CalledProcessError as exc:
        sys.exit(exc.returncode)


if __name__ == "__main__":
    main()
