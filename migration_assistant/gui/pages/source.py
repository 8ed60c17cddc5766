"""Your old software: a searchable list of source systems, with what each exports and what cannot move."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from migration_assistant.gui.pages import ids
from migration_assistant.gui.pages.base import WizardPage
from migration_assistant.gui.state import AUTO_SOURCE
from migration_assistant.gui.widgets.banner import Notice
from migration_assistant.gui.words import entity_title

SOURCE_ROLE = Qt.ItemDataRole.UserRole + 1
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 2
NAME_ROLE = Qt.ItemDataRole.UserRole + 3
KEY_ROLE = Qt.ItemDataRole.UserRole + 4
"""The program's own words (name, vendor, id): a search that matches them shows only those programs."""
KIND_WORDS = {
    "practice-management": "practice management",
    "accounting": "accounting",
    "contacts": "contacts only",
    "spreadsheet": "spreadsheets",
    "template": "our templates",
}
KIND_ORDER = {"practice-management": 0, "accounting": 1, "contacts": 2, "spreadsheet": 3, "template": 4}

NOT_SURE = "I'm not sure: work it out from my files"


class SourcePage(WizardPage):
    PAGE_ID = ids.SOURCE
    STEP = "Your old software"
    TITLE = "Which software are you moving from?"
    INTRO = (
        "Pick the program your firm used until now. The right choice tells the app how that program "
        "names its columns and what it can and cannot export."
    )

    def build(self) -> None:
        self.search = QLineEdit()
        self.search.setPlaceholderText("Type part of the name, for example PCLaw")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search for your software")
        self.search.textChanged.connect(self._on_search)
        self.search.returnPressed.connect(self._on_search_return)
        search_row = QHBoxLayout()
        search_row.addWidget(self.buddy_label("&Search for your software:", self.search))
        search_row.addWidget(self.search, 1)
        self.body.addLayout(search_row)

        self.list = QListWidget()
        self.list.setAccessibleName("Source systems")
        self.list.setWordWrap(True)
        self.list.setSpacing(3)
        self.list.setAlternatingRowColors(True)
        self.list.currentItemChanged.connect(self._on_current_changed)
        self.details = QTextBrowser()
        self.details.setAccessibleName("What this software can export and what cannot be migrated")
        self.details.setOpenLinks(False)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.buddy_label("S&oftware:", self.list))
        left_layout.addWidget(self.list, 1)
        self.empty = Notice()
        left_layout.addWidget(self.empty)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setChildrenCollapsible(False)
        self.body.addWidget(splitter, 1)
        self.problems = Notice()
        self.body.addWidget(self.problems)
        self._loaded = False

    # --- contract ------------------------------------------------------------------------
    def initializePage(self) -> None:
        if not self._loaded:
            self._load()
        chosen = self.state.source_id
        for i in range(self.list.count()):
            item = self.list.item(i)
            if item.data(SOURCE_ROLE) == chosen:
                if item.isHidden():
                    # An earlier search hides the chosen system (the sample or a resume chose it): show all.
                    self.search.clear()
                self.list.setCurrentItem(item)
                break
        self.search.setFocus()

    def isComplete(self) -> bool:
        item = self.list.currentItem()
        return item is not None and not item.isHidden()

    def validatePage(self) -> bool:
        item = self.list.currentItem()
        if item is None:
            return False
        chosen = item.data(SOURCE_ROLE)
        if chosen != self.state.source_id:
            self.state.source_id = chosen
            self.state.files = []
            self.state.invalidate_result()
        return True

    # --- building the list -----------------------------------------------------------------
    def _load(self) -> None:
        if not self.state.catalog:
            self.state.load_catalog()
        catalog = self.state.catalog
        profiles = sorted(catalog.values(), key=lambda p: (KIND_ORDER.get(p.kind, 3), p.name.casefold()))
        for profile in profiles:
            kind = KIND_WORDS.get(profile.kind, "")
            subtitle = " \u00b7 ".join(
                x for x in (profile.vendor if profile.vendor != profile.name else "", kind) if x
            )
            item = QListWidgetItem(f"{profile.name}\n{subtitle}" if subtitle else profile.name)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, profile.name)
            item.setData(SOURCE_ROLE, profile.id)
            item.setData(NAME_ROLE, profile.name.casefold())
            words = [profile.name, profile.vendor, profile.summary, profile.id]
            item.setData(SEARCH_ROLE, " ".join(words).casefold())
            item.setData(KEY_ROLE, " ".join(words[:2] + words[3:]).casefold())
            item.setToolTip(profile.summary)
            self.list.addItem(item)
        item = QListWidgetItem(f"{NOT_SURE}\nthe app recognises it from the files where it can")
        item.setData(Qt.ItemDataRole.AccessibleTextRole, NOT_SURE)
        item.setData(SOURCE_ROLE, AUTO_SOURCE)
        item.setData(SEARCH_ROLE, "not sure unknown other auto detect")
        self.list.addItem(item)
        problems = self.state.catalog_problems
        if problems:
            self.problems.set_notice(
                f"{len(problems)} description(s) of source systems could not be loaded and are not listed. "
                "Your migration specialist can fix this.",
                "warning",
            )
            self.problems.setToolTip("\n".join(problems))
        self._loaded = True
        self._show_details(None)

    def _on_search(self, text: str) -> None:
        words = text.casefold().split()
        items = [self.list.item(i) for i in range(self.list.count())]
        # Programs named by the search come alone: "Clio" is Clio, not every program whose
        # description mentions Clio's migration guides. Only when no program's own name, vendor
        # or id matches are the descriptions searched too.
        role = KEY_ROLE
        if not any(item.data(KEY_ROLE) and all(w in item.data(KEY_ROLE) for w in words) for item in items):
            role = SEARCH_ROLE
        visible: list[QListWidgetItem] = []
        for item in items:
            haystack = item.data(role) or ""
            show = item.data(SOURCE_ROLE) == AUTO_SOURCE or all(w in haystack for w in words)
            item.setHidden(not show)
            if show:
                visible.append(item)
        matches = [it for it in visible if it.data(SOURCE_ROLE) != AUTO_SOURCE]
        by_name = [it for it in matches if all(w in (it.data(NAME_ROLE) or "") for w in words)]
        best = matches if len(matches) == 1 else by_name
        current = self.list.currentItem()
        if (
            words
            and len(best) == 1
            and (current is None or current.isHidden() or current.data(SOURCE_ROLE) == AUTO_SOURCE)
        ):
            self.list.setCurrentItem(best[0])
        elif current is not None and current.isHidden():
            self.list.setCurrentItem(None)
            self._show_details(None)
        self.empty.set_notice(
            ""
            if matches or not words
            else "No software by that name is listed. Choose “I'm not sure” "
            "or ask your migration specialist.",
            "info",
        )
        self.completeChanged.emit()

    def _on_search_return(self) -> None:
        for i in range(self.list.count()):
            item = self.list.item(i)
            if not item.isHidden():
                self.list.setCurrentItem(item)
                self.list.setFocus()
                return

    def _on_current_changed(self, current: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        self._show_details(current.data(SOURCE_ROLE) if current is not None else None)
        self.completeChanged.emit()

    def _show_details(self, source_id: str | None) -> None:
        if source_id is None:
            self.details.setHtml("<p>Choose your software on the left to see what it can export.</p>")
            return
        if source_id == AUTO_SOURCE:
            self.details.setHtml(
                "<h3>Not sure?</h3><p>Go on and add your files: the app recognises the software from the "
                "files' columns where it can. Your migration specialist can confirm it.</p>"
            )
            return
        profile = self.state.catalog[source_id]
        parts = [f"<h3>{escape(profile.name)}</h3>", f"<p>{escape(profile.summary)}</p>"]
        parts.append("<h4>What it can export</h4><ul>")
        for export in profile.exports:
            need = "" if export.required else " <i>(optional)</i>"
            parts.append(
                f"<li><b>{escape(entity_title(export.entity))}</b>{need}: {escape(export.what)}"
                f"<br>How: {escape(export.how)} Format: {escape(export.format)}.</li>"
            )
        parts.append("</ul>")
        parts.append("<h4>What cannot be migrated</h4>")
        if profile.limitations:
            parts.append("<ul>")
            for lim in profile.limitations:
                parts.append(
                    f"<li><b>{escape(lim.what)}</b><br>Why: {escape(lim.why)}<br>Instead: {escape(lim.instead)}</li>"
                )
            parts.append("</ul>")
        else:
            parts.append("<p>Nothing is known to be left behind.</p>")
        self.details.setHtml("".join(parts))
