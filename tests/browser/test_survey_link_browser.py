"""In a real Chromium at 390 px: a funder's contact, without an account, opens the link of his
e-mail — its code after the « # » — and lands on the questionnaire (the page's script posted the
code; the address bar no longer shows it), answers, and the same link opens nothing again. No
Content-Security-Policy refusal on the way."""

import pytest
from playwright.sync_api import expect

from livret.people.models import Cohort
from livret.surveys import services
from livret.surveys.models import AnswerLink, Funder, FunderContact, Invitation, Response, Survey

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_funders_contact_answers_by_the_link_of_his_email(browser, site, screenshot):
    from django.contrib.auth import get_user_model

    cohort = Cohort.objects.get()
    manager = get_user_model().objects.get(username="formateur")
    funder = Funder.objects.create(centre=cohort.centre, kind=Funder.REGION, name="Région")
    funder.cohorts.set([cohort])
    FunderContact.objects.create(funder=funder, name="Chloé Région", email="c@region.example")
    survey = Survey.objects.create(
        centre=cohort.centre,
        title="Avis des financeurs",
        audience=Survey.FUNDERS,
        moment=Survey.OTHER,
        questions=[{"label": "Le centre rend compte.", "kind": "scale"}],
        created_by=manager,
    )
    survey.cohorts.set([cohort])
    services.send(survey, by=manager)
    token = AnswerLink.issue(Invitation.objects.get())

    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR")
    page = context.new_page()
    refusals = []
    page.on(
        "console",
        lambda m: refusals.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.goto(f"{site}/questionnaires/lien/#{token}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Avis des financeurs")
    assert token not in page.url
    screenshot(page, "survey-link-answer-390")
    page.get_by_label("4 —").check()
    page.get_by_role("button", name="Envoyer mes réponses").click()
    expect(page.get_by_text("vos réponses sont enregistrées")).to_be_visible()
    assert Response.objects.count() == 1
    page.goto(f"{site}/questionnaires/lien/#{token}")
    expect(page.locator("#id_code_error")).to_contain_text("ne mène à aucun questionnaire ouvert")
    assert not refusals, refusals
    context.close()
