"""drop_waived chooses on the findings' columns what it used to choose finding by finding."""

from __future__ import annotations

import random
from pathlib import Path

import pandas as pd

from migration_assistant.core.finding_table import FindingTable
from migration_assistant.core.findings import Finding, Severity
from migration_assistant.core.readers.table import SourceTable, drop_waived

FILES = ("bills.txt", "time.csv")
RULES = ("required", "amount-mismatch", "negative-value")
COLUMNS = (None, "TIMEKEEPER_ID", "LINE_ITEM_TOTAL")


def one_by_one(findings: list[Finding], tables: list[SourceTable]) -> list[Finding]:
    """The way it was written first."""
    waivers = {(t.file, t.sheet, r, c): rows for t in tables for (r, c), rows in t.waived.items()}
    return [
        f
        for f in findings
        if f.row is None or f.row not in waivers.get((f.file, f.sheet, f.rule, f.column or ""), ())
    ]


def test_the_same_findings_as_one_by_one() -> None:
    for seed in range(120):
        pick = random.Random(seed)
        findings = [
            Finding(
                pick.choice(RULES),
                Severity.ERROR,
                None,
                pick.choice(FILES),
                None,
                pick.choice([None, 2, 3, 4, 5]),
                pick.choice(COLUMNS),
                "v",
                "m",
                "h",
            )
            for _ in range(pick.randint(0, 40))
        ]
        waived = {
            (pick.choice(RULES), pick.choice(["", "TIMEKEEPER_ID", "LINE_ITEM_TOTAL"])): frozenset(
                pick.sample([2, 3, 4, 5], pick.randint(0, 3))
            )
            for _ in range(pick.randint(1, 3))
        }
        tables = [
            SourceTable(
                "bills.txt", Path("bills.txt"), None, pd.DataFrame(), [], format="ledes", waived=waived
            ),
            SourceTable("time.csv", Path("time.csv"), None, pd.DataFrame(), []),
        ]
        assert list(drop_waived(FindingTable(findings), tables)) == one_by_one(findings, tables), seed
        assert list(drop_waived(findings, tables)) == one_by_one(findings, tables), seed


def test_nothing_waived_gives_the_findings_themselves() -> None:
    findings = FindingTable([Finding("required", Severity.ERROR, None, "a.csv", None, 2, "X", "", "m", "h")])
    assert drop_waived(findings, [SourceTable("a.csv", Path("a.csv"), None, pd.DataFrame(), [])]) is findings
