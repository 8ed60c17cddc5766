"""What a page may ask of the window it sits in: the :class:`Navigator`.

Pages move the user through the wizard (resume a saved session, start on the sample,
stop walking forward) by asking the navigator in their
:class:`~migration_assistant.gui.pages.base.AppContext`, never by calling the concrete
wizard. So a page knows nothing of the window around it, the wizard is the one place
that knows the order of the pages, and a test can build a page alone with a fake
navigator and see what it asked for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from migration_assistant.gui.session import Session


class Navigator(Protocol):
    """The moves a page may ask for (the wizard provides them)."""

    def current_id(self) -> int:
        """The id of the page on screen (-1 while none is)."""
        ...

    def step_name(self, page_id: int) -> str:
        """The steps-list name of *page_id* (of the page before it, if this version lacks it)."""
        ...

    def resume(self, session: Session) -> None:
        """Restore *session*'s choices and walk forward to the page it was saved on."""
        ...

    def start_sample(self) -> bool:
        """Start again on the bundled sample export; False (the user was told why) if it is missing."""
        ...

    def stop_replay(self) -> None:
        """Stop walking forward on the user's behalf (a check failed or was stopped)."""
        ...

    def go_to(self, page_id: int) -> None:
        """Go to *page_id*: back at once, or forward through the pages as far as they are complete."""
        ...

    def focus_next(self) -> None:
        """Put the keyboard focus on Next, so Enter moves on (a page's own focused button vanished)."""
        ...

    def resumable(self) -> Session | None:
        """The work Welcome offers to resume: this run's if any, else the session saved on disk."""
        ...
