"""Add your files: drop or browse; each file listed with what it holds, its rows and its encoding."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWizard,
)

from migration_assistant.core.findings import encoding_label
from migration_assistant.gui.operations import ReadResult, read_files_op
from migration_assistant.gui.pages import ids
from migration_assistant.gui.pages.base import WizardPage
from migration_assistant.gui.state import AUTO_SOURCE, FileEntry
from migration_assistant.gui.widgets.banner import Notice
from migration_assistant.gui.widgets.drop_zone import DropZone
from migration_assistant.gui.words import entity_names, entity_title, plural

if TYPE_CHECKING:
    from migration_assistant.core.api import InputFile

UNRECOGNISED = "Not recognised: choose what it holds"
NOT_CHECKED = "Not checked"
WARNING_MARK = "\u26a0 "


class FilesPage(WizardPage):
    PAGE_ID = ids.FILES
    STEP = "Add your files"
    TITLE = "Add the files you exported"
    INTRO = (
        "Drag the exported files, or the whole export folder, onto the box below, or use the buttons. "
        "The app reads them to see what each one holds; it never changes them."
    )
    FILE, ROLE, ROWS, ENCODING, NOTE = range(5)

    def build(self) -> None:
        self.drop = DropZone("Drag your export files or the export folder here")
        self.drop.dropped.connect(self._on_dropped)
        self.setAcceptDrops(False)
        self.body.addWidget(self.drop)

        buttons = QHBoxLayout()
        self.add_files_button = QPushButton("Add &files…")
        self.add_files_button.setAccessibleName("Add files")
        self.add_files_button.clicked.connect(self._on_add_files)
        self.add_folder_button = QPushButton("Add a f&older…")
        self.add_folder_button.setAccessibleName("Add a folder")
        self.add_folder_button.clicked.connect(self._on_add_folder)
        self.remove_button = QPushButton("&Remove selected")
        self.remove_button.setAccessibleName("Remove the selected file")
        self.remove_button.clicked.connect(self._on_remove)
        self.clear_button = QPushButton("C&lear all")
        self.clear_button.setAccessibleName("Remove every file")
        self.clear_button.clicked.connect(self._on_clear)
        for button in (self.add_files_button, self.add_folder_button, self.remove_button, self.clear_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.body.addLayout(buttons)

        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(["File", "What it holds", "Rows", "Encoding", "Note"])
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.setAccessibleName("Files added")
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(self.FILE, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(self.ROLE, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(self.ROWS, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(self.ENCODING, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(self.NOTE, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        files_label = QLabel("Files &added:")
        files_label.setBuddy(self.table)
        self.body.addWidget(files_label)
        self.body.addWidget(self.table, 1)

        progress_row = QHBoxLayout()
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Reading the files")
        self.progress.setTextVisible(False)
        self.progress_label = QLabel()
        progress_row.addWidget(self.progress_label, 1)
        progress_row.addWidget(self.progress, 1)
        self.body.addLayout(progress_row)
        self._set_reading(False)

        self.problems = Notice()
        self.missing = Notice()
        self.changed = Notice()
        for notice in (self.problems, self.missing, self.changed):
            self.body.addWidget(notice)
        # The files look like another program's export than the one chosen: say so, offer it.
        mismatch_row = QHBoxLayout()
        self.mismatch = Notice()
        self.use_better_button = QPushButton()
        self.use_better_button.clicked.connect(self._on_use_better_source)
        mismatch_row.addWidget(self.mismatch, 1)
        mismatch_row.addWidget(self.use_better_button, 0, Qt.AlignmentFlag.AlignTop)
        self.body.addLayout(mismatch_row)
        self._better_source: tuple[str, str] | None = None
        self._show_better_source()
        self.setButtonText(QWizard.WizardButton.NextButton, "&Next: match columns")
        self._operation = None
        self._read_for: tuple[tuple[str, ...], str | None] | None = None
        self._skipped: list[InputFile] = []
        """Files in the folders added that are not read: listed below the others, and sealed."""
        self.state.inputs_changed.connect(self._on_inputs_changed)

    # --- contract ---------------------------------------------------------------------------
    def initializePage(self) -> None:
        if self._needs_reading():
            self._start_reading()
        else:
            self._fill()

    def showEvent(self, event: QShowEvent) -> None:
        """Coming Back from a later page (no initializePage then): show the choices made there."""
        super().showEvent(event)
        if not self.reading and self.table.rowCount() == len(self.state.files) + len(self._skipped):
            for row, entry in enumerate(self.state.files):
                self.table.setItem(row, self.NOTE, self._item(self._note(entry)))
            self._update_notices()

    def cleanupPage(self) -> None:
        self._cancel_reading()

    def isComplete(self) -> bool:
        if self.reading:
            return False
        return any(self.state.role_of(e) for e in self.state.readable_files())

    def validatePage(self) -> bool:
        return self.isComplete()

    # --- adding and removing --------------------------------------------------------------------
    def add_paths(self, paths: list[Path]) -> None:
        """Add files or folders (what a drop, Browse or the sample does)."""
        if not self.state.add_inputs(paths):
            self.problems.set_notice("Those files are already in the list.", "info")

    def _on_dropped(self, paths: list[Path]) -> None:
        self.add_paths(paths)

    def _on_add_files(self) -> None:
        chosen = self.ctx.dialogs.open_files(self, "Choose the exported files")
        if chosen:
            self.add_paths(chosen)

    def _on_add_folder(self) -> None:
        folder = self.ctx.dialogs.open_folder(self, "Choose the export folder")
        if folder is not None:
            self.add_paths([folder])

    def _on_remove(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedIndexes()})
        if not rows:
            return
        files = self.state.files
        gone_paths = {files[r].path if r < len(files) else self._skipped[r - len(files)].path for r in rows}
        # A file from a folder cannot be removed alone: remove the given path that holds it.
        remove: list[Path] = []
        folders: list[Path] = []
        for given in self.state.inputs:
            for path in gone_paths:
                if path == given and given not in remove:
                    remove.append(given)
                elif given in path.parents and given not in remove:
                    remove.append(given)
                    folders.append(given)
        if folders and not self.ctx.dialogs.confirm(
            self,
            "Remove the folder?",
            "The selected file came with the folder “"
            + "”, “".join(f.name for f in folders)
            + "”. Remove the whole folder from the list? (Nothing is deleted from your computer.)",
            yes="Remove the folder",
            no="Keep it",
        ):
            return
        if remove:
            self.state.remove_inputs(remove)

    def _on_clear(self) -> None:
        if self.state.inputs:
            self.state.remove_inputs(list(self.state.inputs))

    def _on_inputs_changed(self) -> None:
        if self.is_current():
            self._start_reading()

    # --- reading ---------------------------------------------------------------------------------
    @property
    def reading(self) -> bool:
        return (
            self._operation is not None
            and self._operation.running
            and not self._operation.is_cancel_requested()
        )

    def _signature(self) -> tuple[tuple[str, ...], str | None]:
        return tuple(str(p) for p in self.state.inputs), self.state.source_id

    def _needs_reading(self) -> bool:
        return bool(self.state.inputs) and (not self.state.files or self._read_for != self._signature())

    def _start_reading(self) -> None:
        self._cancel_reading()
        self.problems.set_notice("")
        self._better_source = None
        self._show_better_source()
        if not self.state.inputs:
            self._skipped = []
            self.state.set_files([], [], None)
            self._read_for = self._signature()
            self._fill()
            return
        if not self.state.catalog:
            self.state.load_catalog()
        self._set_reading(True, "Reading the files…")
        signature = self._signature()
        self._operation = self.run(
            "read files",
            read_files_op(list(self.state.inputs), self.state.source_id, self.state.catalog),
            on_success=lambda result: self._on_read(result, signature),
            on_failure=self._on_read_failed,
            on_progress=self._on_progress,
        )
        self.completeChanged.emit()

    def _cancel_reading(self) -> None:
        if self._operation is not None:
            self._operation.cancel()
            self._operation = None
        self._set_reading(False)

    def _on_progress(self, progress: object) -> None:
        step = getattr(progress, "step", "")
        self.progress.setRange(0, max(1, getattr(progress, "total", 1)))
        self.progress.setValue(getattr(progress, "done", 0))
        self.progress_label.setText(f"{step}…")

    def _on_read(self, result: ReadResult, signature: tuple[tuple[str, ...], str | None]) -> None:
        self._operation = None
        self._read_for = signature
        self._set_reading(False)
        self._skipped = list(result.skipped)
        self._better_source = result.better_source
        self._show_better_source()
        self.state.set_files(result.files, result.problems, result.detected_source)
        resumed = self.state.resumed_from
        if resumed is not None:
            current = {str(e.path): e.sha256 for e in result.files if e.error is None}
            self.state.changed_since_last_time = resumed.changed_files(current)
            self.state.resumed_from = None
        self._fill()
        self.completeChanged.emit()

    def _on_read_failed(self, exc: BaseException) -> None:
        self._operation = None
        self._set_reading(False)
        self.problems.set_notice(
            f"The files could not be read ({type(exc).__name__}). Check they are still there and try again.",
            "warning",
        )
        self.completeChanged.emit()

    def _show_better_source(self) -> None:
        better = self._better_source
        profile = self.state.catalog.get(better[0]) if better else None
        if better is None or profile is None:
            self.mismatch.set_notice("")
            self.use_better_button.setVisible(False)
            return
        self.mismatch.set_notice(better[1], "warning")
        self.use_better_button.setText(f"&Use {profile.name} instead")
        self.use_better_button.setAccessibleName(f"Use {profile.name} as the old software instead")
        self.use_better_button.setVisible(True)

    def _on_use_better_source(self) -> None:
        """Switch to the source system the files match, and read them again under it."""
        if self._better_source is None:
            return
        self.state.source_id = self._better_source[0]
        self.state.invalidate_result()
        self._better_source = None
        self._show_better_source()
        self._start_reading()

    def _set_reading(self, reading: bool, text: str = "") -> None:
        self.progress.setVisible(reading)
        self.progress.setRange(0, 0)
        self.progress_label.setText(text)
        self.progress_label.setVisible(reading)
        self._update_buttons()

    def _update_buttons(self) -> None:
        has_rows = self.table.rowCount() > 0
        self.remove_button.setEnabled(bool(self.table.selectedIndexes()))
        self.clear_button.setEnabled(has_rows or bool(self.state.inputs))

    # --- showing --------------------------------------------------------------------------------
    def _fill(self) -> None:
        files = self.state.files
        self.table.setRowCount(len(files) + len(self._skipped))
        for row, entry in enumerate(files):
            self.table.setItem(row, self.FILE, self._item(entry.label, entry.error or str(entry.path)))
            self.table.setCellWidget(row, self.ROLE, self._role_box(entry))
            rows = self._item("" if entry.error else f"{entry.rows:,}")
            rows.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(row, self.ROWS, rows)
            self.table.setItem(row, self.ENCODING, self._item(encoding_label(entry.encoding)))
            self.table.setItem(row, self.NOTE, self._item(self._note(entry)))
        for row, item in enumerate(self._skipped, start=len(files)):
            self.table.setItem(row, self.FILE, self._item(item.display, str(item.path)))
            self.table.removeCellWidget(row, self.ROLE)
            self.table.setItem(row, self.ROLE, self._item(NOT_CHECKED))
            self.table.setItem(row, self.ROWS, self._item(""))
            self.table.setItem(row, self.ENCODING, self._item(""))
            self.table.setItem(
                row,
                self.NOTE,
                self._item(
                    f"Not checked: {item.not_read}. It goes into the package as it is, for your specialist."
                    if item.sealed
                    else f"Skipped: {item.not_read}. It was neither checked nor put in the package."
                ),
            )
        self.table.resizeColumnToContents(self.FILE)
        self.table.resizeRowsToContents()
        self._update_notices()
        self._update_buttons()

    def _item(self, text: str, tooltip: str | None = None) -> QTableWidgetItem:
        item = QTableWidgetItem(text)
        if tooltip:
            item.setToolTip(tooltip)
        return item

    def _note(self, entry: FileEntry) -> str:
        if entry.error:
            return f"{WARNING_MARK}Could not be read: {entry.error}"
        role = self.state.role_of(entry)
        if role is None:
            return (
                f"{WARNING_MARK}Not recognised: its columns do not match any kind of record. "
                "Choose what it holds, or it will not be checked."
            )
        if self.state.is_left_out(entry):
            return "Left out at your request (on Map columns): it will not be checked."
        if entry.key in self.state.role_choices:
            return "You chose what this file holds."
        if entry.ambiguous and entry.runner_up:
            return f"Could also be {entity_title(entry.runner_up)}: please confirm."
        if entry.rows == 0:
            return f"{WARNING_MARK}This file has no records."
        return ""

    def _role_box(self, entry: FileEntry) -> QComboBox:
        box = QComboBox()
        box.setAccessibleName(f"What {entry.label} holds")
        box.setEnabled(entry.error is None)
        current = self.state.role_of(entry)
        if current is None:
            box.addItem(UNRECOGNISED, None)
        for name in entity_names():
            box.addItem(entity_title(name), name)
        index = box.findData(current) if current else 0
        box.setCurrentIndex(max(index, 0))
        box.currentIndexChanged.connect(lambda _i, e=entry, b=box: self._on_role_chosen(e, b))
        return box

    def _on_role_chosen(self, entry: FileEntry, box: QComboBox) -> None:
        chosen = box.currentData()
        if chosen is None or chosen == entry.role:
            self.state.role_choices.pop(entry.key, None)
        else:
            self.state.role_choices[entry.key] = chosen
        self.state.invalidate_result()
        row = self.state.files.index(entry)
        self.table.setItem(row, self.NOTE, self._item(self._note(entry)))
        self._update_notices()
        self.completeChanged.emit()

    def _update_notices(self) -> None:
        problems = list(self.state.read_problems)
        unreadable = [e for e in self.state.files if e.error]
        unknown = [e for e in self.state.readable_files() if not self.state.role_of(e)]
        if unreadable:
            problems.append(f"{plural(len(unreadable), 'file')} could not be read (see the list).")
        if unknown:
            problems.append(
                f"{plural(len(unknown), 'file')} not recognised: choose what each holds in "
                "“What it holds”, or remove it."
            )
        level = "warning" if problems else "info"
        sealed = sum(1 for item in self._skipped if item.sealed)
        if sealed:
            problems.append(
                f"Not checked, but still sealed into the package as given: {plural(sealed, 'file')} "
                "of a kind the app does not read (see the list)."
            )
        if len(self._skipped) > sealed:
            problems.append(
                f"Skipped: {plural(len(self._skipped) - sealed, 'link')} to files outside the folder "
                "(neither checked nor sealed; see the list)."
            )
        self.problems.set_notice("\n".join(problems), level)

        profile = self.state.profile
        present = self.state.roles_present()
        if profile is None or not self.state.files:
            self.missing.set_notice("")
        else:
            required = [e for e in profile.exports if e.required and e.entity not in present]
            optional = [e for e in profile.exports if not e.required and e.entity not in present]
            lines = []
            if self.state.source_id == AUTO_SOURCE:
                lines.append(f"These files look like they come from: {profile.name}.")
            if required:
                lines.append(
                    "Still missing: "
                    + "; ".join(
                        f"{entity_title(e.entity)} ({e.what[:1].lower()}{e.what[1:].rstrip('.')})"
                        for e in required
                    )
                    + "."
                )
            if optional:
                lines.append(
                    "Not added (only if your firm has them): "
                    + ", ".join(entity_title(e.entity) for e in optional)
                    + "."
                )
            self.missing.set_notice("\n".join(lines), "warning" if required else "info")
        changed = self.state.changed_since_last_time
        self.changed.set_notice(
            "Changed since you last worked on this, so checked again: " + ", ".join(changed) + "."
            if changed
            else "",
            "info",
        )
