"""compare_runs on integer key codes (issue 18's responsiveness) gives what matching key by key gives."""

from __future__ import annotations

import random
from collections import Counter

from migration_assistant.core.findings import (
    Finding,
    Report,
    Severity,
    compare_runs,
    resolved_by_fixes,
    with_fixed_first,
)


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


def place(f: Finding) -> tuple[object, ...]:
    return (f.rule, f.file, f.sheet, f.row, f.column)


def resolved_place_by_place(before: list[Finding], after: list[Finding]) -> list[Finding]:
    """What the fixes resolved as it was written first: a budget per place, spent in order."""
    budget = Counter(place(f) for f in after)
    fixed = []
    for f in before:
        if budget[place(f)] > 0:
            budget[place(f)] -= 1
        else:
            fixed.append(f)
    return fixed


def test_resolved_by_fixes_matches_place_by_place_not_by_value() -> None:
    for seed in range(150):
        before = findings(random.Random(seed).randint(0, 50), seed)
        after = findings(random.Random(seed + 1).randint(0, 50), seed + 1000)
        resolved = resolved_by_fixes(Report("t", findings=before), Report("t", findings=after))
        assert list(resolved) == resolved_place_by_place(before, after), seed
    # A fix changed the value: the place still holds the problem, so it is not resolved.
    one = findings(1, 7)[0]
    changed = Finding(*[getattr(one, n) for n in Finding.__slots__[:7]], "other value", "m", "h")
    assert not list(resolved_by_fixes(Report("t", findings=[one]), Report("t", findings=[changed])))


def test_fixed_by_fixes_come_first_then_those_fixed_by_hand() -> None:
    for seed in range(100):
        before = findings(random.Random(seed).randint(0, 40), seed)
        after = findings(random.Random(seed + 1).randint(0, 40), seed + 1000)
        by_fixes = findings(random.Random(seed + 2).randint(0, 20), seed + 2000)
        diff = with_fixed_first(
            compare_runs(Report("t", findings=before), Report("t", findings=after)), by_fixes
        )
        keys = {f.key for f in by_fixes}
        expected = by_fixes + [f for f in key_by_key(before, after)[0] if f.key not in keys]
        assert list(diff.fixed) == expected, seed
        assert len(diff.fixed) == len(expected)
        assert (list(diff.new), list(diff.remaining)) == key_by_key(before, after)[1:], seed
