"""The livret engine: current level and acquisition date, from the facts alone."""

import datetime

from hypothesis import given
from hypothesis import strategies as st

from livret.engine.progress import ACQUIRED, IN_PROGRESS, LEVELS, NOT_ACQUIRED, Fact, current, tally

D = datetime.date


def facts(*rows):
    return [Fact(level, day, seq) for seq, (level, day) in enumerate(rows, start=1)]


def test_never_evaluated():
    assert current([]) is None


def test_latest_observation_wins_and_ties_go_to_the_last_recorded():
    now = current(facts((ACQUIRED, D(2026, 3, 10)), (NOT_ACQUIRED, D(2026, 3, 10))))
    assert now.level == NOT_ACQUIRED and now.acquired_on is None


def test_acquired_date_is_the_fact_that_made_it_acquired():
    # Acquired on 1 March, confirmed on 10 May: still "acquise le 1er mars".
    now = current(
        facts((IN_PROGRESS, D(2026, 1, 5)), (ACQUIRED, D(2026, 3, 1)), (ACQUIRED, D(2026, 5, 10)))
    )
    assert (now.level, now.acquired_on) == (ACQUIRED, D(2026, 3, 1))


def test_correction_then_reacquisition_moves_the_date():
    now = current(
        facts((ACQUIRED, D(2026, 3, 1)), (NOT_ACQUIRED, D(2026, 3, 5)), (ACQUIRED, D(2026, 4, 2)))
    )
    assert (now.level, now.acquired_on) == (ACQUIRED, D(2026, 4, 2))


def test_a_late_entry_of_an_old_observation_does_not_override_a_newer_one():
    # Recorded last (seq 2) but observed earlier: the newer observation stays the current level.
    now = current(facts((ACQUIRED, D(2026, 6, 1)), (IN_PROGRESS, D(2026, 2, 1))))
    assert (now.level, now.acquired_on) == (ACQUIRED, D(2026, 6, 1))


fact_lists = st.lists(
    st.tuples(st.sampled_from(LEVELS), st.dates(min_value=D(2024, 9, 1), max_value=D(2026, 11, 1))),
    min_size=1,
    max_size=12,
)


@given(fact_lists)
def test_properties(rows):
    fs = facts(*rows)
    now = current(fs)
    latest = max(fs, key=lambda f: (f.observed_on, f.seq))
    assert now.level == latest.level
    if now.level == ACQUIRED:
        assert now.acquired_on <= latest.observed_on
        # Every fact observed since the acquisition date (inclusive, in order) is "acquired".
        ordered = sorted(fs, key=lambda f: (f.observed_on, f.seq))
        start = next(
            i
            for i, f in enumerate(ordered)
            if f.observed_on == now.acquired_on and all(g.level == ACQUIRED for g in ordered[i:])
        )
        assert start == 0 or ordered[start - 1].level != ACQUIRED
    else:
        assert now.acquired_on is None
    # The order in which facts are given does not matter.
    assert current(reversed(fs)) == now


@given(fact_lists, st.sampled_from(LEVELS), st.integers(0, 30))
def test_adding_a_newer_fact_makes_it_current(rows, level, days_later):
    fs = facts(*rows)
    last_day = max(f.observed_on for f in fs)
    newer = Fact(level, last_day + datetime.timedelta(days=days_later), len(fs) + 1)
    assert current([*fs, newer]).level == level


def test_tally():
    t = tally({"a": ACQUIRED, "b": IN_PROGRESS, "c": NOT_ACQUIRED}, ["a", "b", "c", "d", "a"])
    assert (t.acquired, t.in_progress, t.not_acquired, t.not_evaluated, t.total) == (1, 1, 1, 1, 4)
    assert t.percent == 25
    assert tally({}, []).percent == 0
