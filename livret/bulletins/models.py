"""The centre's own marks (contrôle continu): teaching modules, their assessments, the marks,
and the trainers' appreciations printed on each semester's bulletin. Mock exams stay in Exams.

Averages are computed by `livret.engine.marks` (exact fractions); nothing here stores one.
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from livret.engine import marks as engine
from livret.people.models import Cohort, Learner


class TeachingModule(models.Model):
    """A module d'enseignement of a cohort (seed 001: « contrôle continu + évaluation finale pour
    chaque module d'enseignement »), and the trainers who teach and mark it."""

    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="modules")
    title = models.CharField("intitulé", max_length=150)
    coefficient = models.DecimalField(
        "coefficient dans la moyenne du semestre",
        max_digits=4,
        decimal_places=2,
        default=1,
        validators=[MinValueValidator(0.01)],
    )
    trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="taught_modules", verbose_name="formateurs"
    )
    # Its place in the Bac pro's attestation de réussite intermédiaire (livret.engine.ari).
    TEACHING, SPECIALTY, CHEF_OEUVRE = "teaching", "specialty", "chef_oeuvre"
    ARI_ROLES = [
        (TEACHING, "Enseignement général ou professionnel (coefficient 1)"),
        (SPECIALTY, "Enseignement professionnel de la spécialité (coefficient 4)"),
        (CHEF_OEUVRE, "Chef-d'œuvre (coefficient 1)"),
    ]
    ari_role = models.CharField(
        "dans l'attestation de réussite intermédiaire (Bac pro)",
        max_length=20,
        choices=ARI_ROLES,
        default=TEACHING,
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["title"]
        verbose_name = "module d'enseignement"
        constraints = [
            models.UniqueConstraint(fields=["cohort", "title"], name="one_module_title_per_cohort")
        ]

    def __str__(self):
        return self.title


class Assessment(models.Model):
    """One assessment of a module: a written test, an oral, a file, a project."""

    WRITTEN, ORAL, DOSSIER, PROJECT = "written", "oral", "dossier", "project"
    KINDS = [
        (WRITTEN, "Écrit"),
        (ORAL, "Restitution orale"),
        (DOSSIER, "Dossier"),
        (PROJECT, "Projet, travail de recherche"),
    ]
    module = models.ForeignKey(TeachingModule, on_delete=models.PROTECT, related_name="assessments")
    title = models.CharField("intitulé", max_length=150)
    kind = models.CharField("forme", max_length=20, choices=KINDS, default=WRITTEN)
    coefficient = models.DecimalField(
        "coefficient",
        max_digits=4,
        decimal_places=2,
        default=1,
        validators=[MinValueValidator(0.01)],
    )
    held_on = models.DateField("date")
    semester = models.PositiveSmallIntegerField("semestre", validators=[MinValueValidator(1)])
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["held_on", "id"]
        verbose_name = "évaluation de module"

    def __str__(self):
        return f"{self.title} ({self.held_on:%d/%m/%Y})"


class Mark(models.Model):
    """A learner's mark at one assessment; every change is kept in its history (who, when)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="marks")
    learner = models.ForeignKey(Learner, on_delete=models.PROTECT, related_name="marks")
    hundredths = models.PositiveIntegerField("note (centièmes)", null=True, blank=True)
    mark = models.CharField(
        "mention",
        max_length=4,
        blank=True,
        choices=[("", "note"), (engine.ABS, "absent"), (engine.DISP, "dispensé")],
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "note de module"
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "learner"], name="one_mark_per_assessment"
            )
        ]

    def __str__(self):
        return f"{self.learner} — {self.assessment} : {self.display}"

    @property
    def value(self):
        """As the engine reads it: hundredths, ABS or DISP."""
        return self.mark or self.hundredths

    @property
    def display(self):
        return engine.show_mark(self.value)


class Appreciation(models.Model):
    """A trainer's appreciation of a learner in a module for a semester, printed on the bulletin."""

    learner = models.ForeignKey(Learner, on_delete=models.PROTECT, related_name="appreciations")
    module = models.ForeignKey(
        TeachingModule, on_delete=models.PROTECT, related_name="appreciations"
    )
    semester = models.PositiveSmallIntegerField("semestre")
    text = models.TextField("appréciation", max_length=1000)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "appréciation"
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "module", "semester"], name="one_appreciation_per_semester"
            )
        ]

    def __str__(self):
        return f"{self.learner} — {self.module} S{self.semester}"


class AriDecision(models.Model):
    """For a pupil whose average is at least 9 and under 10: the head of the establishment's
    decision after the conseil de classe restreint (arrêté du 16 décembre 2020)."""

    learner = models.OneToOneField(Learner, on_delete=models.PROTECT, related_name="ari_decision")
    granted = models.BooleanField("attestation délivrée")
    reason = models.TextField(
        "avis du conseil (appréciation de la PFMP, engagement de l'élève)", max_length=1000
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "décision du conseil de classe restreint"

    def __str__(self):
        return f"{self.learner} : {'délivrée' if self.granted else 'non retenue'}"
