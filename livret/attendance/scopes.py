"""Who sees which sessions and attendance: the centre's manager all of his centre's, a trainer
the sessions he gives (and marks only those), a tutor his apprentices' cohorts' sessions, a learner
his cohort's. Anything else is a 404."""

from __future__ import annotations

from django.db.models import QuerySet

from livret import access

from .models import Justification, Session


def visible_sessions(user) -> QuerySet[Session]:
    qs = Session.objects.all()
    if not user.is_authenticated or access.is_admin(user):
        return qs.none()
    centre = access.centre_id_of(user)
    if access.is_manager(user):
        return qs.filter(cohort__centre_id=centre)
    if access.is_trainer(user):
        return qs.filter(trainers=user, cohort__centre_id=centre)
    if access.is_tutor(user):
        return qs.filter(cohort__learners__tutor=user).distinct()
    if access.is_learner(user):
        return qs.filter(cohort__learners__user=user)
    return qs.none()


def get_session_for_user(user, pk) -> Session:
    return access._get(visible_sessions(user).select_related("cohort__centre", "module"), pk=pk)


def marks_session(user, session) -> bool:
    """The trainer of the session, or the manager of its centre, calls its roll."""
    if access.is_manager(user):
        return session.cohort.centre_id == access.centre_id_of(user)
    if access.is_trainer(user):
        return session.trainers.filter(pk=user.pk).exists()
    return False


def visible_justifications(user) -> QuerySet[Justification]:
    return Justification.objects.filter(learner__in=access.visible_learners(user))
