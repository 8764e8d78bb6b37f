"""The attendance part of `make bench` (issue 22): a full year of sessions for every cohort of both
centres (two half-days on each weekday from 8 December 2025 to 4 December 2026, except August:
about 440 sessions a cohort), each marked for every learner of its cohort (about 4.8 M attendance
rows for 10,000 learners; one absence in 23, one late arrival in 31) and each sheet signed; a
cohort of 35 learners in each centre for the roll call. Pages measured in process beside the
others (scale.page_list): the roll call of 35 learners, a signed sheet and one being marked (goal
p95 < 150 ms), a learner's attendance page (a year of marks), a cohort's attendance (120 learners
× a year), its timetable, the justificatifs; then the month-end of a centre as the background job
does it, its progress followed. Not a test: nothing asserts here."""

from __future__ import annotations

import datetime
import time

ROLL = 35
FIRST, LAST = datetime.date(2025, 12, 8), datetime.date(2026, 12, 4)
ROLL_DAY = datetime.date(2026, 11, 30)


def seed() -> None:
    from django.db import connection, transaction

    from livret.people.models import Cohort, Learner, Organisation

    t = time.perf_counter()
    with transaction.atomic():
        for name in ("CFA Grand", "CFA Petit"):
            org = Organisation.objects.get(name=name)
            slug = name.split()[-1].lower()
            cohort = Cohort.objects.create(
                centre=org,
                referentiel=org.cohorts.first().referentiel,
                name=f"Appel {slug}",
                start_year=2025,
            )
            trainer = org.profiles.filter(role="trainer").first().user
            cohort.trainers.set([trainer])
            learners = [
                Learner(
                    cohort=cohort,
                    centre=org,
                    first_name=f"Appel{i}",
                    last_name=f"Présent{i:02d}",
                    status="apprentice",
                )
                for i in range(ROLL)
            ]
            for learner in learners:
                learner.fold_search_text()
            Learner.objects.bulk_create(learners)
        with connection.cursor() as cur:
            cur.execute(
                """
                INSERT INTO attendance_session
                    (cohort_id, date, start, "end", room, state, created_at, signing_secret, uid,
                     cancel_reason)
                SELECT c.id, d::date, h.s, h.e, '', 'planned', now(),
                       decode(md5(random()::text) || md5(random()::text), 'hex'),
                       gen_random_uuid(), ''
                FROM people_cohort c
                CROSS JOIN generate_series(%s::date, %s::date, interval '1 day') AS d
                CROSS JOIN (VALUES (time '08:30', time '12:00'), (time '13:30', time '17:00'))
                     AS h(s, e)
                WHERE extract(isodow FROM d) < 6 AND extract(month FROM d) <> 8
                """,
                [FIRST, LAST],
            )
            # Each session given by its centre's trainer (the one who teaches every cohort).
            cur.execute(
                """
                INSERT INTO attendance_session_trainers (session_id, user_id)
                SELECT s.id, ct.user_id FROM attendance_session s
                JOIN people_cohort_trainers ct ON ct.cohort_id = s.cohort_id
                """
            )
            cur.execute(
                """
                INSERT INTO attendance_attendance
                    (session_id, learner_id, status, minutes, excused, signed_at, signed_how,
                     signer_id)
                SELECT s.id, l.id,
                       CASE WHEN (l.id + s.id) % 23 = 0 THEN 'absent'
                            WHEN (l.id + s.id) % 31 = 0 THEN 'late' ELSE 'present' END,
                       CASE WHEN (l.id + s.id) % 23 <> 0 AND (l.id + s.id) % 31 = 0
                            THEN 10 ELSE 0 END,
                       false,
                       CASE WHEN (l.id + s.id) % 23 = 0 THEN NULL
                            ELSE s.date + s.start END,
                       CASE WHEN (l.id + s.id) % 23 = 0 THEN '' ELSE 'learner_code' END,
                       CASE WHEN (l.id + s.id) % 23 = 0 THEN NULL ELSE l.user_id END
                FROM attendance_session s
                JOIN people_learner l ON l.cohort_id = s.cohort_id
                """
            )
            cur.execute(
                """
                INSERT INTO attendance_sheetsignature (session_id, trainer_id, signed_at)
                SELECT st.session_id, min(st.user_id), min(s.date + s."end")
                FROM attendance_session_trainers st
                JOIN attendance_session s ON s.id = st.session_id
                GROUP BY st.session_id
                """
            )
            cur.execute("ANALYZE")
    from livret.attendance.models import Attendance, Session

    print(
        f"attendance seeded: {Session.objects.count():,} sessions, "
        f"{Attendance.objects.count():,} marks, in {time.perf_counter() - t:.0f} s"
    )


def pages() -> list[tuple]:
    """(label, url, big user, baseline url, small user, goal), as scale.page_list's."""
    from livret.attendance.models import Session
    from livret.people.models import Cohort, Learner

    def roll(centre):
        s = Session.objects.filter(
            cohort__name=f"Appel {centre}", date=ROLL_DAY, start=datetime.time(8, 30)
        ).get()
        return f"/seances/{s.pk}/appel/"

    def marking(centre):
        """A session of the 35 not called yet (the day after the seeded year): the trainer's
        form, a row of buttons for each learner."""
        cohort = Cohort.objects.get(name=f"Appel {centre}")
        s, _ = Session.objects.get_or_create(
            cohort=cohort,
            date=LAST + datetime.timedelta(days=3),
            start=datetime.time(8, 30),
            defaults={"end": datetime.time(12)},
        )
        s.trainers.set(cohort.trainers.all())
        return f"/seances/{s.pk}/appel/"

    big = Cohort.objects.filter(centre__name="CFA Grand").order_by("pk")
    c120 = big[0]
    small = Cohort.objects.filter(centre__name="CFA Petit").order_by("pk")[0]
    busy = Learner.objects.filter(cohort=c120).order_by("pk").first()
    quiet = Learner.objects.filter(cohort=small).order_by("pk").first()
    return [
        (
            "attendance: roll call, 35 learners",
            roll("grand"),
            "trainer-grand",
            roll("petit"),
            "trainer-petit",
            "goal p95 < 150 ms",
        ),
        (
            "attendance: roll call being marked, 35",
            marking("grand"),
            "trainer-grand",
            marking("petit"),
            "trainer-petit",
            "goal p95 < 150 ms",
        ),
        (
            "attendance: a learner's year",
            f"/assiduite/{busy.pk}/",
            "manager-grand",
            f"/assiduite/{quiet.pk}/",
            "manager-petit",
            "same queries as the baseline",
        ),
        (
            "attendance: cohort of 120 × a year",
            f"/promotions/{c120.pk}/assiduite/",
            "manager-grand",
            f"/promotions/{small.pk}/assiduite/",
            "manager-petit",
            "baseline: 30 × a year",
        ),
        (
            "attendance: a cohort's timetable (month)",
            f"/promotions/{c120.pk}/seances/?mois=2026-11",
            "manager-grand",
            f"/promotions/{small.pk}/seances/?mois=2026-11",
            "manager-petit",
            "",
        ),
        (
            "attendance: justificatifs",
            "/assiduite/justificatifs/",
            "manager-grand",
            "/assiduite/justificatifs/",
            "manager-petit",
            "",
        ),
    ]


def month_end() -> None:
    """A centre's month-end as the job runs it (its progress followed): the small centre's whole;
    the big centre's first 120 certificates through the same functions (the time per PDF says
    what its 10,000 would take)."""
    from django.contrib.auth import get_user_model

    from livret.attendance import documents, printing
    from livret.jobs.models import Job
    from livret.people.models import Learner, Organisation
    from livret.web.pdf import pdf_bytes

    org = Organisation.objects.get(name="CFA Petit")
    job = Job.objects.create(
        kind="attendance_month_end",
        title="bench",
        requested_by=get_user_model().objects.get(username="manager-petit"),
        centre=org,
        params={"year": 2026, "month": 11},
    )
    steps = []
    t = time.perf_counter()
    printing.month_end_zip(job, lambda done, total, **k: steps.append((done, total)))
    took = time.perf_counter() - t
    n = steps[-1][1] if steps else 0
    print(
        f"\nmonth-end of CFA Petit as the job runs it: {n} certificates in one ZIP, {took:.1f} s "
        f"({took / max(n, 1) * 1000:.0f} ms each, progress reported {len(steps)} times)"
    )
    learners = Learner.objects.filter(centre__name="CFA Grand").select_related("cohort", "centre")
    t = time.perf_counter()
    for learner in learners.order_by("pk")[:120]:
        pdf_bytes(
            "attendance/certificate_pdf.html", documents.certificate_context(learner, 2026, 11)
        )
    each = (time.perf_counter() - t) / 120
    print(
        f"month-end of CFA Grand: {each * 1000:.0f} ms a certificate (120 made), so about "
        f"{each * learners.count() / 60:.0f} min for its {learners.count():,} learners in the job"
    )
