"""The specialist's pasted public key: cleaned, checked and fingerprinted in core (no Qt)."""

from __future__ import annotations

import pyrage
import pytest

from migration_assistant.core.package import (
    InvalidRecipientError,
    RecipientKey,
    clean_key,
    public_key_fingerprint,
    read_recipient_key,
    recipient_key_problem,
)

SPECIALIST = str(pyrage.x25519.Identity.generate().to_public())
FIRM = str(pyrage.x25519.Identity.generate().to_public())


def test_a_key_wrapped_by_an_e_mail_is_read_with_its_fingerprint() -> None:
    pasted = f"  {SPECIALIST[:30]}\n {SPECIALIST[30:].upper()}\t"
    assert clean_key(pasted) == SPECIALIST[:30] + SPECIALIST[30:].upper()
    key = read_recipient_key(pasted, FIRM)
    assert key == RecipientKey(SPECIALIST, public_key_fingerprint(SPECIALIST))
    assert len(key.fingerprint.split()) == 5
    assert recipient_key_problem(pasted, FIRM) is None


@pytest.mark.parametrize(
    ("pasted", "says"),
    [
        ("", "Paste the public key your specialist sent you"),
        ("   \n ", "Paste the public key your specialist sent you"),
        ("AGE-SECRET-KEY-1QQQ", "This is a private key, not a public key"),
        ("age-secret-key-1qqq", "This is a private key, not a public key"),
        ("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA", "This is an SSH key"),
        ("ecdsa-sha2-nistp256 AAAA", "This is an SSH key"),
        ("age1notakey", "That is not an age public key"),
        ("hello", "That is not an age public key"),
    ],
)
def test_what_cannot_be_used_says_why_in_plain_words(pasted: str, says: str) -> None:
    problem = recipient_key_problem(pasted, FIRM)
    assert problem is not None and problem.startswith(says)
    with pytest.raises(InvalidRecipientError, match=says):
        read_recipient_key(pasted, FIRM)


def test_the_firms_own_key_is_refused_whatever_its_case() -> None:
    problem = recipient_key_problem(FIRM.upper(), FIRM)
    assert problem == "This is your firm's own key, which is always added. Paste your specialist's key."
    assert recipient_key_problem(FIRM) is None  # without the firm's key known, it is just a key
