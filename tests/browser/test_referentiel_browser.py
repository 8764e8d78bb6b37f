"""A real Chromium opens the BTS MOS tree, searches for a code and follows the cross links."""

import pytest
from playwright.sync_api import expect

from livret.referentiels.loader import default_files, load_files
from tests.conftest import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server, django_user_model):
    load_files(default_files())
    django_user_model.objects.create_user("formateur", password=DEMO_PASSWORD)
    return live_server.url


def login(page, site):
    page.goto(site + "/referentiels/")
    expect(page).to_have_url(site + "/connexion/?next=/referentiels/")
    page.get_by_label("Identifiant").fill("formateur")
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name="Référentiels de diplômes")).to_be_visible()


def test_open_tree_and_search_a_code(page, site, screenshot):
    login(page, site)
    page.get_by_role("link", name="BTS Management Opérationnel de la Sécurité").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "BTS Management Opérationnel de la Sécurité"
    )
    # The tree: 4 pôles, and a competence with its bloc and épreuve tags.
    expect(page.locator("section.pole")).to_have_count(4)
    competence = page.locator("li#A1\\.2C3")
    expect(competence).to_contain_text("Déterminer les moyens techniques et humains nécessaires")
    expect(competence.get_by_role("link", name="E4")).to_be_visible()
    page.locator("details#A1\\.2").scroll_into_view_if_needed()
    page.mouse.wheel(0, -40)
    screenshot(page, "referentiel-tree")

    page.get_by_label("Rechercher dans ce référentiel").fill("A1.2C3")
    page.get_by_label("Rechercher dans ce référentiel").press("Enter")
    expect(page.locator("p.results-count")).to_contain_text("pour « A1.2C3 »")
    first = page.locator("ul.results li").first
    expect(first).to_contain_text("A1.2C3")
    first.get_by_role("link").click()
    expect(page.get_by_role("heading", level=2, name="A1.2C3")).to_be_visible()
    expect(
        page.get_by_role(
            "link", name="E4 Préparation et mise en œuvre d'une prestation de sécurité"
        )
    ).to_be_visible()

    # Search by a word reaches the optional module.
    page.goto(site + "/referentiels/recherche/?q=palpation")
    expect(page.locator("ul.results")).to_contain_text("C5.4")
    screenshot(page, "referentiel-search")


def test_exam_table_by_candidate_status(page, site, screenshot):
    login(page, site)
    page.goto(site + "/referentiels/bts-mos/epreuves/")
    row = page.locator("tr#E4")
    expect(row).to_contain_text("CCF, 1 situation")
    expect(row).to_contain_text("50 min")
    # DSFR draws the radio on its label: a person clicks the label.
    page.locator("label[for=st-other]").click()
    expect(page).to_have_url(site + "/referentiels/bts-mos/epreuves/?statut=other")
    expect(page.locator("tr#E4")).not_to_contain_text("CCF")
    expect(page.locator("tr#E4")).to_contain_text("50 min")
    page.locator("label[for=st-all]").click()
    expect(page.locator("tr#E4")).to_contain_text("CCF")
    page.locator("table").scroll_into_view_if_needed()
    screenshot(page, "referentiel-exams")
