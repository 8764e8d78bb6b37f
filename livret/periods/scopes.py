"""Who sees which contracts, agreements and follow-ups, and the period alerts of his cohorts."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from livret.access import is_admin, is_manager, visible_cohorts, visible_learners

from . import alerts
from .models import Agreement, Contract, FollowUp


def visible_contracts(user):
    if is_manager(user) or is_admin(user):
        return Contract.objects.filter(learner__in=visible_learners(user))
    return Contract.objects.none()


def visible_agreements(user):
    if is_manager(user) or is_admin(user):
        return Agreement.objects.filter(period__learner__in=visible_learners(user))
    return Agreement.objects.none()


def get_contract_for_user(user, pk):
    return get_object_or_404(visible_contracts(user).select_related("learner", "company"), pk=pk)


def get_follow_up_for_user(user, pk):
    qs = FollowUp.objects.filter(learner__in=visible_learners(user))
    return get_object_or_404(
        qs.select_related("learner__cohort", "learner__centre", "planned_by"), pk=pk
    )


def cohort_alerts(user, page: int = 1):
    """The stored alerts of every learner the user may see in his cohorts (manager and trainer
    pages), a page of them: read, never computed here."""
    learners = visible_learners(user).filter(cohort__in=visible_cohorts(user))
    return alerts.visible_alerts(learners, page)
