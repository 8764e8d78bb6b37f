"""Who sees which exam sessions and CCF situations. An object outside them is a 404."""

from __future__ import annotations

from django.db.models import Q
from django.shortcuts import get_object_or_404

from livret.access import centre_id_of, is_admin, is_exam_admin, is_manager, visible_learners

from .models import CcfSituation, ExamSession


def visible_exam_sessions(user):
    """Exam administrators and managers see their centre's sessions; admins see all."""
    if is_admin(user):
        return ExamSession.objects.all()
    if is_exam_admin(user) or is_manager(user):
        return ExamSession.objects.filter(organiser_id=centre_id_of(user))
    return ExamSession.objects.none()


def get_exam_session_for_user(user, pk):
    return get_object_or_404(
        visible_exam_sessions(user).select_related("referentiel__diploma", "organiser"), pk=pk
    )


def get_ccf_situation_for_user(user, pk):
    """A CCF situation: seen by whoever sees its learner's livret, and by the exam office that
    runs its session."""
    qs = CcfSituation.objects.filter(
        Q(candidate__learner__in=visible_learners(user))
        | Q(candidate__session__in=visible_exam_sessions(user))
    )
    return get_object_or_404(
        qs.select_related(
            "candidate__session__referentiel",
            "candidate__session__organiser",
            "candidate__learner__cohort",
            "assessor",
        ),
        pk=pk,
    )
