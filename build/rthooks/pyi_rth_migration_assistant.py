"""PyInstaller runtime hook of Migration Assistant: the smoke test's probes, inert otherwise.

Runs inside the frozen app before ``build/launcher.py``. Unless the environment
variable ``MIGRATION_ASSISTANT_SMOKE`` is set, which only ``build/smoke_test.py``
does, it reads that one variable and returns: no import, nothing changed.

Modes (results are written as JSON to ``MIGRATION_ASSISTANT_SMOKE_OUT``, else stdout):

``keyring``
    Reports which keyring backend the frozen app resolves, whether each backend
    module was bundled, and what the keystore facade makes of it
    (``secure_storage()``). When the facade says secrets are session-only, it also
    stores and reads back a dummy secret through the facade, to prove that path
    works; it never writes to a real keychain. Then exits 0 without starting the app.

``window``
    Starts the app as usual and records when the wizard is first shown, exposed by
    the window system and painted; idles ``MIGRATION_ASSISTANT_SMOKE_IDLE`` seconds
    (default 2), records the resident memory, and closes the wizard.

``review``
    Like ``window``, then clicks Next (as a user would) until the Review page shows
    the check's findings, records what it shows, idles, records memory, and closes.
    Gives up after ``MIGRATION_ASSISTANT_SMOKE_TIMEOUT`` seconds (default 120).

The GUI probes wrap ``migration_assistant.gui.app.make_application`` to install an
event filter on the application; the wizard itself is not changed.
"""

from __future__ import annotations


def _smoke_hook() -> None:
    import os

    mode = os.environ.get("MIGRATION_ASSISTANT_SMOKE", "").strip().lower()
    if not mode:
        return

    import json
    import sys
    import time
    from pathlib import Path

    hook_started = time.time()
    out_path = os.environ.get("MIGRATION_ASSISTANT_SMOKE_OUT")

    def write(report: dict[str, object]) -> None:
        text = json.dumps(report, indent=2, default=str)
        if out_path:
            Path(out_path).write_text(text + "\n", encoding="utf-8")
        else:
            sys.stdout.write(text + "\n")
            sys.stdout.flush()

    def rss_bytes() -> int | None:
        """Resident memory of this process now (peak on macOS, where "now" needs more than the stdlib)."""
        try:
            if sys.platform.startswith("linux"):
                for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1]) * 1024
            if sys.platform == "win32":
                import ctypes
                from ctypes import wintypes

                class Counters(ctypes.Structure):
                    _fields_ = [
                        ("cb", wintypes.DWORD),
                        ("PageFaultCount", wintypes.DWORD),
                        ("PeakWorkingSetSize", ctypes.c_size_t),
                        ("WorkingSetSize", ctypes.c_size_t),
                        ("QuotaPeakPagedPoolUsage", ctypes.c_size_t),
                        ("QuotaPagedPoolUsage", ctypes.c_size_t),
                        ("QuotaPeakNonPagedPoolUsage", ctypes.c_size_t),
                        ("QuotaNonPagedPoolUsage", ctypes.c_size_t),
                        ("PagefileUsage", ctypes.c_size_t),
                        ("PeakPagefileUsage", ctypes.c_size_t),
                    ]

                counters = Counters()
                counters.cb = ctypes.sizeof(Counters)
                psapi = ctypes.WinDLL("psapi")
                kernel32 = ctypes.WinDLL("kernel32")
                kernel32.GetCurrentProcess.restype = wintypes.HANDLE
                ok = psapi.GetProcessMemoryInfo(
                    kernel32.GetCurrentProcess(), ctypes.byref(counters), counters.cb
                )
                return int(counters.WorkingSetSize) if ok else None
            import resource

            return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)  # bytes on macOS
        except Exception:  # a probe must never be the thing that fails
            return None

    if mode == "keyring":
        write(_keyring_report(hook_started))
        raise SystemExit(0)
    if mode in ("window", "review"):
        _install_gui_probe(mode, hook_started, write, rss_bytes)
        return
    sys.stderr.write(f"MIGRATION_ASSISTANT_SMOKE={mode!r} is not a smoke-test mode; ignored\n")


def _keyring_report(hook_started: float) -> dict[str, object]:
    import importlib

    report: dict[str, object] = {"mode": "keyring", "hook_started": hook_started}
    modules: dict[str, object] = {}
    for name in (
        "keyring.backends.fail",
        "keyring.backends.null",
        "keyring.backends.chainer",
        "keyring.backends.SecretService",
        "keyring.backends.kwallet",
        "keyring.backends.libsecret",
        "keyring.backends.macOS",
        "keyring.backends.Windows",
    ):
        try:
            importlib.import_module(name)
            modules[name] = "bundled"
        except Exception as exc:  # an absent module is what this probe is here to show
            modules[name] = f"not importable ({type(exc).__name__})"
    report["modules"] = modules

    import keyring
    import keyring.backend

    try:
        backend = keyring.get_keyring()
        report["backend"] = f"{type(backend).__module__}.{type(backend).__qualname__}"
    except Exception as exc:  # e.g. PYTHON_KEYRING_BACKEND naming a module that was not bundled
        report["backend"] = None
        report["backend_error"] = f"{type(exc).__name__}: {exc}"
    try:
        # keyring discovers its backends through entry points: empty when the metadata was not bundled.
        from importlib.metadata import entry_points

        report["entry_points"] = sorted(ep.name for ep in entry_points(group="keyring.backends"))
    except Exception as exc:
        report["entry_points"] = f"unknown ({type(exc).__name__})"

    from migration_assistant.core.package import keystore

    status = keystore.secure_storage()
    report["persisted"] = status.persisted
    report["where"] = status.where
    if not status.persisted:
        # Safe: the facade keeps it in this process only. Never done when a real keychain answered.
        name = "smoke-test-dummy"
        stored = keystore.store_secret(name, "not a secret")
        report["store_result"] = {"persisted": stored.persisted, "where": stored.where}
        report["read_back"] = keystore.load_secret(name) == "not a secret"
        keystore.delete_secret(name)
        report["after_delete"] = keystore.load_secret(name)
    return report


_HEAVY = (
    "pandas", "pyarrow", "numpy", "openpyxl", "python_calamine", "holidays", "jinja2", "phonenumbers",
    "rapidfuzz", "keyring", "pyrage", "icalendar", "vobject", "jsonschema", "charset_normalizer",
)  # fmt: skip


def _install_gui_probe(mode: str, hook_started: float, write, rss_bytes) -> None:  # type: ignore[no-untyped-def]
    import os
    import sys
    import time

    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QAbstractItemView, QApplication, QWizard

    from migration_assistant.gui import app as gui_app

    idle_ms = int(float(os.environ.get("MIGRATION_ASSISTANT_SMOKE_IDLE", "2")) * 1000)
    timeout_s = float(os.environ.get("MIGRATION_ASSISTANT_SMOKE_TIMEOUT", "120"))
    report: dict[str, object] = {"mode": mode, "hook_started": hook_started, "pages": [], "ok": False}
    original = gui_app.make_application

    class Probe(QObject):
        def __init__(self, app: QApplication) -> None:
            super().__init__(app)
            self.app = app
            self.wizard: QWizard | None = None
            self.deadline = 0.0
            self.timer = QTimer(self)
            self.timer.setInterval(100)
            self.timer.timeout.connect(self.tick)

        def eventFilter(self, obj: QObject, event: QEvent) -> bool:
            kind = event.type()
            if self.wizard is None:
                if (
                    kind == QEvent.Type.Paint
                    and obj.objectName() == "startingSplash"
                    and "splash_paint" not in report
                ):
                    report["splash_paint"] = time.time()  # the first thing on screen, before the wizard loads
                if kind == QEvent.Type.Show and obj.objectName() == "migrationWizard" and obj.isWidgetType():
                    self.wizard = obj  # type: ignore[assignment]
                    report["first_show"] = time.time()
                return False
            if kind == QEvent.Type.Expose and "first_expose" not in report:
                report["first_expose"] = time.time()
            elif (
                kind == QEvent.Type.Paint
                and "first_paint" not in report
                and obj.isWidgetType()
                and obj.window() is self.wizard  # type: ignore[attr-defined]
            ):
                report["first_paint"] = time.time()
                # Which heavy libraries the start-up paid for before the first window (STYLE.md 16).
                report["heavy_modules_at_first_paint"] = [m for m in _HEAVY if m in sys.modules]
                # Stop filtering every event of the app: the probe must not slow the app down.
                self.app.removeEventFilter(self)
                QTimer.singleShot(0, self.start)
            return False

        def start(self) -> None:
            if mode == "window":
                QTimer.singleShot(idle_ms, self.finish)
                return
            self.deadline = time.time() + timeout_s
            self.timer.start()

        def tick(self) -> None:
            # Imported here, once the wizard exists: importing the pages package at start-up would
            # load the engine's libraries before the app does and skew the start-up figures.
            from migration_assistant.gui.pages import ids

            wizard = self.wizard
            assert wizard is not None
            current = wizard.currentId()
            pages = report["pages"]
            assert isinstance(pages, list)
            if not pages or pages[-1] != current:
                pages.append(current)
            modal = QApplication.activeModalWidget()
            if modal is not None:
                report["error"] = f"a dialog opened: {modal.windowTitle()!r}"
                self.timer.stop()
                modal.close()
                self.finish()
                return
            if current == ids.REVIEW and wizard.currentPage().isComplete():
                self.timer.stop()
                self.record_review(wizard)
                QTimer.singleShot(idle_ms, self.finish)
                return
            if time.time() > self.deadline:
                self.timer.stop()
                report["error"] = (
                    f"did not reach the Review page in {timeout_s:.0f} s (stuck on page {current})"
                )
                self.finish()
                return
            button = wizard.button(QWizard.WizardButton.NextButton)
            if current < ids.REVIEW and button.isVisible() and button.isEnabled():
                button.click()

        def record_review(self, wizard: QWizard) -> None:
            report["reached_review"] = time.time()
            page = wizard.currentPage()
            report["review_title"] = page.title()
            state = getattr(wizard, "state", None)
            result = getattr(state, "result", None)
            if result is not None:
                report["review_findings"] = len(result.report.findings)
                report["review_source"] = result.report.source
            table = getattr(page, "table", None)  # the findings table, when the page names it so
            views = [table] if isinstance(table, QAbstractItemView) else page.findChildren(QAbstractItemView)
            report["review_rows"] = max(
                (v.model().rowCount() for v in views if v.model() is not None), default=0
            )

        def finish(self) -> None:
            report["rss_bytes"] = rss_bytes()
            report["ok"] = "error" not in report and (mode == "window" or "reached_review" in report)
            report["closing"] = time.time()
            write(report)
            if self.wizard is not None:
                self.wizard.close()  # the last window: the app quits and run_gui returns

    def make_application(argv: list[str] | None = None) -> QApplication:
        app = original(argv)
        report["app_created"] = time.time()
        app.installEventFilter(Probe(app))
        return app

    gui_app.make_application = make_application


_smoke_hook()
del _smoke_hook
