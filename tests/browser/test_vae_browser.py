"""The whole VAE journey in a real Chromium: sign up → dossier → submit → recevable → partial
validation of two blocs. Screenshots go to test-artifacts/ (and the README)."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core import mail
from playwright.sync_api import expect

from livret.people.models import Organisation, Profile
from livret.referentiels.loader import default_files, load_files
from livret.vae.models import VaeOffer
from tests.conftest import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "ma phrase de passe VAE 2026"


@pytest.fixture
def site(live_server, django_user_model, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    ref = [x for x in load_files(default_files()) if x.referentiel.diploma.slug == "bts-mos"][
        0
    ].referentiel
    dava = Organisation.objects.create(
        name="DAVA de démonstration", kind=Organisation.TRAINING_BODY
    )
    VaeOffer.objects.create(certifier=dava, referentiel=ref)
    staff = django_user_model.objects.create_user(
        "certificateur", password=DEMO_PASSWORD, first_name="Isabelle", last_name="Vidal"
    )
    Profile.objects.create(user=staff, role=Profile.CERTIFIER, organisation=dava)
    return live_server.url


def login(page, site, username, password):
    page.goto(site + "/connexion/")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()


def sign_up(page, site, first, last, email, screenshot=None):
    """The candidate creates his account, confirms his address and logs in."""
    page.goto(site + "/connexion/")
    page.get_by_role("link", name="Créer un compte candidat").click()
    page.get_by_label("Prénom").fill(first)
    page.get_by_label("Nom *", exact=True).fill(last)
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe (12 caractères au moins)").fill(PASSWORD)
    if screenshot:
        screenshot(page, "vae-1-signup")
    page.get_by_role("button", name="Créer mon compte").click()
    expect(page.get_by_role("heading", name="Confirmez votre adresse")).to_be_visible()
    # The link's code after « # »: the page's script posts it.
    link = re.search(r"(/vae/confirmer/#\S+)", mail.outbox[-1].body).group(1)
    page.goto(site + link)
    expect(page.get_by_text("Adresse confirmée")).to_be_visible()
    page.get_by_label("Identifiant").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def axe_ok(page):
    violations = Axe().run(page).response["violations"]
    serious = [v["id"] for v in violations if v["impact"] in ("serious", "critical")]
    assert not serious, serious


def jury_of_three(staff, screenshot=None):
    """From the file's page, the certifier composes a jury of three with a president (Code du
    travail, art. D. 6412-6), each member's declaration of no link ticked, and convenes the
    candidate."""
    staff.get_by_role("link", name="le jury de ce candidat").click()
    # A member without his declaration of no link is refused, the reason beside the box, what
    # was typed kept; the page passes axe with the error shown.
    staff.get_by_text("Ajouter un membre").click()
    staff.get_by_label("Nom et prénom").fill("Anne Roy")
    staff.get_by_role("button", name="Ajouter au jury").click()
    expect(
        staff.get_by_text("n'a pas déclaré n'avoir aucun lien", exact=False).first
    ).to_be_visible()
    expect(staff.get_by_label("Nom et prénom")).to_have_value("Anne Roy")
    axe_ok(staff)
    staff.goto(staff.url)
    for name, quality, gender, qualified in (
        ("Anne Roy", "president", "F", True),
        ("Bruno Lac", "enseignant", "M", False),
        ("Chloé Val", "professionnel", "F", True),
    ):
        staff.get_by_text("Ajouter un membre").click()
        staff.get_by_label("Nom et prénom").fill(name)
        staff.get_by_label("Qualité").select_option(quality)
        staff.get_by_label("Genre").select_option(gender)
        if qualified:
            staff.get_by_label("Qualifié(e) au titre de la certification visée").check()
        staff.get_by_label("A déclaré n'avoir aucun lien", exact=False).check()
        staff.get_by_role("button", name="Ajouter au jury").click()
        expect(staff.get_by_text("Membre ajouté au jury.")).to_be_visible()
    expect(staff.locator(".jury-ready")).to_be_visible()
    expect(staff.locator(".jury-balance")).to_contain_text("Femmes : 2 · hommes : 1")
    staff.get_by_text("Convoquer le candidat").click()
    staff.get_by_label("Date du jury").fill("2099-06-15")
    staff.get_by_label("Heure").fill("09:30")
    staff.get_by_label("Lieu").fill("DAVA, 12 rue des Écoles, Lyon")
    staff.get_by_label("Modalités", exact=False).fill("Entretien de 45 minutes avec le jury.")
    staff.get_by_role("button", name="Envoyer la convocation").click()
    expect(staff.get_by_text("Convocation envoyée")).to_be_visible()
    if screenshot:
        screenshot(staff, "vae-5-jury")


def decide(staff, result: str, validated: list[str], others: list[str], screenshot=None):
    """The decision: the form, its summary, then confirmed; a préconisation for each bloc not
    validated."""
    staff.get_by_role("link", name="Enregistrer la décision du jury").click()
    staff.get_by_label(result, exact=True).check()
    for label in validated:
        staff.get_by_role("checkbox", name=label).check()
    for code in others:
        staff.get_by_label(f"Préconisation pour {code} s'il n'est pas validé").select_option(
            "training"
        )
    staff.get_by_role("button", name="Vérifier avant d'enregistrer").click()
    expect(staff.locator(".summary-result")).to_have_text(result)
    axe_ok(staff)
    if screenshot:
        screenshot(staff, "vae-6-decision-summary")
    staff.get_by_role("button", name="Confirmer et enregistrer la décision").click()
    expect(staff.get_by_text("Décision du jury enregistrée.")).to_be_visible()


def test_vae_journey(browser, site, screenshot):
    # The candidate on a phone (390 px), the certifier at his desk.
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    sign_up(page, site, "Sam", "Vigier", "sam.vigier@exemple.fr", screenshot)

    expect(
        page.get_by_role("heading", name="Ma validation des acquis de l'expérience")
    ).to_be_visible()
    page.get_by_role("button", name="Commencer ma candidature").click()
    page.get_by_role("link", name="Ajouter une expérience").click()
    page.get_by_label("Employeur").fill("Vigilis Sécurité")
    page.get_by_label("Emploi occupé").fill("Chef de poste")
    page.get_by_label("Début").fill("2021-03-01")
    page.get_by_label("Fin (vide si en cours)").fill("2024-02-29")
    page.get_by_label("Activités exercées").fill(
        "Organisation des plannings, encadrement de 12 agents, relation client."
    )
    page.get_by_label("Rechercher une activité ou une compétence").fill("planifier")
    page.locator("label", has_text="A2.1C3").click()
    page.get_by_label("Rechercher une activité ou une compétence").fill("A2.1")
    page.locator(".pick label", has_text="A2.1 - Organisation du service").click()
    page.get_by_label("Rechercher une activité ou une compétence").fill("")
    page.locator("label", has_text="A3.2C4").click()
    screenshot(page, "vae-2-experience")
    page.get_by_role("button", name="Enregistrer l'expérience").click()
    expect(page.get_by_text("Expérience enregistrée (brouillon).")).to_be_visible()
    expect(page.locator("#cov-B2")).to_contain_text("A2.1C1")
    expect(page.get_by_text("aucune durée minimale n'est exigée", exact=False)).to_be_visible()
    page.locator("#cov-B2").scroll_into_view_if_needed()
    screenshot(page, "vae-3-coverage")
    page.get_by_role("button", name="Envoyer mon dossier de faisabilité au certificateur").click()
    expect(page.locator(".status-feasibility_sent")).to_be_visible()
    page.context.close()

    staff = browser.new_context(viewport={"width": 1300, "height": 900}).new_page()
    login(staff, site, "certificateur", DEMO_PASSWORD)
    staff.get_by_role("link", name="Sam Vigier").click()
    staff.get_by_label("Décision").select_option("feasibility_admissible")
    staff.get_by_role("button", name="Enregistrer la décision").click()
    expect(staff.locator(".decision")).to_contain_text("Recevable")

    cand = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    login(cand, site, "sam.vigier@exemple.fr", PASSWORD)
    cand.get_by_role("link", name="BTS Management Opérationnel de la Sécurité").click()
    expect(cand.locator(".decision")).to_contain_text("Recevable")
    cand.get_by_label("Mon expérience pour B2").fill(
        "J'ai organisé le service de nuit d'un site logistique : plannings, consignes, réunions."
    )
    cand.get_by_role("button", name="Enregistrer B2").click()
    cand.get_by_label("Mon expérience pour B3").fill(
        "J'ai rendu compte chaque mois au client et à ma hiérarchie."
    )
    cand.get_by_role("button", name="Enregistrer B3").click()
    # Blocs left empty are listed; he sends without them knowingly.
    cand.get_by_role("button", name="Envoyer mon dossier de validation").click()
    expect(cand.get_by_text("Ces blocs sont encore vides", exact=False)).to_be_visible()
    cand.get_by_label("J'envoie mon dossier sans décrire ces blocs", exact=False).check()
    cand.get_by_role("button", name="Envoyer mon dossier de validation").click()
    expect(cand.locator(".status-validation_sent")).to_be_visible()

    staff.reload()
    jury_of_three(staff, screenshot)
    decide(
        staff,
        "Validation partielle",
        ["B2 Management des ressources humaines", "B3 Gestion de la relation client"],
        ["B1", "B4", "B5", "B6", "B7", "B8"],
        screenshot,
    )
    expect(staff.locator(".jury-result")).to_contain_text("Validation partielle")
    expect(staff.locator(".recommendations")).to_contain_text("suivre une formation complémentaire")

    cand.reload()
    expect(cand.locator(".jury-result")).to_contain_text(
        "Blocs validés : B2 Management des ressources humaines ; B3 Gestion de la relation client"
    )
    cand.locator(".jury-result").scroll_into_view_if_needed()
    screenshot(cand, "vae-4-partial-validation")
    with cand.expect_download() as download:
        cand.get_by_role("link", name="Lettre de décision (PDF)").click()
    assert download.value.suggested_filename.startswith("decision-vae-")
    assert download.value.path().read_bytes().startswith(b"%PDF")  # wait for the whole file
    for pg in (staff, cand):
        pg.context.close()


def test_vae_titre_pro_by_ccp_on_a_phone(browser, site, django_user_model, screenshot):
    """A titre professionnel by VAE at 390 px: the candidate aims at the titre, writes his dossier
    professionnel CCP by CCP; the jury grants one CCP (partial validation)."""
    tp = (
        __import__("livret.referentiels.models", fromlist=["Referentiel"])
        .Referentiel.objects.filter(diploma__slug="tp-operateur-videoprotection")
        .order_by("-version")
        .first()
    )
    dava = Organisation.objects.get(name="DAVA de démonstration")
    VaeOffer.objects.create(certifier=dava, referentiel=tp)  # the titre pro, beside the BTS
    cand = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    sign_up(cand, site, "Léa", "Martin", "lea.martin@exemple.fr")
    cand.goto(site + "/vae/")
    offer = VaeOffer.objects.get(referentiel=tp)
    cand.get_by_label("Diplôme visé").select_option(str(offer.pk))
    cand.get_by_role("button", name="Commencer ma candidature").click()
    cand.get_by_role("link", name="Ajouter une expérience").click()
    cand.get_by_label("Nature de l'expérience").select_option("salaried")
    cand.get_by_label("Employeur ou structure").fill("Télésurveillance Île-de-France")
    cand.get_by_label("Emploi occupé").fill("Opératrice de station")
    cand.get_by_label("Début").fill("2024-01-08")
    cand.get_by_label("Fin (vide si en cours)").fill("2024-09-30")
    cand.locator("label", has_text="CCP1.3").click()
    cand.locator("label", has_text="CCP2.2").click()
    cand.get_by_role("button", name="Enregistrer l'expérience").click()
    expect(cand.get_by_text("Expérience enregistrée (brouillon).")).to_be_visible()
    assert cand.evaluate("document.documentElement.scrollWidth") <= 390
    cand.get_by_role("button", name="Envoyer mon dossier de faisabilité au certificateur").click()
    expect(cand.locator(".status-feasibility_sent")).to_be_visible()

    staff = browser.new_context(viewport={"width": 1300, "height": 900}).new_page()
    login(staff, site, "certificateur", DEMO_PASSWORD)
    staff.get_by_role("link", name="Léa Martin").click()
    staff.get_by_label("Décision").select_option("feasibility_admissible")
    staff.get_by_role("button", name="Enregistrer la décision").click()

    cand.reload()
    expect(cand.get_by_role("heading", name="Dossier professionnel (DP)")).to_be_visible()
    expect(cand.get_by_text("décide CCP par CCP", exact=False)).to_be_visible()
    cand.get_by_label("Mon expérience pour CCP1").fill("J'ai exploité les images de 40 caméras.")
    cand.get_by_role("button", name="Enregistrer CCP1").click()
    cand.get_by_label("Mon expérience pour CCP2").fill(
        "J'ai traité les alarmes d'un parc de sites."
    )
    cand.get_by_role("button", name="Enregistrer CCP2").click()
    cand.get_by_role("button", name="Envoyer mon dossier de validation").click()
    expect(cand.locator(".status-validation_sent")).to_be_visible()

    staff.reload()
    jury_of_three(staff)
    decide(staff, "Validation partielle", ["CCP1"], ["CCP2"])

    cand.reload()
    expect(cand.locator(".jury-result")).to_contain_text("CCP acquis : CCP1")
    cand.locator(".jury-result").scroll_into_view_if_needed()
    assert cand.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(cand, "vae-titre-pro-390")
    for pg in (staff, cand):
        pg.context.close()


def test_vae_one_bloc_on_a_phone(browser, site, django_user_model, screenshot):
    """The BTS MOS by VAE for one bloc only, at 390 px: the candidate aims at B2, the jury
    validates it."""
    cand = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    sign_up(cand, site, "Nora", "Benali", "nora.benali@exemple.fr")
    cand.goto(site + "/vae/")
    cand.get_by_role("button", name="Commencer ma candidature").click()
    cand.get_by_text("Changer", exact=True).click()
    cand.get_by_label("un ou plusieurs blocs de compétences").check()
    cand.locator("label", has_text="Management des ressources humaines").first.click()
    cand.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(cand.get_by_text("Vous visez 1 bloc(s).")).to_be_visible()
    expect(cand.locator("#cov-B1")).to_contain_text("non visé")
    cand.get_by_role("link", name="Ajouter une expérience").click()
    cand.get_by_label("Employeur ou structure").fill("Vigilis Sécurité")
    cand.get_by_label("Emploi occupé").fill("Adjointe au chef de site")
    cand.get_by_label("Début").fill("2023-01-02")
    cand.get_by_label("Fin (vide si en cours)").fill("2024-06-28")
    cand.locator("label", has_text="A2.1C1").click()
    cand.get_by_role("button", name="Enregistrer l'expérience").click()
    cand.get_by_role("button", name="Envoyer mon dossier de faisabilité au certificateur").click()
    expect(cand.locator(".status-feasibility_sent")).to_be_visible()
    expect(cand.get_by_text("Le certificateur étudie votre dossier")).to_be_visible()

    staff = browser.new_context(viewport={"width": 1300, "height": 900}).new_page()
    login(staff, site, "certificateur", DEMO_PASSWORD)
    staff.get_by_role("link", name="Nora Benali").click()
    staff.get_by_label("Décision").select_option("feasibility_admissible")
    staff.get_by_role("button", name="Enregistrer la décision").click()

    cand.reload()
    expect(cand.get_by_text("étape 3 sur 5")).to_be_visible()
    cand.get_by_label("Mon expérience pour B2").fill("J'ai recruté et formé les agents du site.")
    cand.get_by_role("button", name="Enregistrer B2").click()
    cand.get_by_role("button", name="Envoyer mon dossier de validation").click()

    staff.reload()
    jury_of_three(staff)
    decide(staff, "Validation partielle", ["B2 Management des ressources humaines"], [])

    cand.reload()
    expect(cand.locator(".jury-result")).to_contain_text(
        "Blocs validés : B2 Management des ressources humaines"
    )
    expect(cand.get_by_text("étape 5 sur 5")).to_be_visible()
    screenshot(cand, "vae-one-bloc-390")
    for pg in (staff, cand):
        pg.context.close()
