"""Recognising an export: which system wrote it, what each table holds, which column is which.

The stage between reading and normalising. Its modules, each using only those above it:

* :mod:`.columns`: a table's headings matched to one entity's canonical fields
  (:func:`suggest_mapping`, :class:`TableMapping`);
* :mod:`.signatures`: evidence from the profile's ``detection`` data (file signatures, value
  patterns, interchange formats) and the second entity some files hold (:func:`also_tables`);
* :mod:`.roles`: the entity a table holds (:func:`guess_role`);
* :mod:`.sources`: the system an export came from (:func:`guess_source`).

The user's saved column choices are stored by :mod:`migration_assistant.core.mapping_store`
and come in here as plain dictionaries.
"""

from migration_assistant.core.recognise.columns import ColumnMatch, TableMapping, suggest_mapping
from migration_assistant.core.recognise.roles import AMBIGUOUS_MARGIN, RoleGuess, guess_role
from migration_assistant.core.recognise.signatures import also_tables
from migration_assistant.core.recognise.sources import (
    SourceGuess,
    SourceMismatch,
    check_chosen_source,
    guess_source,
)

__all__ = [
    "AMBIGUOUS_MARGIN",
    "ColumnMatch",
    "RoleGuess",
    "SourceGuess",
    "SourceMismatch",
    "TableMapping",
    "also_tables",
    "check_chosen_source",
    "guess_role",
    "guess_source",
    "suggest_mapping",
]
