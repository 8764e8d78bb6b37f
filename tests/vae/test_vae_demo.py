"""The demo as installed holds VAE files at each step, all accompanied by the demo
accompagnateur: the certifier and the accompagnateur see the journey at once, and the candidate
`candidat` reads his jury's partial decision with its préconisations."""

import datetime
from html import unescape

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from livret.ops import demo
from livret.referentiels.loader import default_files, load_files
from livret.vae import scopes
from livret.vae.models import Candidacy


@pytest.mark.django_db
def test_the_demo_holds_every_step_and_a_jury(client):
    load_files(default_files())
    demo.create(today=datetime.date(2026, 11, 26))
    users = {
        u.username: u
        for u in get_user_model().objects.filter(
            username__in=["certificateur", "accompagnateur", "candidat", "candidat-jury"]
        )
    }
    statuses = set(
        scopes.visible_candidacies(users["certificateur"]).values_list("status", flat=True)
    )
    assert statuses == {
        Candidacy.SENT,
        Candidacy.INCOMPLETE,
        Candidacy.ADMISSIBLE,
        Candidacy.VALIDATION_SENT,
        Candidacy.JURY_DONE,
    }
    assert scopes.visible_candidacies(users["accompagnateur"]).count() == 5
    waiting = Candidacy.objects.get(candidate=users["candidat-jury"])
    client.force_login(users["certificateur"])
    page = unescape(client.get(reverse("vae_jury", args=[waiting.pk])).content.decode())
    assert "Le jury peut siéger." in page and "Anne Roy" in page
    decided = Candidacy.objects.get(candidate=users["candidat"])
    client.force_login(users["candidat"])
    page = unescape(client.get(reverse("vae_dossier", args=[decided.pk])).content.decode())
    assert "Validation partielle" in page and "Préconisations du jury" in page
    assert "suivre une formation complémentaire" in page


@pytest.mark.django_db
def test_the_demo_never_builds_on_a_draft():
    # A workshop draft newer than the published version (made before `setup --demo` is run
    # again on a live base) is never offered to cohorts, so the demo's cohorts never get it.
    from livret.people.models import Cohort
    from livret.referentiels import services as ref_services
    from livret.referentiels.models import Referentiel

    load_files(default_files())
    for slug in ("bts-mos", "tp-operateur-videoprotection", "cap-agent-securite"):
        newest = Referentiel.objects.filter(diploma__slug=slug).order_by("-version").first()
        draft = ref_services.draft_from(newest, owner=None, user=None)
        assert draft.version > newest.version and draft.status == Referentiel.DRAFT
    demo.create(today=datetime.date(2026, 11, 26))
    assert not Cohort.objects.filter(referentiel__status=Referentiel.DRAFT).exists()
