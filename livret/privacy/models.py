"""Who looked at a learner's livret (anyone but the learner himself), kept for a set period."""

from django.conf import settings
from django.db import models

from livret.people.models import Learner


class AccessLog(models.Model):
    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="access_logs")
    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    viewer_name = models.CharField(max_length=200)
    what = models.CharField("page consultée", max_length=200)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = "consultation d'un livret"

    def __str__(self):
        return f"{self.viewer_name} → {self.learner_id} ({self.what}, {self.at:%d/%m/%Y %H:%M})"
