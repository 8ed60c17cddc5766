"""One pass over a text file's bytes for what the reader needs besides the table.

The file's sha256 (the fingerprint of DESIGN.md) and where its last double quote sits
(to tell a file cut in the middle of a quoted cell) both need every byte. Reading the
file once for both, beside pyarrow's own read of it, takes them off the time the user
waits for.
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
        quotes: how many ``"`` bytes the file holds.
        before_last_quote: the byte before the last ``"`` (b"" at the start of the file).
        after_last_quote: the byte after the last ``"`` (b"" at the end of the file).
    """

    sha256: str
    quotes: int
    before_last_quote: bytes
    after_last_quote: bytes

    def ends_inside_quotes(self, delimiter: bytes) -> bool:
        """True when the last quote opens a cell that is never closed (for 8-bit and UTF-8 text).

        A well-formed file has an even number of quotes (opening, closing and doubled ones
        come in pairs); when the count is odd and the last quote follows a delimiter or a
        line break and is not followed by one, that cell runs to the end of the file.
        """
        if self.quotes % 2 == 0:
            return False
        return self.before_last_quote in (b"", delimiter, b"\n", b"\r") and self.after_last_quote not in (
            delimiter,
            b"\n",
            b"\r",
        )


def scan_file(path: Path) -> ByteScan:
    """Hash *path* and find its last double quote."""
    digest = hashlib.sha256()
    quotes = 0
    before = after = previous = b""
    pending = False
    # One reused buffer: a fresh 16 MiB bytes object per block costs page faults on every read.
    buffer = bytearray(_BLOCK)
    view = memoryview(buffer)
    with path.open("rb") as fh:
        while size := fh.readinto(buffer):
            digest.update(view[:size])
            found = buffer.count(b'"', 0, size)
            if found:
                quotes += found
                index = buffer.rfind(b'"', 0, size)
                before = bytes(buffer[index - 1 : index]) if index else previous
                after = bytes(buffer[index + 1 : min(index + 2, size)])
                pending = not after
            elif pending:
                after, pending = bytes(buffer[:1]), False
            previous = bytes(buffer[size - 1 : size])
    return ByteScan(digest.hexdigest(), quotes, before, after)
