"""French school holidays by zone, read from the Ministry's open data.

Pure: no Django import. Source: Ministère de l'Éducation nationale, jeu de données « Le calendrier
scolaire » (`fr-en-calendrier-scolaire`) on data.education.gouv.fr, which publishes the dates fixed
by the arrêtés of the calendrier scolaire national (for 2023-2024 to 2025-2026: arrêté du
7 décembre 2022, NOR MENE2229099A, JORF n° 284 du 8 décembre 2022). Its exports (JSON or CSV) hold
one record per holiday, académie and population: `description`, `population` (« Élèves »,
« Enseignants », « - »), `start_date`, `end_date`, `location` (the académie), `zones` (« Zone A »…),
`annee_scolaire`. Dates are midnight in Paris written in UTC (`2025-10-17T22:00:00+00:00` is
18 October). The start date is the day classes stop, after the last class (« fin des cours »),
the end date the day they resume in the morning (« reprise des cours »): the days off run from
the day after the start — the start itself when it is a Wednesday or a Saturday, days without
class for most pupils — to the day before the end. The summer's record (« Début des Vacances
d'Été ») has no end: its days off run to 31 August, the rentrée being « au plus tôt le
1er septembre » in every calendrier scolaire national since 2015.

No file of this data ships with Livret: the platform cannot download it, and a date no text gives
is never invented. The operator loads the export (`livret holidays import`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")
ZONES = ("A", "B", "C")
SOURCE = (
    "Ministère de l'Éducation nationale, « Le calendrier scolaire », data.education.gouv.fr "
    "(fr-en-calendrier-scolaire)"
)
# The export's column names, and the labels of its CSV export with headers as labels.
_COLUMNS = {
    "description": ("description", "Description"),
    "population": ("population", "Population"),
    "start_date": ("start_date", "Date de début"),
    "end_date": ("end_date", "Date de fin"),
    "zones": ("zones", "Zones"),
    "annee_scolaire": ("annee_scolaire", "annee scolaire", "Année scolaire"),
}


@dataclass(frozen=True)
class Holiday:
    zone: str
    description: str
    first: datetime.date  # the first day off
    last: datetime.date  # the last day off
    school_year: str

    def days(self) -> list[datetime.date]:
        n = (self.last - self.first).days + 1
        return [self.first + datetime.timedelta(days=i) for i in range(n)]


def days_off_between(start: datetime.date, end: datetime.date | None):
    """(first, last) day off of a holiday published as (fin des cours, reprise des cours)."""
    first = start if start.weekday() in (2, 5) else start + datetime.timedelta(days=1)
    last = end - datetime.timedelta(days=1) if end else datetime.date(start.year, 8, 31)
    return first, last


def _field(record: dict, name: str):
    for key in _COLUMNS[name]:
        if key in record and record[key] not in (None, ""):
            return record[key]
    return None


def official_date(value) -> datetime.date:
    """The calendar date in Paris of the export's timestamp, or a plain date."""
    text = str(value).strip()
    if len(text) == 10:
        return datetime.date.fromisoformat(text)
    moment = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        return moment.date()
    return moment.astimezone(PARIS).date()


def parse(records: list[dict]) -> tuple[list[Holiday], list[str]]:
    """The pupils' holidays of zones A, B and C (one per zone, whatever the number of académies),
    and every problem found, each naming its record (1 = the first), all at once."""
    found: dict[tuple, Holiday] = {}
    errors = []
    for n, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            errors.append(f"enregistrement {n} : illisible")
            continue
        zone = (_field(record, "zones") or "").strip()
        population = (_field(record, "population") or "-").strip()
        if population == "Enseignants" or not zone.startswith("Zone "):
            continue  # teachers' dates, Corse and overseas académies: not a zone A/B/C
        letter = zone.removeprefix("Zone ").strip()
        if letter not in ZONES:
            continue
        missing = [
            k for k in ("description", "start_date", "annee_scolaire") if _field(record, k) is None
        ]
        if missing:
            errors.append(f"enregistrement {n} : {', '.join(missing)} manquant(s)")
            continue
        try:
            start = official_date(_field(record, "start_date"))
            raw_end = _field(record, "end_date")
            end = official_date(raw_end) if raw_end is not None else None
        except ValueError:
            errors.append(f"enregistrement {n} : date illisible")
            continue
        if end is not None and end <= start:
            errors.append(
                f"enregistrement {n} : la reprise ({end}) ne suit pas la fin des cours ({start})"
            )
            continue
        first, last = days_off_between(start, end)
        h = Holiday(
            letter,
            str(_field(record, "description")).strip(),
            first,
            last,
            str(_field(record, "annee_scolaire")).strip(),
        )
        found[(h.zone, h.description, h.school_year, h.first)] = h
    if not found and not errors:
        errors.append("aucune vacance des zones A, B ou C dans ce fichier")
    return sorted(found.values(), key=lambda h: (h.zone, h.first)), errors


def days_off(holidays: list[Holiday]) -> dict[datetime.date, str]:
    """Each school-holiday day → the holiday's name."""
    return {day: h.description for h in holidays for day in h.days()}
