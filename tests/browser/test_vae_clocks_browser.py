"""The VAE clocks in a real Chromium: a feasibility file sent with an accompagnateur; the
certifier stays silent two months, `livret vae tick` records the implicit recevabilité
(Code du travail, art. L. 6412-2); the candidate sees it with his deadlines and their sources,
writes his validation file; a jury of three with a president decides a partial validation with
préconisations; the result goes by e-mail to the candidate AND his accompagnateur."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from livret.cli import main as livret
from livret.people.models import Organisation, Profile
from livret.referentiels.models import Competence
from livret.vae.models import Candidacy, Experience
from tests.browser.test_vae_browser import PASSWORD, decide, jury_of_three, login, site  # noqa: F401
from tests.conftest import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_silence_then_jury_then_everyone_told(browser, site, django_user_model, screenshot):  # noqa: F811
    from livret.vae.models import VaeOffer

    offer = VaeOffer.objects.get()
    relay = Organisation.objects.create(name="Relais VAE", kind=Organisation.TRAINING_BODY)
    guide = django_user_model.objects.create_user(
        "accompagnateur",
        password=DEMO_PASSWORD,
        email="karine.lemoine@exemple.fr",
        first_name="Karine",
        last_name="Lemoine",
    )
    Profile.objects.create(user=guide, role=Profile.VAE_GUIDE, organisation=relay)
    sam = django_user_model.objects.create_user(
        "sam.vigier@exemple.fr",
        password=PASSWORD,
        email="sam.vigier@exemple.fr",
        first_name="Sam",
        last_name="Vigier",
    )
    # Sent seventy days ago (two months are 59 to 62 days, and the day is the Paris one: 62 days
    # fell on the deadline itself late in a UTC evening), with his accompagnateur; the certifier
    # said nothing.
    sent = timezone.now() - datetime.timedelta(days=70)
    c = Candidacy.objects.create(
        candidate=sam, offer=offer, guide=guide, status=Candidacy.SENT, submitted_at=sent
    )
    e = Experience.objects.create(
        candidacy=c, employer="Vigilis", job_title="Chef de poste", start=datetime.date(2018, 1, 1)
    )
    e.competences.set(Competence.objects.filter(referentiel=offer.referentiel)[:3])

    staff = browser.new_context(viewport={"width": 1300, "height": 900}).new_page()
    login(staff, site, "certificateur", DEMO_PASSWORD)
    staff.goto(site + "/vae/certificateur/")
    expect(staff.locator(".vae-board")).to_contain_text("En retard")
    screenshot(staff, "vae-clocks-1-overdue")

    assert livret(["vae", "tick"]) == 0
    assert livret(["vae", "tick"]) == 0  # the second run changes nothing
    assert c.admissibility_decisions.count() == 1

    cand = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    login(cand, site, "sam.vigier@exemple.fr", PASSWORD)
    cand.goto(site + f"/vae/dossiers/{c.pk}/")
    expect(cand.locator(".decision")).to_contain_text("Décision implicite")
    expect(cand.locator(".vae-clocks")).to_contain_text("Actualisation de la candidature")
    expect(cand.locator(".vae-clocks")).to_contain_text("Pratique du service public France VAE")
    cand.locator(".vae-clocks").scroll_into_view_if_needed()
    screenshot(cand, "vae-clocks-2-implicit-390")
    cand.get_by_role("button", name="Je confirme poursuivre ma démarche").click()
    expect(cand.get_by_text("Candidature actualisée")).to_be_visible()
    cand.get_by_label("Mon expérience pour B2").fill("J'ai organisé le service de nuit du site.")
    cand.get_by_role("button", name="Enregistrer B2").click()
    cand.get_by_role("button", name="Envoyer mon dossier de validation").click()
    expect(cand.get_by_text("Ces blocs sont encore vides", exact=False)).to_be_visible()
    cand.get_by_label("J'envoie mon dossier sans décrire ces blocs", exact=False).check()
    cand.get_by_role("button", name="Envoyer mon dossier de validation").click()
    expect(cand.locator(".status-validation_sent")).to_be_visible()
    expect(cand.locator(".clock-jury")).to_be_visible()

    staff.goto(site + f"/vae/dossiers/{c.pk}/")
    jury_of_three(staff)
    mail.outbox.clear()
    decide(
        staff,
        "Validation partielle",
        ["B2 Management des ressources humaines"],
        ["B1", "B3", "B4", "B5", "B6", "B7", "B8"],
    )
    expect(staff.locator(".clock-notification")).to_contain_text("Tenu")
    told = {m.to[0]: m for m in mail.outbox if "résultat du jury" in m.subject}
    assert set(told) == {"sam.vigier@exemple.fr", "karine.lemoine@exemple.fr"}
    assert "validation partielle" in told["karine.lemoine@exemple.fr"].body
    assert "accompagnateur de Sam Vigier" in told["karine.lemoine@exemple.fr"].body
    for pg in (staff, cand):
        pg.context.close()
