"""Contrôle continu as each party uses it: the manager sets the modules, their trainers mark them
in one grid (all or nothing), the learner and his tutor read the bulletin; nobody else sees it."""

import datetime
import io

import pypdfium2 as pdfium
import pytest
from django.urls import reverse

from livret.bulletins.models import Appreciation, Assessment, Mark, TeachingModule
from tests.queries import count_queries


@pytest.fixture
def module(world):
    m = TeachingModule.objects.create(cohort=world.cohort_a, title="E3 - Management", coefficient=2)
    m.trainers.set([world.users["trainer_a"]])
    return m


def _assessment(module, user, title="Écrit 1", coefficient=1, semester=1):
    return Assessment.objects.create(
        module=module,
        title=title,
        coefficient=coefficient,
        held_on=datetime.date(2025, 11, 4),
        semester=semester,
        created_by=user,
    )


def test_the_manager_creates_a_module_with_the_cohorts_trainers_only(client, world):
    client.force_login(world.users["manager_a"])
    url = reverse("cohort_modules", args=[world.cohort_a.pk])
    # A trainer of another centre is not offered, and a forged choice is refused.
    page = client.get(url).content.decode()
    assert "Trainer_b" not in page and "Trainer_a" in page
    r = client.post(
        url, {"title": "E4", "coefficient": "1", "trainers": [world.users["trainer_b"].pk]}
    )
    assert r.status_code == 400 and not TeachingModule.objects.exists()
    r = client.post(
        url,
        {
            "title": "E4 - Prévention",
            "coefficient": "1,5",
            "trainers": [world.users["trainer_a"].pk],
        },
    )
    assert r.status_code == 302
    m = TeachingModule.objects.get()
    assert m.cohort == world.cohort_a and list(m.trainers.all()) == [world.users["trainer_a"]]
    assert "E4 - Prévention" in client.get(url).content.decode()


@pytest.mark.parametrize("who", ["trainer_a", "tutor_x", "learner1", "manager_b"])
def test_only_the_manager_creates_modules(client, world, who):
    client.force_login(world.users[who])
    r = client.post(reverse("cohort_modules", args=[world.cohort_a.pk]), {"title": "X"})
    assert r.status_code == (403 if who == "trainer_a" else 404)
    assert not TeachingModule.objects.exists()


def test_the_grid_saves_every_mark_or_none_and_shows_every_error_in_place(client, world, module):
    w = world
    a1 = _assessment(module, w.users["trainer_a"], "Écrit 1", 1)
    a2 = _assessment(module, w.users["trainer_a"], "Oral", 3)
    client.force_login(w.users["trainer_a"])
    url = reverse("module_grid", args=[module.pk]) + "?semestre=1"
    l1, l2 = w.learner1.pk, w.learner2.pk
    r = client.post(
        url,
        {
            f"m-{l1}-{a1.pk}": "12",
            f"m-{l1}-{a2.pk}": "21",
            f"m-{l2}-{a1.pk}": "douze",
            f"m-{l2}-{a2.pk}": "abs",
        },
    )
    assert r.status_code == 400 and not Mark.objects.exists()
    page = r.content.decode()
    assert "la note va de 0 à 20" in page and "« douze » n&#x27;est pas une note" in page
    assert f'id="m-{l1}-{a1.pk}" value="12"' in page  # what was typed is kept
    r = client.post(
        url,
        {
            f"m-{l1}-{a1.pk}": "12",
            f"m-{l1}-{a2.pk}": "9,5",
            f"m-{l2}-{a1.pk}": "14",
            f"m-{l2}-{a2.pk}": "ABS",
        },
    )
    assert r.status_code == 302
    assert Mark.objects.count() == 4
    page = client.get(url).content.decode()
    # Learner 1: (12×1 + 9.5×3)/4 = 10.125 → 10,12 ; learner 2: ABS does not count → 14,00
    assert "10,12" in page and "14,00" in page
    mark = Mark.objects.get(learner=w.learner1, assessment=a2)
    assert mark.history.first().history_user == w.users["trainer_a"]
    # An emptied cell does not delete silently: nothing is written, the cell says which mark it
    # would erase, and a box asks to confirm; what else was typed is kept.
    r = client.post(url, {f"m-{l1}-{a2.pk}": "", f"m-{l2}-{a1.pk}": "15"})
    page = r.content.decode()
    assert Mark.objects.filter(pk=mark.pk).exists()
    assert Mark.objects.get(learner=w.learner2, assessment=a1).hundredths == 1400
    assert (
        "Rien n&#x27;est enregistré : 1 case vidée effacerait une note." in page
        and "efface la note 9,5<" in page
    )
    assert 'name="effacer"' in page and f'id="m-{l2}-{a1.pk}" value="15"' in page
    # Confirmed: the mark goes (its history keeps it) and the message counts it as deleted.
    r = client.post(
        url, {f"m-{l1}-{a2.pk}": "", f"m-{l2}-{a1.pk}": "15", "effacer": "oui"}, follow=True
    )
    assert "1 note enregistrée, 1 note effacée." in r.content.decode()
    assert not Mark.objects.filter(pk=mark.pk).exists()
    assert mark.history.count() == 2


def test_a_cell_of_another_centre_is_refused(client, world, module):
    a1 = _assessment(module, world.users["trainer_a"])
    client.force_login(world.users["trainer_a"])
    r = client.post(
        reverse("module_grid", args=[module.pk]), {f"m-{world.learner_b.pk}-{a1.pk}": "12"}
    )
    assert r.status_code == 400 and not Mark.objects.exists()


def test_a_cohort_trainer_who_does_not_teach_the_module_reads_it_but_cannot_mark(
    client, world, module
):
    a1 = _assessment(module, world.users["trainer_a"])
    Mark.objects.create(
        assessment=a1, learner=world.learner1, hundredths=1500, entered_by=world.users["trainer_a"]
    )
    client.force_login(world.users["trainer_a2"])
    url = reverse("module_grid", args=[module.pk]) + "?semestre=1"
    page = client.get(url).content.decode()
    assert "15,00" in page and "data-grade-cell" not in page and "Nouvelle évaluation" not in page
    assert client.post(url, {f"m-{world.learner1.pk}-{a1.pk}": "2"}).status_code == 403
    assert client.get(reverse("assessment_new", args=[module.pk])).status_code == 403
    assert Mark.objects.get().hundredths == 1500


@pytest.mark.parametrize("who", ["trainer_b", "manager_b", "tutor_x", "learner1", "nobody"])
def test_nobody_outside_the_cohort_staff_opens_a_module(client, world, module, who):
    a1 = _assessment(module, world.users["trainer_a"])
    client.force_login(world.users[who])
    for url in (
        reverse("module_grid", args=[module.pk]),
        reverse("module_edit", args=[module.pk]),
        reverse("assessment_new", args=[module.pk]),
        reverse("assessment_edit", args=[module.pk, a1.pk]),
        reverse("module_appreciations", args=[module.pk]),
    ):
        assert client.get(url).status_code == 404, url


def test_the_trainer_creates_an_assessment_in_the_semester_he_chooses(client, world, module):
    client.force_login(world.users["trainer_a"])
    r = client.post(
        reverse("assessment_new", args=[module.pk]),
        {
            "title": "Dossier veille",
            "kind": "dossier",
            "coefficient": "2",
            "held_on": "2026-03-10",
            "semester": "2",
        },
    )
    assert r.status_code == 302 and r.url.endswith("?semestre=2")
    a = Assessment.objects.get()
    assert (a.module, a.semester, a.created_by) == (module, 2, world.users["trainer_a"])
    # Semesters beyond the cohort's course are not offered.
    r = client.post(
        reverse("assessment_edit", args=[module.pk, a.pk]),
        {
            "title": "Dossier",
            "kind": "dossier",
            "coefficient": "2",
            "held_on": "2026-03-10",
            "semester": "9",
        },
    )
    assert r.status_code == 400 and "Semestre" in r.content.decode()


def _marked(world, module):
    w = world
    a1 = _assessment(module, w.users["trainer_a"], "Écrit 1", 1)
    a2 = _assessment(module, w.users["trainer_a"], "Oral", 1)
    for learner, v1, v2 in ((w.learner1, 1200, 999), (w.learner2, 1600, None)):
        Mark.objects.create(
            assessment=a1, learner=learner, hundredths=v1, entered_by=w.users["trainer_a"]
        )
        if v2 is not None:
            Mark.objects.create(
                assessment=a2, learner=learner, hundredths=v2, entered_by=w.users["trainer_a"]
            )
    Mark.objects.create(
        assessment=a2, learner=w.learner2, mark="DISP", entered_by=w.users["trainer_a"]
    )
    Appreciation.objects.create(
        learner=w.learner1,
        module=module,
        semester=1,
        text="Travail régulier, oral à renforcer.",
        author=w.users["trainer_a"],
    )
    return a1, a2


@pytest.mark.parametrize("who", ["learner1", "tutor_x", "trainer_a", "trainer_a2", "manager_a"])
def test_the_learner_his_tutor_and_his_centre_read_the_bulletin(client, world, module, who):
    _marked(world, module)
    client.force_login(world.users[who])
    page = client.get(
        reverse("bulletin", args=[world.learner1.pk]) + "?semestre=1"
    ).content.decode()
    # (12 + 9.99) / 2 = 10.995 → 10,99 ; cohort: (10.995 + 16) / 2 = 13.4975 → 13,49
    assert "Moyenne du semestre : <strong>10,99</strong>" in page
    assert "13,49" in page and "Travail régulier, oral à renforcer." in page
    assert "<td>DISP</td>" not in page  # learner 2's dispensation is not on learner 1's


@pytest.mark.parametrize("who", ["learner2", "tutor_y", "trainer_b", "manager_b", "nobody"])
def test_nobody_else_reads_a_bulletin(client, world, module, who):
    _marked(world, module)
    client.force_login(world.users[who])
    assert client.get(reverse("bulletin", args=[world.learner1.pk])).status_code == 404
    assert client.get(reverse("bulletin_pdf", args=[world.learner1.pk])).status_code == 404


def test_the_bulletin_pdf_prints_the_marks_averages_and_appreciations(client, world, module):
    _marked(world, module)
    client.force_login(world.users["tutor_x"])
    r = client.get(reverse("bulletin_pdf", args=[world.learner1.pk]) + "?semestre=1")
    assert r["Content-Type"] == "application/pdf"
    doc = pdfium.PdfDocument(io.BytesIO(r.content))
    text = "".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    assert "Bulletin du semestre 1" in text and "10,99" in text
    assert "E3 - Management" in text and "Travail régulier" in text
    assert world.learner1.access_logs.filter(what__contains="bulletin").exists()


def test_appreciations_are_saved_for_the_semester_and_an_emptied_box_removes_one(
    client, world, module
):
    client.force_login(world.users["trainer_a"])
    url = reverse("module_appreciations", args=[module.pk]) + "?semestre=2"
    r = client.post(url, {f"a-{world.learner1.pk}": "Bon semestre.", f"a-{world.learner2.pk}": ""})
    assert r.status_code == 302
    a = Appreciation.objects.get()
    assert (a.learner, a.semester, a.author) == (world.learner1, 2, world.users["trainer_a"])
    r = client.post(url, {f"a-{world.learner1.pk}": "x" * 1001})
    assert r.status_code == 400 and Appreciation.objects.get().text == "Bon semestre."
    client.post(url, {f"a-{world.learner1.pk}": ""})
    assert not Appreciation.objects.exists()


def _grow(world, module, n):
    """n more learners in the cohort, each with a mark at each assessment."""
    from livret.people.models import Learner

    assessments = list(module.assessments.all())
    for i in range(n):
        learner = Learner.objects.create(
            cohort=world.cohort_a,
            centre=world.cohort_a.centre,
            first_name=f"P{i}",
            last_name="Plus",
            status=Learner.APPRENTICE,
        )
        for a in assessments:
            Mark.objects.create(
                assessment=a,
                learner=learner,
                hundredths=1000 + i,
                entered_by=world.users["trainer_a"],
            )


def test_the_grid_and_the_bulletin_cost_the_same_queries_for_2_and_32_learners(
    client, world, module
):
    _marked(world, module)
    urls = {
        "trainer_a": reverse("module_grid", args=[module.pk]) + "?semestre=1",
        "learner1": reverse("bulletin", args=[world.learner1.pk]) + "?semestre=1",
        "manager_a": reverse("cohort_modules", args=[world.cohort_a.pk]),
    }
    before = {}
    for who, url in urls.items():
        client.force_login(world.users[who])
        before[who] = count_queries(client, url)
    _grow(world, module, 30)
    after = {}
    for who, url in urls.items():
        client.force_login(world.users[who])
        after[who] = count_queries(client, url)
    assert before == after
    assert after == {"trainer_a": 10, "learner1": 11, "manager_a": 9}


def test_a_refused_module_says_each_error_beside_its_field(client, world):
    """Issue 25, item 8: the module form's errors through web/forms — the trainers' error was
    only in the banner, the title's beside it without the id its aria-describedby names."""
    import re

    client.force_login(world.users["manager_a"])
    url = reverse("cohort_modules", args=[world.cohort_a.pk])
    r = client.post(
        url, {"title": "", "coefficient": "1,5", "trainers": [world.users["trainer_b"].pk]}
    )
    html = r.content.decode()
    assert r.status_code == 400 and not TeachingModule.objects.exists()
    for field in ("id_title", "id_trainers"):
        assert re.search(rf'<ul[^>]*id="{field}_error"', html), field
        control = re.search(rf'<(?:input|fieldset)[^>]*id="{field}"[^>]*>', html).group(0)
        assert 'aria-invalid="true"' in control and f"{field}_error" in control, field
        assert f'href="#{field}' in html  # the summary links to it
    assert 'value="1,5"' in html
