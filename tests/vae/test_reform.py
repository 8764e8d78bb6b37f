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
    assert "Impossible de modifier le dossier de faisabilité" in r.content.decode()
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


def test_one_feasibility_file_per_diploma_and_three_diplomas_a_year(
    client, vae, candidate, mos, django_user_model
):
    """Code du travail, art. R. 6412-3."""
    from django.conf import settings

    from livret.people.models import Organisation
    from livret.referentiels.loader import load_files
    from livret.referentiels.models import Bloc
    from livret.vae.models import VaeOffer

    c1 = _start(client, vae, candidate)
    add_experience(client, c1, ["A2.1C1"])
    client.post(reverse("vae_action", args=[c1.pk]), {"action": "submit"})
    client.post(reverse("vae_action", args=[c1.pk]), {"action": "withdraw"})
    # A second whole-diploma file for the same diploma the same year: refused.
    other = Organisation.objects.create(name="Autre DAVA", kind=Organisation.TRAINING_BODY)
    offer2 = VaeOffer.objects.create(certifier=other, referentiel=mos)
    client.post(reverse("vae_start"), {"offer": offer2.pk})
    c2 = Candidacy.objects.get(candidate=candidate, offer=offer2)
    add_experience(client, c2, ["A2.1C1"])
    r = client.post(reverse("vae_action", args=[c2.pk]), {"action": "submit"}, follow=True)
    assert "un seul par année civile (Code du travail, art. R. 6412-3)" in r.content.decode()
    c2.refresh_from_db()
    assert c2.status == Candidacy.DRAFT
    # Files that aimed at blocs do not count: c1 aimed at B2 → c2 may go.
    c1.target_blocs.set([Bloc.objects.get(referentiel=mos, code="B2")])
    client.post(reverse("vae_action", args=[c2.pk]), {"action": "submit"})
    c2.refresh_from_db()
    assert c2.status == Candidacy.SENT
    # Three different diplomas already this year: a fourth is refused.
    from livret.vae.models import CandidacyEvent

    files = [
        settings.REFERENTIEL_DIR / n
        for n in (
            "bts-mco_2026-11-22.yaml",
            "cap-agent-securite_2026-11-22.yaml",
            "tp-operateur-videoprotection_2026-11-26.yaml",
        )
    ]
    refs = [x.referentiel for x in load_files(files)]
    for ref in refs[:2]:
        c = Candidacy.objects.create(
            candidate=candidate, offer=VaeOffer.objects.create(certifier=other, referentiel=ref)
        )
        CandidacyEvent.objects.create(
            candidacy=c,
            action="submit",
            from_status="draft",
            to_status="feasibility_sent",
            actor=candidate,
        )
    fourth = Candidacy.objects.create(
        candidate=candidate, offer=VaeOffer.objects.create(certifier=other, referentiel=refs[2])
    )
    import pytest

    with pytest.raises(services.ValidationError, match="trois diplômes différents"):
        services._yearly_limit(fourth, D.today().year)
    # The next calendar year, the count starts again.
    services._yearly_limit(fourth, D.today().year + 1)
