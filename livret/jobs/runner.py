"""Run one job inside the worker: status, progress, result file and the failure in French."""

from __future__ import annotations

import logging
import time

from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.module_loading import import_string

from livret.tables import ImportError_

from .kinds import KINDS
from .models import Job

logger = logging.getLogger(__name__)


# What a job's function may fill in (see kinds.py); the runner saves these and its own state.
OUTCOME = ("result", "file", "filename")


class JobFailed(Exception):
    """A failure the user can understand and act on; its message is shown as is."""


class Progress:
    """Writes done/total on the job row, at most a few times a second (the page polls it).

    Written outside any transaction the job's own work may hold open, so the page sees it.
    """

    EVERY = 0.3  # seconds between two writes

    def __init__(self, job: Job):
        self.job, self._last = job, 0.0

    def __call__(self, done: int, total: int, *, force: bool = False) -> None:
        now = time.monotonic()
        if force or done >= total or now - self._last >= self.EVERY:
            Job.objects.filter(pk=self.job.pk).update(done=done, total=total)
            self.job.done, self.job.total, self._last = done, total, now


def save_file(job: Job, name: str, content: bytes) -> None:
    job.filename = name
    job.file.save(f"{job.pk}-{name}", ContentFile(content), save=False)


def run(job_id: str) -> str:
    job = Job.objects.filter(pk=job_id).first()
    if job is None or job.finished:
        return "absent"  # deleted meanwhile, or already run by another worker
    Job.objects.filter(pk=job.pk).update(status=Job.RUNNING, started_at=timezone.now())
    job.status = Job.RUNNING
    try:
        import_string(KINDS[job.kind])(job, Progress(job))
    except (JobFailed, ImportError_) as exc:
        job.status, job.error = Job.FAILED, str(exc)
    except Exception:
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        job.status = Job.FAILED
        job.error = (
            "Une erreur inattendue a interrompu la tâche ; rien n'a été enregistré. "
            f"Réessayez, et si l'erreur revient, donnez cette référence au support : {job.pk}."
        )
    else:
        job.status = Job.DONE
        job.done = max(job.done, job.total)
    job.finished_at = timezone.now()
    # Only what running it produced: its parameters were written once, by jobs.start.
    job.save(update_fields=[*OUTCOME, "status", "error", "done", "total", "finished_at"])
    return job.status
