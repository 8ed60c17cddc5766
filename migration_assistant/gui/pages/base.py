"""The page contract every wizard page follows.

A page is a :class:`WizardPage` subclass with:

* ``PAGE_ID`` (from :mod:`.ids`): its place in the wizard; ``STEP``: its name in the
  steps list; ``TITLE`` and ``INTRO``: a clear title and one short plain-English paragraph.
* :meth:`build`: creates its widgets inside ``self.body`` (built in code: these pages
  are mostly dynamic).
* ``initializePage()``: loads from ``self.ctx.state`` each time the page is entered going forward.
* ``isComplete()``: True when Next may be pressed; the page emits ``completeChanged``
  whenever that may have changed.
* ``validatePage()``: the last gate before leaving forward; commits the page's choices
  into ``self.ctx.state``.
* ``cleanupPage()``: going Back; stops the page's background work.

Long work goes through :meth:`run` (a worker on the thread pool, never the UI thread),
modal prompts through ``self.ctx.dialogs``, moves to other pages through
``self.ctx.navigator`` (a page never imports the wizard), and every view that can show
client data listens to ``self.ctx.privacy.changed``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import QSettings, Qt, QThreadPool
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget, QWizardPage

from migration_assistant.gui.dialogs import DialogService
from migration_assistant.gui.navigation import Navigator
from migration_assistant.gui.privacy import PrivacyState
from migration_assistant.gui.state import WizardState
from migration_assistant.gui.widgets.banner import PrivacyBanner
from migration_assistant.gui.workers import ImmediatePool, Operation, run_op

if TYPE_CHECKING:
    from migration_assistant.core.api import Balances, Checklist, Timeline, ValidationResult


@dataclass
class AppContext:
    """What every page is given: shared state and the services it may use."""

    state: WizardState
    privacy: PrivacyState
    dialogs: DialogService
    settings: QSettings | None = None
    pool: QThreadPool | ImmediatePool | None = None
    navigator: Navigator | None = None
    """The window's moves between pages (None: the page stands alone, as in some tests)."""

    # What the check produced, for the pages after it (Limitations, Package, Done).
    @property
    def result(self) -> ValidationResult | None:
        """The latest finished check (None before one, or once a choice changed)."""
        return self.state.result

    @property
    def checklist(self) -> Checklist | None:
        """The limitations checklist of :attr:`result`, with who acknowledged what so far."""
        return self.state.checklist

    @property
    def balances(self) -> Balances | None:
        """The balances brought forward of :attr:`result` (None if they could not be added up)."""
        return self.state.balances

    @property
    def timeline(self) -> Timeline | None:
        """The dated plan for :attr:`result`, with the holidays of the firm's country and state."""
        return self.state.timeline()


class WizardPage(QWizardPage):
    """Base of every page (see the module docstring for the contract)."""

    PAGE_ID: ClassVar[int]
    STEP: ClassVar[str]
    TITLE: ClassVar[str]
    INTRO: ClassVar[str]
    SCROLLS: ClassVar[bool] = False
    """Wrap the body in a scroll area (text-heavy pages, so nothing is cut off at 200% scale)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName(f"page-{self.STEP.lower().replace(' ', '-')}")
        self.setTitle(self.TITLE)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.banner = PrivacyBanner(ctx.privacy)
        outer.addWidget(self.banner)
        self.intro = QLabel(self.INTRO)
        self.intro.setObjectName("intro")
        self.intro.setWordWrap(True)
        self.intro.setTextFormat(Qt.TextFormat.PlainText)
        outer.addWidget(self.intro)
        if self.SCROLLS:
            scroll = QScrollArea()
            scroll.setWidgetResizable(True)
            scroll.setFrameShape(QFrame.Shape.NoFrame)
            content = QWidget()
            content.setObjectName("pageContent")
            self.body = QVBoxLayout(content)
            self.body.setContentsMargins(0, 0, 8, 0)
            scroll.setWidget(content)
            outer.addWidget(scroll, 1)
        else:
            self.body = QVBoxLayout()
            outer.addLayout(self.body, 1)
        self.build()

    def build(self) -> None:
        """Create the page's widgets in ``self.body``."""
        raise NotImplementedError

    @property
    def state(self) -> WizardState:
        return self.ctx.state

    def is_current(self) -> bool:
        """True while this page is the one on screen."""
        navigator = self.ctx.navigator
        return navigator is not None and navigator.current_id() == self.PAGE_ID

    def run(
        self,
        name: str,
        op: Callable[[Callable[[], bool]], Any],
        *,
        on_success: Callable[[Any], None],
        on_failure: Callable[[BaseException], None],
        on_progress: Callable[[Any], None] | None = None,
        on_cancelled: Callable[[], None] | None = None,
    ) -> Operation:
        """Run *op* in the background on behalf of this page (callbacks stop if the page is deleted)."""
        return run_op(
            name,
            op,
            on_success=on_success,
            on_failure=on_failure,
            on_progress=on_progress,
            on_cancelled=on_cancelled,
            owner=self,
            pool=self.ctx.pool,
        )

    def buddy_label(self, text: str, buddy: QWidget) -> QLabel:
        """A label whose mnemonic (&) moves focus to *buddy*."""
        label = QLabel(text)
        label.setBuddy(buddy)
        return label
