"""Stored alerts: a centre's home reads them and never computes, writes or starts a job; the
scheduler computes them every day, and a write that changes a learner's data computes his once it
is committed (issue 26, item 6)."""

import datetime
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from livret.jobs.models import Job
from livret.ops import scheduler
from livret.people.models import Learner
from livret.periods import alerts
from livret.periods.models import LearnerAlert, Period

MISSING = "Attestation de stage non reçue"
WRITES = ("INSERT", "UPDATE", "DELETE")


def stage(learner, **fields):
    return Period.objects.create(
        learner=learner,
        company=learner.company,
        start=datetime.date(2026, 1, 5),
        end=datetime.date(2026, 1, 30),
        **fields,
    )


def writes(ctx):
    return [q["sql"] for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith(WRITES)]


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["cohort_list", "dashboard"])
def test_a_home_page_reads_the_stored_alerts_and_writes_nothing(client, world, page):
    w = world
    stage(w.learner1)  # every learner is stale: new, and learner1 changed
    assert alerts.stale(Learner.objects.all(), timezone.localdate()).exists()
    client.force_login(w.users["manager_a"])
    client.get(reverse(page))  # the first visit of the session is not the one measured
    rows = {m: m.objects.count() for m in (LearnerAlert, Job, Learner)}
    with CaptureQueriesContext(connection) as ctx:
        html = unescape(client.get(reverse(page)).content.decode())
    assert writes(ctx) == []
    assert {m: m.objects.count() for m in rows} == rows
    assert not Job.objects.exists()
    # Nothing computed yet: the page says so, shows no alert and does not compute one.
    assert MISSING not in html and "Alertes (0)" in html
    assert "Les alertes n'ont pas encore été calculées" in html
    assert alerts.stale(Learner.objects.filter(pk=w.learner1.pk), timezone.localdate()).exists()
    # The scheduler's daily run computes them; the page then shows them and when.
    scheduler.run_due(tasks=[t for t in scheduler.TASKS if t.name == "alerts"])
    html = client.get(reverse(page)).content.decode()
    total = LearnerAlert.objects.count()
    assert MISSING in html and total >= 1 and f"Alertes ({total})" in html
    assert f"Alertes calculées le {timezone.localdate():%d/%m/%Y} à " in html


@pytest.mark.django_db(transaction=True)
def test_a_write_computes_its_learners_alerts_once_committed(client, world):
    w = world
    alerts.refresh_stale(Learner.objects.all(), timezone.localdate())
    period = stage(w.learner1)  # committed (no surrounding transaction): computed at once
    assert LearnerAlert.objects.filter(learner=w.learner1, kind="attestation").exists()
    client.force_login(w.users["manager_a"])
    assert MISSING in client.get(reverse("cohort_list")).content.decode()
    # The attestation arrives: that learner's alert goes as the write commits, not on a page.
    period.attestation_received = period.attestation_signed = True
    period.save()
    assert not LearnerAlert.objects.filter(learner=w.learner1, kind="attestation").exists()
    assert MISSING not in client.get(reverse("cohort_list")).content.decode()
    assert not Job.objects.exists()
    # The other centre's manager never sees these alerts.
    stage(w.learner1)
    client.force_login(w.users["manager_b"])
    html = client.get(reverse("cohort_list")).content.decode()
    assert reverse("learner_periods", args=[w.learner1.pk]) not in html
    assert w.learner1.full_name not in html


@pytest.mark.django_db(transaction=True)
def test_a_write_over_many_learners_leaves_them_to_the_scheduler(world, monkeypatch):
    from django.db import transaction

    monkeypatch.setattr(alerts, "INLINE", 1)
    w = world
    today = timezone.localdate()
    alerts.refresh_stale(Learner.objects.all(), today)
    with transaction.atomic():  # one write changing two learners: more than INLINE
        stage(w.learner1)
        stage(w.learner2)
    assert not LearnerAlert.objects.filter(kind="attestation").exists()
    assert set(alerts.stale(Learner.objects.all(), today)) == {w.learner1, w.learner2}
    alerts.refresh_stale(Learner.objects.all(), today)
    assert LearnerAlert.objects.filter(kind="attestation").count() == 2
    # A rolled-back write computes nothing wrong: the next commit sees what is stored.
    monkeypatch.setattr(alerts, "INLINE", 300)
    with transaction.atomic():
        Period.objects.filter(learner=w.learner2).delete()
        transaction.set_rollback(True)
    Period.objects.filter(learner=w.learner1).update(
        attestation_received=True, attestation_signed=True
    )
    Period.objects.get(learner=w.learner1).save()  # signed: learner1's alert goes
    assert list(
        LearnerAlert.objects.filter(kind="attestation").values_list("learner", flat=True)
    ) == [w.learner2.pk]


@pytest.mark.django_db
def test_alerts_are_computed_again_the_next_day(world):
    w = world
    stage(w.learner1)
    learners = w.cohort_a.learners.all()
    # The day the stage ends, its attestation is not yet late; the day after, it is.
    alerts.refresh_stale(learners, datetime.date(2026, 1, 30))
    assert not any(a.kind == "attestation" for a in alerts.visible_alerts(learners))
    assert alerts.refresh_stale(learners, datetime.date(2026, 1, 30)) == 0  # done for the day
    alerts.refresh_stale(learners, datetime.date(2026, 1, 31))
    shown = alerts.visible_alerts(learners)
    assert [a.learner_id for a in shown if a.kind == "attestation"] == [w.learner1.pk]


@pytest.mark.django_db
def test_a_long_list_shows_its_first_alerts_and_their_total(client, world, monkeypatch):
    monkeypatch.setattr(alerts, "SHOWN", 1)
    w = world
    for learner in (w.learner1, w.learner2):
        stage(learner)
    alerts.refresh_stale(Learner.objects.all(), timezone.localdate())
    client.force_login(w.users["manager_a"])
    html = client.get(reverse("cohort_list")).content.decode()
    total = LearnerAlert.objects.filter(learner__centre=w.cohort_a.centre).count()
    assert total >= 2 and f"Alertes ({total})" in html
    assert html.count("Attestation de stage non reçue") == 1  # only the first is listed
    assert f"Alertes 1 à 1 sur {total}, par nom" in html and "Alertes précédentes" not in html
    # The next page lists the next one, by name, and leads back.
    second = client.get(reverse("cohort_list"), {"alertes": 2}).content.decode()
    assert f"Alertes 2 à 2 sur {total}, par nom" in second and "Alertes précédentes" in second
    first_name = reverse("learner_periods", args=[w.learner2.pk])  # « Deux » before « Un »
    assert first_name in html and first_name not in second
    assert reverse("learner_periods", args=[w.learner1.pk]) in second
    # A page beyond the last lists nothing and still says how many there are; a bad one is a 400.
    far = client.get(reverse("cohort_list"), {"alertes": 99}).content.decode()
    assert f"Alertes ({total})" in far and MISSING not in far
    assert client.get(reverse("cohort_list"), {"alertes": "x"}).status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize("shown", [1, 50])  # a list cut short, or whole
def test_the_homes_cost_the_same_queries_for_2_or_32_alerted_learners(
    client, world, monkeypatch, shown
):
    from tests.queries import pin

    monkeypatch.setattr(alerts, "SHOWN", shown)
    w = world
    pages = {"cohort_list": reverse("cohort_list"), "dashboard": reverse("dashboard")}
    client.force_login(w.users["manager_a"])

    def measure():
        alerts.refresh_stale(Learner.objects.all(), timezone.localdate())
        return pin(client, pages)

    for learner in (w.learner1, w.learner2):
        stage(learner)
    small = measure()
    for i in range(30):
        stage(
            Learner.objects.create(
                cohort=w.cohort_a,
                centre=w.cohort_a.centre,
                company=w.learner1.company,
                first_name=f"Nouveau{i}",
                last_name=f"Apprenant{i}",
                status=Learner.APPRENTICE,
            )
        )
    big = measure()
    assert LearnerAlert.objects.filter(kind="attestation").count() == 32
    assert big == small
    # The pinned figures of tests/web/test_query_counts.py, cut short or not (the total rides
    # with the page's rows).
    assert big == {"cohort_list": 9, "dashboard": 14}


@pytest.mark.django_db
def test_a_page_of_alerts_is_one_query_with_its_total_at_any_size(world, monkeypatch):
    """The manager's home pays the same at 50 and 10,000 learners: the page and its total in one
    query, whether the alerts fit on one page or run over several."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    w = world
    learners = Learner.objects.filter(centre=w.cohort_a.centre)
    stored = [("attestation", "Attestation de stage non reçue")] * 3
    LearnerAlert.objects.bulk_create(
        LearnerAlert(learner=w.learner1, kind=kind, message=f"{message} {i}")
        for i, (kind, message) in enumerate(stored)
    )
    total = LearnerAlert.objects.filter(learner__in=learners).count()
    for shown in (50, 2):  # one page; then pages of two, the last one short
        monkeypatch.setattr(alerts, "SHOWN", shown)
        seen = []
        for page in range(1, -(-total // shown) + 1):
            with CaptureQueriesContext(connection) as queries:
                out = alerts.visible_alerts(learners, page)
            assert len(queries) == 1, (shown, page, [q["sql"] for q in queries])
            assert out.total == total and out.first == (page - 1) * shown + 1
            seen += [(a.learner_id, a.message) for a in out]
        assert len(seen) == total == len(set(seen))
    # Past the last page: nothing shown, the total still said.
    out = alerts.visible_alerts(learners, 99)
    assert not list(out) and out.total == total
