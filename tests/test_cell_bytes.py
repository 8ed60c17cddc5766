"""The byte-level column tests agree with a cell-by-cell reading, whatever Arrow's layout."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from migration_assistant.core.cell_bytes import all_ascii, contains_any_byte, first_bytes, needs_trim

CELLS = ["=SUM(A1)", "", "plain", None, "-12.50", "Émilie", "@cmd", "+1 416 555 0199"]


def _expected(cells: list[str | None]) -> list[int]:
    return [c.encode("utf-8")[0] if c else 0 for c in cells]


@pytest.mark.parametrize("text_type", [pa.string(), pa.large_string()])
def test_first_bytes_plain_sliced_and_chunked(text_type: pa.DataType) -> None:
    arr = pa.array(CELLS, type=text_type)
    assert first_bytes(arr).tolist() == _expected(CELLS)
    # A slice starts part-way into the offsets buffer.
    assert first_bytes(arr.slice(3, 4)).tolist() == _expected(CELLS[3:7])
    chunked = pa.chunked_array([arr.slice(0, 3), arr.slice(3)])
    assert first_bytes(chunked).tolist() == _expected(CELLS)


def test_first_bytes_of_pandas_text_columns() -> None:
    series = pd.Series([c or "" for c in CELLS], dtype="str")
    assert first_bytes(series).tolist() == _expected([c or "" for c in CELLS])
    assert first_bytes(pd.Series([], dtype="str")).tolist() == []


def test_all_ascii() -> None:
    assert all_ascii(pa.array(["abc", "", None, "12/31/2024"]))
    assert not all_ascii(pa.array(["abc", "José"]))
    # Only the bytes the (sliced) cells use count.
    arr = pa.array(["José", "plain", "text"])
    assert all_ascii(arr.slice(1))
    assert not all_ascii(pa.chunked_array([arr.slice(1), arr.slice(0, 1)]))
    assert all_ascii(pd.Series(["a", "b"], dtype="str"))


def test_first_bytes_rejects_numbers() -> None:
    with pytest.raises(TypeError):
        first_bytes(pa.array(np.arange(3)))


def test_contains_any_byte() -> None:
    arr = pa.array(["000102", "A110", None, ""])
    assert not contains_any_byte(arr, b"+/-")
    assert contains_any_byte(pa.array(["000102", "16-1001"]), b"+/-")
    assert contains_any_byte(pa.array(["1.2E+15"]), b"+")
    # Bytes outside the (sliced) cells do not count.
    assert not contains_any_byte(pa.array(["1/2", "123"]).slice(1), b"/")
    assert contains_any_byte(pd.Series(["a", "b/c"], dtype="str"), b"/")


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (["000102", "A110", "", None, "Smith & Co."], False),
        (["000102", " A110"], True),
        (["000102", "A110\t"], True),
        (["000102", "A110\u00a0"], True),  # a no-break space is white space too
        (["Émilie"], True),  # a non-ASCII edge is checked the slow way, to be safe
        ([], False),
    ],
)
def test_needs_trim(cells: list[str | None], expected: bool) -> None:
    arr = pa.array(cells, type=pa.string())
    assert needs_trim(arr) is expected
    if not expected:  # the promise callers rely on: nothing to trim
        assert [c.strip() if c else c for c in cells] == cells


def test_needs_trim_sliced() -> None:
    arr = pa.array([" x", "abc", "def"])
    assert not needs_trim(arr.slice(1))
    assert needs_trim(pa.chunked_array([arr.slice(1), arr.slice(0, 1)]))
