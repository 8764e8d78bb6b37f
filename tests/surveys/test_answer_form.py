"""Issue 25, item 8, for answering a questionnaire: a missing answer is said beside its question
(the fieldset marked aria-invalid, described by the error) and in the summary at the top, each
item linked to its question; nothing stored, the choices kept. This reproduced the bug: the
errors beside the questions carried no aria-invalid, the banner a bare count."""

import re
from html import unescape

from django.urls import reverse

from livret.surveys.models import Invitation, Response, Survey

QUESTIONS = "Les cours m'ont aidé.\n[oui/non] Je recommande.\n[texte] Remarques"


def test_a_missing_answer_is_said_beside_its_question_and_in_the_summary(client, world):
    w = world
    client.force_login(w.users["manager_a"])
    client.post(
        reverse("surveys"),
        {
            "title": "Fin de parcours 2026",
            "audience": "learners",
            "moment": "end_of_course",
            "cohorts": [w.cohort_a.pk],
            "questions_text": QUESTIONS,
        },
    )
    survey = Survey.objects.get()
    client.post(reverse("survey", args=[survey.pk]), {"action": "send"})
    client.force_login(w.users["learner1"])
    invitation = Invitation.objects.get(survey=survey, user=w.users["learner1"])
    r = client.post(reverse("survey_answer", args=[invitation.pk]), {"q1": "oui", "q2": "Bien"})
    html = unescape(r.content.decode())
    assert r.status_code == 400 and not Response.objects.exists()
    fieldset = re.search(r'<fieldset[^>]*id="q0"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in fieldset and 'aria-describedby="q0_error"' in fieldset
    beside = re.search(r'<ul[^>]*id="q0_error"[^>]*>(.*?)</ul>', html, re.S).group(1)
    assert "choisissez une réponse de 1 à 5" in beside
    summary = re.search(r'<div[^>]*id="form-errors"[^>]*>(.*?)</div>', html, re.S).group(1)
    assert 'href="#q0"' in summary and "choisissez une réponse de 1 à 5" in summary
    # what was chosen and typed is kept
    assert 'value="oui" checked' in html and "Bien</textarea>" in html
