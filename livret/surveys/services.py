"""Satisfaction questionnaires: build, send, answer (anonymously), close. Each atomic."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from livret.engine import surveys as engine
from livret.notifications import services as notifications
from livret.people.models import Learner

from .models import Invitation, Response, Survey


@transaction.atomic
def save(form, centre, user) -> Survey:
    """The form has checked the questions (every faulty line named); they are stored parsed."""
    survey = form.save(commit=False)
    if survey.sent_at:
        raise ValidationError("Un questionnaire envoyé ne se modifie plus.")
    survey.centre = centre
    if survey.created_by_id is None:
        survey.created_by = user
    survey.questions = [{"label": q.label, "kind": q.kind} for q in form.cleaned_questions]
    survey.save()
    form.save_m2m()
    return survey


def _recipients(survey) -> list[tuple[int, int]]:
    """(user, cohort) pairs: the cohorts' learners with an account, or their tutors."""
    learners = Learner.objects.filter(cohort__in=survey.cohorts.all())
    if survey.audience == Survey.LEARNERS:
        pairs = learners.filter(user__isnull=False, user__is_active=True).values_list(
            "user_id", "cohort_id"
        )
    else:
        pairs = learners.filter(tutor__isnull=False, tutor__is_active=True).values_list(
            "tutor_id", "cohort_id"
        )
    return sorted(set(pairs))


@transaction.atomic
def send(survey: Survey) -> int:
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.sent_at:
        raise ValidationError("Ce questionnaire a déjà été envoyé.")
    pairs = _recipients(survey)
    if not pairs:
        raise ValidationError(
            "Aucun destinataire : les promotions choisies n'ont pas de "
            + ("compte apprenant." if survey.audience == Survey.LEARNERS else "tuteur.")
        )
    Invitation.objects.bulk_create(
        Invitation(survey=survey, user_id=u, cohort_id=c) for u, c in pairs
    )
    survey.sent_at = timezone.now()
    survey.save(update_fields=["sent_at"])
    from django.contrib.auth.models import User

    users = User.objects.filter(pk__in={u for u, _ in pairs})
    notifications.notify(
        users,
        "survey",
        f"Questionnaire : {survey.title}",
        "Vos réponses sont anonymes ; le centre ne voit que les résultats d'au moins "
        f"{engine.MIN_RESPONDENTS} réponses.",
        reverse("surveys"),
    )
    return len(pairs)


@transaction.atomic
def close(survey: Survey) -> None:
    if not survey.is_open:
        raise ValidationError("Ce questionnaire n'est pas ouvert.")
    survey.closed_at = timezone.now()
    survey.save(update_fields=["closed_at"])


@transaction.atomic
def answer(invitation: Invitation, raw: dict[int, str]) -> None:
    """Store the answers without their author; the invitation only learns it was answered."""
    invitation = (
        Invitation.objects.select_for_update().select_related("survey").get(pk=invitation.pk)
    )
    survey = invitation.survey
    if invitation.answered:
        raise ValidationError("Vous avez déjà répondu à ce questionnaire.")
    if not survey.is_open:
        raise ValidationError("Ce questionnaire est clos.")
    questions = survey.parsed
    answers, errors = engine.check_answers(questions, raw)
    if errors:
        raise ValidationError({f"q{i}": [msg] for i, msg in errors.items()})
    Response.objects.create(
        survey=survey,
        cohort_id=invitation.cohort_id,
        answers=[answers.get(i) for i in range(len(questions))],
    )
    invitation.answered = True
    invitation.save(update_fields=["answered"])
