"""The demo's attendance: a fortnight of sessions for the CFA apprentice's cohort, each past one
called and signed, with one unjustified absence (the demo apprentice) and one justified (another
learner, a sick note accepted). Written as rows, without notifications: the demo sends no e-mail
while it is built. Called once by livret.ops.demo."""

from __future__ import annotations

import datetime

from django.utils import timezone

from livret.engine import attendance as rules

from . import services
from .models import (
    AbsenceReason,
    Attendance,
    Justification,
    Session,
    SheetSignature,
    WeeklyPattern,
)

SLOTS = [(0, 9, 12), (0, 13, 17), (1, 9, 12), (1, 13, 16)]


def seed(learner, trainer, manager, today: datetime.date) -> int:
    """Sessions of the two weeks before `today` and of the coming week; returns the count."""
    cohort = learner.cohort
    services.seed_reasons(cohort.centre)
    services.settings_of(cohort.centre)
    modules = list(cohort.modules.order_by("pk")[:4]) or [None]
    for i, (day, start, end) in enumerate(SLOTS):
        WeeklyPattern.objects.create(
            cohort=cohort,
            weekday=day,
            start=datetime.time(start),
            end=datetime.time(end),
            module=modules[i % len(modules)],
            trainer=trainer,
            room=f"B{10 + i}",
        )
    monday = today - datetime.timedelta(days=today.weekday())
    services.generate_sessions(
        cohort, manager, monday - datetime.timedelta(days=14), monday + datetime.timedelta(days=6)
    )
    past = list(Session.objects.filter(cohort=cohort, date__lt=today).order_by("date", "start"))
    if not past:
        return 0
    tz = timezone.get_current_timezone()
    others = [lr for lr in services.expected_learners(past[0]) if lr.pk != learner.pk]
    sick = others[0] if others else None
    note = None
    if sick is not None:
        note = Justification.objects.create(
            learner=sick,
            first_day=past[0].date,
            last_day=past[0].date,
            reason=AbsenceReason.objects.get(centre=cohort.centre, label="Maladie"),
            comment="Certificat médical remis au secrétariat.",
            sent_by=sick.tutor or manager,
            state=Justification.ACCEPTED,
            decided_by=manager,
            decided_at=datetime.datetime.combine(past[0].date, datetime.time(18), tzinfo=tz),
        )
    rows, signatures = [], []
    for n, s in enumerate(past):
        begin = datetime.datetime.combine(s.date, s.start, tzinfo=tz)
        for lr in services.expected_learners(s):
            status, how, note_of = rules.PRESENT, Attendance.LEARNER_CODE, None
            if lr.pk == learner.pk and n == len(past) - 2:
                status, how = rules.ABSENT, ""  # the apprentice's unjustified absence
            elif sick is not None and lr.pk == sick.pk and s.date == past[0].date:
                status, how, note_of = rules.ABSENT, "", note
            signed = begin + datetime.timedelta(minutes=3) if status != rules.ABSENT else None
            rows.append(
                Attendance(
                    session=s,
                    learner=lr,
                    status=status,
                    signed_at=signed,
                    signed_how=how,
                    signer=lr.user if signed else None,
                    justification=note_of,
                    notified_on=s.date if status == rules.ABSENT and note_of is None else None,
                )
            )
        signatures.append(
            SheetSignature(
                session=s,
                trainer=trainer,
                signed_at=begin + datetime.timedelta(minutes=20),
            )
        )
    Attendance.objects.bulk_create(rows, batch_size=500)
    SheetSignature.objects.bulk_create(signatures)
    return Session.objects.filter(cohort=cohort).count()
