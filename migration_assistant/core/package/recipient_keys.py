"""The specialist's public key as a person pastes it: cleaned, checked, fingerprinted.

A key arrives by e-mail, often wrapped over lines or with a stray space, and people
paste the wrong thing: their private key, an SSH key, the firm's own key. This module
says which, in plain English, before anything is sealed; the wizard shows the sentence
under the key field and the fingerprint to read out over the phone.
"""

from __future__ import annotations

from dataclasses import dataclass

from migration_assistant.core.package.errors import InvalidRecipientError
from migration_assistant.core.package.keystore import public_key_fingerprint

__all__ = ["RecipientKey", "clean_key", "read_recipient_key", "recipient_key_problem"]


@dataclass(frozen=True)
class RecipientKey:
    """A public key that can be sealed for.

    Attributes:
        text: The key in its canonical form (``age1…``, lower case, no spaces).
        fingerprint: Its :func:`~.keystore.public_key_fingerprint`, to read out over the phone.
    """

    text: str
    fingerprint: str


def clean_key(text: str) -> str:
    """A pasted key without the spaces and line breaks an e-mail may have wrapped it with."""
    return "".join(text.split())


def read_recipient_key(text: str, firm_recipient: str = "") -> RecipientKey:
    """The specialist's public key from what was pasted.

    Args:
        text: The pasted text.
        firm_recipient: The firm's own public key, which is always added and so is refused here.

    Raises:
        InvalidRecipientError: *text* cannot be used; its message says why in plain words.
    """
    key = clean_key(text)
    if not key:
        raise InvalidRecipientError("Paste the public key your specialist sent you. It starts with “age1”.")
    if key.upper().startswith("AGE-SECRET-KEY"):
        raise InvalidRecipientError(
            "This is a private key, not a public key. A private key must never be shared: delete it from "
            "where you copied it, and ask your specialist for their public key, which starts with “age1”."
        )
    if key.startswith(("ssh-", "ecdsa-")):
        raise InvalidRecipientError(
            "This is an SSH key. The app needs an age public key, which starts with “age1”."
        )
    fingerprint = public_key_fingerprint(key)
    if key.lower() == firm_recipient:
        raise InvalidRecipientError(
            "This is your firm's own key, which is always added. Paste your specialist's key."
        )
    return RecipientKey(key.lower(), fingerprint)


def recipient_key_problem(text: str, firm_recipient: str = "") -> str | None:
    """Why *text* cannot be used as the specialist's public key, in plain words (None: it can)."""
    try:
        read_recipient_key(text, firm_recipient)
    except InvalidRecipientError as exc:
        return str(exc)
    return None
