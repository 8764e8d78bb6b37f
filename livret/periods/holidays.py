"""School holidays: loading the Ministry's export, reading a centre's zone."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from django.db import transaction

from livret.engine import school_calendar

from .models import SchoolHoliday


class HolidayFileError(ValueError):
    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


def read_records(path: Path) -> list[dict]:
    """The export as records: JSON (a list, or the API's {"results": […]}) or CSV (; or ,)."""
    raw = path.read_bytes().decode("utf-8-sig")
    if path.suffix.lower() == ".json" or raw.lstrip().startswith(("[", "{")):
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise HolidayFileError([f"JSON illisible, ligne {exc.lineno} : {exc.msg}"]) from None
        if isinstance(data, dict):
            data = data.get("results")
        if not isinstance(data, list):
            raise HolidayFileError(["JSON : une liste d'enregistrements est attendue"])
        return data
    dialect = csv.Sniffer().sniff(raw.splitlines()[0] if raw else ";", delimiters=";,")
    return list(csv.DictReader(io.StringIO(raw), dialect=dialect))


@transaction.atomic
def load(path: Path) -> dict[str, int]:
    """Replace the holidays of every (zone, school year) the file holds; nothing changes when
    the file has a problem (each one is named)."""
    holidays, errors = school_calendar.parse(read_records(path))
    if errors:
        raise HolidayFileError(errors)
    years = {(h.zone, h.school_year) for h in holidays}
    for zone, year in years:
        SchoolHoliday.objects.filter(zone=zone, school_year=year).delete()
    source = f"{school_calendar.SOURCE} — fichier {path.name}"
    SchoolHoliday.objects.bulk_create(
        SchoolHoliday(
            zone=h.zone,
            description=h.description,
            first_day=h.first,
            last_day=h.last,
            school_year=h.school_year,
            source=source,
        )
        for h in holidays
    )
    per_zone: dict[str, int] = {}
    for h in holidays:
        per_zone[h.zone] = per_zone.get(h.zone, 0) + 1
    return per_zone


def for_zone(zone: str, start, end) -> list[SchoolHoliday]:
    if not zone:
        return []
    return list(SchoolHoliday.objects.filter(zone=zone, last_day__gte=start, first_day__lte=end))


def days_off(zone: str, start, end) -> tuple[dict, list[SchoolHoliday]]:
    """Each school-holiday day of the zone between start and end → its name (the engine's
    reading), and the rows it came from (their source and school years)."""
    rows = for_zone(zone, start, end)
    holidays = [
        school_calendar.Holiday(r.zone, r.description, r.first_day, r.last_day, r.school_year)
        for r in rows
    ]
    return school_calendar.days_off(holidays), rows
