"""Who sees which sessions and attendance: the centre's manager all of his centre's, a trainer
the sessions he gives (and marks only those), a tutor his apprentices' cohorts' sessions, a learner
his cohort's. Anything else is a 404."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

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
    session = access._get(visible_sessions(user).select_related("cohort__centre", "module"), pk=pk)
    if access.is_trainer(user) and not access.is_manager(user):
        # Found among the sessions he gives (visible_sessions: trainers=user): the rule
        # livret.call_roll (access.gives_attendance_session) need not ask the database again.
        session._trainer_ids = {user.pk}
    return session


def marks_session(user, session) -> bool:
    """The trainer of the session, or the manager of its centre, calls its roll (the rule:
    livret.call_roll in livret.access)."""
    return access.can(user, "livret.call_roll", session)


def get_markable_session(user, pk) -> Session:
    """A session the user sees (else 404) and whose roll he calls (else 403)."""
    session = get_session_for_user(user, pk)
    access.require(user, "livret.call_roll", session)
    return session


def get_editable_session(user, pk) -> Session:
    """A session the user sees (else 404) that he may move, cancel or edit (else 403)."""
    session = get_session_for_user(user, pk)
    access.require(user, "livret.edit_session", session)
    return session


def get_planned_cohort(user, pk, *, write=False):
    """A cohort's timetable: its centre's manager plans it; a trainer of the centre reads it
    (404 for everyone else; 403 for a trainer who tries to change it)."""
    if not (access.is_manager(user) or access.is_trainer(user)):
        raise Http404
    cohort = access.get_cohort_for_user(user, pk, related=("centre", "referentiel__diploma"))
    if write:
        access.require(user, "livret.plan_sessions", cohort)
    return cohort


def centre_sessions(user) -> QuerySet[Session]:
    """The manager's centre's sessions (a trainer: his own)."""
    return visible_sessions(user)


def get_learner_for_justification(user, pk):
    """The learner whose justificatif the user sends: himself, or the tutor's apprentice."""
    learner = access.get_learner_for_user(user, pk, related=("cohort", "centre"))
    access.require(user, "livret.send_justification", learner)
    return learner


def decidable_justifications(user) -> QuerySet[Justification]:
    """The justificatifs a centre's manager decides: his centre's (404 for anyone else)."""
    access.require_role(user, access.is_manager)
    return Justification.objects.filter(learner__centre_id=access.centre_id_of(user))


def require_settings(user):
    """The centre's attendance settings: its manager only (404 for anyone else)."""
    access.require_role(user, access.is_manager)
    return access.get_centre_for_user(user)


def visible_justifications(user) -> QuerySet[Justification]:
    return Justification.objects.filter(learner__in=access.visible_learners(user))


def get_justification_for_user(user, pk) -> Justification:
    """A justificatif: its learner, his tutor, his centre's manager (else 404)."""
    qs = visible_justifications(user)
    if not (access.is_manager(user) or access.is_tutor(user) or access.is_learner(user)):
        qs = qs.none()
    return access._get(qs, pk=pk)


def has_feed(user) -> bool:
    """The sessions feed is a trainer's (the sessions he gives) or a learner's (his cohort's)."""
    return bool(access.is_trainer(user) or access.is_learner(user))


def get_feed_owner(token):
    """The owner of a sessions feed's token (the token is the credential), else 404: an unknown
    token, an inactive account, a role without a feed."""
    from .models import FeedToken

    feed = access._get(
        FeedToken.objects.select_related("user__profile"), token=token, user__is_active=True
    )
    if not has_feed(feed.user):
        raise Http404
    return feed.user


def feed_sessions(user) -> QuerySet[Session]:
    return visible_sessions(user).select_related("module", "cohort")
