"""Who may see and do what — the one place where rights are decided.

Each model has a `visible_*(user)` queryset used by every list and detail view (an object outside it
is a 404), and `rules` predicates name the actions: evaluate, validate a situation, declare one.
"""

from __future__ import annotations

import rules
from django.db.models import QuerySet

from .models import Cohort, Learner, Profile


def role_of(user) -> str | None:
    if not user.is_authenticated:
        return None
    if user.is_superuser:
        return "admin"
    profile = getattr(user, "profile", None)
    return profile.role if profile else None


def _centre_id(user):
    return user.profile.organisation_id


def visible_learners(user) -> QuerySet[Learner]:
    role = role_of(user)
    qs = Learner.objects.all()
    if role == "admin":
        return qs
    if role == Profile.MANAGER:
        return qs.filter(centre_id=_centre_id(user))
    if role == Profile.TRAINER:
        return qs.filter(cohort__trainers=user).distinct()
    if role == Profile.TUTOR:
        return qs.filter(tutor=user)
    if role == Profile.LEARNER:
        return qs.filter(user=user)
    return qs.none()


def visible_cohorts(user) -> QuerySet[Cohort]:
    role = role_of(user)
    qs = Cohort.objects.all()
    if role == "admin":
        return qs
    if role == Profile.MANAGER:
        return qs.filter(centre_id=_centre_id(user))
    if role == Profile.TRAINER:
        return qs.filter(trainers=user)
    return qs.none()


def visible_situations(user):
    from livret.competences.models import Situation

    return Situation.objects.filter(learner__in=visible_learners(user))


@rules.predicate
def is_admin(user, obj=None):
    return role_of(user) == "admin"


@rules.predicate
def teaches_learner(user, learner):
    return role_of(user) == Profile.TRAINER and learner.cohort.trainers.filter(pk=user.pk).exists()


@rules.predicate
def tutors_learner(user, learner):
    return role_of(user) == Profile.TUTOR and learner.tutor_id == user.pk


@rules.predicate
def is_the_learner(user, learner):
    return role_of(user) == Profile.LEARNER and learner.user_id == user.pk


@rules.predicate
def manages_learner(user, learner):
    return role_of(user) == Profile.MANAGER and learner.centre_id == _centre_id(user)


# The seeds' own rule: the livret is "complété par le formateur, accessible pour consultation à la
# fois par le maître d'apprentissage et par l'alternant".
rules.add_perm(
    "livret.view_livret",
    is_admin | manages_learner | teaches_learner | tutors_learner | is_the_learner,
)
rules.add_perm("livret.evaluate", is_admin | teaches_learner)
rules.add_perm("livret.declare_situation", is_the_learner)
rules.add_perm("livret.validate_situation", tutors_learner)
rules.add_perm("livret.turn_situation_into_evaluations", is_admin | teaches_learner)


def visible_exam_sessions(user):
    """Exam administrators and managers see their organisation's sessions; admins see all."""
    from livret.exams.models import ExamSession

    role = role_of(user)
    if role == "admin":
        return ExamSession.objects.all()
    if role in (Profile.EXAM_ADMIN, Profile.MANAGER):
        return ExamSession.objects.filter(organiser_id=_centre_id(user))
    return ExamSession.objects.none()


@rules.predicate
def administers_session(user, session):
    return role_of(user) == Profile.EXAM_ADMIN and session.organiser_id == _centre_id(user)


# Grades are entered and the jury run by the exam administrator (DESIGN.md, roles).
rules.add_perm("livret.manage_exam_session", is_admin | administers_session)


def visible_candidacies(user):
    """A VAE candidate sees his own dossiers; certifier staff those of their diplomas; nobody else."""
    from livret.vae.models import Candidacy

    role = role_of(user)
    if role == "admin":
        return Candidacy.objects.all()
    if role == Profile.CERTIFIER:
        return Candidacy.objects.filter(offer__certifier_id=_centre_id(user)).exclude(
            status=Candidacy.DRAFT
        )
    if user.is_authenticated:
        return Candidacy.objects.filter(candidate=user)
    return Candidacy.objects.none()


@rules.predicate
def owns_candidacy(user, candidacy):
    return candidacy.candidate_id == user.pk


@rules.predicate
def certifies_candidacy(user, candidacy):
    return role_of(user) == Profile.CERTIFIER and candidacy.offer.certifier_id == _centre_id(user)


rules.add_perm("livret.edit_candidacy", owns_candidacy)
rules.add_perm("livret.decide_candidacy", certifies_candidacy)


# Open Badges for blocs: the centre issues and revokes them (its manager, or an admin).
rules.add_perm("livret.issue_credential", is_admin | manages_learner)


# Personal data: the learner downloads his own; the manager does it for him and anonymises.
rules.add_perm("livret.export_personal_data", is_admin | manages_learner | is_the_learner)
rules.add_perm("livret.anonymise_learner", is_admin | manages_learner)


# Periods in company: recorded by the learner's trainers and his centre's manager.
rules.add_perm("livret.record_periods", is_admin | manages_learner | teaches_learner)
