"""Issue 22's journeys in a real Chromium at 390 px: a learner signs his presence with the code the
trainer shows (a code from two minutes ago is refused first); the trainer calls the roll, a learner
without a phone signs on his device, and the trainer signs the sheet; the unjustified absence goes
by real e-mail (SMTP) to the tutor, the company's contact and a minor's parent, none for the
learner excused beforehand; the tutor sends a justificatif from his phone. axe: no serious
violation on the pages."""

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import expect

from livret.attendance.models import (
    AbsenceReason,
    Attendance,
    Justification,
    LegalRepresentative,
    Session,
    SheetSignature,
)
from livret.attendance.services import seed_reasons
from livret.engine import attendance as rules
from livret.people.models import Learner, Organisation, Profile
from tests.browser.conftest import login
from tests.conftest import DEMO_PASSWORD
from tests.worker import run_worker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def _no_serious(page):
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert not serious, serious
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def _session_now(django_user_model):
    """A session of the site's cohort running now (an hour each side, within the day)."""
    now = timezone.localtime()
    start = max(now - datetime.timedelta(hours=1), now.replace(hour=0, minute=0))
    end = min(now + datetime.timedelta(hours=1), now.replace(hour=23, minute=59))
    lina = Learner.objects.get(first_name="Lina")
    s = Session.objects.create(
        cohort=lina.cohort,
        date=now.date(),
        start=start.time().replace(second=0, microsecond=0),
        end=end.time().replace(second=0, microsecond=0),
        room="B12",
    )
    s.trainers.set([django_user_model.objects.get(username="formateur")])
    return s


def test_attendance_journeys_at_390px(browser, site, smtp, screenshot, django_user_model):
    session = _session_now(django_user_model)
    lina = Learner.objects.get(first_name="Lina")
    tutor = django_user_model.objects.get(username="tuteur")
    tutor.email = "karim.belkacem@vigilis.example"
    tutor.save()
    # The company's contact (another account of the company) and a minor apprentice's parent.
    contact = django_user_model.objects.create_user(
        "contact", email="rh@vigilis.example", password=DEMO_PASSWORD
    )
    Profile.objects.create(user=contact, role=Profile.TUTOR, organisation=lina.company)
    absent = Learner.objects.get(first_name="Autre0")
    absent.tutor, absent.company = tutor, lina.company
    absent.birth_date = timezone.localdate().replace(year=timezone.localdate().year - 16)
    absent.save()
    LegalRepresentative.objects.create(
        learner=absent, name="Parent", email="parent@famille.example"
    )
    # Another apprentice, excused beforehand: his absence tells nobody.
    other_company = Organisation.objects.create(name="Sécuritas", kind=Organisation.COMPANY)
    other_tutor = django_user_model.objects.create_user(
        "tuteur2", email="tuteur2@securitas.example", password=DEMO_PASSWORD
    )
    Profile.objects.create(user=other_tutor, role=Profile.TUTOR, organisation=other_company)
    excused = Learner.objects.get(first_name="Autre1")
    excused.tutor, excused.company = other_tutor, other_company
    excused.save()
    Attendance.objects.create(session=session, learner=excused, excused=True, status=rules.ABSENT)

    # 1. The learner signs with the code: an old one is refused, the one shown now is taken.
    learner_page = browser.new_context(viewport=PHONE, locale="fr-FR").new_page()
    login(learner_page, site, "apprenti")
    learner_page.goto(site + "/seances/")
    learner_page.get_by_role("link", name="Signer ma présence").first.click()
    expect(learner_page.get_by_role("heading", name="Signer ma présence")).to_be_visible()
    _no_serious(learner_page)
    session.refresh_from_db()
    secret = bytes(session.signing_secret)
    late = rules.signing_code(secret, session.pk, rules.minute_window(timezone.now()) - 2)
    learner_page.get_by_label("Code affiché par le formateur").fill(late)
    learner_page.get_by_role("button", name="Signer").click()
    expect(learner_page.get_by_role("alert")).to_contain_text("Code incorrect ou expiré")
    screenshot(learner_page, "attendance-late-code-390")

    # The trainer shows the code (digits and QR); the learner types what he reads.
    trainer_page = browser.new_context(viewport=PHONE, locale="fr-FR").new_page()
    login(trainer_page, site, "formateur")
    trainer_page.goto(site + "/seances/")
    trainer_page.get_by_role("link", name="Appel").first.click()
    trainer_page.get_by_role("link", name="Afficher le code de signature").click()
    expect(trainer_page.locator("#qr svg")).to_be_visible()
    _no_serious(trainer_page)
    screenshot(trainer_page, "attendance-code-390")
    code = trainer_page.locator("#code").inner_text().strip()
    learner_page.get_by_label("Code affiché par le formateur").fill(code)
    learner_page.get_by_role("button", name="Signer").click()
    expect(learner_page.get_by_text("Présence signée le")).to_be_visible()
    screenshot(learner_page, "attendance-signed-390")

    # 2. The roll call: Autre0 absent, Autre1 (excused) absent, Autre2 signs on the device.
    trainer_page.get_by_role("link", name="← Appel").click()
    expect(trainer_page.get_by_text("a signé")).to_be_visible()
    _no_serious(trainer_page)
    trainer_page.locator(f"label[for='s-{absent.pk}-absent']").click()
    trainer_page.locator(f"label[for='s-{excused.pk}-absent']").click()
    autre2 = Learner.objects.get(first_name="Autre2")
    trainer_page.locator("fieldset:has-text('Apprenant2 Autre2')").get_by_role(
        "button", name="Signer sur mon appareil"
    ).click()
    expect(
        trainer_page.get_by_role("status").filter(has_text="Autre2 Apprenant2 a signé")
    ).to_be_visible()
    assert Attendance.objects.get(session=session, learner=autre2).signed_how == "trainer_device"
    trainer_page.locator(f"label[for='s-{absent.pk}-absent']").click()
    trainer_page.locator(f"label[for='s-{excused.pk}-absent']").click()
    trainer_page.get_by_role("button", name="Signer la feuille d'émargement").click()
    expect(trainer_page.get_by_text("Feuille signée par")).to_be_visible()
    screenshot(trainer_page, "attendance-roll-signed-390")
    assert SheetSignature.objects.filter(session=session).exists()
    assert Attendance.objects.get(session=session, learner=lina).signed_how == "learner_code"

    # Real e-mails: the tutor, the company's contact and the minor's parent; none for the excused.
    run_worker()
    for address in (
        "karim.belkacem@vigilis.example",
        "rh@vigilis.example",
        "parent@famille.example",
    ):
        mails = smtp.to(address)
        assert len(mails) == 1, address
        assert "Absence de Autre0 Apprenant0" in " ".join(str(mails[0]["Subject"]).split())
    assert not smtp.to("tuteur2@securitas.example")

    # 3. The tutor sends a justificatif from his phone.
    seed_reasons(lina.centre)
    tutor_page = browser.new_context(viewport=PHONE, locale="fr-FR").new_page()
    login(tutor_page, site, "tuteur")
    tutor_page.goto(site + f"/assiduite/{absent.pk}/")
    tutor_page.get_by_role("link", name="Envoyer un justificatif d'absence").click()
    _no_serious(tutor_page)
    tutor_page.get_by_label("Motif").select_option(label="Maladie")
    today = timezone.localdate().isoformat()
    tutor_page.get_by_label("Du").fill(today)
    tutor_page.get_by_label("Au").fill(today)
    tutor_page.get_by_label("Justificatif (PDF, photo…)").set_input_files(
        files=[{"name": "arret.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"}]
    )
    tutor_page.get_by_role("button", name="Envoyer le justificatif").click()
    expect(tutor_page.get_by_role("status").filter(has_text="Justificatif envoyé")).to_be_visible()
    screenshot(tutor_page, "attendance-justificatif-390")
    j = Justification.objects.get(learner=absent)
    assert j.sent_by == tutor and j.file_type == "application/pdf"
    assert j.reason == AbsenceReason.objects.get(centre=lina.centre, label="Maladie")
