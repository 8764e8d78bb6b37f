"""Stored alerts: computed once a day per learner by the scheduler, and again as soon as his data
changes.

Checking every learner's periods on each request costs seconds for a centre of 10,000; the homes
read `LearnerAlert` rows instead, and a page never computes, writes or starts a job (issue 26,
item 6). A change to a learner, his periods, his contracts, his follow-ups, his cohort or his
centre marks him stale (signals, so no writer can forget); once that write is committed his alerts
are computed again, when the write touched at most INLINE learners. A wider change (a centre's
follow-up rhythm, an import) leaves them to the scheduler's daily run (`livret scheduler`), whose
last run the homes show: « alertes calculées le … »."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import partial
from types import SimpleNamespace

from django.db import transaction
from django.db.models import Count, Prefetch, Q, Window
from django.db.models.signals import post_delete, post_save
from django.urls import reverse
from django.utils import timezone

from livret.people.models import Cohort, Learner, Organisation

from . import compliance, follow_ups
from .models import Contract, FollowUp, LearnerAlert, Period, PeriodContact, Rupture

INLINE = 300  # learners changed by one write and computed again once it is committed
CHUNK = 1000


SHOWN = 50  # alerts per page, by name; a page says how many there are and leads to the next
PAGES = 100_000  # no page number beyond (its offset must fit in a database integer)


@dataclass(frozen=True)
class Shown:
    """A stored alert as a list shows it: plain values, not three model instances per row."""

    learner_id: int
    learner_name: str  # as Learner.full_name writes it
    cohort: str
    kind: str
    message: str
    url: str  # the learner's periods page


class Alerts(list):
    """A page of the alerts a user may see, their total, and the pages around it."""

    total = 0
    first = 0  # the position of the first one shown, from 1 (« alertes 51 à 100 sur 3 334 »)
    last = 0
    previous: int | None = None
    next: int | None = None


def _loaded(ids):
    from livret.referentiels.models import Referentiel

    learners = list(
        Learner.objects.filter(pk__in=ids)
        .select_related("cohort", "company", "tutor", "centre")
        .prefetch_related(
            Prefetch("periods", queryset=Period.objects.select_related("company", "agreement")),
            Prefetch("contracts", queryset=Contract.objects.select_related("company", "rupture")),
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


# Alerts other apps compute on their own data (livret.attendance's dropout alert), stored here
# with these: callables (learner ids, today) → [(learner_id, kind, message)], registered by their
# app's ready(); a kind fits in 20 characters.
SOURCES: list = []


def learners_changed(ids) -> None:
    """Another app's write changed what these learners' alerts say: computed again once it
    commits (more than INLINE: by the scheduler's next run)."""
    _many_changed(Learner.objects.filter(pk__in=list(ids)))


def refresh(ids, today: datetime.date) -> None:
    """Compute and store the alerts of these learners, as of today; an alert that was not
    stored before is sent to the centre's managers and the learner's trainers."""
    rows = []
    learners = _loaded(ids)
    before = set(
        LearnerAlert.objects.filter(learner_id__in=ids).values_list("learner_id", "kind", "message")
    )
    for learner in learners:
        rows += [
            LearnerAlert(learner_id=learner.pk, kind=a.kind, message=a.message)
            for a in compliance.alerts(learner, today)
            if a.kind != "weeks-pending"
        ]
        rows += [
            LearnerAlert(learner_id=learner.pk, kind=kind, message=message)
            for kind, message in follow_ups.overdue(learner, today)
        ]
    for source in SOURCES:
        rows += [
            LearnerAlert(learner_id=lid, kind=kind, message=message)
            for lid, kind, message in source(ids, today)
        ]
    with transaction.atomic():
        LearnerAlert.objects.filter(learner_id__in=ids).delete()
        LearnerAlert.objects.bulk_create(rows, batch_size=1000)
        Learner.objects.filter(pk__in=ids).update(alerts_on=today)
        new = [r for r in rows if (r.learner_id, r.kind, r.message) not in before]
        if new:
            _notify(learners, new)


NOTIFIED_LINES = 20  # a notification lists the first new alerts and says how many more


def _notify(learners, new) -> None:
    """One notification per recipient for this batch: his learners' new alerts."""
    from django.contrib.auth.models import User

    from livret.engine import wording
    from livret.notifications import services as notifications
    from livret.people.models import Profile

    by_learner = {lr.pk: lr for lr in learners}
    cohorts = {lr.cohort_id for lr in by_learner.values()}
    centres = {lr.centre_id for lr in by_learner.values()}
    trainers: dict[int, set[int]] = {}
    for cohort_id, user_id in Cohort.trainers.through.objects.filter(
        cohort_id__in=cohorts
    ).values_list("cohort_id", "user_id"):
        trainers.setdefault(cohort_id, set()).add(user_id)
    managers: dict[int, set[int]] = {}
    for centre_id, user_id in Profile.objects.filter(
        role=Profile.MANAGER, organisation_id__in=centres
    ).values_list("organisation_id", "user_id"):
        managers.setdefault(centre_id, set()).add(user_id)
    lines: dict[int, list] = {}
    for alert in new:
        lr = by_learner[alert.learner_id]
        for user_id in trainers.get(lr.cohort_id, set()) | managers.get(lr.centre_id, set()):
            lines.setdefault(user_id, []).append((lr, alert.message))
    users = User.objects.in_bulk(list(lines))
    for user_id, items in lines.items():
        shown = [f"{lr.last_name.upper()} {lr.first_name} — {msg}" for lr, msg in items]
        more = len(shown) - NOTIFIED_LINES
        body = "\n".join(shown[:NOTIFIED_LINES]) + (f"\n… et {more} autre(s)." if more > 0 else "")
        learners_named = {lr.pk for lr, _ in items}
        url = (
            reverse("learner_periods", args=[items[0][0].pk])
            if len(learners_named) == 1
            else reverse("role_home")
        )
        title = (
            f"Nouvelle alerte : {items[0][0].first_name} {items[0][0].last_name}"
            if len(items) == 1
            else f"{len(items)} nouvelles alertes sur vos "
            + wording.words_for_all({lr.status for lr, _ in items})["learners"]
        )
        notifications.notify([users[user_id]], "alert", title, body, url)


def stale(learners, today):
    return learners.filter(Q(alerts_on__isnull=True) | Q(alerts_on__lt=today))


def refresh_stale(learners, today: datetime.date) -> int:
    """Every learner of `learners` whose alerts are not of `today`, computed again by chunks (each
    its own short transaction): the scheduler's daily work for one centre. → how many."""
    ids = list(stale(learners, today).values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        refresh(ids[start : start + CHUNK], today)
    return len(ids)


def refresh_job(job, progress) -> None:
    """Background job: every stale learner of the centre, by chunks (the bar moves per chunk).
    No page starts it any more (the scheduler does this work); kept so that a job queued by an
    earlier version still runs."""
    today = timezone.localdate()
    ids = list(stale(Learner.objects.filter(centre=job.centre), today).values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        progress(start, len(ids))
        refresh(ids[start : start + CHUNK], today)
    progress(len(ids), len(ids), force=True)


def visible_alerts(learners, page: int = 1) -> Alerts:
    """The stored alerts of these learners: a page of SHOWN, by name, and their total. Reads
    only: a page never computes alerts, writes or starts a job (the scheduler and the writes that
    change a learner's data keep them up to date)."""
    page = min(max(1, page), PAGES)
    start = (page - 1) * SHOWN
    # Read from the learners' side, so that their own conditions (a centre, its cohorts) and their
    # index by centre and name give a page without reading all of a centre's thousands of alerts;
    # only the columns shown, as plain values (three model instances per row were a third of a
    # manager's home). One row more than a page says whether another follows; each row carries
    # the total (a window count, before the LIMIT), so the home pays one query at any size.
    with_alerts = learners.filter(stored_alerts__isnull=False)
    rows = list(
        with_alerts.annotate(total=Window(Count("pk")))
        .order_by("last_name", "first_name", "pk", "stored_alerts__pk")
        .values_list(
            "pk",
            "first_name",
            "last_name",
            "cohort__name",
            "stored_alerts__kind",
            "stored_alerts__message",
            "total",
        )[start : start + SHOWN + 1]
    )
    periods_url = reverse("learner_periods", args=[111111111])
    out = Alerts(
        Shown(
            learner_id=pk,
            learner_name=Learner.full_name.fget(SimpleNamespace(first_name=first, last_name=last)),
            cohort=cohort,
            kind=kind,
            message=message,
            url=periods_url.replace("111111111", str(pk)),
        )
        for pk, first, last, cohort, kind, message, _ in rows[:SHOWN]
    )
    more = len(rows) > SHOWN
    # A page past the last has no row to carry the total: only then is it counted apart.
    out.total = rows[0][-1] if rows else (0 if page == 1 else with_alerts.count())
    out.first, out.last = (start + 1, start + len(out)) if out else (0, 0)
    out.previous = page - 1 if page > 1 else None
    out.next = page + 1 if more else None
    return out


# --- what makes a learner's alerts stale -------------------------------------------------------
# The learners changed in the connection's open transaction, computed again once it commits. One
# set per connection, shared by the callbacks the writes register: the first to run takes them all
# (a transaction writing 500 periods computes its learners once, in one batch). A rolled-back
# transaction leaves its learners in the set: the next commit computes them again from what is
# stored, which changes nothing wrong.
def _changed(ids) -> None:
    conn = transaction.get_connection()
    pending = conn.__dict__.setdefault("livret_alerts_changed", set())
    pending.update(ids)
    transaction.on_commit(partial(_compute_changed, pending), robust=True)


def _compute_changed(pending: set) -> None:
    ids = sorted(pending)
    pending.clear()
    if ids and len(ids) <= INLINE:
        # Only those still stale: a learner deleted, or computed since by another write, is not.
        ids = list(
            Learner.objects.filter(pk__in=ids, alerts_on__isnull=True).values_list("pk", flat=True)
        )
        if ids:
            refresh(ids, timezone.localdate())
    # More than INLINE learners (a cohort of a whole centre changed): the scheduler's next run.


def _learner_changed(sender, instance, **kwargs):
    Learner.objects.filter(pk=instance.learner_id).update(alerts_on=None)
    _changed([instance.learner_id])


def _contract_changed(sender, instance, **kwargs):
    learner_id = Contract.objects.filter(pk=instance.contract_id).values("learner_id")
    Learner.objects.filter(pk__in=learner_id).update(alerts_on=None)
    _changed(list(learner_id.values_list("learner_id", flat=True)))


def _period_changed(sender, instance, **kwargs):
    learner_id = Period.objects.filter(pk=instance.period_id).values("learner_id")
    Learner.objects.filter(pk__in=learner_id).update(alerts_on=None)
    _changed(list(learner_id.values_list("learner_id", flat=True)))


def _many_changed(learners) -> None:
    learners.update(alerts_on=None)
    _changed(learners.order_by().values_list("pk", flat=True)[: INLINE + 1])


def _cohort_changed(sender, instance, **kwargs):
    _many_changed(Learner.objects.filter(cohort_id=instance.pk))


def _centre_changed(sender, instance, **kwargs):
    _many_changed(Learner.objects.filter(centre_id=instance.pk))


def _learner_saved(sender, instance, **kwargs):
    Learner.objects.filter(pk=instance.pk).update(alerts_on=None)
    _changed([instance.pk])


def connect() -> None:
    for model in (Period, Contract, FollowUp):
        post_save.connect(_learner_changed, sender=model, dispatch_uid=f"alerts-{model.__name__}")
        post_delete.connect(
            _learner_changed, sender=model, dispatch_uid=f"alerts-del-{model.__name__}"
        )
    # A rupture or a référent's contact changes what the learner's alerts say.
    post_save.connect(_contract_changed, sender=Rupture, dispatch_uid="alerts-Rupture")
    post_delete.connect(_contract_changed, sender=Rupture, dispatch_uid="alerts-del-Rupture")
    post_save.connect(_period_changed, sender=PeriodContact, dispatch_uid="alerts-PeriodContact")
    post_save.connect(_cohort_changed, sender=Cohort, dispatch_uid="alerts-cohort")
    # The centre's follow-up rhythm is part of what its learners' alerts say.
    post_save.connect(_centre_changed, sender=Organisation, dispatch_uid="alerts-centre")
    post_save.connect(_learner_saved, sender=Learner, dispatch_uid="alerts-learner")
