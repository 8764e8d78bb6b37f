"""In a real Chromium at 390 px, le fil du livret: the apprentice, his tutor and his trainer each
write one message; each receives the others' by e-mail (real SMTP), follows its link, sees the
three messages and his unread count fall to zero."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login
from tests.mailbox import subject
from tests.worker import run_worker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
WHO = {"apprenti": "Lina Bernard", "tuteur": "Karim Belkacem", "formateur": "Julien Petit"}


@pytest.fixture
def people(site, django_user_model):
    for username in WHO:
        user = django_user_model.objects.get(username=username)
        user.email = f"{username}@exemple.fr"
        user.save()
    return site


def thread_link(mail, site):
    path = re.search(r"https://livret\.example(/livrets/\d+/fil/)", mail.get_content()).group(1)
    return site + path


def write(page, text):
    page.get_by_label("Votre message").fill(text)
    page.get_by_role("button", name="Envoyer").click()
    expect(page.get_by_role("status").filter(has_text="Message envoyé.")).to_be_visible()


def test_three_parties_exchange_three_messages(browser, people, smtp, screenshot):
    site = people
    pages = {}
    for username in WHO:
        pages[username] = browser.new_context(viewport=PHONE, locale="fr-FR").new_page()
        login(pages[username], site, username)

    # The apprentice finds whom to reach on his home, and the thread from there.
    apprentice = pages["apprenti"]
    apprentice.goto(site + "/mon-livret/")
    contacts = apprentice.get_by_role("region", name="Vos interlocuteurs")
    expect(contacts).to_contain_text("Julien Petit")
    expect(contacts).to_contain_text("Karim Belkacem (Vigilis)")
    expect(contacts.get_by_role("link", name="tuteur@exemple.fr")).to_be_visible()
    contacts.scroll_into_view_if_needed()
    screenshot(apprentice, "thread-contacts-home-390")
    contacts.get_by_role("link", name="Fil du livret").click()
    expect(apprentice.get_by_role("heading", name=re.compile("Fil du livret"))).to_be_visible()
    about = apprentice.get_by_label("À propos de (facultatif)")
    value = about.locator("option", has_text="A1.2C3").first.get_attribute("value")
    about.select_option(value=value)
    write(apprentice, "Bonjour, je ne suis pas sûre de la consigne pour la ronde de nuit.")
    run_worker()
    for username in ("tuteur", "formateur"):
        (mail,) = smtp.to(f"{username}@exemple.fr")
        assert subject(mail) == ("Livret : Fil du livret de Lina Bernard : message de Lina Bernard")
        assert "la ronde de nuit" in mail.get_content()
    assert not smtp.to("apprenti@exemple.fr")

    # The tutor comes from his e-mail's link; his home counts what he has not read.
    tutor = pages["tuteur"]
    tutor.goto(site + "/tuteur/")
    expect(
        tutor.get_by_role("link", name=re.compile("Fil du livret de Lina Bernard", re.I))
    ).to_contain_text("1")
    tutor.get_by_role("region", name="Échanger avec le centre").scroll_into_view_if_needed()
    screenshot(tutor, "thread-tutor-home-390")
    tutor.goto(thread_link(smtp.to("tuteur@exemple.fr")[0], site))
    expect(tutor.get_by_text("la ronde de nuit")).to_be_visible()
    expect(tutor.get_by_text("À propos de la compétence")).to_be_visible()
    write(tutor, "On la refait ensemble jeudi soir, je vous montre la main courante.")
    run_worker()

    trainer = pages["formateur"]
    trainer.goto(thread_link(smtp.to("formateur@exemple.fr")[-1], site))
    expect(trainer.get_by_text("Nouveaux messages")).to_be_visible()
    write(trainer, "Très bien. Apportez votre brouillon de consignes vendredi au CFA.")
    run_worker()

    # Each has received the other two's messages, and sees all three.
    texts = ("la ronde de nuit", "ensemble jeudi soir", "brouillon de consignes")
    for username, name in WHO.items():
        got = smtp.to(f"{username}@exemple.fr")
        senders = {subject(m).rsplit("message de ", 1)[1] for m in got}
        assert senders == set(WHO.values()) - {name}, (username, senders)
        page = pages[username]
        page.goto(thread_link(got[-1], site))
        for text in texts:
            expect(page.get_by_text(text)).to_be_visible()
    apprentice.goto(site + "/mon-livret/")
    expect(apprentice.get_by_role("link", name="Fil du livret")).not_to_contain_text("non lu")
    apprentice.goto(thread_link(smtp.to("apprenti@exemple.fr")[-1], site))
    width = apprentice.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width  # nothing wider than the phone
    screenshot(apprentice, "thread-apprentice-390")
    apprentice.get_by_label("Votre message").scroll_into_view_if_needed()
    screenshot(apprentice, "thread-apprentice-form-390")
    for page in pages.values():
        page.context.close()
