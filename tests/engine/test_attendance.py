"""The attendance rules: signing code, signing window, hours, rates, absence runs."""

import datetime
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from livret.engine import attendance as a

UTC = datetime.UTC
SECRET = b"s" * 32
T0 = datetime.datetime(2026, 3, 2, 9, 0, 30, tzinfo=UTC)


def test_code_is_six_digits_and_changes_with_the_minute():
    w = a.minute_window(T0)
    code = a.signing_code(SECRET, 7, w)
    assert len(code) == 6 and code.isdigit()
    assert {a.signing_code(SECRET, 7, w + i) for i in range(20)} != {code}


@pytest.mark.parametrize(
    "delay, valid",
    [(0, True), (29, True), (60, True), (89, True), (90, False), (150, False), (-60, False)],
)
def test_code_valid_for_the_current_and_previous_minute_only(delay, valid):
    code = a.signing_code(SECRET, 7, a.minute_window(T0))
    assert a.code_is_valid(SECRET, 7, code, T0 + datetime.timedelta(seconds=delay)) is valid


def test_code_of_another_session_or_secret_is_refused():
    code = a.signing_code(SECRET, 7, a.minute_window(T0))
    assert not a.code_is_valid(SECRET, 8, code, T0) or a.signing_code(SECRET, 8, 0) == code
    assert not a.code_is_valid(b"t" * 32, 7, code, T0)


@pytest.mark.parametrize("junk", ["", "12345", "1234567", "abcdef", None])
def test_malformed_codes_are_refused(junk):
    assert not a.code_is_valid(SECRET, 7, junk, T0)


def test_spaces_in_a_typed_code_are_ignored():
    code = a.signing_code(SECRET, 7, a.minute_window(T0))
    assert a.code_is_valid(SECRET, 7, f" {code[:3]} {code[3:]} ", T0)


@given(
    session=st.integers(1, 10**9),
    moment=st.integers(10**9, 2 * 10**9),
    secret=st.binary(min_size=16, max_size=32),
)
def test_property_a_fresh_code_is_valid_and_two_minutes_later_is_not(session, moment, secret):
    now = datetime.datetime.fromtimestamp(moment, UTC)
    code = a.signing_code(secret, session, a.minute_window(now))
    assert a.code_is_valid(secret, session, code, now)
    assert a.code_is_valid(secret, session, code, now + datetime.timedelta(seconds=60))
    later = now + datetime.timedelta(seconds=120)
    # Two minutes later only a collision with the new windows' codes could accept it.
    w = a.minute_window(later)
    collides = code in {a.signing_code(secret, session, x) for x in (w, w - 1)}
    assert a.code_is_valid(secret, session, code, later) is collides


START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
END = datetime.datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "minutes, refused",
    [(-16, "pas encore commencé"), (-15, None), (0, None), (180, None), (181, "terminée")],
)
def test_signing_window(minutes, refused):
    why = a.signing_refusal(START + datetime.timedelta(minutes=minutes), START, END)
    assert (why is None) if refused is None else (refused in why)


@pytest.mark.parametrize(
    "status, missed, attended",
    [
        (a.PRESENT, 0, 180),
        (a.ABSENT, 0, 0),
        (a.LATE, 20, 160),
        (a.LEFT_EARLY, 60, 120),
        (a.LATE, 500, 0),
        (a.PRESENT, 30, 180),
    ],
)
def test_attended_minutes(status, missed, attended):
    assert a.attended_minutes(180, status, missed) == attended


def test_unknown_status_raises():
    with pytest.raises(ValueError):
        a.attended_minutes(180, "asleep")


D = datetime.date(2026, 3, 2)


def rec(status, module="E1", planned=180, missed=0, justified=False, excused=False):
    return a.Record(D, module, planned, status, missed, justified, excused)


def test_summary_per_module_and_total():
    s = a.summarise(
        [
            rec(a.PRESENT),
            rec(a.ABSENT, justified=True),
            rec(a.ABSENT, module="E2"),
            rec(a.LATE, module="E2", missed=30),
            rec(a.ABSENT, excused=True),
        ]
    )
    assert (s.total.planned, s.total.attended) == (720, 330)
    assert (s.total.absent_justified, s.total.absent_unjustified) == (180, 210)
    assert s.by_module["E1"].rate == Fraction(1, 2)
    assert s.by_module["E2"].attended == 150
    assert a.format_rate(s.total.rate) == "45,8 %"


def test_rate_of_nothing_planned_is_none():
    assert a.summarise([]).total.rate is None
    assert a.format_rate(None) == "—"


@pytest.mark.parametrize(
    "statuses, run",
    [
        ("", 0),
        ("AAA", 3),
        ("AAPA", 1),
        ("PAA", 2),
        ("AJA", 1),  # J: a justified absence breaks the run
        ("AXA", 2),  # X: excused, skipped
        ("AAL", 0),
    ],
)
def test_absence_run(statuses, run):
    codes = {
        "A": rec(a.ABSENT),
        "P": rec(a.PRESENT),
        "J": rec(a.ABSENT, justified=True),
        "X": rec(a.ABSENT, excused=True),
        "L": rec(a.LATE, missed=5),
    }
    assert a.absence_run(codes[c] for c in statuses) == run


def test_alerts_threshold_and_run():
    s = a.summarise([rec(a.PRESENT), rec(a.ABSENT), rec(a.ABSENT), rec(a.ABSENT)])
    found = a.alerts(s, 3, threshold_percent=80, run_limit=3)
    assert any("sous le seuil de 80 %" in x for x in found)
    assert any("3 absences consécutives" in x for x in found)
    assert a.alerts(a.summarise([rec(a.PRESENT)]), 0, 80, 3) == []


@given(
    st.lists(
        st.tuples(
            st.sampled_from(a.STATUSES),
            st.integers(0, 400),
            st.integers(0, 300),
            st.booleans(),
            st.booleans(),
        ),
        max_size=40,
    )
)
def test_property_hours_add_up(rows):
    records = [rec(s, planned=p, missed=m, justified=j, excused=x) for s, p, m, j, x in rows]
    s = a.summarise(records)
    t = s.total
    assert t.attended + t.absent == t.planned
    assert 0 <= t.attended <= t.planned
    assert sum(h.planned for h in s.by_module.values()) == t.planned
    if t.rate is not None:
        assert 0 <= t.rate <= 1
    assert 0 <= a.absence_run(records) <= len(records)


def test_generate_sessions_on_centre_days_only():
    monday = datetime.date(2026, 3, 2)
    days = [(monday + datetime.timedelta(days=i), p) for i, p in enumerate("CCEEE")]
    slots = [
        a.Slot(0, datetime.time(9), datetime.time(12)),
        a.Slot(0, datetime.time(13), datetime.time(17)),
        a.Slot(1, datetime.time(9), datetime.time(12)),
        a.Slot(3, datetime.time(9), datetime.time(12)),  # Thursday: in company
    ]
    got = a.generate(days, slots)
    assert [(d.isoformat(), s.start.hour) for d, s in got] == [
        ("2026-03-02", 9),
        ("2026-03-02", 13),
        ("2026-03-03", 9),
    ]


def test_format_minutes_and_half_day():
    assert a.format_minutes(210) == "3 h 30"
    assert a.format_minutes(45) == "45 min"
    assert a.format_minutes(120) == "2 h"
    assert a.half_day(datetime.time(9)) == "matin"
    assert a.half_day(datetime.time(14)) == "après-midi"
