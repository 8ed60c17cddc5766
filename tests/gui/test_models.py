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


def many_findings(n: int) -> list[Finding]:
    """*n* findings over a few rules, files and severities, rows out of order."""
    rules = [("amount-mismatch", Severity.WARNING), ("invalid-value", Severity.ERROR), ("enum", Severity.ERROR),
             ("unmapped-columns", Severity.INFO)]  # fmt: skip
    out = []
    for i in range(n):
        rule, severity = rules[(i * 7) % len(rules)]
        row = None if rule == "unmapped-columns" else 2 + (i * 7919) % n
        out.append(finding(rule, severity, "activities" if i % 3 else "matters", f"file{i % 5}.csv", row, "Amount",
                           f"{i % 97}.00", f"Problem {(i * 31) % 1000:04d} of kind {rule}"))  # fmt: skip
    return out


class CountingModel(FindingsModel):
    data_calls = 0

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
        CountingModel.data_calls += 1
        return super().data(index, role)


def test_a_large_list_is_sorted_and_filtered_without_asking_every_row(qtbot) -> None:  # type: ignore[no-untyped-def]
    """Qt's own proxy asked the model about every row for a sort (three minutes for 774,000
    findings); this one decides in bulk, so the model is asked only about rows being shown."""
    findings = many_findings(50_000)
    model = CountingModel()
    proxy = FindingsFilter()
    proxy.setSourceModel(model)
    proxy.sort(FindingsModel.SEVERITY, Qt.SortOrder.DescendingOrder)
    CountingModel.data_calls = 0
    model.set_findings(findings, FindingMasker())
    proxy.set_severity(Severity.ERROR)
    proxy.sort(FindingsModel.PROBLEM, Qt.SortOrder.AscendingOrder)
    proxy.set_text("0042")
    proxy.set_text("")
    proxy.sort(FindingsModel.ROW, Qt.SortOrder.DescendingOrder)
    assert CountingModel.data_calls == 0
    # The same problem on more than 1,000 rows of a column is one group row; the problems are all counted.
    assert proxy.problem_count() == sum(1 for f in findings if f.severity == Severity.ERROR)


@pytest.mark.parametrize(
    ("column", "order"),
    [
        (FindingsModel.SEVERITY, Qt.SortOrder.DescendingOrder),
        (FindingsModel.ROW, Qt.SortOrder.AscendingOrder),
        (FindingsModel.PROBLEM, Qt.SortOrder.DescendingOrder),
        (FindingsModel.FILE, Qt.SortOrder.AscendingOrder),
    ],
)
def test_bulk_sort_and_filter_match_a_plain_stable_sort(qtbot, column: int, order: Qt.SortOrder) -> None:  # type: ignore[no-untyped-def]
    findings = many_findings(3_000)
    model = FindingsModel()
    model.set_findings(findings, FindingMasker())
    proxy = FindingsFilter()
    proxy.setSourceModel(model)
    proxy.set_entity("activities")
    proxy.set_text("kind amount")
    proxy.sort(column, order)

    def key(i: int) -> object:
        f = findings[i]
        if column == FindingsModel.SEVERITY:
            return int(f.severity)
        if column == FindingsModel.ROW:
            return -1 if f.row is None else f.row
        return model.text(model.finding_at(i), column).casefold()

    expected = [
        i
        for i in sorted(range(len(findings)), key=key, reverse=order == Qt.SortOrder.DescendingOrder)
        if findings[i].entity == "activities" and "kind amount" in model.search_text(i)
    ]
    got = [proxy.mapToSource(proxy.index(r, 0)).row() for r in range(proxy.rowCount())]
    assert got == expected and len(got) > 100
    assert all(proxy.mapFromSource(model.index(i, 0)).row() == r for r, i in enumerate(got))


def test_a_sort_keeps_the_selected_problem_selected(qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QTableView

    model = FindingsModel()
    model.set_findings(many_findings(500), FindingMasker())
    proxy = FindingsFilter()
    proxy.setSourceModel(model)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(proxy)
    view.selectRow(10)
    chosen = proxy.mapToSource(view.selectionModel().selectedRows()[0]).row()
    proxy.sort(FindingsModel.ROW, Qt.SortOrder.AscendingOrder)
    selected = view.selectionModel().selectedRows()
    assert len(selected) == 1 and proxy.mapToSource(selected[0]).row() == chosen


def test_a_group_row_holds_one_kind_of_record() -> None:
    """A file read as two kinds of record (PCLaw's client/matter list) groups each kind's problem apart,
    so the Kind of record filter finds both."""
    from migration_assistant.gui.models import GROUP_ROWS, finding_rows

    findings = [
        Finding("required", Severity.ERROR, entity, "Clients.csv", None, row, "Name", "", "m", "h")
        for entity in ("contacts", "matters")
        for row in range(2, GROUP_ROWS + 3)
    ]
    rows = finding_rows(findings)
    assert [(r.finding.entity, r.count) for r in rows] == [
        ("contacts", GROUP_ROWS + 1),
        ("matters", GROUP_ROWS + 1),
    ]
