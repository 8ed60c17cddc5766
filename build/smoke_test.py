"""Smoke test of the BUILT app (build/dist): does the frozen app do what the checkout does?

    python build/smoke_test.py                 run every check against build/dist (after build/build.py)
    python build/smoke_test.py --app PATH      test another build (the executable, or its folder / .app)
    python build/smoke_test.py --measure 5     also time 5 starts to the first window and read idle memory
    python build/smoke_test.py --xvfb ...      run the GUI on a private Xvfb display (a real X server)
                                               instead of Qt's offscreen platform

Also runnable as ``python build/build.py --smoke``. Run it with the project's Python (the
venv): it compares the frozen CLI with the unfrozen one and makes an age key with pyrage.

Everything the app writes goes below one temporary folder: HOME, the XDG folders and
``MIGRATION_ASSISTANT_HOME`` point there, so the real user's settings, logs and sessions
are never touched; every step that could reach a keychain is pinned to keyring's ``null``
backend, so no real keychain is written either. The GUI steps use the hidden probe of
``build/rthooks/pyi_rth_migration_assistant.py`` (environment variable
``MIGRATION_ASSISTANT_SMOKE``), which drives the wizard as a user would and reports back.
Exit code 0 when every check passes, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

BUILD = Path(__file__).resolve().parent
ROOT = BUILD.parent
DIST = BUILD / "dist"
sys.path.insert(0, str(ROOT))

from migration_assistant import APP_ID, APP_NAME, __version__  # noqa: E402

NULL_KEYRING = "keyring.backends.null.Keyring"
SESSION_ONLY = "only until you close the app"
PLATFORM_BACKEND = {
    "linux": "keyring.backends.SecretService",
    "darwin": "keyring.backends.macOS",
    "win32": "keyring.backends.Windows",
}


# --------------------------------------------------------------------------- locating the build


def default_app() -> Path:
    if sys.platform == "darwin":
        return DIST / f"{APP_NAME}.app" / "Contents" / "MacOS" / APP_ID
    return DIST / APP_ID / (f"{APP_ID}.exe" if sys.platform == "win32" else APP_ID)


def resolve_app(given: Path | None) -> Path:
    app = given or default_app()
    if app.suffix == ".app":
        app = app / "Contents" / "MacOS" / APP_ID
    elif app.is_dir():
        app = app / (f"{APP_ID}.exe" if sys.platform == "win32" else APP_ID)
    if not app.is_file():
        raise SystemExit(f"no built app at {app}: run `python build/build.py` first (or give --app)")
    return app


def bundle_root(app: Path) -> Path:
    """The folder the build delivered (the one-folder directory, or the .app)."""
    for parent in app.parents:
        if parent.suffix == ".app":
            return parent
    return app.parent


# --------------------------------------------------------------------------- environment


class Sandbox:
    """A temporary HOME for the app, and the environment that points everything there."""

    def __init__(self, root: Path, platform: str, display: str | None) -> None:
        self.root = root
        self.home = root / "home"
        self.app_home = root / "app-home"
        runtime = root / "xdg-runtime"
        for path in (self.home, self.app_home, runtime):
            path.mkdir(parents=True, exist_ok=True)
        runtime.chmod(0o700)
        keep = (
            "PATH",
            "SYSTEMROOT",
            "SYSTEMDRIVE",
            "WINDIR",
            "COMSPEC",
            "TEMP",
            "TMP",
            "TMPDIR",
            "LANG",
            "LC_ALL",
            "LC_CTYPE",
            "PATHEXT",
            "NUMBER_OF_PROCESSORS",
            "PROCESSOR_ARCHITECTURE",
        )
        env = {k: v for k, v in os.environ.items() if k in keep}
        env.update(
            HOME=str(self.home),
            USERPROFILE=str(self.home),
            APPDATA=str(self.home / "AppData" / "Roaming"),
            LOCALAPPDATA=str(self.home / "AppData" / "Local"),
            XDG_CONFIG_HOME=str(self.home / ".config"),
            XDG_DATA_HOME=str(self.home / ".local" / "share"),
            XDG_STATE_HOME=str(self.home / ".local" / "state"),
            XDG_CACHE_HOME=str(self.home / ".cache"),
            XDG_RUNTIME_DIR=str(runtime),
            MIGRATION_ASSISTANT_HOME=str(self.app_home),
            PYTHON_KEYRING_BACKEND=NULL_KEYRING,
            QT_QPA_PLATFORM=platform,
            PYTHONIOENCODING="utf-8",
        )
        if display:
            env["DISPLAY"] = display
        self.env = env

    def with_(self, **changes: str | None) -> dict[str, str]:
        env = dict(self.env)
        for key, value in changes.items():
            if value is None:
                env.pop(key, None)
            else:
                env[key] = value
        return env


def run(
    cmd: Sequence[str | Path], env: dict[str, str], timeout: float = 300, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(c) for c in cmd],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=timeout,
        check=False,
    )


# --------------------------------------------------------------------------- checks


class Checks:
    def __init__(self) -> None:
        self.failed: list[str] = []
        self.warnings: list[str] = []
        self.passed = 0

    def warn(self, name: str, detail: str) -> None:
        """Something to fix outside the build that does not stop the app from working."""
        print(f"WARN  {name}: {detail}", flush=True)
        self.warnings.append(name)

    def check(self, name: str, ok: bool, detail: str = "") -> bool:
        print(f"{'PASS' if ok else 'FAIL'}  {name}" + (f": {detail}" if detail else ""), flush=True)
        if ok:
            self.passed += 1
        else:
            self.failed.append(name)
        return ok


def tail(proc: subprocess.CompletedProcess[str], lines: int = 15) -> str:
    text = (proc.stdout + proc.stderr).strip().splitlines()
    return "\n        " + "\n        ".join(text[-lines:]) if text else ""


def comparable(report: dict[str, object]) -> dict[str, object]:
    """The findings JSON without what may differ between builds (the tool's version)."""
    tool = report.get("tool")
    return {
        "tool": tool.get("name") if isinstance(tool, dict) else tool,
        **{k: report.get(k) for k in ("source", "files", "summary", "findings")},
    }


def check_version(c: Checks, app: Path, box: Sandbox) -> None:
    proc = run([app, "--version"], box.env, timeout=60)
    want = f"{APP_ID} {__version__}"
    c.check(
        "--version",
        proc.returncode == 0 and proc.stdout.strip() == want,
        f"{proc.stdout.strip()!r} (want {want!r})" + ("" if proc.returncode == 0 else tail(proc)),
    )


def check_validate(c: Checks, app: Path, box: Sandbox, work: Path) -> dict[str, object] | None:
    frozen_json, source_json = work / "frozen.json", work / "checkout.json"
    frozen = run([app, "validate", "--sample", "--quiet", "--json", frozen_json], box.env)
    checkout_cli = [sys.executable, "-m", "migration_assistant"]
    unfrozen = run(
        [*checkout_cli, "validate", "--sample", "--quiet", "--json", source_json],
        box.with_(PYTHONPATH=str(ROOT)),
        cwd=ROOT,
    )
    ok = frozen.returncode in (0, 1) and frozen_json.exists()
    if not c.check(
        "validate --sample --json (frozen) runs",
        ok,
        f"exit {frozen.returncode}" + ("" if ok else tail(frozen)),
    ):
        return None
    ok = unfrozen.returncode in (0, 1) and source_json.exists()
    if not c.check("validate --sample --json (checkout) runs", ok, "" if ok else tail(unfrozen)):
        return None
    a = json.loads(frozen_json.read_text(encoding="utf-8"))
    b = json.loads(source_json.read_text(encoding="utf-8"))
    same = comparable(a) == comparable(b)
    detail = f"{len(a['findings'])} findings, summary {a['summary']}, exit {frozen.returncode}"
    if not same:
        fa, fb = a.get("findings", []), b.get("findings", [])
        only_frozen = [f for f in fa if f not in fb][:3]
        only_source = [f for f in fb if f not in fa][:3]
        detail += f"; only frozen: {only_frozen}; only checkout: {only_source}"
    c.check("validate: frozen findings == checkout findings", same, detail)
    c.check(
        "validate: same exit code",
        frozen.returncode == unfrozen.returncode,
        f"frozen {frozen.returncode}, checkout {unfrozen.returncode}",
    )
    return a


def format_files(folder: Path) -> list[Path]:
    """One small file per reader beyond CSV, with what the frozen app could lack: time zones
    (zoneinfo), vCard timestamps, quoted-printable Latin-1, Excel serial dates, LEDES, IIF."""
    from tests.helpers import ledes_file, ledes_line  # the test suite's LEDES fixture

    folder.mkdir(parents=True, exist_ok=True)
    files = {
        "contacts.vcf": (
            "BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE:M=FCller;J=FCrgen\r\n"
            "TEL;WORK:+1 416 555 0199\r\nEMAIL:jm@example\r\nEND:VCARD\r\n"
            "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:c-2\r\nFN:Acme LLP\r\nORG:Acme LLP\r\n"
            "BDAY:1970-02-29\r\nREV:2024-01-15T10:30:00Z\r\nEND:VCARD\r\n"
        ),
        "calendar.ics": (
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VTIMEZONE\r\nTZID:America/Toronto\r\n"
            "BEGIN:STANDARD\r\nDTSTART:19701101T020000\r\nTZOFFSETFROM:-0400\r\nTZOFFSETTO:-0500\r\n"
            "END:STANDARD\r\nEND:VTIMEZONE\r\n"
            "BEGIN:VEVENT\r\nUID:1\r\nSUMMARY:Hearing\r\nDTSTART;TZID=America/Toronto:20240305T093000\r\n"
            "DTEND;TZID=America/Toronto:20240305T083000\r\nEND:VEVENT\r\n"
            "BEGIN:VEVENT\r\nUID:2\r\nSUMMARY:Call\r\nDTSTART;TZID=Europe/London:20240310T140000\r\n"
            "DURATION:PT1H\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
        ),
        "invoices.txt": ledes_file(ledes_line(LINE_ITEM_TOTAL="310.00")),
        "quickbooks.iif": (
            "!TRNS\tTRNSID\tTRNSTYPE\tDATE\tACCNT\tNAME\tAMOUNT\tDOCNUM\n!SPL\tSPLID\tTRNSTYPE\tDATE\tACCNT"
            "\tNAME\tAMOUNT\tDOCNUM\n!ENDTRNS\nTRNS\t\tINVOICE\t01/15/2024\tAccounts Receivable\tSmith:2024-001"
            "\t1,500.00\t1001\nSPL\t\tINVOICE\t01/15/2024\tLegal Fees\tSmith:2024-001\t-1,400.00\t1001\nENDTRNS\n"
        ),
    }
    paths = []
    for name, text in files.items():
        path = folder / name
        path.write_bytes(text.encode("latin-1" if name.endswith(".vcf") else "utf-8"))
        paths.append(path)
    try:
        import openpyxl
    except ImportError:
        return paths
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Firm export"])
    sheet.append([])
    sheet.append(["Client ID", "Client Name", "Open Date", "Email"])
    sheet.append(["00042", "Ana Pérez", 45292, "ana@example.com"])
    sheet.append([43, "O'Brien & Co", "2024-02-30", "not an address"])
    path = folder / "clients.xlsx"
    book.save(path)
    return [*paths, path]


def compare_with_checkout(app: Path, box: Sandbox, path: Path, out: Path) -> tuple[bool, str]:
    """Validate *path* with the built app and with the checkout: same exit code, and the same
    findings (or, for a file the CLI refuses with exit 2, the same one-line reason)."""
    out.mkdir(parents=True, exist_ok=True)
    frozen_json, source_json = out / f"{path.name}.frozen.json", out / f"{path.name}.checkout.json"
    frozen = run([app, "validate", path, "--quiet", "--json", frozen_json], box.env)
    unfrozen = run(
        [sys.executable, "-m", "migration_assistant", "validate", path, "--quiet", "--json", source_json],
        box.with_(PYTHONPATH=str(ROOT)),
        cwd=ROOT,
    )
    if frozen.returncode != unfrozen.returncode:
        return (
            False,
            f"{path.name}: exit {frozen.returncode} frozen, {unfrozen.returncode} checkout{tail(frozen, 3)}",
        )
    if frozen.returncode == 2:
        same = frozen.stderr.strip() == unfrozen.stderr.strip()
        return same, f"{path.name}: refused" + ("" if same else f" differently{tail(frozen, 2)}")
    if not (frozen_json.exists() and source_json.exists()):
        return False, f"{path.name}: no JSON (exit {frozen.returncode}{tail(frozen, 3)})"
    a = json.loads(frozen_json.read_text(encoding="utf-8"))
    b = json.loads(source_json.read_text(encoding="utf-8"))
    same = comparable(a) == comparable(b)
    return same, f"{path.name}: {len(a['findings'])} findings" + ("" if same else " DIFFER")


def check_formats(c: Checks, app: Path, box: Sandbox, work: Path) -> None:
    """Each non-CSV reader gives the same findings frozen as from the checkout."""
    results = [
        compare_with_checkout(app, box, path, work / "formats") for path in format_files(work / "formats")
    ]
    c.check(
        "validate: vCard, iCalendar, LEDES, IIF and XLSX give the same findings frozen and unfrozen",
        bool(results) and all(ok for ok, _ in results),
        "; ".join(detail for _, detail in results),
    )


CONFORMANCE = ROOT.parent / "shared" / "conformance"
CONFORMANCE_SUFFIXES = {".csv", ".tsv", ".txt", ".iif", ".vcf", ".ics", ".xlsx", ".xls"}


def check_conformance(c: Checks, app: Path, box: Sandbox, work: Path) -> None:
    """Every public test file beside the project gives the same result frozen and unfrozen
    (``--conformance``: about two minutes; the files are read where they are, never copied)."""
    if not CONFORMANCE.is_dir():
        c.warn("conformance files", f"{CONFORMANCE} not found: nothing compared")
        return
    files = sorted(
        p for p in CONFORMANCE.rglob("*") if p.is_file() and p.suffix.lower() in CONFORMANCE_SUFFIXES
    )
    results = [compare_with_checkout(app, box, path, work / "conformance") for path in files]
    differ = [detail for ok, detail in results if not ok]
    c.check(
        f"validate: all {len(files)} conformance files give the same result frozen and unfrozen",
        bool(files) and not differ,
        "; ".join(differ[:5]) if differ else f"{len(files)} files compared",
    )


def package_command(app: Path, recipient: str, out: Path, *extra: str) -> list[str | Path]:
    """``package --sample --source auto --recipient KEY --out FILE --acknowledge Tester``."""
    words = ["package", "--sample", "--source", "auto", "--acknowledge", "Tester", "--quiet"]
    return [app, *words, "--recipient", recipient, "--out", out, *extra]


def check_package(c: Checks, app: Path, box: Sandbox, work: Path) -> None:
    try:
        import pyrage
    except ImportError:
        c.check("package/verify", False, "pyrage is not importable: run this with the project's venv")
        return
    identity = pyrage.x25519.Identity.generate()
    stranger = pyrage.x25519.Identity.generate()
    key_file, stranger_file = work / "specialist.key", work / "stranger.key"
    for path, ident in ((key_file, identity), (stranger_file, stranger)):
        path.write_text(f"{ident}\n", encoding="ascii")
        path.chmod(0o600)
    out_dir = work / "package-out"
    out_dir.mkdir()
    package = out_dir / "sample-firm.age"
    recipient = str(identity.to_public())
    proc = run(package_command(app, recipient, package, "--firm", "Smoke Test LLP"), box.env)
    ok = proc.returncode == 0 and package.is_file()
    first_line = proc.stdout.strip().splitlines()[0] if proc.stdout.strip() else ""
    if not c.check(
        "package --sample --source auto --recipient KEY --acknowledge Tester",
        ok,
        (f"{package.stat().st_size:,} bytes; {first_line}" if ok else f"exit {proc.returncode}")
        + ("" if ok else tail(proc)),
    ):
        return
    leftovers = sorted(p.name for p in out_dir.iterdir() if p != package)
    c.check("package leaves no temporary or plaintext file beside it", not leftovers, ", ".join(leftovers))
    proc = run([app, "verify", package, "--identity", key_file, "--quiet"], box.env)
    c.check(
        "verify --identity KEY round-trips (exit 0)",
        proc.returncode == 0,
        proc.stdout.strip().splitlines()[0] if proc.returncode == 0 and proc.stdout else tail(proc),
    )
    proc = run([app, "verify", package, "--identity", stranger_file, "--quiet"], box.env)
    c.check(
        "verify with the wrong key fails (exit 1, no traceback)",
        proc.returncode == 1 and "Traceback" not in proc.stderr,
        f"exit {proc.returncode}",
    )
    check_passphrase_package(c, app, box, work, out_dir)
    # The firm's own key goes to the keychain: with a keyring backend that is not in the bundle,
    # packaging must still work (the key is kept for the session only).
    second = out_dir / "missing-backend.age"
    missing = box.with_(PYTHON_KEYRING_BACKEND="keyring.backends.not_bundled.Keyring")
    proc = run(package_command(app, recipient, second), missing)
    c.check(
        "package with a keyring backend missing from the bundle still works (exit 0)",
        proc.returncode == 0 and second.is_file(),
        f"exit {proc.returncode}" + ("" if proc.returncode == 0 else tail(proc)),
    )
    second.unlink(missing_ok=True)
    if "Traceback" in proc.stderr:
        c.warn(
            "package prints the keystore's logged traceback on stderr when the keyring backend is missing",
            f"{proc.stderr.count('Traceback')} tracebacks (keystore logs with exc_info and the CLI configures no "
            "logging handler, so Python's last-resort handler prints them; the CLI promises one plain line)",
        )


def check_passphrase_package(c: Checks, app: Path, box: Sandbox, work: Path, out_dir: Path) -> None:
    """A passphrase package and its verify: the scrypt work runs in a spawned child of the frozen
    executable (core/package/scrypt_apart.py, freeze_support in build/launcher.py)."""
    words = work / "passphrase.txt"
    words.write_text("correct horse battery staple orbit velvet canyon\n", encoding="utf-8")
    words.chmod(0o600)
    package = out_dir / "passphrase.age"
    command = [app, "package", "--sample", "--source", "auto", "--acknowledge", "Tester", "--quiet"]
    proc = run([*command, "--passphrase-file", words, "--out", package, "--no-firm-key"], box.env)
    ok = proc.returncode == 0 and package.is_file()
    if not c.check(
        "package --passphrase-file (scrypt in a spawned child of the app)",
        ok,
        f"exit {proc.returncode}" + ("" if ok else tail(proc)),
    ):
        return
    proc = run([app, "verify", package, "--passphrase-file", words, "--quiet"], box.env)
    c.check(
        "verify --passphrase-file round-trips (exit 0)",
        proc.returncode == 0 and "Traceback" not in proc.stderr,
        f"exit {proc.returncode}" + ("" if proc.returncode == 0 else tail(proc)),
    )
    package.unlink(missing_ok=True)


def keyring_probe(
    app: Path, env: dict[str, str]
) -> tuple[subprocess.CompletedProcess[str], dict[str, object]]:
    proc = run([app], dict(env, MIGRATION_ASSISTANT_SMOKE="keyring"), timeout=120)
    try:
        return proc, json.loads(proc.stdout)
    except json.JSONDecodeError:
        return proc, {}


def check_keyring(c: Checks, app: Path, box: Sandbox) -> None:
    # 1. What the frozen app finds by itself (read-only unless it finds no keychain).
    proc, r = keyring_probe(app, box.with_(PYTHON_KEYRING_BACKEND=None))
    platform_module = next((m for p, m in PLATFORM_BACKEND.items() if sys.platform.startswith(p)), None)
    modules = r.get("modules", {}) if isinstance(r.get("modules"), dict) else {}
    entry_points = r.get("entry_points") or []
    bundled = platform_module is None or modules.get(platform_module) == "bundled"
    ok = proc.returncode == 0 and bundled and bool(entry_points)
    c.check(
        "keyring: the platform's backend and keyring's entry points are bundled",
        ok,
        f"{platform_module}: {modules.get(platform_module)}; entry points {entry_points}"
        + ("" if ok else tail(proc)),
    )
    session_ok = r.get("persisted") is True or (
        r.get("read_back") is True and SESSION_ONLY in str(r.get("where"))
    )
    c.check(
        "keyring: detected as the facade says (keychain, or session-only and says so)",
        proc.returncode == 0 and session_ok,
        f"backend {r.get('backend')}; persisted {r.get('persisted')}; kept {r.get('where')!r}",
    )
    # 2. No secure backend (keyring's null backend): session-only, said in words, secret still usable.
    proc, r = keyring_probe(app, box.env)
    c.check(
        "keyring: null backend -> session-only, secret kept for the session",
        proc.returncode == 0
        and r.get("persisted") is False
        and r.get("read_back") is True
        and SESSION_ONLY in str(r.get("where"))
        and r.get("after_delete") is None,
        f"backend {r.get('backend')}; kept {r.get('where')!r}" + ("" if proc.returncode == 0 else tail(proc)),
    )
    # 3. A configured backend whose module is not in the bundle: handled, not a crash.
    missing = box.with_(PYTHON_KEYRING_BACKEND="keyring.backends.not_bundled.Keyring")
    proc, r = keyring_probe(app, missing)
    c.check(
        "keyring: backend module missing from the bundle -> session-only, no crash",
        proc.returncode == 0
        and r.get("backend") is None
        and r.get("persisted") is False
        and r.get("read_back") is True,
        f"{r.get('backend_error')}; kept {r.get('where')!r}" + ("" if proc.returncode == 0 else tail(proc)),
    )


def gui_probe(
    app: Path,
    env: dict[str, str],
    mode: str,
    work: Path,
    args: Sequence[str] = (),
    idle: float = 2.0,
    timeout: float = 180,
) -> tuple[subprocess.CompletedProcess[str], dict[str, object]]:
    """Start the wizard with the hidden probe; the report's times are made relative to the launch."""
    out = work / f"probe-{mode}-{time.monotonic_ns()}.json"
    env = dict(
        env,
        MIGRATION_ASSISTANT_SMOKE=mode,
        MIGRATION_ASSISTANT_SMOKE_OUT=str(out),
        MIGRATION_ASSISTANT_SMOKE_IDLE=str(idle),
        MIGRATION_ASSISTANT_SMOKE_TIMEOUT=str(timeout - 30),
    )
    started = time.time()
    proc = run([app, *args], env, timeout=timeout)
    ended = time.time()
    report: dict[str, object] = {}
    if out.exists():
        report = json.loads(out.read_text(encoding="utf-8"))
    for key in (
        "hook_started",
        "app_created",
        "splash_paint",
        "first_show",
        "first_expose",
        "first_paint",
        "reached_review",
    ):
        value = report.get(key)
        if isinstance(value, (int, float)):
            report[f"{key}_s"] = round(value - started, 3)
    report["exit_s"] = round(ended - started, 3)
    return proc, report


def check_gui(c: Checks, app: Path, box: Sandbox, work: Path, validated: dict[str, object] | None) -> None:
    proc, r = gui_probe(app, box.env, "review", work, ["gui", "--sample"])
    expected = len(validated["findings"]) if validated else None  # type: ignore[arg-type]
    clean = proc.returncode == 0 and "Traceback" not in proc.stderr
    c.check(
        f"wizard ({box.env['QT_QPA_PLATFORM']}) starts, reaches Review on the sample export, exits cleanly",
        clean
        and r.get("ok") is True
        and r.get("review_findings") == expected
        and (r.get("review_rows") or 0) > 0,
        f"pages {r.get('pages')}; '{r.get('review_title')}' with {r.get('review_findings')} findings "
        f"({r.get('review_rows')} rows; CLI: {expected}); first window {r.get('first_paint_s')} s, "
        f"Review {r.get('reached_review_s')} s, exit {proc.returncode} at {r.get('exit_s')} s"
        + (f"; {r.get('error')}" if r.get("error") else "")
        + ("" if clean else tail(proc)),
    )
    noise = [line for line in proc.stderr.splitlines() if line.strip()]
    if noise:
        print("INFO  the wizard wrote to stderr:\n        " + "\n        ".join(noise[:10]))
    log = box.app_home / "logs" / f"{APP_ID}.log"
    c.check("wizard logs below MIGRATION_ASSISTANT_HOME", log.is_file(), str(log.relative_to(box.root)))


def check_platformdirs(c: Checks, app: Path, box: Sandbox, work: Path) -> None:
    """Without MIGRATION_ASSISTANT_HOME the frozen app logs where platformdirs says."""
    if sys.platform == "win32":
        # platformdirs asks Windows for the known folders (not %APPDATA%): this would be the real profile.
        print("SKIP  platformdirs locations (Windows: would write to the real user profile)")
        return
    env = box.with_(MIGRATION_ASSISTANT_HOME=None)
    probe = run(
        [
            sys.executable,
            "-c",
            "import platformdirs as p; print(p.user_log_dir('migration-assistant', appauthor=False))",
        ],
        env,
    )
    expected = Path(probe.stdout.strip())
    proc, r = gui_probe(app, env, "window", work, idle=0.5)
    log = expected / f"{APP_ID}.log"
    stray = sorted(str(p.relative_to(box.root)) for p in box.home.rglob(f"{APP_ID}.log") if p != log)
    where = str(log.relative_to(box.root)) if log.is_file() else f"nothing at {expected}"
    c.check(
        "frozen app logs in the platformdirs location (no MIGRATION_ASSISTANT_HOME)",
        proc.returncode == 0 and log.is_file() and not stray and r.get("ok") is True,
        where + (f"; also at {stray}" if stray else "") + (tail(proc, 5) if proc.returncode else ""),
    )


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {
        str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in folder.rglob("*")
        if p.is_file() and not p.is_symlink()
    }


# --------------------------------------------------------------------------- measuring


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def make_cold(folder: Path) -> str | None:
    """Empty the OS file cache so the next start reads from disk; says how, or None when it cannot.

    As root on Linux the whole page cache is dropped (system libraries too); otherwise only
    the app's own files are evicted (posix_fadvise), which needs no privileges.
    """
    if sys.platform.startswith("linux"):
        try:
            os.sync()
            Path("/proc/sys/vm/drop_caches").write_text("3\n", encoding="ascii")
            return "OS file cache dropped"
        except OSError:
            pass
    if not hasattr(os, "posix_fadvise"):
        return None
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            fd = os.open(path, os.O_RDONLY)
            try:
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            finally:
                os.close(fd)
    return "app files evicted from the OS file cache"


def measure(app: Path, box: Sandbox, work: Path, runs: int) -> dict[str, object]:
    root = bundle_root(app)
    results: list[dict[str, object]] = []
    how_cold = make_cold(root)
    cold = how_cold is not None
    for i in range(runs):
        proc, r = gui_probe(app, box.env, "window", work, idle=3.0)
        if proc.returncode != 0 or not r.get("ok"):
            print(f"  run {i + 1}: failed (exit {proc.returncode}){tail(proc)}")
            continue
        label = f"cold: {how_cold}" if cold and i == 0 else "warm"
        print(
            f"  run {i + 1} [{label}]: Python up {r.get('hook_started_s')} s, QApplication "
            f"{r.get('app_created_s')} s, splash painted {r.get('splash_paint_s')} s, "
            f"shown {r.get('first_show_s')} s, exposed {r.get('first_expose_s')} s, "
            f"first paint {r.get('first_paint_s')} s; RSS after 3 s idle {mib(r.get('rss_bytes'))}; "
            f"loaded before the first window: {', '.join(r.get('heavy_modules_at_first_paint') or []) or 'none'}",
            flush=True,
        )
        results.append(dict(r, cold=cold and i == 0))
    _proc, review = gui_probe(app, box.env, "review", work, ["gui", "--sample"], idle=3.0)
    print(f"  Review page with the sample export checked: RSS after 3 s idle {mib(review.get('rss_bytes'))}")
    warm = [r for r in results if not r["cold"]]
    summary = {
        "size_bytes": folder_size(root),
        "cold_first_paint_s": next((r["first_paint_s"] for r in results if r["cold"]), None),
        "cold_splash_s": next((r.get("splash_paint_s") for r in results if r["cold"]), None),
        "warm_splash_median_s": round(statistics.median(r["splash_paint_s"] for r in warm), 3)
        if warm and all("splash_paint_s" in r for r in warm)
        else None,  # type: ignore[misc]
        "warm_first_paint_median_s": round(statistics.median(r["first_paint_s"] for r in warm), 3)
        if warm
        else None,  # type: ignore[misc]
        "warm_first_paint_max_s": max((r["first_paint_s"] for r in warm), default=None),  # type: ignore[type-var]
        "idle_rss_median_bytes": statistics.median(r["rss_bytes"] for r in results) if results else None,  # type: ignore[misc]
        "review_rss_bytes": review.get("rss_bytes"),
    }
    print(
        f"MEASURED  size {mib(summary['size_bytes'])}; splash on screen: cold {summary['cold_splash_s']} s, "
        f"warm median {summary['warm_splash_median_s']} s; wizard: cold {summary['cold_first_paint_s']} s, "
        f"warm median {summary['warm_first_paint_median_s']} s (max {summary['warm_first_paint_max_s']} s); "
        f"idle RSS {mib(summary['idle_rss_median_bytes'])} (Review with sample data "
        f"{mib(summary['review_rss_bytes'])})"
    )
    return summary


def mib(value: object) -> str:
    return f"{value / 1048576:.0f} MiB" if isinstance(value, (int, float)) else "n/a"


# --------------------------------------------------------------------------- Xvfb


def start_xvfb() -> tuple[subprocess.Popen[bytes] | None, str | None]:
    if not shutil.which("Xvfb"):
        raise SystemExit("--xvfb: Xvfb is not installed (Debian/Ubuntu: apt-get install xvfb)")
    for number in range(90, 110):
        if Path(f"/tmp/.X{number}-lock").exists():
            continue
        proc = subprocess.Popen(
            ["Xvfb", f":{number}", "-screen", "0", "1920x1080x24", "-nolisten", "tcp"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(50):
            if Path(f"/tmp/.X11-unix/X{number}").exists():
                return proc, f":{number}"
            if proc.poll() is not None:
                break
            time.sleep(0.1)
        proc.kill()
    raise SystemExit("--xvfb: could not start Xvfb")


# --------------------------------------------------------------------------- main


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--app", type=Path, help="the built executable, its folder or the .app (default: build/dist)"
    )
    parser.add_argument(
        "--measure", type=int, default=0, metavar="N", help="time N starts and read idle memory"
    )
    parser.add_argument("--xvfb", action="store_true", help="run the GUI on a private Xvfb display")
    parser.add_argument(
        "--conformance",
        action="store_true",
        help="also compare every file of ../shared/conformance, frozen against the checkout (minutes)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (its path is printed)")
    args = parser.parse_args(argv)

    app = resolve_app(args.app)
    xvfb, display = start_xvfb() if args.xvfb else (None, None)
    platform = "xcb" if display else "offscreen"
    work = Path(tempfile.mkdtemp(prefix="ma-smoke-"))
    c = Checks()
    print(
        f"Smoke test of {app} ({APP_NAME} {__version__}); Qt platform {platform}"
        + (f" on {display}" if display else "")
        + f"; sandbox {work}",
        flush=True,
    )
    try:
        box = Sandbox(work / "sandbox", platform, display)
        before = snapshot(bundle_root(app))
        started = time.monotonic()
        check_version(c, app, box)
        validated = check_validate(c, app, box, work)
        check_formats(c, app, box, work)
        if args.conformance:
            check_conformance(c, app, box, work)
        check_package(c, app, box, work)
        check_keyring(c, app, box)
        check_gui(c, app, box, work, validated)
        check_platformdirs(c, app, box, work)
        changed = sorted(k for k, v in snapshot(bundle_root(app)).items() if before.get(k) != v)
        c.check("nothing written inside the app folder", not changed, ", ".join(changed[:5]))
        print(
            f"{c.passed} passed, {len(c.failed)} failed, {len(c.warnings)} warnings in "
            f"{time.monotonic() - started:.0f} s" + (f"; FAILED: {', '.join(c.failed)}" if c.failed else ""),
            flush=True,
        )
        if args.measure:
            print(f"Measuring {args.measure} starts ({platform}):", flush=True)
            measure(app, box, work, args.measure)
    finally:
        if xvfb is not None:
            xvfb.terminate()
            xvfb.wait(10)
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 1 if c.failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
