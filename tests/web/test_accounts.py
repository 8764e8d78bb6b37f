"""Accounts as a French public-sector service would have them: long passwords, login throttling."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from livret.ops import demo
from livret.people.models import Cohort, Learner
from tests.world import PASSWORD


def test_passwords_need_twelve_characters():
    with pytest.raises(ValidationError) as exc:
        validate_password("Court-2026!")  # 11 characters
    assert "12" in " ".join(exc.value.messages)
    validate_password("une phrase de passe longue")


def test_good_login_lands_on_the_role_home(client, world):
    response = client.post(
        reverse("login"), {"username": "tutor_x", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("tutor_home")


def test_changes_to_learner_data_are_recorded_with_who_and_when(client, world):
    learner = world.learner1
    learner.contract_end = "2027-08-31"
    learner._history_user = world.users["manager_a"]
    learner.save()
    record = learner.history.first()
    assert record.history_user == world.users["manager_a"] and record.history_date is not None
    assert str(record.contract_end) == "2027-08-31"


def test_demo_centre(db):
    from livret.referentiels.loader import default_files, load_files

    load_files(default_files())
    assert demo.create() is True
    cohorts = Cohort.objects.filter(centre__name=demo.CENTRE_NAME)
    bts = cohorts.filter(referentiel__diploma__slug="bts-mos")
    assert bts.count() == 2
    for cohort in bts:
        assert 20 <= cohort.learners.count() <= 25
    # Its titre pro group: a signed June session, and the next one for those without the titre.
    tp = cohorts.get(referentiel__diploma__slug="tp-operateur-videoprotection")
    sessions = {c.session for lr in tp.learners.all() for c in lr.candidacies.all()}
    june, later = sorted(sessions, key=lambda s: s.year)
    assert june.locked and not later.locked
    assert 0 < later.candidates.count() < june.candidates.count()  # titre holders not back
    lycee = Cohort.objects.get(
        centre__name=demo.LYCEE_NAME, referentiel__diploma__slug="bacpro-metiers-securite"
    )
    assert lycee.duration_years == 3 and lycee.modules.filter(ari_role="specialty").exists()
    apprentice = Learner.objects.get(user__username="apprenti")
    assert (
        apprentice.tutor.username == "tuteur"
        and apprentice.evaluations.exists()
        and apprentice.situations.exists()
    )
    # Every demo account has an address on the reserved domain; a learner's record says the same.
    from django.contrib.auth import get_user_model

    assert not get_user_model().objects.exclude(email__endswith="@demo.livret.example").exists()
    assert apprentice.email == apprentice.user.email == "apprenti@demo.livret.example"
    assert demo.create() is False  # idempotent
