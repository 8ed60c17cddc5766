"""Column parsers: the money forms a bookkeeper writes, and the ones that must not be guessed."""

from __future__ import annotations

import numpy as np
import pandas as pd

from migration_assistant.core.normalise import parse_booleans, parse_dates, parse_numbers


def _money(*values: str) -> tuple[list[float], list[bool]]:
    parsed = parse_numbers(pd.Series(list(values), dtype="str"), money=True)
    return parsed.values.tolist(), parsed.invalid.tolist()


def test_money_forms_are_read() -> None:
    values, invalid = _money("$1,234.50", "(12.00)", "12.50-", "CAD 5", "€7", "-1,000", "")
    assert values[:6] == [1234.5, -12.0, -12.5, 5.0, 7.0, -1000.0]
    assert np.isnan(values[6]) and not any(invalid)


def test_ambiguous_money_is_reported_not_guessed() -> None:
    values, invalid = _money("1,5", "300.-", "1.2.3", "nan", "abc")
    assert invalid == [True] * 5
    assert all(np.isnan(v) for v in values)


def test_plain_column_takes_the_fast_path_with_the_same_result() -> None:
    values, invalid = _money("$390.00", "1.5", "-2", "")
    assert values[:3] == [390.0, 1.5, -2.0] and invalid == [False] * 4


def test_dates_leap_day_and_impossible_date() -> None:
    parsed = parse_dates(pd.Series(["02/29/2024", "02/30/2025", "12/31/2023"], dtype="str"))
    assert parsed.values.iloc[0] == pd.Timestamp("2024-02-29")
    assert parsed.masks["impossible"].tolist() == [False, True, False]
    assert parsed.info["order"] == "MDY"


def test_booleans_accept_yes_no_words() -> None:
    parsed = parse_booleans(pd.Series(["Y", "no", "TRUE", "maybe", ""], dtype="str"))
    assert parsed.values.tolist()[:3] == [True, False, True]
    assert parsed.invalid.tolist() == [False, False, False, True, False]


def test_tests_by_distinct_value_match_testing_every_cell() -> None:
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    from migration_assistant.core.normalise import masks_by_distinct

    def dashed(values: pa.Array) -> np.ndarray:
        return np.asarray(pc.match_substring(values, "-").to_numpy(zero_copy_only=False), dtype=bool)

    def empty(values: pa.Array) -> np.ndarray:
        return np.asarray(pc.equal(values, "").to_numpy(zero_copy_only=False), dtype=bool)

    repeated = pd.Series(["16-Jan", "000102", "", "A-1", "000102"] * 2000, dtype="str")  # the distinct path
    distinct = pd.Series([f"{i}-{i % 7}" if i % 3 else str(i) for i in range(10_000)], dtype="str")
    for column in (repeated, distinct, repeated.head(10)):
        got = masks_by_distinct(column, dashed, empty)
        assert [g.tolist() for g in got] == [
            column.str.contains("-", regex=False).tolist(),
            (column == "").tolist(),
        ]
