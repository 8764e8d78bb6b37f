from django.db import models


class ScheduledRun(models.Model):
    """One run of a periodic task for one period (a day): the unique pair lets one scheduler
    only claim it, however many run, and the row records how it went."""

    task = models.CharField(max_length=40)
    period = models.CharField(max_length=40)  # the period's first moment, local time, ISO
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    ok = models.BooleanField(null=True)  # None while it runs (or if its process died)
    result = models.CharField(max_length=500, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = "exécution planifiée"
        constraints = [
            models.UniqueConstraint(fields=["task", "period"], name="one_run_per_task_and_period")
        ]

    def __str__(self):
        return f"{self.task} {self.period}"
