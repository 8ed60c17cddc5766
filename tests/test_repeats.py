"""Repeated keys found by one hashing pass: the later rows, each with the first row it repeats."""

from __future__ import annotations

import numpy as np
import pandas as pd

from migration_assistant.core.rules.repeats import repeats


def test_later_rows_point_at_the_first_usable_row_with_their_key() -> None:
    key = pd.Series(["A", "B", "A", "", "B", "C", "A", "", None], dtype="str")
    usable = np.array((key.fillna("") != "").to_numpy(), dtype=bool)
    usable[0] = False  # the first "A" is not usable (say its name is blank): the second "A" comes first
    later, earlier = repeats(key, usable)
    assert later.tolist() == [4, 6] and earlier.tolist() == [1, 2]


def test_nothing_repeats() -> None:
    key = pd.Series(["A", "B", "C"], dtype="str")
    later, earlier = repeats(key, np.ones(3, dtype=bool))
    assert later.tolist() == [] and earlier.tolist() == []
    assert repeats(key, np.zeros(3, dtype=bool))[0].tolist() == []
