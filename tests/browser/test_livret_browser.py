"""In a real Chromium: the trainer marks a competence acquired in the grid (HTMX, no reload);
the apprentice then sees "acquise le …"; the tutor sees it too but has no edit control."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_trainer_acquires_apprentice_and_tutor_read(browser, site, screenshot):
    today = timezone.localdate().strftime("%d/%m/%Y")
    trainer = browser.new_context(viewport={"width": 1300, "height": 900}).new_page()
    login(trainer, site, "formateur")
    trainer.get_by_role("link", name="Grille de compétences").click()
    expect(trainer.get_by_role("heading", name="BTS MOS 2e année")).to_be_visible()
    trainer.evaluate("window.__noReload = true")

    cell = trainer.get_by_role("button", name="A1.2C3 — Lina Bernard : Non évaluée. Évaluer")
    cell.focus()
    trainer.keyboard.press("Enter")  # keyboard-friendly: Enter opens the form
    form = trainer.locator("#panel form")
    expect(form).to_contain_text("Lina Bernard — A1.2C3")
    form.locator("label[for=lvl-acquired]").click()
    screenshot(trainer, "livret-grid-evaluate")
    form.get_by_role("button", name="Enregistrer l'évaluation").click()
    expect(trainer.locator("#panel")).to_contain_text(
        f"A1.2C3 : Acquise pour Lina Bernard (acquise le {today})"
    )
    expect(
        trainer.get_by_role(
            "button", name=f"A1.2C3 — Lina Bernard : Acquise, acquise le {today}. Évaluer"
        )
    ).to_have_text("A")
    assert trainer.evaluate("window.__noReload") is True  # the page was not reloaded
    screenshot(trainer, "livret-grid")

    apprentice = browser.new_context(viewport={"width": 1300, "height": 900}).new_page()
    login(apprentice, site, "apprenti")
    apprentice.get_by_role("link", name="Consulter mon livret").click()
    row = apprentice.locator("tr", has_text="A1.2C3")
    expect(row.first).to_contain_text(f"acquise le {today}")
    expect(apprentice.locator(".eval-btn")).to_have_count(0)
    row.first.scroll_into_view_if_needed()
    screenshot(apprentice, "livret-apprentice")

    tutor = browser.new_context(viewport={"width": 1300, "height": 900}).new_page()
    login(tutor, site, "tuteur")
    expect(tutor.get_by_role("heading", name="Mes apprentis")).to_be_visible()
    tutor.get_by_role("link", name="Voir le livret").click()
    expect(tutor.locator("tr", has_text="A1.2C3").first).to_contain_text(f"acquise le {today}")
    expect(tutor.locator(".eval-btn")).to_have_count(0)
    expect(tutor.get_by_role("button", name="Évaluer")).to_have_count(0)
    # History on demand, without leaving the page.
    tutor.locator("tr", has_text="A1.2C3").first.get_by_role("link", name="Historique (1)").click()
    expect(tutor.locator(".history")).to_contain_text("Julien Petit")
    for ctx in (trainer, apprentice, tutor):
        ctx.context.close()


def test_grid_at_keyboard_speed(page, site):
    login(page, site, "formateur")
    page.get_by_role("link", name="Grille de compétences").click()
    first = page.locator("table.grid .cell-btn").first
    first.focus()
    # Arrow keys move between cells, like a spreadsheet.
    page.keyboard.press("ArrowRight")
    second = page.locator("table.grid tbody tr").first.locator(".cell-btn").nth(1)
    expect(second).to_be_focused()
    page.keyboard.press("ArrowDown")
    below = page.locator("table.grid tbody tr").nth(1).locator(".cell-btn").nth(1)
    expect(below).to_be_focused()
    cell_id = below.evaluate("b => b.closest('td').id")
    # Enter opens the form; after saving, the focus is back on that same cell, not on <body>.
    page.keyboard.press("Enter")
    form = page.locator("#panel form")
    form.locator("label[for=lvl-in_progress]").click()
    form.get_by_role("button", name="Enregistrer l'évaluation").click()
    expect(page.locator("#panel .alert-success")).to_be_visible()
    expect(page.locator(f"#{cell_id} .cell-btn")).to_be_focused()
    expect(page.locator(f"#{cell_id} .cell-btn")).to_have_text("E")

    # A whole column asks first, and says how many learners it will touch.
    questions = []

    def answer(dialog):
        questions.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", answer)
    page.locator("table.grid .col-btn").first.click()
    column = page.locator("#panel form")
    expect(column).to_be_visible()
    column.get_by_role("button", name="Enregistrer pour les apprenants cochés").click()
    page.wait_for_timeout(300)
    assert questions and "pour 4 apprenants" in questions[0] and "4 corrections" in questions[0]
    # Refused: nothing was recorded, the form is still there.
    expect(column).to_be_visible()
    from livret.competences.models import CompetenceEvaluation

    assert CompetenceEvaluation.objects.count() == 1


def test_a_cell_is_set_in_one_keystroke_and_escape_closes_at_390(browser, site, screenshot):
    """Issue 25, item 7: A, E or N on a cell records that level (dated today) at once, the focus
    stays on the cell; in the open form the letters choose the level; Escape closes the form."""
    from livret.competences.models import CompetenceEvaluation

    today = timezone.localdate().strftime("%d/%m/%Y")
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    login(page, site, "formateur")
    page.get_by_role("link", name="Grille de compétences").click()
    page.evaluate("window.__noReload = true")
    cell = page.get_by_role("button", name="A1.2C3 — Lina Bernard : Non évaluée. Évaluer")
    cell_id = cell.evaluate("b => b.closest('td').id")
    cell.focus()
    page.keyboard.press("a")
    expect(page.locator("#panel .alert-success")).to_contain_text(
        f"A1.2C3 : Acquise pour Lina Bernard (acquise le {today})"
    )
    button = page.locator(f"#{cell_id} .cell-btn")
    expect(button).to_have_text("A")
    expect(button).to_be_focused()
    fact = CompetenceEvaluation.objects.get()
    assert fact.level == "acquired" and fact.context == "course"
    assert fact.observed_on == timezone.localdate()

    # The next cell, by arrow then one letter: E.
    page.keyboard.press("ArrowRight")
    page.keyboard.press("E")
    expect(page.locator("#panel .alert-success")).to_contain_text("En cours d'acquisition")
    assert CompetenceEvaluation.objects.filter(level="in_progress").count() == 1
    screenshot(page, "grid-one-keystroke-390")

    # Enter opens the form; N chooses « Non acquise » there; Escape closes it, nothing saved.
    button.focus()
    page.keyboard.press("Enter")
    form = page.locator("#panel form")
    expect(form).to_contain_text("Lina Bernard — A1.2C3")
    expect(form.locator("#lvl-acquired")).to_be_focused()
    page.keyboard.press("n")
    expect(form.locator("#lvl-not_acquired")).to_be_checked()
    page.keyboard.press("Escape")
    expect(page.locator("#panel form")).to_have_count(0)
    expect(button).to_be_focused()
    assert CompetenceEvaluation.objects.count() == 2
    assert page.evaluate("window.__noReload") is True
    page.context.close()


def test_declaring_a_situation_by_bloc_with_search_at_390(browser, site, screenshot):
    """Issue 25, item 4: on a phone the declaration's competences come folded by bloc; the
    search opens the blocs that hold a match and hides the others; a missing field is said
    beside it, what was typed kept."""
    from livret.competences.models import Situation

    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    login(page, site, "apprenti")
    learner_id = (
        Situation._meta.get_field("learner").related_model.objects.get(first_name="Lina").pk
    )
    page.goto(f"{site}/livrets/{learner_id}/situations/nouvelle/")
    blocs = page.locator("details.competence-bloc")
    assert blocs.count() >= 2
    for i in range(blocs.count()):
        assert blocs.nth(i).evaluate("d => d.open") is False  # folded on a phone
    page.get_by_label("Chercher une compétence").fill("A1.2C3")
    choice = page.locator(".competence-choice", has_text="A1.2C3")
    expect(choice).to_be_visible()
    shown = [blocs.nth(i).is_visible() for i in range(blocs.count())]
    assert shown.count(True) == 1  # only the bloc holding it
    choice.locator("input").check()
    page.get_by_label("Lieu").fill("Chantier Nord")
    page.get_by_label("Intitulé").fill("Ronde de nuit")
    screenshot(page, "situation-declare-390")
    page.get_by_role("button", name="Enregistrer la situation").click()
    # Date and « Ce que j'ai fait » missing: said beside each, the rest kept.
    expect(page.locator("#id_occurred_on_error")).to_be_visible()
    expect(page.locator("#id_description_error")).to_be_visible()
    expect(page.locator("#id_description")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Lieu")).to_have_value("Chantier Nord")
    expect(page.locator(".competence-choice", has_text="A1.2C3").locator("input")).to_be_checked()
    expect(page.locator("details.competence-bloc[open]")).to_have_count(1)  # the ticked one
    page.get_by_label("Date").fill("2026-04-02")
    page.get_by_label("Ce que j'ai fait").fill("J'ai préparé la ronde.")
    page.get_by_role("button", name="Enregistrer la situation").click()
    expect(page.get_by_role("heading", name="Ronde de nuit")).to_be_visible()
    assert Situation.objects.get().competences.get().code == "A1.2C3"
    page.context.close()
