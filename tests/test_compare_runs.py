"""compare_runs on integer key codes (issue 18's responsiveness) gives what matching key by key gives."""

from __future__ import annotations

import random
from collections import Counter

from migration_assistant.core.findings import Finding, Report, Severity, compare_runs


def findings(n: int, seed: int) -> list[Finding]:
    pick = random.Random(seed).choice
    return [
        Finding(
            pick(["mojibake", "required"]),
            Severity.ERROR,
            None,
            pick(["a.csv", "b.csv"]),
            pick([None, "Sheet1"]),
            pick([None, 2, 3, 4]),
            pick([None, "Name", "Email"]),
            pick([None, "x", "y"]),
            "message",
            "hint",
        )
        for _ in range(n)
    ]


def key_by_key(before: list[Finding], after: list[Finding]) -> tuple[list[Finding], ...]:
    """The comparison as it was written first: a budget per key, spent in order."""

    def firsts(these: list[Finding], those: list[Finding]) -> list[bool]:
        budget = Counter(f.key for f in those)
        out = []
        for f in these:
            out.append(budget[f.key] > 0)
            budget[f.key] -= out[-1]
        return out

    matched, kept = firsts(before, after), firsts(after, before)
    return (
        [f for f, m in zip(before, matched, strict=True) if not m],
        [f for f, k in zip(after, kept, strict=True) if not k],
        [f for f, k in zip(after, kept, strict=True) if k],
    )


def test_the_same_split_as_matching_key_by_key() -> None:
    for seed in range(150):
        before = findings(random.Random(seed).randint(0, 50), seed)
        after = findings(random.Random(seed + 1).randint(0, 50), seed + 1000)
        diff = compare_runs(Report("t", findings=before), Report("t", findings=after))
        assert (list(diff.fixed), list(diff.new), list(diff.remaining)) == key_by_key(before, after), seed


def test_empty_runs() -> None:
    diff = compare_runs(Report("t"), Report("t"))
    assert (list(diff.fixed), list(diff.new), list(diff.remaining)) == ([], [], [])
