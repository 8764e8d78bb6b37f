"""Satisfaction questionnaires as the centre and its learners use them: built with every faulty
line named, sent with a notification, answered once and anonymously, results only from 5."""

import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from livret.notifications.models import Notification
from livret.people.models import Learner, Profile
from livret.surveys import services
from livret.surveys.models import Invitation, Participation, Response, Survey, Tally
from tests.world import make_user

QUESTIONS = "Les cours m'ont aidé.\n[oui/non] Je recommande.\n[texte] Remarques"


def age_accounts(days=30):
    """Every account so far opened `days` ago: people of the centre long before any
    questionnaire (accounts younger than the questionnaire do not count towards 5)."""
    User = get_user_model()
    User.objects.update(date_joined=timezone.now() - datetime.timedelta(days=days))


@pytest.fixture
def seven(world, django_user_model):
    """Five more learners with an account in cohort A (seven in all), all long-standing."""
    w = world
    for i in range(5):
        user = make_user(django_user_model, f"eleve{i}", Profile.LEARNER, w.cohort_a.centre)
        w.users[f"eleve{i}"] = user
        Learner.objects.create(
            user=user,
            cohort=w.cohort_a,
            centre=w.cohort_a.centre,
            first_name=f"Eleve{i}",
            last_name="Plus",
            status=Learner.APPRENTICE,
        )
    age_accounts()
    return w


def _create(client, w, **extra):
    data = {
        "title": "Fin de parcours 2026",
        "audience": "learners",
        "moment": "end_of_course",
        "cohorts": [w.cohort_a.pk],
        "questions_text": QUESTIONS,
        **extra,
    }
    return client.post(reverse("surveys"), data)


def _answer(client, user, survey, data):
    client.force_login(user)
    invitation = Invitation.objects.get(survey=survey, user=user)
    return client.post(reverse("survey_answer", args=[invitation.pk]), data)


def test_a_faulty_questionnaire_names_every_line_and_keeps_what_was_typed(client, world):
    client.force_login(world.users["manager_a"])
    r = _create(client, world, questions_text="Bien ?\n[note] Mal\n[texte]")
    assert r.status_code == 400 and not Survey.objects.exists()
    page = r.content.decode()
    assert "ligne 2 : « [note] » inconnu" in page and "ligne 3 : la question est vide" in page
    assert "[note] Mal" in page  # the textarea keeps it
    # Another centre's cohort cannot be chosen.
    r = _create(client, world, cohorts=[world.cohort_b.pk])
    assert r.status_code == 400 and not Survey.objects.exists()


def test_the_whole_journey_anonymous_and_read_only_once_closed(client, seven):
    w = seven
    client.force_login(w.users["manager_a"])
    r = _create(client, w)
    survey = Survey.objects.get()
    assert r.url == reverse("survey", args=[survey.pk])
    assert [q["kind"] for q in survey.questions] == ["scale", "yes_no", "text"]
    client.post(reverse("survey", args=[survey.pk]), {"action": "send"})
    survey.refresh_from_db()
    assert survey.sent_at is not None
    invited = set(Invitation.objects.filter(survey=survey).values_list("user__username", flat=True))
    assert invited == {"learner1", "learner2", *(f"eleve{i}" for i in range(5))}
    assert Invitation.objects.filter(survey=survey, eligible=True).count() == 7
    assert Notification.objects.filter(kind="survey").count() == 7
    # Sent twice? refused, nobody invited twice.
    client.post(reverse("survey", args=[survey.pk]), {"action": "send"})
    assert Invitation.objects.filter(survey=survey).count() == 7

    # An incomplete answer: every missing answer shown, nothing stored, choices kept.
    learner = w.users["learner1"]
    r = _answer(client, learner, survey, {"q1": "oui"})
    assert r.status_code == 400 and not Response.objects.exists()
    assert "choisissez une réponse de 1 à 5" in r.content.decode()
    assert 'value="oui" checked' in r.content.decode()
    r = _answer(client, learner, survey, {"q0": "4", "q1": "oui", "q2": '=HYPERLINK("x")'})
    assert r.status_code == 302
    # Once only; he reads that he answered, on his own pages.
    r = _answer(client, learner, survey, {"q0": "1", "q1": "non"})
    assert Response.objects.count() == 1
    assert "répondu, merci" in client.get(reverse("surveys")).content.decode()
    # Nothing ties a response to its author: no user, no date.
    fields = {f.name for f in Response._meta.get_fields()}
    assert fields == {"id", "survey", "cohort", "answers"}

    for i in range(4):
        _answer(client, w.users[f"eleve{i}"], survey, {"q0": "5" if i < 3 else "2", "q1": "oui"})
    # Five answers, but the questionnaire is open: a number, no result, no text, no export.
    client.force_login(w.users["manager_a"])
    page = client.get(reverse("survey", args=[survey.pk])).content.decode()
    assert "5 réponses sur 7 invitations" in page
    assert "HYPERLINK" not in page and "4,20" not in page and "Résultats (CSV)" not in page
    csv = client.get(reverse("survey_export", args=[survey.pk, "csv"])).content.decode()
    assert "résultats à la clôture" in csv and "HYPERLINK" not in csv

    client.post(reverse("survey", args=[survey.pk]), {"action": "close"})
    # Who answered is forgotten; the counts stay.
    assert not Participation.objects.exists()
    tally = Tally.objects.get(survey=survey)
    assert (tally.invited, tally.respondents, tally.eligible_respondents) == (7, 5, 5)
    page = client.get(reverse("survey", args=[survey.pk])).content.decode()
    # (4 + 5 + 5 + 5 + 2) / 5 = 4.2
    assert "5 réponses sur 7 invitations" in page and "4,20" in page
    assert "Oui : 5 · Non : 0" in page
    csv = client.get(reverse("survey_export", args=[survey.pk, "csv"])).content.decode()
    assert "'=HYPERLINK" in csv  # inert: shown as text, never evaluated
    xlsx = client.get(reverse("survey_export", args=[survey.pk, "xlsx"]))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    cells = [c for row in sheet.iter_rows() for c in row if c.value and "HYPERLINK" in str(c.value)]
    assert cells and all(c.data_type == "s" for c in cells)

    # Closed: no more answers, not even from who never answered.
    r = _answer(client, w.users["eleve4"], survey, {"q0": "3", "q1": "oui"})
    assert Response.objects.count() == 5
    assert "clos" in client.get(reverse("surveys")).content.decode()


def test_under_five_answers_a_closed_questionnaire_shows_the_count_only(client, seven):
    w = seven
    client.force_login(w.users["manager_a"])
    _create(client, w)
    survey = Survey.objects.get()
    services.send(survey)
    for name in ("learner1", "eleve0", "eleve1", "eleve2"):
        _answer(client, w.users[name], survey, {"q0": "4", "q1": "oui", "q2": "Secret"})
    services.close(survey)
    client.force_login(w.users["manager_a"])
    page = client.get(reverse("survey", args=[survey.pk])).content.decode()
    assert "4 réponses sur 7 invitations" in page and "Résultats masqués" in page
    assert "Secret" not in page
    csv = client.get(reverse("survey_export", args=[survey.pk, "csv"])).content.decode()
    assert "résultats masqués" in csv and "Secret" not in csv


def test_a_tutors_questionnaire_goes_to_the_cohorts_tutors(client, world):
    client.force_login(world.users["manager_a"])
    _create(client, world, audience="tutors", moment="end_of_period")
    survey = Survey.objects.get()
    client.post(reverse("survey", args=[survey.pk]), {"action": "send"})
    assert set(Invitation.objects.values_list("user__username", flat=True)) == {
        "tutor_x",
        "tutor_y",
    }
    client.force_login(world.users["tutor_x"])
    page = client.get(reverse("surveys")).content.decode()
    assert "Fin de parcours 2026" in page and "Répondre" in page


@pytest.mark.parametrize("who", ["manager_b", "trainer_a", "learner1", "tutor_x", "nobody"])
def test_only_the_centres_manager_reads_a_questionnaire(client, world, who):
    client.force_login(world.users["manager_a"])
    _create(client, world)
    survey = Survey.objects.get()
    client.force_login(world.users[who])
    assert client.get(reverse("survey", args=[survey.pk])).status_code == 404
    assert client.get(reverse("survey_export", args=[survey.pk, "csv"])).status_code == 404


@pytest.mark.parametrize("who", ["learner2", "learner_b", "tutor_x", "manager_a", "trainer_a"])
def test_nobody_answers_for_another(client, world, who):
    client.force_login(world.users["manager_a"])
    _create(client, world)
    survey = Survey.objects.get()
    client.post(reverse("survey", args=[survey.pk]), {"action": "send"})
    invitation = Invitation.objects.get(user=world.users["learner1"])
    client.force_login(world.users[who])
    url = reverse("survey_answer", args=[invitation.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"q0": "1", "q1": "non"}).status_code == 404
    assert not Response.objects.exists()


def test_a_draft_is_not_offered_to_answer(client, world):
    client.force_login(world.users["manager_a"])
    _create(client, world)
    client.force_login(world.users["learner1"])
    assert "Aucun questionnaire pour vous" in client.get(reverse("surveys")).content.decode()


def test_the_questionnaire_pages_cost_the_same_queries_for_7_and_37_learners(
    client, seven, django_user_model
):
    from tests.queries import count_queries

    w = seven

    def world_of(n_extra, start):
        for i in range(start, start + n_extra):
            user = make_user(django_user_model, f"plus{i}", Profile.LEARNER, w.cohort_a.centre)
            Learner.objects.create(
                user=user,
                cohort=w.cohort_a,
                centre=w.cohort_a.centre,
                first_name=f"P{i}",
                last_name="Plus",
                status=Learner.APPRENTICE,
            )
        Survey.objects.all().delete()
        client.force_login(w.users["manager_a"])
        _create(client, w)
        survey = Survey.objects.get()
        services.send(survey)
        for inv in Invitation.objects.filter(survey=survey).exclude(user=w.users["learner1"]):
            services.answer(inv, {0: "4", 1: "oui", 2: f"Remarque {inv.pk}"})
        inv = Invitation.objects.get(survey=survey, user=w.users["learner1"])
        counts = {}
        client.force_login(w.users["manager_a"])
        counts["list"] = count_queries(client, reverse("surveys"))
        counts["detail"] = count_queries(client, reverse("survey", args=[survey.pk]))
        client.force_login(w.users["learner1"])
        counts["mine"] = count_queries(client, reverse("surveys"))
        counts["answer"] = count_queries(client, reverse("survey_answer", args=[inv.pk]))
        services.close(survey)
        client.force_login(w.users["manager_a"])
        counts["results"] = count_queries(client, reverse("survey", args=[survey.pk]))
        return counts

    small = world_of(0, 0)
    large = world_of(30, 100)
    assert (
        small
        == large
        == {
            "list": 9,
            "detail": 10,
            "mine": 6,
            "answer": 7,
            "results": 10,
        }
    )


@pytest.mark.django_db
def test_the_demo_questionnaire_counts_its_answers_and_shows_them_once_closed(client):
    from livret.ops import demo
    from livret.referentiels.loader import default_files, load_files

    load_files(default_files())
    demo.create()
    survey = Survey.objects.get(
        title__startswith="Questionnaire de satisfaction — fin de première",
        centre__name=demo.CENTRE_NAME,
    )
    assert not Invitation.objects.filter(survey=survey, eligible=False).exists()
    services.close(survey)
    client.force_login(survey.created_by)
    page = client.get(reverse("survey", args=[survey.pk])).content.decode()
    assert "9 réponses sur" in page and "Résultats masqués" not in page and "Moyenne" in page
    # The demo's funders: the CFA's manager finds its OPCO and contacts (a funders' questionnaire
    # has someone to ask); the lycée's manager sees none of them.
    for slug, text in (("financeurs", "OPCO de démonstration"), ("contacts-financeurs", "Leroy")):
        url = reverse("centre_records", args=[slug])
        assert text in client.get(url).content.decode()
        client.force_login(get_user_model().objects.get(username="responsable-lycee"))
        assert text not in client.get(url).content.decode()
        client.force_login(survey.created_by)
