"""Broken work-study contracts: who broke it, the six months the centre keeps training the
apprentice, and the rupture rate (pure Python, no Django).

Texts (read, see SOURCES.md):
- Code du travail L6222-18: during the first forty-five days, consecutive or not, of practical
  training in the company, either party may break the contract; after them, by a written agreement
  signed by both, by the employer's dismissal, or by the apprentice after the médiateur was seized.
- Code du travail L6222-18-2 (and L6231-2, 5°, the CFA's missions): when a contract is broken,
  the centre « prend les dispositions nécessaires pour lui permettre de suivre sa formation
  théorique pendant six mois » and helps him find a new employer.

No text fixes when the centre should be warned that the six months end: ALERT_DAYS is this
project's choice, said as such on the page.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

TRIAL_EMPLOYER = "trial_employer"
TRIAL_APPRENTICE = "trial_apprentice"
AGREEMENT = "agreement"
EMPLOYER = "employer"
APPRENTICE = "apprentice"
OTHER = "other"
INITIATIVES = [
    (
        TRIAL_EMPLOYER,
        "L'employeur, pendant les 45 premiers jours de formation pratique en entreprise",
    ),
    (
        TRIAL_APPRENTICE,
        "L'apprenti, pendant les 45 premiers jours de formation pratique en entreprise",
    ),
    (AGREEMENT, "D'un commun accord (accord écrit signé des deux parties)"),
    (EMPLOYER, "L'employeur (licenciement)"),
    (APPRENTICE, "L'apprenti (après saisine du médiateur)"),
    (OTHER, "Autre (liquidation judiciaire, décision de justice…)"),
]
TRIAL = {TRIAL_EMPLOYER, TRIAL_APPRENTICE}
TRIAL_DAYS = 45  # L6222-18: days of practical training in the company, consecutive or not
KEPT_MONTHS = 6  # L6222-18-2 / L6231-2 5°
ALERT_DAYS = 30  # the project's choice: no text says when to warn


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later; the month's last day when it has no such day (31 → 30)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def kept_until(rupture: datetime.date) -> datetime.date:
    """The last day of the six months the centre keeps training the apprentice."""
    return add_months(rupture, KEPT_MONTHS) - datetime.timedelta(days=1)


@dataclass(frozen=True)
class Window:
    rupture: datetime.date
    until: datetime.date
    days_left: int  # from today to `until`, negative once past

    @property
    def running(self) -> bool:
        return self.days_left >= 0

    @property
    def ending(self) -> bool:
        return 0 <= self.days_left <= ALERT_DAYS


def window(rupture: datetime.date, today: datetime.date) -> Window:
    until = kept_until(rupture)
    return Window(rupture, until, (until - today).days)


def alert(
    rupture: datetime.date, today: datetime.date, new_contract_since: datetime.date | None
) -> str | None:
    """The alert of an apprentice without an employer: as the six months end, and once they
    are over; none once a new contract began after the rupture."""
    if new_contract_since is not None and new_contract_since >= rupture:
        return None
    w = window(rupture, today)
    if w.ending:
        return (
            f"Sans employeur depuis le {rupture:%d/%m/%Y} : les six mois de formation au centre "
            f"se terminent le {w.until:%d/%m/%Y} ({w.days_left} jour(s))."
        )
    if not w.running:
        return (
            f"Sans employeur depuis le {rupture:%d/%m/%Y} : les six mois de formation au centre "
            f"se sont terminés le {w.until:%d/%m/%Y}, sans nouveau contrat."
        )
    return None


def check(
    initiative: str, rupture: datetime.date, start: datetime.date, end: datetime.date, today
) -> dict[str, str]:
    """Each problem of a rupture as typed, by field (all at once)."""
    errors = {}
    if initiative not in dict(INITIATIVES):
        errors["initiative"] = "Choisissez qui a rompu le contrat."
    if rupture < start:
        errors["date"] = f"La rupture ne peut précéder le début du contrat ({start:%d/%m/%Y})."
    elif rupture > end:
        errors["date"] = f"La rupture ne peut suivre la fin du contrat ({end:%d/%m/%Y})."
    elif rupture > today:
        errors["date"] = "Une rupture s'enregistre une fois survenue (date à venir)."
    return errors


def trial_warning(initiative: str, company_days: int | None) -> str:
    """A rupture « during the 45 days » after more planned days in company than that: a warning
    only, since the law counts the days actually worked (absences do not count) and the plan
    counts the days foreseen."""
    if initiative in TRIAL and company_days is not None and company_days > TRIAL_DAYS:
        return (
            f"D'après le calendrier d'alternance, {company_days} jours en entreprise étaient prévus "
            f"avant la rupture : au-delà de {TRIAL_DAYS} jours de formation pratique effectués, la "
            "rupture se fait d'un commun accord, par licenciement ou par l'apprenti après "
            "le médiateur (Code du travail, art. L6222-18). Vérifiez le motif."
        )
    return ""


@dataclass(frozen=True)
class Row:
    """One contract: its cohort, the year it began, and whether it was broken."""

    cohort: str
    year: int
    broken: bool


@dataclass(frozen=True)
class Rate:
    cohort: str
    year: int
    contracts: int
    broken: int

    @property
    def rate(self) -> Fraction:
        return Fraction(self.broken, self.contracts) if self.contracts else Fraction(0)

    @property
    def percent(self) -> str:
        return f"{float(self.rate * 100):.1f} %".replace(".", ",")


def rates(rows: Iterable[Row]) -> list[Rate]:
    """Per cohort and year the contracts began: how many, how many broken (at any date)."""
    counts: dict[tuple[str, int], list[int]] = {}
    for r in rows:
        c = counts.setdefault((r.cohort, r.year), [0, 0])
        c[0] += 1
        c[1] += r.broken
    return [Rate(cohort, year, n, b) for (cohort, year), (n, b) in sorted(counts.items())]
