"""Notify: rows in the caller's transaction, e-mails once it has committed.

An e-mail is a Digest row first, then a message: the notifications it carries are tied to it
before anything is sent, so a run that stops midway sends nothing twice on the next one (a digest
that failed to leave is retried; one that left is never sent again). Its Message-ID is fixed by
its row, so a mail server that sees a retry of the same message can recognise it."""

from __future__ import annotations

import datetime
import logging
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from .kinds import DIGEST, IMMEDIATE, KINDS
from .models import Digest, Notification, Preference

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 5


def notify(recipients, kind: str, title: str, body: str = "", url: str = "") -> list[Notification]:
    users = {u.pk: u for u in recipients if u is not None and u.is_active}
    if not users:
        return []
    chosen = dict(
        Preference.objects.filter(user_id__in=users, kind=kind).values_list("user_id", "mode")
    )
    rows = Notification.objects.bulk_create(
        Notification(
            recipient_id=pk,
            kind=kind,
            title=title[:200],
            body=body,
            url=url,
            mode=chosen.get(pk, KINDS[kind][1]),
        )
        for pk in users
    )
    now = [n.pk for n in rows if n.mode == IMMEDIATE and users[n.recipient_id].email]
    if now:
        from .tasks import send_now

        transaction.on_commit(partial(send_now.enqueue, now))
    return rows


BATCH = 500  # digests bundled in one transaction; each is then sent and marked on its own


# The parties of a learner's alternance, as callers name them in `notify_parties(to=...)`.
TUTOR, LEARNER, TRAINERS = "tutor", "learner", "trainers"
TRIANGLE = (TUTOR, LEARNER, TRAINERS)


def parties(learner, to=TRIANGLE, but=None) -> list:
    """The accounts of the named parties of the learner (his tutor, himself, his cohort's
    trainers), each once, without the one who acted (he knows what he just did)."""
    unknown = set(to) - set(TRIANGLE)
    if unknown:
        raise ValueError(f"unknown parties: {sorted(unknown)}")
    people = []
    if TUTOR in to:
        people.append(learner.tutor)
    if LEARNER in to:
        people.append(learner.user)
    if TRAINERS in to:
        people += learner.cohort.trainers.all()
    seen, chosen = {but.pk} if but is not None else set(), []
    for u in people:
        if u is not None and u.pk not in seen:
            seen.add(u.pk)
            chosen.append(u)
    return chosen


def triangle(learner, but=None) -> list:
    """The learner's alternance parties (tutor, himself, his cohort's trainers), but the one who
    acted: whom a step of his livret concerns."""
    return parties(learner, TRIANGLE, but)


def notify_parties(
    learner, kind: str, title: str, body: str = "", url: str = "", *, to=TRIANGLE, but=None
) -> list[Notification]:
    """Tell the named parties of a learner's livret (all three by default) of a step, never the
    one who took it: the one helper behind every « notify the learner / tutor / trainers »."""
    return notify(parties(learner, to, but), kind, title, body, url)


def _bundle_batch(by_user: dict[int, list]) -> list[Digest]:
    """One transaction ties a batch of users' waiting notifications to one digest each (the
    rows are locked: a concurrent run finds them taken); sending comes after the commit."""
    from django.db.models import Case, IntegerField, Prefetch, When

    with transaction.atomic():
        free: dict[int, list] = {}
        for pk, user_id in (
            Notification.objects.select_for_update()
            .filter(pk__in=[pk for ids in by_user.values() for pk in ids], digest__isnull=True)
            .values_list("pk", "recipient_id")
        ):
            free.setdefault(user_id, []).append(pk)
        if not free:
            return []
        digests = Digest.objects.bulk_create(Digest(recipient_id=u) for u in free)
        of_user = {d.recipient_id: d.pk for d in digests}
        Notification.objects.filter(pk__in=[pk for ids in free.values() for pk in ids]).update(
            digest=Case(
                *[When(recipient_id=u, then=of_user[u]) for u in free],
                output_field=IntegerField(),
            )
        )
    notes = Notification.objects.order_by("created_at", "pk")
    return list(
        Digest.objects.filter(pk__in=of_user.values())
        .select_related("recipient")
        .prefetch_related(Prefetch("notifications", queryset=notes))
    )


def _message(digest: Digest) -> EmailMessage:
    # Prefetched for a batch of digests; ordered here so that the prefetch serves.
    items = sorted(digest.notifications.all(), key=lambda n: (n.created_at, n.pk))
    user = digest.recipient
    site = settings.SITE_URL.rstrip("/")
    if len(items) == 1:
        subject = f"Livret : {items[0].title}"
    else:
        subject = f"Livret : votre récapitulatif ({len(items)} nouvelles)"
    lines = [f"Bonjour {user.get_full_name() or user.username},", ""]
    for n in items:
        lines.append(f"- {n.title}")
        if n.body:
            lines.append(f"  {n.body}")
        if n.url:
            lines.append(f"  {site}{n.url}")
    lines += [
        "",
        f"Toutes vos notifications : {site}/notifications/",
        f"Choisir ce que vous recevez et quand : {site}/notifications/preferences/",
    ]
    domain = site.split("://", 1)[-1].split("/")[0].split(":")[0] or "livret.local"
    return EmailMessage(
        subject,
        "\n".join(lines),
        settings.DEFAULT_FROM_EMAIL,
        [user.email],
        headers={"Message-ID": f"<livret-digest-{digest.pk}@{domain}>"},
    )


def deliver(digest: Digest) -> bool:
    digest.attempts += 1
    try:
        _message(digest).send()
    except Exception as exc:  # the mail server refused or was unreachable: retried next run
        logger.warning("digest %s not sent: %s", digest.pk, exc)
        digest.error = str(exc)[:500]
        digest.save(update_fields=["attempts", "error"])
        return False
    digest.sent_at, digest.error = timezone.now(), ""
    digest.save(update_fields=["attempts", "sent_at", "error"])
    return True


def send_immediate(ids) -> int:
    by_user: dict[int, list] = {}
    for pk, user_id in Notification.objects.filter(pk__in=ids, digest__isnull=True).values_list(
        "pk", "recipient_id"
    ):
        by_user.setdefault(user_id, []).append(pk)
    return sum(deliver(digest) for digest in _bundle_batch(by_user))


def send_digests() -> dict:
    """`livret notify`: each user's waiting digest notifications in one e-mail; then the e-mails
    that failed before. Run it twice: the second run sends nothing."""
    # Left unsent by a failure or a stop, and old enough that no sender is still on it.
    before = timezone.now() - datetime.timedelta(minutes=10)
    retried = sum(
        deliver(d)
        for d in Digest.objects.filter(
            sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS, created_at__lt=before
        ).select_related("recipient")
    )
    waiting = (
        Notification.objects.filter(mode=DIGEST, digest__isnull=True)
        .exclude(recipient__email="")
        .order_by("recipient_id", "pk")
        .values_list("pk", "recipient_id")
    )
    by_user: dict[int, list] = {}
    for pk, user_id in waiting:
        by_user.setdefault(user_id, []).append(pk)
    users, sent = list(by_user), 0
    for start in range(0, len(users), BATCH):
        for digest in _bundle_batch({u: by_user[u] for u in users[start : start + BATCH]}):
            sent += deliver(digest)
    return {"sent": sent, "retried": retried}


def read_once_done(kind: str, url: str, recipients=None) -> int:
    """A notification that asked for an act on one object (« situation à valider », « à votre
    tour » for a visa) is read once that act is done: it no longer reads « nouveau ». The object
    is its address; `recipients` narrows it to those who acted (a visa is each one's own)."""
    rows = Notification.objects.filter(kind=kind, url=url, read_at__isnull=True)
    if recipients is not None:
        rows = rows.filter(recipient__in=recipients)
    return rows.update(read_at=timezone.now())


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


@transaction.atomic
def save_preferences(user, choices: dict) -> None:
    for kind, mode in choices.items():
        Preference.objects.update_or_create(user=user, kind=kind, defaults={"mode": mode})
