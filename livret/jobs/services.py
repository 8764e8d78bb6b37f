"""Start a job: the row the user follows, then the task the worker picks up once it is committed."""

from __future__ import annotations

from functools import partial

from django.db import transaction

from .kinds import KINDS
from .models import Job


def start(
    user, centre, kind: str, title: str, params: dict | None = None, upload=None, reuse_upload=None
) -> Job:
    if kind not in KINDS:
        raise ValueError(kind)
    job = Job(kind=kind, title=title, requested_by=user, centre=centre, params=params or {})
    if upload is not None:
        job.upload.save(f"{job.pk}-{upload.name}", upload, save=False)
    elif reuse_upload is not None:  # a new mapping of the same file: the stored file is shared
        job.upload.name = reuse_upload.upload.name
    job.save()
    from .tasks import run_job  # the task module needs the tasks app ready

    # Enqueued after commit: a worker must never look for a job row it cannot see yet.
    transaction.on_commit(partial(run_job.enqueue, str(job.pk)))
    return job
