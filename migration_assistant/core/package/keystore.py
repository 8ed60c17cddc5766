"""A small facade over :mod:`keyring` that never loses a secret and never writes one in plain text.

Secrets (a package passphrase, the firm's own private key) go into the operating
system's keychain under the service name ``migration-assistant``. When no secure
keychain exists (the ``fail`` backend, an empty chainer, the ``null`` backend, a
frozen build whose backend module was not bundled, or a keychain that refuses the
write) the secret is kept in this process's memory instead, and the returned
:class:`StorageResult` says so in words the GUI can show as is. There is
deliberately no plaintext-file fallback: losing the secret at exit is recoverable
(the user writes the passphrase down or re-seals); a key left in a file is not.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from dataclasses import dataclass

import keyring
import keyring.backend
import keyring.errors
import pyrage

from migration_assistant import APP_ID
from migration_assistant.core.package.errors import InvalidRecipientError, PackageError

SERVICE = APP_ID  # "migration-assistant": the entry users see in their keychain app
FIRM_IDENTITY_NAME = "firm-identity"

_log = logging.getLogger(__name__)

# Session-only secrets (value, why not in the keychain), used only when the keychain
# cannot hold them. A lock because the GUI stores secrets from worker threads while
# the UI thread may read them.
_session: dict[str, tuple[str, str]] = {}
_lock = threading.Lock()

_SESSION_NO_KEYCHAIN = "only until you close the app: no secure keychain is available on this computer"
_SESSION_KEYCHAIN_FAILED = (
    "only until you close the app: this computer's keychain would not store it (it may be locked)"
)


class KeystoreError(PackageError):
    """A stored secret exists but cannot be used (for example, the firm key was damaged)."""


@dataclass(frozen=True)
class StorageResult:
    """Where a secret ended up, for the user to read.

    Attributes:
        persisted: True when the secret survives closing the app (it is in the keychain).
        where: Plain English completing "Your passphrase is kept …", e.g.
            "in this computer's keychain" or "only until you close the app: …".
    """

    persisted: bool
    where: str


def _backend_description(backend: keyring.backend.KeyringBackend) -> str | None:
    """How to name the keychain to the user, or None when it is not a secure store."""
    # Imported lazily by name so a frozen build lacking a backend module still works.
    from keyring.backends import chainer, fail, null

    if isinstance(backend, fail.Keyring | null.Keyring):
        return None
    if isinstance(backend, chainer.ChainerBackend):
        # An empty chainer silently drops writes and answers None: the worst case.
        chained = list(backend.backends)
        return _backend_description(chained[0]) if chained else None
    module = type(backend).__module__
    if module.startswith("keyring.backends.macOS"):
        return "in this Mac's Keychain"
    if module.startswith("keyring.backends.Windows"):
        return "in Windows Credential Manager"
    return "in this computer's keychain"


def secure_storage() -> StorageResult:
    """Whether secrets stored now would survive closing the app, without storing anything.

    Returns:
        The same kind of answer :func:`store_secret` gives, for the GUI to show up front.
    """
    try:
        where = _backend_description(keyring.get_keyring())
    except Exception:  # a broken backend import in a frozen app raises anything; treat as absent
        _log.warning("keyring backend could not be loaded", exc_info=True)
        where = None
    if where is None:
        return StorageResult(persisted=False, where=_SESSION_NO_KEYCHAIN)
    return StorageResult(persisted=True, where=where)


def store_secret(name: str, value: str) -> StorageResult:
    """Keep a secret in the keychain, or for this session only when that is impossible.

    Args:
        name: A stable key such as ``"package-passphrase"`` (the keychain "account").
        value: The secret. Never logged.

    Returns:
        Where the secret is kept, in plain English.
    """
    status = secure_storage()
    if status.persisted:
        try:
            keyring.set_password(SERVICE, name, value)
            # Read back: some backends accept a write and drop it (locked or null stores).
            if keyring.get_password(SERVICE, name) == value:
                with _lock:
                    _session.pop(name, None)
                return status
            _log.warning("keychain accepted secret %r but did not return it", name)
        except Exception:  # backends raise their own types (dbus, win32, keychain); none may lose the secret
            _log.warning("keychain refused to store secret %r", name, exc_info=True)
        status = StorageResult(persisted=False, where=_SESSION_KEYCHAIN_FAILED)
    with _lock:
        _session[name] = (value, status.where)
    return status


def load_secret(name: str) -> str | None:
    """The secret stored under *name* this session or in the keychain, or None."""
    with _lock:
        if name in _session:
            return _session[name][0]
    if not secure_storage().persisted:
        return None
    try:
        value = keyring.get_password(SERVICE, name)
    except Exception:  # same reasoning as store_secret: a read failure means "not available"
        _log.warning("keychain could not be read for %r", name, exc_info=True)
        return None
    return value if isinstance(value, str) else None


def where_is(name: str) -> StorageResult | None:
    """Where the secret *name* is kept now, or None when it is not stored anywhere."""
    with _lock:
        if name in _session:
            return StorageResult(persisted=False, where=_session[name][1])
    if load_secret(name) is None:
        return None
    return secure_storage()


def clear_session_secrets() -> None:
    """Forget every session-only secret (keychain entries are untouched).

    For a "lock" action in the GUI and for tests that must not see each other's secrets.
    """
    with _lock:
        _session.clear()


def delete_secret(name: str) -> None:
    """Forget the secret everywhere it may be kept. Missing secrets are not an error."""
    with _lock:
        _session.pop(name, None)
    if not secure_storage().persisted:
        return
    try:
        keyring.delete_password(SERVICE, name)
    except keyring.errors.PasswordDeleteError:
        pass  # nothing stored under that name
    except Exception:  # a failing delete must not crash the caller; the log says what happened
        _log.warning("keychain could not delete %r", name, exc_info=True)


def firm_identity() -> pyrage.x25519.Identity:
    """The firm's own age private key, created on first use and kept in the keychain.

    Packages are sealed to this key as well as to the specialist's, so the firm can
    reopen what it sent. Call :func:`firm_identity_storage` to tell the user whether
    the key will survive closing the app.

    Raises:
        KeystoreError: When a stored key exists but is damaged. It is not replaced,
            because a new key could not open the packages sealed with the old one.
    """
    existing = existing_firm_identity()
    if existing is not None:
        return existing
    identity = pyrage.x25519.Identity.generate()
    store_secret(FIRM_IDENTITY_NAME, str(identity))
    _log.info("created the firm key %s", public_key_fingerprint(str(identity.to_public())))
    return identity


def existing_firm_identity() -> pyrage.x25519.Identity | None:
    """The firm's own age private key if this computer keeps one, or None; never creates one.

    For opening and verifying packages, which must not write to the keychain.

    Raises:
        KeystoreError: When a stored key exists but is damaged.
    """
    stored = load_secret(FIRM_IDENTITY_NAME)
    if stored is None:
        return None
    try:
        return pyrage.x25519.Identity.from_str(stored.strip())
    except pyrage.IdentityError as exc:
        raise KeystoreError(
            "The firm's private key stored in the keychain is damaged, so packages sealed "
            "with it cannot be reopened here. Restore it from a backup of the keychain.",
            detail=str(exc),
        ) from exc


def firm_identity_storage() -> StorageResult:
    """Where the firm's private key is kept (creating the key if needed)."""
    firm_identity()
    return where_is(FIRM_IDENTITY_NAME) or secure_storage()


def firm_recipient() -> str:
    """The firm's own public key (``age1…``), to seal packages to alongside the specialist's."""
    return str(firm_identity().to_public())


def public_key_fingerprint(recipient: str) -> str:
    """A short fingerprint of a public key to read out over the phone.

    It is the first 80 bits of the SHA-256 of the canonical ``age1…`` string, as five
    groups of four upper-case hex digits (e.g. ``"3F2A 9C01 77B4 0D5E 12AA"``): short
    enough to read aloud, long enough that a substituted key will not match by chance.

    Args:
        recipient: An age X25519 public key; surrounding whitespace and letter case are ignored.

    Raises:
        InvalidRecipientError: When *recipient* is not an age public key.
    """
    try:
        canonical = str(pyrage.x25519.Recipient.from_str(recipient.strip().lower()))
    except pyrage.RecipientError as exc:
        raise InvalidRecipientError(
            "That is not an age public key. Public keys start with “age1” and are 62 characters long.",
            detail=str(exc),
        ) from exc
    digest = hashlib.sha256(canonical.encode("ascii")).hexdigest().upper()[:20]
    return " ".join(digest[i : i + 4] for i in range(0, len(digest), 4))
