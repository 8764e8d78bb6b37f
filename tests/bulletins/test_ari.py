"""The Bac pro's attestation de réussite intermédiaire as the lycée uses it: the première marks of
the modules give each pupil's average; 10 or more delivers it, 9 to under 10 waits for the head of
the establishment's decision after the conseil restreint; apprentices are not concerned; nobody
of another centre sees it, and a trainer does not decide."""

import datetime
from html import unescape

import pytest
from django.conf import settings
from django.urls import reverse

from livret.bulletins import ari
from livret.bulletins.models import AriDecision, Assessment, Mark, TeachingModule
from livret.people.models import Cohort, Learner
from livret.referentiels.loader import load_files
from tests.queries import count_queries


@pytest.fixture
def bac(world):
    """Centre A as a public lycée with a 3-year Bac pro cohort: four modules marked in première."""
    ref = load_files([settings.REFERENTIEL_DIR / "bacpro-metiers-securite_2026-11-22.yaml"])[
        0
    ].referentiel
    centre = world.cohort_a.centre
    centre.public_sector = True
    centre.save()
    cohort = Cohort.objects.create(
        centre=centre, referentiel=ref, name="Bac pro MS", start_year=2025, duration_years=3
    )
    cohort.trainers.set([world.users["trainer_a"]])
    trainer = world.users["trainer_a"]
    modules = {
        "Français": TeachingModule.TEACHING,
        "Mathématiques": TeachingModule.TEACHING,
        "Enseignement professionnel": TeachingModule.SPECIALTY,
        "Chef-d'œuvre": TeachingModule.CHEF_OEUVRE,
    }
    made = {
        title: TeachingModule.objects.create(cohort=cohort, title=title, ari_role=role)
        for title, role in modules.items()
    }
    assessments = {}
    for title, m in made.items():
        assessments[title] = Assessment.objects.create(
            module=m,
            title="Première",
            held_on=datetime.date(2026, 11, 4),
            semester=3,
            created_by=trainer,
        )
    # A seconde assessment (semester 2) must not count.
    seconde = Assessment.objects.create(
        module=made["Enseignement professionnel"],
        title="Seconde",
        held_on=datetime.date(2026, 5, 4),
        semester=2,
        created_by=trainer,
    )

    def pupil(first, status, marks, old=None):
        learner = Learner.objects.create(
            cohort=cohort, centre=centre, first_name=first, last_name="Élève", status=status
        )
        for title, value in marks.items():
            Mark.objects.create(
                assessment=assessments[title], learner=learner, hundredths=value, entered_by=trainer
            )
        if old is not None:
            Mark.objects.create(
                assessment=seconde, learner=learner, hundredths=old, entered_by=trainer
            )
        return learner

    # (8 + 8 + 4 × 11 + 12) / 7 = 72 / 7 = 10.28…
    ok = pupil(
        "Anna",
        "school",
        {
            "Français": 800,
            "Mathématiques": 800,
            "Enseignement professionnel": 1100,
            "Chef-d'œuvre": 1200,
        },
        old=0,
    )
    # (8 + 8 + 4 × 10.4 + 12) / 7 = 69.6 / 7 = 9.94…: the conseil restreint.
    near = pupil(
        "Basile",
        "school",
        {
            "Français": 800,
            "Mathématiques": 800,
            "Enseignement professionnel": 1040,
            "Chef-d'œuvre": 1200,
        },
    )
    apprentice = pupil("Chloé", "apprentice", {"Enseignement professionnel": 1800})
    return cohort, ok, near, apprentice


def test_each_pupils_average_and_decision_from_the_premiere_marks(client, world, bac):
    cohort, ok, near, apprentice = bac
    client.force_login(world.users["manager_a"])
    page = client.get(reverse("cohort_ari", args=[cohort.pk])).content.decode()
    assert "10,28" in page and "9,94" in page
    rows = {r.learner.first_name: r for r in ari.rows(cohort)[1]}
    assert rows["Anna"].label == "Attestation délivrée"
    assert rows["Basile"].label == "Avis du conseil de classe restreint"
    assert rows["Chloé"].label == "Non concerné"
    assert "1 attestation sur 3 élèves" in page


def test_the_head_decides_between_9_and_10_with_the_councils_opinion(client, world, bac):
    cohort, ok, near, apprentice = bac
    from livret.periods.models import Period, PeriodReview

    # The council reads the pedagogical appraisal of the première PFMP (written in its review).
    pfmp = Period.objects.create(
        learner=near,
        kind=Period.PFMP,
        company=world.learner1.company,
        start=datetime.date(2027, 1, 4),
        end=datetime.date(2027, 1, 29),
    )
    PeriodReview.objects.create(period=pfmp, pedagogical="Très investi au poste de garde.")
    url = reverse("cohort_ari", args=[cohort.pk])
    client.force_login(world.users["manager_a"])
    assert "Très investi au poste de garde." in unescape(client.get(url).content.decode())
    r = client.post(url, {"learner": near.pk, "granted": "1", "reason": ""}, follow=True)
    assert "Indiquez l'avis du conseil" in unescape(r.content.decode())
    r = client.post(url, {"learner": ok.pk, "granted": "1", "reason": "Très bien."}, follow=True)
    assert "ne statue que pour une moyenne d'au moins 9" in unescape(r.content.decode())
    assert not AriDecision.objects.exists()
    client.post(
        url, {"learner": near.pk, "granted": "1", "reason": "PFMP très positive, élève engagé."}
    )
    decision = AriDecision.objects.get()
    assert decision.history.first().history_user == world.users["manager_a"]
    rows = {r.learner.first_name: r for r in ari.rows(cohort)[1]}
    assert rows["Basile"].label == "Attestation délivrée"
    pdf = client.get(reverse("cohort_ari_pdf", args=[cohort.pk]))
    assert pdf["Content-Type"] == "application/pdf"


def test_a_private_establishment_without_contract_has_no_attestation(world, bac):
    cohort, *_ = bac
    cohort.centre.public_sector = False
    cohort.centre.save()
    assert {r.label for r in ari.rows(cohort)[1]} == {"Non concerné"}
    cohort.centre.under_contract = True
    cohort.centre.save()
    assert "Attestation délivrée" in {r.label for r in ari.rows(cohort)[1]}


def test_who_may_not(client, world, bac):
    cohort, ok, near, _ = bac
    url = reverse("cohort_ari", args=[cohort.pk])
    for who in ("manager_b", "trainer_b", "tutor_x", "learner1"):
        client.force_login(world.users[who])
        assert client.get(url).status_code == 404, who
        assert client.get(reverse("cohort_ari_pdf", args=[cohort.pk])).status_code == 404, who
    client.force_login(world.users["trainer_a"])
    assert client.get(url).status_code == 200
    r = client.post(url, {"learner": near.pk, "granted": "1", "reason": "Oui."})
    assert r.status_code == 403 and not AriDecision.objects.exists()
    # A BTS cohort has no attestation.
    client.force_login(world.users["manager_a"])
    assert client.get(reverse("cohort_ari", args=[world.cohort_a.pk])).status_code == 404


def test_the_page_costs_the_same_queries_at_two_sizes(client, world, bac):
    cohort, *_ = bac
    client.force_login(world.users["manager_a"])
    url = reverse("cohort_ari", args=[cohort.pk])
    small = count_queries(client, url)
    assessment = Assessment.objects.filter(module__cohort=cohort, semester=3).first()
    for i in range(25):
        learner = Learner.objects.create(
            cohort=cohort, centre=cohort.centre, first_name=f"P{i}", last_name="N", status="school"
        )
        Mark.objects.create(
            assessment=assessment,
            learner=learner,
            hundredths=1000 + i,
            entered_by=world.users["trainer_a"],
        )
    assert count_queries(client, url) == small
