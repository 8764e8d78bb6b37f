"""In a real Chromium, on both demo centres: the lycée's manager keeps his centre's records in the
application, each role's pages load without a single Content-Security-Policy refusal, and nothing
of the other centre shows. Screenshots at 1366 px and 390 px go to test-artifacts/."""

import datetime

import pytest
from playwright.sync_api import expect

from livret.ops import demo
from livret.referentiels.loader import default_files, load_files

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server):
    load_files(default_files())
    demo.create(today=datetime.date(2026, 11, 26))
    return live_server.url


def watch_csp(page):
    refusals = []
    page.on(
        "console",
        lambda m: refusals.append(m.text) if "Content Security Policy" in m.text else None,
    )
    return refusals


def login(page, site, username):
    page.goto(site + "/connexion/")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill(demo.DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def test_lycee_manager_adds_a_company_with_the_keyboard(page, site, screenshot):
    refusals = watch_csp(page)
    login(page, site, "responsable-lycee")
    page.get_by_role("link", name="Mon centre").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(demo.LYCEE_NAME)
    screenshot(page, "centre-home-lycee-1366")
    page.get_by_role("link", name="Entreprises d'accueil").click()
    # The CFA's companies are not the lycée's business.
    expect(page.get_by_text("Vigilis Sécurité")).to_have_count(0)
    expect(page.get_by_role("cell", name="Sécuritas Loire", exact=True)).to_be_visible()
    page.get_by_role("link", name="Ajouter une entreprise").click()
    page.get_by_label("Nom").fill("Loire Événements Sûreté")
    page.keyboard.press("Tab")
    page.keyboard.type("Roanne")
    page.keyboard.press("Tab")
    page.keyboard.type("123 456 789 01234")
    page.keyboard.press("Enter")
    expect(page.get_by_text("« Loire Événements Sûreté » enregistré.")).to_be_visible()
    expect(page.get_by_role("cell", name="12345678901234")).to_be_visible()
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "centre-companies-lycee-390")
    assert not refusals, refusals


@pytest.mark.parametrize(
    "username, path_text",
    [
        ("formateur-lycee", "Promotions"),
        ("eleve-lycee", "Mon livret"),
        ("tuteur-lycee", "Mes apprenants"),  # his learners are mixed
        ("examens-lycee", "Examens"),
        ("apprenti", "Mon livret"),
    ],
)
def test_each_roles_home_loads_under_the_csp(page, site, username, path_text, screenshot):
    refusals = watch_csp(page)
    login(page, site, username)
    expect(page.get_by_role("link", name=path_text).first).to_be_visible()
    html = page.content()
    other = "CFA des Métiers de la Sécurité" if "lycee" in username else demo.LYCEE_NAME
    assert other not in html
    screenshot(page, f"home-{username}-1366")
    assert not refusals, refusals


def test_api_documentation_renders_under_the_csp(page, site):
    refusals = watch_csp(page)
    page.goto(site + "/api/v1/docs")
    expect(page.get_by_text("Livret API").first).to_be_visible()
    expect(page.get_by_text("/api/v1/learners").first).to_be_visible()
    assert not refusals, refusals


def test_on_a_phone_the_tutor_logs_out_with_the_keyboard_alone(page, site, screenshot):
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, site, "tuteur-lycee")
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_hidden()
    # Skip link first, then the centre's name, then the menu button.
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Aller au contenu")).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Menu")).to_be_focused()
    page.keyboard.press("Enter")
    logout = page.get_by_role("button", name="Se déconnecter")
    expect(logout).to_be_visible()
    screenshot(page, "menu-tutor-390")
    for _ in range(10):
        if logout.evaluate("el => el === document.activeElement"):
            break
        page.keyboard.press("Tab")
    expect(logout).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Connexion")).to_be_visible()


def test_on_a_phone_the_livret_opens_folded_by_bloc_with_its_progress(page, site, screenshot):
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, site, "apprenti")
    page.get_by_role("link", name="Consulter mon livret").click()
    blocs = page.locator("details[data-fold]")
    expect(blocs.first).to_be_visible()
    assert blocs.count() >= 4
    assert page.evaluate("[...document.querySelectorAll('details[data-fold]')].every(d => !d.open)")
    expect(blocs.first.locator("summary")).to_contain_text("acquises")
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 5000, height  # it was 20,575 px with every competence open
    screenshot(page, "livret-phone-folded-390")
    # Opening a bloc with the keyboard shows its competences.
    blocs.first.locator("summary").focus()
    page.keyboard.press("Enter")
    expect(blocs.first.locator("tbody tr").first).to_be_visible()


def test_exam_admin_pastes_a_column_of_grades(page, site, screenshot):
    from livret.exams.models import ExamSession, Grade

    session = ExamSession.objects.get(organiser__name=demo.LYCEE_NAME)
    session.deliberations.update(signed_at=None)  # reopen the demo's signed mock exam
    login(page, site, "examens-lycee")
    page.goto(site + f"/examens/{session.pk}/notes/")
    first = page.locator("input[data-grade-cell][name$='-U1']").first
    first.focus()
    # Paste three grades copied from a spreadsheet column: they fill the column downwards.
    page.evaluate(
        """() => {
          const input = document.activeElement, data = new DataTransfer();
          data.setData('text/plain', '15\\n9,5\\nABS\\n');
          input.dispatchEvent(new ClipboardEvent('paste', {clipboardData: data, bubbles: true}));
        }"""
    )
    column = page.locator("input[data-grade-cell][name$='-U1']")
    expect(column.nth(0)).to_have_value("15")
    expect(column.nth(1)).to_have_value("9,5")
    expect(column.nth(2)).to_have_value("ABS")
    page.keyboard.press("ArrowDown")
    expect(column.nth(1)).to_be_focused()
    screenshot(page, "exam-grades-grid-1366")
    page.get_by_role("button", name="Enregistrer les notes").click()
    expect(page.get_by_text("note(s) enregistrée(s)")).to_be_visible()
    names = [column.nth(i).get_attribute("name") for i in range(3)]
    cids = [int(n.split("-")[1]) for n in names]
    saved = {
        g.candidate_id: g.display
        for g in Grade.objects.filter(candidate_id__in=cids, unit="U1", control=False)
    }
    assert [saved[c] for c in cids] == ["15", "9,50", "ABS"]
