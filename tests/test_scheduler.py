"""Issue 26, item 6: periodic work runs without waiting for a visitor, once per day however many
schedulers run, and a failing task neither stops the others nor goes unnoticed."""

import datetime
import logging
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from livret.notifications.models import Notification
from livret.ops import scheduler
from livret.ops.models import ScheduledRun
from livret.periods.models import LearnerAlert
from tests.mailbox import subject


def at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def counting(name, calls):
    def run(now):
        calls.append(name)
        return "fait"

    return scheduler.Task(name, name, run)


@pytest.mark.django_db
def test_two_runs_in_one_day_run_each_task_once_and_the_next_day_again(settings):
    settings.SCHEDULER_HOUR = 2
    calls = []
    tasks = [counting("a", calls), counting("b", calls)]
    day = datetime.date(2026, 11, 23)
    assert [r.task for r in scheduler.run_due(at(day, 9), tasks)] == ["a", "b"]
    assert scheduler.run_due(at(day, 17), tasks) == []
    # 1 a.m. the next day still belongs to the day that began at 2 a.m.
    assert scheduler.run_due(at(day + datetime.timedelta(days=1), 1), tasks) == []
    assert calls == ["a", "b"]
    assert len(scheduler.run_due(at(day + datetime.timedelta(days=1), 2), tasks)) == 2
    assert calls == ["a", "b", "a", "b"]
    runs = ScheduledRun.objects.filter(task="a").order_by("started_at")
    assert [(r.period, r.ok, r.result) for r in runs] == [
        ("2026-11-23T02:00", True, "fait"),
        ("2026-11-24T02:00", True, "fait"),
    ]
    assert all(r.finished_at for r in runs)


@pytest.mark.django_db
def test_every_real_task_runs_once_on_an_instance_and_records_it(world):
    now = timezone.now()
    first = scheduler.run_due(now)
    assert {r.task for r in first} == {t.name for t in scheduler.TASKS}
    failed = {r.task: r.error for r in first if not r.ok}
    assert not failed, failed
    assert scheduler.run_due(now + datetime.timedelta(minutes=5)) == []
    assert ScheduledRun.objects.count() == len(scheduler.TASKS)


@pytest.mark.django_db
def test_a_failing_task_is_logged_and_recorded_and_the_others_still_run(caplog):
    calls = []

    def broken(now):
        raise RuntimeError("serveur de courriel injoignable")

    tasks = [scheduler.Task("broken", "en panne", broken), counting("after", calls)]
    with caplog.at_level(logging.ERROR, logger="livret.scheduler"):
        runs = scheduler.run_due(timezone.now(), tasks)
    assert [(r.task, r.ok) for r in runs] == [("broken", False), ("after", True)]
    assert calls == ["after"]
    stored = ScheduledRun.objects.get(task="broken")
    assert stored.ok is False and stored.finished_at
    assert "RuntimeError: serveur de courriel injoignable" in stored.error
    assert any("broken" in r.getMessage() for r in caplog.records)
    assert any(r.exc_info for r in caplog.records)


@pytest.mark.django_db
def test_a_week_without_logins_still_mails_the_overdue_visit(world, smtp, settings):
    """Nobody opens a page: the scheduler computes the alert on the day it falls due and the
    digest of that same run carries it to the centre's manager."""
    settings.SCHEDULER_HOUR = 2
    manager = world.users["manager_a"]
    manager.email = "manager_a@exemple.fr"
    manager.save()
    centre = world.learner1.centre
    centre.visit_every_weeks = 4
    centre.save()
    today = timezone.localdate()
    world.learner1.contract_start = today - datetime.timedelta(days=27)
    world.learner1.save()

    scheduler.run_due(at(today, 3))
    assert not LearnerAlert.objects.filter(learner=world.learner1, kind="follow_up").exists()
    assert smtp.to("manager_a@exemple.fr") == []

    later = today + datetime.timedelta(days=2)
    runs = {r.task: r for r in scheduler.run_due(at(later, 3))}
    assert runs["alerts"].ok and runs["digests"].ok
    alert = LearnerAlert.objects.get(learner=world.learner1, kind="follow_up")
    assert alert.message.startswith("Visite en entreprise en retard")
    world.learner1.refresh_from_db()
    assert world.learner1.alerts_on == later
    (mail,) = smtp.to("manager_a@exemple.fr")
    assert subject(mail) == "Livret : Nouvelle alerte : Learner1 Un"
    assert "Visite en entreprise en retard" in mail.get_content()
    # The other centre's manager hears nothing of it.
    assert not Notification.objects.filter(recipient=world.users["manager_b"]).exists()


@pytest.mark.django_db
def test_old_notifications_are_pruned_without_sending_the_rest_again(world, settings):
    from livret.notifications import services
    from livret.notifications.models import Digest

    settings.NOTIFICATIONS_DAYS = 180
    learner = world.users["learner1"]
    learner.email = "learner1@exemple.fr"
    learner.save()
    old, recent = services.notify([learner], "evaluation", "ancienne") + services.notify(
        [learner], "evaluation", "récente"
    )
    digest = Digest.objects.create(recipient=learner, sent_at=timezone.now())
    Notification.objects.filter(pk__in=[old.pk, recent.pk]).update(digest=digest)
    long_ago = timezone.now() - datetime.timedelta(days=200)
    Notification.objects.filter(pk=old.pk).update(created_at=long_ago)
    Digest.objects.filter(pk=digest.pk).update(created_at=long_ago)

    scheduler.prune_notifications(timezone.now())
    assert list(Notification.objects.values_list("title", flat=True)) == ["récente"]
    # The digest still carries the recent one: kept, so it is not « waiting » again.
    assert Notification.objects.get().digest_id == digest.pk
    assert services.send_digests() == {"sent": 0, "retried": 0}


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs concurrent transactions (run with DATABASE_URL=postgres://…)",
)
def test_two_schedulers_at_the_same_moment_run_a_task_once():
    calls = []
    barrier = threading.Barrier(2)

    def slow(now):
        calls.append(threading.get_ident())
        return "fait"

    task = scheduler.Task("slow", "lent", slow)
    now = timezone.now()
    outcomes = []

    def one_scheduler():
        try:
            barrier.wait(timeout=10)
            outcomes.append(len(scheduler.run_due(now, [task])))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=one_scheduler) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcomes) == [0, 1] and len(calls) == 1
    assert ScheduledRun.objects.filter(task="slow").count() == 1
