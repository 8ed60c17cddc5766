"""The engine's public face: what the wizard and the command line call, and the types they name.

Both front ends go through these entry points, one per step they drive, so they do the
same thing with the same export and a change inside a stage never reaches them:

* **read and recognise** — :func:`iter_read_and_recognise` (the Add files page);
* **check** — :func:`iter_validate` / :func:`validate`;
* **fix** — :func:`iter_fix` (check, make the certain fixes, check again), :func:`plan_fixes`
  (the preview), :func:`fix_status` / :func:`why_not_fixed` (is there a fix for a finding, and
  if not why), :func:`write_fixed_copies`, and :class:`FixLog` (``iter_validate(fixes=LOG)``
  checks with a log made earlier; ``FixLog.without``/``only`` undo);
* **report** — :func:`compute_balances`, :func:`build_checklist`, :func:`plan_for_report`,
  :func:`write_html`, :func:`write_xlsx` / :func:`iter_write_xlsx`;
* **seal** — :func:`iter_seal` (after :func:`check_gate`);
* **open a package** — :func:`iter_verify_package` and :func:`read_contents`;

plus the profiles, column choices and keys those steps take, and the types they return.
The value types of a run (:mod:`~migration_assistant.core.results`,
:mod:`~migration_assistant.core.findings`, :mod:`~migration_assistant.core.readers.table`)
may also be imported from their own modules, which sit below every stage.

Importing this module loads nothing but the standard library: each name is imported from
its module when first used, and looked up again on every use (so a test that swaps
``engine.iter_validate`` is obeyed). The wizard's splash window and the command line's
read-ahead (which starts before pandas loads) depend on that.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_CORE = "migration_assistant.core"

_EXPORTS: dict[str, tuple[str, str]] = {
    # the values of a run
    "Cancelled": ("results", "Cancelled"),
    "ExportTooLarge": ("results", "ExportTooLarge"),
    "LEFT_OUT": ("results", "LEFT_OUT"),
    "Mappings": ("results", "Mappings"),
    "Progress": ("results", "Progress"),
    "Recognised": ("results", "Recognised"),
    "Unread": ("results", "Unread"),
    "ValidationResult": ("results", "ValidationResult"),
    "table_key": ("results", "table_key"),
    "UnreadableFile": ("readers.errors", "UnreadableFile"),
    "run_to_end": ("steps", "run_to_end"),
    # source systems, the canonical schema, column choices
    "ExportStep": ("adapters", "ExportStep"),
    "GuideStep": ("adapters", "GuideStep"),
    "Profile": ("adapters", "Profile"),
    "ProfileError": ("adapters", "ProfileError"),
    "load_catalog": ("adapters", "load_catalog"),
    "entities": ("schema", "entities"),
    "normalise_label": ("schema", "normalise_label"),
    "ColumnMatch": ("recognise", "ColumnMatch"),
    "TableMapping": ("recognise", "TableMapping"),
    "suggest_mapping": ("recognise", "suggest_mapping"),
    "MappingFileError": ("mapping_store", "MappingFileError"),
    "SavedMapping": ("mapping_store", "SavedMapping"),
    "load_mapping_file": ("mapping_store", "load_mapping_file"),
    "load_saved_mapping": ("mapping_store", "load_saved"),
    "save_mapping": ("mapping_store", "save"),
    "REGISTRY": ("rules", "REGISTRY"),
    "resource_path": ("resources", "resource_path"),
    "sample_export_dir": ("resources", "sample_export_dir"),
    # read and recognise; check
    "iter_read_and_recognise": ("intake", "iter_read_and_recognise"),
    "read_ahead": ("readers.csv_arrow", "read_ahead"),
    "discard_read_ahead": ("readers.csv_arrow", "discard_read_ahead"),
    "iter_validate": ("engine", "iter_validate"),
    "validate": ("engine", "validate"),
    "Dataset": ("dataset", "Dataset"),
    # fix
    "FIXES": ("fixes", "FIXES"),
    "Fix": ("fixes", "Fix"),
    "FixEntry": ("fixes", "FixEntry"),
    "FixLog": ("fixes", "FixLog"),
    "FixIndex": ("fixes", "FixIndex"),
    "FixLogError": ("fixes", "FixLogError"),
    "FixOutError": ("fixes.copies", "FixOutError"),
    "FixStatus": ("fixes", "FixStatus"),
    "StaleFixLog": ("fixes", "StaleFixLog"),
    "UnknownFix": ("fixes", "UnknownFix"),
    "Written": ("fixes.copies", "Written"),
    "check_out_folder": ("fixes.copies", "check_out_folder"),
    "fix_codes": ("fixes", "fix_codes"),
    "fix_status": ("fixes", "fix_status"),
    "iter_fix": ("engine", "iter_fix"),
    "plan_fixes": ("fixes", "plan_fixes"),
    "why_not_fixed": ("fixes", "why_not"),
    "write_fixed_copies": ("fixes.copies", "write_fixed_copies"),
    # report
    "AMOUNTS": ("balances", "AMOUNTS"),
    "Balances": ("balances", "Balances"),
    "CLIENT": ("balances", "CLIENT"),
    "MATTER": ("balances", "MATTER"),
    "compute_balances": ("balances", "compute_balances"),
    "format_money": ("balances", "format_money"),
    "Checklist": ("checklist", "Checklist"),
    "ChecklistItem": ("checklist", "ChecklistItem"),
    "build_checklist": ("checklist", "build_checklist"),
    "Timeline": ("timeline", "Timeline"),
    "plan_for_report": ("timeline", "plan_for_report"),
    "plan_timeline": ("timeline", "plan_timeline"),
    "export_date": ("export_date", "export_date"),
    "write_html": ("reports.html_report", "write_html"),
    "write_xlsx": ("reports.xlsx_report", "write_xlsx"),
    "iter_write_xlsx": ("reports.xlsx_report", "iter_write_xlsx"),
    # seal
    "FirmDetails": ("handoff", "FirmDetails"),
    "GateClosed": ("handoff", "GateClosed"),
    "check_gate": ("handoff", "check_gate"),
    "iter_seal": ("seal", "iter_seal"),
    "PackageFormat": ("package", "PackageFormat"),
    "PackageProgress": ("package", "PackageProgress"),
    "PackageResult": ("package", "PackageResult"),
    "Phase": ("package", "Phase"),
    "PackageError": ("package", "PackageError"),
    "InsufficientSpaceError": ("package", "InsufficientSpaceError"),
    "InvalidRecipientError": ("package", "InvalidRecipientError"),
    "generate_passphrase": ("package", "generate_passphrase"),
    "human_size": ("package.bag", "human_size"),
    # keys and secrets
    "FIRM_IDENTITY_NAME": ("package.keystore", "FIRM_IDENTITY_NAME"),
    "firm_identity": ("package.keystore", "firm_identity"),
    "firm_identity_storage": ("package.keystore", "firm_identity_storage"),
    "firm_recipient": ("package.keystore", "firm_recipient"),
    "public_key_fingerprint": ("package.keystore", "public_key_fingerprint"),
    "secure_storage": ("package.keystore", "secure_storage"),
    "store_secret": ("package.keystore", "store_secret"),
    "where_is": ("package.keystore", "where_is"),
    # open a package
    "CONTENT_FILES": ("handoff", "CONTENT_FILES"),
    "PackageContents": ("handoff", "PackageContents"),
    "read_contents": ("handoff", "read_contents"),
    "VerifyProgress": ("package", "VerifyProgress"),
    "VerifyResult": ("package", "VerifyResult"),
    "iter_verify_package": ("package", "iter_verify_package"),
    "code_title": ("catalogue", "code_title"),
    "catalogue": ("catalogue", "catalogue"),
    "CodeEntry": ("catalogue", "CodeEntry"),
    "existing_firm_identity": ("package.keystore", "existing_firm_identity"),
    "identity_file_text": ("package.crypto", "identity_file_text"),
    "KeystoreError": ("package.keystore", "KeystoreError"),
    "stages": ("catalogue", "stages"),
    "clean_key": ("package", "clean_key"),
    "recipient_key_problem": ("package", "recipient_key_problem"),
    "read_recipient_key": ("package", "read_recipient_key"),
    "InputFile": ("readers.inputs", "InputFile"),
    "by_name_notes": ("people", "by_name_notes"),
}

# The same names as _EXPORTS, and again for the type checker below (tests/test_api.py holds the three together).
__all__ = [
    "AMOUNTS",
    "CLIENT",
    "CONTENT_FILES",
    "FIRM_IDENTITY_NAME",
    "FIXES",
    "LEFT_OUT",
    "MATTER",
    "REGISTRY",
    "Balances",
    "Cancelled",
    "Checklist",
    "ChecklistItem",
    "CodeEntry",
    "ColumnMatch",
    "Dataset",
    "ExportStep",
    "ExportTooLarge",
    "FirmDetails",
    "Fix",
    "FixEntry",
    "FixIndex",
    "FixLog",
    "FixLogError",
    "FixOutError",
    "FixStatus",
    "GateClosed",
    "GuideStep",
    "InputFile",
    "InsufficientSpaceError",
    "InvalidRecipientError",
    "KeystoreError",
    "MappingFileError",
    "Mappings",
    "PackageContents",
    "PackageError",
    "PackageFormat",
    "PackageProgress",
    "PackageResult",
    "Phase",
    "Profile",
    "ProfileError",
    "Progress",
    "Recognised",
    "SavedMapping",
    "StaleFixLog",
    "TableMapping",
    "Timeline",
    "UnknownFix",
    "Unread",
    "UnreadableFile",
    "ValidationResult",
    "VerifyProgress",
    "VerifyResult",
    "Written",
    "build_checklist",
    "by_name_notes",
    "catalogue",
    "check_gate",
    "check_out_folder",
    "clean_key",
    "code_title",
    "compute_balances",
    "discard_read_ahead",
    "entities",
    "existing_firm_identity",
    "export_date",
    "firm_identity",
    "firm_identity_storage",
    "firm_recipient",
    "fix_codes",
    "fix_status",
    "format_money",
    "generate_passphrase",
    "human_size",
    "identity_file_text",
    "iter_fix",
    "iter_read_and_recognise",
    "iter_seal",
    "iter_validate",
    "iter_verify_package",
    "iter_write_xlsx",
    "load_catalog",
    "load_mapping_file",
    "load_saved_mapping",
    "normalise_label",
    "plan_fixes",
    "plan_for_report",
    "plan_timeline",
    "public_key_fingerprint",
    "read_ahead",
    "read_contents",
    "read_recipient_key",
    "recipient_key_problem",
    "resource_path",
    "run_to_end",
    "sample_export_dir",
    "save_mapping",
    "secure_storage",
    "stages",
    "store_secret",
    "suggest_mapping",
    "table_key",
    "validate",
    "where_is",
    "why_not_fixed",
    "write_fixed_copies",
    "write_html",
    "write_xlsx",
]


def __getattr__(name: str) -> Any:
    try:
        module, attribute = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    return getattr(importlib.import_module(f"{_CORE}.{module}"), attribute)


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})


if TYPE_CHECKING:  # the same names, for the type checker (a test holds the lists together)
    from migration_assistant.core.adapters import ExportStep, GuideStep, Profile, ProfileError, load_catalog
    from migration_assistant.core.balances import (
        AMOUNTS,
        CLIENT,
        MATTER,
        Balances,
        compute_balances,
        format_money,
    )
    from migration_assistant.core.catalogue import CodeEntry, catalogue, code_title, stages
    from migration_assistant.core.checklist import Checklist, ChecklistItem, build_checklist
    from migration_assistant.core.dataset import Dataset
    from migration_assistant.core.engine import iter_fix, iter_validate, validate
    from migration_assistant.core.export_date import export_date
    from migration_assistant.core.fixes import (
        FIXES,
        Fix,
        FixEntry,
        FixIndex,
        FixLog,
        FixLogError,
        FixStatus,
        StaleFixLog,
        UnknownFix,
        fix_codes,
        fix_status,
        plan_fixes,
    )
    from migration_assistant.core.fixes import why_not as why_not_fixed
    from migration_assistant.core.fixes.copies import (
        FixOutError,
        Written,
        check_out_folder,
        write_fixed_copies,
    )
    from migration_assistant.core.handoff import (
        CONTENT_FILES,
        FirmDetails,
        GateClosed,
        PackageContents,
        check_gate,
        read_contents,
    )
    from migration_assistant.core.intake import iter_read_and_recognise
    from migration_assistant.core.mapping_store import MappingFileError, SavedMapping, load_mapping_file
    from migration_assistant.core.mapping_store import load_saved as load_saved_mapping
    from migration_assistant.core.mapping_store import save as save_mapping
    from migration_assistant.core.package import (
        InsufficientSpaceError,
        InvalidRecipientError,
        PackageError,
        PackageFormat,
        PackageProgress,
        PackageResult,
        Phase,
        VerifyProgress,
        VerifyResult,
        clean_key,
        generate_passphrase,
        iter_verify_package,
        read_recipient_key,
        recipient_key_problem,
    )
    from migration_assistant.core.package.bag import human_size
    from migration_assistant.core.package.crypto import identity_file_text
    from migration_assistant.core.package.keystore import (
        FIRM_IDENTITY_NAME,
        KeystoreError,
        existing_firm_identity,
        firm_identity,
        firm_identity_storage,
        firm_recipient,
        public_key_fingerprint,
        secure_storage,
        store_secret,
        where_is,
    )
    from migration_assistant.core.people import by_name_notes
    from migration_assistant.core.readers.csv_arrow import discard_read_ahead, read_ahead
    from migration_assistant.core.readers.errors import UnreadableFile
    from migration_assistant.core.readers.inputs import InputFile
    from migration_assistant.core.recognise import ColumnMatch, TableMapping, suggest_mapping
    from migration_assistant.core.reports.html_report import write_html
    from migration_assistant.core.reports.xlsx_report import iter_write_xlsx, write_xlsx
    from migration_assistant.core.resources import resource_path, sample_export_dir
    from migration_assistant.core.results import (
        LEFT_OUT,
        Cancelled,
        ExportTooLarge,
        Mappings,
        Progress,
        Recognised,
        Unread,
        ValidationResult,
        table_key,
    )
    from migration_assistant.core.rules import REGISTRY
    from migration_assistant.core.schema import entities, normalise_label
    from migration_assistant.core.seal import iter_seal
    from migration_assistant.core.steps import run_to_end
    from migration_assistant.core.timeline import Timeline, plan_for_report, plan_timeline
