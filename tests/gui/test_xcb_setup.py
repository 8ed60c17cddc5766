"""dev.py installs what Qt's xcb platform needs when a real display will be used (issue 17, item 14)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _dev() -> ModuleType:
    spec = importlib.util.spec_from_file_location("dev_script", ROOT / "dev.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("display", [True, False])
def test_xcb_libraries_are_installed_only_for_a_display(
    monkeypatch: pytest.MonkeyPatch, display: bool
) -> None:
    dev = _dev()
    commands: list[list[str]] = []

    def fake_run(cmd: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
        commands.append([str(c) for c in cmd])
        # ldconfig -p: only the offscreen libraries are there.
        listing = "".join(f"\t{lib} (libc6,x86-64) => /usr/lib/{lib}\n" for lib in dev.DEBIAN_QT_LIBS)
        return subprocess.CompletedProcess(cmd, 0, stdout=listing, stderr="")

    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setattr(dev.shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(dev.subprocess, "run", fake_run)
    monkeypatch.setattr(dev.os, "geteuid", lambda: 0)
    dev.ensure_system_libs(display=display)

    installs = [c for c in commands if c[:2] == ["apt-get", "install"]]
    if display:
        (install,) = installs
        assert {"libxcb-cursor0", "libxcb-icccm4", "libxkbcommon-x11-0", "libxcb-xkb1"} <= set(install)
    else:
        assert installs == []  # offscreen has all it needs
