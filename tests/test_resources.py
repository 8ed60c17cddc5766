"""Bundled files are found through one function, from a checkout, an installed wheel and the frozen app.

``migration_assistant.core.resources.resource_path`` looks in ``sys._MEIPASS`` (PyInstaller),
then ``migration_assistant/_data`` (the wheel's force-include), then the checkout. These
tests build each layout in a temporary folder; ``build/smoke_test.py`` runs the real
frozen app.
"""

from __future__ import annotations

import ast
import shutil
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from migration_assistant.core import resources
from migration_assistant.core.resources import resource_path, sample_export_dir

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "migration_assistant"

# What the app opens today; every resource_path(...) call in the source is added by scanning it
# (see resource_calls), so a new one is covered without editing this list.
KNOWN = [
    ("adapters",),
    ("resources", "schema", "migration-schema.json"),
    ("resources", "schema", "adapter-profile.schema.json"),
    ("resources", "target-limitations.json"),
    ("resources", "timeline-rules.json"),
    ("resources", "wordlist.txt"),
    ("resources", "report-templates"),
    ("resources", "samples", "sample-firm"),
    ("ui", "style.qss"),
]
# Folders opened whole, and what must be inside them.
CONTENTS = {
    ("adapters",): "*.json",
    ("resources", "report-templates"): "*.j2",
    ("resources", "samples", "sample-firm"): "*",
    ("resources", "templates"): "*.csv",
}


@pytest.fixture(autouse=True)
def fresh_roots() -> Iterator[None]:
    """The search roots are cached per process: recompute them around each test."""
    resources._roots.cache_clear()
    yield
    resources._roots.cache_clear()


def resource_calls() -> set[tuple[str, ...]]:
    """The literal arguments of every ``resource_path(...)`` call in the package's source.

    A call with a computed argument (``resource_path("resources", "guides", name)``) gives
    its literal leading part, the folder it reads from.
    """
    found: set[tuple[str, ...]] = set()
    for path in PACKAGE.rglob("*.py"):
        if path == PACKAGE / "core" / "resources.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            if getattr(node.func, "id", getattr(node.func, "attr", None)) != "resource_path":
                continue
            parts: list[str] = []
            for arg in node.args:
                if not (isinstance(arg, ast.Constant) and isinstance(arg.value, str)):
                    break
                parts.append(arg.value)
            if parts:
                found.add(tuple(parts))
    return found


USED = sorted(set(KNOWN) | resource_calls())


def copy_layout(root: Path) -> Path:
    """Copies of the bundled folders below *root*, as PyInstaller and the wheel lay them out."""
    root.mkdir(parents=True, exist_ok=True)
    for name in resources._TOP_LEVEL:
        shutil.copytree(ROOT / name, root / name, ignore=shutil.ignore_patterns("__pycache__", ".*"))
    return root


def assert_all_resolve_under(root: Path) -> None:
    for parts in [*USED, *CONTENTS]:
        path = resource_path(*parts)
        assert path.exists(), parts
        assert path.is_relative_to(root), (parts, path, root)
    for parts, pattern in CONTENTS.items():
        assert any(resource_path(*parts).glob(pattern)), (parts, pattern)


# ------------------------------------------------------------------------------- the inventory


def test_the_source_scan_finds_the_known_calls() -> None:
    """The scan that feeds USED works (it finds calls in core and in the GUI)."""
    calls = resource_calls()
    assert ("ui", "style.qss") in calls
    assert ("resources", "schema", "migration-schema.json") in calls
    assert ("adapters",) in calls


# ------------------------------------------------------------------------------- checkout


def test_checkout_resolves_every_resource(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(sys, "_MEIPASS", raising=False)
    if (PACKAGE / "_data").exists():
        pytest.skip("migration_assistant/_data exists: this is an installed copy, not a checkout")
    assert_all_resolve_under(ROOT)
    assert sample_export_dir() == ROOT / "resources" / "samples" / "sample-firm"


# ------------------------------------------------------------------------------- frozen (PyInstaller)


def test_frozen_layout_resolves_from_meipass_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    frozen = copy_layout(tmp_path / "_internal")
    monkeypatch.setattr(sys, "_MEIPASS", str(frozen), raising=False)
    assert_all_resolve_under(frozen)  # found in the bundle although the checkout has them too
    assert sample_export_dir() == frozen / "resources" / "samples" / "sample-firm"


def test_frozen_package_dir_inside_meipass(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As in the real bundle: the package's own folder is inside _MEIPASS and has no _data."""
    frozen = copy_layout(tmp_path / "_internal")
    monkeypatch.setattr(sys, "_MEIPASS", str(frozen), raising=False)
    monkeypatch.setattr(resources, "_PACKAGE_DIR", frozen / "migration_assistant")
    assert_all_resolve_under(frozen)


# ------------------------------------------------------------------------------- installed wheel


def test_wheel_layout_resolves_from_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / "site-packages"
    data = copy_layout(site / "migration_assistant" / "_data")
    monkeypatch.delattr(sys, "_MEIPASS", raising=False)
    monkeypatch.setattr(resources, "_PACKAGE_DIR", site / "migration_assistant")
    assert_all_resolve_under(data)


def test_frozen_wins_over_wheel_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    frozen = copy_layout(tmp_path / "_internal")
    copy_layout(tmp_path / "site-packages" / "migration_assistant" / "_data")
    monkeypatch.setattr(sys, "_MEIPASS", str(frozen), raising=False)
    monkeypatch.setattr(resources, "_PACKAGE_DIR", tmp_path / "site-packages" / "migration_assistant")
    assert resource_path("ui", "style.qss") == frozen / "ui" / "style.qss"


def test_wheel_force_include_matches_the_lookup() -> None:
    """pyproject copies exactly the folders resource_path knows into migration_assistant/_data."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    force = config["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    assert force == {name: f"migration_assistant/_data/{name}" for name in resources._TOP_LEVEL}


def test_pyinstaller_spec_bundles_the_same_folders() -> None:
    spec = (ROOT / "build" / "migration-assistant.spec").read_text(encoding="utf-8")
    for name in resources._TOP_LEVEL:
        assert f'_tree("{name}")' in spec, name


# ------------------------------------------------------------------------------- missing


def test_missing_resource_names_every_place_searched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    frozen = tmp_path / "_internal"
    frozen.mkdir()
    monkeypatch.setattr(sys, "_MEIPASS", str(frozen), raising=False)
    with pytest.raises(FileNotFoundError) as caught:
        resource_path("resources", "no-such-file.txt")
    message = str(caught.value)
    assert "resources/no-such-file.txt" in message
    for place in (frozen, PACKAGE / "_data", ROOT):
        assert str(place) in message, (place, message)


def test_missing_sample_export_is_file_not_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A copy of the app without the sample export: the wizard catches FileNotFoundError."""
    frozen = tmp_path / "_internal"
    (frozen / "resources").mkdir(parents=True)
    monkeypatch.setattr(sys, "_MEIPASS", str(frozen), raising=False)
    monkeypatch.setattr(resources, "_PACKAGE_DIR", frozen / "migration_assistant")
    with pytest.raises(FileNotFoundError, match="samples/sample-firm"):
        sample_export_dir()


@pytest.mark.parametrize("parts", [(), ("migration_assistant", "cli.py"), ("..", "etc")])
def test_only_the_bundled_folders_can_be_asked_for(parts: tuple[str, ...]) -> None:
    with pytest.raises(ValueError, match="resource paths start with"):
        resource_path(*parts)
