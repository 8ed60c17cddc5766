"""Welcome: what will happen, that nothing leaves this computer, and the migration timeline."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWizard

from migration_assistant.gui.pages import ids
from migration_assistant.gui.pages.base import WizardPage
from migration_assistant.gui.session import Session, load_session
from migration_assistant.gui.widgets.banner import Notice
from migration_assistant.gui.widgets.firm_place_box import FirmPlaceBox
from migration_assistant.gui.widgets.timeline import TimelineView, plan_stages
from migration_assistant.gui.words import plural

WHAT_HAPPENS = (
    "<ol>"
    "<li>Choose the software your firm is moving away from, and follow its export guide.</li>"
    "<li>Add the files you exported from it, and check how their columns were matched.</li>"
    "<li>The app checks them: usually a minute or two.</li>"
    "<li>Review each problem, explained in plain words, with the exact file, row and column. "
    "Fix what you can and check again.</li>"
    "<li>Sign off what cannot move to the new system.</li>"
    "</ol>"
)


class WelcomePage(WizardPage):
    PAGE_ID = ids.WELCOME
    STEP = "Welcome"
    TITLE = "Check your data before the migration"
    INTRO = (
        "This assistant checks the data you exported from your old practice-management software, "
        "before your migration specialist imports it into the new system. Everything happens on this "
        "computer: nothing is uploaded or sent anywhere, and your files are never changed."
    )
    SCROLLS = True

    def build(self) -> None:
        steps = QLabel(f"<b>What will happen</b>{WHAT_HAPPENS}")
        steps.setWordWrap(True)
        steps.setTextFormat(Qt.TextFormat.RichText)
        self.body.addWidget(steps)

        self.resume_box = QGroupBox("Pick up where you stopped")
        resume_layout = QVBoxLayout(self.resume_box)
        self.resume_text = QLabel()
        self.resume_text.setWordWrap(True)
        resume_layout.addWidget(self.resume_text)
        self.resume_button = QPushButton("&Resume where I left off")
        self.resume_button.setAccessibleName("Resume where I left off")
        self.resume_button.clicked.connect(self._on_resume)
        row = QHBoxLayout()
        row.addWidget(self.resume_button)
        row.addStretch(1)
        resume_layout.addLayout(row)
        self.body.addWidget(self.resume_box)

        sample_row = QHBoxLayout()
        self.sample_button = QPushButton("&Try it with sample data")
        self.sample_button.setAccessibleName("Try it with sample data")
        self.sample_button.setToolTip(
            "Opens the export of an invented firm, so you can see how the check works."
        )
        self.sample_button.clicked.connect(self._on_sample)
        sample_row.addWidget(self.sample_button)
        sample_hint = QLabel("See how it works on an invented firm's export first.")
        sample_hint.setWordWrap(True)
        sample_row.addWidget(sample_hint, 1)
        self.body.addLayout(sample_row)

        open_row = QHBoxLayout()
        self.open_package_button = QPushButton("&Open a package…")
        self.open_package_button.setAccessibleName("Open a package")
        self.open_package_button.clicked.connect(self.open_package)
        open_row.addWidget(self.open_package_button)
        open_hint = QLabel(
            "For migration specialists: check and read a package a firm sent you "
            "(also from any page: the “Open a package…” button below, or Ctrl+O)."
        )
        open_hint.setWordWrap(True)
        open_row.addWidget(open_hint, 1)
        self.body.addLayout(open_row)
        self.package_dialog: QDialog | None = None

        self.timeline_title = QLabel("<b>The migration timeline</b>")
        self.body.addWidget(self.timeline_title)
        self.timeline = TimelineView()
        self.body.addWidget(self.timeline)
        self.body.addSpacing(self.fontMetrics().height() // 2)
        self.place_title = QLabel("<b>Where is your firm?</b> The dates skip its public holidays.")
        self.body.addWidget(self.place_title)
        self.place = FirmPlaceBox(self.state, self.ctx.settings)
        self.body.addWidget(self.place)
        self.state.firm_place_changed.connect(self._plan)
        self.note = Notice()
        self.body.addWidget(self.note)
        self.body.addStretch(1)
        self.setButtonText(QWizard.WizardButton.NextButton, "&Start")

    def initializePage(self) -> None:
        self.show_resumable()

    def show_resumable(self) -> None:
        """Offer the work of this run, or the saved session, in the Resume box (hidden when there is none)."""
        session = self._resumable()
        has_work = session is not None and bool(session.inputs or session.source)
        self.resume_box.setVisible(has_work)
        if session is not None and has_work:
            navigator = self.ctx.navigator
            where = navigator.step_name(session.current_page) if navigator else ""
            when = session.saved_when
            files = plural(len(session.files), "file")
            self.resume_text.setText(
                f"You were last working on this{' on ' + when if when else ''}: {files} added"
                + (f", at “{where}”." if where else ".")
                + " Files that changed since then are checked again."
            )
        self._has_work = has_work
        self._plan()

    _has_work = False

    def _resumable(self) -> Session | None:
        navigator = self.ctx.navigator
        return navigator.resumable() if navigator is not None else load_session()

    def _plan(self) -> None:
        """The timeline from today, in the firm's country and state."""
        stages, summary = plan_stages(country=self.state.firm_country, subdiv=self.state.firm_subdiv)
        self.timeline.set_stages(stages, "review" if self._has_work else "export", summary)

    def _on_resume(self) -> None:
        navigator = self.ctx.navigator
        session = self._resumable()
        if navigator is None or session is None:
            self.note.set_notice("The saved session could not be read; please start again.", "warning")
            return
        navigator.resume(session)

    def open_package(self) -> None:
        """Show the "Open a package" dialog (the specialist's side)."""
        from migration_assistant.gui.open_package import OpenPackageDialog

        self.package_dialog = OpenPackageDialog(self.ctx, self)
        self.package_dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.package_dialog.open()

    def _on_sample(self) -> None:
        if self.ctx.navigator is not None:
            self.ctx.navigator.start_sample()
