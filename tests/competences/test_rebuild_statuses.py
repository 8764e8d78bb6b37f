"""The bulk rebuild of statuses (used by the demo) and the status refreshed at each evaluation
are one computation: the same facts give the same rows."""

import datetime

import pytest

from livret.competences.models import CompetenceEvaluation, CompetenceStatus
from livret.competences.services import rebuild_statuses, record_evaluation
from livret.referentiels.models import Competence

FIELDS = ("learner_id", "competence_id", "level", "acquired_on", "latest_id", "evaluations")


def rows():
    return sorted(CompetenceStatus.objects.values_list(*FIELDS))


@pytest.mark.django_db
def test_the_rebuild_gives_the_rows_each_evaluation_left(world):
    w = world
    other = Competence.objects.get(referentiel=w.ref, code="A2.1C3")
    for day, level, comp, learner in [
        (datetime.date(2026, 3, 10), "acquired", w.competence, w.learner1),
        (datetime.date(2026, 3, 5), "not_acquired", w.competence, w.learner1),  # older, later
        (datetime.date(2026, 3, 1), "in_progress", other, w.learner1),
        (datetime.date(2026, 3, 1), "acquired", other, w.learner2),
    ]:
        record_evaluation(
            learner=learner,
            competence=comp,
            level=level,
            observed_on=day,
            evaluator=w.users["trainer_a"],
        )
    live = rows()
    assert len(live) == 3
    assert rebuild_statuses([w.learner1, w.learner2]) == 3
    assert rows() == live


@pytest.mark.django_db
def test_facts_written_in_bulk_get_their_status(world):
    w = world
    CompetenceEvaluation.objects.bulk_create(
        CompetenceEvaluation(
            learner=w.learner2,
            competence=w.competence,
            level=level,
            observed_on=datetime.date(2026, 1, day),
            evaluator=w.users["trainer_a"],
        )
        for level, day in (("in_progress", 5), ("acquired", 20))
    )
    rebuild_statuses([w.learner2])
    status = CompetenceStatus.objects.get(learner=w.learner2)
    assert (status.level, status.acquired_on, status.evaluations) == (
        "acquired",
        datetime.date(2026, 1, 20),
        2,
    )
    # Learner 1's status (written by the world's evaluation) was left alone.
    assert CompetenceStatus.objects.filter(learner=w.learner1).count() == 1
