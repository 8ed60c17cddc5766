"""FixIndex answers as fix_status does, from a sorted key instead of a scan (issue 18, item 6)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from migration_assistant.core.finding import Finding, Severity
from migration_assistant.core.fixes.about import FixIndex, fix_status
from migration_assistant.core.fixes.log import FixEntry, FixLog

FILES = ("activities.csv", "contacts.xlsx", "matters.csv")
SHEETS = (None, "Sheet1", "Contacts")
COLUMNS = ("Description", "Email", "Phone")
FIXES = (
    ("inert-formula", "formula-injection"),
    ("clean-email", "invalid-email"),
    ("phone-e164", "invalid-phone"),
)

cells = st.tuples(
    st.sampled_from(FILES), st.sampled_from(SHEETS), st.integers(2, 40), st.sampled_from(COLUMNS)
)


def entry(cell: tuple[str, str | None, int, str], fix: str, n: int) -> FixEntry:
    file, sheet, row, column = cell
    return FixEntry(file, sheet, row, column, f"before {n}", f"after {n}", fix, "2026-12-06T00:00:00+00:00")


def finding(cell: tuple[str, str | None, int, str], rule: str) -> Finding:
    file, sheet, row, column = cell
    return Finding(rule, Severity.WARNING, "activities", file, sheet, row, column, "x", "msg", "")


@settings(max_examples=60, deadline=None)
@given(
    logged=st.lists(st.tuples(cells, st.sampled_from(FIXES)), max_size=30),
    asked=st.lists(
        st.tuples(cells, st.sampled_from([rule for _, rule in FIXES] + ["foreign-key"])), max_size=30
    ),
)
def test_the_index_gives_the_answer_of_a_scan(
    logged: list[tuple[tuple[str, str | None, int, str], tuple[str, str]]],
    asked: list[tuple[tuple[str, str | None, int, str], str]],
) -> None:
    log = FixLog.from_entries([entry(cell, fix, n) for n, (cell, (fix, _rule)) in enumerate(logged)])
    index = FixIndex(log)
    questions = [finding(cell, rule) for cell, rule in asked]
    # Ask about the logged cells too, so hits are common, not left to chance.
    questions += [finding(cell, rule) for cell, (_fix, rule) in logged]
    for f in questions:
        assert index.status(f) == fix_status(f, log)
    for cell, _ in logged:
        file, sheet, row, _column = cell
        expected = [i for i, e in enumerate(log.entries()) if (e.file, e.sheet, e.row) == (file, sheet, row)]
        assert sorted(index.positions(file, sheet, row).tolist()) == expected


def test_rows_files_and_sheets_the_log_never_names_have_no_entries() -> None:
    log = FixLog.from_entries([entry(("activities.csv", None, 5, "Description"), "inert-formula", 0)])
    index = FixIndex(log)
    assert index.positions("activities.csv", None, 5).tolist() == [0]
    for file, sheet, row in [
        ("activities.csv", None, 4),
        ("activities.csv", None, 6),
        ("activities.csv", None, -1),
        ("activities.csv", None, 10**9),
        ("activities.csv", "Sheet1", 5),
        ("matters.csv", None, 5),
    ]:
        assert index.positions(file, sheet, row).dtype == np.intp
        assert not len(index.positions(file, sheet, row))
    assert not len(FixIndex(FixLog()).positions("activities.csv", None, 5))
