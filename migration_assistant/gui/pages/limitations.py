"""Limitations: what will not move, each item acknowledged by name; blockers accepted explicitly.

The checklist is ``core.checklist``'s, built with the check (``WizardState.checklist``);
this page only records who acknowledged what. Next stays off until every item is ticked
and a name is given, and the page says why in words.
"""

from __future__ import annotations

import itertools

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from migration_assistant.core.api import Checklist, ChecklistItem
from migration_assistant.core.findings import Severity
from migration_assistant.gui.pages import ids
from migration_assistant.gui.pages.base import WizardPage
from migration_assistant.gui.privacy_view import mask_checklist_text
from migration_assistant.gui.widgets.banner import Notice
from migration_assistant.gui.words import plural

BLOCKER_MARK = "\u25a0"
GROUPS = (
    ("finding", "Problems in this export"),
    ("source", "From your old software"),
    ("target", "What the new system does not take"),
    ("fixes", "Fixed for you"),
)
"""Blocking problems first: they are the ones that need a decision."""
READ_IT = "I have read this and understand it"
ACCEPT_IT = "I accept this problem and will submit with errors"


class _ItemView(QFrame):
    """One checklist item: what, why, what to do instead, and its tick box."""

    def __init__(self, item: ChecklistItem, where: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.item = item
        self.setObjectName("checklistItem")
        self.setProperty("blocking", item.blocking)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(3)
        if item.blocking:
            flag = QLabel(f"{BLOCKER_MARK} BLOCKER: this file cannot be migrated as it is")
            flag.setObjectName("blockerFlag")
            layout.addWidget(flag)
        self.what = QLabel()
        self.what.setObjectName("checklistWhat")
        self.what.setWordWrap(True)
        self.what.setTextFormat(Qt.TextFormat.PlainText)
        self.what.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.what)
        if where:
            self.where = QLabel(f"Where: {where}")
            self.where.setWordWrap(True)
            self.where.setTextFormat(Qt.TextFormat.PlainText)
            layout.addWidget(self.where)
        self.why = QLabel(f"Why: {item.why}")
        self.why.setWordWrap(True)
        self.why.setTextFormat(Qt.TextFormat.PlainText)
        self.why.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.why)
        self.instead = QLabel()
        self.instead.setWordWrap(True)
        self.instead.setTextFormat(Qt.TextFormat.PlainText)
        self.instead.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.instead)
        self.check = QCheckBox(ACCEPT_IT if item.blocking else READ_IT)
        self.check.setChecked(item.acknowledged)
        layout.addWidget(self.check)
        self.set_privacy(False)

    def set_privacy(self, privacy: bool) -> None:
        item = self.item
        # A blocker's text quotes a finding, which may quote a client's data.
        what = mask_checklist_text(item.what) if privacy and item.origin == "finding" else item.what
        instead = mask_checklist_text(item.instead) if privacy and item.origin == "finding" else item.instead
        self.what.setText(what)
        self.instead.setText(f"What to do instead: {instead}")
        kind = "Blocker" if item.blocking else "Limitation"
        self.check.setAccessibleName(f"{kind}: {what}. {self.check.text()}")


class LimitationsPage(WizardPage):
    PAGE_ID = ids.LIMITATIONS
    STEP = "What cannot move"
    TITLE = "What will not move to the new system"
    INTRO = (
        "Read what cannot be migrated from this export and what to do instead. Tick each item to confirm "
        "you have read it, then type your name. The list, with your name and the date, goes to your "
        "migration specialist with the data."
    )

    def build(self) -> None:
        self.summary = Notice()
        self.body.addWidget(self.summary)

        self.items_scroll = QScrollArea()
        self.items_scroll.setWidgetResizable(True)
        self.items_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.items_scroll.setAccessibleName("Items to acknowledge")
        content = QWidget()
        content.setObjectName("pageContent")
        self.items_layout = QVBoxLayout(content)
        self.items_layout.setContentsMargins(0, 0, 8, 0)
        self.items_layout.setSpacing(8)
        self.items_scroll.setWidget(content)
        self.body.addWidget(self.items_scroll, 1)

        name_row = QHBoxLayout()
        self.name = QLineEdit()
        self.name.setPlaceholderText("First and last name")
        self.name.setAccessibleName("Your name, as the person signing off")
        self.name.setMaxLength(120)
        self.name.textChanged.connect(self._on_name_changed)
        # Alt+M: Alt+N is Next.
        name_row.addWidget(self.buddy_label("Your na&me (the person signing off):", self.name))
        name_row.addWidget(self.name, 1)
        self.body.addLayout(name_row)
        self.blocked = Notice()
        self.blocked.setAccessibleDescription("Why Next is not available yet")
        self.body.addWidget(self.blocked)

        self.views: list[_ItemView] = []
        self._shown: Checklist | None = None
        self.ctx.privacy.changed.connect(self._on_privacy_changed)

    # --- contract ----------------------------------------------------------------------------------
    def initializePage(self) -> None:
        checklist = self._checklist()
        if checklist is not self._shown:
            self._fill(checklist)
        self.name.blockSignals(True)
        self.name.setText(self.state.acknowledged_by)
        self.name.blockSignals(False)
        self._update()

    def isComplete(self) -> bool:
        return not self.outstanding()

    def validatePage(self) -> bool:
        self._sync()
        return self.isComplete()

    def outstanding(self) -> list[str]:
        """What still holds Next, in words (empty when the sign-off is complete)."""
        checklist = self._shown
        if checklist is None:
            return ["Check your files first: the list is made from the check."]
        out = []
        unticked = [v for v in self.views if not v.check.isChecked()]
        blockers = [v for v in unticked if v.item.blocking]
        if unticked:
            text = f"Tick the {plural(len(unticked), 'item')} not ticked yet"
            if blockers:
                text += f" (including {plural(len(blockers), 'blocker')} you must fix or accept)"
            out.append(text + ".")
        if not self.name.text().strip():
            out.append("Type your name.")
        return out

    # --- the list --------------------------------------------------------------------------------------
    def _checklist(self) -> Checklist | None:
        if self.state.checklist is None and self.state.result is not None:
            # A result stored without its checklist (not through the Check page): build it now.
            from migration_assistant.core.api import build_checklist

            self.state.use_checklist(build_checklist(self.state.result))
        return self.state.checklist

    def _fill(self, checklist: Checklist | None) -> None:
        while self.items_layout.count():
            child = self.items_layout.takeAt(0)
            widget = child.widget() if child is not None else None
            if widget is not None:
                widget.deleteLater()
        self.views = []
        self._shown = checklist
        if checklist is None:
            return
        privacy = self.ctx.privacy.enabled
        for origin, heading in GROUPS:
            items = [i for i in checklist.items if i.origin == origin]
            if not items:
                continue
            if origin == "source":
                profile = self.state.profile
                heading = f"From your old software ({profile.name})" if profile else heading
            title = QLabel(f"<b>{heading}</b>")
            title.setTextFormat(Qt.TextFormat.RichText)
            title.setAccessibleName(heading)
            self.items_layout.addWidget(title)
            for item in items:
                view = _ItemView(item, self._where(item))
                view.set_privacy(privacy)
                view.check.toggled.connect(self._on_ticked)
                self.items_layout.addWidget(view)
                self.views.append(view)
        self.items_layout.addStretch(1)
        # The boxes are made after the name field, so Tab would leave the last one for the wizard's
        # buttons and come to the name last: put the name right after the boxes.
        chain = [v.check for v in self.views] + [self.name]
        for before, after in itertools.pairwise(chain):
            QWidget.setTabOrder(before, after)
        kept = sum(1 for v in self.views if v.check.isChecked())
        blockers = sum(1 for i in checklist.items if i.blocking)
        lines = [f"{plural(len(self.views), 'item')} to acknowledge."]
        if blockers:
            it = "it" if blockers == 1 else "them"
            lines.append(
                f"{plural(blockers, 'blocking problem remains', 'blocking problems remain')} "
                f"({BLOCKER_MARK} BLOCKER, first in the list): fix {it} in your files and check again, "
                f"or accept {it} to submit with errors."
            )
        if kept:
            lines.append(
                f"{plural(kept, 'item')} kept your earlier tick: "
                + ("it has" if kept == 1 else "they have")
                + " not changed since."
            )
        self.summary.set_notice(" ".join(lines), "warning" if blockers else "info")

    def _where(self, item: ChecklistItem) -> str:
        """The files a blocking problem is in (file names are not client data)."""
        result = self.state.result
        if not item.blocking or result is None or ":" not in item.id:
            return ""
        rule = item.id.split(":", 1)[1]
        table = result.report.table()
        files = dict.fromkeys(
            f.file if f.sheet is None else f"{f.file} (sheet {f.sheet})"
            for f in table.where(table.severities() == Severity.BLOCKER)  # only the blockers are made
            if f.rule == rule
        )
        shown = list(files)[:5]
        more = len(files) - len(shown)
        return ", ".join(shown) + (f" and {more} more" if more else "")

    # --- changes -------------------------------------------------------------------------------------------
    def _on_ticked(self, _on: bool) -> None:
        self._sync()
        self._update()

    def _on_name_changed(self, text: str) -> None:
        self.state.acknowledged_by = text.strip()
        self._sync()
        self._update()

    def _sync(self) -> None:
        """Record in the checklist who acknowledged each ticked item (nothing without a name)."""
        checklist = self._shown
        if checklist is None:
            return
        name = self.name.text().strip()
        for view in self.views:
            item = view.item
            if view.check.isChecked() and name:
                if item.acknowledged_by != name:
                    checklist.acknowledge(item.id, name)
            elif not view.check.isChecked() and item.acknowledged:
                checklist.acknowledge(item.id, "")
            elif not name and item.acknowledged:
                checklist.acknowledge(item.id, "")  # no name, no acknowledgement

    def _update(self) -> None:
        missing = self.outstanding()
        self.blocked.set_notice(
            "To go on: " + " ".join(missing) if missing else "Everything is acknowledged. Press Next.",
            "warning" if missing else "success",
        )
        self.completeChanged.emit()

    def _on_privacy_changed(self, enabled: bool) -> None:
        for view in self.views:
            view.set_privacy(enabled)
