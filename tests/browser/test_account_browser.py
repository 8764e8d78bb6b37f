"""« Mon compte » in a real Chromium at 390 px: the apprentice opens it from the menu, asks for a new
address, receives the link at that address (real SMTP), confirms it, changes his password and stays
logged in; axe finds no serious violation on the page."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.conftest import login
from tests.conftest import DEMO_PASSWORD
from tests.mailbox import subject

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def test_the_apprentice_changes_his_address_and_password_at_390px(
    browser, site, smtp, screenshot, django_user_model
):
    page = browser.new_context(viewport=PHONE, locale="fr-FR").new_page()
    login(page, site, "apprenti")
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("link", name="Lina Bernard").click()
    expect(page.get_by_role("heading", name="Mon compte", level=1)).to_be_visible()
    expect(page.get_by_text("Votre compte n'a pas encore d'adresse")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert not serious, serious

    page.get_by_label("Nouvelle adresse électronique").fill("lina.bernard@apprentie.example")
    page.get_by_role("button", name="Recevoir le lien de confirmation").click()
    expect(page.get_by_role("status").filter(has_text="Un lien de confirmation")).to_be_visible()
    screenshot(page, "account-390")
    (mail,) = smtp.to("lina.bernard@apprentie.example")
    assert subject(mail) == "Confirmez votre nouvelle adresse — Livret"
    link = re.search(r"https://livret\.example(/compte/courriel/\S*/#\S+)", mail.get_content())
    # The page's script posts the code from after the « # »: one click in the mailbox is enough.
    page.goto(site + link.group(1))
    expect(page.get_by_text("Les courriels de Livret vous sont envoyés à")).to_contain_text(
        "lina.bernard@apprentie.example"
    )
    assert django_user_model.objects.get(username="apprenti").email == (
        "lina.bernard@apprentie.example"
    )

    page.get_by_role("link", name="Changer mon mot de passe").click()
    page.get_by_label("Ancien mot de passe").fill("pas le bon")
    page.get_by_label("Nouveau mot de passe *", exact=True).fill("ma phrase de passe neuve")
    page.get_by_label("Confirmation du nouveau mot de passe").fill("ma phrase de passe neuve")
    page.get_by_role("button", name="Changer le mot de passe").click()
    expect(page.locator("#id_old_password-error")).to_be_visible()
    page.get_by_label("Ancien mot de passe").fill(DEMO_PASSWORD)
    page.get_by_label("Nouveau mot de passe *", exact=True).fill("ma phrase de passe neuve")
    page.get_by_label("Confirmation du nouveau mot de passe").fill("ma phrase de passe neuve")
    page.get_by_role("button", name="Changer le mot de passe").click()
    expect(
        page.get_by_role("status").filter(has_text="Votre mot de passe est changé.")
    ).to_be_visible()
    screenshot(page, "account-password-changed-390")
