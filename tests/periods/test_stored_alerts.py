"""Stored alerts: a centre's home reads them; a change makes the learner's alerts computed again,
in the request when few learners changed, else in a background job the page tells about."""

import datetime

import pytest
from django.urls import reverse

from livret.jobs.models import Job
from livret.periods import alerts
from livret.periods.models import LearnerAlert, Period
from tests.worker import run_worker

MISSING = "Attestation de stage non reçue"


@pytest.mark.django_db(transaction=True)
def test_many_changed_learners_are_updated_by_a_job_then_each_change_inline(
    client, world, monkeypatch
):
    monkeypatch.setattr(alerts, "INLINE", 1)
    w = world
    period = Period.objects.create(
        learner=w.learner1,
        company=w.learner1.company,
        start=datetime.date(2026, 1, 5),
        end=datetime.date(2026, 1, 30),
    )
    client.force_login(w.users["manager_a"])
    html = client.get(reverse("cohort_list")).content.decode()
    # Every learner of the centre is new, so stale: more than INLINE, a job is asked for.
    assert "en cours de mise à jour (tâche de fond)" in html and MISSING not in html
    client.get(reverse("cohort_list"))
    job = Job.objects.get(kind="centre_alerts")  # one job, not one per request
    assert job.centre == w.cohort_a.centre and job.requested_by == w.users["manager_a"]
    run_worker()
    job.refresh_from_db()
    assert job.status == Job.DONE and job.done == job.total >= 2
    html = client.get(reverse("cohort_list")).content.decode()
    assert MISSING in html and "en cours de mise à jour" not in html
    count = LearnerAlert.objects.filter(learner__centre=w.cohort_a.centre).count()
    assert count >= 1 and f"Alertes ({count})" in html
    # The attestation arrives: that one learner is computed again within the request.
    period.attestation_received = period.attestation_signed = True
    period.save()
    html = client.get(reverse("cohort_list")).content.decode()
    assert MISSING not in html and "en cours de mise à jour" not in html
    assert not LearnerAlert.objects.filter(learner=w.learner1, kind="attestation").exists()
    assert Job.objects.filter(kind="centre_alerts").count() == 1
    # The other centre's manager never sees these alerts, stored or not.
    client.force_login(w.users["manager_b"])
    # (the link to the learner, not his bare name "Un", which a CSRF token may happen to hold)
    html = client.get(reverse("cohort_list")).content.decode()
    assert reverse("learner_periods", args=[w.learner1.pk]) not in html
    assert w.learner1.full_name not in html


@pytest.mark.django_db
def test_alerts_are_computed_again_the_next_day(world):
    w = world
    Period.objects.create(
        learner=w.learner1,
        company=w.learner1.company,
        start=datetime.date(2026, 1, 5),
        end=datetime.date(2026, 1, 30),
    )
    learners = w.cohort_a.learners.all()
    # The day the stage ends, its attestation is not yet late; the day after, it is.
    on_the_day = alerts.visible_alerts(w.users["manager_a"], learners, datetime.date(2026, 1, 30))
    assert not any(a.kind == "attestation" for a in on_the_day)
    next_day = alerts.visible_alerts(w.users["manager_a"], learners, datetime.date(2026, 1, 31))
    assert [a.learner_id for a in next_day if a.kind == "attestation"] == [w.learner1.pk]


@pytest.mark.django_db
def test_a_long_list_shows_its_first_alerts_and_their_total(client, world, monkeypatch):
    monkeypatch.setattr(alerts, "SHOWN", 1)
    w = world
    for learner in (w.learner1, w.learner2):
        Period.objects.create(
            learner=learner,
            company=learner.company,
            start=datetime.date(2026, 1, 5),
            end=datetime.date(2026, 1, 30),
        )
    client.force_login(w.users["manager_a"])
    html = client.get(reverse("cohort_list")).content.decode()
    total = LearnerAlert.objects.filter(learner__centre=w.cohort_a.centre).count()
    assert total >= 2 and f"Alertes ({total})" in html
    assert html.count("Attestation de stage non reçue") == 1  # only the first is listed
    assert "Les 1 premières alertes sont affichées" in html
