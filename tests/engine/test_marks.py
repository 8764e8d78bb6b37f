"""The contrôle continu arithmetic: exact averages, marks that do not count, shown values cut."""

import datetime
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from livret.engine import marks as m


@pytest.mark.parametrize(
    "raw, value",
    [
        ("", None),
        ("  ", None),
        ("12", 1200),
        ("12,5", 1250),
        ("12.25", 1225),
        ("0", 0),
        ("20", 2000),
        ("abs", m.ABS),
        ("Absent", m.ABS),
        ("DISP", m.DISP),
        ("dispensé", m.DISP),
        ("7.50", 750),
    ],
)
def test_typed_marks_are_read(raw, value):
    assert m.parse_mark(raw) == value


@pytest.mark.parametrize(
    "raw, says",
    [
        ("21", "de 0 à 20"),
        ("20,5", "de 0 à 20"),
        ("-1", "de 0 à 20"),
        ("12,345", "deux décimales"),
        ("douze", "n'est pas une note"),
        ("NaN", "n'est pas une note"),
    ],
)
def test_unreadable_marks_say_why(raw, says):
    with pytest.raises(m.MarkError, match=says):
        m.parse_mark(raw)


# Hand-worked cases: (coefficient, mark) pairs → exact average.
@pytest.mark.parametrize(
    "pairs, exact, shown",
    [
        ([(1, 1200), (1, 1400)], Fraction(13), "13,00"),
        ([(2, 1000), (1, 1600)], Fraction(12), "12,00"),
        # ABS and DISP leave the average alone (a trainer who wants a zero types 0)
        ([(1, 1500), (3, m.ABS), (1, m.DISP)], Fraction(15), "15,00"),
        ([(1, 1500), (1, 0)], Fraction(15, 2), "7,50"),
        # 9.995 exactly: shown 9,99, never 10,00
        ([(1, 999), (1, 1000)], Fraction(19990, 2000), "9,99"),
        ([(3, 1000), (1, 998)], Fraction(3998, 400), "9,99"),
        ([(Fraction(1, 2), 1300), (Fraction(3, 2), 1100)], Fraction(23, 2), "11,50"),
        ([], None, "—"),
        ([(1, m.ABS)], None, "—"),
    ],
)
def test_module_average(pairs, exact, shown):
    avg = m.module_average(pairs)
    assert avg == exact
    assert m.show_average(avg) == shown


def test_semester_average_weighs_modules_and_skips_those_without_marks():
    avg = m.semester_average([(2, Fraction(12)), (1, Fraction(9)), (5, None)])
    assert avg == Fraction(11)


@pytest.mark.parametrize(
    "day, semester",
    [
        (datetime.date(2025, 9, 1), 1),
        (datetime.date(2026, 2, 28), 1),
        (datetime.date(2026, 3, 1), 2),
        (datetime.date(2026, 8, 31), 2),
        (datetime.date(2026, 9, 1), 3),
        (datetime.date(2027, 6, 1), 4),
        (datetime.date(2028, 1, 1), 4),  # after the course: the last semester
        (datetime.date(2025, 6, 1), 1),  # before it: the first
    ],
)
def test_semester_of_a_two_year_cohort_starting_in_2025(day, semester):
    assert m.semester_of(2025, day, 4) == semester


marks = st.one_of(st.integers(0, 2000), st.sampled_from([m.ABS, m.DISP]))
coefs = st.fractions(min_value=Fraction(1, 100), max_value=10, max_denominator=100)


@given(st.lists(st.tuples(coefs, marks), max_size=15))
def test_average_lies_between_the_lowest_and_highest_counted_mark(pairs):
    avg = m.module_average(pairs)
    counted = [Fraction(v, 100) for _, v in pairs if isinstance(v, int)]
    if not counted:
        assert avg is None
    else:
        assert min(counted) <= avg <= max(counted)


@given(st.lists(st.tuples(coefs, marks), min_size=1, max_size=15), st.integers(2, 9))
def test_scaling_every_coefficient_changes_nothing(pairs, k):
    assert m.module_average(pairs) == m.module_average([(c * k, v) for c, v in pairs])


@given(st.lists(st.tuples(coefs, marks), max_size=15), st.sampled_from([m.ABS, m.DISP]))
def test_an_abs_or_disp_never_moves_the_average(pairs, extra):
    assert m.module_average(pairs) == m.module_average([*pairs, (Fraction(1), extra)])


@given(st.fractions(min_value=0, max_value=20))
def test_the_shown_average_never_says_more_than_the_exact_one(value):
    shown = m.show_average(value)
    as_fraction = Fraction(shown.replace(",", "."))
    assert as_fraction <= value < as_fraction + Fraction(1, 100)


@given(st.one_of(st.integers(0, 2000), st.sampled_from([m.ABS, m.DISP, None])))
def test_a_shown_mark_reads_back_as_itself(value):
    assert m.parse_mark(m.show_mark(value)) == value
