"""Who sees which situations and evaluations: those of the learners he may see (livret.access).
An object outside them is a 404."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from livret.access import visible_learners

from .models import CompetenceEvaluation, Situation


def visible_situations(user):
    return Situation.objects.filter(learner__in=visible_learners(user))


def visible_evaluations(user):
    return CompetenceEvaluation.objects.filter(learner__in=visible_learners(user))


def get_situation_for_user(user, pk):
    return get_object_or_404(
        visible_situations(user)
        .select_related("learner__cohort", "validated_by", "created_by")
        .prefetch_related("competences", "tasks"),
        pk=pk,
    )


def get_evaluation_for_user(user, pk):
    return get_object_or_404(visible_evaluations(user), pk=pk)
