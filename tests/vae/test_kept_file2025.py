"""Issue 24, item 7, for the 2025 feasibility file's forms (formations and certifications held,
prerequisites, the accompagnateur's avis): a refusal shows the dossier again (400), each error
beside its field (aria-invalid, aria-describedby) and in the summary, what was typed kept,
nothing saved. These reproduced the bug: each used to redirect, the errors only in a banner."""

import re
from html import unescape

import pytest
from django.urls import reverse

from livret.people.models import Organisation, Profile
from livret.vae.models import Candidacy, FeasibilityOpinion, PriorLearning
from tests.world import make_user


@pytest.fixture
def guide(vae, django_user_model):
    aap = Organisation.objects.create(name="AAP", kind=Organisation.TRAINING_BODY)
    return make_user(django_user_model, "guide", Profile.VAE_GUIDE, aap)


@pytest.fixture
def dossier(vae, candidate, guide):
    offer = vae["offer"]
    offer.prerequisites = "Carte professionnelle CNAPS en cours de validité."
    offer.save()
    return Candidacy.objects.create(candidate=candidate, offer=offer, guide=guide)


def _post(client, c, **data):
    return client.post(reverse("vae_action", args=[c.pk]), data)


def _beside(html: str, field_id: str) -> str:
    """The error list rendered beside a field (web/forms/field_errors.html)."""
    found = re.search(rf'<ul[^>]*id="{field_id}_error"[^>]*>(.*?)</ul>', html, re.S)
    return unescape(re.sub(r"<[^>]+>", " ", found.group(1))) if found else ""


def _control(html: str, field_id: str) -> str:
    found = re.search(rf'<(?:input|textarea|select|fieldset)[^>]*id="{field_id}"[^>]*>', html)
    return found.group(0) if found else ""


def test_a_refused_prior_learning_keeps_what_was_typed(client, candidate, dossier):
    client.force_login(candidate)
    r = _post(
        client,
        dossier,
        action="prior",
        kind="certification",
        title="",
        organisation="Organisme « Sécurité Plus »",
        year="20x9",
    )
    html = r.content.decode()
    assert r.status_code == 400
    # each error beside its field, marked invalid and described by it
    assert "Obligatoire" in _beside(html, "prior_title")
    assert "quatre chiffres" in _beside(html, "prior_year")
    for field in ("prior_title", "prior_year"):
        control = _control(html, field)
        assert 'aria-invalid="true"' in control and f"{field}_error" in control
    assert 'aria-invalid="true"' not in _control(html, "prior_organisation")
    # all at once in the summary at the top
    summary = unescape(html.split('id="form-errors"', 1)[1].split("</div>", 1)[0])
    assert "Intitulé" in summary and "Année" in summary
    # what was typed is there, the certification still chosen, the form open
    page = unescape(html)
    assert 'value="Organisme « Sécurité Plus »"' in page and 'value="20x9"' in page
    assert re.search(r'<option value="certification" selected>', html)
    assert "<details open" in html
    assert not PriorLearning.objects.exists()


def test_a_refused_prerequisites_text_keeps_it(client, candidate, dossier):
    dossier.prerequisites = "Ancien brouillon."
    dossier.save()
    client.force_login(candidate)
    long = "Carte n° 123 " * 400
    r = _post(client, dossier, action="prerequisites", prerequisites=long)
    html = r.content.decode()
    assert r.status_code == 400
    assert "4 000 caractères au plus." in _beside(html, "prereq_prerequisites")
    assert 'aria-invalid="true"' in _control(html, "prereq_prerequisites")
    assert long.strip() in unescape(html)
    dossier.refresh_from_db()
    assert dossier.prerequisites == "Ancien brouillon."


def test_a_refused_avis_keeps_the_choice_and_says_why_beside_it(client, guide, dossier):
    client.force_login(guide)
    r = _post(client, dossier, action="opinion", opinion="reserved", reasons="   ")
    html = r.content.decode()
    assert r.status_code == 400
    assert "Obligatoires" in _beside(html, "opinion_reasons")
    assert 'aria-invalid="true"' in _control(html, "opinion_reasons")
    # the avis chosen stays chosen (not back to « favorable »)
    checked = re.findall(r'<input[^>]*name="opinion"[^>]*>', html)
    assert [i for i in checked if "checked" in i and 'value="reserved"' in i]
    assert not [i for i in checked if "checked" in i and 'value="favourable"' in i]
    r = _post(client, dossier, action="opinion", opinion="maybe", reasons="Étayé.")
    html = r.content.decode()
    assert r.status_code == 400
    assert "Favorable ou réservé" in _beside(html, "opinion_opinion")
    assert "Étayé." in unescape(html)
    assert not FeasibilityOpinion.objects.exists()


def test_the_file_once_sent_is_still_refused_as_a_whole(client, candidate, dossier):
    """A closed file is a refusal of the act, not of a field: the page's message, as before."""
    Candidacy.objects.filter(pk=dossier.pk).update(status=Candidacy.SENT)
    client.force_login(candidate)
    r = _post(client, dossier, action="prior", kind="formation", title="SST", year="2020")
    assert r.status_code == 302
    assert not PriorLearning.objects.exists()
