"""The livret's rules, as pure functions over plain values (no Django).

An evaluation is a fact: (level, observation date, recording order). The current level of a
competence is the latest fact in observation order, ties broken by recording order: a correction
is a new fact observed on the same day or later. "Acquise le DATE" is the observation date of the
fact that began the final run of "acquired" facts: a re-confirmation does not move the date, a
"not acquired" in between does.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

ACQUIRED, IN_PROGRESS, NOT_ACQUIRED = "acquired", "in_progress", "not_acquired"
LEVELS = (ACQUIRED, IN_PROGRESS, NOT_ACQUIRED)


@dataclass(frozen=True)
class Fact:
    level: str
    observed_on: datetime.date
    seq: int  # recording order (the row id)


@dataclass(frozen=True)
class Current:
    level: str
    acquired_on: datetime.date | None
    latest: Fact


def current(facts: Iterable[Fact]) -> Current | None:
    ordered = sorted(facts, key=lambda f: (f.observed_on, f.seq))
    if not ordered:
        return None
    latest = ordered[-1]
    acquired_on = None
    if latest.level == ACQUIRED:
        i = len(ordered) - 1
        while i > 0 and ordered[i - 1].level == ACQUIRED:
            i -= 1
        acquired_on = ordered[i].observed_on
    return Current(latest.level, acquired_on, latest)


@dataclass(frozen=True)
class Tally:
    acquired: int
    in_progress: int
    not_acquired: int
    total: int

    @property
    def not_evaluated(self) -> int:
        return self.total - self.acquired - self.in_progress - self.not_acquired

    @property
    def percent(self) -> int:
        """Share acquired, rounded down: 100 % only when every competence is acquired."""
        return self.acquired * 100 // self.total if self.total else 0


def tally(levels: Mapping[str, str], codes: Iterable[str]) -> Tally:
    """Count the levels of `codes` given each competence's current level (absent = not evaluated)."""
    codes = list(dict.fromkeys(codes))
    counts = {ACQUIRED: 0, IN_PROGRESS: 0, NOT_ACQUIRED: 0}
    for code in codes:
        level = levels.get(code)
        if level in counts:
            counts[level] += 1
    return Tally(counts[ACQUIRED], counts[IN_PROGRESS], counts[NOT_ACQUIRED], len(codes))
