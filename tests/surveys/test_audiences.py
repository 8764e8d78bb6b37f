"""Qualiopi indicator 30, whole (issue 22, item 8): questionnaires also go to the cohorts'
trainers and to the host companies' contacts; the reminder reaches those who have not answered
(real e-mails) while the manager reads a number only; who sent and who closed is kept (issue 26)."""

import pytest
from django.urls import reverse

from livret.people.models import Profile
from livret.surveys import services
from livret.surveys.models import Invitation, Response, Survey
from tests.mailbox import subject
from tests.worker import run_worker
from tests.world import make_user

QUESTIONS = "Les échanges avec le centre sont utiles.\n[texte] Remarques"


def _create(client, w, audience):
    client.force_login(w.users["manager_a"])
    client.post(
        reverse("surveys"),
        {
            "title": f"Indicateur 30 — {audience}",
            "audience": audience,
            "moment": "other",
            "cohorts": [w.cohort_a.pk],
            "questions_text": QUESTIONS,
        },
    )
    return Survey.objects.get(audience=audience)


def test_a_trainers_questionnaire_is_answered_by_the_cohorts_trainers(client, world):
    w = world
    survey = _create(client, w, "trainers")
    client.post(reverse("survey", args=[survey.pk]), {"action": "send"})
    assert set(Invitation.objects.values_list("user__username", flat=True)) == {
        "trainer_a",
        "trainer_a2",
    }
    survey.refresh_from_db()
    assert survey.sent_by == w.users["manager_a"] and survey.sent_at is not None
    client.force_login(w.users["trainer_a"])
    page = client.get(reverse("surveys")).content.decode()
    assert "Indicateur 30 — trainers" in page and "Répondre" in page
    invitation = Invitation.objects.get(user=w.users["trainer_a"])
    answered = client.post(reverse("survey_answer", args=[invitation.pk]), {"q0": "4", "q1": ""})
    assert answered.status_code == 302
    assert Response.objects.count() == 1
    # Another centre's trainer is not invited and answers nothing.
    client.force_login(w.users["trainer_b"])
    assert "Indicateur 30" not in client.get(reverse("surveys")).content.decode()
    client.force_login(w.users["manager_a"])
    client.post(reverse("survey", args=[survey.pk]), {"action": "close"})
    survey.refresh_from_db()
    assert survey.closed_by == w.users["manager_a"] and survey.closed_at is not None
    html = client.get(reverse("survey", args=[survey.pk])).content.decode()
    assert "par Manager_a Test" in html and "clos le" in html


def test_an_employers_questionnaire_goes_to_every_contact_of_the_host_companies(
    client, world, django_user_model
):
    w = world
    # A second contact of company X, who tutors nobody: a company contact all the same.
    make_user(django_user_model, "rh_x", Profile.TUTOR, w.learner1.company)
    # A company of the centre hosting nobody of the cohort: not asked.
    survey = _create(client, w, "employers")
    services.send(survey, by=w.users["manager_a"])
    assert set(Invitation.objects.values_list("user__username", flat=True)) == {
        "tutor_x",
        "tutor_y",
        "rh_x",
    }


@pytest.mark.django_db(transaction=True)
def test_the_reminder_reaches_trainers_without_an_answer_by_real_mail(
    client, world, smtp, django_user_model
):
    w = world
    for name in ("trainer_a", "trainer_a2"):
        w.users[name].email = f"{name}@exemple.fr"
        w.users[name].save()
    survey = _create(client, w, "trainers")
    client.post(reverse("survey", args=[survey.pk]), {"action": "send"})
    run_worker()
    smtp.messages.clear()
    client.force_login(w.users["trainer_a"])
    invitation = Invitation.objects.get(user=w.users["trainer_a"])
    client.post(reverse("survey_answer", args=[invitation.pk]), {"q0": "5", "q1": ""})
    client.force_login(w.users["manager_a"])
    page = client.post(reverse("survey", args=[survey.pk]), {"action": "remind"}, follow=True)
    html = page.content.decode()
    assert "aux 1 personne(s) sans réponse" in html
    assert "trainer_a2" not in html and "Trainer_a2" not in html  # who: the system's alone
    run_worker()
    assert [m["To"] for m in smtp.messages] == ["trainer_a2@exemple.fr"]
    assert "rappel — questionnaire « Indicateur 30 — trainers »" in subject(smtp.messages[0])
