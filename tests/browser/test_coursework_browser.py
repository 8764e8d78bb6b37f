"""Contrôle continu and questionnaires in a real browser: the trainer types and pastes a column of
marks at keyboard speed, errors shown in place; the apprentice reads his bulletin and answers a
questionnaire on a phone (390 px)."""

import datetime

import pytest
from playwright.sync_api import expect

from livret.bulletins.models import Assessment, Mark, TeachingModule
from livret.people.models import Cohort, Learner
from livret.surveys import services as survey_services
from livret.surveys.models import Response, Survey

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _module(site):
    cohort = Cohort.objects.get()
    trainer = cohort.trainers.get()
    module = TeachingModule.objects.create(cohort=cohort, title="E4 - Prévention", coefficient=2)
    module.trainers.set([trainer])
    return cohort, trainer, module


def test_the_trainer_types_and_pastes_a_column_of_marks_with_the_keyboard(page, site, screenshot):
    cohort, trainer, module = _module(site)
    login(page, site, "formateur")
    page.goto(f"{site}/promotions/{cohort.pk}/modules/")
    page.get_by_role("link", name="E4 - Prévention").click()
    page.get_by_role("link", name="Nouvelle évaluation").click()
    page.get_by_label("Intitulé").fill("Écrit prévention")
    page.get_by_label("Coefficient").fill("1,5")
    page.get_by_label("Date").fill("2026-11-10")
    page.get_by_label("Semestre").select_option("3")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_role("link", name="Nouvelle évaluation").click()
    page.get_by_label("Intitulé").fill("Oral")
    page.get_by_label("Forme").select_option("oral")
    page.get_by_label("Date").fill("2026-11-20")
    page.get_by_label("Semestre").select_option("3")
    page.get_by_role("button", name="Enregistrer").click()
    assert "semestre=3" in page.url
    written, oral = Assessment.objects.order_by("pk")

    # The first column by keyboard: a mark, Enter to go down, an absence, down, a wrong mark.
    cells = page.locator(f"input[name$='-{written.pk}']")
    cells.nth(0).click()
    page.keyboard.type("12,5")
    page.keyboard.press("Enter")
    page.keyboard.type("abs")
    page.keyboard.press("ArrowDown")
    page.keyboard.type("21")
    page.keyboard.press("ArrowDown")
    page.keyboard.type("9")
    assert page.evaluate("document.activeElement.name") == cells.nth(3).get_attribute("name")
    # The second column pasted from a spreadsheet into its first cell.
    page.locator(f"input[name$='-{oral.pk}']").nth(0).focus()
    page.evaluate(
        """() => { const dt = new DataTransfer(); dt.setData('text/plain', '14\\n15\\t\\n16\\n17\\n');
        document.activeElement.dispatchEvent(new ClipboardEvent('paste',
          {clipboardData: dt, bubbles: true, cancelable: true})); }"""
    )
    page.get_by_role("button", name="Enregistrer les notes").click()
    # Nothing saved; the wrong mark is named in place, everything typed is still there.
    assert page.get_by_text("Aucune note enregistrée : 1 valeur(s) à corriger").is_visible()
    assert page.get_by_text("« 21 » : la note va de 0 à 20").is_visible()
    assert not Mark.objects.exists()
    assert cells.nth(1).input_value() == "abs"
    assert page.locator(f"input[name$='-{oral.pk}']").nth(3).input_value() == "17"
    screenshot(page, "module-grid-error")
    cells.nth(2).fill("11")
    page.get_by_role("button", name="Enregistrer les notes").click()
    assert page.get_by_text("8 notes enregistrées.").is_visible()
    assert Mark.objects.count() == 8
    # Bernard Lina (first row): (12.5 × 1.5 + 14 × 1) / 2.5 = 13.1
    first = Learner.objects.order_by("last_name", "first_name").first()
    row = page.get_by_role("row", name=first.last_name.upper(), exact=False)
    assert "13,10" in row.inner_text()
    screenshot(page, "module-grid")


def test_the_apprentice_reads_his_bulletin_and_answers_a_questionnaire_on_a_phone(
    browser, site, screenshot
):
    cohort, trainer, module = _module(site)
    lina = Learner.objects.get(user__username="apprenti")
    a = Assessment.objects.create(
        module=module,
        title="Écrit",
        coefficient=1,
        held_on=datetime.date(2026, 11, 10),
        semester=3,
        created_by=trainer,
    )
    Mark.objects.create(assessment=a, learner=lina, hundredths=1450, entered_by=trainer)
    manager = trainer  # the survey is built by the service; who asks does not matter here
    survey = Survey.objects.create(
        centre=cohort.centre,
        title="Satisfaction fin de période",
        audience=Survey.LEARNERS,
        moment=Survey.END_OF_PERIOD,
        questions=[
            {"label": "Les cours m'ont aidé.", "kind": "scale"},
            {"label": "Je recommande.", "kind": "yes_no"},
            {"label": "Remarques", "kind": "text"},
        ],
        created_by=manager,
    )
    survey.cohorts.set([cohort])
    survey_services.send(survey)

    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR")
    page = context.new_page()
    login(page, site, "apprenti")
    page.get_by_role("link", name="Mon bulletin").click()
    page.get_by_role("link", name="Semestre 3").click()
    assert page.get_by_text("Moyenne du semestre : 14,50").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "bulletin-390")

    page.goto(site + "/accueil/")
    page.get_by_role("link", name="Satisfaction fin de période").click()
    page.get_by_role("button", name="Envoyer mes réponses").click()
    # Each error beside its question and in the summary at the top, which links to it.
    for message in ("choisissez une réponse de 1 à 5", "répondez oui ou non"):
        expect(page.get_by_text(message, exact=True)).to_be_visible()
        expect(page.locator("#form-errors").get_by_text(message)).to_be_visible()
    page.get_by_label("4 — Plutôt d'accord").check()
    page.get_by_label("Oui", exact=True).check()
    page.get_by_label("3. Remarques (facultatif)").fill("Bon rythme.")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "survey-answer-390")
    page.get_by_role("button", name="Envoyer mes réponses").click()
    assert page.get_by_text("Merci : vos réponses sont enregistrées, sans votre nom.").is_visible()
    assert page.get_by_text("répondu, merci").is_visible()
    assert Response.objects.get().answers == [4, "oui", "Bon rythme."]
    context.close()


def test_a_managers_menu_stays_on_a_laptop_screen(browser, site, django_user_model):
    from livret.people.models import Organisation, Profile
    from tests.conftest import DEMO_PASSWORD

    manager = django_user_model.objects.create_user(
        "responsable", password=DEMO_PASSWORD, first_name="Camille", last_name="Martin"
    )
    Profile.objects.create(
        user=manager, role=Profile.MANAGER, organisation=Organisation.objects.get(name="CFA Test")
    )
    for width in (1366, 1024):
        context = browser.new_context(viewport={"width": width, "height": 800}, locale="fr-FR")
        page = context.new_page()
        login(page, site, "responsable")
        page.goto(site + "/questionnaires/")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        logout = page.get_by_role("button", name="Se déconnecter").bounding_box()
        assert logout["x"] + logout["width"] <= width
        context.close()
