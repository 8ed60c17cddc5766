"""The Limitations page: every item acknowledged by a named person; blockers accepted explicitly."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QLabel, QWizard

from migration_assistant.gui.pages import ids
from migration_assistant.gui.pages.limitations import ACCEPT_IT, BLOCKER_MARK, READ_IT
from migration_assistant.gui.session import Session, load_session, save_session
from tests.gui.driving import TIMEOUT, acknowledge_everything, click_next, go_to_limitations
from tests.gui.exports import CLIENT_WORDS, MATTERS, write_csv


def next_enabled(wizard: QWizard) -> bool:
    return wizard.button(QWizard.WizardButton.NextButton).isEnabled()


def tick(qtbot, box) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))


def test_next_waits_for_every_item_and_a_name(qtbot, wizard, export_dir: Path) -> None:
    go_to_limitations(qtbot, wizard, export_dir)
    page = wizard.currentPage()
    checklist = wizard.state.checklist
    assert checklist is not None and page.views and len(page.views) == len(checklist.items)
    # Grouped, each with what, why and what to do instead.
    headings = [label.text() for label in page.findChildren(QLabel) if label.text().startswith("<b>")]
    assert "<b>What the new system does not take</b>" in headings
    assert any(h.startswith("<b>From your old software") for h in headings)
    first = page.views[0]
    assert first.why.text().startswith("Why: ") and first.instead.text().startswith("What to do instead: ")
    assert first.check.text() == READ_IT

    assert not next_enabled(wizard)
    assert (
        f"Tick the {len(page.views)} items" in page.blocked.text() and "Type your name" in page.blocked.text()
    )
    for view in page.views[:-1]:
        tick(qtbot, view.check)
    assert not next_enabled(wizard)
    assert "Tick the 1 item not ticked yet" in page.blocked.text()
    tick(qtbot, page.views[-1].check)
    assert not next_enabled(wizard)
    assert page.blocked.text() == "To go on: Type your name."
    assert not checklist.complete  # ticks without a name acknowledge nothing
    qtbot.keyClicks(page.name, "Jane Lawyer")
    assert next_enabled(wizard)
    assert checklist.complete and {i.acknowledged_by for i in checklist.items} == {"Jane Lawyer"}
    # Unticking one holds Next again and withdraws that acknowledgement.
    tick(qtbot, page.views[0].check)
    assert not next_enabled(wizard) and not checklist.items[0].acknowledged
    tick(qtbot, page.views[0].check)
    assert next_enabled(wizard)

    # What the Package page needs is reachable through the context.
    ctx = wizard.ctx
    assert ctx.checklist is checklist and ctx.result is wizard.state.result
    assert ctx.balances is not None and ctx.timeline is not None
    assert ctx.timeline.country == wizard.state.firm_country


def test_blockers_must_be_accepted_explicitly(qtbot, wizard, export_dir: Path) -> None:
    (export_dir / "empty.csv").write_text("", encoding="utf-8")
    go_to_limitations(qtbot, wizard, export_dir)
    page = wizard.currentPage()
    blockers = [v for v in page.views if v.item.blocking]
    assert len(blockers) == 1
    blocker = blockers[0]
    assert page.views[0] is blocker  # the decision that matters comes first
    # Marked in words and shape, not only colour; the tick box says what it means.
    flags = [label.text() for label in blocker.findChildren(QLabel)]
    assert f"{BLOCKER_MARK} BLOCKER: this file cannot be migrated as it is" in flags
    assert "Where: empty.csv" in flags
    assert blocker.check.text() == ACCEPT_IT
    assert blocker.check.accessibleName().startswith("Blocker:")
    assert "blocking problem remains" in page.summary.text() and "submit with errors" in page.summary.text()

    for view in page.views:
        if view is not blocker:
            tick(qtbot, view.check)
    qtbot.keyClicks(page.name, "Jane Lawyer")
    assert not next_enabled(wizard)
    assert "including 1 blocker you must fix or accept" in page.blocked.text()
    tick(qtbot, blocker.check)
    assert next_enabled(wizard)
    assert blocker.item.acknowledged_by == "Jane Lawyer"


def test_acknowledgements_survive_a_recheck_and_a_resume(qtbot, make_wizard, export_dir: Path) -> None:
    wizard = make_wizard()
    go_to_limitations(qtbot, wizard, export_dir)
    page = wizard.currentPage()
    acknowledge_everything(qtbot, page)
    assert next_enabled(wizard)
    ids_before = [v.item.id for v in page.views]

    # Back to Review, check again with nothing changed: every tick and the name are kept.
    wizard.back()
    review = wizard.currentPage()
    qtbot.mouseClick(review.again_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.state.diff is not None and review.isComplete(), timeout=TIMEOUT)
    click_next(qtbot, wizard)
    assert [v.item.id for v in page.views] == ids_before
    assert all(v.check.isChecked() for v in page.views) and next_enabled(wizard)
    assert "kept your earlier tick" in page.summary.text()

    # A second matter without a client changes that item's text: only it must be ticked again.
    write_csv(
        export_dir / "matters.csv",
        MATTERS,
        [
            ["M-001", "C001", "Estate planning", "Estates", "U1", "U1", "Open", "2024-01-15", "", "Hourly"],
            ["M-002", "C009", "Lease review", "Real Estate", "U1", "", "Open", "2024-02-03", "", "Flat"],
            ["M-004", "C010", "Will", "Estates", "U1", "", "Open", "2024-02-04", "", "Flat"],
        ],
    )
    wizard.back()
    qtbot.mouseClick(review.again_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: review.isComplete() and wizard.state.checklist is not None, timeout=TIMEOUT)
    click_next(qtbot, wizard)
    unticked = [v.item.id for v in page.views if not v.check.isChecked()]
    assert unticked == ["target:matters-without-client"]
    assert "(2 in this export)" in page.views[[v.item.id for v in page.views].index(unticked[0])].what.text()
    assert not next_enabled(wizard)
    tick(qtbot, page.views[[v.item.id for v in page.views].index(unticked[0])].check)
    assert next_enabled(wizard)
    wizard.close()

    # The session keeps who acknowledged what (by id and a fingerprint), and no client data.
    saved = load_session()
    assert saved is not None and saved.current_page == ids.LIMITATIONS
    assert saved.acknowledged_by == "Jane Lawyer"
    assert {a.id for a in saved.acknowledgements} == set(ids_before)
    assert all(a.by == "Jane Lawyer" and a.at and len(a.what_sha256) == 64 for a in saved.acknowledgements)
    text = json.dumps(saved.to_json())
    assert not any(word in text for word in CLIENT_WORDS)

    # Resumed: the files are checked again and the ticks come back for the unchanged items.
    again = make_wizard()
    again.resume(saved)
    qtbot.waitUntil(lambda: again.currentId() == ids.LIMITATIONS, timeout=TIMEOUT)
    resumed = again.currentPage()
    assert resumed.name.text() == "Jane Lawyer"
    assert all(v.check.isChecked() for v in resumed.views)
    assert next_enabled(again)


def test_a_version_1_session_is_still_read(isolated_home: Path) -> None:
    path = save_session(Session(source="template", acknowledged=["target:rates-not-migrated"]))
    raw = json.loads(path.read_text(encoding="utf-8"))
    for key in (
        "guide_done",
        "left_out",
        "acknowledgements",
        "acknowledged_by",
        "firm_country",
        "firm_subdiv",
    ):
        raw.pop(key)
    raw["schema_version"] = 1
    path.write_text(json.dumps(raw), encoding="utf-8")
    loaded = load_session()
    assert loaded is not None and loaded.source == "template"
    assert loaded.acknowledgements == [] and loaded.guide_done == {} and loaded.firm_country is None


def test_a_blockers_quoted_data_is_hidden_in_privacy_mode(qtbot, wizard, export_dir: Path) -> None:
    (export_dir / "empty.csv").write_text("", encoding="utf-8")
    go_to_limitations(qtbot, wizard, export_dir)
    page = wizard.currentPage()
    checklist = wizard.state.checklist
    blocker = next(i for i in checklist.items if i.blocking)
    blocker.what = "1 blocking problem(s) of this kind remain: “Eleanor Vance” cannot be read."
    page._fill(checklist)
    view = next(v for v in page.views if v.item is blocker)
    assert "Eleanor" in view.what.text()
    wizard.privacy.set_enabled(True)
    assert not any(word in view.what.text() for word in CLIENT_WORDS)
    assert not any(word in view.check.accessibleName() for word in CLIENT_WORDS)
    assert "\u2022" in view.what.text()
