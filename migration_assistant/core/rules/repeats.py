"""Rows that repeat an earlier row's key, found with one hashing pass (no row loops)."""

from __future__ import annotations

import numpy as np
import pandas as pd


def repeats(key: pd.Series, usable: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions of the *usable* rows whose key an earlier usable row already has, and that row.

    Returns two aligned arrays: each repeating row's position and the position of the first
    usable row with the same key. The first row with each key is not a repeat.
    """
    positions = np.flatnonzero(usable)
    codes, _ = pd.factorize(key if len(positions) == len(key) else key.iloc[positions])
    positions, codes = positions[codes >= 0], codes[codes >= 0]  # a missing key repeats nothing
    if len(codes) < 2:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    # factorize numbers keys in order of first appearance: a code is new exactly where it
    # exceeds every code before it, and every other row repeats an earlier one.
    new = codes > np.concatenate(([-1], np.maximum.accumulate(codes)[:-1]))
    first_at = np.zeros(int(codes.max()) + 1, dtype=np.int64)
    first_at[codes[new]] = positions[new]
    return positions[~new], first_at[codes[~new]]
