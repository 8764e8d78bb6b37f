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
    current = fingerprint(learner)
    visa = Visa.objects.create(
        learner=learner,
        signer=user,
        signer_name=user.get_full_name() or user.username,
        role=role,
        fingerprint=current,
    )
    # His own « à votre tour » for this livret is done (the others' stay until they sign).
    notifications.read_once_done("visa", reverse("livret", args=[learner.pk]), [user])
    # « À votre tour » only to the parties who have not signed the livret as it is now.
    waiting = unsigned_parties(learner, current)
    if waiting:
        notifications.notify(
            waiting,
            "visa",
            f"Visa du livret de {learner.first_name} {learner.last_name} : à votre tour",
            f"{visa.signer_name} ({visa.get_role_display().lower()}) a signé le livret.",
            reverse("livret", args=[learner.pk]),
        )
    return visa


def unsigned_parties(learner, current: str) -> list:
    """The triangle's people whose role has no visa on this state of the livret (one trainer's
    visa stands for the trainer's role)."""
    signed = set(
        Visa.objects.filter(learner=learner, fingerprint=current).values_list("role", flat=True)
    )
    parties = [(Visa.TUTOR, learner.tutor), (Visa.APPRENTICE, learner.user)]
    parties += [(Visa.TRAINER, t) for t in learner.cohort.trainers.all()]
    return [u for role, u in parties if u is not None and role not in signed]


def visa_of(user, learner, latest_visas: list[dict]) -> dict | None:
    """The user's role's latest visa, if he is one of the triangle (for « Visé le … »)."""
    role = role_for(user, learner)
    return next((v for v in latest_visas if v["visa"].role == role), None) if role else None


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
    return sorted(out, key=lambda x: ORDER.index(x["visa"].role))


ORDER = [Visa.TRAINER, Visa.TUTOR, Visa.APPRENTICE]


def missing_roles(latest_visas: list[dict]) -> list[tuple[str, str]]:
    """The roles without an up-to-date electronic visa: the printed livret leaves them a box to
    sign by hand, and none when all three signed electronically."""
    done = {v["visa"].role for v in latest_visas if not v["changed"]}
    return [(code, label) for code, label in Visa.ROLES if code not in done]
