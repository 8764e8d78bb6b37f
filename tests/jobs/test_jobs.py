"""Long work off the request: each job runs in the real worker (django-tasks' database backend)
and shows its progress, its result to download, or its failure in French."""

import io
import zipfile

import pytest
from django.urls import reverse

from livret.exams.models import ExamSession
from livret.jobs import runner
from livret.jobs.models import Job
from livret.privacy.models import AccessLog
from tests.worker import follow, run_worker

pytestmark = pytest.mark.django_db(transaction=True)


def zip_names(client, job):
    response = client.get(reverse("job_file", args=[job.pk]))
    assert response.status_code == 200
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))).namelist()


def test_cohort_livrets_zip_progress_result_and_rights(client, world, monkeypatch):
    monkeypatch.setattr(runner.Progress, "EVERY", 0)  # record every step, to watch the bar move
    seen = []
    real = runner.Progress.__call__

    def spy(self, done, total, *, force=False):
        real(self, done, total, force=force)
        seen.append((Job.objects.get(pk=self.job.pk).done, total))  # what the page would read

    monkeypatch.setattr(runner.Progress, "__call__", spy)
    client.force_login(world.users["trainer_a"])
    response = client.post(reverse("cohort_livrets", args=[world.cohort_a.pk]))
    job = Job.objects.get()
    # Before the worker runs: the page shows a waiting job and its state says so.
    assert job.status == Job.QUEUED and job.title.startswith("Livrets de la promotion")
    state = client.get(reverse("job_state", args=[job.pk])).json()
    assert state["status"] == "queued" and state["finished"] is False
    assert "<progress" in client.get(reverse("job", args=[job.pk])).content.decode()
    follow(client, response)
    job.refresh_from_db()
    learners = list(world.cohort_a.learners.order_by("last_name", "first_name"))
    assert job.status == Job.DONE and job.done == job.total == len(learners) == 2
    assert seen[0] == (0, 2) and seen[-1] == (2, 2) and (1, 2) in seen
    names = zip_names(client, job)
    assert len(names) == 2 and all(n.endswith(".pdf") for n in names)
    assert {n.rsplit("-", 1)[1] for n in names} == {f"{lr.pk}.pdf" for lr in learners}
    page = client.get(reverse("job", args=[job.pk])).content.decode()
    assert "Télécharger" in page and "<progress" not in page
    # Printing a livret is a consultation of the learner's data: it is logged.
    assert AccessLog.objects.filter(viewer=world.users["trainer_a"], learner=learners[0]).exists()
    # Another trainer of the same centre, another centre's trainer, the learner: 404 everywhere.
    for other in ("trainer_a2", "trainer_b", "learner1", "manager_a"):
        client.force_login(world.users[other])
        for name in ("job", "job_state", "job_file"):
            assert client.get(reverse(name, args=[job.pk])).status_code == 404, (other, name)
        assert str(job.pk) not in client.get(reverse("jobs")).content.decode()
    # Another centre's cohort cannot be asked for.
    client.force_login(world.users["trainer_a"])
    assert client.post(reverse("cohort_livrets", args=[world.cohort_b.pk])).status_code == 404


def test_session_documents_zip_has_the_pv_and_every_releve(client, world, exam):
    client.force_login(world.users["examens_a"])
    follow(client, client.post(reverse("exam_documents", args=[exam.pk])))
    job = Job.objects.get()
    assert job.status == Job.DONE, job.error
    numbers = sorted(c.number for c in exam.candidates.all())
    names = zip_names(client, job)
    assert names[0] == "proces-verbal.pdf"
    assert sorted(names[1:]) == sorted(f"releves/releve-{n}.pdf" for n in numbers)
    assert job.total == len(numbers) + 1
    # The centre's manager may read the PV but not start the batch (the exam office's work).
    client.force_login(world.users["manager_a"])
    assert client.post(reverse("exam_documents", args=[exam.pk])).status_code == 403


def test_a_session_without_candidates_fails_with_a_french_reason(client, world, exam):
    empty = ExamSession.objects.create(
        referentiel=exam.referentiel, organiser=exam.organiser, year=2028, name="Session vide"
    )
    client.force_login(world.users["examens_a"])
    follow(client, client.post(reverse("exam_documents", args=[empty.pk])))
    job = Job.objects.get()
    assert job.status == Job.FAILED
    assert job.error == "Cette session n'a aucun candidat inscrit : rien à imprimer."
    page = client.get(reverse("job", args=[job.pk])).content.decode()
    assert "aucun candidat inscrit" in page and 'role="alert"' in page
    assert client.get(reverse("job_file", args=[job.pk])).status_code == 404


def test_an_unexpected_crash_is_reported_in_french_with_a_reference(client, world, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("livret.competences.printing.pdf_bytes", broken)
    client.force_login(world.users["trainer_a"])
    follow(client, client.post(reverse("cohort_livrets", args=[world.cohort_a.pk])))
    job = Job.objects.get()
    assert job.status == Job.FAILED and "disk full" not in job.error
    assert job.error.startswith("Une erreur inattendue a interrompu la tâche")
    assert str(job.pk) in job.error and not job.file
    # The worker goes on with the next job.
    monkeypatch.undo()
    client.force_login(world.users["trainer_a"])
    client.post(reverse("cohort_livrets", args=[world.cohort_a.pk]))
    run_worker()
    assert Job.objects.filter(status=Job.DONE).count() == 1


def test_the_centres_archive_is_a_job_with_only_its_own_data(client, world):
    import json

    from livret.people.models import Learner

    for role in ("trainer_a", "tutor_x", "learner1"):
        client.force_login(world.users[role])
        assert client.post(reverse("centre_archive")).status_code == 404
    assert not Job.objects.exists()
    client.force_login(world.users["manager_a"])
    follow(client, client.post(reverse("centre_archive")))
    job = Job.objects.get()
    assert job.status == Job.DONE, job.error
    response = client.get(reverse("job_file", args=[job.pk]))
    archive = json.loads(b"".join(response.streaming_content))
    learners = {
        r["fields"]["last_name"] for r in archive["records"] if r["model"] == "people.learner"
    }
    centre_a = world.cohort_a.centre
    assert learners == set(
        Learner.objects.filter(centre=centre_a).values_list("last_name", flat=True)
    )
    assert world.learner_b.last_name not in learners
    # Each learner of the centre can read that his data left in an archive, and by whom.
    logged = AccessLog.objects.filter(what="archive du centre exportée")
    assert {a.learner_id for a in logged} == set(
        Learner.objects.filter(centre=centre_a).values_list("pk", flat=True)
    )
    assert {a.viewer for a in logged} == {world.users["manager_a"]}


def test_a_large_sessions_pv_is_made_in_the_background(client, world, exam, monkeypatch):
    import pypdfium2 as pdfium

    from livret.exams import printing

    monkeypatch.setattr(printing, "LARGE_SESSION", 1)
    client.force_login(world.users["manager_a"])  # may read the PV, not manage the session
    html = client.get(reverse("exam_deliberation", args=[exam.pk])).content.decode()
    assert reverse("exam_pv_job", args=[exam.pk]) in html
    assert f'href="{reverse("exam_pv", args=[exam.pk])}"' not in html
    assert reverse("exam_documents", args=[exam.pk]) not in html  # the exam office's button
    follow(client, client.post(reverse("exam_pv_job", args=[exam.pk])))
    job = Job.objects.get()
    assert job.status == Job.DONE and job.filename == "pv-2027-bts-mos.pdf"
    response = client.get(reverse("job_file", args=[job.pk]))
    pdf = pdfium.PdfDocument(io.BytesIO(b"".join(response.streaming_content)))
    text = "".join(page.get_textpage().get_text_range() for page in pdf)
    assert "procès-verbal de la commission du centre" in text  # (a mock exam's minutes)
    for c in exam.candidates.all():
        assert c.number in text
    # A deliberation that does not exist: the job says so, in French.
    follow(client, client.post(reverse("exam_pv_number_job", args=[exam.pk, 9])))
    failed = Job.objects.exclude(pk=job.pk).get()
    assert failed.status == Job.FAILED
    assert failed.error == "La délibération n° 9 n'existe pas pour cette session."
    # Another centre's exam office cannot ask for it.
    client.force_login(world.users["examens_b"])
    assert client.post(reverse("exam_pv_job", args=[exam.pk])).status_code == 404


def test_an_archive_asked_by_a_manager_who_left_is_not_made(client, world):
    from livret.people.models import Profile

    manager = world.users["manager_a"]
    client.force_login(manager)
    response = client.post(reverse("centre_archive"))
    # Before the worker takes the job, the manager becomes a trainer.
    Profile.objects.filter(user=manager).update(role=Profile.TRAINER)
    follow(client, response)
    job = Job.objects.get()
    assert job.status == Job.FAILED and not job.file
    assert job.error == "Vous ne gérez plus ce centre : aucune archive préparée."
    assert not AccessLog.objects.filter(what="archive du centre exportée").exists()
