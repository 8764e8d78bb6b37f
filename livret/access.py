"""Who may see and do what — the one place where rights are decided.

Many centres share one instance, so every read starts from a `visible_*(user)` queryset and every
object comes from a `get_<thing>_for_user(user, pk)`: an object outside the user's rights is a 404
(its existence is not leaked). This module holds the people-level scopes (learners, cohorts,
companies, tutors, staff, jobs, notifications); each app holds those of its own objects in its
`scopes.py` (livret.competences.scopes …), built on these. Acting on an object one may see is checked with `require(user,
perm, obj)`: a refusal is a 403. A page reserved to a role answers 404 to everyone else
(`require_role`). Roles are `rules` predicates, registered when the app loads (`register`).

Views, API endpoints, downloads and commands call this module; nothing else decides a right.
"""

from __future__ import annotations

import rules
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from livret.people.models import Cohort, Learner, Organisation, Profile

ADMIN = "admin"


# --- who is who ----------------------------------------------------------------------------------
def role_of(user) -> str | None:
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return ADMIN
    profile = getattr(user, "profile", None)
    return profile.role if profile else None


def centre_id_of(user) -> int | None:
    """The centre a user works for; a tutor's is the centre that registered his company."""
    cached = getattr(user, "_livret_centre_id", False)
    if cached is not False:
        return cached
    profile = getattr(user, "profile", None) if user.is_authenticated else None
    centre = None
    if profile is not None:
        if profile.role == Profile.TUTOR:
            centre = (
                Organisation.objects.filter(pk=profile.organisation_id)
                .values_list("centre_id", flat=True)
                .first()
            )
        else:
            centre = profile.organisation_id
    user._livret_centre_id = centre
    return centre


def _role_predicate(role):
    @rules.predicate(name=f"is_{role}")
    def check(user, obj=None):
        return role_of(user) == role

    return check


is_admin = _role_predicate(ADMIN)
is_manager = _role_predicate(Profile.MANAGER)
is_trainer = _role_predicate(Profile.TRAINER)
is_tutor = _role_predicate(Profile.TUTOR)
is_learner = _role_predicate(Profile.LEARNER)
is_exam_admin = _role_predicate(Profile.EXAM_ADMIN)
is_certifier = _role_predicate(Profile.CERTIFIER)
is_vae_guide = _role_predicate(Profile.VAE_GUIDE)
is_centre_staff = is_manager | is_trainer | is_exam_admin
# Who uses the API, through a tool of his own: the staff roles (a centre's team, the certifier,
# the VAE guide, the platform's administrator). Apprentices, tutors and VAE candidates do not.
uses_api_tokens = is_admin | is_centre_staff | is_certifier | is_vae_guide


@rules.predicate
def teaches_learner(user, learner):
    if not is_trainer(user):
        return False
    # A page asks several times (may he read, evaluate, sign?): the cohort's trainers are read
    # once per learner object, that is once per request.
    ids = getattr(learner, "_trainer_ids", None)
    if ids is None:
        ids = learner._trainer_ids = set(learner.cohort.trainers.values_list("pk", flat=True))
    return user.pk in ids


@rules.predicate
def tutors_learner(user, learner):
    return is_tutor(user) and learner.tutor_id == user.pk


@rules.predicate
def tutors_period(user, period):
    """The tutor named on the period, or the learner's own tutor (the same company, usually)."""
    return is_tutor(user) and user.pk in (period.tutor_id, period.learner.tutor_id)


@rules.predicate
def is_the_learner(user, learner):
    return is_learner(user) and learner.user_id == user.pk


@rules.predicate
def manages_learner(user, learner):
    return is_manager(user) and learner.centre_id == centre_id_of(user)


@rules.predicate
def teaches_module(user, module):
    if not is_trainer(user):
        return False
    ids = getattr(module, "_trainer_ids", None)
    if ids is None:
        ids = module._trainer_ids = set(module.trainers.values_list("pk", flat=True))
    return user.pk in ids and module.cohort.centre_id == centre_id_of(user)


@rules.predicate
def manages_cohort(user, cohort):
    return is_manager(user) and cohort.centre_id == centre_id_of(user)


@rules.predicate
def administers_session(user, session):
    return is_exam_admin(user) and session.organiser_id == centre_id_of(user)


@rules.predicate
def owns_candidacy(user, candidacy):
    return candidacy.candidate_id == user.pk


@rules.predicate
def guides_candidacy(user, candidacy):
    return is_vae_guide(user) and candidacy.guide_id == user.pk


@rules.predicate
def certifies_candidacy(user, candidacy):
    return is_certifier(user) and candidacy.offer.certifier_id == centre_id_of(user)


@rules.predicate
def gives_attendance_session(user, session):
    """A trainer named on a séance of his centre's timetable (livret.attendance.Session)."""
    if not is_trainer(user):
        return False
    ids = getattr(session, "_trainer_ids", None)
    if ids is None:
        ids = session._trainer_ids = set(session.trainers.values_list("pk", flat=True))
    return user.pk in ids and session.cohort.centre_id == centre_id_of(user)


@rules.predicate
def manages_attendance_session(user, session):
    return is_manager(user) and session.cohort.centre_id == centre_id_of(user)


def register() -> None:
    """Name every action; called once when the app registry is ready (livret.web.apps)."""
    perms = {
        # The seeds' own rule: the livret is "complété par le formateur, accessible pour
        # consultation à la fois par le maître d'apprentissage et par l'alternant".
        "livret.view_livret": is_admin
        | manages_learner
        | teaches_learner
        | tutors_learner
        | is_the_learner,
        "livret.evaluate": is_admin | teaches_learner,
        "livret.declare_situation": is_the_learner,
        "livret.validate_situation": tutors_learner,
        # The maître d'apprentissage appraises what he saw in company, beside the trainer.
        "livret.appraise": tutors_learner,
        "livret.turn_situation_into_evaluations": is_admin | teaches_learner,
        # Grades are entered and the jury run by the exam administrator (DESIGN.md, roles).
        "livret.manage_exam_session": is_admin | administers_session,
        "livret.edit_candidacy": owns_candidacy,
        "livret.decide_candidacy": certifies_candidacy,
        # The accompagnateur comments the files of the candidates who chose him, nothing more.
        "livret.comment_candidacy": guides_candidacy,
        # R. 6412-3: the candidate or his accompagnateur deposits the feasibility file.
        "livret.submit_candidacy": owns_candidacy | guides_candidacy,
        # Open Badges for blocs: the centre issues and revokes them (its manager, or an admin).
        "livret.issue_credential": is_admin | manages_learner,
        # Personal data: the learner downloads his own; the manager does it for him and anonymises.
        "livret.export_personal_data": is_admin | manages_learner | is_the_learner,
        "livret.anonymise_learner": is_admin | manages_learner,
        # Periods in company: recorded by the learner's trainers and his centre's manager.
        "livret.record_periods": is_admin | manages_learner | teaches_learner,
        # Visits and interviews are planned and reported by the learner's trainers.
        "livret.follow_up": is_admin | teaches_learner,
        "livret.countersign_follow_up": tutors_learner | is_the_learner,
        # The .ics address opens the calendar without login: only its learner sees and renews it.
        "livret.own_calendar": is_the_learner,
        # A period's review: its trainer rates and validates (livret.follow_up), its tutor appraises.
        "livret.appraise_period": tutors_period,
        # Contrôle continu: the manager sets a cohort's modules and who teaches them; each
        # module's trainers create its assessments, type its marks and write the appreciations.
        "livret.manage_modules": is_admin | manages_cohort,
        "livret.mark_module": is_admin | teaches_module,
        # Bac pro ARI: the head of the establishment decides after the conseil restreint.
        "livret.decide_ari": is_admin | manages_cohort,
        # CCF situations are run by the learner's trainers; the exam office reports the grade.
        "livret.run_ccf": is_admin | teaches_learner,
        # The centre's own records (people, cohorts, companies, contracts, settings).
        "livret.manage_centre": is_manager,
        "livret.import_data": is_manager,
        # Le fil du livret: the three parties write; the centre's manager reads (not the platform
        # administrator: he has the admin site).
        "livret.read_thread": manages_learner | teaches_learner | tutors_learner | is_the_learner,
        "livret.write_thread": teaches_learner | tutors_learner | is_the_learner,
        # The référentiel workshop: the platform's operators and each centre's manager (what
        # each sees: livret.workshop.scopes).
        "livret.use_workshop": is_admin | is_manager,
        # Moving a cohort to another version of its référentiel (livret.workshop.moves).
        "livret.move_cohort": is_admin | manages_cohort,
        # Attendance (issue 22): the trainer of a séance, or his centre's manager, calls its roll
        # and signs its sheet; the manager alone plans the timetable, decides justificatifs and
        # sets the centre's thresholds; the learner or his tutor sends a justificatif.
        "livret.call_roll": manages_attendance_session | gives_attendance_session,
        "livret.plan_sessions": manages_cohort,
        "livret.edit_session": manages_attendance_session,
        "livret.send_justification": tutors_learner | is_the_learner,
        "livret.decide_justification": manages_learner,
        "livret.attendance_settings": is_manager,
    }
    for name, predicate in perms.items():
        if rules.perm_exists(name):
            rules.remove_perm(name)
        rules.add_perm(name, predicate)


def can(user, perm: str, obj=None) -> bool:
    # rules.has_perm, not user.has_perm: a superuser must not validate a tutor's situation
    # or declare one for a learner just because Django grants him every permission.
    return rules.has_perm(perm, user, obj)


def require(user, perm: str, obj=None) -> None:
    """Seeing `obj` was already checked (404 otherwise); acting on it is a 403 when refused."""
    if not can(user, perm, obj):
        raise PermissionDenied


def require_role(user, predicate) -> None:
    """A page of one role only: everyone else gets a 404, as for an object he may not see."""
    if not predicate(user):
        raise Http404


# --- what each user may see ----------------------------------------------------------------------
def visible_learners(user) -> QuerySet[Learner]:
    qs = Learner.objects.all()
    if is_admin(user):
        return qs
    if is_manager(user):
        return qs.filter(centre_id=centre_id_of(user))
    if is_trainer(user):
        return qs.filter(cohort__trainers=user, centre_id=centre_id_of(user)).distinct()
    if is_tutor(user):
        return qs.filter(tutor=user)
    if is_learner(user):
        return qs.filter(user=user)
    return qs.none()


def visible_cohorts(user) -> QuerySet[Cohort]:
    qs = Cohort.objects.all()
    if is_admin(user):
        return qs
    if is_manager(user):
        return qs.filter(centre_id=centre_id_of(user))
    if is_trainer(user):
        return qs.filter(trainers=user, centre_id=centre_id_of(user))
    return qs.none()


def centre_cohorts(user) -> QuerySet[Cohort]:
    """Every cohort of the user's centre (exam registration), whoever teaches it."""
    if is_admin(user):
        return Cohort.objects.all()
    return Cohort.objects.filter(centre_id=centre_id_of(user))


def visible_companies(user) -> QuerySet[Organisation]:
    """Host companies registered by the user's centre (another centre's list stays its own)."""
    qs = Organisation.objects.filter(kind=Organisation.COMPANY)
    if is_admin(user):
        return qs
    if is_centre_staff(user):
        return qs.filter(centre_id=centre_id_of(user))
    return qs.none()


def visible_tutors(user):
    """Accounts of the tutors of the user's centre's companies."""
    from django.contrib.auth import get_user_model

    qs = get_user_model().objects.filter(profile__role=Profile.TUTOR)
    if is_admin(user):
        return qs
    if is_centre_staff(user):
        return qs.filter(profile__organisation__centre_id=centre_id_of(user))
    return qs.none()


STAFF_ROLES = (Profile.MANAGER, Profile.TRAINER, Profile.EXAM_ADMIN)


def visible_staff(user):
    """The centre's own team (managers, trainers, exam administrators), for its managers."""
    from django.contrib.auth import get_user_model

    qs = get_user_model().objects.filter(profile__role__in=STAFF_ROLES)
    if is_admin(user):
        return qs
    if is_manager(user):
        return qs.filter(profile__organisation_id=centre_id_of(user))
    return qs.none()


def centre_trainers(user):
    return visible_staff(user).filter(profile__role=Profile.TRAINER)


def assignable_roles(user) -> list[tuple[str, str]]:
    """Roles a manager may give: those of his centre's team, never above his own (no certifier,
    no platform administrator)."""
    if not (is_manager(user) or is_admin(user)):
        return []
    return [(r, label) for r, label in Profile.ROLES if r in STAFF_ROLES]


def visible_notifications(user):
    """Notifications are read by their recipient only."""
    from livret.notifications.models import Notification

    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user)


def visible_jobs(user):
    """A background job is seen by the one who asked for it, and by no one else."""
    from livret.jobs.models import Job

    return Job.objects.filter(requested_by=user) if user.is_authenticated else Job.objects.none()


# --- one object, or a 404 ----------------------------------------------------------------------
def _get(qs, **lookup):
    return get_object_or_404(qs, **lookup)


def get_learner_for_user(user, pk, *, related=("cohort__referentiel", "centre")):
    return _get(visible_learners(user).select_related(*related), pk=pk)


def get_cohort_for_user(user, pk, *, related=("referentiel__diploma", "centre")):
    return _get(visible_cohorts(user).select_related(*related), pk=pk)


def get_company_for_user(user, pk):
    return _get(visible_companies(user), pk=pk)


def get_tutor_for_user(user, pk):
    return _get(visible_tutors(user).select_related("profile__organisation"), pk=pk)


def get_staff_for_user(user, pk):
    return _get(visible_staff(user).select_related("profile"), pk=pk)


def get_job_for_user(user, pk):
    return _get(visible_jobs(user), pk=pk)


def visible_centre_learners(user) -> QuerySet[Learner]:
    """Learners a manager edits in the centre's records (the livret rights are separate)."""
    if is_manager(user) or is_admin(user):
        return visible_learners(user)
    return Learner.objects.none()


def visible_centre_cohorts(user) -> QuerySet[Cohort]:
    if is_manager(user) or is_admin(user):
        return visible_cohorts(user)
    return Cohort.objects.none()


def get_centre_for_user(user) -> Organisation:
    """The manager's own centre (its settings page)."""
    require_role(user, is_manager)
    return Organisation.objects.get(pk=centre_id_of(user))


def centre_for_operator(query: str) -> Organisation | None:
    """A centre named (or numbered) on the command line. Commands are run by the platform's
    operators, who act for every centre; a host company is never a centre."""
    qs = Organisation.objects.filter(centre__isnull=True).exclude(kind=Organisation.COMPANY)
    found = qs.filter(name=query).first()
    # ASCII digits only: str.isdigit() accepts « ² », which int() refuses.
    if found is None and query.isascii() and query.isdigit():
        found = qs.filter(pk=int(query)).first()
    return found


def centre_of(user) -> Organisation | None:
    """The user's own centre (header: its name and logo), or None — one query, cached."""
    if not user.is_authenticated:
        return None
    if hasattr(user, "_livret_centre"):
        return user._livret_centre
    profile = getattr(user, "profile", None)
    centre = None
    if profile is not None and profile.role != Profile.CERTIFIER:
        if profile.role == Profile.TUTOR:
            centre = Organisation.objects.filter(companies__pk=profile.organisation_id).first()
        else:
            centre = Organisation.objects.filter(pk=profile.organisation_id).first()
    user._livret_centre = centre
    return centre
