"""A session's deliberation follows its lifecycle (engine/deliberation_flow): minutes signed
once, then frozen — grades and jury decisions refused — until a new, reasoned deliberation;
nothing to reopen while the minutes are unsigned. Each refusal writes nothing and reads as a
French message on the page, never an error page."""

from html import unescape

import pytest
from django.urls import reverse

from livret.exams import services
from livret.exams.models import Deliberation, JuryDecision
from livret.lifecycle import Refused
from livret.notifications.models import Notification
from tests.exams.test_sessions import grade_all


def test_signed_once_then_frozen_until_a_reasoned_new_deliberation(exam, world):
    user = world.users["examens_a"]
    with pytest.raises(Refused, match="Aucun procès-verbal n'est signé : il n'y a rien à rouvrir"):
        services.open_deliberation(exam, user, "Erreur")
    assert not Deliberation.objects.exists()
    grade_all(exam, user)
    d1 = services.sign_minutes(exam, user)
    published = Notification.objects.filter(kind="jury_result").count()
    with pytest.raises(Refused, match="déjà signé"):
        services.sign_minutes(exam, world.users["admin"])
    d1.refresh_from_db()
    assert d1.signed_by == user and Deliberation.objects.count() == 1
    assert Notification.objects.filter(kind="jury_result").count() == published
    c = exam.candidates.first()
    with pytest.raises(Refused, match="les notes sont verrouillées"):
        services.record_jury_decision(exam, c, "admis", "Assiduité", user)
    assert not JuryDecision.objects.exists()
    d2 = services.open_deliberation(exam, user, "Erreur de report en U1")
    assert (d2.number, d2.opened_by, services.deliberation_actions(exam)) == (
        2,
        user,
        ["grade", "decide", "sign", "edit"],
    )
    with pytest.raises(Refused, match="n'est pas signée"):
        services.open_deliberation(exam, user, "Encore")
    services.record_jury_decision(exam, c, "admis", "Assiduité", user)
    assert JuryDecision.objects.get().deliberation == d2


def test_a_jury_decision_is_admis_or_ajourne(exam, world):
    c = exam.candidates.first()
    with pytest.raises(services.ValidationError, match="admis ou ajourné"):
        services.record_jury_decision(exam, c, "reçu", "Motif", world.users["examens_a"])
    assert not JuryDecision.objects.exists() and not Deliberation.objects.exists()


def test_the_pages_refuse_in_french(client, exam, world):
    user = world.users["examens_a"]
    client.force_login(user)
    r = client.post(reverse("exam_reopen", args=[exam.pk]), {"reason": "x"}, follow=True)
    assert r.status_code == 200 and "il n'y a rien à rouvrir" in unescape(r.content.decode())
    grade_all(exam, user)
    client.post(reverse("exam_sign", args=[exam.pk]))
    r = client.post(reverse("exam_sign", args=[exam.pk]), follow=True)
    assert r.status_code == 200 and "déjà signé" in unescape(r.content.decode())
    c = exam.candidates.first()
    url = reverse("exam_candidate_update", args=[exam.pk, c.pk])
    r = client.post(url, {"action": "jury", "decision": "admis", "reason": "x"}, follow=True)
    assert r.status_code == 200 and "les notes sont verrouillées" in unescape(r.content.decode())
    r = client.post(url, {"action": "ccp"}, follow=True)  # a titre's action, not a BTS's
    assert r.status_code == 200 and "Action inconnue." in r.content.decode()
    assert not JuryDecision.objects.exists()
    assert Deliberation.objects.count() == 1
