"""A questionnaire follows its lifecycle (engine/survey_flow): a draft changes, a sent one does
not; reminders, answers and the closing only while it is open; closed is the end. Each refusal
is a message in French on the page, never an error page, and writes nothing."""

from html import unescape

import pytest
from django.urls import reverse

from livret.lifecycle import Refused
from livret.surveys import services
from livret.surveys.models import Invitation, Response, Survey, Tally
from tests.surveys.test_surveys import QUESTIONS, _create, age_accounts


def _post(client, survey, **data):
    r = client.post(reverse("survey", args=[survey.pk]), data, follow=True)
    assert r.status_code == 200
    return unescape(r.content.decode())


def test_each_step_only_when_the_lifecycle_allows_it(client, world, mailoutbox):
    age_accounts()
    client.force_login(world.users["manager_a"])
    _create(client, world)
    survey = Survey.objects.get()
    # A draft: neither reminded nor closed.
    assert "Ce questionnaire n'est pas ouvert." in _post(client, survey, action="remind")
    assert "Ce questionnaire n'est pas ouvert." in _post(client, survey, action="close")
    assert "Action inconnue." in _post(client, survey, action="publier")
    _post(client, survey, action="send")
    invited = Invitation.objects.filter(survey=survey).count()
    assert invited == 2
    # Sent: its questions no longer change, it is not sent twice.
    page = _post(
        client,
        survey,
        title="Autre titre",
        audience="learners",
        moment="other",
        cohorts=[world.cohort_a.pk],
        questions_text=QUESTIONS,
    )
    assert "Un questionnaire envoyé ne se modifie plus." in page
    assert Survey.objects.get().title == "Fin de parcours 2026"
    assert "Ce questionnaire a déjà été envoyé." in _post(client, survey, action="send")
    assert Invitation.objects.filter(survey=survey).count() == invited
    _post(client, survey, action="close")
    # Closed is the end: no second closing (the counts stay as they were), no reminder, no answer.
    assert "Ce questionnaire n'est pas ouvert." in _post(client, survey, action="close")
    assert Tally.objects.filter(survey=survey).count() == 1
    before = len(mailoutbox)
    assert "Ce questionnaire n'est pas ouvert." in _post(client, survey, action="remind")
    assert len(mailoutbox) == before
    invitation = Invitation.objects.get(survey=survey, user=world.users["learner1"])
    with pytest.raises(Refused, match="Ce questionnaire est clos."):
        services.answer(invitation, {0: "4", 1: "oui"})
    client.force_login(world.users["learner1"])
    r = client.post(
        reverse("survey_answer", args=[invitation.pk]), {"q0": "4", "q1": "oui"}, follow=True
    )
    assert r.status_code == 200 and "Ce questionnaire est clos." in unescape(r.content.decode())
    assert not Response.objects.exists()
