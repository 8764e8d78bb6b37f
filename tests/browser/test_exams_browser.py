"""Exams in a real browser: a CCF situation from its planning by the trainer to the grade the
exam office reports, and a titre professionnel jury deciding CCP by CCP, on a laptop and on a
phone (390 px)."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from livret.competences.models import Situation
from livret.exams import services
from livret.exams.models import CcfSituation, CcpResult, ExamSession
from livret.exams.services import register_cohort
from livret.notifications import services as notifications
from livret.people.models import Cohort, Learner, Organisation, Profile
from livret.referentiels.loader import load_files
from tests.conftest import DEMO_PASSWORD
from tests.mailbox import subject
from tests.worker import run_worker

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


PHONE = {"width": 390, "height": 844}


def test_a_mock_session_opened_registered_signed_and_closed_at_390px(
    browser, site, smtp, screenshot, django_user_model
):
    """At 390 px: « Nouvelle session » (an examen blanc), the cohort registered, the minutes
    signed, the session closed; nobody is mailed an official result: the apprentice's result is worded as a mock and reaches him in the day's digest
    (real SMTP), never as « Résultat publié »."""
    cohort = Cohort.objects.get()
    office = _exam_office(django_user_model, cohort.centre)
    lina = Learner.objects.get(first_name="Lina")
    lina.user.email = "lina@apprentie.example"
    lina.user.save()
    page = browser.new_context(viewport=PHONE, locale="fr-FR").new_page()
    page.on("dialog", lambda d: d.accept())
    login(page, site, "examens")
    page.goto(f"{site}/examens/")
    page.get_by_role("link", name="Nouvelle session").click()
    page.get_by_label("Diplôme (référentiel)").select_option(str(cohort.referentiel_id))
    page.get_by_label("Intitulé").fill("Examen blanc n° 1")
    page.get_by_label("Année de la session").fill("2026")
    # An official session without its jury's reference: said beside the field, values kept.
    page.get_by_label("Session officielle (décision du jury de l'autorité certificatrice)").check()
    page.get_by_role("button", name="Créer la session").click()
    expect(page.locator("#id_official_reference_error")).to_contain_text("procès-verbal")
    expect(page.get_by_label("Intitulé")).to_have_value("Examen blanc n° 1")
    assert (
        page.get_by_label("Référence du procès-verbal", exact=False).get_attribute("aria-invalid")
        == "true"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 391
    screenshot(page, "exam-session-new-errors-390")
    page.get_by_label("Examen blanc (évaluation du centre)").check()
    page.get_by_label("Membres du jury").fill("Mme Durand ; présidente\nM. Roux ; professionnel")
    page.get_by_role("button", name="Créer la session").click()
    expect(page.get_by_role("heading", name="Examen blanc n° 1", level=1)).to_be_visible()
    session = ExamSession.objects.get(name="Examen blanc n° 1")
    assert session.kind == ExamSession.MOCK and session.year == 2026

    page.get_by_label("Inscrire une promotion").select_option(str(cohort.pk))
    page.get_by_role("button", name="Inscrire").click()
    expect(page.get_by_text("4 candidat(s) inscrit(s)")).to_be_visible()
    results = Axe().run(page)
    assert not [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    screenshot(page, "exam-session-registered-390")

    # The grades as the grid would take them; then the exam office signs on its phone.
    units = [u.code for u in services.scheme_for(session).units.values() if not u.optional]
    for c in session.candidates.all():
        for u in units:
            services.set_grade(c, u, "13" if c.learner == lina else "8", office)
    page.reload()
    page.get_by_role("button", name="Signer le procès-verbal").click()
    expect(page.get_by_text("PV signé le").first).to_be_visible()
    page.get_by_role("button", name="Clôturer la session").click()
    expect(page.get_by_text("Session clôturée le")).to_be_visible()
    run_worker()
    assert not smtp.to("lina@apprentie.example")  # nothing mailed at once
    notifications.send_digests()
    (digest,) = smtp.to("lina@apprentie.example")
    body = digest.get_body(("plain",)).get_content()
    assert "Examen blanc — Examen blanc n° 1 : résultat d'entraînement (admis)" in body
    assert "Résultat publié" not in body and "Résultat publié" not in subject(digest)


def test_a_bac_pro_pupil_declares_a_situation_at_390px(browser, site, smtp, screenshot):
    """The Bac pro file gives no competences yet: the pupil declares in his own words on his
    phone, his PFMP tutor receives the e-mail (real SMTP); the pages say élève and PFMP."""
    bac = load_files([settings.REFERENTIEL_DIR / "bacpro-metiers-securite_2026-12-04.yaml"])[
        0
    ].referentiel
    lycee = Organisation.objects.create(name="Lycée Jean-Moulin", kind=Organisation.CFA)
    company = Organisation.objects.create(name="Sécuritas Loire", kind=Organisation.COMPANY)
    users = get_user_model().objects
    tutor = users.create_user(
        "tuteur-pfmp",
        password=DEMO_PASSWORD,
        first_name="Paul",
        last_name="Morel",
        email="paul.morel@securitas.example",
    )
    Profile.objects.create(user=tutor, role=Profile.TUTOR, organisation=company)
    pupil = users.create_user(
        "eleve", password=DEMO_PASSWORD, first_name="Élise", last_name="Martin"
    )
    Profile.objects.create(user=pupil, role=Profile.LEARNER, organisation=lycee)
    cohort = Cohort.objects.create(
        centre=lycee, referentiel=bac, name="Terminale Bac pro", start_year=2024, duration_years=3
    )
    learner = Learner.objects.create(
        user=pupil,
        cohort=cohort,
        centre=lycee,
        first_name="Élise",
        last_name="Martin",
        status=Learner.SCHOOL,
        tutor=tutor,
        company=company,
    )
    page = browser.new_context(viewport=PHONE, locale="fr-FR").new_page()
    login(page, site, "eleve")
    page.goto(f"{site}/livrets/{learner.pk}/situations/nouvelle/")
    expect(page.locator("#no-competences")).to_contain_text("ne donne pas encore ses compétences")
    page.get_by_label("Date").fill("2026-11-20")
    page.get_by_label("Lieu").fill("Galerie marchande")
    page.get_by_label("Intitulé").fill("Accueil et filtrage")
    page.get_by_label("Ce que j'ai fait").fill("J'ai contrôlé les accès de la réserve.")
    assert page.evaluate("document.documentElement.scrollWidth") <= 391
    screenshot(page, "bacpro-situation-390")
    page.get_by_role("button", name="Enregistrer la situation").click()
    expect(page.get_by_text("À valider par le tuteur")).to_be_visible()
    situation = Situation.objects.get(learner=learner)
    assert not situation.competences.exists()
    run_worker()
    (mail,) = smtp.to("paul.morel@securitas.example")
    assert subject(mail) == "Livret : Situation à valider : Accueil et filtrage"
    tutor_page = browser.new_context(viewport=PHONE, locale="fr-FR").new_page()
    login(tutor_page, site, "tuteur-pfmp")
    tutor_page.goto(f"{site}/situations/{situation.pk}/")
    expect(tutor_page.get_by_role("button", name="Renvoyer à l'élève")).to_be_visible()
    tutor_page.goto(f"{site}/tuteur/")
    expect(tutor_page.get_by_role("heading", name="Mes élèves", level=1)).to_be_visible()
