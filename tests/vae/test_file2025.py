"""The feasibility file as the 2025 model asks (arrêté du 3 juillet 2025): formations and
certifications held, prerequisites, the accompagnateur's formal avis; the result told to the
candidate and his accompagnateur by real e-mail (R. 6412-5); the certificate for the VAE leave
(décret n° 2024-332); retention: the certifier's years after the jury, the lapse or the
withdrawal, the decision and the validated blocs kept as his record."""

import datetime
import io
import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from livret.ops import rights
from livret.people.models import Organisation, Profile
from livret.vae import clocks
from livret.vae.models import (
    Candidacy,
    FeasibilityOpinion,
    JuryResult,
    PriorLearning,
    VaeSettings,
    ValidatedBloc,
)
from tests.mailbox import smtp, subject  # noqa: F401 (fixture)
from tests.world import make_user

D = datetime.date


@pytest.fixture
def guide(vae, django_user_model):
    aap = Organisation.objects.create(name="AAP", kind=Organisation.TRAINING_BODY)
    return make_user(django_user_model, "guide", Profile.VAE_GUIDE, aap, email="guide@exemple.fr")


@pytest.fixture
def dossier(vae, candidate, guide):
    offer = vae["offer"]
    offer.prerequisites = "Carte professionnelle CNAPS en cours de validité."
    offer.save()
    return Candidacy.objects.create(candidate=candidate, offer=offer, guide=guide)


def _post(client, c, status=200, **data):
    r = client.post(reverse("vae_action", args=[c.pk]), data, follow=True)
    assert r.status_code == status
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", r.content.decode())).split())


def test_the_candidate_fills_the_2025_file(client, candidate, dossier):
    client.force_login(candidate)
    page = _post(client, dossier, 400, action="prior", kind="nope", title="", year="20x9")
    # every problem at once (each beside its field: test_kept_file2025), nothing saved
    assert "Nature : Choisissez : formation suivie ou certification obtenue." in page
    assert "Intitulé : Obligatoire." in page
    assert "Année : Un nombre à quatre chiffres" in page
    assert not PriorLearning.objects.exists()
    page = _post(
        client,
        dossier,
        action="prior",
        kind="certification",
        title="CQP Agent de prévention et de sécurité",
        organisation="CPNEFP",
        year="2019",
    )
    assert "Formation ou certification ajoutée." in page
    assert "Certification obtenue : CQP Agent de prévention et de sécurité (CPNEFP), 2019" in page
    page = _post(client, dossier, action="prerequisites", prerequisites="Carte n° 123, 2029.")
    assert "Carte professionnelle CNAPS en cours de validité." in page
    dossier.refresh_from_db()
    assert dossier.prerequisites == "Carte n° 123, 2029."
    # once sent, the file no longer changes
    Candidacy.objects.filter(pk=dossier.pk).update(status=Candidacy.SENT)
    page = _post(client, dossier, action="prior", kind="formation", title="SST", year="2020")
    assert "Impossible d'ajouter" in page or "modifier le dossier de faisabilité" in page
    assert PriorLearning.objects.count() == 1


def test_the_accompagnateur_gives_a_formal_avis_beside_his_comments(
    client, candidate, guide, dossier, vae
):
    client.force_login(guide)
    page = _post(client, dossier, 400, action="opinion", opinion="maybe", reasons="")
    assert "Mon avis sur la faisabilité : Favorable ou réservé." in page
    assert "Motifs de l'avis : Obligatoires" in page
    page = _post(
        client,
        dossier,
        action="opinion",
        opinion="reserved",
        reasons="Expérience d'encadrement à étayer (bloc 3).",
    )
    assert "Avis de faisabilité enregistré" in page
    assert "Avis réservé : Expérience d'encadrement à étayer (bloc 3)." in page
    client.force_login(candidate)
    assert "Avis réservé" in unescape(
        client.get(reverse("vae_dossier", args=[dossier.pk])).content.decode()
    )
    # the candidate may not give it (403); after the certifier's decision, no more avis
    assert (
        client.post(
            reverse("vae_action", args=[dossier.pk]),
            {"action": "opinion", "opinion": "favourable", "reasons": "x"},
        ).status_code
        == 403
    )
    Candidacy.objects.filter(pk=dossier.pk).update(status=Candidacy.ADMISSIBLE)
    client.force_login(guide)
    page = _post(client, dossier, action="opinion", opinion="favourable", reasons="Revu.")
    assert "Impossible de donner l'avis de faisabilité" in page
    assert FeasibilityOpinion.objects.count() == 1


def test_the_result_is_told_to_candidate_and_accompagnateur_by_email(
    smtp,  # noqa: F811
    vae,
    candidate,
    guide,
    dossier,
    django_capture_on_commit_callbacks,
):
    Candidacy.objects.filter(pk=dossier.pk).update(
        status=Candidacy.VALIDATION_SENT, validation_sent_at=timezone.now()
    )
    dossier.refresh_from_db()
    made = JuryResult.objects.create(
        candidacy=dossier,
        result=JuryResult.REFUSED,
        jury_date=timezone.localdate(),
        decided_by=vae["staff"],
    )
    # record_jury (vae/services.py) calls it once the decision is recorded
    with django_capture_on_commit_callbacks(execute=True):
        clocks.tell_result(made)
    to_candidate = smtp.to("cand@exemple.fr")
    to_guide = smtp.to("guide@exemple.fr")
    assert len(to_candidate) == 1 and len(to_guide) == 1
    assert "résultat du jury VAE : refus de validation" in subject(to_candidate[0])
    assert "comme accompagnateur de Sam Vigier" in to_guide[0].get_content()
    made.refresh_from_db()
    assert made.notified_at is not None
    # the notification clock is met
    Candidacy.objects.filter(pk=dossier.pk).update(status=Candidacy.JURY_DONE)
    done = Candidacy.objects.get(pk=dossier.pk)
    kinds = {k["d"].kind: k["level"] for k in clocks.view_of(done, timezone.localdate())}
    assert kinds["notification"] == "done"


def test_the_leave_certificate_on_the_candidates_request(client, vae, candidate, dossier):
    from livret.vae.models import CandidacyEvent

    client.force_login(candidate)
    url = reverse("vae_leave_certificate_pdf", args=[dossier.pk])
    r = client.get(url, follow=True)
    assert "disponible une fois le dossier de faisabilité envoyé" in unescape(r.content.decode())
    Candidacy.objects.filter(pk=dossier.pk).update(
        status=Candidacy.SENT, submitted_at=timezone.now()
    )
    CandidacyEvent.objects.create(
        candidacy=dossier,
        action="submit",
        from_status="draft",
        to_status="feasibility_sent",
        actor=candidate,
    )
    r = client.get(url)
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(r.content)).pages)
    text = " ".join(text.split())
    assert "Sam Vigier" in text and "48 heures" in text and "2024-332" in text
    client.force_login(vae["staff"])
    assert client.get(url).status_code == 403


def _jury_done(vae, candidate, jury_date, mos):
    from livret.referentiels.models import Bloc

    c = Candidacy.objects.create(
        candidate=candidate, offer=vae["offer"], status=Candidacy.JURY_DONE
    )
    PriorLearning.objects.create(
        candidacy=c, kind="formation", title="SST Vigier", organisation="INRS", year=2020
    )
    FeasibilityOpinion.objects.create(
        candidacy=c, opinion="favourable", reasons="Sam Vigier est prêt.", author=vae["staff"]
    )
    result = JuryResult.objects.create(
        candidacy=c, result=JuryResult.PARTIAL, jury_date=jury_date, decided_by=vae["staff"]
    )
    bloc = Bloc.objects.filter(referentiel=mos).first()
    result.blocs.set([bloc])
    ValidatedBloc.objects.create(person=candidate, bloc=bloc, source=result, validated_on=jury_date)
    return c


def test_retention_is_the_certifiers_years_and_his_record_stays(vae, candidate, mos):
    c = _jury_done(vae, candidate, D(2026, 6, 15), mos)
    assert rights.vae_retention_end(candidate, D(2026, 12, 1)) == D(2031, 6, 15)
    VaeSettings.objects.create(certifier=vae["offer"].certifier, retention_years=2)
    assert rights.vae_retention_end(candidate, D(2026, 12, 1)) == D(2028, 6, 15)
    assert rights.purge(D(2028, 6, 14))["candidats_vae"] == 0
    assert rights.purge(D(2028, 6, 15))["candidats_vae"] == 1
    candidate.refresh_from_db()
    assert candidate.username == f"anonyme-vae-{candidate.pk}"
    prior = PriorLearning.objects.get(candidacy=c)
    assert (prior.title, prior.organisation, prior.year) == ("", "", 2020)
    opinion = FeasibilityOpinion.objects.get(candidacy=c)
    assert (opinion.opinion, opinion.reasons) == ("favourable", "")
    # the certifier's record: the decision, its date, the blocs validated
    result = JuryResult.objects.get(candidacy=c)
    assert (result.result, result.jury_date) == (JuryResult.PARTIAL, D(2026, 6, 15))
    assert ValidatedBloc.objects.filter(source=result).count() == 1


def test_a_lapsed_candidacy_ends_and_its_retention_runs(vae, candidate):
    c = Candidacy.objects.create(candidate=candidate, offer=vae["offer"], status=Candidacy.LAPSED)
    lapsed_on = timezone.localdate(c.updated_at)
    end = rights.vae_retention_end(candidate, lapsed_on)
    assert end is not None and end.year == lapsed_on.year + 5


def test_the_dossier_pdf_carries_the_2025_file(client, candidate, guide, dossier):
    PriorLearning.objects.create(
        candidacy=dossier, kind="certification", title="CQP APS", organisation="CPNEFP", year=2019
    )
    FeasibilityOpinion.objects.create(
        candidacy=dossier, opinion="favourable", reasons="Parcours cohérent.", author=guide
    )
    client.force_login(guide)
    r = client.get(reverse("vae_dossier_pdf", args=[dossier.pk]))
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(r.content)).pages)
    text = " ".join(text.split())
    assert "Certification obtenue : CQP APS (CPNEFP), 2019" in text
    assert "Carte professionnelle CNAPS" in text
    assert "Avis favorable" in text and "Parcours cohérent." in text
