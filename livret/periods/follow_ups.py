"""Company visits and entretiens de progrès: planned, reported, countersigned; overdue ones show
in the alerts at the rhythm the centre sets (no text found gives one: see the centre settings)."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from livret import access
from livret.engine import wording
from livret.notifications import services as notifications
from livret.people.models import Learner

from .models import FollowUp

ALTERNANCE = (Learner.APPRENTICE, Learner.PROFESSIONALISATION)


@transaction.atomic
def plan(form, learner, user) -> FollowUp:
    fu = form.save(commit=False)
    fu.learner, fu.planned_by = learner, user
    fu.save()
    notifications.notify_parties(
        fu.learner,
        "follow_up",
        f"{fu.get_kind_display()} prévue le {fu.planned_on:%d/%m/%Y} — "
        f"{learner.first_name} {learner.last_name}",
        f"{fu.get_mode_display()}{f' : {fu.place}' if fu.place else ''}.",
        reverse("follow_up", args=[fu.pk]),
        but=user,
    )
    return fu


@transaction.atomic
def report(form, user) -> FollowUp:
    fu = form.save(commit=False)
    fu.reported_by, fu.reported_at = user, timezone.now()
    # A new report asks the tutor and the apprentice to read it again.
    fu.tutor_signed_at = fu.apprentice_signed_at = None
    fu.save()
    form.save_m2m()
    notifications.notify_parties(
        fu.learner,
        "follow_up",
        f"Compte rendu à lire et contresigner : {fu.get_kind_display().lower()} du "
        f"{fu.held_on:%d/%m/%Y}",
        f"{fu.learner.first_name} {fu.learner.last_name}.",
        reverse("follow_up", args=[fu.pk]),
        but=user,
    )
    return fu


@transaction.atomic
def countersign(fu: FollowUp, user) -> FollowUp:
    """The tutor or the apprentice, each for himself, once the report is written."""
    if not fu.reported_at:
        raise ValidationError("Le compte rendu n'est pas encore rédigé.")
    if access.tutors_learner(user, fu.learner):
        fu.tutor_signed_at = timezone.now()
    elif access.is_the_learner(user, fu.learner):
        fu.apprentice_signed_at = timezone.now()
    else:
        raise PermissionDenied
    fu.save()
    return fu


def overdue(learner, today: datetime.date) -> list[tuple[str, str]]:
    """(kind, message) for each follow-up the centre's rhythm says is due.

    Needs learner.centre and learner.follow_ups loaded (prefetched for a whole centre)."""
    if learner.status not in ALTERNANCE:
        return []
    centre = learner.centre
    out = []
    for kind, label, weeks in (
        (FollowUp.VISIT, "visite en entreprise", centre.visit_every_weeks),
        (FollowUp.INTERVIEW, "entretien de progrès", centre.interview_every_weeks),
    ):
        if not weeks:
            continue
        held = [f.held_on for f in learner.follow_ups.all() if f.kind == kind and f.held_on]
        since = max(held) if held else learner.contract_start
        if since is None or since > today:
            continue
        if (today - since).days > 7 * weeks:
            start = wording.word(learner.status, "engagement_start")
            what = "dernière" if held else f"aucune depuis {start}, le"
            out.append(
                (
                    "follow_up",
                    f"{label.capitalize()} en retard : {what} {since:%d/%m/%Y} "
                    f"(le centre en prévoit une toutes les {weeks} semaines).",
                )
            )
    return out
