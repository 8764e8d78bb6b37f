"""Pages are compressed on the wire for a browser that accepts it (issue 26, item 10): the grid of
30 learners × 82 competences, 700 KiB of HTML, travels in well under 100 KiB. Files that are
compressed already (PDF, ZIP, XLSX) are sent as they are."""

import datetime
import gzip

import pytest
from django.urls import reverse

from livret.competences.models import CompetenceEvaluation, CompetenceStatus
from livret.people.models import Learner
from livret.referentiels.models import Competence

LEVELS = ("acquired", "in_progress", "not_acquired")


def full_cohort(world, size):
    """Cohort A grown to `size` learners, each evaluated on every competence of the référentiel."""
    w = world
    have = w.cohort_a.learners.count()
    Learner.objects.bulk_create(
        Learner(
            cohort=w.cohort_a,
            centre=w.cohort_a.centre,
            first_name=f"Prénom{i}",
            last_name=f"Nom{i:03d}",
            status=Learner.APPRENTICE,
        )
        for i in range(size - have)
    )
    learners = list(w.cohort_a.learners.all())
    competences = list(Competence.objects.filter(referentiel=w.ref))
    CompetenceStatus.objects.filter(learner__in=learners).delete()
    facts = CompetenceEvaluation.objects.bulk_create(
        CompetenceEvaluation(
            learner=lr,
            competence=c,
            level=LEVELS[(lr.pk + c.pk) % 3],
            observed_on=datetime.date(2026, 3, 2),
            evaluator=w.users["trainer_a"],
        )
        for lr in learners
        for c in competences
    )
    CompetenceStatus.objects.bulk_create(
        CompetenceStatus(
            learner_id=f.learner_id,
            competence_id=f.competence_id,
            level=f.level,
            acquired_on=f.observed_on if f.level == "acquired" else None,
            latest=f,
        )
        for f in facts
    )
    return learners, competences


@pytest.mark.django_db
def test_the_full_grid_is_sent_gzipped_under_100_kib(client, world):
    learners, competences = full_cohort(world, 30)
    assert (len(learners), len(competences)) == (30, 82)
    client.force_login(world.users["trainer_a"])
    url = reverse("grid", args=[world.cohort_a.pk]) + "?filtre=tout"
    plain = client.get(url)
    assert plain.status_code == 200 and not plain.has_header("Content-Encoding")
    wire = client.get(url, headers={"accept-encoding": "gzip, deflate, br"})
    assert wire["Content-Encoding"] == "gzip" and "Accept-Encoding" in wire["Vary"]
    assert len(wire.content) < 100 * 1024, len(wire.content)
    html = gzip.decompress(wire.content).decode()
    # The same page: every learner's row and every cell are there.
    assert html.count('class="cell ') == 30 * 82 == plain.content.decode().count('class="cell ')
    assert all(lr.last_name.upper() in html for lr in learners)


@pytest.mark.django_db
def test_files_compressed_already_are_sent_as_they_are(client, world):
    full_cohort(world, 3)
    client.force_login(world.users["trainer_a"])
    xlsx = client.get(
        reverse("grid_xlsx", args=[world.cohort_a.pk]), headers={"accept-encoding": "gzip"}
    )
    assert xlsx.status_code == 200 and not xlsx.has_header("Content-Encoding")
    assert xlsx.content[:2] == b"PK"  # the workbook itself, not a gzip of it
