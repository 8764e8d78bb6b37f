"""Dates that make sense for a learner's training (pure Python).

A situation lived in company happened during the training: not before it began, and not in the
future. The training began on the contract's (or the convention's) first day when the centre
typed it; else a cohort is only known by its first year, so nothing before 1 January of that
year is a day of it. A period in company lies inside the training too: from that first day to
its end (the contract's last day, else 31 December of the cohort's last possible year). These are sense
checks, not rules of law: no text sets them, they only refuse typing slips such as 01/01/1900.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class Training:
    first: datetime.date
    last: datetime.date
    by_contract: bool  # the first day is the contract's own (else the cohort's first year)
    ends_by_contract: bool = False  # the last day is the contract's own (else the cohort's)


def training(
    contract_start: datetime.date | None,
    contract_end: datetime.date | None,
    start_year: int,
    duration_years: int,
) -> Training:
    first = contract_start or datetime.date(start_year, 1, 1)
    # A cohort known by its first year only may have begun in its autumn: its last year is then
    # start_year + duration (a 2-year BTS begun in September 2025 ends in 2027).
    last = contract_end or datetime.date(start_year + max(duration_years, 1), 12, 31)
    return Training(first, max(first, last), contract_start is not None, contract_end is not None)


def _day(d: datetime.date) -> str:
    return d.strftime("%d/%m/%Y")


def _began(t: Training) -> str:
    if t.by_contract:
        return f"le début du contrat ou de la convention ({_day(t.first)})"
    return f"le début de la formation (promotion commencée en {t.first.year})"


def lived_day_error(day: datetime.date, today: datetime.date, t: Training) -> str | None:
    """Why a day cannot be one lived in company during this training, or None."""
    if day > today:
        return "Une situation vécue ne peut pas être datée dans le futur."
    if day < t.first:
        return f"Cette date précède {_began(t)}."
    return None


def period_errors(start: datetime.date | None, end: datetime.date | None, t: Training) -> dict:
    """field → message for a period in company outside the training (start, end)."""
    errors = {}
    if start is not None and start < t.first:
        errors["start"] = f"Le début précède {_began(t)}."
    if end is not None and end > t.last:
        ends = (
            f"la fin du contrat ou de la convention ({_day(t.last)})"
            if t.ends_by_contract
            else f"la fin de la formation ({_day(t.last)})"
        )
        errors["end"] = f"La fin dépasse {ends}."
    return errors
