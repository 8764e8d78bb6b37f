"""The livret de compétences: evaluations are append-only facts; the current status is derived.

`CompetenceStatus` is the materialised "latest fact" of each (learner, competence), rewritten in the
same transaction as every new fact, so that pages read one row per competence instead of the history.
"""

import uuid

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from livret.engine.progress import ACQUIRED, IN_PROGRESS, NOT_ACQUIRED
from livret.people.models import Learner
from livret.referentiels.models import Competence, Task


class Level(models.TextChoices):
    ACQUIRED = ACQUIRED, "Acquise"
    IN_PROGRESS = IN_PROGRESS, "En cours d'acquisition"
    NOT_ACQUIRED = NOT_ACQUIRED, "Non acquise"


class Context(models.TextChoices):
    COURSE = "course", "Cours"
    CCF = "ccf", "Situation de CCF"
    COMPANY = "company", "Situation en entreprise"


class AppendOnlyError(Exception):
    pass


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(
            "une évaluation ne se modifie pas : enregistrez une nouvelle évaluation"
        )

    def delete(self):
        raise AppendOnlyError("une évaluation ne se supprime pas")


def evidence_path(instance, filename):
    # Server-generated name, its suffix from the type read in the content: nothing of the uploaded
    # name reaches the storage (a PDF named "x.html" is stored as .pdf and served as a PDF).
    from livret.uploads import suffix_for

    return f"evidence/{uuid.uuid4().hex}{suffix_for(instance.evidence_type)}"


class Situation(models.Model):
    """A professional situation lived in company (livret électronique d'apprentissage)."""

    PENDING, VALIDATED, RETURNED = "pending", "validated", "returned"
    STATES = [
        (PENDING, "À valider par le tuteur"),
        (VALIDATED, "Validée par le tuteur"),
        (RETURNED, "Renvoyée à l'apprenti"),
    ]

    learner = models.ForeignKey(Learner, on_delete=models.PROTECT, related_name="situations")
    occurred_on = models.DateField("date")
    place = models.CharField("lieu", max_length=200)
    title = models.CharField("intitulé", max_length=200)
    description = models.TextField("ce que j'ai fait")
    tasks = models.ManyToManyField(
        Task, blank=True, related_name="situations", verbose_name="tâches mobilisées"
    )
    competences = models.ManyToManyField(
        Competence, related_name="situations", verbose_name="compétences mobilisées"
    )
    state = models.CharField("état", max_length=20, choices=STATES, default=PENDING)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    validated_at = models.DateTimeField(null=True, blank=True)
    tutor_comment = models.TextField("commentaire du tuteur", blank=True)
    return_reason = models.TextField("motif du renvoi", blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-occurred_on", "-id"]
        verbose_name = "situation professionnelle"

    def __str__(self):
        return f"{self.occurred_on} — {self.title}"


class CompetenceEvaluation(models.Model):
    learner = models.ForeignKey(Learner, on_delete=models.PROTECT, related_name="evaluations")
    competence = models.ForeignKey(Competence, on_delete=models.PROTECT, related_name="evaluations")
    level = models.CharField("niveau", max_length=20, choices=Level.choices)
    observed_on = models.DateField("date de l'observation")
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="evaluations_given"
    )
    context = models.CharField(
        "contexte", max_length=20, choices=Context.choices, default=Context.COURSE
    )
    comment = models.TextField("commentaire", blank=True)
    evidence = models.FileField("preuve", upload_to=evidence_path, blank=True)
    evidence_name = models.CharField("nom du fichier déposé", max_length=200, blank=True)
    evidence_type = models.CharField(max_length=100, blank=True)
    situation = models.ForeignKey(
        Situation, on_delete=models.PROTECT, null=True, blank=True, related_name="evaluations"
    )
    recorded_at = models.DateTimeField("enregistrée le", auto_now_add=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["observed_on", "id"]
        verbose_name = "évaluation"
        indexes = [
            models.Index(fields=["learner", "competence", "observed_on"], name="evaluation_history")
        ]

    def __str__(self):
        return (
            f"{self.learner} {self.competence.code} {self.get_level_display()} ({self.observed_on})"
        )

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError(
                "une évaluation ne se modifie pas : enregistrez une nouvelle évaluation"
            )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("une évaluation ne se supprime pas")


class TutorAppraisal(models.Model):
    """The maître d'apprentissage's own appraisal of a competence he saw in company: a fact of
    its own, never changed, shown beside the trainer's level and never in its place."""

    learner = models.ForeignKey(Learner, on_delete=models.PROTECT, related_name="appraisals")
    competence = models.ForeignKey(Competence, on_delete=models.PROTECT, related_name="+")
    level = models.CharField("niveau", max_length=20, choices=Level.choices)
    observed_on = models.DateField("date de l'observation")
    tutor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="appraisals_given"
    )
    comment = models.TextField("commentaire", blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["observed_on", "id"]
        verbose_name = "appréciation du tuteur"
        indexes = [models.Index(fields=["learner", "competence"], name="appraisal_history")]

    def __str__(self):
        return (
            f"{self.learner} {self.competence_id} {self.get_level_display()} ({self.observed_on})"
        )

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError(
                "une appréciation ne se modifie pas : enregistrez une nouvelle appréciation"
            )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("une appréciation ne se supprime pas")


class CompetenceStatus(models.Model):
    """Materialised current level of one competence for one learner (derived from the facts)."""

    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="statuses")
    competence = models.ForeignKey(Competence, on_delete=models.CASCADE, related_name="+")
    level = models.CharField(max_length=20, choices=Level.choices)
    acquired_on = models.DateField(null=True, blank=True)
    latest = models.ForeignKey(CompetenceEvaluation, on_delete=models.PROTECT, related_name="+")
    evaluations = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "competence"], name="one_status_per_competence"
            )
        ]

    def __str__(self):
        return f"{self.learner_id}/{self.competence_id}: {self.level}"


class Visa(models.Model):
    """A simple electronic signature of the livret: who (authenticated), in which role, when,
    and the fingerprint of the livret as he saw it. Never changed; a later change of the livret
    shows against it."""

    TRAINER, TUTOR, APPRENTICE = "trainer", "tutor", "apprentice"
    ROLES = [
        (TRAINER, "Formateur"),
        (TUTOR, "Maître d'apprentissage / tuteur"),
        (APPRENTICE, "Apprenant"),
    ]

    learner = models.ForeignKey(Learner, on_delete=models.PROTECT, related_name="visas")
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signer_name = models.CharField(max_length=200)  # as it read when he signed
    role = models.CharField(max_length=20, choices=ROLES)
    signed_at = models.DateTimeField(auto_now_add=True)
    fingerprint = models.CharField("empreinte SHA-256 du livret", max_length=64)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-signed_at", "-id"]
        verbose_name = "visa du livret"

    def __str__(self):
        return f"{self.learner} {self.role} {self.signed_at:%Y-%m-%d}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("un visa ne se modifie pas")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("un visa ne se supprime pas")
