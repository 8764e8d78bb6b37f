import datetime
import uuid

from django.conf import settings
from django.db import models


class Job(models.Model):
    """One piece of long work asked for by a user: he alone follows it and downloads its result."""

    QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
    # Its files (result, uploaded input) and stored preview deleted after JOB_FILES_DAYS.
    EXPIRED = "expired"
    STATUSES = [
        (QUEUED, "En attente"),
        (RUNNING, "En cours"),
        (DONE, "Terminée"),
        (FAILED, "Échouée"),
        (EXPIRED, "Expirée"),
    ]

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jobs"
    )
    centre = models.ForeignKey(
        "people.Organisation", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=STATUSES, default=QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    result = models.JSONField(null=True, blank=True)  # a small structured result (a preview)
    upload = models.FileField(upload_to="jobs/in/", blank=True)  # the input file of an import
    file = models.FileField(upload_to="jobs/out/", blank=True)  # the result to download
    filename = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "tâche de fond"

    def __str__(self):
        return self.title

    @property
    def percent(self) -> int | None:
        if self.status == self.DONE:
            return 100
        return round(100 * self.done / self.total) if self.total else None

    @property
    def finished(self) -> bool:
        return self.status in (self.DONE, self.FAILED, self.EXPIRED)

    @property
    def expires_at(self):
        """When its files go (None until it ends)."""
        from .services import files_days

        if self.finished_at is None or self.status == self.EXPIRED:
            return None
        return self.finished_at + datetime.timedelta(days=files_days())
