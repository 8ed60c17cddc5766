"""The user's column choices: per file in the session, per source system on disk, per entity for the engine.

Three places hold them, each for its own reason:

* ``WizardState.mappings`` (saved in the session): file key -> entity -> canonical title ->
  the column the user chose ("" = "not in this file"), so a resumed session shows the
  same choices.
* ``core.mapping_store`` (``mappings/<source>.json``): entity -> title -> column, the
  corrections remembered for the next export from the same software.
* the engine's ``mappings`` argument: entity -> title -> column, built here from the two.

The engine takes one choice per entity and field. When two files hold the same kind of
record and the user chose differently in each, the later file's choice is passed; a
chosen column that a file does not have is ignored for that file (the engine falls back
to its own matching there), so this only matters when both files have both columns.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from migration_assistant.core.results import LEFT_OUT

if TYPE_CHECKING:
    from migration_assistant.core.api import Profile, SavedMapping, TableMapping
    from migration_assistant.gui.state import FileEntry, WizardState

log = logging.getLogger(__name__)

NOT_IN_FILE = ""
"""The choice "this field is not in this file" (left unmapped on purpose)."""


def stored_choices(source: str | None) -> SavedMapping:
    """The corrections remembered for *source* (empty when none, or no source yet)."""
    from migration_assistant.core.api import SavedMapping, load_saved_mapping

    return load_saved_mapping(source) if source else SavedMapping("")


def choices_for(state: WizardState, entry: FileEntry, entity: str, stored: SavedMapping) -> dict[str, str]:
    """Title -> column the user chose for *entry* as *entity*: remembered ones, then this session's."""
    chosen = dict(stored.columns.get(entity, {}))
    chosen.update(state.mappings.get(entry.key, {}).get(entity, {}))
    return chosen


def mapping_for(
    state: WizardState, entry: FileEntry, entity: str, profile: Profile, stored: SavedMapping
) -> TableMapping:
    """How *entry*'s columns map to *entity*'s fields, as the check will map them.

    A file in an interchange format (LEDES, iCalendar, vCard, IIF) is read with the standard
    field names already: the engine maps it without choices, and so does this.
    """
    from migration_assistant.core.api import suggest_mapping

    chosen = {} if entry.fixed_columns else choices_for(state, entry, entity, stored)
    return suggest_mapping(list(entry.labels), entity, profile, chosen)


def engine_inputs(
    state: WizardState, stored: SavedMapping
) -> tuple[dict[str, dict[str, str]], dict[str, str]]:
    """The engine's ``mappings`` (entity -> title -> column) and ``roles`` (table key -> entity).

    Roles: what the user chose on Add your files, and "" for the files left out. No other
    role is pinned: the engine recognises each file with the column choices applied, as the
    Map columns page showed it (and a file that holds two kinds of record, such as PCLaw's
    client/matter list, keeps both).
    """
    roles = dict(state.role_choices)
    for key in state.left_out:
        roles[key] = LEFT_OUT
    mappings: dict[str, dict[str, str]] = {e: dict(t) for e, t in stored.columns.items()}
    for entry in state.readable_files():
        entity = state.role_of(entry)
        if entity is None or state.is_left_out(entry) or entry.fixed_columns:
            continue
        mine = state.mappings.get(entry.key, {}).get(entity, {})
        if mine:
            mappings.setdefault(entity, {}).update(mine)
    return mappings, roles


def remember(
    state: WizardState, entry: FileEntry, entity: str, title: str, label: str, source: str | None
) -> None:
    """Record the user's choice of *label* for *title* in this session and for the next export.

    A column holds one field: another field of the same file that the user had put on
    *label* goes back to the app's own matching.
    """
    mine = state.mappings.setdefault(entry.key, {}).setdefault(entity, {})
    if label != NOT_IN_FILE:
        for other in [t for t, lab in mine.items() if lab == label and t != title]:
            del mine[other]
    mine[title] = label
    state.invalidate_result()
    if not source:
        return
    from migration_assistant.core.api import save_mapping as save

    stored = stored_choices(source)
    columns = stored.columns.setdefault(entity, {})
    if label != NOT_IN_FILE:
        for other in [t for t, lab in columns.items() if lab == label and t != title]:
            del columns[other]
    columns[title] = label
    try:
        save(stored)
    except OSError as exc:  # the choice still holds for this session
        log.warning("column choices not remembered: %s", type(exc).__name__)


def forget(state: WizardState, entry: FileEntry, entity: str, source: str | None) -> None:
    """Drop every choice for *entry* as *entity*, here and in what is remembered for *source*."""
    mine = state.mappings.get(entry.key, {})
    mine.pop(entity, None)
    if not mine:
        state.mappings.pop(entry.key, None)
    state.invalidate_result()
    if not source:
        return
    from migration_assistant.core.api import save_mapping as save

    stored = stored_choices(source)
    if stored.columns.pop(entity, None) is None:
        return
    try:
        save(stored)
    except OSError as exc:
        log.warning("column choices not forgotten: %s", type(exc).__name__)
