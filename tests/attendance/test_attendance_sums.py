"""A cohort's attendance summed by the database gives what the engine's rules give row by row:
every status, lateness, an excused mark, an accepted and a refused justificatif, a cancelled
session, a learner without marks, runs of absences broken or not (on the same day too)."""

import datetime
import random

from livret.attendance import queries, services
from livret.attendance.models import (
    AbsenceReason,
    Attendance,
    CentreSettings,
    Justification,
    Session,
)
from livret.engine import attendance as rules
from livret.people.models import Learner

D = datetime.date
T = datetime.time


def _by_hand(cohort) -> dict:
    """The engine's rules over each learner's marks in time order (what the page showed before
    the sums moved to the database)."""
    settings = CentreSettings.objects.filter(centre_id=cohort.centre_id).first()
    threshold, limit = (settings.threshold_percent, settings.absence_run) if settings else (80, 3)
    out, total = {}, rules.Hours()
    for lr in Learner.objects.filter(cohort=cohort):
        recs = []
        for a in (
            Attendance.objects.filter(learner=lr, session__cohort=cohort)
            .exclude(session__state=Session.CANCELLED)
            .select_related("session", "justification")
            .order_by("session__date", "session__start")
        ):
            recs.append(
                rules.Record(
                    a.session.date,
                    "",
                    a.session.minutes,
                    a.status,
                    a.minutes,
                    a.justified,
                    a.excused,
                )
            )
        s = rules.summarise(recs)
        for r in recs:
            total.add(r)
        out[lr.pk] = {
            **queries._row(f"{lr.last_name} {lr.first_name}", s.total),
            "alerts": rules.alerts(s, rules.absence_run(recs), threshold, limit),
        }
    return {"learners": out, "total": queries._row("Promotion", total)}


def test_database_sums_equal_the_rules_row_by_row(world):
    cohort, trainer = world.cohort_a, world.users["trainer_a"]
    services.seed_reasons(cohort.centre)
    reason = AbsenceReason.objects.filter(centre=cohort.centre).first()
    extra = Learner.objects.bulk_create(
        Learner(cohort=cohort, centre=cohort.centre, first_name=f"P{i}", last_name=f"N{i}")
        for i in range(6)
    )
    Learner.objects.create(cohort=cohort, centre=cohort.centre, first_name="Sans", last_name="Mark")
    rnd = random.Random(22)
    sessions = []
    for n in range(14):
        day = D(2026, 3, 2) + datetime.timedelta(days=n // 2)
        start, end = (T(8, 30), T(12)) if n % 2 == 0 else (T(13, 15), T(17, 5))
        s = Session.objects.create(cohort=cohort, date=day, start=start, end=end)
        s.trainers.set([trainer])
        sessions.append(s)
    people = [world.learner1, world.learner2, *extra]
    for i, s in enumerate(sessions):
        marks = {}
        for lr in people:
            status = rnd.choice(rules.STATUSES)
            # Learner P0 ends on a run of absences (on two days, morning and afternoon).
            if lr == extra[0] and i >= 10:
                status = rules.ABSENT
            minutes = rnd.randint(1, 400) if status in (rules.LATE, rules.LEFT_EARLY) else 0
            minutes = min(minutes, s.minutes)
            marks[lr.pk] = (status, minutes)
        services.call_roll(s, trainer, marks, sign=False)
    # Late by more than the session (as a correction could leave it): attends nothing.
    Attendance.objects.filter(session=sessions[3], learner=extra[1]).update(
        status=rules.LATE, minutes=sessions[3].minutes
    )
    # Excused marks count for nothing, and do not break a run.
    Attendance.objects.filter(session=sessions[12], learner=extra[2]).update(excused=True)
    Attendance.objects.filter(session=sessions[11], learner=extra[0]).update(excused=True)
    # An accepted justificatif (absences and lateness of two days), a refused one, a pending one.
    for lr, first, state in (
        (world.learner1, D(2026, 3, 3), Justification.ACCEPTED),
        (world.learner2, D(2026, 3, 4), Justification.REFUSED),
        (extra[3], D(2026, 3, 5), Justification.PENDING),
    ):
        j = services.send_justification(lr, trainer, reason, first, first, "", None)
        if state != Justification.PENDING:
            services.decide_justification(
                j, world.users["manager_a"], state == Justification.ACCEPTED, "Non"
            )
        Attendance.objects.filter(learner=lr, session__date=first).exclude(
            status=rules.PRESENT
        ).update(justification=j)
    # A cancelled session counts for nothing.
    sessions[6].state = Session.CANCELLED
    sessions[6].save()
    CentreSettings.objects.create(centre=cohort.centre, threshold_percent=85, absence_run=2)

    got = queries.cohort_attendance(cohort)
    want = _by_hand(cohort)
    assert got["total"] == want["total"]
    assert len(got["learners"]) == len(want["learners"]) == 9
    for row in got["learners"]:
        lr = row.pop("learner")
        assert row == want["learners"][lr.pk], lr
    # The run of P0 shows: at least four unjustified absences in a row (an excused one skipped).
    p0 = next(r for r in got["learners"] if r["name"] == "N0 P0")
    assert any("absences consécutives" in a for a in p0["alerts"])
    # Something of each kind was summed.
    assert got["total"]["justified"] != "0 min" and got["total"]["unjustified"] != "0 min"
