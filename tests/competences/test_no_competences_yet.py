"""A diploma whose référentiel gives no competences yet (the Bac pro file): a pupil still
declares what he did, in his own words, and his tutor is told; the cohort's grid says why it has
no columns, with the workshop's link for whoever may complete the référentiel."""

import pytest
from django.conf import settings
from django.urls import reverse

from livret.competences.models import Situation
from livret.notifications.models import Notification
from livret.people.models import Cohort, Learner, Profile
from livret.referentiels.loader import load_files
from livret.referentiels.models import Competence
from tests.world import make_user


@pytest.fixture
def bac(world, django_user_model):
    ref = load_files([settings.REFERENTIEL_DIR / "bacpro-metiers-securite_2026-12-04.yaml"])[
        0
    ].referentiel
    assert not Competence.objects.filter(referentiel=ref).exists()  # the file as it stands
    centre = world.cohort_a.centre
    cohort = Cohort.objects.create(
        centre=centre, referentiel=ref, name="Terminale Bac pro", start_year=2024, duration_years=3
    )
    cohort.trainers.set([world.users["trainer_a"]])
    pupil = make_user(django_user_model, "eleve", Profile.LEARNER, centre)
    learner = Learner.objects.create(
        user=pupil,
        cohort=cohort,
        centre=centre,
        first_name="Élise",
        last_name="Martin",
        status=Learner.SCHOOL,
        tutor=world.users["tutor_x"],
        company=world.learner1.company,
    )
    return cohort, learner


def test_a_bac_pro_pupil_declares_what_he_did_without_competences(client, world, bac):
    _, learner = bac
    client.force_login(learner.user)
    url = reverse("situation_new", args=[learner.pk])
    page = client.get(url).content.decode()
    assert "ne donne pas encore ses compétences" in page
    assert 'name="competences"' not in page
    # What is missing is still said beside the form, and nothing is saved.
    bad = client.post(url, {"occurred_on": "2026-10-12", "place": "Poste", "title": ""})
    assert bad.status_code == 400 and not Situation.objects.filter(learner=learner).exists()
    response = client.post(
        url,
        {
            "occurred_on": "2026-10-12",
            "place": "Centre commercial, poste de sécurité",
            "title": "Ronde d'ouverture",
            "description": "J'ai fait la ronde d'ouverture avec l'agent SSIAP.",
        },
    )
    situation = Situation.objects.get(learner=learner)
    assert response.status_code == 302
    assert situation.state == Situation.PENDING and not situation.competences.exists()
    assert situation.created_by == learner.user
    told = Notification.objects.get(recipient=world.users["tutor_x"], kind="situation_declared")
    assert told.title == "Situation à valider : Ronde d'ouverture"


def test_the_empty_grid_says_why_and_where_to_complete_it(client, world, bac):
    cohort, _ = bac
    client.force_login(world.users["manager_a"])
    page = client.get(reverse("grid", args=[cohort.pk])).content.decode()
    assert "ne donne pas encore ses compétences" in page
    assert reverse("workshop_version", args=[cohort.referentiel_id]) in page
    client.force_login(world.users["trainer_a"])
    page = client.get(reverse("grid", args=[cohort.pk])).content.decode()
    assert "Le responsable du centre peut compléter le référentiel" in page
    assert reverse("workshop_version", args=[cohort.referentiel_id]) not in page
    # A référentiel with competences keeps its grid as it was.
    page = client.get(reverse("grid", args=[world.cohort_a.pk])).content.decode()
    assert "ne donne pas encore ses compétences" not in page


def test_the_trainer_attaches_competences_later(client, world, bac):
    _, pupil = bac
    free = Situation.objects.create(
        learner=world.learner1,
        occurred_on="2026-04-03",
        place="Site",
        title="Ronde libre",
        description="Décrite avant que le référentiel ne soit complété.",
        created_by=world.users["learner1"],
    )
    url = reverse("situation_competences", args=[free.pk])
    trainer = world.users["trainer_a"]
    client.force_login(trainer)
    detail = client.get(reverse("situation_detail", args=[free.pk])).content.decode()
    assert "Aucune compétence rattachée" in detail and url in detail
    assert 'name="competences"' in client.get(url).content.decode()
    refused = client.post(url, {})
    assert refused.status_code == 400 and "Cochez au moins une compétence." in (
        refused.content.decode()
    )
    comps = list(Competence.objects.filter(referentiel=world.ref, code__in=["A1.2C3", "A2.1C3"]))
    assert client.post(url, {"competences": [c.pk for c in comps]}).status_code == 302
    assert set(free.competences.all()) == set(comps)
    assert free.history.first().history_user == trainer
    # Another référentiel's competence cannot be attached.
    bac_ref = pupil.cohort.referentiel
    assert client.post(url, {"competences": [999999]}).status_code == 400
    # The Bac pro pupil's situation: nothing to attach while the file has no competences.
    own = Situation.objects.create(
        learner=pupil,
        occurred_on="2026-10-01",
        place="Poste",
        title="Filtrage",
        description="Texte libre.",
        created_by=pupil.user,
    )
    pupil.cohort.trainers.add(trainer)
    page = client.get(reverse("situation_competences", args=[own.pk])).content.decode()
    assert f"Le référentiel « {bac_ref.title} » ne donne pas encore ses compétences" in page
    # Only the learner's trainers: the tutor and the learner may see the situation, not do it.
    for who, status in (("tutor_x", 403), ("learner1", 403), ("trainer_b", 404)):
        client.force_login(world.users[who])
        assert client.get(url).status_code == status, who


def test_no_attaching_once_turned_into_evaluations(client, world):
    s = world.situation
    s.state = Situation.VALIDATED
    s.save()
    client.force_login(world.users["trainer_a"])
    client.post(reverse("situation_evaluate", args=[s.pk]), {"level": "acquired"})
    response = client.get(reverse("situation_competences", args=[s.pk]), follow=True)
    assert "déjà été transformée en évaluations : ses compétences ne changent plus" in (
        response.content.decode()
    )
