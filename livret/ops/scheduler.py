"""The periodic work of the instance, run by `livret scheduler` (started by `livret serve`).

Every task runs once per period (a day beginning at SCHEDULER_HOUR, local time), however many
schedulers run: a run starts by inserting its (task, period) row, which the database accepts
once. The row records the end, the result or the error. A task that fails is logged and recorded;
the others still run. Nothing here waits for a visitor: alerts are recomputed and digests sent
even in a week without logins.
"""

from __future__ import annotations

import datetime
import logging
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, close_old_connections, transaction
from django.utils import timezone

from .models import ScheduledRun

logger = logging.getLogger("livret.scheduler")

RUNS_KEPT_DAYS = 90  # the scheduler's own record


@dataclass(frozen=True)
class Task:
    name: str
    label: str  # French, for the command's output
    run: Callable[[datetime.datetime], str]
    every: datetime.timedelta = datetime.timedelta(days=1)


def period_start(task: Task, now: datetime.datetime) -> datetime.datetime:
    """The first moment (local, naive) of the period `now` falls in: periods are counted from a
    day's SCHEDULER_HOUR, so a daily task is due from that hour until the next day's."""
    local = timezone.localtime(now).replace(tzinfo=None)
    anchor = datetime.datetime(2000, 1, 1, settings.SCHEDULER_HOUR)
    return anchor + task.every * ((local - anchor) // task.every)


# --- the tasks --------------------------------------------------------------------------------
def refresh_alerts(now) -> str:
    """Every centre's learners whose alerts are not of today, computed again (as a page would),
    by chunks in short transactions; a centre that fails does not stop the others."""
    from livret.people.models import Learner, Organisation
    from livret.periods import alerts

    today = timezone.localdate(now)
    done, failed = 0, []
    for centre in Organisation.objects.exclude(kind=Organisation.COMPANY).order_by("pk"):
        ids = list(
            alerts.stale(Learner.objects.filter(centre=centre), today).values_list("pk", flat=True)
        )
        try:
            for start in range(0, len(ids), alerts.CHUNK):
                alerts.refresh(ids[start : start + alerts.CHUNK], today)
                done += len(ids[start : start + alerts.CHUNK])
        except Exception:
            logger.exception("alertes du centre %s : échec", centre.pk)
            failed.append(str(centre.pk))
    if failed:
        raise RuntimeError(
            f"{done} apprenant(s) à jour ; échec pour le(s) centre(s) {', '.join(failed)}"
        )
    return f"{done} apprenant(s) à jour"


def privacy_purge(now) -> str:
    """What `livret privacy purge` does: access logs, expired job files, anonymisation."""
    from livret.ops.rights import purge

    done = purge(timezone.localdate(now))
    return ", ".join(f"{k} : {v}" for k, v in done.items())


def vae_tick(now) -> str:
    """What `livret vae tick` does: implicit recevabilité, lapses (a second run, nothing)."""
    from livret.vae.clocks import tick

    done = tick(timezone.localdate(now))
    return ", ".join(f"{k} : {v}" for k, v in done.items())


def send_digests(now) -> str:
    """What `livret notify` does (a second run the same day sends nothing twice)."""
    from livret.notifications.services import send_digests

    done = send_digests()
    return f"{done['sent']} récapitulatif(s) envoyé(s), {done['retried']} renvoyé(s)"


def prune_task_results(now) -> str:
    """The worker's finished task results (django-tasks' table) older than TASK_RESULTS_DAYS."""
    from django_tasks_db.models import DBTaskResult

    cutoff = now - datetime.timedelta(days=settings.TASK_RESULTS_DAYS)
    n = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()[0]
    return f"{n} résultat(s) effacé(s)"


def prune_sessions(now) -> str:
    from django.core.management import call_command

    call_command("clearsessions")
    return "sessions expirées effacées"


def prune_notifications(now) -> str:
    """Notifications older than NOTIFICATIONS_DAYS, then the e-mails (digests) that no longer
    carry any. In this order: deleting a digest that still carries notifications would set them
    back to « waiting » and send them again."""
    from livret.notifications.models import Digest, Notification

    cutoff = now - datetime.timedelta(days=settings.NOTIFICATIONS_DAYS)
    n = Notification.objects.filter(created_at__lt=cutoff).delete()[0]
    d = Digest.objects.filter(created_at__lt=cutoff, notifications__isnull=True).delete()[0]
    return f"{n} notification(s), {d} courriel(s) effacé(s)"


def prune_jobs(now) -> str:
    """Background jobs whose files expired NOTIFICATIONS_DAYS ago: only their title was left."""
    from livret.jobs.models import Job

    cutoff = now - datetime.timedelta(days=settings.NOTIFICATIONS_DAYS)
    n = Job.objects.filter(status=Job.EXPIRED, expired_at__lt=cutoff).delete()[0]
    return f"{n} tâche(s) expirée(s) effacée(s)"


def prune_runs(now) -> str:
    cutoff = now - datetime.timedelta(days=RUNS_KEPT_DAYS)
    n = ScheduledRun.objects.filter(started_at__lt=cutoff).delete()[0]
    return f"{n} exécution(s) effacée(s)"


# In this order: files and anonymisation first, then alerts and the VAE clocks (whose new ones
# are notified), then the digests that carry them.
TASKS = [
    Task("privacy", "journal des consultations, fichiers expirés, anonymisation", privacy_purge),
    Task("alerts", "alertes des apprenants de chaque centre", refresh_alerts),
    Task("vae", "délais VAE : recevabilité implicite, caducité", vae_tick),
    Task("digests", "récapitulatifs de notifications", send_digests),
    Task("task_results", "résultats des tâches de fond terminées", prune_task_results),
    Task("sessions", "sessions expirées", prune_sessions),
    Task("notifications", "anciennes notifications", prune_notifications),
    Task("jobs", "tâches expirées", prune_jobs),
    Task("runs", "journal du planificateur", prune_runs),
]


# --- running them -----------------------------------------------------------------------------
def claim(task: Task, now: datetime.datetime) -> ScheduledRun | None:
    """The run of this period, if no scheduler has started it yet (else None)."""
    period = period_start(task, now).isoformat(timespec="minutes")
    try:
        with transaction.atomic():
            return ScheduledRun.objects.create(task=task.name, period=period, started_at=now)
    except IntegrityError:
        return None


def run_due(now: datetime.datetime | None = None, tasks: list[Task] | None = None) -> list:
    """Run every task whose period has no run yet; → the runs made (ScheduledRun rows)."""
    done = []
    for task in TASKS if tasks is None else tasks:
        started = now or timezone.now()
        run = claim(task, started)
        if run is None:
            continue
        try:
            run.result = str(task.run(started))[:500]
            run.ok = True
        except Exception as exc:
            logger.exception("tâche planifiée « %s » : échec", task.name)
            run.ok, run.error = False, "".join(traceback.format_exception(exc))[-5000:]
        run.finished_at = timezone.now()
        run.save(update_fields=["ok", "result", "error", "finished_at"])
        done.append(run)
    return done


def loop(interval: float, stop: Callable[[], bool]) -> None:
    """Check every `interval` seconds for due work until stop() says so."""
    while not stop():
        close_old_connections()
        try:
            run_due()
        except Exception:
            # The database away for a while (restart, network): try again at the next tick.
            logger.exception("planificateur : tour manqué")
        close_old_connections()
        waited = 0.0
        while waited < interval and not stop():
            time.sleep(min(1.0, interval - waited))
            waited += 1.0
