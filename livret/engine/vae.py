"""VAE arithmetic (pure Python): experience in full-time-equivalent months, bloc coverage."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from fractions import Fraction

DAYS_PER_MONTH = Fraction(36525, 1200)  # 365.25 / 12


def fte_months(experiences: Iterable[tuple[datetime.date, datetime.date, int]]) -> Fraction:
    """Months of full-time-equivalent experience. Each (start, end, percent) counts every calendar day
    at its quotité; days worked in parallel jobs add up but never beyond one full-time day."""
    load: dict[int, int] = {}
    for start, end, percent in experiences:
        if end < start:
            continue
        for ordinal in range(start.toordinal(), end.toordinal() + 1):
            load[ordinal] = min(100, load.get(ordinal, 0) + percent)
    return Fraction(sum(load.values()), 100) / DAYS_PER_MONTH


def coverage(
    bloc_competences: dict[str, list[str]], covered: set[str]
) -> dict[str, tuple[list[str], list[str]]]:
    """For each bloc: (competences the experience covers, competences it does not)."""
    return {
        bloc: ([c for c in comps if c in covered], [c for c in comps if c not in covered])
        for bloc, comps in bloc_competences.items()
    }
