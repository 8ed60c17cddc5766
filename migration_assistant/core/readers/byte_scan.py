"""One pass over a text file's bytes for what the reader needs besides the table.

The file's sha256 (the fingerprint of DESIGN.md) and where its last double quote sits
(to tell a file cut in the middle of a quoted cell) both need every byte. Reading the
file once for both, beside pyarrow's own read of it, takes them off the time the user
waits for.

Quotes are counted in code units: one byte for UTF-8 and 8-bit code pages, two for
UTF-16 and four for UTF-32 (where a quote is ``"`` followed or preceded by NUL bytes,
and a byte 0x22 inside another character must not count).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

_BLOCK = 16 << 20


@dataclass(frozen=True, slots=True)
class ByteScan:
    """What one pass over the bytes found.

    Attributes:
        sha256: hex digest of the whole file.
        quotes: how many ``"`` code units the file holds.
        before_last_quote: the code unit before the last ``"`` (b"" at the start of the file).
        after_last_quote: the code unit after the last ``"`` (b"" at the end of the file).
    """

    sha256: str
    quotes: int
    before_last_quote: bytes
    after_last_quote: bytes

    def ends_inside_quotes(self, delimiter: bytes, newline: bytes = b"\n", carriage: bytes = b"\r") -> bool:
        """True when the last quote opens a cell that is never closed.

        A well-formed file has an even number of quotes (opening, closing and doubled ones
        come in pairs); when the count is odd and the last quote follows a delimiter or a
        line break and is not followed by one, that cell runs to the end of the file.
        *delimiter*, *newline* and *carriage* are encoded as the file is (one code unit each).
        """
        if self.quotes % 2 == 0:
            return False
        breaks = (delimiter, newline, carriage)
        return (self.before_last_quote == b"" or self.before_last_quote in breaks) and (
            self.after_last_quote not in breaks
        )


def scan_file(path: Path, unit: int = 1, byteorder: str = "little") -> ByteScan:
    """Hash *path* and find its last double quote, reading code units of *unit* bytes."""
    digest = hashlib.sha256()
    quotes = 0
    before = after = previous = b""
    pending = False
    # One reused buffer: a fresh 16 MiB bytes object per block costs page faults on every read.
    buffer = bytearray(_BLOCK)
    view = memoryview(buffer)
    units = None
    if unit > 1:
        import numpy as np  # only for UTF-16/32: the command line reads ahead before numpy has loaded

        units = np.dtype(f"{'<' if byteorder == 'little' else '>'}u{unit}")
    with path.open("rb") as fh:
        while size := fh.readinto(buffer):
            digest.update(view[:size])
            if units is None:
                found = buffer.count(b'"', 0, size)
                index = buffer.rfind(b'"', 0, size) if found else -1
            else:
                # Blocks are a whole number of units; a cut unit at the very end is not a quote.
                codes = np.frombuffer(buffer, dtype=units, count=size // unit)
                hits = np.flatnonzero(codes == ord('"'))
                found = len(hits)
                index = int(hits[-1]) * unit if found else -1
            if found:
                quotes += found
                before = bytes(buffer[index - unit : index]) if index else previous
                after = bytes(buffer[index + unit : min(index + 2 * unit, size)])
                pending = len(after) < unit
                if pending:
                    after = b""
            elif pending:
                after, pending = bytes(buffer[:unit]), False
            previous = bytes(buffer[size - unit : size]) if size >= unit else b""
    return ByteScan(digest.hexdigest(), quotes, before, after)
