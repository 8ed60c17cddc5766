"""Export guide: the chosen software's export steps to tick off, the files to make, and help to get.

The ticks are a help for keeping one's place (remembered in the session), never a gate:
Next works without them, and the page says so.
"""

from __future__ import annotations

import logging
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from migration_assistant.core.api import ExportStep, GuideStep, Profile
from migration_assistant.gui.pages import ids
from migration_assistant.gui.pages.base import WizardPage
from migration_assistant.gui.widgets.banner import Notice
from migration_assistant.gui.words import entity_title

log = logging.getLogger(__name__)

TEMPLATE_SOURCE = "template"

SESSION_HELP = (
    "<p>Your migration specialist can do the export with you in an <b>export session</b>: a video call "
    "where they watch your screen and tell you where to click. Ask them for a time. To be ready:</p>"
    "<ul>"
    "<li>Have your old software open, logged in as an <b>administrator</b> (someone allowed to run "
    "every report and export).</li>"
    "<li>Know your <b>cut-off date</b>: the last day anyone enters data in the old software.</li>"
    "<li>Switch on <b>privacy mode</b> in this app before you share your screen (the button at the "
    "bottom left, or Ctrl+Shift+P): client names, details and amounts are then hidden here.</li>"
    "<li>Have a folder ready to save the exported files in, with room for them.</li>"
    "</ul>"
    "<p>The specialist only watches and guides: the files stay on this computer until you send the "
    "sealed package.</p>"
)

NO_GUIDE = (
    "You have not chosen your software, so there is no step-by-step guide for it. In your old "
    "software, look for the export or report that saves each kind of record as CSV or Excel: clients "
    "and other contacts, matters, staff, time entries and expenses, bills, the trust ledger, the "
    "calendar, tasks and notes. Or fill in the migration templates. On the next page the app works "
    "out what each file holds where it can. If you are stuck, book an export session (below)."
)


NO_GUIDE_INTRO = "What to export, and where to get help if you need it. You can press Next at any time."


def sources_html(sources: tuple[str, ...]) -> str:
    """The profile's sources as a list: addresses to copy, and notes ("[I] …" marks an inference)."""
    items = []
    for source in sources:
        if source.startswith("[I] "):
            items.append(f"<li>Worked out, not published: {escape(source[4:])}</li>")
        else:
            items.append(f"<li>{escape(source)}</li>")
    return (
        "<p>These steps were put together from the pages below (published by the vendor, by the new "
        "system and by migration services). Menus change between versions, so treat them as a guide.</p>"
        "<ul>" + "".join(items) + "</ul>"
    )


class ExportGuidePage(WizardPage):
    PAGE_ID = ids.EXPORT_GUIDE
    STEP = "Export guide"
    TITLE = "Export your data"
    INTRO = (
        "Follow these steps in your old software. Tick each one when it is done, to keep your place: "
        "the ticks are only there to help you, and you can press Next without ticking them all."
    )
    SCROLLS = True

    def build(self) -> None:
        self.honesty = QLabel()
        self.honesty.setWordWrap(True)
        self.honesty.setTextFormat(Qt.TextFormat.PlainText)
        self.body.addWidget(self.honesty)

        self.steps_box = QGroupBox("Steps")
        self.steps_layout = QVBoxLayout(self.steps_box)
        self.steps_layout.setSpacing(10)
        self.body.addWidget(self.steps_box)
        self.progress = Notice()
        self.body.addWidget(self.progress)

        self.templates_row = QWidget()
        templates = QHBoxLayout(self.templates_row)
        templates.setContentsMargins(0, 0, 0, 0)
        self.templates_button = QPushButton("Save the migration &templates…")
        self.templates_button.setAccessibleName("Save the migration templates")
        self.templates_button.clicked.connect(self._on_save_templates)
        templates.addWidget(self.templates_button)
        templates.addWidget(QLabel("An Excel workbook with one sheet per kind of record."), 1)
        self.body.addWidget(self.templates_row)
        self.templates_note = Notice()
        self.body.addWidget(self.templates_note)

        self.exports_box = QGroupBox("The files to make")
        exports_layout = QVBoxLayout(self.exports_box)
        self.exports = QLabel()
        self.exports.setWordWrap(True)
        self.exports.setTextFormat(Qt.TextFormat.RichText)
        self.exports.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.exports.setAccessibleName("The files to make")
        exports_layout.addWidget(self.exports)
        self.body.addWidget(self.exports_box)

        # Where the steps come from (the vendor's pages, migration guides, notes to confirm): kept out
        # of the instructions, one click away for whoever wants to check them.
        self.sources_button = QToolButton()
        self.sources_button.setText("Where this comes from")
        self.sources_button.setCheckable(True)
        self.sources_button.setArrowType(Qt.ArrowType.RightArrow)
        self.sources_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.sources_button.setAutoRaise(True)
        self.sources_button.setAccessibleName("Where this guide comes from: show or hide")
        self.sources = QLabel()
        self.sources.setWordWrap(True)
        self.sources.setTextFormat(Qt.TextFormat.RichText)
        self.sources.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.sources.setOpenExternalLinks(False)  # offline app: the address is shown to copy, not opened
        self.sources.setAccessibleName("Where this guide comes from")
        self.sources.setVisible(False)
        self.sources_button.toggled.connect(self._on_sources_toggled)
        self.body.addWidget(self.sources_button)
        self.body.addWidget(self.sources)

        self.help_box = QGroupBox("Having trouble? Book an export session")
        help_layout = QVBoxLayout(self.help_box)
        self.help_text = QLabel(SESSION_HELP)
        self.help_text.setWordWrap(True)
        self.help_text.setTextFormat(Qt.TextFormat.RichText)
        self.help_text.setAccessibleName("How to prepare for an export session")
        help_layout.addWidget(self.help_text)
        privacy_row = QHBoxLayout()
        self.privacy_now = QPushButton()
        self.privacy_now.setAccessibleName("Switch on privacy mode now")
        self.privacy_now.clicked.connect(lambda: self.ctx.privacy.set_enabled(True))
        privacy_row.addWidget(self.privacy_now)
        privacy_row.addStretch(1)
        help_layout.addLayout(privacy_row)
        self.body.addWidget(self.help_box)
        self.body.addStretch(1)

        self.checks: list[QCheckBox] = []
        self._shown_for: str | None = None
        self.ctx.privacy.changed.connect(self._on_privacy_changed)
        self._on_privacy_changed(self.ctx.privacy.enabled)

    # --- contract ------------------------------------------------------------------------------
    def initializePage(self) -> None:
        if not self.state.catalog:
            self.state.load_catalog()
        profile = self.state.catalog.get(self.state.source_id or "")
        key = profile.id if profile else ""
        if key != self._shown_for:
            self._show(profile)
            self._shown_for = key
        self._update_progress()

    def isComplete(self) -> bool:
        return True  # the ticks help; they never hold the user back

    # --- showing --------------------------------------------------------------------------------
    def _show(self, profile: Profile | None) -> None:
        for check in self.checks:
            check.setParent(None)
            check.deleteLater()
        self.checks = []
        while self.steps_layout.count():
            item = self.steps_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.templates_row.setVisible(profile is None or profile.id == TEMPLATE_SOURCE)
        self.templates_note.set_notice("")
        self.intro.setText(self.INTRO if profile is not None and profile.guide else NO_GUIDE_INTRO)
        self.sources_button.setChecked(False)
        self.sources_button.setVisible(False)
        if profile is None:
            self.setTitle("Export your data")
            self.honesty.setText(NO_GUIDE)
            self.steps_box.setVisible(False)
            self.exports_box.setVisible(False)
            return
        self.setTitle(f"Export your data from {profile.name}")
        self.honesty.setText(
            f"These steps describe {profile.name} as far as we know it. Menu names differ between "
            "versions: where a step does not match what you see, look for the report that holds the same "
            "data, or book an export session with your migration specialist (see the end of this page)."
        )
        self.steps_box.setVisible(bool(profile.guide))
        done = set(self.state.guide_done.get(profile.id, []))
        for number, step in enumerate(profile.guide, start=1):
            self.steps_layout.addWidget(self._step_widget(number, step, step.title in done, profile))
        self.exports_box.setVisible(bool(profile.exports))
        self.exports.setText(self._exports_html(profile))
        self.sources.setText(sources_html(profile.sources))
        self.sources_button.setVisible(bool(profile.sources))

    def _step_widget(self, number: int, step: GuideStep, ticked: bool, profile: Profile) -> QWidget:
        frame = QFrame()
        frame.setObjectName("guideStep")
        layout = QVBoxLayout(frame)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        check = QCheckBox(f"{number}. {step.title}")
        check.setObjectName("guideStepTitle")
        check.setChecked(ticked)
        check.setAccessibleName(f"Step {number}: {step.title}")
        check.setAccessibleDescription(step.text)
        check.toggled.connect(lambda on, s=step, p=profile: self._on_ticked(p, s, on))
        font = check.font()
        font.setBold(True)
        check.setFont(font)
        self.checks.append(check)
        layout.addWidget(check)
        text = step.text.strip()
        if step.entity:
            text += f"\n(This makes the {entity_title(step.entity)} file.)"
        label = QLabel(text)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        indent = check.style().pixelMetric(check.style().PixelMetric.PM_IndicatorWidth) + 8
        label.setContentsMargins(indent, 0, 0, 0)
        layout.addWidget(label)
        return frame

    def _exports_html(self, profile: Profile) -> str:
        guided = {step.entity for step in profile.guide if step.entity}
        parts = ["<ul>"]
        for export in profile.exports:
            parts.append(self._export_html(export, show_how=export.entity not in guided))
        parts.append("</ul>")
        parts.append(
            "<p>File names do not need to match: the app recognises each file from its columns. "
            "<i>Optional</i> files are only needed if your firm keeps that kind of record.</p>"
        )
        return "".join(parts)

    @staticmethod
    def _export_html(export: ExportStep, show_how: bool) -> str:
        need = "needed" if export.required else "<i>optional</i>"
        lines = [f"<b>{escape(entity_title(export.entity))}</b> ({need}): {escape(export.what)}"]
        detail = f"Format: {escape(export.format)}."
        if export.file_names:
            names = ", ".join(f"“{escape(n)}”" for n in export.file_names)
            detail += f" Usually saved as {names}."
        lines.append(detail)
        if show_how:
            lines.append(f"How: {escape(export.how)}")
        return "<li style='margin-bottom:6px'>" + "<br>".join(lines) + "</li>"

    def _on_sources_toggled(self, shown: bool) -> None:
        self.sources.setVisible(shown)
        self.sources_button.setArrowType(Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)

    def _on_ticked(self, profile: Profile, step: GuideStep, ticked: bool) -> None:
        done = self.state.guide_done.setdefault(profile.id, [])
        if ticked and step.title not in done:
            done.append(step.title)
        elif not ticked and step.title in done:
            done.remove(step.title)
        self._update_progress()

    def _update_progress(self) -> None:
        total = len(self.checks)
        if not total or not self.steps_box.isVisibleTo(self):
            self.progress.set_notice("")
            return
        ticked = sum(1 for c in self.checks if c.isChecked())
        if ticked == total:
            self.progress.set_notice(
                f"All {total} steps ticked. Press Next to add the files you exported.", "success"
            )
        else:
            self.progress.set_notice(
                f"{ticked} of {total} steps ticked. The ticks only help you keep your place: "
                "you can press Next at any time, for example to check the files you already have.",
                "info",
            )

    # --- the templates and privacy -------------------------------------------------------------------
    def _on_save_templates(self) -> None:
        from pathlib import Path

        from migration_assistant.core.api import resource_path
        from migration_assistant.core.atomic import atomic_write

        try:
            source = resource_path("resources", "templates", "migration-templates.xlsx")
        except FileNotFoundError:
            self.templates_note.set_notice(
                "The templates are not included in this copy of the app.", "warning"
            )
            return
        target = self.ctx.dialogs.save_file(
            self,
            "Save the migration templates",
            Path.home() / "migration-templates.xlsx",
            "Excel workbook (*.xlsx)",
        )
        if target is None:
            return
        if target.suffix.lower() != ".xlsx":
            target = target.with_name(target.name + ".xlsx")
        if target.exists() and not self.ctx.dialogs.confirm(
            self,
            "Replace the file?",
            f"{target.name} already exists. Replace it?",
            yes="Replace",
            no="Keep it",
        ):
            return
        try:
            with atomic_write(target, "wb") as fh:
                fh.write(source.read_bytes())  # type: ignore[arg-type]
        except OSError as exc:
            self.templates_note.set_notice(
                f"The templates could not be saved there ({exc.strerror or type(exc).__name__}). "
                "Choose another folder.",
                "warning",
            )
            return
        self.templates_note.set_notice(f"Templates saved: {target}", "success")

    def _on_privacy_changed(self, enabled: bool) -> None:
        self.privacy_now.setText("Privacy mode is on" if enabled else "Switch on &privacy mode now")
        self.privacy_now.setEnabled(not enabled)
