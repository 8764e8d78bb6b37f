"""Moving a cohort to a new version: kept codes carry every fact, a renamed competence is carried
by the mapping proposed from identical titles, dropped codes stay in history under the old
version, all or nothing, and the history says who and when."""

import copy
import datetime
import re

import pytest

from livret.competences.models import CompetenceEvaluation, CompetenceStatus
from livret.exams.models import ExamSession
from livret.referentiels import services
from livret.referentiels.models import Competence
from livret.workshop import moves
from livret.workshop.models import CohortMove


def new_version(world, rename=None, drop=None):
    """A new published version of the MOS: A1.2C3 renamed (same title), or a competence dropped."""
    doc = copy.deepcopy(world.ref.document)
    for pole in doc["poles"]:
        for act in pole["activities"]:
            for c in act.get("competences") or []:
                if c["code"] == rename:
                    c["code"] = rename + "-bis"
            if drop:
                act["competences"] = [c for c in act.get("competences") or [] if c["code"] != drop]
    for part in [
        *doc.get("blocs", []),
        *(x for e in doc.get("exams", []) for x in [e, *e.get("parts", [])]),
    ]:
        if "competences" in part:
            part["competences"] = [
                (c + "-bis" if c == rename else c) for c in part["competences"] if c != drop
            ]
    draft = services.create_draft(doc)
    return services.publish(draft)


def test_a_renamed_competence_is_carried_with_its_facts(world):
    new = new_version(world, rename="A1.2C3")
    mapping = moves.propose_mapping(world.ref, new)
    assert mapping["A1.2C3"] == ["A1.2C3-bis"]  # identical title
    assert mapping["A1.1C1"] == ["A1.1C1"]  # kept code
    p = moves.preview(world.cohort_a, new, mapping)
    assert p.facts == {"A1.2C3": 1} and p.carried == 1 and p.kept == 0

    move = moves.apply(world.cohort_a, new, mapping, world.users["manager_a"])
    world.cohort_a.refresh_from_db()
    assert world.cohort_a.referentiel == new
    carried = CompetenceEvaluation.objects.get(learner=world.learner1, competence__referentiel=new)
    assert carried.competence.code == "A1.2C3-bis"
    assert (carried.level, carried.observed_on, carried.evaluator) == (
        "in_progress",
        datetime.date(2026, 3, 2),
        world.users["trainer_a"],
    )
    status = CompetenceStatus.objects.get(learner=world.learner1, competence=carried.competence)
    assert status.level == "in_progress"
    # The original stays, under the old version.
    assert CompetenceEvaluation.objects.filter(
        pk=world.evaluation.pk, competence=world.competence
    ).exists()
    # Who and when.
    assert (move.moved_by, move.from_version, move.to_version, move.carried) == (
        world.users["manager_a"],
        world.ref,
        new,
        1,
    )
    assert move.moved_at is not None
    # The other centre's cohort did not move.
    world.cohort_b.refresh_from_db()
    assert world.cohort_b.referentiel == world.ref


def test_a_dropped_code_keeps_its_facts_in_history(world):
    new = new_version(world, drop="A1.2C3")
    mapping = moves.propose_mapping(world.ref, new)
    assert mapping["A1.2C3"] == []
    p = moves.preview(world.cohort_a, new, mapping)
    assert p.dropped_with_facts == ["A1.2C3"] and p.kept == 1 and p.carried == 0
    move = moves.apply(world.cohort_a, new, mapping, world.users["manager_a"])
    assert move.kept_in_history == 1
    assert not CompetenceEvaluation.objects.filter(competence__referentiel=new).exists()
    assert CompetenceEvaluation.objects.filter(pk=world.evaluation.pk).exists()


def test_all_or_nothing(world, monkeypatch):
    new = new_version(world, rename="A1.2C3")
    mapping = moves.propose_mapping(world.ref, new)
    before = CompetenceEvaluation.objects.count()

    def boom(*args, **kwargs):
        raise RuntimeError("panne au milieu")

    statuses = sorted(CompetenceStatus.objects.values_list("learner", "competence", "level"))
    monkeypatch.setattr(CohortMove.objects, "create", boom)
    with pytest.raises(RuntimeError):
        moves.apply(world.cohort_a, new, mapping, world.users["manager_a"])
    world.cohort_a.refresh_from_db()
    assert world.cohort_a.referentiel == world.ref
    assert CompetenceEvaluation.objects.count() == before
    assert sorted(CompetenceStatus.objects.values_list("learner", "competence", "level")) == (
        statuses
    )
    assert not CohortMove.objects.exists()


def test_a_refused_apply_from_the_page_changes_nothing(world, client):
    """A mapping to a code the new version lacks: said on the page, the cohort stays where it was."""
    from django.urls import reverse

    new = new_version(world, rename="A1.2C3")
    before = CompetenceEvaluation.objects.count()
    client.force_login(world.users["manager_a"])
    url = reverse("workshop_move", args=[world.cohort_a.pk])
    other = Competence.objects.filter(referentiel=world.ref).exclude(code="A1.2C3").first().code
    typed = f"{other} ; A1.2C3-bis"
    page = client.post(
        url,
        {"version": new.pk, "map-A1.2C3": "ZZ-9", f"map-{other}": typed, "confirm": "1"},
    )
    assert page.status_code == 400
    text = page.content.decode()
    said = "A1.2C3 → ZZ-9 : code absent de la nouvelle version"
    # Beside its input (marked, described by its error list) and in the summary linking to it.
    field = re.search(r'<input[^>]*id="id_map-A1\.2C3"[^>]*>', text).group(0)
    assert 'name="map-A1.2C3"' in field and 'value="ZZ-9"' in field
    assert 'aria-invalid="true"' in field
    described = re.search(r'aria-describedby="([^"]+)"', field).group(1)
    assert re.search(rf'id="{re.escape(described)}"[^>]*>(?:<li>)?{said}', text)
    assert "Rien n'est enregistré" in text
    assert re.search(rf'href="#id_map-A1\.2C3"[^>]*>[^<]*</a> : {said}', text)
    # The other typed value kept, that input not marked.
    kept = re.search(rf'<input[^>]*id="id_map-{re.escape(other)}"[^>]*>', text).group(0)
    assert f'value="{typed}"' in kept and "aria-invalid" not in kept
    world.cohort_a.refresh_from_db()
    assert world.cohort_a.referentiel == world.ref
    assert CompetenceEvaluation.objects.count() == before and not CohortMove.objects.exists()


def test_a_move_posted_without_a_version_is_said_beside_the_version(world, client):
    from django.urls import reverse

    new_version(world, rename="A1.2C3")
    client.force_login(world.users["manager_a"])
    url = reverse("workshop_move", args=[world.cohort_a.pk])
    page = client.post(url, {"map-A1.2C3": "A1.2C3-bis", "confirm": "1"})
    assert page.status_code == 400
    text = page.content.decode()
    select = re.search(r'<select[^>]*id="id_version"[^>]*>', text).group(0)
    assert 'aria-invalid="true"' in select and 'aria-describedby="id_version_error"' in select
    assert re.search(r'id="id_version_error"[^>]*><li>Choisissez la nouvelle version', text)
    assert re.search(r'href="#id_version"[^>]*>Nouvelle version</a> : Choisissez', text)
    world.cohort_a.refresh_from_db()
    assert world.cohort_a.referentiel == world.ref and not CohortMove.objects.exists()


def test_the_cohort_list_links_its_manager_to_the_move_page(world, client):
    from django.urls import reverse

    link = reverse("workshop_move", args=[world.cohort_a.pk])
    client.force_login(world.users["manager_a"])
    assert link in client.get(reverse("cohort_list")).content.decode()
    client.force_login(world.users["trainer_a"])
    assert link not in client.get(reverse("cohort_list")).content.decode()


def test_refused_moves(world):
    new = new_version(world)
    with pytest.raises(moves.MoveError, match="code absent de la nouvelle version"):
        moves.apply(world.cohort_a, new, {"A1.2C3": ["ZZZ"]}, world.users["manager_a"])
    draft = services.draft_from(world.ref)
    with pytest.raises(moves.MoveError, match="version publiée"):
        moves.preview(world.cohort_a, draft)
    other = services.publish(services.draft_from(world.ref, owner=world.cohort_b.centre))
    with pytest.raises(moves.MoveError, match="pas proposée à ce centre"):
        moves.preview(world.cohort_a, other)
    assert not CohortMove.objects.exists()


def test_exam_sessions_keep_their_version(exam, world):
    session = ExamSession.objects.filter(referentiel=world.ref).first()
    new = new_version(world)
    moves.apply(
        world.cohort_a, new, moves.propose_mapping(world.ref, new), world.users["manager_a"]
    )
    session.refresh_from_db()
    assert session.referentiel == world.ref


def test_the_move_page_previews_then_applies_and_the_livret_keeps_the_fact(world, client):
    from django.urls import reverse

    new = new_version(world, rename="A1.2C3")
    client.force_login(world.users["manager_a"])
    url = reverse("workshop_move", args=[world.cohort_a.pk])
    page = client.get(url, {"version": new.pk})
    assert page.status_code == 200
    [row] = [r for r in page.context["rows"] if r["code"] == "A1.2C3"]
    assert row == {
        "code": "A1.2C3",
        "targets": "A1.2C3-bis",
        "facts": 1,
        "changed": True,
        "errors": [],
    }
    assert "1 fait(s) reporté(s) sur la nouvelle version" in page.content.decode()
    done = client.post(url, {"version": new.pk, "map-A1.2C3": "A1.2C3-bis", "confirm": "1"})
    assert done.status_code == 302
    world.cohort_a.refresh_from_db()
    assert world.cohort_a.referentiel == new
    livret = client.get(reverse("livret", args=[world.learner1.pk])).content.decode()
    assert "A1.2C3-bis" in livret
    history = client.get(url).content.decode()
    assert "Manager_a Test" in history and "1 fait(s) reporté(s)" in history
    # Another centre's manager does not see this cohort's page.
    client.force_login(world.users["manager_b"])
    assert client.get(url).status_code == 404


def test_a_draft_is_never_offered_to_a_cohort(world, client):
    """Neither in the move page's choices nor when its id is posted by hand."""
    from django.urls import reverse

    doc = copy.deepcopy(world.ref.document)
    doc.pop("version", None)
    draft = services.create_draft(doc, owner=world.cohort_a.centre)
    client.force_login(world.users["manager_a"])
    url = reverse("workshop_move", args=[world.cohort_a.pk])
    page = client.get(url, {"version": draft.pk})
    assert draft not in page.context["versions"] and page.context["target"] is None
    client.post(url, {"version": draft.pk, "confirm": "1"})
    world.cohort_a.refresh_from_db()
    assert world.cohort_a.referentiel == world.ref and not CohortMove.objects.exists()
    with pytest.raises(moves.MoveError, match="une promotion ne passe qu'à une version publiée"):
        moves.apply(world.cohort_a, draft, {}, world.users["manager_a"])
