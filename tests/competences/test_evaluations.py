"""Evaluations as facts: history, corrections, evidence, situations, PDF, query counts."""

import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from livret.competences.models import (
    AppendOnlyError,
    CompetenceEvaluation,
    CompetenceStatus,
    Situation,
)
from livret.competences.services import record_evaluation
from livret.people.models import Learner
from livret.referentiels.models import Competence
from tests.queries import count_queries

D = datetime.date


def post_eval(client, w, level, day, **extra):
    return client.post(
        reverse("evaluate", args=[w.learner1.pk, w.competence.pk]),
        {"level": level, "observed_on": day, "context": "course", **extra},
    )


def status(w):
    return CompetenceStatus.objects.get(learner=w.learner1, competence=w.competence)


def test_history_keeps_everything_and_acquisition_date_follows_corrections(client, world):
    w = world
    client.force_login(w.users["trainer_a"])
    assert post_eval(client, w, "acquired", "2026-03-10").status_code == 302
    assert (status(w).level, status(w).acquired_on) == ("acquired", D(2026, 3, 10))
    # A second trainer corrects it the same day: a new fact, nothing overwritten.
    client.force_login(w.users["trainer_a2"])
    post_eval(client, w, "not_acquired", "2026-03-10", comment="Erreur de saisie")
    assert (status(w).level, status(w).acquired_on) == ("not_acquired", None)
    client.force_login(w.users["trainer_a"])
    post_eval(client, w, "acquired", "2026-04-02")
    post_eval(client, w, "acquired", "2026-05-20")
    assert (status(w).level, status(w).acquired_on) == ("acquired", D(2026, 4, 2))
    facts = list(
        CompetenceEvaluation.objects.filter(
            learner=w.learner1, competence=w.competence
        ).values_list("level", "evaluator__username")
    )
    assert facts == [
        ("in_progress", "trainer_a"),
        ("acquired", "trainer_a"),
        ("not_acquired", "trainer_a2"),
        ("acquired", "trainer_a"),
        ("acquired", "trainer_a"),
    ]
    # The learner's page says "acquise le 02/04/2026"; the history shows who said what.
    client.force_login(w.users["learner1"])
    assert (
        "acquise le 02/04/2026"
        in client.get(reverse("livret", args=[w.learner1.pk])).content.decode()
    )
    history = client.get(
        reverse("history", args=[w.learner1.pk, w.competence.pk]), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert (
        "Trainer_a2 Test" in history
        and "Erreur de saisie" in history
        and history.count("<li>") == 5
    )


def test_facts_cannot_be_changed_or_deleted(world):
    fact = world.evaluation
    fact.level = "acquired"
    with pytest.raises(AppendOnlyError):
        fact.save()
    with pytest.raises(AppendOnlyError):
        fact.delete()
    with pytest.raises(AppendOnlyError):
        CompetenceEvaluation.objects.filter(pk=fact.pk).update(level="acquired")
    with pytest.raises(AppendOnlyError):
        CompetenceEvaluation.objects.all().delete()
    assert CompetenceEvaluation.objects.get(pk=fact.pk).level == "in_progress"


def test_bad_evaluation_form_names_the_field_and_saves_nothing(client, world):
    client.force_login(world.users["trainer_a"])
    before = CompetenceEvaluation.objects.count()
    future = (datetime.date.today() + datetime.timedelta(days=3)).isoformat()
    response = post_eval(client, world, "acquired", future)
    assert (
        response.status_code == 400
        and "ne peut pas être dans le futur" in response.content.decode()
    )
    response = post_eval(client, world, "brilliant", "2026-01-01")
    assert response.status_code == 400
    assert CompetenceEvaluation.objects.count() == before


def docx_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.pdf", b"MZ\x90\x00 this is a windows program", "Type de fichier non accepté"),
        ("page.png", b"<html><script>alert(1)</script></html>", "Type de fichier non accepté"),
        ("fake.docx", b"PK\x03\x04 not really a zip", "Type de fichier non accepté"),
        ("empty.pdf", b"", "vide"),
        ("huge.pdf", b"%PDF-1.4" + b"0" * (10 * 1024 * 1024), "trop volumineux"),
    ],
)
def test_evidence_refusals(client, world, name, content, message):
    client.force_login(world.users["trainer_a"])
    before = CompetenceEvaluation.objects.count()
    response = post_eval(
        client, world, "acquired", "2026-03-10", evidence=SimpleUploadedFile(name, content)
    )
    assert response.status_code == 400 and message in response.content.decode()
    assert CompetenceEvaluation.objects.count() == before


@pytest.mark.parametrize(
    ("name", "content", "kind", "suffix"),
    [
        ("rapport.pdf", b"%PDF-1.7\n...", "application/pdf", ".pdf"),
        ("fiche.docx", None, "wordprocessingml", ".docx"),
        # A PDF whose name says HTML is stored and served as the PDF it is.
        ("page.html", b"%PDF-1.4\n%%EOF\n", "application/pdf", ".pdf"),
    ],
)
def test_evidence_is_stored_under_a_server_name_and_served_as_attachment(
    client, world, name, content, kind, suffix
):
    client.force_login(world.users["trainer_a"])
    upload = SimpleUploadedFile(
        name, content if content is not None else docx_bytes(), content_type="text/html"
    )
    assert post_eval(client, world, "acquired", "2026-03-10", evidence=upload).status_code == 302
    fact = CompetenceEvaluation.objects.latest("id")
    assert kind in fact.evidence_type
    assert name not in fact.evidence.name and fact.evidence.name.startswith("evidence/")
    # The stored file's suffix is the type read from its content, never the uploaded name's.
    assert fact.evidence.name.endswith(suffix)
    client.force_login(world.users["tutor_x"])
    response = client.get(reverse("evidence", args=[fact.pk]))
    assert response.status_code == 200
    # Saved under the content's suffix too: a PDF named page.html is downloaded as page.pdf,
    # so opening the saved file never makes the browser read it as a page.
    stem = name.rsplit(".", 1)[0]
    assert response["Content-Disposition"] == f'attachment; filename="{stem}{suffix}"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == fact.evidence_type
    client.force_login(world.users["tutor_y"])
    assert client.get(reverse("evidence", args=[fact.pk])).status_code == 404


def test_situation_journey(client, world):
    w = world
    client.force_login(w.users["learner1"])
    comps = Competence.objects.filter(referentiel=w.ref, code__in=["A2.1C3", "A2.1C5"])
    response = client.post(
        reverse("situation_new", args=[w.learner1.pk]),
        {
            "occurred_on": "2026-05-04",
            "place": "Entrepôt",
            "title": "Planning de l'équipe",
            "description": "J'ai fait le planning.",
            "competences": [c.pk for c in comps],
        },
    )
    situation = Situation.objects.get(title="Planning de l'équipe")
    assert (
        response.status_code == 302
        and situation.state == Situation.PENDING
        and situation.created_by == w.users["learner1"]
    )
    client.force_login(w.users["tutor_x"])
    client.post(
        reverse("situation_validate", args=[situation.pk]),
        {"comment": "Très bien", "action": "validate"},
    )
    situation.refresh_from_db()
    assert (
        situation.state == Situation.VALIDATED
        and situation.validated_by == w.users["tutor_x"]
        and situation.tutor_comment == "Très bien"
    )
    client.force_login(w.users["trainer_a"])
    client.post(reverse("situation_evaluate", args=[situation.pk]), {"level": "acquired"})
    made = CompetenceEvaluation.objects.filter(situation=situation)
    assert {f.competence.code for f in made} == {"A2.1C3", "A2.1C5"}
    assert all(
        f.context == "company"
        and f.evaluator == w.users["trainer_a"]
        and f.observed_on == D(2026, 5, 4)
        for f in made
    )
    # The situation shows in the livret next to the competences it supports.
    html = client.get(reverse("livret", args=[w.learner1.pk])).content.decode()
    assert "Planning de l&#x27;équipe" in html and "1 situation" in html


def test_situation_form_errors(client, world):
    client.force_login(world.users["learner1"])
    response = client.post(
        reverse("situation_new", args=[world.learner1.pk]),
        {"occurred_on": "2030-01-01", "place": "", "title": "x", "description": "y"},
    )
    html = response.content.decode()
    assert response.status_code == 400 and "dans le futur" in html and "Lieu" in html
    assert not Situation.objects.filter(title="x").exists()


def test_column_evaluation(client, world):
    client.force_login(world.users["trainer_a"])
    url = reverse("evaluate_column", args=[world.cohort_a.pk, world.competence.pk])
    response = client.post(
        url,
        {
            "level": "acquired",
            "observed_on": "2026-06-01",
            "context": "ccf",
            "learners": [world.learner1.pk, world.learner2.pk],
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and "2 évaluations enregistrées" in response.content.decode()
    assert (
        CompetenceStatus.objects.filter(competence=world.competence, level="acquired").count() == 2
    )
    # Learners of another cohort cannot be slipped in.
    response = client.post(
        url,
        {
            "level": "acquired",
            "observed_on": "2026-06-01",
            "context": "ccf",
            "learners": [world.learner_b.pk],
        },
    )
    assert response.status_code == 400
    assert not CompetenceStatus.objects.filter(learner=world.learner_b).exists()


def test_htmx_cell_evaluation_returns_the_new_cell(client, world):
    client.force_login(world.users["trainer_a"])
    response = client.post(
        reverse("evaluate", args=[world.learner2.pk, world.competence.pk]),
        {"level": "acquired", "observed_on": "2026-06-01", "context": "course", "target": "cell"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert (
        f'id="cell-{world.learner2.pk}-{world.competence.pk}"' in html
        and 'hx-swap-oob="true"' in html
        and "lvl-acquired" in html
    )


def test_pdf_has_identity_competences_and_signatures(client, world):
    from pypdf import PdfReader

    record_evaluation(
        learner=world.learner1,
        competence=world.competence,
        level="acquired",
        observed_on=D(2026, 4, 9),
        evaluator=world.users["trainer_a"],
    )
    client.force_login(world.users["tutor_x"])
    response = client.get(reverse("livret_pdf", args=[world.learner1.pk]))
    assert response["Content-Type"] == "application/pdf" and response[
        "Content-Disposition"
    ].startswith("attachment")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    for expected in [
        "Livret de compétences",
        "Learner1 UN",
        "BTS Management Opérationnel de la Sécurité",
        "A1.2C3",
        "09/04/2026",
        "Ronde",
        # Nobody signed electronically: a box for each of the three to sign by hand.
        "Signatures",
        "Maître d'apprentissage",
        "Formateur",
        "Apprenant",
    ]:
        assert expected in text, expected


def _fill(learner, trainer, competences, n=3):
    for c in competences:
        for i in range(n):
            record_evaluation(
                learner=learner,
                competence=c,
                level=["in_progress", "not_acquired", "acquired"][i % 3],
                observed_on=D(2026, 1, 1 + i),
                evaluator=trainer,
            )


def test_livret_query_count_does_not_grow(client, world):
    client.force_login(world.users["trainer_a"])
    url = reverse("livret", args=[world.learner1.pk])
    few = count_queries(client, url)
    _fill(
        world.learner1,
        world.users["trainer_a"],
        Competence.objects.filter(referentiel=world.ref)[:40],
    )
    assert count_queries(client, url) == few


def test_grid_query_count_is_the_same_for_1_and_30_learners(client, world):
    client.force_login(world.users["trainer_a"])
    url = reverse("grid", args=[world.cohort_a.pk]) + "?filtre=tout"
    Learner.objects.filter(pk=world.learner2.pk).update(cohort=world.cohort_b)
    one = count_queries(client, url)
    comps = list(Competence.objects.filter(referentiel=world.ref)[:10])
    for i in range(29):
        lr = Learner.objects.create(
            cohort=world.cohort_a,
            centre=world.learner1.centre,
            first_name=f"L{i}",
            last_name="X",
            status="school",
        )
        _fill(lr, world.users["trainer_a"], comps, n=1)
    assert count_queries(client, url) == one


def test_a_whole_column_is_recorded_all_or_nothing(world):
    from livret.competences.services import evaluate_column
    from livret.people.models import Learner

    w = world
    before = CompetenceEvaluation.objects.count()
    # The second learner cannot be written (never saved): the first one's fact is undone too.
    ghost = Learner(first_name="Fantôme", last_name="X", cohort=w.cohort_a, centre_id=1)
    with pytest.raises(ValueError):
        evaluate_column(
            learners=[w.learner1, ghost],
            competence=w.competence,
            level="acquired",
            observed_on=datetime.date(2026, 5, 4),
            evaluator=w.users["trainer_a"],
        )
    assert CompetenceEvaluation.objects.count() == before
    facts = evaluate_column(
        learners=[w.learner1, w.learner2],
        competence=w.competence,
        level="acquired",
        observed_on=datetime.date(2026, 5, 4),
        evaluator=w.users["trainer_a"],
    )
    assert len(facts) == 2 and CompetenceEvaluation.objects.count() == before + 2


def test_a_referentiels_frame_is_built_once_per_version(client, world):
    from livret.competences import queries

    url = reverse("livret", args=[world.learner1.pk])
    client.force_login(world.users["trainer_a"])
    queries._FRAMES.clear()
    cold = count_queries(client, url, warm=False)
    warm = count_queries(client, url, warm=False)
    # competences, activities, blocs and their competences, exams and their competences
    assert cold - warm == 6
    first = queries.frame(world.ref)
    assert queries.frame(world.ref) is first
    # Another load of the référentiel (a rebuilt database, a restore) never meets a stale frame.
    world.ref.loaded_at = world.ref.loaded_at + datetime.timedelta(microseconds=1)
    assert queries.frame(world.ref) is not first


def test_livret_rows_show_each_fact_and_escape_what_people_typed(client, world):
    """The rows are built in Python (competences/rows.py): what a user typed stays text."""
    w = world
    trainer = w.users["trainer_a"]
    trainer.first_name, trainer.last_name = "<b>Léa</b>", "O'Neil & <i>Fils</i>"
    trainer.save()
    competence = Competence.objects.filter(referentiel=w.ref, module_unit=None).order_by("pk")[1]
    record_evaluation(
        learner=w.learner1,
        competence=competence,
        level="acquired",
        observed_on=datetime.date(2026, 3, 2),
        evaluator=trainer,
    )
    client.force_login(trainer)
    html = client.get(reverse("livret", args=[w.learner1.pk])).content.decode()
    row = html.split(f'id="row-{w.learner1.pk}-{competence.pk}"')[1].split("</tr>")[0]
    assert "Acquise" in row and "acquise le 02/03/2026" in row
    assert "&lt;b&gt;Léa&lt;/b&gt; O&#x27;Neil &amp; &lt;i&gt;Fils&lt;/i&gt;, 02/03/2026" in row
    assert "<b>" not in html and "<i>Fils" not in html
    assert reverse("history", args=[w.learner1.pk, competence.pk]) in row
    assert reverse("evaluate", args=[w.learner1.pk, competence.pk]) in row  # a trainer evaluates
    # The apprentice reads the same row without the button to evaluate.
    client.force_login(w.users["learner1"])
    html = client.get(reverse("livret", args=[w.learner1.pk])).content.decode()
    assert f'id="row-{w.learner1.pk}-{competence.pk}"' in html and "eval-btn" not in html


def test_grid_cells_escape_the_learners_name(client, world):
    w = world
    w.learner1.first_name, w.learner1.last_name = 'Zoé "Z"', "O'Brien <x>"
    w.learner1.save()
    client.force_login(w.users["trainer_a"])
    html = client.get(reverse("grid", args=[w.cohort_a.pk]) + "?filtre=tout").content.decode()
    assert "<x>" not in html
    assert "Zoé &quot;Z&quot; O&#x27;Brien &lt;x&gt; : Non évaluée. Évaluer" in html
