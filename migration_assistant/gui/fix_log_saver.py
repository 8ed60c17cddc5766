"""Writes the session's fix log to its own file, on a thread, once per log.

The wizard saves its session on every page change. A "Fix all" can make a log of half a million
cells, whose JSON takes seconds to write: done on the GUI thread at each page change, the window
would freeze each time. A log never changes once made (fixing or undoing makes a new one), so each
is written once, by a thread, under a new name; the session only names that file. No Qt here.
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

from migration_assistant.core.atomic import write_text
from migration_assistant.gui.session import discard_fix_logs, fix_log_path, new_fix_log_name

if TYPE_CHECKING:
    from migration_assistant.core.api import FixLog

log = logging.getLogger(__name__)


class FixLogSaver:
    """Gives each fix log a file name and writes it in the background (the last one wins)."""

    def __init__(self) -> None:
        self._log: FixLog | None = None
        self._name = ""
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def name_for(self, fix_log: FixLog | None, written: str = "") -> str:
        """The file name the session should give for *fix_log* ("" for none); writes it if new.

        *written*: the file that already holds *fix_log* (a resumed session's): taken as it is.
        """
        if fix_log is None or not len(fix_log):
            if self._name:
                # Every fix undone: the file of the last log (client cells, before and after) goes too.
                self._log, self._name = None, ""
                with self._lock:
                    discard_fix_logs(keep="")
            return ""
        if fix_log is self._log:
            return self._name
        if written:
            self._log, self._name = fix_log, written
            return written
        self._log, self._name = fix_log, new_fix_log_name()
        thread = threading.Thread(
            target=self._write, args=(fix_log, self._name), name="fix-log-saver", daemon=True
        )
        self._thread = thread
        thread.start()
        return self._name

    def _write(self, fix_log: FixLog, name: str) -> None:
        if name != self._name:
            return  # a newer log came before this one was started: only the newest is kept
        text = fix_log.to_json_text()
        with self._lock:  # two logs in quick succession: written one after the other, the latest kept
            try:
                write_text(fix_log_path(name), text)
            except OSError as exc:
                log.warning("fix log not saved: %s", type(exc).__name__)
                return
            if name == self._name:
                discard_fix_logs(keep=name)

    def wait(self, seconds: float = 30.0) -> None:
        """Let the latest write finish (the app is closing: the session names that file)."""
        thread = self._thread
        if thread is not None:
            thread.join(seconds)
