"""Long jobs as generators: they yield progress and return their result.

The engine, the reports and the package all work this way, so the wizard can show
progress and stop a job by closing its generator. These two helpers are the ways such a
generator is used by another piece of code: run to its end, or passed on under another
kind of progress.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import TypeVar, cast

S = TypeVar("S")
T = TypeVar("T")
R = TypeVar("R")


def run_to_end(steps: Generator[S, None, R], on_step: Callable[[S], None] | None = None) -> R:
    """Drive *steps* to the end (telling *on_step* about each step) and return its result."""
    while True:
        try:
            step = next(steps)
        except StopIteration as end:
            return cast(R, end.value)
        if on_step is not None:
            on_step(step)


def relabel(steps: Generator[S, None, R], label: Callable[[S], T]) -> Generator[T, None, R]:
    """*steps* with each step turned into the caller's kind of progress; returns its result.

    Closing the returned generator closes *steps* too, as ``yield from`` would.
    """
    try:
        while True:
            try:
                step = next(steps)
            except StopIteration as end:
                return cast(R, end.value)
            yield label(step)
    finally:
        steps.close()
