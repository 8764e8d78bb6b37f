"""In a real Chromium at 390 px, on the demo: the CFA's manager records a contract's rupture
(an error first, then accepted), reads the rupture rates; the lycée's enseignant référent records
a contact with the tutor. axe-core finds no serious or critical violation on these pages."""

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from livret.ops import demo
from livret.referentiels.loader import default_files, load_files

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server):
    load_files(default_files())
    demo.create(today=datetime.date(2026, 11, 26))
    return live_server.url


def login(page, site, username):
    page.goto(site + "/connexion/")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill(demo.DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def serious(page) -> list:
    violations = Axe().run(page).response["violations"]
    return [(v["id"], v["impact"]) for v in violations if v["impact"] in ("serious", "critical")]


def test_manager_records_a_rupture_and_reads_the_rates(page, site, screenshot):
    from livret.periods.models import Contract

    page.set_viewport_size({"width": 390, "height": 844})
    login(page, site, "responsable")
    contract = (
        Contract.objects.filter(
            learner__centre__name=demo.CENTRE_NAME,
            rupture__isnull=True,
            learner__user__isnull=False,
        )
        .exclude(learner__user__username="apprenti")
        .order_by("pk")
        .first()
    )
    page.goto(f"{site}/centre/contrats/{contract.pk}/")
    page.get_by_role("link", name="Enregistrer une rupture de ce contrat").click()
    assert not serious(page)
    page.get_by_label("Date de la rupture").fill("2030-01-15")
    page.get_by_label("Rompu par").select_option("agreement")
    page.get_by_label("Motif").fill("Changement de projet professionnel.")
    page.get_by_role("button", name="Enregistrer la rupture").click()
    # Beside the field, in French; what was typed stays.
    expect(page.get_by_text("La rupture ne peut suivre la fin du contrat").last).to_be_visible()
    expect(page.get_by_label("Motif")).to_have_value("Changement de projet professionnel.")
    assert not serious(page)
    page.get_by_label("Date de la rupture").fill("2026-10-01")
    page.get_by_role("button", name="Enregistrer la rupture").click()
    expect(page.get_by_text("Rupture enregistrée").first).to_be_visible()
    expect(page.get_by_role("heading", name="Sans employeur depuis le 01/10/2026")).to_be_visible()
    expect(page.get_by_text("jusqu'au 31/03/2027").first).to_be_visible()
    screenshot(page, "rupture-390")
    page.goto(site + "/centre/")
    page.get_by_role("link", name="Taux de rupture des contrats").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Taux de rupture des contrats")
    total = page.get_by_role("row", name="Ensemble")
    expect(total.get_by_role("cell").nth(1)).to_have_text("2")  # the demo's rupture and ours
    assert not serious(page)
    screenshot(page, "rupture-rates-390")


def test_referent_records_a_contact_with_the_tutor(page, site, screenshot):
    from livret.periods.models import Period

    page.set_viewport_size({"width": 390, "height": 844})
    period = (
        Period.objects.filter(
            learner__centre__name=demo.LYCEE_NAME,
            kind=Period.PFMP,
            referent__username="formateur-lycee",
        )
        .order_by("-start")
        .first()
    )
    login(page, site, "formateur-lycee")
    page.goto(f"{site}/livrets/{period.learner_id}/periodes/{period.pk}/contacts/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Contacts avec le tuteur")
    day = min(period.end, datetime.date.today()) - datetime.timedelta(days=1)
    page.get_by_label("Date").fill(day.isoformat())
    page.get_by_label("Modalité").select_option("video")
    page.get_by_label("Compte rendu").fill("Point en visioconférence : tout va bien.")
    page.get_by_role("button", name="Enregistrer le contact").click()
    expect(page.get_by_text("Contact enregistré.")).to_be_visible()
    expect(page.get_by_text("Point en visioconférence : tout va bien.")).to_be_visible()
    assert not serious(page)
    screenshot(page, "period-contacts-390")
