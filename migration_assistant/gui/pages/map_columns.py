"""Map columns: each file's columns beside the new system's fields, with the match, how sure it is,
and a dropdown to change it; a preview of the first rows; required fields without a column hold Next.

The matches are the engine's own (``core.recognise.suggest_mapping``): exact names and the
software's known names first, then similar names with a score. A change is kept in the
session and remembered for the software (``core.mapping_store``), and the check uses it.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
)

from migration_assistant.core.api import (
    ColumnMatch,
    Profile,
    SavedMapping,
    TableMapping,
    by_name_notes,
    entities,
    normalise_label,
)
from migration_assistant.gui import column_choices
from migration_assistant.gui.column_choices import NOT_IN_FILE
from migration_assistant.gui.pages import ids
from migration_assistant.gui.pages.base import WizardPage
from migration_assistant.gui.privacy_view import mask_text, private_labels
from migration_assistant.gui.state import FileEntry
from migration_assistant.gui.widgets.banner import Notice
from migration_assistant.gui.words import entity_title, plural

KEY_ROLE = Qt.ItemDataRole.UserRole + 1
FORMAT_NAMES = {"ledes": "LEDES", "ics": "iCalendar", "vcf": "vCard", "iif": "QuickBooks IIF"}
NOT_IN_FILE_TEXT = "— not in this file —"
WARNING_MARK = "\u26a0 "
READY_MARK = "\u2713 "


def how_sure(match: ColumnMatch | None, suggestion: ColumnMatch | None, required: bool) -> str:
    """How the column was matched, in words, with its score."""
    if match is not None:
        if match.how == "user":
            return "Your choice"
        if match.how == "exact":
            return "Same name (100%)"
        if match.how == "synonym":
            return f"Known name for this field ({match.score:.0f}%)"
        return f"Similar name ({match.score:.0f}% alike): please check"
    if suggestion is not None:
        return f"Not matched. Maybe “{suggestion.label}” ({suggestion.score:.0f}% alike)?"
    if required:
        return f"{WARNING_MARK}Needed: choose the column that holds it"
    return "Not in this file"


class MapColumnsPage(WizardPage):
    PAGE_ID = ids.MAP_COLUMNS
    STEP = "Map columns"
    TITLE = "Match your columns to the new system's fields"
    INTRO = (
        "For each file, the app has matched its columns to the fields the new system takes. Check the "
        "matches and change any that are wrong with the dropdowns. Every field marked “needed” must have "
        "a column. Your choices are remembered for the next export from the same software."
    )
    FIELD, COLUMN, SURE = range(3)

    def build(self) -> None:
        self.setButtonText(QWizard.WizardButton.NextButton, "Chec&k my files")
        self.files = QListWidget()
        self.files.setAccessibleName("Files to map")
        self.files.setWordWrap(True)
        self.files.setSpacing(2)
        self.files.currentItemChanged.connect(self._on_file_changed)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.buddy_label("&Files:", self.files))
        left_layout.addWidget(self.files, 1)
        self.unrecognised = QLabel()
        self.unrecognised.setWordWrap(True)
        left_layout.addWidget(self.unrecognised)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        self.heading = QLabel()
        self.heading.setObjectName("mapHeading")
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        right_layout.addWidget(self.heading)
        actions = QHBoxLayout()
        self.leave_out = QCheckBox("&Leave this file out of the check")
        self.leave_out.setAccessibleName("Leave this file out of the check")
        self.leave_out.setToolTip(
            "Use this for a file that is not needed, or that you will export again later."
        )
        self.leave_out.toggled.connect(self._on_leave_out)
        self.reset_button = QPushButton("Use the app's &suggestions again")
        self.reset_button.setAccessibleName("Use the app's suggestions again")
        self.reset_button.setToolTip(
            "Forget your choices for this kind of file and match the columns afresh."
        )
        self.reset_button.clicked.connect(self._on_reset)
        actions.addWidget(self.leave_out)
        actions.addStretch(1)
        actions.addWidget(self.reset_button)
        right_layout.addLayout(actions)

        self.fields = QTableWidget(0, 3)
        self.fields.setHorizontalHeaderLabels(["Field in the new system", "Column in your file", "How sure"])
        self.fields.verticalHeader().setVisible(False)
        self.fields.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.fields.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.fields.setAlternatingRowColors(True)
        self.fields.setWordWrap(True)
        self.fields.setAccessibleName("Fields of the new system and the column chosen for each")
        header = self.fields.horizontalHeader()
        header.setSectionResizeMode(self.FIELD, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(self.COLUMN, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(self.SURE, QHeaderView.ResizeMode.Stretch)
        self.fields.setColumnWidth(self.COLUMN, self.fontMetrics().horizontalAdvance("x") * 30)
        fields_box = QWidget()
        fields_layout = QVBoxLayout(fields_box)
        fields_layout.setContentsMargins(0, 0, 0, 0)
        fields_layout.addWidget(self.fields, 1)
        self.extra = Notice()
        fields_layout.addWidget(self.extra)
        self.by_name = Notice()
        self.by_name.setAccessibleDescription("People and clients named in this file instead of their IDs")
        fields_layout.addWidget(self.by_name)

        self.preview = QTableWidget(0, 0)
        self.preview.verticalHeader().setVisible(False)
        self.preview.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview.setWordWrap(False)
        self.preview.setAccessibleName("The first rows of the file")
        self.preview.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.preview.setMinimumHeight(self.preview.verticalHeader().defaultSectionSize() * 3)
        preview_box = QWidget()
        preview_layout = QVBoxLayout(preview_box)
        preview_layout.setContentsMargins(0, 0, 0, 0)
        self.preview_label = self.buddy_label("The first rows of the file:", self.preview)
        preview_layout.addWidget(self.preview_label)
        preview_layout.addWidget(self.preview, 1)

        split_right = QSplitter(Qt.Orientation.Vertical)
        split_right.addWidget(fields_box)
        split_right.addWidget(preview_box)
        split_right.setStretchFactor(0, 3)
        split_right.setStretchFactor(1, 1)
        split_right.setChildrenCollapsible(False)
        right_layout.addWidget(split_right, 1)
        self.split_right = split_right
        split_right.installEventFilter(self)
        self.fields.setMinimumHeight(self.fields.verticalHeader().defaultSectionSize() * 4)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 4)
        splitter.setChildrenCollapsible(False)
        left.setMinimumWidth(self.fontMetrics().horizontalAdvance("x") * 24)
        splitter.setSizes([260, 900])
        self.body.addWidget(splitter, 1)

        self.blocked = Notice()
        self.blocked.setAccessibleDescription("Why Next is not available yet")
        self.body.addWidget(self.blocked)

        self._stored = SavedMapping("")
        self._mappings: dict[str, TableMapping] = {}
        self._entries: dict[str, FileEntry] = {}
        self._current: FileEntry | None = None
        self.ctx.privacy.changed.connect(self._on_privacy_changed)
        self.state.result_changed.connect(self._show_by_name)

    # --- contract ------------------------------------------------------------------------------
    def initializePage(self) -> None:
        profile = self.state.profile
        self._stored = column_choices.stored_choices(profile.id if profile else None)
        self._entries = {e.key: e for e in self.state.readable_files() if self.state.role_of(e) is not None}
        self._mappings = {}
        for entry in self._entries.values():
            self._remap(entry)
        self._fill_files()
        first = next((r for r in range(self.files.count()) if self._needs_attention(self._entry_at(r))), 0)
        if self.files.count():
            self.files.setCurrentRow(first)
        self._update_blocked()
        self.files.setFocus()

    def isComplete(self) -> bool:
        return not self.problems()

    def validatePage(self) -> bool:
        return self.isComplete()

    def problems(self) -> list[str]:
        """Why Next is held, one plain sentence per file (empty when it is not)."""
        included = [e for e in self._entries.values() if not self.state.is_left_out(e)]
        if self._entries and not included:
            return ["Every file is left out, so there is nothing to check: include at least one."]
        out = []
        for entry in included:
            mapping = self._mappings.get(entry.key)
            if mapping is None or not mapping.missing_required:
                continue
            fields = ", ".join(f"“{t}”" for t in mapping.missing_required)
            what = "field" if len(mapping.missing_required) == 1 else "fields"
            out.append(
                f"In {entry.label} ({entity_title(mapping.entity)}), no column is chosen for the needed "
                f"{what} {fields}."
            )
        return out

    # --- mapping ----------------------------------------------------------------------------------
    def _profile(self) -> Profile | None:
        return self.state.profile

    def _remap(self, entry: FileEntry) -> None:
        profile = self._profile()
        entity = self.state.role_of(entry)
        if profile is None or entity is None:
            self._mappings.pop(entry.key, None)
            return
        self._mappings[entry.key] = column_choices.mapping_for(
            self.state, entry, entity, profile, self._stored
        )

    def _needs_attention(self, entry: FileEntry | None) -> bool:
        if entry is None or self.state.is_left_out(entry):
            return False
        mapping = self._mappings.get(entry.key)
        return mapping is not None and bool(mapping.missing_required)

    def _entry_at(self, row: int) -> FileEntry | None:
        item = self.files.item(row)
        return self._entries.get(item.data(KEY_ROLE)) if item is not None else None

    # --- the list of files ---------------------------------------------------------------------------
    def _fill_files(self) -> None:
        self.files.blockSignals(True)
        current = self._current.key if self._current else None
        self.files.clear()
        for entry in self._entries.values():
            item = QListWidgetItem()
            item.setData(KEY_ROLE, entry.key)
            self.files.addItem(item)
            self._label_item(item, entry)
            if entry.key == current:
                self.files.setCurrentItem(item)
        self.files.blockSignals(False)
        unknown = [
            e
            for e in self.state.readable_files()
            if self.state.role_of(e) is None and e.key not in self._entries
        ]
        self.unrecognised.setText(
            f"{plural(len(unknown), 'file')} not recognised and not listed here: go Back to say what "
            + ("it holds." if len(unknown) == 1 else "they hold.")
            if unknown
            else ""
        )
        self.unrecognised.setVisible(bool(unknown))

    def _label_item(self, item: QListWidgetItem, entry: FileEntry) -> None:
        mapping = self._mappings.get(entry.key)
        entity = self.state.role_of(entry)
        if self.state.is_left_out(entry):
            status = "Left out: not checked"
        elif mapping is not None and mapping.missing_required:
            count = len(mapping.missing_required)
            status = f"{WARNING_MARK}{plural(count, 'needed field')} without a column"
        else:
            status = f"{READY_MARK}Ready"
        item.setText(f"{entry.label}\n{entity_title(entity)} · {status}")
        item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{entry.label}, {entity_title(entity)}: {status}")

    def _refresh_item(self, entry: FileEntry) -> None:
        for row in range(self.files.count()):
            item = self.files.item(row)
            if item.data(KEY_ROLE) == entry.key:
                self._label_item(item, entry)

    def _on_file_changed(self, current: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        entry = self._entries.get(current.data(KEY_ROLE)) if current is not None else None
        self._show_file(entry)

    # --- one file ---------------------------------------------------------------------------------------
    def _show_file(self, entry: FileEntry | None) -> None:
        self._current = entry
        mapping = self._mappings.get(entry.key) if entry is not None else None
        for widget in (self.leave_out, self.reset_button, self.fields, self.preview):
            widget.setEnabled(entry is not None)
        if entry is None or mapping is None:
            self.heading.setText("")
            self.fields.setRowCount(0)
            self.preview.setRowCount(0)
            self.extra.set_notice("")
            self.by_name.set_notice("")
            return
        self.heading.setText(
            f"{entry.label}: {entity_title(mapping.entity)}, {plural(entry.rows, 'row')}, "
            f"{plural(len(entry.labels), 'column')}"
        )
        self.leave_out.blockSignals(True)
        self.leave_out.setChecked(self.state.is_left_out(entry))
        self.leave_out.blockSignals(False)
        self._build_fields(entry, mapping)
        self._update_file(entry)

    def _build_fields(self, entry: FileEntry, mapping: TableMapping) -> None:
        fields = entities()[mapping.entity].fields
        self.fields.setRowCount(len(fields))
        for row, field in enumerate(fields):
            name = f"{field.title} (needed)" if field.required else field.title
            item = QTableWidgetItem(name)
            item.setToolTip(field.description or field.title)
            if field.required:
                font = item.font()
                font.setBold(True)
                item.setFont(font)
            self.fields.setItem(row, self.FIELD, item)
            box = QComboBox()
            box.setAccessibleName(f"Column for {field.title}")
            box.addItem(NOT_IN_FILE_TEXT, NOT_IN_FILE)
            for label in entry.labels:
                box.addItem(label, label)
            box.currentIndexChanged.connect(lambda _i, t=field.title, b=box: self._on_column_chosen(t, b))
            self.fields.setCellWidget(row, self.COLUMN, box)
            self.fields.setItem(row, self.SURE, QTableWidgetItem())

    def _update_file(self, entry: FileEntry) -> None:
        """Show the current mapping of *entry* in the fields table, notes and preview (in place)."""
        mapping = self._mappings.get(entry.key)
        if mapping is None:
            return
        left_out = self.state.is_left_out(entry)
        fields = entities()[mapping.entity].fields
        for row, field in enumerate(fields):
            match = mapping.matches.get(field.title)
            box = self.fields.cellWidget(row, self.COLUMN)
            if isinstance(box, QComboBox):
                box.blockSignals(True)
                box.setCurrentIndex(max(0, box.findData(match.label if match else NOT_IN_FILE)))
                box.setEnabled(not left_out and not entry.fixed_columns)
                box.blockSignals(False)
            sure = self.fields.item(row, self.SURE)
            if sure is not None:
                text = how_sure(match, mapping.suggestions.get(field.title), field.required)
                sure.setText(text)
                sure.setToolTip(text)
        self.fields.resizeRowsToContents()
        extra = [lab for lab in mapping.unmapped_labels if not lab.startswith("(blank column")]
        if left_out:
            self.extra.set_notice(
                "This file is left out: it will not be checked. Untick “Leave this file out” to include it.",
                "info",
            )
        elif entry.fixed_columns:
            self.extra.set_notice(
                f"This is a standard {FORMAT_NAMES.get(entry.format, entry.format)} file: the app reads "
                "each column into its place by the format's own rules, so there is nothing to match here.",
                "info",
            )
        elif extra:
            self.extra.set_notice(
                f"{plural(len(extra), 'column')} of this file "
                + ("has" if len(extra) == 1 else "have")
                + " no place among the new system's fields: "
                + ", ".join(f"“{x}”" for x in extra)
                + ". They are not lost: they travel as custom fields or notes. If one of them is a field "
                "above under another name, choose it there.",
                "info",
            )
        else:
            self.extra.set_notice("Every column of this file has a place in the new system.", "success")
        self._show_by_name()
        self.reset_button.setEnabled(
            not left_out
            and not entry.fixed_columns
            and bool(
                self.state.mappings.get(entry.key, {}).get(mapping.entity)
                or self._stored.columns.get(mapping.entity)
            )
        )
        self._fill_preview(entry, mapping)

    def _show_by_name(self) -> None:
        """After a check: how many people and clients this file names instead of giving their IDs."""
        self.by_name.set_notice(" ".join(self._by_name_notes()), "info")

    def _by_name_notes(self) -> list[str]:
        entry, result = self._current, self.state.result
        mapping = self._mappings.get(entry.key) if entry is not None else None
        if entry is None or mapping is None or result is None or self.state.is_left_out(entry):
            return []
        dataset = result.dataset
        for index, (table, role) in enumerate(zip(dataset.tables, dataset.roles, strict=True)):
            if table.file == entry.file and table.sheet == entry.sheet and role.entity == mapping.entity:
                return by_name_notes(dataset.entities, index)
        return []

    def _fill_preview(self, entry: FileEntry, mapping: TableMapping) -> None:
        labels = list(entry.labels)
        self.preview.clear()
        self.preview.setColumnCount(len(labels))
        self.preview.setRowCount(len(entry.preview))
        goes_to = {m.label: title for title, m in mapping.matches.items()}
        for col, label in enumerate(labels):
            target = goes_to.get(label)
            if target is None:
                head = QTableWidgetItem(f"{label}\n(custom field)")
            elif normalise_label(target) == normalise_label(label):
                head = QTableWidgetItem(label)
            else:
                head = QTableWidgetItem(f"{label}\n→ {target}")
            head.setToolTip(
                f"Goes to the new system's “{target}”."
                if target
                else "No standard place: travels as a custom field."
            )
            self.preview.setHorizontalHeaderItem(col, head)
        privacy = self.ctx.privacy.enabled
        hidden = private_labels(mapping.entity, mapping.to_json(), labels) if privacy else set()
        for row, cells in enumerate(entry.preview):
            for col, value in enumerate(cells):
                shown = mask_text(value) if labels[col] in hidden else value
                self.preview.setItem(
                    row, col, QTableWidgetItem(shown.replace("\r\n", " ").replace("\n", " "))
                )
        self.preview.resizeColumnsToContents()
        widest = self.fontMetrics().horizontalAdvance("x") * 28
        for col in range(len(labels)):
            self.preview.setColumnWidth(col, min(self.preview.columnWidth(col), widest))
        self._fit_preview()
        shown_rows = len(entry.preview)
        self.preview_label.setText(
            f"The first {plural(shown_rows, 'row')} of the file"
            + (" (client data hidden: privacy mode is on):" if privacy else ":")
        )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Fit the preview whenever its splitter gets a new height: the first fit ran before the
        # page had one, and 2.5 of the 5 rows showed.
        if event.type() in (QEvent.Type.Resize, QEvent.Type.Show) and watched is getattr(
            self, "split_right", None
        ):
            self._fit_preview()
        return super().eventFilter(watched, event)

    def _fit_preview(self) -> None:
        """Give the preview the height its rows need (at most half); the fields table gets the rest."""
        sizes = self.split_right.sizes()
        total = sum(sizes)
        if total <= 0:
            return
        table = self.preview
        needed = (
            table.horizontalHeader().sizeHint().height()
            + sum(table.rowHeight(r) for r in range(table.rowCount()))
            + table.horizontalScrollBar().sizeHint().height()
            + table.frameWidth() * 2
            + self.preview_label.sizeHint().height()
            + 8
        )
        preview = max(min(needed, total // 2), table.minimumHeight())
        self.split_right.setSizes([total - preview, preview])

    # --- changes ---------------------------------------------------------------------------------------------
    def _on_column_chosen(self, title: str, box: QComboBox) -> None:
        entry = self._current
        if entry is None:
            return
        mapping = self._mappings.get(entry.key)
        profile = self._profile()
        if mapping is None:
            return
        label = box.currentData()
        column_choices.remember(
            self.state, entry, mapping.entity, title, label, profile.id if profile else None
        )
        self._stored = column_choices.stored_choices(profile.id if profile else None)
        self._after_change(entry)

    def _on_leave_out(self, on: bool) -> None:
        entry = self._current
        if entry is None:
            return
        if on:
            self.state.left_out.add(entry.key)
        else:
            self.state.left_out.discard(entry.key)
        self.state.invalidate_result()
        self._after_change(entry)

    def _on_reset(self) -> None:
        entry = self._current
        mapping = self._mappings.get(entry.key) if entry is not None else None
        if entry is None or mapping is None:
            return
        profile = self._profile()
        if not self.ctx.dialogs.confirm(
            self,
            "Use the suggestions again?",
            f"Forget your column choices for {entity_title(mapping.entity)} files from this software, "
            "and use the app's own matches again?",
            yes="Forget my choices",
            no="Keep them",
        ):
            return
        column_choices.forget(self.state, entry, mapping.entity, profile.id if profile else None)
        self._stored = column_choices.stored_choices(profile.id if profile else None)
        # Every file of the same kind used the remembered choices: match them all afresh.
        for other in self._entries.values():
            self._remap(other)
            self._refresh_item(other)
        self._update_file(entry)
        self._update_blocked()

    def _after_change(self, entry: FileEntry) -> None:
        for other in self._entries.values():
            # Remembered choices are per kind of record: other files of the same kind may change too.
            if other is entry or self.state.role_of(other) == self.state.role_of(entry):
                self._remap(other)
                self._refresh_item(other)
        self._update_file(entry)
        self._update_blocked()

    def _update_blocked(self) -> None:
        problems = self.problems()
        missing = any(self._needs_attention(e) for e in self._entries.values())
        if problems:
            self.blocked.set_notice(
                "Before you go on: "
                + " ".join(problems)
                + (
                    " Choose the column that holds it in the dropdown, or tick “Leave this file out”."
                    if missing
                    else ""
                ),
                "warning",
            )
        else:
            self.blocked.set_notice("")
        self.completeChanged.emit()

    def _on_privacy_changed(self, _enabled: bool) -> None:
        entry = self._current
        mapping = self._mappings.get(entry.key) if entry is not None else None
        if entry is not None and mapping is not None:
            self._fill_preview(entry, mapping)
