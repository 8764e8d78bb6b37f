"""The roll call and a learner's attendance page cost the same number of queries whatever the
size of the cohort and the number of sessions."""

import datetime

from django.urls import reverse

from livret.attendance import services
from livret.attendance.models import Session
from livret.engine import attendance as rules
from livret.people.models import Learner
from tests.queries import count_queries

D = datetime.date
T = datetime.time


def _grow(world, learners: int, sessions: int):
    cohort = world.cohort_a
    Learner.objects.bulk_create(
        Learner(
            cohort=cohort,
            centre=cohort.centre,
            first_name=f"P{i}",
            last_name=f"N{i}",
            status=Learner.APPRENTICE,
        )
        for i in range(learners)
    )
    made = []
    for n in range(sessions):
        s = Session.objects.create(
            cohort=cohort, date=D(2026, 3, 2) + datetime.timedelta(days=n), start=T(9), end=T(12)
        )
        s.trainers.set([world.users["trainer_a"]])
        marks = {lr.pk: (rules.PRESENT, 0) for lr in services.expected_learners(s)}
        marks[world.learner1.pk] = (rules.LATE if n % 2 else rules.ABSENT, 10)
        services.call_roll(s, world.users["trainer_a"], marks, sign=n % 2 == 0)
        made.append(s)
    return made


def _counts(client, world, sessions):
    """The roll call of a sheet being marked and of a signed one (its corrections listed), as
    the session's trainer and as the centre's manager; the learner's own attendance."""
    signed, open_ = sessions[-2], sessions[-1]
    assert signed.signature and not hasattr(open_, "signature")
    counts = {}
    for who in ("trainer_a", "manager_a"):
        client.force_login(world.users[who])
        for name, s in (("open", open_), ("signed", signed)):
            counts[f"roll {name}, {who}"] = count_queries(
                client, reverse("attendance_roll_call", args=[s.pk])
            )
    client.force_login(world.users["learner1"])
    counts["learner"] = count_queries(
        client, reverse("attendance_learner", args=[world.learner1.pk])
    )
    return counts


# The roll call's queries, pinned: session (its centre and module), session cookie, user and
# profile, marks, expected learners (NOT EXISTS on periods), signature; a signed sheet adds its
# corrections; the header adds the centre and the unread count. The trainer's right to call the
# roll is known from the session's own query (found among the sessions he gives).
ROLL_OPEN, ROLL_SIGNED = 9, 10


def test_counts_do_not_grow(client, world):
    small = _grow(world, 3, 2)
    before = _counts(client, world, small)
    big = _grow(world, 30, 6)
    services.correct(
        big[-2].attendances.first(), world.users["trainer_a"], rules.ABSENT, 0, "Parti à 9 h"
    )
    after = _counts(client, world, big)
    assert before == after, (before, after)
    assert after["roll open, trainer_a"] == ROLL_OPEN, after
    assert after["roll signed, trainer_a"] == ROLL_SIGNED, after


def _manager_pages(client, world):
    from livret.attendance.models import AbsenceReason, Justification

    services.seed_reasons(world.cohort_a.centre)
    reason = AbsenceReason.objects.filter(centre=world.cohort_a.centre).first()
    for lr in Learner.objects.filter(cohort=world.cohort_a)[:40]:
        if not Justification.objects.filter(learner=lr).exists():
            services.send_justification(
                lr, world.users["manager_a"], reason, D(2026, 3, 2), D(2026, 3, 2), "", None
            )
    client.force_login(world.users["manager_a"])
    cohort = world.cohort_a.pk
    return {
        "cohort": count_queries(client, reverse("attendance_cohort", args=[cohort])),
        "timetable": count_queries(
            client, reverse("attendance_cohort_timetable", args=[cohort]) + "?mois=2026-03"
        ),
        "pattern": count_queries(client, reverse("attendance_cohort_pattern", args=[cohort])),
        "justifications": count_queries(client, reverse("attendance_justifications")),
        "sessions": count_queries(client, reverse("attendance_sessions")),
    }


def test_manager_pages_cost_the_same_at_two_sizes(client, world):
    _grow(world, 3, 2)
    before = _manager_pages(client, world)
    _grow(world, 30, 6)
    after = _manager_pages(client, world)
    assert before == after, (before, after)
