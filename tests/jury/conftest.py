import pytest

from livret.exams.models import ExamSession
from livret.exams.services import register_cohort
from livret.people.models import Profile
from tests.world import make_user


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
    register_cohort(session, w.cohort_a, w.users["examens_a"])
    return session
