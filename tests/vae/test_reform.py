"""The VAE after loi n° 2022-1598 du 21 décembre 2022: no minimum duration of experience, any
experience directly related to the diploma (salaried or not, volunteering, placements, mandates),
the whole diploma or chosen blocs."""

import datetime

from django.urls import reverse

from livret.vae import services
from livret.vae.models import Candidacy, ValidatedBloc

from .test_journey import add_experience

D = datetime.date


def _start(client, vae, candidate):
    client.force_login(candidate)
    client.post(reverse("vae_start"), {"offer": vae["offer"].pk})
    return Candidacy.objects.get(candidate=candidate)


def test_two_months_of_volunteering_make_a_dossier_the_certifier_may_find_admissible(
    client, vae, candidate
):
    c = _start(client, vae, candidate)
    page = client.get(reverse("vae_dossier", args=[c.pk])).content.decode()
    assert "étape 1 sur 5" in page and "Ajoutez une première expérience" in page
    r = add_experience(
        client,
        c,
        ["A2.1C1"],
        kind="volunteer",
        employer="Association Secours Plus",
        start="2024-01-01",
        end="2024-02-29",
    )
    assert r.status_code == 302
    page = client.get(reverse("vae_dossier", args=[c.pk])).content.decode()
    assert (
        "aucune durée minimale n&#x27;est exigée" in page
        or "aucune durée minimale n'est exigée" in page
    )
    assert "(bénévolat ou volontariat)" in page
    assert "Durée insuffisante" not in page
    client.post(reverse("vae_action", args=[c.pk]), {"action": "submit"})
    c.refresh_from_db()
    assert c.status == Candidacy.SENT
    client.force_login(vae["staff"])
    client.post(
        reverse("vae_action", args=[c.pk]),
        {"action": "admissibility", "decision": Candidacy.ADMISSIBLE, "reasons": ""},
    )
    c.refresh_from_db()
    assert c.status == Candidacy.ADMISSIBLE
    assert services.summary(c, D(2024, 3, 1)).months == 2.0  # 60 days, for information only


def test_a_candidate_aims_at_chosen_blocs(client, vae, candidate, mos):
    from livret.referentiels.models import Bloc

    c = _start(client, vae, candidate)
    b2 = Bloc.objects.get(referentiel=mos, code="B2")
    b3 = Bloc.objects.get(referentiel=mos, code="B3")
    url = reverse("vae_action", args=[c.pk])
    client.post(url, {"action": "target", "scope": "blocs", "blocs": [b2.pk]})
    assert list(c.target_blocs.all()) == [b2]
    rows = {row[0].code: row for row in services.summary(c).blocs}
    assert rows["B2"][4] is True and rows["B1"][4] is False  # targeted or not
    page = client.get(reverse("vae_dossier", args=[c.pk])).content.decode()
    assert "non visé" in page and "Les blocs :" in page
    # "Some blocs" with none chosen is refused; back to the whole diploma.
    r = client.post(url, {"action": "target", "scope": "blocs"}, follow=True)
    assert "Choisissez au moins un bloc" in r.content.decode()
    client.post(url, {"action": "target", "scope": "all"})
    assert not c.target_blocs.exists()
    # A bloc already validated at an earlier jury is not aimed at again.
    ValidatedBloc.objects.create(person=candidate, bloc=b3, validated_on=D(2024, 6, 1))
    r = client.post(url, {"action": "target", "scope": "blocs", "blocs": [b3.pk]}, follow=True)
    assert "déjà validé(s) : B3" in r.content.decode() and not c.target_blocs.exists()


def test_the_target_is_fixed_once_the_dossier_is_sent(client, vae, candidate, mos):
    from livret.referentiels.models import Bloc

    c = _start(client, vae, candidate)
    add_experience(client, c, ["A2.1C1"])
    client.post(reverse("vae_action", args=[c.pk]), {"action": "submit"})
    b2 = Bloc.objects.get(referentiel=mos, code="B2")
    r = client.post(
        reverse("vae_action", args=[c.pk]),
        {"action": "target", "scope": "blocs", "blocs": [b2.pk]},
        follow=True,
    )
    assert "Impossible de changer ce que vous visez" in r.content.decode()
    assert not c.target_blocs.exists()


def test_every_step_is_dated_attributed_and_told_to_the_candidate(client, vae, candidate):
    from livret.notifications.models import Notification

    c = _start(client, vae, candidate)
    add_experience(client, c, ["A2.1C1"])
    client.post(reverse("vae_action", args=[c.pk]), {"action": "submit"})
    client.force_login(vae["staff"])
    client.post(
        reverse("vae_action", args=[c.pk]),
        {"action": "admissibility", "decision": Candidacy.INCOMPLETE, "reasons": "Pièce manquante"},
    )
    steps = [(e.from_status, e.to_status, e.actor) for e in c.events.all()]
    assert steps == [
        (Candidacy.DRAFT, Candidacy.SENT, candidate),
        (Candidacy.SENT, Candidacy.INCOMPLETE, vae["staff"]),
    ]
    note = Notification.objects.get(recipient=candidate, kind="vae")
    assert "dossier de faisabilité incomplet" in note.title
    # The certifier cannot send the file for the candidate; the state machine says why.
    r = client.post(reverse("vae_action", args=[c.pk]), {"action": "submit"})
    assert r.status_code == 403
    client.force_login(candidate)
    page = client.get(reverse("vae_dossier", args=[c.pk])).content.decode()
    assert "Dossier de faisabilité incomplet (par" in page and "(par le candidat)" in page
