"""The whole clean firm: every entity built from one seed, in the template's columns."""

from __future__ import annotations

import numpy as np

from scripts.sample_export.activities import build_activities
from scripts.sample_export.calendar import build_calendar, build_tasks
from scripts.sample_export.common import HEADERS, SAMPLE_SIZES, SEED, Firm
from scripts.sample_export.contacts import build_contacts
from scripts.sample_export.matters import build_matters
from scripts.sample_export.notes import build_notes
from scripts.sample_export.people import build_users
from scripts.sample_export.trust import build_trust


def build_firm(
    n_contacts: int = SAMPLE_SIZES["n_contacts"],
    n_matters: int = SAMPLE_SIZES["n_matters"],
    n_activities: int = SAMPLE_SIZES["n_activities"],
    seed: int = SEED,
    *,
    n_users: int = SAMPLE_SIZES["n_users"],
    n_trust: int = SAMPLE_SIZES["n_trust"],
    n_events: int = SAMPLE_SIZES["n_events"],
    n_tasks: int = SAMPLE_SIZES["n_tasks"],
    n_notes: int = SAMPLE_SIZES["n_notes"],
    multiline_share: float = 0.015,
) -> Firm:
    """The whole export as text tables keyed by entity, columns exactly the template headers.

    Bills are derived from the billed time and expenses (one invoice per matter and
    period), so their number follows from the activities.
    """

    def rng(part: int) -> np.random.Generator:
        return np.random.default_rng([seed, part])

    users, rates, left = build_users(n_users, rng(1))
    contacts = build_contacts(n_contacts, rng(2))
    matters = build_matters(n_matters, contacts, users, rng(3))
    activities = build_activities(n_activities, matters, users, rates, left, rng(4), multiline_share)
    firm: Firm = {
        "users": users,
        "contacts": contacts.frame,
        "matters": matters.frame,
        "activities": activities.frame,
        "bills": activities.bills,
        "trust": build_trust(n_trust, matters, contacts, rng(5)),
        "calendar": build_calendar(n_events, matters, rng(6)),
        "tasks": build_tasks(n_tasks, matters, users, rng(7)),
        "notes": build_notes(n_notes, matters, contacts, rng(8)),
    }
    for entity, frame in firm.items():
        if list(frame.columns) != HEADERS[entity]:
            raise AssertionError(f"{entity}: columns {list(frame.columns)} are not the template headers")
        firm[entity] = frame.astype(str)
    return firm
