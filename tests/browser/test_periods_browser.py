"""A real Chromium: a learner opens his periods page and sees the alert that matters to him."""

import datetime

import pytest
from playwright.sync_api import expect

from livret.people.models import Cohort, Learner, Organisation, Profile
from livret.periods.models import Period
from livret.referentiels.loader import default_files, load_files
from tests.conftest import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
D = datetime.date


@pytest.fixture
def site(live_server, django_user_model):
    ref = [x for x in load_files(default_files()) if x.referentiel.diploma.slug == "bts-mos"][
        0
    ].referentiel
    centre = Organisation.objects.create(name="Lycée Test", kind=Organisation.LYCEE)
    company = Organisation.objects.create(name="Vigilis", kind=Organisation.COMPANY)
    user = django_user_model.objects.create_user(
        "eleve", password=DEMO_PASSWORD, first_name="Inès", last_name="Traoré"
    )
    Profile.objects.create(user=user, role=Profile.LEARNER, organisation=centre)
    start = D.today().year - 1 if D.today().month >= 9 else D.today().year - 2
    cohort = Cohort.objects.create(
        centre=centre,
        referentiel=ref,
        name="BTS MOS",
        start_year=start,
        exam_date=D(start + 2, 5, 18),
    )
    learner = Learner.objects.create(
        user=user,
        cohort=cohort,
        centre=centre,
        first_name="Inès",
        last_name="Traoré",
        status="school",
    )
    # Only 3 consecutive weeks in the first school year, which is over: it cannot be fixed any more.
    Period.objects.create(
        learner=learner,
        company=company,
        start=D(start + 1, 1, 5) - datetime.timedelta(days=D(start + 1, 1, 5).weekday()),
        end=D(start + 1, 1, 5)
        - datetime.timedelta(days=D(start + 1, 1, 5).weekday())
        + datetime.timedelta(days=18),
        attestation_received=True,
        attestation_signed=True,
    )
    return live_server.url, start


def test_learner_sees_his_periods_and_the_alert(page, site, screenshot):
    url, start = site
    page.goto(url + "/connexion/")
    page.get_by_label("Identifiant").fill("eleve")
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    # A pupil (school status): his periods are PFMP (issue 25, item 6).
    page.get_by_role("link", name="Mes PFMP").click()
    expect(page.get_by_role("heading", name="PFMP", exact=True)).to_be_visible()
    expect(page.get_by_text("Non conforme")).to_be_visible()
    alert = page.locator(".alert-weeks")
    expect(alert).to_contain_text(
        f"Ne peut plus être atteint avant l'examen : {start}-{start + 1} : aucune période de 4 semaines consécutives (la plus longue : 3 semaines)"
    )
    expect(page.locator(".alert-weeks-pending").first).to_contain_text("semaines manquantes")
    expect(page.locator("table")).to_contain_text("Vigilis")
    screenshot(page, "periods-learner")
