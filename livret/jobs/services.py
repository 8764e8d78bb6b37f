"""Start a job: the row the user follows, then the task the worker picks up once it is committed."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .kinds import KINDS
from .models import Job


def start(
    user,
    centre,
    kind: str,
    title: str,
    params: dict | None = None,
    upload=None,
    reuse_upload=None,
    follow: str | Callable[[Job], str] | None = None,
) -> Job:
    """The job row with all its parameters, then its task, enqueued once that row is committed.

    follow: where the job page sends the user once it is done — a URL, or a function of the job
    when the URL names the job itself. Everything the worker reads is written here, before the
    task exists: a worker may pick the task up the instant it is enqueued."""
    if kind not in KINDS:
        raise ValueError(kind)
    job = Job(kind=kind, title=title, requested_by=user, centre=centre, params=dict(params or {}))
    if follow is not None:
        job.params["follow"] = follow(job) if callable(follow) else follow
    if upload is not None:
        job.upload.save(f"{job.pk}-{upload.name}", upload, save=False)
    elif reuse_upload is not None:  # a new mapping of the same file: the stored file is shared
        job.upload.name = reuse_upload.upload.name
    from .tasks import run_job  # the task module needs the tasks app ready

    with transaction.atomic():
        job.save()
        # Enqueued after commit: a worker must never look for a job row it cannot see yet.
        transaction.on_commit(partial(run_job.enqueue, str(job.pk)))
    return job


def files_days() -> int:
    """How long a finished job's files are kept (archives, ZIPs, imported files hold personal
    data): the JOB_FILES_DAYS setting, 7 days by default."""
    return int(getattr(settings, "JOB_FILES_DAYS", 7))


def purge_files(now=None) -> int:
    """Delete the files (result, uploaded input) and stored preview of every job finished more
    than files_days() ago; the job reads « Expirée ». An upload shared by a newer job (a new
    mapping of the same file) stays until that one expires too."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=files_days())
    due = list(
        Job.objects.filter(status__in=(Job.DONE, Job.FAILED), finished_at__lt=cutoff).order_by(
            "finished_at"
        )
    )
    expiring = {job.pk for job in due}
    for job in due:
        if job.file:
            job.file.delete(save=False)
        if job.upload:
            shared = (
                Job.objects.filter(upload=job.upload.name)
                .exclude(pk__in=expiring)
                .exclude(status=Job.EXPIRED)
                .exists()
            )
            if not shared:
                job.upload.delete(save=False)
            job.upload = ""
        job.file, job.result, job.status, job.expired_at = "", None, Job.EXPIRED, now
        job.save(update_fields=["file", "upload", "result", "status", "expired_at"])
    return len(due)
