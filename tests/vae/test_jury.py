"""The VAE jury as the certifier runs it (Code du travail, art. D. 6412-6): members refused as the
article says, every problem at once beside its field, a convocation by e-mail and PDF, a
decision checked, summarised, confirmed, then corrected only by a reasoned new one."""

import datetime
import io
import re
from html import unescape

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from livret.people.models import Organisation, Profile
from livret.referentiels.models import Bloc
from livret.vae import jury, services
from livret.vae.models import (
    Candidacy,
    JuryDecisionDetail,
    JuryMember,
    JuryResult,
    ValidatedBloc,
)
from tests.mailbox import smtp, subject  # noqa: F401 (fixture)
from tests.world import make_user


@pytest.fixture
def guide(django_user_model):
    org = Organisation.objects.create(name="Accompagnement VAE", kind=Organisation.TRAINING_BODY)
    user = make_user(django_user_model, "guide", Profile.VAE_GUIDE, org)
    user.first_name, user.last_name, user.email = "Guy", "Martin", "guy.martin@exemple.fr"
    user.save()
    return user


@pytest.fixture
def file(vae, candidate, guide):
    """A validation file sent, the candidate accompanied by Guy Martin."""
    return Candidacy.objects.create(
        candidate=candidate, offer=vae["offer"], status=Candidacy.VALIDATION_SENT, guide=guide
    )


def _blocs(c):
    return list(
        Bloc.objects.filter(referentiel=c.offer.referentiel, optional=False).order_by("position")
    )


def _member(client, c, **data):
    fields = {"action": "add_member"} | {f"member-{k}": v for k, v in data.items()}
    return client.post(reverse("vae_jury", args=[c.pk]), fields)


def _three(c, staff):
    """A jury of three with a president, as the browser journey builds it."""
    for name, quality, qualified, gender in [
        ("Ana Roy", "president", True, "F"),
        ("Bruno Lac", "enseignant", False, "M"),
        ("Chloé Val", "professionnel", True, "F"),
    ]:
        jury.add_member(
            c,
            {
                "name": name,
                "quality": quality,
                "qualified": qualified,
                "gender": gender,
                "declared_no_link": True,
            },
            staff,
        )
    return list(c.jury_members.all())


def test_members_refused_as_the_article_says_every_problem_at_once(client, vae, file):
    client.force_login(vae["staff"])
    # The accompagnateur (by his address), without the declaration: both reasons, beside their
    # fields, what was typed kept, nothing saved.
    r = _member(client, file, name="G. Martin", email="Guy.Martin@exemple.fr", quality="president")
    page = unescape(r.content.decode())
    assert r.status_code == 400
    assert "G. Martin a accompagné le candidat dans sa VAE : il ne peut pas siéger" in page
    assert "n'a pas déclaré n'avoir aucun lien" in page
    assert 'value="G. Martin"' in page and 'value="Guy.Martin@exemple.fr"' in page
    # By his name too (accents and case aside), and a former accompagnateur as well.
    r = _member(client, file, name="guy MARTIN", quality="enseignant", declared_no_link="on")
    assert r.status_code == 400 and "a accompagné le candidat" in unescape(r.content.decode())
    assert not JuryMember.objects.exists()
    # One member: the page says what still refuses the jury.
    _member(client, file, name="Ana Roy", quality="president", gender="F", declared_no_link="on")
    page = unescape(client.get(reverse("vae_jury", args=[file.pk])).content.decode())
    assert "Le jury réunit au moins deux personnes" in page
    assert "Au moins un membre est qualifié au titre de la certification" in page
    # A second president is refused.
    r = _member(client, file, name="Bo Lin", quality="president", declared_no_link="on")
    assert "Le jury a déjà un président" in unescape(r.content.decode())
    _member(client, file, name="Bo Lin", quality="professionnel", qualified="on", gender="M")
    assert JuryMember.objects.count() == 1  # no declaration, no member
    _member(
        client,
        file,
        name="Bo Lin",
        quality="professionnel",
        qualified="on",
        gender="M",
        declared_no_link="on",
    )
    page = unescape(client.get(reverse("vae_jury", args=[file.pk])).content.decode())
    assert "Le jury peut siéger." in page and "Femmes : 1 · hommes : 1" in page


def test_a_former_accompagnateur_may_not_sit(vae, file, guide):
    file.guide = None
    file.save()
    with pytest.raises(services.ValidationError, match="a accompagné le candidat"):
        jury.add_member(
            file,
            {"name": "Guy Martin", "quality": "enseignant", "declared_no_link": True},
            vae["staff"],
        )


def test_convocation_by_mail_and_pdf_once_the_jury_may_sit(
    client, vae, file, candidate, django_capture_on_commit_callbacks
):
    client.force_login(vae["staff"])
    later = timezone.localdate() + datetime.timedelta(days=20)
    data = {
        "action": "convene",
        "convocation-date": later.isoformat(),
        "convocation-time": "09:30",
        "convocation-place": "DAVA, 12 rue des Écoles, Lyon",
        "convocation-modalities": "Entretien de 45 minutes.",
    }
    r = client.post(reverse("vae_jury", args=[file.pk]), data)
    assert r.status_code == 400 and "Le jury ne peut pas encore siéger" in unescape(
        r.content.decode()
    )
    assert not file.jury_convocations.exists()
    _three(file, vae["staff"])
    JuryMember.objects.filter(name="Ana Roy").update(email="ana.roy@exemple.fr")
    past = dict(data, **{"convocation-date": "2020-01-10"})
    r = client.post(reverse("vae_jury", args=[file.pk]), past)
    assert "Une convocation fixe une date à venir." in unescape(r.content.decode())
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("vae_jury", args=[file.pk]), data)
    to_candidate = [m for m in mail.outbox if m.to == [candidate.email]][-1]
    assert f"{later:%d/%m/%Y} à 09:30" in to_candidate.body
    assert "DAVA, 12 rue des Écoles" in to_candidate.body and "45 minutes" in to_candidate.body
    assert any(m.to == ["ana.roy@exemple.fr"] for m in mail.outbox)
    client.force_login(candidate)
    page = unescape(client.get(reverse("vae_dossier", args=[file.pk])).content.decode())
    assert "Convocation au jury" in page
    pdf = client.get(reverse("vae_convocation_pdf", args=[file.pk]))
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert "Sam Vigier" in text and "Lyon" in text and "Ana Roy" in text


def _decision(client, c, step="check", **data):
    return client.post(reverse("vae_jury_decision", args=[c.pk]), {"step": step, **data})


def test_partial_without_bloc_comes_back_as_typed_and_records_nothing(client, vae, file):
    """Issue 24, item 7: « Validation partielle » without a bloc came back reset to « Validation
    totale », and the next submit recorded a total validation."""
    members = _three(file, vae["staff"])
    client.force_login(vae["staff"])
    r = _decision(
        client,
        file,
        result="partial",
        jury_date="2030-01-15",
        sat=[m.pk for m in members],
        comment="Bon dossier",
    )
    page = unescape(r.content.decode())
    assert r.status_code == 400
    assert "cochez-en au moins un" in page
    assert "pas de date future" in page  # a jury held in 2030
    # The blocs' error beside their group (marked, described) and in the summary linking to it.
    group = re.search(r'<fieldset[^>]*id="id_blocs"[^>]*>', page).group(0)
    assert 'aria-invalid="true"' in group and 'aria-describedby="id_blocs_error"' in group
    assert re.search(r'id="id_blocs_error"[^>]*><li>[^<]*cochez-en au moins un', page)
    assert 'href="#id_blocs"' in page
    radios = dict(re.findall(r'<input type="radio" name="result" value="(\w+)"([^>]*)>', page))
    assert "checked" in radios["partial"] and "checked" not in radios["total"]
    assert "Bon dossier" in page and 'value="2030-01-15"' in page
    assert not JuryResult.objects.exists()
    file.refresh_from_db()
    assert file.status == Candidacy.VALIDATION_SENT


def test_decision_summarised_then_confirmed_with_who_sat_and_preconisations(
    client, vae, file, candidate
):
    members = _three(file, vae["staff"])
    b = _blocs(file)
    client.force_login(vae["staff"])
    data = {
        "result": "partial",
        "jury_date": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(),
        "blocs": [b[0].pk],
        "sat": [m.pk for m in members],
        "casting_vote": "on",
    }
    # A bloc not validated needs the jury's préconisation: said for each one, all at once.
    r = _decision(client, file, **data)
    page = unescape(r.content.decode())
    assert r.status_code == 400
    for other in b[1:]:
        assert f"Bloc {other.code} non validé : indiquez la préconisation du jury." in page
    recs = {f"rec_kind_{x.pk}": "training" for x in b[1:]}
    recs[f"rec_kind_{b[1].pk}"] = "new_passage"
    recs[f"rec_text_{b[1].pk}"] = "Après six mois d'encadrement."
    r = _decision(client, file, **data, **recs)
    page = unescape(r.content.decode())
    assert r.status_code == 200 and "Vérifiez la décision avant de l'enregistrer" in page
    assert "Validation partielle" in page and "Ana Roy (président du jury)" in page
    assert "utilisée (partage égal des voix)" in page
    assert not JuryResult.objects.exists()  # nothing until confirmed
    # « Modifier » brings the form back as typed.
    r = _decision(client, file, step="edit", **data, **recs)
    assert "Après six mois d'encadrement." in unescape(r.content.decode())
    r = _decision(client, file, step="confirm", **data, **recs)
    assert r.status_code == 302
    result = JuryResult.objects.get(candidacy=file)
    assert result.result == JuryResult.PARTIAL and list(result.blocs.all()) == [b[0]]
    detail = result.details.get()
    assert set(detail.sat.all()) == set(members) and detail.casting_vote
    assert detail.decided_by == vae["staff"] and detail.replaces is None
    assert {r.bloc.code: r.kind for r in result.recommendations.all()}[b[1].code] == "new_passage"
    client.force_login(candidate)
    page = unescape(client.get(reverse("vae_dossier", args=[file.pk])).content.decode())
    assert "Préconisations du jury" in page
    assert f"{b[1].code} {b[1].title} : se présenter de nouveau devant le jury" in page
    letter = client.get(reverse("vae_decision_pdf", args=[file.pk]))
    pages = PdfReader(io.BytesIO(letter.content)).pages
    text = " ".join(" ".join(p.extract_text() for p in pages).split())
    assert "Préconisations du jury" in text and "se présenter de nouveau" in text
    assert "Ont siégé : Ana Roy (président du jury)" in text and "prépondérante" in text


def test_a_correction_is_a_reasoned_attributed_new_decision(
    client,
    vae,
    file,
    candidate,
    guide,
    smtp,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    members = _three(file, vae["staff"])
    b = _blocs(file)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    services.record_jury(
        file,
        "partial",
        yesterday,
        [b[0]],
        "",
        vae["staff"],
        sat=members,
        recommendations={x.pk: ("training", "") for x in b[1:]},
    )
    assert set(ValidatedBloc.objects.values_list("bloc", flat=True)) == {b[0].pk}
    client.force_login(vae["staff"])
    page = unescape(client.get(reverse("vae_jury_decision", args=[file.pk])).content.decode())
    assert "Motif de la correction" in page
    data = {
        "result": "partial",
        "jury_date": yesterday.isoformat(),
        "blocs": [b[1].pk],
        "sat": [m.pk for m in members],
        **{f"rec_kind_{x.pk}": "experience" for x in [b[0], *b[2:]]},
    }
    r = _decision(client, file, step="confirm", **data)
    assert r.status_code == 400 and "indiquez le motif" in unescape(r.content.decode())
    assert JuryDecisionDetail.objects.count() == 1
    smtp.messages.clear()
    with django_capture_on_commit_callbacks(execute=True):
        r = _decision(
            client, file, step="confirm", reason="Erreur de saisie : B2 et non B1.", **data
        )
    assert r.status_code == 302
    # R. 6412-5: the result goes to the candidate and to his accompagnateur; so does its
    # correction, with its reason — by e-mail and in their notifications.
    for address in (candidate.email, guide.email):
        told = smtp.to(address)
        assert len(told) == 1, address
        assert "décision corrigée de votre jury VAE" in subject(told[0])
        assert "Erreur de saisie : B2 et non B1." in told[0].get_content()
    assert "comme accompagnateur" in smtp.to(guide.email)[0].get_content()
    assert guide.notifications.filter(title__contains="corrigée").exists()
    result = JuryResult.objects.get(candidacy=file)
    assert list(result.blocs.all()) == [b[1]]
    first, second = result.details.all()
    assert second.replaces["blocs"] == [b[0].code] and second.reason.startswith("Erreur")
    assert second.decided_by == vae["staff"]
    assert set(ValidatedBloc.objects.values_list("bloc", flat=True)) == {b[1].pk}
    page = unescape(client.get(reverse("vae_dossier", args=[file.pk])).content.decode())
    assert "Décision corrigée le" in page and "Erreur de saisie" in page


def test_the_jury_pages_are_the_certifiers(client, vae, file, candidate, guide):
    for who, code in [(candidate, 403), (guide, 403), (vae["other_staff"], 404)]:
        client.force_login(who)
        assert client.get(reverse("vae_jury", args=[file.pk])).status_code == code
        assert client.get(reverse("vae_jury_decision", args=[file.pk])).status_code == code
    client.force_login(vae["staff"])
    assert client.get(reverse("vae_jury", args=[file.pk])).status_code == 200
