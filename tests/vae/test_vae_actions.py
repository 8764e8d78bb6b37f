"""The dossier's posted actions, dispatched from one table: each refused step is a French
message on the dossier's page (never an error page) and writes nothing; the decision's letter
leaves only once the decision is committed."""

import datetime
from html import unescape

import pytest
from django.core import mail
from django.urls import reverse

from livret.lifecycle import Refused
from livret.vae import services
from livret.vae.models import Candidacy, CandidacyEvent, JuryResult


@pytest.fixture
def dossier(client, vae, candidate):
    client.force_login(candidate)
    client.post(reverse("vae_start"), {"offer": vae["offer"].pk})
    return Candidacy.objects.get(candidate=candidate)


def _post(client, c, **data):
    r = client.post(reverse("vae_action", args=[c.pk]), data, follow=True)
    # A refused form comes back as typed, on the file's page (400), never an error page.
    assert r.status_code in (200, 400) and "Dossier VAE" in r.content.decode()
    return unescape(r.content.decode())


def test_refused_steps_are_messages_and_write_nothing(client, vae, candidate, dossier):
    assert "Action inconnue." in _post(client, dossier, action="publier")
    assert "Action inconnue." in _post(client, dossier)
    # The jury before the validation file: refused by the journey, nothing recorded.
    Candidacy.objects.filter(pk=dossier.pk).update(status=Candidacy.SENT)
    client.force_login(vae["staff"])
    with pytest.raises(Refused, match="Impossible d'enregistrer la décision du jury : le dossier"):
        services.record_jury(
            dossier, JuryResult.TOTAL, datetime.date(2026, 6, 1), [], "x", vae["staff"]
        )
    # The jury's decision has its own pages: no longer a posted action of the dossier.
    assert "Action inconnue." in _post(client, dossier, action="jury", result="total")
    assert not JuryResult.objects.exists() and not CandidacyEvent.objects.exists()
    client.force_login(candidate)
    _post(client, dossier, action="withdraw")
    assert "Ce dossier est clos." in _post(client, dossier, action="withdraw")
    assert "Ce dossier est clos." in _post(client, dossier, action="motivation", motivation="x")
    dossier.refresh_from_db()
    assert dossier.status == Candidacy.WITHDRAWN and dossier.motivation == ""
    assert CandidacyEvent.objects.filter(candidacy=dossier).count() == 1


def test_a_step_by_the_wrong_person_is_403_before_anything(client, vae, candidate, dossier):
    r = client.post(
        reverse("vae_action", args=[dossier.pk]),
        {"action": "admissibility", "decision": "feasibility_admissible"},
    )
    assert r.status_code == 403


def test_the_decision_letter_leaves_after_the_commit(
    vae, dossier, django_capture_on_commit_callbacks
):
    Candidacy.objects.filter(pk=dossier.pk).update(status=Candidacy.SENT)
    dossier.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.decide_admissibility(dossier, Candidacy.ADMISSIBLE, "", vae["staff"])
        assert mail.outbox == []
    assert len(callbacks) >= 1 and mail.outbox == []
    for callback in callbacks:
        callback()
    assert "recevable" in mail.outbox[-1].body
    # Decided already: a second decision is refused before anything is written or sent.
    with pytest.raises(Refused, match="le dossier est « recevable »"):
        services.decide_admissibility(dossier, Candidacy.INADMISSIBLE, "Non", vae["staff"])
    assert dossier.admissibility_decisions.count() == 1


def test_the_jury_only_after_the_validation_file(vae, dossier):
    with pytest.raises(Refused):
        services.record_jury(
            dossier, JuryResult.TOTAL, datetime.date(2026, 6, 1), [], "", vae["staff"]
        )
    assert not JuryResult.objects.exists()
