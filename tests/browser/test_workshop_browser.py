"""The référentiel workshop in a real Chromium at 1366 px: a centre's manager imports a fiche of
France compétences, adds a unit with its coefficient, sees the validator's message on the unit's
row, publishes; then moves his cohort to a new version where one competence is renamed, and the
apprentice's fact is still on his livret. Screenshots go to test-artifacts/."""

import copy
import datetime
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from livret.competences.services import record_evaluation
from livret.people.models import Profile
from livret.referentiels import services
from livret.referentiels.models import Competence
from tests.browser.conftest import login
from tests.conftest import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIXTURE = Path(__file__).parents[1] / "referentiels" / "fixtures" / "rncp-v4-1.xml"


@pytest.fixture
def workshop(site, django_user_model):
    from livret.people.models import Cohort, Learner

    cohort = Cohort.objects.get(name="BTS MOS 2e année")
    manager = django_user_model.objects.create_user(
        "responsable", password=DEMO_PASSWORD, first_name="Rose", last_name="Martin"
    )
    Profile.objects.create(user=manager, role=Profile.MANAGER, organisation=cohort.centre)
    learner = Learner.objects.get(first_name="Lina")
    old = cohort.referentiel
    record_evaluation(
        learner=learner,
        competence=Competence.objects.get(referentiel=old, code="A1.2C3"),
        level="acquired",
        observed_on=datetime.date(2026, 3, 2),
        evaluator=cohort.trainers.first(),
        comment="Diagnostic complet du site.",
    )
    # A new version of the centre's own, where A1.2C3 is renumbered A1.2C3b (same title).
    doc = copy.deepcopy(old.document)
    for pole in doc["poles"]:
        for act in pole["activities"]:
            for c in act.get("competences") or []:
                if c["code"] == "A1.2C3":
                    c["code"] = "A1.2C3b"
    for part in [*doc["blocs"], *(x for e in doc["exams"] for x in [e, *e.get("parts", [])])]:
        if "competences" in part:
            part["competences"] = [("A1.2C3b" if c == "A1.2C3" else c) for c in part["competences"]]
    new = services.publish(services.create_draft(doc, owner=cohort.centre))
    return {"site": site, "cohort": cohort, "learner": learner, "new": new}


def serious(page) -> list:
    """axe-core's serious or critical violations on the page (as test_accessibility counts them)."""
    violations = Axe().run(page).response["violations"]
    return [(v["id"], v["impact"]) for v in violations if v["impact"] in ("serious", "critical")]


def test_import_edit_publish_and_move_a_cohort(page, workshop, screenshot):
    site = workshop["site"]
    found = []
    page.set_viewport_size({"width": 1366, "height": 900})
    login(page, site, "responsable")
    page.get_by_role("link", name="Atelier").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Atelier des référentiels")
    found += serious(page)

    # Import a fiche: upload, preview, confirm.
    page.get_by_role("link", name="Importer une fiche RNCP").click()
    page.get_by_label("Export de France compétences").set_input_files(str(FIXTURE))
    page.get_by_label("Numéro de fiche").fill("RNCP99901")
    page.get_by_role("button", name="Voir l'aperçu").click()
    expect(page.get_by_role("heading", name="Aperçu de ce qui sera créé")).to_be_visible()
    expect(page.get_by_text("Identifier la demande d'un visiteur")).to_be_visible()
    screenshot(page, "workshop-import-preview-1366")
    found += serious(page)
    page.get_by_role("button", name="Créer le brouillon").click()
    expect(page.get_by_text("Brouillon créé.")).to_be_visible()
    expect(page.get_by_role("heading", name="Ce qui manque encore")).to_be_visible()

    # A unit with a coefficient of 0: the validator's message on the unit's own row.
    page.locator("#id_unit-code").fill("U1")
    page.locator("#id_unit-title").fill("Accueil et orientation")
    page.locator("#id_unit-coefficient").fill("0")
    page.get_by_role("button", name="Enregistrer l'unité").click()
    row = page.locator("#unit-U1")
    expect(row).to_contain_text("le coefficient doit être strictement positif (reçu : 0)")
    screenshot(page, "workshop-validator-in-place-1366")
    found += serious(page)
    page.locator("#id_unit-code").fill("U1")
    page.locator("#id_unit-title").fill("Accueil et orientation")
    page.locator("#id_unit-coefficient").fill("3")
    page.get_by_role("button", name="Enregistrer l'unité").click()
    expect(page.locator("#unit-U1")).not_to_contain_text("strictement positif")
    page.locator("#id_bloc-code").fill("RNCP99901BC01")
    page.locator("#id_bloc-title").fill("Accueillir et orienter le public")
    page.locator("#id_bloc-unit").fill("U1")
    page.get_by_role("button", name="Enregistrer le bloc").click()
    expect(page.get_by_text("Le validateur ne relève rien")).to_be_visible()
    page.get_by_role("button", name="Publier", exact=True).click()
    expect(page.get_by_text("Version publiée : elle ne changera plus.")).to_be_visible()
    expect(page.get_by_role("button", name="Enregistrer l'unité")).to_have_count(0)
    screenshot(page, "workshop-published-1366")

    # Move the cohort to the new version of its diploma; the renamed competence is proposed.
    cohort, new = workshop["cohort"], workshop["new"]
    page.goto(f"{site}/atelier/promotions/{cohort.pk}/version/?version={new.pk}")
    expect(page.get_by_label("Nouveaux codes pour A1.2C3")).to_have_value("A1.2C3b")
    expect(page.get_by_role("status")).to_contain_text("1 fait(s) reporté(s)")
    screenshot(page, "workshop-move-preview-1366")
    found += serious(page)
    page.get_by_role("button", name="Appliquer").click()
    expect(page.get_by_text("Promotion passée à la version")).to_be_visible()
    expect(page.get_by_text("Rose Martin : version du")).to_be_visible()

    # The fact is still on the livret, under the new code.
    page.goto(f"{site}/livrets/{workshop['learner'].pk}/")
    expect(page.get_by_text("A1.2C3b").first).to_be_visible()
    screenshot(page, "workshop-livret-after-move-1366")
    cohort.refresh_from_db()
    assert cohort.referentiel == new
    assert workshop["learner"].statuses.get(competence__code="A1.2C3b").level == "acquired"
    assert found == [], found


@pytest.mark.parametrize("width", [1366, 390])
def test_create_a_version_edit_a_bloc_and_an_exam_publish_compare_export(
    page, site, django_user_model, screenshot, width
):
    """A manager makes a new version of the BTS MOS from the published one, corrects a bloc's
    title and an épreuve's coefficient — the validator's message appears beside the coefficient
    while he types, before anything is saved —, publishes, compares with the previous version
    and exports the YAML, which the validator accepts as a file of data/referentiels/."""
    import re

    from livret.people.models import Cohort
    from livret.referentiels.validator import validate_text

    centre = Cohort.objects.get(name="BTS MOS 2e année").centre
    manager = django_user_model.objects.create_user(
        "responsable", password=DEMO_PASSWORD, first_name="Rose", last_name="Martin"
    )
    Profile.objects.create(user=manager, role=Profile.MANAGER, organisation=centre)
    found = []
    page.set_viewport_size({"width": width, "height": 900})
    login(page, site, "responsable")
    if width < 992:
        page.get_by_role("button", name="Menu").click()
    page.get_by_role("link", name="Atelier").click()
    page.get_by_role(
        "button", name=re.compile(r"Nouvelle version à partir de celle-ci \(bts-mos ")
    ).first.click()
    expect(page.get_by_text(re.compile("Brouillon .* créé à partir de la version"))).to_be_visible()
    expect(page.get_by_text("brouillon", exact=True)).to_be_visible()
    found += serious(page)

    # The bloc B1, corrected from its row's « modifier » link (its form comes back filled).
    page.get_by_role("link", name="modifier le bloc B1").click()
    expect(page.locator("#id_bloc-code")).to_have_value("B1")
    page.locator("#id_bloc-title").fill("Préparation et mise en œuvre d'une prestation de sûreté")
    page.get_by_role("button", name="Enregistrer le bloc").click()
    expect(page.get_by_text("Enregistré.")).to_be_visible()
    expect(page.locator("#bloc-B1")).to_contain_text("prestation de sûreté")

    # The épreuve E1: a coefficient of 0 typed, the validator's message beside the field at
    # once (nothing saved yet); corrected to 5, the message goes, then saved.
    page.get_by_role("link", name="modifier l'épreuve E1").click()
    coefficient = page.locator("#id_exam-coefficient")
    expect(coefficient).to_have_value("4")
    coefficient.fill("0")
    beside = page.locator("#exam-coefficient-msgs")
    expect(beside).to_have_text("le coefficient doit être strictement positif (reçu : 0)")
    expect(coefficient).to_have_attribute("aria-describedby", "exam-coefficient-msgs")
    beside.evaluate("e => e.scrollIntoView({block: 'center', behavior: 'instant'})")
    screenshot(page, f"workshop-live-validator-{width}")
    found += serious(page)
    coefficient.fill("5")
    expect(beside).to_have_text("")
    page.get_by_role("button", name="Enregistrer l'épreuve").click()
    expect(page.get_by_text("Enregistré.")).to_be_visible()
    expect(page.locator("#exam-E1")).to_contain_text("5")
    if width == 390:
        assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.get_by_role("button", name="Publier", exact=True).click()
    expect(page.get_by_text("Version publiée : elle ne changera plus.")).to_be_visible()
    expect(page.get_by_role("button", name="Enregistrer le bloc")).to_have_count(0)
    screenshot(page, f"workshop-published-{width}")

    page.get_by_role("link", name="Comparer à une autre version").click()
    expect(page.get_by_role("heading", name="Intitulés changés")).to_be_visible()
    expect(page.get_by_text("prestation de sûreté")).to_be_visible()
    screenshot(page, f"workshop-compare-{width}")
    found += serious(page)

    page.go_back()
    with page.expect_download() as download:
        page.get_by_role("link", name="Exporter le YAML").click()
    name = download.value.suggested_filename
    assert name.startswith("bts-mos_") and name.endswith(".yaml")
    with open(download.value.path(), encoding="utf-8") as fh:
        text = fh.read()
    assert "prestation de sûreté" in text and "coefficient: 5" in text
    assert validate_text(text, name).faults == []
    assert found == [], found
