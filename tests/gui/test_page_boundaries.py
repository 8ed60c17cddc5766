"""Pages talk upward through the navigator in their context, never to the wizard itself.

So a page can be built and driven alone, with a fake navigator that records what it
was asked; and no module under ``gui/pages`` imports ``gui.wizard`` (the page registry
lives with the wizard, so the pages package does not import its pages either).
"""

from __future__ import annotations

import weakref
from pathlib import Path
from typing import TypeVar

import grimp
from PySide6.QtCore import QSettings

from migration_assistant.core import engine
from migration_assistant.gui.dialogs import ScriptedDialogs
from migration_assistant.gui.navigation import Navigator
from migration_assistant.gui.pages import ids
from migration_assistant.gui.pages.base import AppContext, WizardPage
from migration_assistant.gui.pages.check import CheckPage
from migration_assistant.gui.pages.files import FilesPage
from migration_assistant.gui.pages.welcome import WelcomePage
from migration_assistant.gui.privacy import PrivacyState
from migration_assistant.gui.session import Session, load_session, save_session
from migration_assistant.gui.state import WizardState
from tests.gui.driving import TIMEOUT

PAGES_PACKAGE = "migration_assistant.gui.pages"
WIZARD = "migration_assistant.gui.wizard"

P = TypeVar("P", bound=WizardPage)


class FakeNavigator:
    """Records each move a page asks for; shows *current* as the page on screen."""

    def __init__(self, current: int = -1) -> None:
        self.current = current
        self.asked: list[tuple[object, ...]] = []

    def current_id(self) -> int:
        return self.current

    def step_name(self, page_id: int) -> str:
        return f"step {page_id}"

    def resume(self, session: Session) -> None:
        self.asked.append(("resume", session.current_page))

    def start_sample(self) -> bool:
        self.asked.append(("start_sample",))
        return True

    def stop_replay(self) -> None:
        self.asked.append(("stop_replay",))

    def go_to(self, page_id: int) -> None:
        self.asked.append(("go_to", page_id))

    def focus_next(self) -> None:
        self.asked.append(("focus_next",))

    def resumable(self) -> Session | None:
        return load_session()


def page_alone(qtbot, page_class: type[P], navigator: Navigator, settings: QSettings) -> P:  # type: ignore[no-untyped-def]
    ctx = AppContext(WizardState(), PrivacyState(settings), ScriptedDialogs(), settings, navigator=navigator)
    page = page_class(ctx)
    qtbot.addWidget(page)
    return page


def test_no_page_imports_the_wizard() -> None:
    graph = grimp.build_graph("migration_assistant")
    chains = graph.find_shortest_chains(importer=PAGES_PACKAGE, imported=WIZARD)
    assert chains == set(), f"a page reaches the wizard: {sorted(' -> '.join(c) for c in chains)}"
    pages = graph.find_children(PAGES_PACKAGE)
    assert graph.find_modules_directly_imported_by(PAGES_PACKAGE) & pages == set()


def test_welcome_asks_the_navigator_for_the_sample(qtbot, settings: QSettings) -> None:
    navigator = FakeNavigator(current=ids.WELCOME)
    page = page_alone(qtbot, WelcomePage, navigator, settings)
    page.sample_button.click()
    assert navigator.asked == [("start_sample",)]


def test_welcome_resumes_through_the_navigator(qtbot, settings: QSettings, export_dir: Path) -> None:
    save_session(Session(source="template", inputs=[str(export_dir)], current_page=ids.REVIEW))
    navigator = FakeNavigator(current=ids.WELCOME)
    page = page_alone(qtbot, WelcomePage, navigator, settings)
    page.initializePage()
    assert f"“step {ids.REVIEW}”" in page.resume_text.text()  # the step's name comes from the navigator
    page.resume_button.click()
    assert navigator.asked == [("resume", ids.REVIEW)]


def test_a_failed_check_asks_the_navigator_to_stop_walking_forward(
    qtbot, settings: QSettings, export_dir: Path, monkeypatch
) -> None:
    def failing(*args: object, **kwargs: object) -> object:
        raise OSError("the disk went away")
        yield  # a generator, as the engine's is

    monkeypatch.setattr(engine, "iter_validate", failing)
    navigator = FakeNavigator(current=ids.CHECK)
    page = page_alone(qtbot, CheckPage, navigator, settings)
    page.state.source_id = "template"
    page.state.add_inputs([export_dir])
    page.start()
    qtbot.waitUntil(lambda: not page.running, timeout=TIMEOUT)
    assert "Something went wrong while checking" in page.outcome.text()
    assert navigator.asked == [("stop_replay",)]


def test_a_page_reads_only_while_the_navigator_shows_it(qtbot, settings: QSettings, export_dir: Path) -> None:
    navigator = FakeNavigator(current=ids.WELCOME)
    page = page_alone(qtbot, FilesPage, navigator, settings)
    page.state.source_id = "template"
    page.state.add_inputs([export_dir])
    assert not page.reading and page.state.files == []  # not on screen: nothing read yet
    page.state.remove_inputs([export_dir])
    navigator.current = ids.FILES
    page.state.add_inputs([export_dir])
    assert page.reading
    qtbot.waitUntil(lambda: not page.reading and bool(page.state.files), timeout=TIMEOUT)


def test_the_wizards_navigator_moves_it_without_keeping_it_alive(qtbot, settings: QSettings) -> None:
    from migration_assistant.gui.wizard import MigrationWizard

    wizard = MigrationWizard(dialogs=ScriptedDialogs(), settings=settings, save_sessions=False)
    navigator = wizard.ctx.navigator
    assert navigator is not None and navigator.current_id() == wizard.currentId()
    assert navigator.step_name(ids.REVIEW) == "Review problems"
    gone = weakref.ref(wizard)
    del wizard
    # Its pages hold the context and live as long as it does: a strong reference back would leak it.
    assert gone() is None
    assert navigator.current_id() == -1 and navigator.step_name(ids.REVIEW) == ""
    assert navigator.start_sample() is False
