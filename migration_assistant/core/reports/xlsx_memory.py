"""Keep openpyxl's worksheet buffers in memory.

openpyxl writes every worksheet to a named temporary file before zipping the
workbook; for our reports those files would hold client data in plaintext in the
system temp folder. Pointing its buffer factory at an in-memory buffer, and zipping
from that buffer, keeps them off the disk (report sheets are capped, so memory stays
bounded). Checked against openpyxl 3.1.5, the pinned version.
"""

from __future__ import annotations

from io import BytesIO
from typing import Any

from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.worksheet import _writer
from openpyxl.writer import excel

_original_cleanup = _writer.WorksheetWriter.cleanup


class _Buffer(BytesIO):
    """A buffer that survives openpyxl closing it, so its bytes can still be zipped."""

    def close(self) -> None:
        pass


def _memory_buffer(suffix: str = "") -> _Buffer:
    return _Buffer()


def _cleanup(self: Any) -> None:
    if isinstance(self.out, BytesIO):
        self.out = None
        return
    _original_cleanup(self)


def _write_worksheet(self: Any, ws: Any) -> None:
    ws._drawing = SpreadsheetDrawing()
    ws._drawing.charts = ws._charts
    ws._drawing.images = ws._images
    if self.workbook.write_only:
        if not ws.closed:
            ws.close()
        writer = ws._writer
    else:
        writer = _writer.WorksheetWriter(ws)
        writer.write()
    ws._rels = writer._rels
    if isinstance(writer.out, BytesIO):
        self._archive.writestr(ws.path[1:], writer.out.getvalue())
    else:
        self._archive.write(writer.out, ws.path[1:])
    self.manifest.append(ws)
    writer.cleanup()


def install() -> None:
    """Idempotent: after this, no openpyxl save in this process touches the temp folder."""
    _writer.create_temporary_file = _memory_buffer
    _writer.WorksheetWriter.cleanup = _cleanup  # type: ignore[method-assign]
    excel.ExcelWriter.write_worksheet = _write_worksheet  # type: ignore[method-assign]
