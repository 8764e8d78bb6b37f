"""French public holidays (Code du travail, article L3133-1; the `holidays` package, with the
subdivisions' own days) and the calendar that skips them."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from livret.engine.calendar import HOLIDAY, easter, plan, public_holidays

D = datetime.date


@pytest.mark.parametrize(
    "year, sunday",
    [
        (2024, D(2024, 3, 31)),
        (2025, D(2025, 4, 20)),
        (2026, D(2026, 4, 5)),
        (2027, D(2027, 3, 28)),
        (2028, D(2028, 4, 16)),
    ],
)
def test_easter_table(year, sunday):
    assert easter(year) == sunday


@pytest.mark.parametrize(
    "day, name",
    [
        (D(2026, 4, 6), "Lundi de Pâques"),
        (D(2026, 5, 14), "Ascension"),
        (D(2026, 5, 25), "Lundi de Pentecôte"),
        (D(2027, 3, 29), "Lundi de Pâques"),
        (D(2027, 5, 6), "Ascension"),
        (D(2027, 5, 17), "Lundi de Pentecôte"),
        (D(2026, 11, 11), "Armistice"),
        (D(2026, 5, 8), "Fête de la Victoire"),
    ],
)
def test_movable_and_fixed_holidays(day, name):
    assert public_holidays(day.year)[day] == name


def test_eleven_holidays_a_year_unless_two_fall_on_the_same_day():
    assert len(public_holidays(2026)) == 11
    # 2008: Easter on March 23, so Ascension fell on May 1st — one day off for two holidays.
    assert len(public_holidays(2008)) == 10 and D(2008, 5, 1) in public_holidays(2008)


def test_alsace_moselle_adds_good_friday_and_st_stephen():
    mainland = public_holidays(2026)
    for area in ("57", "6AE"):
        local = public_holidays(2026, area)
        assert set(local) - set(mainland) == {D(2026, 4, 3), D(2026, 12, 26)}
        assert local[D(2026, 4, 3)] == "Vendredi saint"


@pytest.mark.parametrize(
    "area, day",
    [
        ("971", D(2026, 5, 27)),  # Guadeloupe
        ("972", D(2026, 5, 22)),  # Martinique
        ("973", D(2026, 6, 10)),  # Guyane
        ("974", D(2026, 12, 20)),  # La Réunion
        ("976", D(2026, 4, 27)),  # Mayotte
    ],
)
def test_each_overseas_department_has_its_abolition_of_slavery(area, day):
    assert "esclavage" in public_holidays(2026, area)[day].lower()
    assert day not in public_holidays(2026)


def test_an_unknown_subdivision_is_refused_rather_than_read_as_the_mainland():
    with pytest.raises(ValueError):
        public_holidays(2026, "Bretagne")


@given(st.integers(min_value=1900, max_value=2199))
def test_easter_is_a_sunday_between_march_22_and_april_25(year):
    day = easter(year)
    assert day.weekday() == 6 and D(year, 3, 22) <= day <= D(year, 4, 25)


def test_a_holiday_is_neither_centre_nor_company_and_counts_no_hours():
    week = plan(
        D(2026, 5, 11), D(2026, 5, 15), "CCCCC", 35, 35, holidays=set(public_holidays(2026))
    )
    assert [d.place for d in week.days] == ["C", "C", "C", HOLIDAY, "C"]
    assert week.centre_hours == 28
