"""Before the app closes: what would be lost with it, said once, with a way to keep it.

Where this computer has no keychain, the firm's own key and a package's passphrase are kept
only in memory ("for this session only"). Once the window closes, the package just made can
no longer be opened with the firm's key, and the passphrase cannot be shown again. Finish,
Close and the window's close box all pass through :func:`confirm_close`, which warns, offers
to save the key to a file and shows the passphrase one more time.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from migration_assistant.gui.dialogs import DialogService
    from migration_assistant.gui.state import WizardState

KEY_FILTER = "Key files (*.txt);;All files (*)"
CLOSE, SAVE_KEY, STAY = "Close anyway", "Save the key file…", "Stay in the app"


class PackageFacts(Protocol):
    """What the Package page knows about the package it sealed last."""

    sealed_passphrase: str
    """The passphrase of the last package, when it was sealed with one and is kept only for this session."""


def unsaved(state: WizardState, page: PackageFacts) -> tuple[bool, str]:
    """(the firm's key is session-only, the passphrase kept only for this session or ``""``).

    Nothing is at stake before a package exists: the key has sealed nothing yet.
    """
    package = state.package
    if package is None or not package.path.exists():
        return False, ""
    from migration_assistant.core.api import FIRM_IDENTITY_NAME, where_is

    storage = where_is(FIRM_IDENTITY_NAME)
    firm_key_lost = storage is not None and not storage.persisted
    return firm_key_lost, page.sealed_passphrase


def warning_text(firm_key_lost: bool, passphrase: str, privacy: bool = False) -> str:
    lost = []
    if firm_key_lost:
        lost.append("your firm's own key (the one that lets your firm reopen the package)")
    if passphrase:
        lost.append("the package's passphrase")
    text = (
        "This computer has no keychain, so "
        + " and ".join(lost)
        + (" are" if len(lost) > 1 else " is")
        + " kept only until the app closes. After that the app cannot show or use "
        + ("them" if len(lost) > 1 else "it")
        + " again."
    )
    if passphrase and privacy:
        # The Package page hides it in privacy mode too (the screen may be shared).
        text += (
            "\n\nThe passphrase is hidden because privacy mode is on. Choose “Stay in the app”, switch privacy "
            "mode off when nobody else can see the screen, and close again to see it."
        )
    elif passphrase:
        text += f"\n\nThe passphrase is:\n{passphrase}\n\nWrite it down now, or keep it somewhere safe."
    if firm_key_lost:
        text += (
            "\n\nSave the key to a file (on a USB stick or in a safe folder) to reopen the package later "
            "with “Open a package”. Keep it private: anyone with the file can open your packages."
        )
    return text


def save_key_file(parent: QWidget | None, dialogs: DialogService) -> bool:
    """Ask where, and write the firm's key file there (readable by this user only). True when saved."""
    from migration_assistant.core.api import existing_firm_identity, identity_file_text

    identity = existing_firm_identity()
    if identity is None:
        return False
    target = dialogs.save_file(
        parent, "Save your firm's key as", Path.home() / "firm-migration-key.txt", KEY_FILTER
    )
    if target is None:
        return False
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        if hasattr(os, "fchmod"):  # POSIX: a file saved over keeps its old mode unless narrowed here
            os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(identity_file_text(identity))
    except OSError as exc:
        dialogs.warn(
            parent, "The key was not saved", f"{target} could not be written ({exc.strerror or exc})."
        )
        return False
    dialogs.info(parent, "Key saved", f"Your firm's key is saved in {target}. Keep that file private.")
    return True


def confirm_close(
    parent: QWidget | None,
    dialogs: DialogService,
    state: WizardState,
    page: PackageFacts,
    privacy: bool = False,
) -> bool:
    """Whether the window may close now (False: the user chose to stay)."""
    firm_key_lost, passphrase = unsaved(state, page)
    if not firm_key_lost and not passphrase:
        return True
    options = [CLOSE, SAVE_KEY, STAY] if firm_key_lost else [CLOSE, STAY]
    while True:
        answer = options[
            dialogs.choose(
                parent, "Before you close", warning_text(firm_key_lost, passphrase, privacy), options
            )
        ]
        if answer == CLOSE:
            return True
        if answer == STAY:
            return False
        if save_key_file(parent, dialogs):
            firm_key_lost = False
            options = [CLOSE, STAY]
            if not passphrase:
                return True


def may_close(wizard: QWidget) -> bool:
    """The wizard's Finish, Close and close box ask here first (once per closing)."""
    if getattr(wizard, "_close_confirmed", False):
        return True
    from migration_assistant.gui.pages import ids

    ctx = wizard.ctx  # type: ignore[attr-defined]
    page = wizard.page_object(ids.PACKAGE)  # type: ignore[attr-defined]
    if not confirm_close(wizard, ctx.dialogs, ctx.state, page, ctx.privacy.enabled):
        return False
    wizard._close_confirmed = True  # type: ignore[attr-defined]
    return True
