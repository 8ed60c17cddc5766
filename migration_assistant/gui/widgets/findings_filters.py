"""The Review page's filters: a search box and one list per severity, kind of record, problem, file, change."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QComboBox, QGridLayout, QLabel, QLineEdit, QWidget

from migration_assistant.core.findings import Severity
from migration_assistant.gui.models import STATUS_WORDS, FindingRow, FindingsFilter
from migration_assistant.gui.words import SEVERITY_WORDS, entity_title, rule_title

ANY = "All"


def _buddy(text: str, buddy: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(buddy)
    return label


def _combo(name: str) -> QComboBox:
    box = QComboBox()
    box.setAccessibleName(name)
    box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    box.setMinimumContentsLength(12)
    return box


def _refill(box: QComboBox, items: list[tuple[str, object]]) -> None:
    box.blockSignals(True)
    box.clear()
    box.addItem(ANY, None)
    for text, data in items:
        box.addItem(text, data)
    box.setCurrentIndex(0)
    box.blockSignals(False)


class FindingsFilters(QGridLayout):
    """The filter controls above the findings table, driving a :class:`FindingsFilter` proxy.

    Each change goes through *keeping*, which the page uses to keep the selected problem
    selected when it is still shown.
    """

    def __init__(self, proxy: FindingsFilter, keeping: Callable[[Callable[[], None]], None]) -> None:
        super().__init__()
        self.proxy = proxy
        self.search = QLineEdit()
        self.search.setPlaceholderText("Words, a file name, a row number…")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search the problems")
        self.severity_filter = _combo("Severity filter")
        self.entity_filter = _combo("Kind of record filter")
        self.rule_filter = _combo("Kind of problem filter")
        self.file_filter = _combo("File filter")
        self.status_filter = _combo("Since last check filter")
        self.addWidget(_buddy("&Search:", self.search), 0, 0)
        self.addWidget(self.search, 0, 1, 1, 3)
        self.addWidget(_buddy("Se&verity:", self.severity_filter), 0, 4)
        self.addWidget(self.severity_filter, 0, 5)
        self.addWidget(_buddy("&Kind of record:", self.entity_filter), 1, 0)
        self.addWidget(self.entity_filter, 1, 1)
        self.addWidget(_buddy("Kind of &problem:", self.rule_filter), 1, 2)
        self.addWidget(self.rule_filter, 1, 3)
        self.addWidget(_buddy("F&ile:", self.file_filter), 1, 4)
        self.addWidget(self.file_filter, 1, 5)
        self.status_label = _buddy("Since &last check:", self.status_filter)
        self.addWidget(self.status_label, 0, 6)
        self.addWidget(self.status_filter, 0, 7)
        self.setColumnStretch(1, 1)
        self.setColumnStretch(3, 1)
        self.setColumnStretch(5, 1)

        self.search.textChanged.connect(lambda text: keeping(lambda: proxy.set_text(text)))
        for box, setter in (
            (self.severity_filter, proxy.set_severity),
            (self.entity_filter, proxy.set_entity),
            (self.rule_filter, proxy.set_rule),
            (self.file_filter, proxy.set_file),
            (self.status_filter, proxy.set_status),
        ):
            box.currentIndexChanged.connect(self._applier(keeping, setter, box))

    @staticmethod
    def _applier(
        keeping: Callable[[Callable[[], None]], None], setter: Callable[[Any], None], box: QComboBox
    ) -> Callable[[], None]:
        return lambda: keeping(lambda: setter(box.currentData()))

    def show_status(self, visible: bool) -> None:
        """Show the "Since last check" filter (only after a second check)."""
        self.status_label.setVisible(visible)
        self.status_filter.setVisible(visible)

    def fill(self, rows: list[FindingRow]) -> None:
        """Offer what the findings hold, with counts per severity, and clear every filter but the search."""
        findings = [r.finding for r in rows]
        counted: Counter[Severity] = Counter()
        for r in rows:
            counted[r.finding.severity] += r.count  # a group row counts all of its own
        sev_counts = {s: counted.get(s, 0) for s in Severity}
        _refill(
            self.severity_filter,
            [(f"{SEVERITY_WORDS[s]} ({sev_counts[s]:,})", s) for s in sorted(Severity, reverse=True)],
        )
        entities = sorted({f.entity for f in findings if f.entity}, key=entity_title)
        _refill(self.entity_filter, [(entity_title(e), e) for e in entities])
        rules = sorted({f.rule for f in findings}, key=rule_title)
        _refill(self.rule_filter, [(rule_title(r), r) for r in rules])
        files = sorted({f.file for f in findings})
        _refill(self.file_filter, [(name, name) for name in files])
        statuses = [s for s in ("new", "remaining", "fixed") if any(r.status == s for r in rows)]
        _refill(self.status_filter, [(STATUS_WORDS[s], s) for s in statuses])
        for setter in (
            self.proxy.set_severity,
            self.proxy.set_entity,
            self.proxy.set_rule,
            self.proxy.set_file,
            self.proxy.set_status,
        ):
            setter(None)
