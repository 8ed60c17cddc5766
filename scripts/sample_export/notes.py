"""Notes on contacts and matters (written in Windows-1252)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from scripts.sample_export.common import AS_OF
from scripts.sample_export.contacts import Contacts
from scripts.sample_export.matters import Matters
from scripts.sample_export.vectors import choice, iso_dates, make_ids, pool, uniform_days
from scripts.sample_export.words import NOTE_BODIES, NOTE_SUBJECTS


def build_notes(n_notes: int, matters: Matters, contacts: Contacts, rng: np.random.Generator) -> pd.DataFrame:
    n = n_notes
    live = np.flatnonzero(~matters.dormant)
    m = live[choice(rng, len(live), n)]
    on_matter = rng.random(n) < 0.6
    clients = np.flatnonzero(contacts.is_client)
    contact = np.where(on_matter, matters.client_idx[m], clients[choice(rng, len(clients), n)])
    with_contact = ~on_matter | (rng.random(n) < 0.5)
    day = np.where(
        on_matter,
        uniform_days(rng, matters.open_day[m], matters.end_day[m]),
        uniform_days(rng, np.full(n, np.datetime64("2019-01-02")), np.full(n, AS_OF)),
    )
    order = np.argsort(day, kind="stable")
    matter_no = np.where(on_matter, matters.frame["Matter Number"].to_numpy()[m], "")
    contact_id = np.where(with_contact, contacts.frame["Contact ID"].to_numpy()[contact], "")
    return pd.DataFrame(
        {
            "Note ID": make_ids("N", 1, n, 5),
            "Matter Number": matter_no[order].astype(object),
            "Contact ID": contact_id[order].astype(object),
            "Date": iso_dates(day[order]),
            "Subject": pool(NOTE_SUBJECTS)[choice(rng, len(NOTE_SUBJECTS), n)],
            "Body": pool(NOTE_BODIES)[choice(rng, len(NOTE_BODIES), n)],
        }
    )
