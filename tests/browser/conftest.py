import os
from pathlib import Path

import pytest

from livret.people.models import Cohort, Learner, Organisation, Profile
from livret.referentiels.loader import default_files, load_files
from tests.conftest import DEMO_PASSWORD

# Playwright's sync API runs an event loop in this thread; the ORM calls made by fixtures are
# still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

DEBIAN_CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


# CI runs the whole suite on two loaded CPUs: a page that answers in 6 s there is slow, not wrong.
# Assertions wait up to 15 s (Playwright's default is 5 s); a real failure still fails.
EXPECT_TIMEOUT_MS = 15_000


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=EXPECT_TIMEOUT_MS)

    with sync_playwright() as p:
        # Debian's Chromium when installed, else Playwright's own (`make test` gets one of them).
        executable = (
            DEBIAN_CHROMIUM if DEBIAN_CHROMIUM.exists() else Path(p.chromium.executable_path)
        )
        if not executable.exists():
            pytest.fail(
                "Chromium is missing: run `python scripts/test_prerequisites.py chromium` "
                "(make test does it)"
            )
        b = p.chromium.launch(
            executable_path=executable,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1300, "height": 900}, locale="fr-FR")
    pg = context.new_page()
    yield pg
    context.close()


@pytest.fixture
def screenshot():
    ARTIFACTS.mkdir(exist_ok=True)

    def take(page, name):
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=False)
        return path

    return take


# --- a small centre (one trainer, one tutor, one apprentice), shared by the livret journeys ----
@pytest.fixture
def site(live_server, django_user_model):
    ref = [x for x in load_files(default_files()) if x.referentiel.diploma.slug == "bts-mos"][
        0
    ].referentiel
    centre = Organisation.objects.create(name="CFA Test", kind=Organisation.CFA)
    company = Organisation.objects.create(name="Vigilis", kind=Organisation.COMPANY)

    def user(name, role, org, first, last):
        u = django_user_model.objects.create_user(
            name, password=DEMO_PASSWORD, first_name=first, last_name=last
        )
        Profile.objects.create(user=u, role=role, organisation=org)
        return u

    trainer = user("formateur", Profile.TRAINER, centre, "Julien", "Petit")
    tutor = user("tuteur", Profile.TUTOR, company, "Karim", "Belkacem")
    apprentice = user("apprenti", Profile.LEARNER, centre, "Lina", "Bernard")
    cohort = Cohort.objects.create(
        centre=centre, referentiel=ref, name="BTS MOS 2e année", start_year=2025
    )
    cohort.trainers.set([trainer])
    Learner.objects.create(
        user=apprentice,
        cohort=cohort,
        centre=centre,
        first_name="Lina",
        last_name="Bernard",
        status="apprentice",
        tutor=tutor,
        company=company,
    )
    for i in range(3):
        Learner.objects.create(
            cohort=cohort,
            centre=centre,
            first_name=f"Autre{i}",
            last_name=f"Apprenant{i}",
            status="apprentice",
        )
    return live_server.url


def login(page, site, username):
    page.goto(site + "/connexion/")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
