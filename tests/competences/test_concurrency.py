"""Two trainers evaluate the same competence at the same moment: both facts are kept, and the
status counts both. Real threads and real transactions, so only on PostgreSQL (SQLite serialises
writers with a file lock and has no SELECT … FOR UPDATE)."""

import datetime
import threading

import pytest
from django.db import connection, connections

from livret.competences.models import CompetenceEvaluation, CompetenceStatus
from livret.competences.services import record_evaluation
from livret.people.models import Cohort, Learner, Organisation
from livret.referentiels.models import Competence

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL row locks (run with DATABASE_URL=postgres://…)",
    ),
]


def test_simultaneous_evaluations_keep_both_facts(mos, django_user_model):
    centre = Organisation.objects.create(name="CFA", kind=Organisation.CFA)
    cohort = Cohort.objects.create(centre=centre, referentiel=mos, name="C", start_year=2025)
    learner = Learner.objects.create(
        cohort=cohort, centre=centre, first_name="A", last_name="B", status="school"
    )
    competence = Competence.objects.get(referentiel=mos, code="A1.1C1")
    trainers = [django_user_model.objects.create_user(f"t{i}", password="x" * 12) for i in range(2)]
    barrier = threading.Barrier(2)
    errors = []

    def evaluate(trainer, level):
        try:
            barrier.wait(timeout=10)
            record_evaluation(
                learner=learner,
                competence=competence,
                level=level,
                observed_on=datetime.date(2026, 5, 1),
                evaluator=trainer,
            )
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=evaluate, args=(t, lvl))
        for t, lvl in zip(trainers, ["acquired", "in_progress"], strict=True)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not errors
    facts = CompetenceEvaluation.objects.filter(learner=learner, competence=competence)
    assert sorted(facts.values_list("evaluator__username", flat=True)) == ["t0", "t1"]
    status = CompetenceStatus.objects.get(learner=learner, competence=competence)
    assert status.evaluations == 2
    # The later recorded fact (same observation day) is the current level.
    assert status.level == facts.order_by("id").last().level
