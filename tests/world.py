"""Shared fixtures (loaded by tests/conftest.py): a small world with two centres, for the livret tests: who is who is spelled out here."""

import datetime
from dataclasses import dataclass

import pytest
from django.conf import settings

from livret.competences.services import record_evaluation
from livret.exams.models import ExamSession
from livret.exams.services import register_cohort
from livret.people.models import Cohort, Learner, Organisation, Profile
from livret.referentiels.loader import load_files
from livret.referentiels.models import Competence

PASSWORD = "mot-de-passe-de-test-2026"


@dataclass
class World:
    ref: object
    users: dict
    cohort_a: Cohort
    cohort_b: Cohort
    learner1: Learner
    learner2: Learner
    learner_b: Learner
    competence: Competence
    evaluation: object
    situation: object


@pytest.fixture
def mos(db):
    return load_files([settings.REFERENTIEL_DIR / "bts-mos_2026-11-22.yaml"])[0].referentiel


def make_user(django_user_model, username, role=None, organisation=None, **extra):
    user = django_user_model.objects.create_user(
        username, password=PASSWORD, first_name=username.capitalize(), last_name="Test", **extra
    )
    if role:
        Profile.objects.create(user=user, role=role, organisation=organisation)
    return user


@pytest.fixture
def world(mos, django_user_model, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    from livret.competences.models import Situation

    centre_a = Organisation.objects.create(name="CFA A", kind=Organisation.CFA)
    centre_b = Organisation.objects.create(name="CFA B", kind=Organisation.CFA)
    company_x = Organisation.objects.create(
        name="Entreprise X", kind=Organisation.COMPANY, centre=centre_a
    )
    company_y = Organisation.objects.create(
        name="Entreprise Y", kind=Organisation.COMPANY, centre=centre_a
    )
    u = {
        "admin": make_user(django_user_model, "admin", is_superuser=True, is_staff=True),
        "manager_a": make_user(django_user_model, "manager_a", Profile.MANAGER, centre_a),
        "manager_b": make_user(django_user_model, "manager_b", Profile.MANAGER, centre_b),
        "trainer_a": make_user(django_user_model, "trainer_a", Profile.TRAINER, centre_a),
        "trainer_a2": make_user(django_user_model, "trainer_a2", Profile.TRAINER, centre_a),
        "trainer_b": make_user(django_user_model, "trainer_b", Profile.TRAINER, centre_b),
        "tutor_x": make_user(django_user_model, "tutor_x", Profile.TUTOR, company_x),
        "tutor_y": make_user(django_user_model, "tutor_y", Profile.TUTOR, company_y),
        "learner1": make_user(django_user_model, "learner1", Profile.LEARNER, centre_a),
        "learner2": make_user(django_user_model, "learner2", Profile.LEARNER, centre_a),
        "learner_b": make_user(django_user_model, "learner_b", Profile.LEARNER, centre_b),
        "nobody": make_user(django_user_model, "nobody"),
    }
    cohort_a = Cohort.objects.create(
        centre=centre_a, referentiel=mos, name="MOS A", start_year=2025
    )
    cohort_a.trainers.set([u["trainer_a"], u["trainer_a2"]])
    cohort_b = Cohort.objects.create(
        centre=centre_b, referentiel=mos, name="MOS B", start_year=2025
    )
    cohort_b.trainers.set([u["trainer_b"]])

    def learner(user, cohort, centre, tutor, company, last):
        return Learner.objects.create(
            user=user,
            cohort=cohort,
            centre=centre,
            first_name=user.username.capitalize(),
            last_name=last,
            status=Learner.APPRENTICE,
            tutor=tutor,
            company=company,
        )

    l1 = learner(u["learner1"], cohort_a, centre_a, u["tutor_x"], company_x, "Un")
    l2 = learner(u["learner2"], cohort_a, centre_a, u["tutor_y"], company_y, "Deux")
    lb = learner(u["learner_b"], cohort_b, centre_b, None, None, "Bé")
    competence = Competence.objects.get(referentiel=mos, code="A1.2C3")
    evaluation = record_evaluation(
        learner=l1,
        competence=competence,
        level="in_progress",
        observed_on=datetime.date(2026, 3, 2),
        evaluator=u["trainer_a"],
    )
    situation = Situation.objects.create(
        learner=l1,
        occurred_on=datetime.date(2026, 4, 1),
        place="Site",
        title="Ronde",
        description="J'ai fait la ronde.",
        created_by=u["learner1"],
    )
    situation.competences.set([competence])
    return World(mos, u, cohort_a, cohort_b, l1, l2, lb, competence, evaluation, situation)


@pytest.fixture
def exam(world, django_user_model):
    """A session of centre A with its cohort registered; `examens_a` runs it, `examens_b` runs B's."""
    w = world
    w.users["examens_a"] = make_user(
        django_user_model, "examens_a", Profile.EXAM_ADMIN, w.cohort_a.centre
    )
    w.users["examens_b"] = make_user(
        django_user_model, "examens_b", Profile.EXAM_ADMIN, w.cohort_b.centre
    )
    session = ExamSession.objects.create(
        referentiel=w.ref,
        organiser=w.cohort_a.centre,
        year=2027,
        name="BTS MOS session 2027",
        jury_members=[["Mme Présidente", "présidente"]],
    )
    # Centre A is habilitated for the BTS MOS: its apprentices sit the CCF forms.
    w.cohort_a.centre.habilitations.add(w.ref.diploma)
    register_cohort(session, w.cohort_a, w.users["examens_a"])
    return session
