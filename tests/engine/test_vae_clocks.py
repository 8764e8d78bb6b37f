"""The VAE clocks in calendar months, as the texts count (Code du travail L. 6412-2, R. 6412-5;
France VAE's six-month actualisation, a practice): dates across months, year ends, leap years."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from livret.engine import vae_clocks as c

D = datetime.date


@pytest.mark.parametrize(
    "start, months, expected",
    [
        (D(2026, 1, 15), 2, D(2026, 3, 15)),
        (D(2026, 12, 31), 2, D(2027, 2, 28)),  # clamped to February's last day
        (D(2027, 12, 31), 2, D(2028, 2, 29)),  # a leap year
        (D(2026, 12, 30), 2, D(2027, 2, 28)),
        (D(2028, 2, 29), 12, D(2029, 2, 28)),
        (D(2026, 8, 31), 6, D(2027, 2, 28)),
        (D(2026, 3, 31), 1, D(2026, 4, 30)),
        (D(2026, 11, 1), 3, D(2027, 2, 1)),
        (D(2026, 1, 31), 0, D(2026, 1, 31)),
    ],
)
def test_calendar_months_with_end_of_month_clamping(start, months, expected):
    assert c.add_months(start, months) == expected


@pytest.mark.parametrize(
    "received, due",
    [
        # L. 6412-2: « dans un délai de deux mois à compter de la réception »
        (D(2026, 1, 10), D(2026, 3, 10)),
        (D(2026, 12, 31), D(2027, 2, 28)),
        (D(2027, 12, 31), D(2028, 2, 29)),
        (D(2026, 10, 31), D(2026, 12, 31)),
        (D(2026, 12, 24), D(2027, 2, 24)),  # holidays do not count: calendar months
    ],
)
def test_recevabilite_two_months_from_receipt(received, due):
    assert c.admissibility_due(received) == due
    # silence on the last day is not yet a decision; the next day it is
    assert not c.implicit_admissible(received, due)
    assert c.implicit_admissible(received, due + datetime.timedelta(days=1))


@pytest.mark.parametrize(
    "sent, due",
    [
        (D(2026, 1, 10), D(2026, 4, 10)),
        (D(2026, 11, 30), D(2027, 2, 28)),
        (D(2027, 11, 30), D(2028, 2, 29)),
        (D(2026, 5, 31), D(2026, 8, 31)),
    ],
)
def test_jury_within_three_months_of_the_validation_file(sent, due):
    assert c.jury_due(sent) == due


@pytest.mark.parametrize(
    "jury, due",
    [
        (D(2026, 1, 20), D(2026, 2, 4)),
        (D(2026, 12, 20), D(2027, 1, 4)),
        (D(2028, 2, 20), D(2028, 3, 6)),  # 29 days in February 2028
        (D(2027, 2, 20), D(2027, 3, 7)),
    ],
)
def test_result_notified_within_fifteen_days_of_the_jury(jury, due):
    assert c.notification_due(jury) == due


@pytest.mark.parametrize(
    "confirmed, months, due",
    [
        (D(2026, 1, 15), 6, D(2026, 7, 15)),
        (D(2026, 8, 31), 6, D(2027, 2, 28)),
        (D(2027, 8, 31), 6, D(2028, 2, 29)),
        (D(2026, 8, 31), 4, D(2026, 12, 31)),  # a certifier's own period
    ],
)
def test_actualisation_every_six_months_or_the_certifiers_period(confirmed, months, due):
    assert c.actualisation_due(confirmed, months) == due
    assert not c.lapsed(confirmed, due, months)
    assert c.lapsed(confirmed, due + datetime.timedelta(days=1), months)


def test_the_sources_say_which_is_a_text_and_which_a_practice():
    assert "L. 6412-2" in c.SOURCES["admissibility"]
    assert "R. 6412-5" in c.SOURCES["jury"] and "R. 6412-5" in c.SOURCES["notification"]
    assert "Pratique du service public France VAE" in c.SOURCES["actualisation"]
    assert frozenset({"actualisation"}) == c.PRACTICE


def test_a_sent_file_runs_the_recevabilite_clock_only():
    items = c.deadlines(c.Dates(c.SENT, received=D(2026, 10, 1)))
    assert [(x.kind, x.due, x.done) for x in items] == [("admissibility", D(2026, 12, 1), None)]
    assert items[0].level(D(2026, 11, 1)) == "ok"
    assert items[0].level(D(2026, 11, 20)) == "soon"
    assert items[0].level(D(2026, 12, 1)) == "soon"
    assert items[0].level(D(2026, 12, 2)) == "overdue"
    assert items[0].days_left(D(2026, 11, 30)) == 1


def test_a_recevable_file_runs_the_actualisation_from_its_last_confirmation():
    d = c.Dates(
        c.ADMISSIBLE, received=D(2026, 1, 5), decided=D(2026, 2, 1), confirmed=D(2026, 8, 1)
    )
    items = c.deadlines(d)
    assert [(x.kind, x.due, x.done) for x in items] == [
        ("admissibility", D(2026, 3, 5), D(2026, 2, 1)),
        ("actualisation", D(2027, 2, 1), None),
    ]
    assert items[0].level(D(2026, 12, 1)) == "done"
    assert c.next_due(items).kind == "actualisation"
    assert c.next_due(items).owner == "candidate"


def test_after_the_jury_the_notification_clock_and_a_late_one_says_so():
    d = c.Dates(
        c.JURY_DONE,
        received=D(2026, 1, 5),
        decided=D(2026, 4, 1),  # after the two months: late
        validation_sent=D(2026, 6, 1),
        jury=D(2026, 8, 15),
        notified=D(2026, 8, 20),
    )
    levels = {x.kind: x.level(D(2026, 9, 1)) for x in c.deadlines(d)}
    assert levels == {
        "admissibility": "late",
        "jury": "done",
        "notification": "done",
    }
    assert c.next_due(c.deadlines(d)) is None


dates = st.dates(min_value=D(2000, 1, 1), max_value=D(2100, 12, 31))


@given(dates, st.integers(min_value=1, max_value=120))
def test_a_deadline_is_always_after_its_start(start, months):
    due = c.add_months(start, months)
    assert due > start
    # never more than a month's length beyond N × 28 days, never less
    assert months * 28 <= (due - start).days <= months * 31


@given(dates, dates, st.integers(min_value=0, max_value=60))
def test_later_starts_never_give_earlier_deadlines(a, b, months):
    a, b = sorted((a, b))
    assert c.add_months(a, months) <= c.add_months(b, months)
    assert c.admissibility_due(a) <= c.admissibility_due(b)
    assert c.jury_due(a) <= c.jury_due(b)
    assert c.notification_due(a) <= c.notification_due(b)


@given(dates, st.integers(min_value=0, max_value=60), st.integers(min_value=0, max_value=60))
def test_months_add_up_where_no_clamping_happens(start, m, n):
    start = start.replace(day=min(start.day, 28))
    assert c.add_months(c.add_months(start, m), n) == c.add_months(start, m + n)


@given(dates, dates)
def test_silence_is_recevable_exactly_after_the_two_months(received, today):
    assert c.implicit_admissible(received, today) == (today > c.add_months(received, 2))


def test_a_file_past_recevabilite_without_its_decisions_day_shows_no_false_alarm():
    d = c.Dates(c.ADMISSIBLE, received=D(2026, 1, 5), confirmed=D(2026, 8, 31))
    assert [x.kind for x in c.deadlines(d)] == ["actualisation"]
