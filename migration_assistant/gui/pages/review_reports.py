"""Saving from the Review page: the HTML and Excel reports and the balances CSV, written in a worker.

Each save asks where (through the dialog service), confirms before replacing a file,
writes in a worker with its progress under the buttons, and says where it went or why
it failed. With privacy mode on, the reports hide client data (the checklist's quotes
of findings too).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Generator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from migration_assistant.gui.privacy_view import mask_checklist_text

if TYPE_CHECKING:
    from PySide6.QtWidgets import QPushButton

    from migration_assistant.gui.widgets.balances import BalancesView
    from migration_assistant.gui.widgets.banner import Notice
    from migration_assistant.gui.workers import Operation


class ReportSaving:
    """The Review page's saving, as a mixin: it uses the page's state, context, dialogs and worker pool.

    The page provides ``html_button``, ``xlsx_button``, ``balances_view`` and ``reports_notice``,
    and sets ``_saving`` to None before the first save.
    """

    html_button: QPushButton
    xlsx_button: QPushButton
    balances_view: BalancesView
    reports_notice: Notice
    _saving: Operation | None
    state: Any
    ctx: Any
    run: Any

    def save_html_report(self) -> None:
        """Ask where, then write the self-contained HTML report in a worker (privacy-safe when privacy is on)."""
        self._save("html")

    def save_xlsx_report(self) -> None:
        """Ask where, then write the Excel report in a worker (privacy-safe when privacy is on)."""
        self._save("xlsx")

    def save_balances_csv(self) -> None:
        """Ask where, then write the balances (the real figures) as CSV in a worker."""
        balances = self.state.balances
        if balances is None:
            return
        target = self._ask_where(
            "Save the balances brought forward", "balances-brought-forward.csv", "CSV file (*.csv)"
        )
        if target is None:
            return
        self._write("balances CSV", lambda _cancelled: balances.to_csv(target), target, "The balances")

    def _save(self, kind: str) -> None:
        result = self.state.result
        if result is None:
            return
        privacy = self.ctx.privacy.enabled
        suffix = "-privacy" if privacy else ""
        if kind == "html":
            target = self._ask_where(
                "Save the report as a web page", f"migration-check-report{suffix}.html", "Web page (*.html)"
            )
        else:
            target = self._ask_where(
                "Save the report as an Excel workbook",
                f"migration-check-report{suffix}.xlsx",
                "Excel workbook (*.xlsx)",
            )
        if target is None:
            return
        balances = self.state.balances
        timeline = self.state.timeline()
        checklist = self._checklist_for_report(privacy)

        def write_html(_cancelled: Callable[[], bool]) -> None:
            from migration_assistant.core.api import write_html

            write_html(
                result, target, privacy=privacy, balances=balances, timeline=timeline, checklist=checklist
            )

        def write_xlsx(_cancelled: Callable[[], bool]) -> Generator[Any, None, None]:
            from migration_assistant.core.api import iter_write_xlsx

            # A generator: the worker shows its progress and stops it if the page goes away.
            yield from iter_write_xlsx(result, target, balances=balances, privacy=privacy)

        what = "The report" + (" (client data hidden: privacy mode is on)" if privacy else "")
        self._write(f"{kind} report", write_html if kind == "html" else write_xlsx, target, what)

    def _checklist_for_report(self, privacy: bool) -> Any:
        """The checklist as the report shows it: a blocker's text quotes a finding, so it is masked too."""
        checklist = self.state.checklist
        if checklist is None or not privacy:
            return checklist
        from migration_assistant.core.api import Checklist

        headers = (
            [c for info in self.state.result.report.files for c in info.columns] if self.state.result else []
        )
        items = [
            dataclasses.replace(
                item,
                what=mask_checklist_text(item.what, headers),
                instead=mask_checklist_text(item.instead, headers),
            )
            if item.origin == "finding"
            else dataclasses.replace(item)
            for item in checklist.items
        ]
        return Checklist(checklist.source, items, checklist.created_at)

    def _ask_where(self, title: str, name: str, file_filter: str) -> Path | None:
        target = self.ctx.dialogs.save_file(self, title, Path.home() / name, file_filter)
        if target is None:
            return None
        wanted = Path(name).suffix
        if target.suffix.lower() != wanted:
            target = target.with_name(target.name + wanted)
        if target.exists() and not self.ctx.dialogs.confirm(
            self,
            "Replace the file?",
            f"“{target.name}” already exists. Replace it?",
            yes="Replace",
            no="Keep it",
        ):
            return None
        return target

    def _write(self, name: str, op: Callable[[Callable[[], bool]], Any], target: Path, what: str) -> None:
        if self._saving is not None:
            return
        self._set_saving(True)
        self.reports_notice.set_notice(f"Saving {target.name}…", "info")
        self._saving = self.run(
            f"save {name}",
            op,
            on_success=lambda _r: self._on_saved(f"{what} was saved: {target}"),
            on_failure=lambda exc: self._on_save_failed(target, exc),
            on_progress=lambda step: self._on_save_progress(target, step),
            on_cancelled=self._on_save_cancelled,
        )

    def _on_save_progress(self, target: Path, step: Any) -> None:
        fraction = getattr(step, "fraction", None)
        if self._saving is not None and fraction is not None:
            self.reports_notice.set_notice(f"Saving {target.name}… {fraction:.0%}", "info")

    def _on_save_cancelled(self) -> None:
        self._saving = None
        self._set_saving(False)
        self.reports_notice.set_notice("The report was not saved.", "info")

    def _on_saved(self, text: str) -> None:
        self._saving = None
        self._set_saving(False)
        self.reports_notice.set_notice(text, "success")

    def _on_save_failed(self, target: Path, exc: BaseException) -> None:
        self._saving = None
        self._set_saving(False)
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else type(exc).__name__
        self.reports_notice.set_notice(
            f"{target.name} could not be saved ({reason}). Choose another folder, or close the file if it "
            "is open in another program, and try again.",
            "warning",
        )

    def _set_saving(self, saving: bool) -> None:
        for button in (self.html_button, self.xlsx_button, self.balances_view.save_button):
            button.setEnabled(not saving)
        if not saving:
            self.balances_view.save_button.setEnabled(self.state.balances is not None)

    def _update_report_note(self) -> None:
        if self._saving is not None:
            return
        self.reports_notice.set_notice(
            "Privacy mode is on: reports saved now hide client names, details and amounts. Switch it off "
            "to save the full reports."
            if self.ctx.privacy.enabled
            else "",
            "info",
        )
