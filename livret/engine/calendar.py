"""The alternance calendar: a rhythm of centre and company days becomes weeks and planned hours.

Pure Python. A rhythm is one or more 5-letter weeks (Monday → Friday), C = centre, E = entreprise;
"CCEEE" repeats every week, "CCCCC/EEEEE" alternates whole weeks. Centre closures (holidays) turn
centre days into company days: an apprentice works in company while the centre is closed.
Hours: a week's centre hours are spread evenly over the centre days of a full centre week pattern.
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass
from fractions import Fraction

CENTRE, COMPANY, HOLIDAY = "C", "E", "F"


def easter(year: int) -> datetime.date:
    """Easter Sunday (Gregorian calendar; anonymous algorithm of Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741 - the algorithm's own name
    m = (a + 11 * h + 22 * l) // 451
    month = (h + l - 7 * m + 114) // 31
    day = (h + l - 7 * m + 114) % 31 + 1
    return datetime.date(year, month, day)


# The subdivisions whose public holidays differ from the mainland's (code of the `holidays`
# package → French label): Alsace-Moselle's local law adds Good Friday and St Stephen's day; each
# overseas department its day of the abolition of slavery (and Guadeloupe, Martinique, Guyane
# more).
SUBDIVISIONS = {
    "57": "Moselle",
    "6AE": "Alsace (Bas-Rhin, Haut-Rhin)",
    "971": "Guadeloupe",
    "972": "Martinique",
    "973": "Guyane",
    "974": "La Réunion",
    "976": "Mayotte",
}


@functools.cache
def _public_holidays(year: int, subdivision: str) -> tuple:
    import holidays

    found = holidays.country_holidays("FR", subdiv=subdivision or None, years=year, language="fr")
    return tuple(sorted(found.items()))


def public_holidays(year: int, subdivision: str = "") -> dict[datetime.date, str]:
    """The public holidays of France (Code du travail, article L3133-1; the lundi de Pentecôte
    stays a holiday, even where it is worked as the journée de solidarité), with those of the
    subdivision (a key of SUBDIVISIONS; empty: the mainland), from the `holidays` package."""
    if subdivision and subdivision not in SUBDIVISIONS:
        raise ValueError(f"subdivision inconnue : {subdivision}")
    return dict(_public_holidays(year, subdivision))


class RhythmError(ValueError):
    pass


def parse_rhythm(rhythm: str) -> list[str]:
    weeks = [w.strip().upper() for w in rhythm.split("/") if w.strip()]
    if not weeks:
        raise RhythmError("rythme vide")
    for w in weeks:
        if len(w) != 5 or set(w) - {CENTRE, COMPANY}:
            raise RhythmError(
                f"semaine « {w} » : 5 lettres C (centre) ou E (entreprise), du lundi au vendredi"
            )
    return weeks


@dataclass(frozen=True)
class Day:
    day: datetime.date
    place: str  # C or E


@dataclass(frozen=True)
class Plan:
    days: list[Day]
    centre_hours: Fraction
    company_hours: Fraction

    @property
    def centre_days(self) -> int:
        return sum(1 for d in self.days if d.place == CENTRE)

    @property
    def company_days(self) -> int:
        return sum(1 for d in self.days if d.place == COMPANY)

    def weeks(self) -> list[tuple[datetime.date, str]]:
        """(monday, "CCEEE") for each week of the plan."""
        out: dict[datetime.date, list[str]] = {}
        for d in self.days:
            monday = d.day - datetime.timedelta(days=d.day.weekday())
            out.setdefault(monday, ["-"] * 5)[d.day.weekday()] = d.place
        return [(monday, "".join(places)) for monday, places in sorted(out.items())]

    def blocks(self) -> list[tuple[datetime.date, datetime.date, str]]:
        """Consecutive days at the same place, weekends bridged: the events of an .ics export."""
        out: list[list] = []
        for d in self.days:
            if out and out[-1][2] == d.place and (d.day - out[-1][1]).days <= 3:
                out[-1][1] = d.day
            else:
                out.append([d.day, d.day, d.place])
        return [(a, b, p) for a, b, p in out]


def plan(
    start: datetime.date,
    end: datetime.date,
    rhythm: str,
    centre_hours_per_week,
    company_hours_per_week,
    closures: list[tuple[datetime.date, datetime.date]] = (),
    holidays=frozenset(),
) -> Plan:
    weeks = parse_rhythm(rhythm)
    if end < start:
        raise RhythmError("la fin précède le début")
    centre_per_day = [
        Fraction(str(centre_hours_per_week)) / w.count(CENTRE) if w.count(CENTRE) else Fraction(0)
        for w in weeks
    ]
    company_per_day = [
        Fraction(str(company_hours_per_week)) / w.count(COMPANY)
        if w.count(COMPANY)
        else Fraction(0)
        for w in weeks
    ]
    # The cycle starts on the Monday of the first week, so a mid-week start keeps the pattern.
    first_monday = start - datetime.timedelta(days=start.weekday())
    days, centre_h, company_h = [], Fraction(0), Fraction(0)
    day = start
    while day <= end:
        if day.weekday() < 5 and day in holidays:
            days.append(Day(day, HOLIDAY))  # neither at the centre nor at work: no hours
        elif day.weekday() < 5:
            step = ((day - first_monday).days // 7) % len(weeks)
            place = weeks[step][day.weekday()]
            if place == CENTRE and any(a <= day <= b for a, b in closures):
                place = COMPANY
            if place == CENTRE:
                centre_h += centre_per_day[step]
            else:
                company_h += (
                    company_per_day[step]
                    if weeks[step].count(COMPANY)
                    else Fraction(company_hours_per_week) / 5
                )
            days.append(Day(day, place))
        day += datetime.timedelta(days=1)
    return Plan(days, centre_h, company_h)
