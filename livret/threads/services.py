"""Writing in the thread, and reading it: each action one transaction, attributed and dated.

A message is written once and never edited. Its writer has read the thread up to it; the other
parties (the learner, his tutor, his cohort's trainers, not the writer) are notified — rows in
this transaction, the e-mails once it has committed (livret.notifications.services.notify)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from livret import access
from livret.notifications import services as notifications
from livret.notifications.models import Notification

from .models import MAX_LENGTH, Message, ReadMark

KIND = "thread"


def role_in_thread(user, learner) -> str | None:
    """The part a user writes in, or None if he may not write in this thread."""
    if access.is_the_learner(user, learner):
        return Message.LEARNER
    if access.tutors_learner(user, learner):
        return Message.TUTOR
    if access.teaches_learner(user, learner):
        return Message.TRAINER
    return None


def _check_subject(learner, subject):
    """(competence, situation, period) from an optional (kind, object), of this learner only."""
    competence = situation = period = None
    if subject is None:
        return competence, situation, period
    kind, obj = subject
    if kind == "competence" and obj.referentiel_id == learner.cohort.referentiel_id:
        competence = obj
    elif kind == "situation" and obj.learner_id == learner.pk:
        situation = obj
    elif kind == "period" and obj.learner_id == learner.pk:
        period = obj
    else:
        raise ValidationError("Ce sujet n'est pas dans ce livret.", code="subject")
    return competence, situation, period


@transaction.atomic
def post_message(learner, author, text: str, subject=None) -> Message:
    role = role_in_thread(author, learner)
    if role is None:
        raise PermissionDenied
    text = (text or "").strip()
    if not text:
        raise ValidationError("Écrivez votre message (il est vide).", code="empty")
    if len(text) > MAX_LENGTH:
        raise ValidationError(
            f"Un message tient en {MAX_LENGTH} caractères au plus.", code="too_long"
        )
    competence, situation, period = _check_subject(learner, subject)
    message = Message.objects.create(
        learner=learner,
        author=author,
        author_role=role,
        text=text,
        competence=competence,
        situation=situation,
        period=period,
    )
    # Writing is reading: the writer has seen the thread up to his own message.
    _move_mark(learner, author, message.pk)
    _read_notifications(learner, author)
    name = author.get_full_name() or author.username
    excerpt = text if len(text) <= 300 else text[:299].rstrip() + "…"
    notifications.notify(
        notifications.triangle(learner, but=author),
        KIND,
        f"Fil du livret de {learner.first_name} {learner.last_name} : message de {name}",
        excerpt,
        reverse("thread", args=[learner.pk]),
    )
    return message


def _move_mark(learner, user, up_to: int) -> None:
    """The reader's mark goes forward, never back (an older page read later changes nothing)."""
    moved = ReadMark.objects.filter(learner=learner, user=user, read_up_to__lt=up_to).update(
        read_up_to=up_to, read_at=timezone.now()
    )
    if not moved:
        ReadMark.objects.get_or_create(learner=learner, user=user, defaults={"read_up_to": up_to})


def _read_notifications(learner, user) -> None:
    Notification.objects.filter(
        recipient=user,
        kind=KIND,
        url=reverse("thread", args=[learner.pk]),
        read_at__isnull=True,
    ).update(read_at=timezone.now())


def mark_read(learner, user, up_to: int, seen: int = 0) -> None:
    """The user has seen the thread up to message `up_to` (his mark was at `seen`): his mark moves
    there, and the thread's notifications he had not opened are read (their object has been
    seen). Nothing new since his last visit: nothing to write."""
    if up_to <= seen:
        return
    with transaction.atomic():
        _move_mark(learner, user, up_to)
        _read_notifications(learner, user)
