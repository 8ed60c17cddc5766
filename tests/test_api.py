"""The engine's one face: what it names, that it loads lazily, and that the front ends use only it.

The wizard and the command line import from :mod:`migration_assistant.core.api` and from
the value types below every stage; no stage imports the orchestrator (``core.engine``).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from migration_assistant.core import api

PACKAGE = Path(api.__file__).resolve().parents[1]
CORE = "migration_assistant.core"
GROUND = {f"{CORE}.results", f"{CORE}.findings", f"{CORE}.readers.table"}
"""The values of a run, below every stage."""
UTILITIES = {f"{CORE}.paths", f"{CORE}.atomic", f"{CORE}.privacy"}
"""Small helpers with no stage behind them: where files go, writing atomically, masking client data."""


def _core_imports(path: Path) -> set[str]:
    """Every ``migration_assistant.core`` module *path* imports (``from core import x`` names core.x)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(CORE):
            if node.module == CORE:
                found.update(f"{CORE}.{alias.name}" for alias in node.names)
            else:
                found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith(CORE))
    return found


def test_every_name_resolves_to_the_object_in_its_module() -> None:
    import importlib

    assert sorted(api.__all__) == sorted(api._EXPORTS)
    for name, (module, attribute) in api._EXPORTS.items():
        assert getattr(api, name) is getattr(importlib.import_module(f"{CORE}.{module}"), attribute), name
    assert "iter_seal" in dir(api)


def test_the_type_checker_sees_the_same_names() -> None:
    tree = ast.parse(Path(api.__file__).read_text(encoding="utf-8"))
    (guard,) = [
        n for n in tree.body if isinstance(n, ast.If) and getattr(n.test, "id", "") == "TYPE_CHECKING"
    ]
    typed = {
        alias.asname or alias.name: (node.module.removeprefix(f"{CORE}."), alias.name)
        for node in guard.body
        if isinstance(node, ast.ImportFrom) and node.module
        for alias in node.names
    }
    assert typed == api._EXPORTS


def test_an_unknown_name_is_an_attribute_error() -> None:
    try:
        api.no_such_thing  # noqa: B018
    except AttributeError as exc:
        assert "no_such_thing" in str(exc)
    else:
        raise AssertionError("an unknown name resolved")


def test_importing_the_face_loads_no_heavy_library() -> None:
    """The wizard's splash and the CLI's read-ahead come before pandas loads."""
    code = (
        "import sys, migration_assistant.core.api; "
        "print(sorted(m for m in ('pandas', 'numpy', 'pyarrow', 'openpyxl', 'jinja2') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_the_front_ends_use_only_the_face_and_the_ground_types() -> None:
    allowed = {f"{CORE}.api"} | GROUND | UTILITIES
    front_ends = [*sorted((PACKAGE / "gui").rglob("*.py")), *sorted((PACKAGE / "cli").rglob("*.py"))]
    assert PACKAGE / "cli" / "validate.py" in front_ends  # the command line is a package of commands
    reaching = {}
    for path in front_ends:
        extra = _core_imports(path) - allowed
        if extra:
            reaching[path.relative_to(PACKAGE).as_posix()] = sorted(extra)
    assert reaching == {}


def test_no_stage_imports_the_orchestrator() -> None:
    importers = [
        path.relative_to(PACKAGE).as_posix()
        for path in sorted((PACKAGE / "core").rglob("*.py"))
        if path.name not in ("engine.py", "api.py") and f"{CORE}.engine" in _core_imports(path)
    ]
    assert importers == []
