"""Exams in a real browser: a CCF situation from its planning by the trainer to the grade the
exam office reports, and a titre professionnel jury deciding CCP by CCP, on a laptop and on a
phone (390 px)."""

import pytest
from django.conf import settings

from livret.exams.models import CcfSituation, CcpResult, ExamSession
from livret.exams.services import register_cohort
from livret.people.models import Cohort, Learner, Organisation, Profile
from livret.referentiels.loader import load_files
from tests.conftest import DEMO_PASSWORD

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _exam_office(django_user_model, centre):
    u = django_user_model.objects.create_user(
        "examens", password=DEMO_PASSWORD, first_name="Claire", last_name="Fontaine"
    )
    Profile.objects.create(user=u, role=Profile.EXAM_ADMIN, organisation=centre)
    return u


def test_a_ccf_situation_from_the_trainers_plan_to_the_reported_grade(
    page, site, django_user_model, screenshot
):
    cohort = Cohort.objects.get()
    centre = cohort.centre
    centre.habilitations.add(cohort.referentiel.diploma)  # its apprentices sit the CCF forms
    office = _exam_office(django_user_model, centre)
    session = ExamSession.objects.create(
        referentiel=cohort.referentiel, organiser=centre, year=2027, name="BTS MOS 2027"
    )
    register_cohort(session, cohort, office)
    lina = Learner.objects.get(first_name="Lina")

    login(page, site, "formateur")
    page.goto(f"{site}/livrets/{lina.pk}/ccf/")
    row = page.get_by_role("row").filter(has_text="(U4)")
    row.get_by_text("Prévoir une situation").click()
    row.get_by_label("Date").fill("2027-03-15")
    row.get_by_label("Lieu").fill("Poste central, Vigilis")
    row.get_by_label("Professionnel de la commission").fill("M. Roux, chef de poste")
    row.get_by_role("button", name="Prévoir").click()
    page.wait_for_url("**/ccf/*/")
    assert page.get_by_role("heading", name="U4 — situation 1").is_visible()
    # The grid is the référentiel's criteria; a grade out of range keeps what was typed.
    boxes = page.locator("textarea[name^='c']:not([name='comment'])")
    assert boxes.count() == 5
    for i in range(5):
        boxes.nth(i).fill(f"Critère {i + 1} observé en situation.")
    page.get_by_label("Note proposée par la commission").fill("21")
    page.get_by_role("button", name="Proposer la note au service des examens").click()
    assert page.get_by_role("alert").is_visible()
    assert boxes.nth(3).input_value() == "Critère 4 observé en situation."
    page.get_by_label("Note proposée par la commission").fill("14,5")
    page.get_by_role("button", name="Proposer la note au service des examens").click()
    assert page.get_by_text("note proposée le").is_visible()
    screenshot(page, "ccf-situation-proposed")
    s = CcfSituation.objects.get()
    assert (s.proposed_hundredths, s.professional) == (1450, "M. Roux, chef de poste")

    # The exam office reports it among the session's grades.
    page.context.clear_cookies()
    login(page, site, "examens")
    page.goto(f"{site}/ccf/{s.pk}/")
    page.get_by_role("button", name="Reporter la note proposée (14,50) dans la session").click()
    assert page.get_by_text("note reportée le").is_visible()
    assert session.candidates.get(learner=lina).grades.get(unit="U4").hundredths == 1450


@pytest.fixture
def titre_session(site, django_user_model):
    ref = load_files([settings.REFERENTIEL_DIR / "tp-operateur-videoprotection_2026-11-26.yaml"])[
        0
    ].referentiel
    centre = Organisation.objects.get(kind=Organisation.CFA)
    office = _exam_office(django_user_model, centre)
    cohort = Cohort.objects.create(centre=centre, referentiel=ref, name="TP OVT", start_year=2026)
    for first, last in [("Inès", "Alaoui"), ("Bruno", "Berger")]:
        Learner.objects.create(
            cohort=cohort, centre=centre, first_name=first, last_name=last, status="continuing"
        )
    session = ExamSession.objects.create(
        referentiel=ref,
        organiser=centre,
        year=2027,
        name="Session titre OVT juin 2027",
        kind=ExamSession.OFFICIAL,
        official_reference="PV DREETS 2027-041",
    )
    register_cohort(session, cohort, office)
    return session


@pytest.mark.parametrize("width", [1366, 390])
def test_a_titre_pro_jury_decides_ccp_by_ccp_and_signs(
    page, site, titre_session, width, screenshot
):
    page.set_viewport_size({"width": width, "height": 900})
    page.on("dialog", lambda d: d.accept())
    login(page, site, "examens")
    page.goto(f"{site}/examens/{titre_session.pk}/")
    assert page.get_by_text("pas de note ni de moyenne").is_visible()
    page.get_by_role("link", name="Inès ALAOUI").click()
    page.get_by_label("Décision CCP1").select_option("acquis")
    page.get_by_label("Décision CCP2").select_option("acquis")
    page.get_by_label("Observations du jury sur CCP2").fill("Levée de doute maîtrisée.")
    page.get_by_role("button", name="Enregistrer les décisions du jury").click()
    assert page.locator(".titre-outcome").inner_text() == "Titre obtenu"

    page.get_by_role("link", name="Session titre OVT juin 2027").click()
    page.get_by_role("link", name="Bruno BERGER").click()
    page.get_by_label("Décision CCP1").select_option("acquis")
    page.get_by_label("Décision CCP2").select_option("non_acquis")
    page.get_by_role("button", name="Enregistrer les décisions du jury").click()
    assert page.locator(".titre-outcome").inner_text() == "Validation partielle (CCP obtenus)"
    assert page.get_by_text("reste à acquérir : CCP2").is_visible()
    # The candidate's page fits a phone: no sideways scrolling of the whole page.
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
    screenshot(page, f"titre-candidate-{width}")

    page.get_by_role("link", name="Session titre OVT juin 2027").click()
    page.get_by_role("button", name="Signer le procès-verbal").click()
    assert page.get_by_text("PV signé le").first.is_visible()
    screenshot(page, f"titre-deliberation-{width}")
    assert CcpResult.objects.get(ccp="CCP2", candidate__last_name="Alaoui").comment == (
        "Levée de doute maîtrisée."
    )
    assert titre_session.locked
