"""Visas of the livret: the trainer, the tutor and the apprentice sign what they read.

The fingerprint is a SHA-256 of the livret's content in a canonical form (every evaluation fact,
every tutor appraisal, every situation and its state): any later change gives another one, and
the page says the livret changed since the visa. Each person signs in his own role only, as
the access module says it is his (trainer of the cohort, tutor, the apprentice himself)."""

from __future__ import annotations

import hashlib
import json

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse

from livret import access
from livret.notifications import services as notifications

from .models import CompetenceEvaluation, Situation, TutorAppraisal, Visa


def fingerprint(learner) -> str:
    content = {
        "learner": learner.pk,
        "evaluations": list(
            CompetenceEvaluation.objects.filter(learner=learner)
            .order_by("pk")
            .values_list("pk", "competence_id", "level", "observed_on", "evaluator_id")
        ),
        "appraisals": list(
            TutorAppraisal.objects.filter(learner=learner)
            .order_by("pk")
            .values_list("pk", "competence_id", "level", "observed_on", "tutor_id")
        ),
        "situations": list(
            Situation.objects.filter(learner=learner)
            .order_by("pk")
            .values_list("pk", "state", "title", "description", "occurred_on")
        ),
    }
    text = json.dumps(content, default=str, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def role_for(user, learner) -> str | None:
    if access.teaches_learner(user, learner):
        return Visa.TRAINER
    if access.tutors_learner(user, learner):
        return Visa.TUTOR
    if access.is_the_learner(user, learner):
        return Visa.APPRENTICE
    return None


@transaction.atomic
def sign(learner, user) -> Visa:
    role = role_for(user, learner)
    if role is None:  # nobody signs for another, nor in a role that is not his
        raise PermissionDenied
    visa = Visa.objects.create(
        learner=learner,
        signer=user,
        signer_name=user.get_full_name() or user.username,
        role=role,
        fingerprint=fingerprint(learner),
    )
    notifications.notify(
        notifications.triangle(learner, but=user),
        "visa",
        f"Visa du livret de {learner.first_name} {learner.last_name} : à votre tour",
        f"{visa.signer_name} ({visa.get_role_display().lower()}) a signé le livret.",
        reverse("livret", args=[learner.pk]),
    )
    return visa


def latest(learner) -> list[dict]:
    """Each role's latest visa, and whether the livret changed since."""
    current = None
    out = []
    seen = set()
    for v in Visa.objects.filter(learner=learner):
        if v.role in seen:
            continue
        seen.add(v.role)
        current = current or fingerprint(learner)
        out.append({"visa": v, "changed": v.fingerprint != current})
    order = [Visa.TRAINER, Visa.TUTOR, Visa.APPRENTICE]
    return sorted(out, key=lambda x: order.index(x["visa"].role))
