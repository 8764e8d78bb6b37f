"""Titre professionnel by VAE (issue 24, item 4): once recevable, the candidate is registered to
a titre session of the certifier's own organisation, sits the mise en situation professionnelle
with the trainees, and the CCPs its jury grants carry to his VAE file (and so to his badges)."""

from html import unescape

import pytest
from django.conf import settings
from django.urls import reverse

from livret.exams.models import CcpResult, ExamSession
from livret.people.models import Organisation
from livret.referentiels.loader import load_files
from livret.vae.models import Candidacy, TitreRegistration, VaeOffer, ValidatedBloc


@pytest.fixture
def tp(db):
    files = sorted(settings.REFERENTIEL_DIR.glob("tp-operateur-videoprotection_*.yaml"))
    return load_files([files[-1]])[0].referentiel


@pytest.fixture
def file(vae, candidate, tp):
    offer = VaeOffer.objects.create(certifier=vae["offer"].certifier, referentiel=tp)
    return Candidacy.objects.create(candidate=candidate, offer=offer, status=Candidacy.ADMISSIBLE)


def test_registered_to_a_session_of_his_certifier_and_ccps_carried(
    client, vae, candidate, file, tp
):
    own = ExamSession.objects.create(
        referentiel=tp, organiser=vae["offer"].certifier, year=2026, name="Session TP décembre"
    )
    other_org = Organisation.objects.create(name="Autre centre", kind=Organisation.TRAINING_BODY)
    foreign = ExamSession.objects.create(
        referentiel=tp, organiser=other_org, year=2026, name="Session d'ailleurs"
    )
    client.force_login(vae["staff"])
    page = unescape(client.get(reverse("vae_jury", args=[file.pk])).content.decode())
    assert "Session TP décembre" in page and "Session d'ailleurs" not in page
    # Another organisation's session is neither offered nor accepted.
    client.post(
        reverse("vae_jury", args=[file.pk]), {"action": "titre_register", "session": foreign.pk}
    )
    assert not TitreRegistration.objects.exists()
    client.post(
        reverse("vae_jury", args=[file.pk]), {"action": "titre_register", "session": own.pk}
    )
    registration = TitreRegistration.objects.get(candidacy=file)
    row = registration.exam_candidate
    assert row.session == own and (row.first_name, row.last_name) == ("Sam", "Vigier")
    r = client.post(
        reverse("vae_jury", args=[file.pk]),
        {"action": "titre_register", "session": own.pk},
        follow=True,
    )
    assert "déjà inscrit à cette session" in unescape(r.content.decode())
    # Nothing granted yet: nothing to carry.
    r = client.post(reverse("vae_jury", args=[file.pk]), {"action": "titre_carry"}, follow=True)
    assert "Aucun CCP acquis à reporter" in unescape(r.content.decode())
    # The session's jury of professionals grants CCP1, not CCP2.
    CcpResult.objects.create(
        candidate=row, ccp="CCP1", decision=CcpResult.ACQUIRED, entered_by=vae["staff"]
    )
    CcpResult.objects.create(
        candidate=row, ccp="CCP2", decision=CcpResult.NOT_ACQUIRED, entered_by=vae["staff"]
    )
    r = client.post(reverse("vae_jury", args=[file.pk]), {"action": "titre_carry"}, follow=True)
    assert "CCP reportés au dossier VAE : CCP1." in unescape(r.content.decode())
    assert list(
        ValidatedBloc.objects.filter(person=candidate).values_list("bloc__code", flat=True)
    ) == ["CCP1"]
    client.force_login(candidate)
    page = unescape(client.get(reverse("vae_dossier", args=[file.pk])).content.decode())
    assert "Inscrit(e) à la session du titre « Session TP décembre »" in page


def test_only_a_titre_and_only_once_recevable(client, vae, candidate, file, tp):
    own = ExamSession.objects.create(
        referentiel=tp, organiser=vae["offer"].certifier, year=2026, name="Session TP"
    )
    Candidacy.objects.filter(pk=file.pk).update(status=Candidacy.SENT)
    client.force_login(vae["staff"])
    r = client.post(
        reverse("vae_jury", args=[file.pk]),
        {"action": "titre_register", "session": own.pk},
        follow=True,
    )
    assert "Impossible d'inscrire le candidat à une session du titre" in unescape(
        r.content.decode()
    )
    assert not TitreRegistration.objects.exists()
