"""Who sees which teaching modules (contrôle continu): a cohort's manager and its trainers."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from livret.access import visible_cohorts

from .models import TeachingModule


def visible_modules(user):
    """A cohort's teaching modules: seen by its manager and by the cohort's trainers."""
    return TeachingModule.objects.filter(cohort__in=visible_cohorts(user))


def get_module_for_user(user, pk):
    return get_object_or_404(visible_modules(user).select_related("cohort__centre"), pk=pk)


def get_assessment_for_user(user, module, pk):
    return get_object_or_404(module.assessments.all(), pk=pk)
