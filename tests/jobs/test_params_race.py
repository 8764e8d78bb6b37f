"""A job's parameters are all written before its task exists: a worker that picks the task up the
instant it is enqueued reads every one of them, and the job page once done still leads on.

The worker is django-tasks' real one (db_worker), run the instant the task row is written: the
race a separate worker process may win, made certain. (A worker process racing the web server on
one SQLite file: tests/web/test_concurrency_sqlite.py.)"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_tasks_db.backend import DatabaseBackend

from livret.jobs import runner
from livret.jobs.models import Job
from tests.worker import run_worker

pytestmark = pytest.mark.django_db(transaction=True)

COMPANIES = "nom;ville;siret\nGardiennage du Val;Créteil;98765432109876\n"


@pytest.fixture
def racing_worker(monkeypatch):
    """The fastest worker there can be: the real one runs each task the instant it is enqueued.
    Returns the parameters it read from each job's row when it picked the job up."""
    seen: dict[str, dict] = {}
    real_run, real_enqueue = runner.run, DatabaseBackend.enqueue

    def run(job_id):
        seen[job_id] = dict(Job.objects.get(pk=job_id).params)
        return real_run(job_id)

    def enqueue(self, task, args, kwargs):
        result = real_enqueue(self, task, args, kwargs)
        run_worker()
        return result

    monkeypatch.setattr(runner, "run", run)
    monkeypatch.setattr(DatabaseBackend, "enqueue", enqueue)
    return seen


def test_a_worker_racing_the_import_reads_every_parameter(client, world, racing_worker):
    client.force_login(world.users["manager_a"])
    response = client.post(
        reverse("imports"),
        {"kind": "entreprises", "file": SimpleUploadedFile("e.csv", COMPANIES.encode())},
    )
    assert response.status_code == 302
    preview = Job.objects.get(kind="import_preview")
    follow_url = reverse("imports") + f"?tache={preview.pk}"
    # The worker saw the parameters the page set, the link back to the preview included.
    assert racing_worker[str(preview.pk)] == {
        "kind": "entreprises",
        "filename": "e.csv",
        "mapping": None,
        "follow": follow_url,
    }
    assert preview.status == Job.DONE and preview.params["follow"] == follow_url
    assert follow_url in client.get(reverse("job", args=[preview.pk])).content.decode()

    client.post(reverse("imports"), {"kind": "entreprises", "tache": preview.pk, "confirm": "1"})
    apply = Job.objects.get(kind="import_apply")
    assert racing_worker[str(apply.pk)]["follow"] == reverse("imports")
    assert apply.status == Job.DONE, apply.error
