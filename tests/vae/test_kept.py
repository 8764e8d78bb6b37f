"""Issue 24, item 7: what was typed survives a refusal, and nothing is recorded that was not
decided. Each test reproduces a reported bug first."""

import datetime
import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from livret.referentiels.models import Bloc
from livret.vae.models import AdmissibilityDecision, BlocNarrative, Candidacy


def _page(r):
    return unescape(r.content.decode())


@pytest.fixture
def sent(vae, candidate):
    return Candidacy.objects.create(candidate=candidate, offer=vae["offer"], status=Candidacy.SENT)


def test_a_refused_admissibility_comes_back_as_chosen(client, vae, sent):
    """« Non recevable » without reasons used to come back as « Recevable », reasons emptied."""
    client.force_login(vae["staff"])
    r = client.post(
        reverse("vae_action", args=[sent.pk]),
        {"action": "admissibility", "decision": Candidacy.INADMISSIBLE, "reasons": "   "},
    )
    page = _page(r)
    assert r.status_code == 400 and "doit être motivée" in page
    selected = re.findall(r'<option value="(\w+)" selected>', page)
    assert selected == [Candidacy.INADMISSIBLE]
    assert not AdmissibilityDecision.objects.exists()
    sent.refresh_from_db()
    assert sent.status == Candidacy.SENT


def test_a_refused_comment_keeps_its_text(client, vae, sent, candidate, django_user_model):
    from livret.people.models import Profile
    from tests.world import make_user

    guide = make_user(django_user_model, "guide", Profile.VAE_GUIDE, vae["offer"].certifier)
    sent.guide = guide
    sent.save()
    client.force_login(guide)
    long = "Très bien. " * 400
    r = client.post(reverse("vae_action", args=[sent.pk]), {"action": "comment", "text": long})
    assert r.status_code == 400 and "4 000 caractères au plus." in _page(r)
    assert long.strip() in _page(r)


@pytest.fixture
def admissible(vae, candidate):
    return Candidacy.objects.create(
        candidate=candidate, offer=vae["offer"], status=Candidacy.ADMISSIBLE
    )


def _blocs(c):
    return list(
        Bloc.objects.filter(referentiel=c.offer.referentiel, optional=False).order_by("position")
    )


def test_saving_one_bloc_keeps_what_was_typed_in_another(client, candidate, admissible):
    """Each bloc had its own form: typing in B1 then saving B2 lost B1's text."""
    b = _blocs(admissible)
    client.force_login(candidate)
    page = _page(client.get(reverse("vae_dossier", args=[admissible.pk])))
    assert page.count('class="livret2"') == 1  # one form for the whole livret 2
    client.post(
        reverse("vae_action", args=[admissible.pk]),
        {
            "action": "narrative",
            f"text_{b[0].pk}": "J'ai tenu le planning.",
            f"text_{b[1].pk}": "J'ai encadré 12 agents.",
        },
    )
    texts = dict(BlocNarrative.objects.values_list("bloc__code", "text"))
    assert texts == {b[0].code: "J'ai tenu le planning.", b[1].code: "J'ai encadré 12 agents."}


def test_sending_with_empty_blocs_lists_them_and_asks(client, candidate, admissible):
    b = _blocs(admissible)
    client.force_login(candidate)
    data = {"action": "send_validation", f"text_{b[0].pk}": "J'ai tenu le planning."}
    r = client.post(reverse("vae_action", args=[admissible.pk]), data)
    page = _page(r)
    assert r.status_code == 400
    assert "Ces blocs sont encore vides : " + ", ".join(x.code for x in b[1:]) in page
    assert "J'envoie mon dossier sans décrire ces blocs" in page
    assert "J'ai tenu le planning." in page  # typed, kept (and saved as a draft)
    admissible.refresh_from_db()
    assert admissible.status == Candidacy.ADMISSIBLE
    r = client.post(reverse("vae_action", args=[admissible.pk]), {**data, "confirm_empty": "1"})
    admissible.refresh_from_db()
    assert r.status_code == 302 and admissible.status == Candidacy.VALIDATION_SENT


def test_past_dates_are_past(client, vae, candidate):
    client.force_login(candidate)
    client.post(reverse("vae_start"), {"offer": vae["offer"].pk})
    c = Candidacy.objects.get(candidate=candidate)
    soon = timezone.localdate() + datetime.timedelta(days=30)
    r = client.post(
        reverse("vae_experience_new", args=[c.pk]),
        {
            "kind": "salaried",
            "employer": "Hôtel du Parc",
            "job_title": "Chef de poste",
            "start": "2020-01-01",
            "end": soon.isoformat(),
            "time": "full_time",
            "part_time_percent": 100,
        },
    )
    page = _page(r)
    assert r.status_code == 400 and "Une fin ne peut pas être dans le futur" in page
    assert 'value="Hôtel du Parc"' in page
    assert not c.experiences.exists()
    r = client.post(reverse("vae_home"), {"birth_date": soon.isoformat(), "city": "Lyon"})
    assert "Une date de naissance est passée." in _page(r) and 'value="Lyon"' in _page(r)
