"""The export guide speaks plainly; its sources sit in a "Where this comes from" detail (issue 17 item 8)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from migration_assistant.core.adapters import load_catalog
from migration_assistant.gui.pages import ids
from tests.gui.driving import click_next

JARGON = (
    "citable",
    "c-tree",
    "wise owl",
    "published pages disagree",
    "public api",
    "clio's guide",
    "converter reads",
)


@pytest.mark.parametrize("profile", list(load_catalog()[0].values()), ids=lambda p: p.id)
def test_no_jargon_in_what_the_firm_reads(profile) -> None:  # type: ignore[no-untyped-def]
    texts = [profile.name, profile.summary]
    texts += [s.text for s in profile.guide] + [e.how for e in profile.exports]
    texts += [f"{lim.what} {lim.why} {lim.instead}" for lim in profile.limitations]
    said = " ".join(texts).casefold()
    assert [j for j in JARGON if j in said] == []
    assert "(" not in profile.name  # shown as "From your old software (<name>)": no doubled brackets


def test_sources_are_one_click_away_not_in_the_steps(qtbot, wizard) -> None:
    click_next(qtbot, wizard)
    qtbot.keyClicks(wizard.currentPage().search, "PCLaw")
    click_next(qtbot, wizard)
    assert wizard.currentId() == ids.EXPORT_GUIDE
    guide = wizard.currentPage()
    profile = wizard.state.catalog["pclaw"]
    address = profile.sources[0]
    assert guide.sources_button.isVisible() and not guide.sources.isVisible()
    assert not any(address in label.text() for label in guide.findChildren(QLabel) if label.isVisible())
    qtbot.mouseClick(guide.sources_button, Qt.MouseButton.LeftButton)
    assert guide.sources.isVisible() and address in guide.sources.text()
    assert "Worked out, not published" in guide.sources.text()  # the "[I]" note, in words
