"""Whole-column byte tests read straight from Arrow's buffers.

Some checks only need a cell's first byte (does it start with "="?), or to know whether
a column holds any byte above ASCII, any of a few ASCII bytes, or any cell that starts
or ends with white space. Arrow stores a text column as one buffer of UTF-8 bytes plus
an offsets buffer, so these questions are answered with numpy over those buffers,
without building a million-element result array per question: on a million-row export
that is a few milliseconds instead of tens per column.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from migration_assistant.core.normalise import as_arrow


def _chunks(column: pd.Series | pa.Array | pa.ChunkedArray) -> list[pa.Array]:
    if isinstance(column, pd.Series):
        arrow = getattr(column.array, "_pa_array", None)
        column = arrow if isinstance(arrow, (pa.Array, pa.ChunkedArray)) else as_arrow(column)
    if isinstance(column, pa.ChunkedArray):
        return list(column.chunks)
    return [column]


def _layout(chunk: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Offsets (one more than the cells) and the byte buffer of a string or large_string chunk."""
    if not (pa.types.is_string(chunk.type) or pa.types.is_large_string(chunk.type)):
        raise TypeError(f"expected a text column, got {chunk.type}")
    offset_type = np.int64 if pa.types.is_large_string(chunk.type) else np.int32
    _validity, offsets_buf, data_buf = chunk.buffers()
    offsets = np.frombuffer(offsets_buf, dtype=offset_type)[chunk.offset : chunk.offset + len(chunk) + 1]
    data = np.frombuffer(data_buf, dtype=np.uint8) if data_buf is not None else np.zeros(0, np.uint8)
    return offsets, data


def first_bytes(column: pd.Series | pa.Array | pa.ChunkedArray) -> np.ndarray:
    """The first byte of every cell as uint8; 0 for an empty or missing cell."""
    parts = []
    for chunk in _chunks(column):
        if len(chunk) == 0:
            continue
        offsets, data = _layout(chunk)
        starts = offsets[:-1]
        if not len(data):
            parts.append(np.zeros(len(chunk), dtype=np.uint8))
            continue
        # One gather for every cell (an empty last cell would point one past the end: clipped),
        # then empty and missing cells set to 0.
        first = data[np.minimum(starts, len(data) - 1)]
        first[offsets[1:] == starts] = 0
        if chunk.null_count:
            first[~np.asarray(chunk.is_valid().to_numpy(zero_copy_only=False), dtype=bool)] = 0
        parts.append(first)
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.uint8)


def _cell_bytes(column: pd.Series | pa.Array | pa.ChunkedArray) -> list[np.ndarray]:
    """Per chunk, the bytes its cells use (a sliced array shares a bigger buffer)."""
    used = []
    for chunk in _chunks(column):
        if len(chunk):
            offsets, data = _layout(chunk)
            used.append(data[int(offsets[0]) : int(offsets[-1])])
    return used


def all_ascii(column: pd.Series | pa.Array | pa.ChunkedArray) -> bool:
    """True when no cell holds a byte above 127 (plain ASCII text cannot be mojibake)."""
    return not any(used.size and int(used.max()) > 0x7F for used in _cell_bytes(column))


def contains_any_byte(column: pd.Series | pa.Array | pa.ChunkedArray, chars: bytes) -> bool:
    """True when some cell holds one of the ASCII *chars* (a quick test before any real matching)."""
    return any(bool((used == byte).any()) for used in _cell_bytes(column) for byte in chars)


_PLAIN_EDGE = np.zeros(256, dtype=bool)
_PLAIN_EDGE[0x21:0x7F] = True
"""Printable ASCII other than the space: a cell starting and ending with one has nothing to trim."""


def needs_trim(column: pd.Series | pa.Array | pa.ChunkedArray) -> bool:
    """True when some cell might start or end with white space (so trimming could change it).

    Cells that begin and end with a printable ASCII character certainly do not; anything
    else that is not empty (a space, a tab, a non-ASCII character such as a no-break
    space) counts as "might", so a False answer is always safe to rely on.
    """
    for chunk in _chunks(column):
        if len(chunk) == 0:
            continue
        offsets, data = _layout(chunk)
        if not len(data):
            continue  # only empty cells
        starts, ends = offsets[:-1], offsets[1:]
        # One gather each for first and last bytes (clipped for empty cells, which count as plain).
        plain = (
            _PLAIN_EDGE[data[np.minimum(starts, len(data) - 1)]] & _PLAIN_EDGE[data[np.maximum(ends - 1, 0)]]
        )
        plain |= ends == starts
        if chunk.null_count:
            plain |= ~np.asarray(chunk.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
        if not plain.all():
            return True
    return False
