"""The findings model and its filter/sort proxy, on hand-made findings (no engine run)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt

from migration_assistant.core.findings import Finding, Report, Severity, compare_runs
from migration_assistant.gui.models import FINDING_ROLE, FindingsFilter, FindingsModel
from migration_assistant.gui.privacy_view import FindingMasker


def finding(rule: str, severity: Severity, entity: str | None, file: str, row: int | None, column: str | None,
            value: str | None, message: str) -> Finding:  # fmt: skip
    return Finding(rule, severity, entity, file, None, row, column, value, message, "Fix it.")


FINDINGS = [
    finding("invalid-email", Severity.ERROR, "contacts", "contacts.csv", 2, "Email", "eleanor.vance@example",
            "“eleanor.vance@example” is not a valid e-mail address."),
    finding("invalid-phone", Severity.WARNING, "contacts", "contacts.csv", 4, "Phone", "12",
            "“12” does not look like a complete phone number."),
    finding("enum", Severity.ERROR, "matters", "matters.csv", 3, "Status", "Active",
            "“Active” is not a valid Status."),
    finding("missing-column", Severity.BLOCKER, "matters", "matters.csv", None, "Client ID", None,
            "The required column “Client ID” is missing."),
    finding("unmapped-columns", Severity.INFO, "activities", "time.csv", None, None, None,
            "1 column(s) have no place in the new system's standard fields."),
]  # fmt: skip


@pytest.fixture
def proxy(qtbot) -> FindingsFilter:  # type: ignore[no-untyped-def]
    model = FindingsModel()
    model.set_findings(FINDINGS, FindingMasker())
    view_proxy = FindingsFilter()
    view_proxy.setSourceModel(model)
    view_proxy._model = model  # keep the model alive with the proxy
    return view_proxy


def shown(proxy: FindingsFilter) -> list[str]:
    return [proxy.index(r, 0).data(FINDING_ROLE).rule for r in range(proxy.rowCount())]


def test_each_filter_narrows_the_list(proxy: FindingsFilter) -> None:
    assert len(shown(proxy)) == 5
    proxy.set_severity(Severity.ERROR)
    assert sorted(shown(proxy)) == ["enum", "invalid-email"]
    proxy.set_entity("contacts")
    assert shown(proxy) == ["invalid-email"]
    proxy.set_severity(None)
    assert sorted(shown(proxy)) == ["invalid-email", "invalid-phone"]
    proxy.set_entity(None)
    proxy.set_rule("enum")
    assert shown(proxy) == ["enum"]
    proxy.set_rule(None)
    proxy.set_file("matters.csv")
    assert sorted(shown(proxy)) == ["enum", "missing-column"]
    proxy.set_file(None)
    proxy.set_text("PHONE number")
    assert shown(proxy) == ["invalid-phone"]
    proxy.set_text("time.csv")
    assert shown(proxy) == ["unmapped-columns"]
    proxy.set_text("")
    assert len(shown(proxy)) == 5


def test_sorting_by_severity_and_row(proxy: FindingsFilter) -> None:
    proxy.sort(FindingsModel.SEVERITY, Qt.SortOrder.DescendingOrder)
    severities = [proxy.index(r, 0).data(FINDING_ROLE).severity for r in range(proxy.rowCount())]
    assert severities == sorted(severities, reverse=True)
    proxy.sort(FindingsModel.ROW, Qt.SortOrder.AscendingOrder)
    rows = [proxy.index(r, 0).data(FINDING_ROLE).row for r in range(proxy.rowCount())]
    assert rows[:2] == [None, None] and rows[2:] == [2, 3, 4]


def test_severity_is_told_in_words_and_shape_not_colour_alone(proxy: FindingsFilter) -> None:
    model = proxy.sourceModel()
    texts = {model.index(r, FindingsModel.SEVERITY).data() for r in range(model.rowCount())}
    assert texts == {"\u25a0 Blocker", "\u25b2 Error", "\u25c6 Warning", "\u25cb Note"}
    assert model.index(0, FindingsModel.SEVERITY).data(Qt.ItemDataRole.ToolTipRole) == Severity.ERROR.meaning


def test_privacy_masks_values_and_quotes_and_the_search_sees_only_masked_text(proxy: FindingsFilter) -> None:
    model: FindingsModel = proxy.sourceModel()
    model.set_privacy(True)
    proxy.refresh()
    first = model.index(0, FindingsModel.VALUE).data()
    message = model.index(0, FindingsModel.PROBLEM).data()
    assert "eleanor" not in first and "eleanor" not in message
    assert "\u2022" in first
    # Column names quoted in a message are not client data.
    blocker = model.index(3, FindingsModel.PROBLEM).data()
    assert "“Client ID”" in blocker
    proxy.set_text("eleanor")
    assert shown(proxy) == []
    model.set_privacy(False)
    proxy.refresh()
    assert shown(proxy) == ["invalid-email"]


def test_check_again_rows_carry_their_change(qtbot) -> None:  # type: ignore[no-untyped-def]
    before = Report("template", findings=FINDINGS[:3])
    after = Report("template", findings=[FINDINGS[1], FINDINGS[2], FINDINGS[4]])
    model = FindingsModel()
    model.set_diff(compare_runs(before, after))
    proxy = FindingsFilter()
    proxy.setSourceModel(model)
    assert model.has_diff and model.rowCount() == 4
    changes = {model.index(r, FindingsModel.CHANGE).data() for r in range(model.rowCount())}
    assert changes == {"New", "Still there", "Fixed"}
    proxy.set_status("fixed")
    assert shown(proxy) == ["invalid-email"]
    proxy.set_status("new")
    assert shown(proxy) == ["unmapped-columns"]
    assert model.rowCount(QModelIndex()) == 4 and model.columnCount() == len(FindingsModel.HEADERS)
