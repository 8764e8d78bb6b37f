"""The demo as installed has a fortnight of signed sessions for the CFA apprentice's cohort, one
unjustified absence (the apprentice's) and one justified; his attendance page shows them."""

import datetime

import pytest
from django.urls import reverse

from livret.attendance.models import Attendance, Justification, Session, SheetSignature
from livret.ops import demo
from livret.people.models import Learner
from livret.referentiels.loader import default_files, load_files

TODAY = datetime.date(2026, 11, 26)  # a Thursday


@pytest.mark.django_db
def test_the_demo_has_a_fortnight_of_signed_sessions(client):
    load_files(default_files())
    demo.create(today=TODAY)
    learner = Learner.objects.get(user__username="apprenti")
    past = Session.objects.filter(cohort=learner.cohort, date__lt=TODAY)
    assert past.count() >= 8  # two sessions a day, two centre days a week, over two weeks
    assert SheetSignature.objects.filter(session__in=past).count() == past.count()
    absent = Attendance.objects.filter(status="absent")
    assert absent.filter(learner=learner, justification__isnull=True).count() == 1
    # One learner's sick day (its morning and afternoon sessions), justified.
    justified = absent.filter(justification__state=Justification.ACCEPTED)
    assert len({(a.learner_id, a.session.date) for a in justified}) == 1
    client.force_login(learner.user)
    body = client.get(reverse("attendance_learner", args=[learner.pk])).content.decode()
    assert "Taux de présence" in body and "non justifiée" in body
    assert client.get(reverse("attendance_sessions")).status_code == 200
