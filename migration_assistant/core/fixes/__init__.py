"""Fixes: what a machine can fix with certainty, beside the rules that find the problems.

Every fix is registered on import (the order of modules is the order fixes run and take a
cell when two would change it). See :mod:`~migration_assistant.core.fixes.base` for the
contract, :mod:`~migration_assistant.core.fixes.apply` for planning and applying, and
:mod:`~migration_assistant.core.fixes.log` for the log.
"""

from migration_assistant.core.fixes import (  # noqa: F401  (imported to register the fixes)
    contacts,
    keys,
    text,
    values,
)
from migration_assistant.core.fixes.about import FixIndex, FixStatus, fix_status, fixes_for, why_not
from migration_assistant.core.fixes.apply import StaleFixLog, UnknownFix, apply_log, fix_codes, plan_fixes
from migration_assistant.core.fixes.base import FIXES, Fix
from migration_assistant.core.fixes.log import FixEntry, FixLog, FixLogError

__all__ = [
    "FIXES",
    "Fix",
    "FixEntry",
    "FixIndex",
    "FixLog",
    "FixLogError",
    "FixStatus",
    "StaleFixLog",
    "UnknownFix",
    "apply_log",
    "fix_codes",
    "fix_status",
    "fixes_for",
    "plan_fixes",
    "why_not",
]
