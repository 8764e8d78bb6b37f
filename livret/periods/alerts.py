"""Stored alerts: computed once a day per learner, and again as soon as his data changes.

Checking every learner's periods on each request costs seconds for a centre of 10,000; the homes
read `LearnerAlert` rows instead. A change to a learner, his periods, his contracts or his cohort
marks him stale (signals, so no writer can forget); stale learners are computed again when a page
asks, in the request when they are few, else in a background job while the page shows the
alerts already stored and says they are being brought up to date."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Prefetch, Q
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from livret.people.models import Cohort, Learner, Organisation

from . import compliance, follow_ups
from .models import Contract, FollowUp, LearnerAlert, Period

INLINE = 300  # stale learners computed within the request; more go to a background job
CHUNK = 1000


SHOWN = 200  # a page lists the first alerts, by name, and says how many there are


class Alerts(list):
    """The first alerts a user may see, their total, and how many learners are being updated."""

    total = 0
    pending = 0


def _loaded(ids):
    from livret.referentiels.models import Referentiel

    learners = list(
        Learner.objects.filter(pk__in=ids)
        .select_related("cohort", "company", "tutor", "centre")
        .prefetch_related(
            Prefetch("periods", queryset=Period.objects.select_related("company", "agreement")),
            Prefetch("contracts", queryset=Contract.objects.select_related("company")),
            Prefetch("follow_ups", queryset=FollowUp.objects.only("learner_id", "kind", "held_on")),
        )
    )
    # The référentiel (a large JSON document) is read once per version, not once per learner.
    refs = Referentiel.objects.in_bulk({lr.cohort.referentiel_id for lr in learners})
    cohorts = {}
    for learner in learners:
        cohort = cohorts.setdefault(learner.cohort_id, learner.cohort)
        cohort.referentiel = refs[cohort.referentiel_id]
        learner.cohort = cohort
    return learners


def refresh(ids, today: datetime.date) -> None:
    """Compute and store the alerts of these learners, as of today."""
    rows = []
    for learner in _loaded(ids):
        rows += [
            LearnerAlert(learner_id=learner.pk, kind=a.kind, message=a.message)
            for a in compliance.alerts(learner, today)
            if a.kind != "weeks-pending"
        ]
        rows += [
            LearnerAlert(learner_id=learner.pk, kind=kind, message=message)
            for kind, message in follow_ups.overdue(learner, today)
        ]
    with transaction.atomic():
        LearnerAlert.objects.filter(learner_id__in=ids).delete()
        LearnerAlert.objects.bulk_create(rows, batch_size=1000)
        Learner.objects.filter(pk__in=ids).update(alerts_on=today)


def stale(learners, today):
    return learners.filter(Q(alerts_on__isnull=True) | Q(alerts_on__lt=today))


def refresh_job(job, progress) -> None:
    """Background job: every stale learner of the centre, by chunks (the bar moves per chunk)."""
    today = timezone.localdate()
    ids = list(stale(Learner.objects.filter(centre=job.centre), today).values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        progress(start, len(ids))
        refresh(ids[start : start + CHUNK], today)
    progress(len(ids), len(ids), force=True)


def visible_alerts(user, learners, today: datetime.date | None = None) -> Alerts:
    from livret.jobs import services as jobs
    from livret.jobs.models import Job

    today = today or timezone.localdate()
    ids = list(stale(learners, today).values_list("pk", flat=True)[: INLINE + 1])
    out = Alerts()
    if len(ids) <= INLINE:
        if ids:
            refresh(ids, today)
    else:
        out.pending = stale(learners, today).count()
        centre = learners.values_list("centre", flat=True).first()
        busy = Job.objects.filter(
            kind="centre_alerts", centre_id=centre, status__in=(Job.QUEUED, Job.RUNNING)
        )
        if centre and not busy.exists():
            from livret.people.models import Organisation

            jobs.start(
                user,
                Organisation.objects.get(pk=centre),
                "centre_alerts",
                "Alertes des apprenants — mise à jour",
            )
    stored = LearnerAlert.objects.filter(learner__in=learners)
    out.extend(stored.select_related("learner__cohort")[:SHOWN])
    out.total = len(out) if len(out) < SHOWN else stored.count()
    return out


# --- what makes a learner's alerts stale -------------------------------------------------------
def _learner_changed(sender, instance, **kwargs):
    Learner.objects.filter(pk=instance.learner_id).update(alerts_on=None)


def _cohort_changed(sender, instance, **kwargs):
    Learner.objects.filter(cohort_id=instance.pk).update(alerts_on=None)


def _centre_changed(sender, instance, **kwargs):
    Learner.objects.filter(centre_id=instance.pk).update(alerts_on=None)


def _learner_saved(sender, instance, **kwargs):
    Learner.objects.filter(pk=instance.pk).update(alerts_on=None)


def connect() -> None:
    for model in (Period, Contract, FollowUp):
        post_save.connect(_learner_changed, sender=model, dispatch_uid=f"alerts-{model.__name__}")
        post_delete.connect(
            _learner_changed, sender=model, dispatch_uid=f"alerts-del-{model.__name__}"
        )
    post_save.connect(_cohort_changed, sender=Cohort, dispatch_uid="alerts-cohort")
    # The centre's follow-up rhythm is part of what its learners' alerts say.
    post_save.connect(_centre_changed, sender=Organisation, dispatch_uid="alerts-centre")
    post_save.connect(_learner_saved, sender=Learner, dispatch_uid="alerts-learner")
