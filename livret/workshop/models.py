"""History of the workshop's moves: a cohort moved from one référentiel version to another."""

from django.conf import settings
from django.db import models


class CohortMove(models.Model):
    """Who moved which cohort from which version to which, when, with which mapping of codes
    (old code → new code, or none for a dropped one) and how many facts were carried."""

    cohort = models.ForeignKey("people.Cohort", on_delete=models.PROTECT, related_name="moves")
    from_version = models.ForeignKey(
        "referentiels.Referentiel", on_delete=models.PROTECT, related_name="+"
    )
    to_version = models.ForeignKey(
        "referentiels.Referentiel", on_delete=models.PROTECT, related_name="+"
    )
    mapping = models.JSONField("correspondance des codes", default=dict)
    carried = models.PositiveIntegerField("faits reportés", default=0)
    kept_in_history = models.PositiveIntegerField("faits laissés à l'ancienne version", default=0)
    moved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    moved_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-moved_at", "-id"]
        verbose_name = "changement de version d'une promotion"

    def __str__(self):
        return f"{self.cohort} : {self.from_version} → {self.to_version}"
