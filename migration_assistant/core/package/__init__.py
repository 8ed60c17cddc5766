"""The sealed package: a BagIt bag, streamed through age encryption into one file.

Public API (import from here; the submodules are implementation detail):

* :func:`write_package` / :func:`package_steps` — seal, self-check, atomically save.
* :func:`verify_package` / :func:`iter_verify_package` — decrypt, check, optionally extract.
* :class:`PayloadEntry` — one file for the bag's ``data/`` folder.
* :mod:`.keystore` — secrets in the OS keychain (with a visible session-only fallback),
  the firm's own key and public-key fingerprints.
* :func:`generate_passphrase` — 7 common English words.
* :func:`read_recipient_key` / :func:`recipient_key_problem` — the specialist's pasted
  public key checked, with its fingerprint or a plain-English reason it cannot be used.
"""

from migration_assistant.core.package.bag import DEFAULT_BAG_NAME, PayloadEntry
from migration_assistant.core.package.crypto import (
    DecryptFailure,
    PackageFormat,
    generate_passphrase,
    normalise_passphrase,
)
from migration_assistant.core.package.errors import (
    BagError,
    DestinationError,
    EncryptionError,
    InsufficientSpaceError,
    InvalidIdentityError,
    InvalidRecipientError,
    PackageCancelled,
    PackageCheckFailed,
    PackageError,
    PackageExistsError,
    PackageNotFoundError,
    SourceFileError,
)
from migration_assistant.core.package.keystore import (
    StorageResult,
    delete_secret,
    firm_identity,
    firm_recipient,
    load_secret,
    public_key_fingerprint,
    store_secret,
)
from migration_assistant.core.package.recipient_keys import (
    RecipientKey,
    clean_key,
    read_recipient_key,
    recipient_key_problem,
)
from migration_assistant.core.package.verify import iter_verify_package, verify_package
from migration_assistant.core.package.verify_result import (
    Problem,
    ProblemKind,
    VerifyProgress,
    VerifyResult,
)
from migration_assistant.core.package.writer import (
    PackageProgress,
    PackageResult,
    Phase,
    package_steps,
    write_package,
)

__all__ = [
    "DEFAULT_BAG_NAME",
    "BagError",
    "DecryptFailure",
    "DestinationError",
    "EncryptionError",
    "InsufficientSpaceError",
    "InvalidIdentityError",
    "InvalidRecipientError",
    "PackageCancelled",
    "PackageCheckFailed",
    "PackageError",
    "PackageExistsError",
    "PackageFormat",
    "PackageNotFoundError",
    "PackageProgress",
    "PackageResult",
    "PayloadEntry",
    "Phase",
    "Problem",
    "ProblemKind",
    "RecipientKey",
    "SourceFileError",
    "StorageResult",
    "VerifyProgress",
    "VerifyResult",
    "clean_key",
    "delete_secret",
    "firm_identity",
    "firm_recipient",
    "generate_passphrase",
    "iter_verify_package",
    "load_secret",
    "normalise_passphrase",
    "package_steps",
    "public_key_fingerprint",
    "read_recipient_key",
    "recipient_key_problem",
    "store_secret",
    "verify_package",
    "write_package",
]
