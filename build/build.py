"""Build the packaged app (one folder, no Python needed) on Linux, macOS or Windows.

    python build/build.py              build into build/dist/ (work files in build/work/)
    python build/build.py --clean      start from an empty PyInstaller cache and work folder
    python build/build.py --smoke      build, then run build/smoke_test.py against the result
    python build/build.py --smoke --no-build    only run the smoke test on the existing build
    python build/build.py --sizes      also list what takes the most room in the folder

Run it with the project's environment (``pip install -e ".[build]"``). When the Python
running it lacks PyInstaller but the checkout's ``.venv`` has it, it re-runs itself with
that one. Both output folders are ignored by git (.gitignore: build/dist/, build/work/).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

BUILD = Path(__file__).resolve().parent
ROOT = BUILD.parent
SPEC = BUILD / "migration-assistant.spec"
DIST = BUILD / "dist"
WORK = BUILD / "work"


def venv_python() -> Path:
    scripts = "Scripts" if os.name == "nt" else "bin"
    return ROOT / ".venv" / scripts / ("python.exe" if os.name == "nt" else "python")


def ensure_environment(modules: Sequence[str]) -> None:
    """Re-run with the checkout's .venv when this Python lacks what the build (or smoke test) needs."""
    missing = [m for m in modules if importlib.util.find_spec(m) is None]
    if not missing:
        return
    venv = venv_python()
    if (
        venv.exists()
        and Path(sys.executable).resolve() != venv.resolve()
        and not os.environ.get("_MA_BUILD_REEXEC")
    ):
        print(f"{', '.join(missing)} not installed for {sys.executable}; using {venv}", flush=True)
        env = dict(os.environ, _MA_BUILD_REEXEC="1")
        raise SystemExit(subprocess.call([str(venv), str(Path(__file__).resolve()), *sys.argv[1:]], env=env))
    raise SystemExit(
        f"{', '.join(missing)} not installed for {sys.executable}: "
        'pip install -e ".[build]" (it pins pyinstaller==6.22.3) in the project\'s environment'
    )


def built_folder() -> Path:
    """What the build delivers: the .app on macOS, the one-folder directory elsewhere."""
    sys.path.insert(0, str(ROOT))
    from migration_assistant import APP_ID, APP_NAME

    return DIST / f"{APP_NAME}.app" if sys.platform == "darwin" else DIST / APP_ID


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def print_sizes(folder: Path, top: int = 15) -> None:
    """The biggest packages/folders and files inside the build."""
    internal = next(
        (p for p in (folder / "_internal", folder / "Contents" / "Frameworks") if p.is_dir()), folder
    )
    groups: dict[str, int] = {}
    for path in internal.rglob("*"):
        if path.is_file() and not path.is_symlink():
            key = path.relative_to(internal).parts[0]
            groups[key] = groups.get(key, 0) + path.stat().st_size
    print(f"Largest entries in {internal.relative_to(ROOT)}:")
    for name, size in sorted(groups.items(), key=lambda kv: -kv[1])[:top]:
        print(f"  {size / 1048576:7.1f} MiB  {name}")
    files = sorted(
        (p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()), key=lambda p: -p.stat().st_size
    )[:top]
    print("Largest files:")
    for path in files:
        print(f"  {path.stat().st_size / 1048576:7.1f} MiB  {path.relative_to(folder)}")


def build(clean: bool) -> Path:
    if clean:
        shutil.rmtree(WORK, ignore_errors=True)
    cmd = [
        sys.executable,
        "-m",
        "PyInstaller",
        str(SPEC),
        "--noconfirm",
        "--log-level",
        "WARN",
        "--distpath",
        str(DIST),
        "--workpath",
        str(WORK),
    ]
    if clean:
        cmd.append("--clean")
    print("+", " ".join(cmd), flush=True)
    started = time.monotonic()
    subprocess.run(cmd, cwd=ROOT, check=True)
    folder = built_folder()
    print(
        f"Built {folder.relative_to(ROOT)} in {time.monotonic() - started:.0f} s: "
        f"{folder_size(folder) / 1048576:.1f} MiB ({folder_size(folder) / 1e6:.1f} MB)"
    )
    return folder


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clean", action="store_true", help="empty PyInstaller's cache and build/work first")
    parser.add_argument("--smoke", action="store_true", help="run build/smoke_test.py on the result")
    parser.add_argument("--no-build", action="store_true", help="with --smoke: test the existing build")
    parser.add_argument("--sizes", action="store_true", help="list the largest parts of the folder")
    args, smoke_args = parser.parse_known_args(argv)
    if smoke_args and not args.smoke:
        parser.error(f"unrecognised arguments: {' '.join(smoke_args)}")
    # PyInstaller freezes the packages of the Python that runs it: that must be the project's.
    ensure_environment(([] if args.no_build else ["PyInstaller"]) + ["pandas", "PySide6", "pyrage"])
    try:
        folder = built_folder() if args.no_build else build(args.clean)
    except subprocess.CalledProcessError as exc:
        print(f"PyInstaller failed (exit {exc.returncode})", file=sys.stderr)
        return exc.returncode or 1
    if args.sizes:
        print_sizes(folder)
    if args.smoke:
        sys.path.insert(0, str(BUILD))
        import smoke_test

        return smoke_test.main(smoke_args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
