"""A big export of France compétences through the workshop's web import: read by the real worker
(django-tasks' database backend) with its progress on the job, the preview back on the import
page, then the draft written from it on confirmation; a refused fiche fails the job in French
and loads nothing; another centre cannot open the job nor its preview."""

from pathlib import Path

import pytest
from django.urls import reverse

from livret.jobs import runner
from livret.jobs.models import Job
from livret.referentiels import models as m
from tests.worker import follow

pytestmark = pytest.mark.django_db(transaction=True)

FIXTURE = Path(__file__).parents[1] / "referentiels" / "fixtures" / "rncp-v4-1.xml"


@pytest.fixture
def big(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.WORKSHOP_IMPORT_INLINE_BYTES = 100  # every fixture counts as a big file here


def upload(client, fiche):
    with open(FIXTURE, "rb") as fh:
        return client.post(reverse("workshop_import"), {"file": fh, "fiche": fiche})


def test_a_big_file_is_read_in_the_background_then_previewed_then_confirmed(
    world, client, big, monkeypatch
):
    monkeypatch.setattr(runner.Progress, "EVERY", 0)
    seen = []
    real = runner.Progress.__call__

    def spy(self, done, total, *, force=False):
        real(self, done, total, force=force)
        seen.append((done, total))

    monkeypatch.setattr(runner.Progress, "__call__", spy)
    client.force_login(world.users["manager_a"])
    response = upload(client, "RNCP99901")
    job = Job.objects.get(kind="workshop_import")
    assert (
        job.status == Job.QUEUED
        and "<progress" in client.get(response["Location"]).content.decode()
    )
    follow(client, response)
    job.refresh_from_db()
    size = FIXTURE.stat().st_size
    assert job.status == Job.DONE and job.done == job.total == size
    assert seen[0] == (0, size) and seen[-1] == (size, size)
    # The job page sends the user back to the import page, which shows the preview.
    preview_url = reverse("workshop_import") + f"?tache={job.pk}"
    assert preview_url in client.get(reverse("job", args=[job.pk])).content.decode()
    page = client.get(preview_url).content.decode()
    assert "Aperçu de ce qui sera créé" in page and "Accueillir et orienter le public" in page
    assert not m.Referentiel.objects.filter(status=m.Referentiel.DRAFT).exists()
    done = client.post(reverse("workshop_import"), {"tache": str(job.pk)})
    draft = m.Referentiel.objects.get(status=m.Referentiel.DRAFT)
    assert done["Location"] == reverse("workshop_version", args=[draft.pk])
    assert draft.owner == world.cohort_a.centre and draft.document["rncp"]["code"] == "RNCP99901"
    assert {b["code"] for b in draft.document["blocs"]} >= {"RNCP99901BC01"}
    # Confirmed twice: the same draft, nothing more.
    client.post(reverse("workshop_import"), {"tache": str(job.pk)})
    assert m.Referentiel.objects.filter(status=m.Referentiel.DRAFT).count() == 1
    # Another centre's manager: neither the job nor its preview exist for him.
    client.force_login(world.users["manager_b"])
    assert client.get(preview_url).status_code == 404
    assert client.post(reverse("workshop_import"), {"tache": str(job.pk)}).status_code == 404
    assert client.get(reverse("job", args=[job.pk])).status_code == 404


def test_a_refused_fiche_fails_the_job_in_french_and_loads_nothing(world, client, big):
    client.force_login(world.users["manager_a"])
    follow(client, upload(client, "RNCP99902"))
    job = Job.objects.get(kind="workshop_import")
    assert job.status == Job.FAILED
    assert "la fiche RNCP99902 est inactive" in job.error and "Rien n'a été chargé." in job.error
    assert (
        "la fiche RNCP99902 est inactive"
        in client.get(reverse("job", args=[job.pk])).content.decode()
    )
    assert not m.Referentiel.objects.filter(status=m.Referentiel.DRAFT).exists()
