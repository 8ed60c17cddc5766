"""The PySide6 wizard: a thin layer over :mod:`migration_assistant.core`.

Importing this package applies one workaround, before any Qt call can need it:
:func:`keep_none_alive`.
"""

from __future__ import annotations

import ctypes
import sys

_NONE_REFERENCES = 1 << 40


def keep_none_alive() -> None:
    """Make ``None`` impossible to deallocate, as CPython 3.12 does for every interpreter.

    PySide6 6.12 hands back ``None`` for an empty ``QVariant`` without taking a reference
    to it: every ``QComboBox.currentData()`` on an item without data and every
    ``QModelIndex.data(role)`` that has nothing for the role takes one reference from
    ``None`` (measured; ``QSettings.value()`` of a missing key does not). A few thousand such
    calls (clicking through problems on the Review page is one per click) and CPython aborts
    with "deallocating None". CPython 3.12 made ``None`` immortal (PEP 683), which turns the
    missing references into no-ops; on 3.11 the same is reached by giving ``None`` more
    references than any session can take. ``None`` is never deallocated in a working
    interpreter anyway, so nothing else changes.
    """
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return
    count = ctypes.c_ssize_t.from_address(id(None))  # ob_refcnt: a PyObject's first field
    if count.value < _NONE_REFERENCES:
        count.value += _NONE_REFERENCES


keep_none_alive()
