"""The review (bilan) of a period in company: its grid, the two appraisals, the validation.

The grid's lines are the competences the period's agreement set as objectives (annexe
pédagogique); a period without agreement objectives has a review made of the two appraisals
only — the Bac pro and CAP files give no PFMP evaluation criteria of their own (listed missing)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from livret.competences.models import Context, Level
from livret.engine import review_flow as flow
from livret.lifecycle import attribute, step
from livret.notifications import services as notifications

from .models import Period, PeriodReview

LEVELS = dict(Level.choices)


def criteria(period: Period) -> list[dict]:
    agreement = getattr(period, "agreement", None)
    if agreement is None:
        return []
    return [
        {"competence": c.pk, "code": c.code, "title": c.title, "level": "", "comment": ""}
        for c in agreement.objectives.order_by("position")
    ]


def review_of(period: Period) -> PeriodReview:
    """The saved review, or a blank one on the agreement's objectives (not saved)."""
    try:
        return period.review
    except PeriodReview.DoesNotExist:
        return PeriodReview(period=period, lines=criteria(period))


def review_state(review: PeriodReview) -> str:
    return flow.state_of(review.pk is not None, review.validated_at is not None)


def _take(period: Period, action: str, role: str, user) -> PeriodReview:
    """The period's review, its row locked (the trainer and the tutor saving at once are
    serialised), its step checked by engine/review_flow; attributed to the user."""
    review = PeriodReview.objects.select_for_update().filter(period=period).first()
    if review is None:
        review = PeriodReview(period=period, lines=criteria(period))
    step(flow.MACHINE, review_state(review), action, role)
    return attribute(review, user)


def _lines_with(review: PeriodReview, levels: dict, comments: dict) -> tuple[list, dict]:
    errors: dict[str, list[str]] = {}
    lines = []
    for line in review.lines or criteria(review.period):
        code = line["code"]
        level = levels.get(code, line.get("level", ""))
        if level and level not in LEVELS:
            errors[f"level-{code}"] = [f"niveau « {level} » inconnu pour {code}"]
        lines.append(
            {**line, "level": level, "comment": comments.get(code, line.get("comment", "")).strip()}
        )
    return lines, errors


@transaction.atomic
def save(period: Period, user, levels: dict, comments: dict, pedagogical: str) -> PeriodReview:
    """The trainer's grid and appraisal: every field saved, or none (errors named per field)."""
    review = _take(period, "save", flow.TRAINER, user)
    lines, errors = _lines_with(review, levels, comments)
    if errors:
        raise ValidationError(errors)
    review.lines, review.pedagogical, review.written_by = lines, pedagogical.strip(), user
    review.save()
    return review


@transaction.atomic
def appraise(period: Period, user, text: str) -> PeriodReview:
    """The tutor's appraisal, signed as he saves it; the trainers hear of it."""
    review = _take(period, "appraise", flow.TUTOR, user)
    if not text.strip():
        raise ValidationError({"tutor_appraisal": ["Écrivez votre appréciation de la période."]})
    review.tutor_appraisal, review.tutor, review.tutor_signed_at = (
        text.strip(),
        user,
        timezone.now(),
    )
    review.save()
    learner = period.learner
    notifications.notify_parties(
        learner,
        "follow_up",
        f"Bilan de période : appréciation du tuteur signée — {learner.first_name} "
        f"{learner.last_name}",
        f"{period.company}, du {period.start:%d/%m/%Y} au {period.end:%d/%m/%Y}.",
        reverse("period_review", args=[learner.pk, period.pk]),
        to=[notifications.TRAINERS],
        but=user,
    )
    return review


@transaction.atomic
def validate(period: Period, user) -> int:
    """The trainer closes the review: each rated line becomes a fact of the livret, observed in
    company on the period's last day; the learner hears of them. Returns the number of facts
    recorded."""
    from livret.competences.services import notify_evaluated, record_evaluation
    from livret.referentiels.models import Competence

    review = _take(period, "validate", flow.TRAINER, user)
    blocker = flow.validation_blocker(review.pedagogical, period.end, timezone.localdate())
    if blocker:
        raise ValidationError(blocker)
    rated = [line for line in review.lines if line["level"]]
    competences = Competence.objects.in_bulk([line["competence"] for line in rated])
    facts = [
        record_evaluation(
            learner=period.learner,
            competence=competences[line["competence"]],
            level=line["level"],
            observed_on=period.end,
            evaluator=user,
            context=Context.COMPANY,
            comment=f"{'Bilan de la PFMP' if period.kind == Period.PFMP else 'Bilan du stage'}"
            f" — {period.company}" + (f" : {line['comment']}" if line["comment"] else ""),
        )
        for line in rated
    ]
    review.validated_at = timezone.now()
    review.save()
    notify_evaluated(period.learner, facts)
    return len(facts)
