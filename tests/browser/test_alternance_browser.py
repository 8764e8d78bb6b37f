"""In a real Chromium, the alternance triangle end to end: the apprentice declares a situation on
his phone → the tutor gets an e-mail (real SMTP) and sends it back with a reason → the apprentice
corrects it → the tutor validates → the trainer turns it into evaluations → the three visas →
the PDF prints them."""

import io
import re

import pytest
from playwright.sync_api import expect

from livret.competences.models import Situation, Visa
from tests.browser.conftest import login
from tests.mailbox import subject
from tests.worker import run_worker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def people(site, django_user_model):
    for username in ("formateur", "tuteur", "apprenti"):
        user = django_user_model.objects.get(username=username)
        user.email = f"{username}@exemple.fr"
        user.save()
    return site


def link_in(mail, site):
    path = re.search(r"https://livret\.example(/situations/\d+/)", mail.get_content()).group(1)
    return site + path


def test_declare_send_back_correct_validate_evaluate_and_sign(browser, people, smtp, screenshot):
    site_url = people
    apprentice = browser.new_context(viewport=PHONE, locale="fr-FR").new_page()
    login(apprentice, site_url, "apprenti")
    apprentice.goto(site_url + "/mon-livret/")
    apprentice.get_by_role("link", name="Déclarer une situation").first.click()
    apprentice.get_by_label("Date").fill("2026-05-04")
    apprentice.get_by_label("Lieu").fill("Siège de Vigilis")
    apprentice.get_by_label("Intitulé").fill("Contrôle d'accès du matin")
    apprentice.get_by_label("Ce que j'ai fait").fill("J'ai tenu le poste d'accueil.")
    # On a phone the blocs are folded: the apprentice searches the code, its bloc opens.
    apprentice.get_by_label("Chercher une compétence").fill("A2.1C3")
    apprentice.locator("label", has_text="A2.1C3").first.click()
    apprentice.get_by_role("button", name="Enregistrer la situation").click()
    expect(apprentice.get_by_text("À valider par le tuteur")).to_be_visible()
    run_worker()

    (mail,) = smtp.to("tuteur@exemple.fr")
    assert subject(mail) == "Livret : Situation à valider : Contrôle d'accès du matin"
    tutor = browser.new_context(viewport=PHONE, locale="fr-FR").new_page()
    login(tutor, site_url, "tuteur")
    tutor.goto(link_in(mail, site_url))  # the link of the e-mail
    tutor.get_by_label(re.compile("Commentaire")).fill("Indiquez les horaires du poste.")
    tutor.get_by_role("button", name="Renvoyer à l'apprenti").click()
    expect(tutor.get_by_text("Renvoyée à l'apprenti").first).to_be_visible()
    screenshot(tutor, "alternance-tutor-sent-back-390")
    run_worker()

    (back,) = smtp.to("apprenti@exemple.fr")
    assert subject(back) == "Livret : Situation à reprendre : Contrôle d'accès du matin"
    apprentice.goto(link_in(back, site_url))
    expect(apprentice.get_by_role("status").filter(has_text="Motif du renvoi")).to_contain_text(
        "Indiquez les horaires du poste."
    )
    apprentice.get_by_role("link", name="Modifier et renvoyer à mon tuteur").click()
    apprentice.get_by_label("Ce que j'ai fait").fill("Poste d'accueil de 7 h à 12 h.")
    apprentice.get_by_role("button", name="Enregistrer et renvoyer à mon tuteur").click()
    expect(apprentice.get_by_text("À valider par le tuteur")).to_be_visible()
    run_worker()

    again = [m for m in smtp.to("tuteur@exemple.fr") if "reprise" in subject(m)]
    assert len(again) == 1
    tutor.goto(link_in(again[0], site_url))
    tutor.get_by_role("button", name="Valider la situation").click()
    expect(tutor.get_by_text(re.compile("Validée par Karim Belkacem"))).to_be_visible()
    situation = Situation.objects.get(title="Contrôle d'accès du matin")
    assert situation.state == Situation.VALIDATED and "7 h à 12 h" in situation.description

    trainer = browser.new_context(
        viewport={"width": 1366, "height": 900}, locale="fr-FR"
    ).new_page()
    login(trainer, site_url, "formateur")
    trainer.goto(f"{site_url}/situations/{situation.pk}/")
    trainer.get_by_role("button", name="Créer les évaluations").click()
    expect(trainer.get_by_text("1 évaluation(s) enregistrée(s)")).to_be_visible()

    # The three visas, each in his own role; the confirmation dialog is accepted.
    for page in (trainer, tutor, apprentice):
        page.once("dialog", lambda dialog: dialog.accept())
        page.goto(f"{site_url}/livrets/{situation.learner_id}/#visas")
        page.get_by_role("button", name="Viser le livret").click()
        expect(page.get_by_text(re.compile("Livret visé le"))).to_be_visible()
    screenshot(apprentice, "alternance-visas-390")
    assert sorted(Visa.objects.values_list("role", flat=True)) == [
        "apprentice",
        "trainer",
        "tutor",
    ]
    section = trainer.locator("#visas")
    trainer.reload()
    expect(section).to_contain_text("Formateur : Julien Petit")
    expect(section.get_by_text("à jour")).to_have_count(3)

    with trainer.expect_download() as download:
        trainer.get_by_role("link", name="Imprimer le livret (PDF)").click()
    import pypdfium2 as pdfium

    with open(download.value.path(), "rb") as fh:
        pdf = pdfium.PdfDocument(io.BytesIO(fh.read()))
    text = " ".join("".join(p.get_textpage().get_text_range() for p in pdf).split())
    for who in ("Formateur : Julien Petit", "Lina Bernard", "Karim Belkacem"):
        assert who in text
    assert text.count("visé électroniquement le") == 3
