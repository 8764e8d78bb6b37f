"""School holidays read from the Ministry's export (fr-en-calendrier-scolaire), by its own
conventions: Paris dates written in UTC, « fin des cours » then « reprise des cours »."""

import datetime

import pytest

from livret.engine import school_calendar as sc

D = datetime.date


def rec(description, start, end, zone="Zone A", location="Lyon", population="-", year="2025-2026"):
    r = {
        "description": description,
        "population": population,
        "start_date": start,
        "zones": zone,
        "location": location,
        "annee_scolaire": year,
    }
    if end is not None:
        r["end_date"] = end
    return r


@pytest.mark.parametrize(
    "stamp, day",
    [
        ("2025-10-17T22:00:00+00:00", D(2025, 10, 18)),  # summer time: UTC+2
        ("2025-11-02T23:00:00+00:00", D(2025, 11, 3)),  # winter time: UTC+1
        ("2026-02-06T23:00:00Z", D(2026, 2, 7)),
        ("2026-02-07", D(2026, 2, 7)),
    ],
)
def test_export_timestamps_are_dates_in_paris(stamp, day):
    assert sc.official_date(stamp) == day


@pytest.mark.parametrize(
    "start, end, first, last",
    [
        # fin des cours a Saturday (no class): that Saturday is off; reprise Monday 3 November
        (D(2025, 10, 18), D(2025, 11, 3), D(2025, 10, 18), D(2025, 11, 2)),
        # a Wednesday, the same
        (D(2026, 5, 13), D(2026, 5, 18), D(2026, 5, 13), D(2026, 5, 17)),
        # a Friday: classes that day, days off from Saturday
        (D(2026, 7, 3), None, D(2026, 7, 4), D(2026, 8, 31)),  # summer: to 31 August
        (D(2025, 12, 19), D(2026, 1, 5), D(2025, 12, 20), D(2026, 1, 4)),
    ],
)
def test_days_off_between_fin_and_reprise_des_cours(start, end, first, last):
    assert sc.days_off_between(start, end) == (first, last)


def test_one_holiday_per_zone_pupils_only_and_zones_a_b_c_only():
    holidays, errors = sc.parse(
        [
            rec(
                "Vacances de la Toussaint", "2025-10-17T22:00:00+00:00", "2025-11-02T23:00:00+00:00"
            ),
            rec(
                "Vacances de la Toussaint",
                "2025-10-17T22:00:00+00:00",
                "2025-11-02T23:00:00+00:00",
                location="Dijon",
            ),
            rec(
                "Vacances d'Hiver",
                "2026-02-13T23:00:00+00:00",
                "2026-03-01T23:00:00+00:00",
                zone="Zone B",
                location="Lille",
            ),
            rec(
                "Début des Vacances d'Été",
                "2026-07-03T22:00:00+00:00",
                None,
                population="Enseignants",
            ),
            rec(
                "Vacances de la Toussaint",
                "2025-10-17T22:00:00+00:00",
                "2025-11-02T23:00:00+00:00",
                zone="Corse",
                location="Corse",
            ),
        ]
    )
    assert errors == []
    assert holidays == [
        sc.Holiday("A", "Vacances de la Toussaint", D(2025, 10, 18), D(2025, 11, 2), "2025-2026"),
        sc.Holiday("B", "Vacances d'Hiver", D(2026, 2, 14), D(2026, 3, 1), "2025-2026"),
    ]
    days = sc.days_off(holidays)
    assert days[D(2025, 10, 27)] == "Vacances de la Toussaint" and D(2025, 11, 3) not in days


def test_every_faulty_record_is_named_at_once():
    _, errors = sc.parse(
        [
            rec("Toussaint", "2025-10-17T22:00:00+00:00", "2025-11-02T23:00:00+00:00"),
            {"zones": "Zone A", "population": "-"},
            rec("Noël", "demain", "2026-01-04T23:00:00+00:00"),
            rec("Hiver", "2026-02-20T23:00:00+00:00", "2026-02-10T23:00:00+00:00"),
            "pas un enregistrement",
        ]
    )
    assert errors == [
        "enregistrement 2 : description, start_date, annee_scolaire manquant(s)",
        "enregistrement 3 : date illisible",
        "enregistrement 4 : la reprise (2026-02-11) ne suit pas la fin des cours (2026-02-21)",
        "enregistrement 5 : illisible",
    ]
    assert sc.parse([])[1] == ["aucune vacance des zones A, B ou C dans ce fichier"]


def test_the_csv_export_with_labels_as_headers_reads_the_same():
    holidays, errors = sc.parse(
        [
            {
                "Description": "Vacances de Noël",
                "Population": "-",
                "Date de début": "2025-12-19T23:00:00+00:00",
                "Date de fin": "2026-01-04T23:00:00+00:00",
                "Zones": "Zone C",
                "annee_scolaire": "2025-2026",
            }
        ]
    )
    assert errors == []
    assert holidays == [
        sc.Holiday("C", "Vacances de Noël", D(2025, 12, 20), D(2026, 1, 4), "2025-2026")
    ]
