"""Periods in company: stages / PFMP with their agreement and attestation, and work-study contracts."""

import uuid

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from livret.engine import ruptures
from livret.people.models import Learner, Organisation
from livret.referentiels.models import Competence


def attestation_path(instance, filename):
    # The suffix comes from the file's content, never from its name.
    from livret.uploads import suffix_from_content

    return f"attestations/{uuid.uuid4().hex}{suffix_from_content(instance.attestation_file)}"


class Period(models.Model):
    INTERNSHIP, PFMP = "internship", "pfmp"
    KINDS = [(INTERNSHIP, "Stage"), (PFMP, "PFMP")]

    learner = models.ForeignKey(Learner, on_delete=models.PROTECT, related_name="periods")
    kind = models.CharField("type", max_length=20, choices=KINDS, default=INTERNSHIP)
    company = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="periods", verbose_name="entreprise"
    )
    tutor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="tuteur",
    )
    start = models.DateField("début")
    end = models.DateField("fin")
    # End-of-period attestation (certificat de présence) delivered by the company.
    attestation_received = models.BooleanField("attestation reçue", default=False)
    attestation_signed = models.BooleanField("attestation signée", default=False)
    attestation_file = models.FileField("attestation", upload_to=attestation_path, blank=True)
    # Code de l'éducation L124-1: the enseignant référent checks « à plusieurs reprises » with the
    # tutor that the period goes well (his contacts: PeriodContact).
    referent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="enseignant référent",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["start"]
        verbose_name = "période en entreprise"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="period_end_after_start"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.company} {self.start:%d/%m/%Y}–{self.end:%d/%m/%Y}"


class Agreement(models.Model):
    """Convention de stage and its annexe pédagogique (fields from seed 004)."""

    period = models.OneToOneField(Period, on_delete=models.CASCADE, related_name="agreement")
    signed_on = models.DateField("signée le", null=True, blank=True)
    objectives = models.ManyToManyField(
        Competence, blank=True, verbose_name="objectifs (compétences à acquérir ou approfondir)"
    )
    activities = models.TextField("responsabilités et activités confiées", blank=True)
    information = models.TextField("informations fournies par l'entreprise", blank=True)
    material_conditions = models.TextField(
        "conditions matérielles (lieux, matériel, horaires)", blank=True
    )
    tutoring = models.TextField("modalités de tutorat", blank=True)
    exchanges = models.TextField("modalités d'échanges avec l'équipe pédagogique", blank=True)
    joint_evaluation = models.TextField("modalités de l'évaluation conjointe", blank=True)
    history = HistoricalRecords()

    # The annex's written terms, listed once for the centre's form and the personal-data export.
    TERMS = (
        "activities",
        "information",
        "material_conditions",
        "tutoring",
        "exchanges",
        "joint_evaluation",
    )

    class Meta:
        verbose_name = "convention de stage"

    def __str__(self):
        return f"Convention — {self.period}"


class Contract(models.Model):
    APPRENTICESHIP, PROFESSIONALISATION = "apprenticeship", "professionalisation"
    KINDS = [
        (APPRENTICESHIP, "Contrat d'apprentissage"),
        (PROFESSIONALISATION, "Contrat de professionnalisation"),
    ]

    learner = models.ForeignKey(Learner, on_delete=models.PROTECT, related_name="contracts")
    kind = models.CharField("type", max_length=30, choices=KINDS)
    company = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="contracts", verbose_name="entreprise"
    )
    start = models.DateField("début")
    end = models.DateField("fin")
    history = HistoricalRecords()

    class Meta:
        ordering = ["start"]
        verbose_name = "contrat"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="contract_end_after_start"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.company} {self.start:%d/%m/%Y}–{self.end:%d/%m/%Y}"


class Rupture(models.Model):
    """A contract broken before its end (Code du travail L6222-18): the apprentice stays enrolled,
    « sans employeur », and the centre trains him six months more (L6222-18-2, L6231-2 5°)."""

    contract = models.OneToOneField(Contract, on_delete=models.CASCADE, related_name="rupture")
    date = models.DateField("date de la rupture")
    initiative = models.CharField("rompu par", max_length=20, choices=ruptures.INITIATIVES)
    reason = models.TextField("motif")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("enregistrée le")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "rupture de contrat"

    def __str__(self):
        return f"Rupture du {self.date:%d/%m/%Y} — {self.contract}"

    @property
    def window(self):
        from django.utils import timezone

        return ruptures.window(self.date, timezone.localdate())


class PeriodContact(models.Model):
    """A contact of the enseignant référent with the tutor during a period (L124-1)."""

    MODES = [
        ("visit", "Visite sur place"),
        ("phone", "Téléphone"),
        ("video", "Visioconférence"),
        ("email", "Courriel"),
    ]
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="contacts")
    day = models.DateField("date")
    mode = models.CharField("modalité", max_length=10, choices=MODES)
    note = models.TextField("compte rendu")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["day", "pk"]
        verbose_name = "contact avec le tuteur"

    def __str__(self):
        return f"{self.get_mode_display()} du {self.day:%d/%m/%Y}"


class LearnerAlert(models.Model):
    """An alert on a learner's periods or contract, as computed on `learner.alerts_on`.

    Stored so that a centre's home reads its alerts instead of checking 10,000 learners on each
    request; a learner whose periods, contracts, cohort or record change is computed again."""

    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="stored_alerts")
    kind = models.CharField(max_length=20)
    message = models.TextField()

    class Meta:
        ordering = ["learner__last_name", "learner__first_name", "pk"]

    def __str__(self):
        return self.message


class FollowUp(models.Model):
    """A company visit or an entretien de progrès: planned by the trainer, then its report,
    which the tutor and the apprentice read and countersign."""

    VISIT, INTERVIEW = "visit", "interview"
    KINDS = [(VISIT, "Visite en entreprise"), (INTERVIEW, "Entretien de progrès")]
    MODES = [("site", "Sur place"), ("video", "Visioconférence"), ("phone", "Téléphone")]

    learner = models.ForeignKey(Learner, on_delete=models.PROTECT, related_name="follow_ups")
    kind = models.CharField("type", max_length=20, choices=KINDS)
    planned_on = models.DateField("date prévue")
    mode = models.CharField("modalité", max_length=10, choices=MODES, default="site")
    place = models.CharField("lieu ou lien", max_length=300, blank=True)
    planned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    held_on = models.DateField("date de tenue", null=True, blank=True)
    attendees = models.CharField("présents", max_length=500, blank=True)
    report = models.TextField("compte rendu", blank=True)
    objectives = models.TextField("objectifs fixés", blank=True)
    competences = models.ManyToManyField(
        Competence, blank=True, related_name="+", verbose_name="compétences abordées"
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reported_at = models.DateTimeField(null=True, blank=True)
    tutor_signed_at = models.DateTimeField("contresigné par le tuteur", null=True, blank=True)
    apprentice_signed_at = models.DateTimeField("contresigné par l'apprenti", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-planned_on", "-id"]
        verbose_name = "visite ou entretien"

    def __str__(self):
        return f"{self.get_kind_display()} du {self.planned_on:%d/%m/%Y}"


class SchoolHoliday(models.Model):
    """A school holiday of one zone, as loaded from the Ministry's open data (see
    livret.engine.school_calendar): shown on the alternance calendars of the zone's centres."""

    zone = models.CharField("zone", max_length=1)
    description = models.CharField("vacances", max_length=120)
    first_day = models.DateField("premier jour")
    last_day = models.DateField("dernier jour")
    school_year = models.CharField("année scolaire", max_length=9)
    source = models.CharField("source", max_length=300)
    loaded_at = models.DateTimeField("chargé le", auto_now_add=True)

    class Meta:
        ordering = ["zone", "first_day"]
        verbose_name = "vacances scolaires"
        indexes = [models.Index(fields=["zone", "first_day"], name="holiday_zone_day")]

    def __str__(self):
        return f"{self.description} (zone {self.zone}, {self.school_year})"


class PeriodReview(models.Model):
    """The review (bilan) of one period in company: the learner's trainer rates the competences
    the agreement set as objectives, jointly with the tutor, and writes the pedagogical appraisal
    of the period (the one the Bac pro's conseil de classe restreint reads, arrêté du 16 décembre
    2020); the tutor writes his own. Once the trainer validates it, its levels enter the livret
    as facts observed in company, and it no longer changes."""

    period = models.OneToOneField(Period, on_delete=models.CASCADE, related_name="review")
    # [{"competence": id, "code", "title", "level": acquired|in_progress|not_acquired|"",
    #   "comment"}], in the order of the agreement's objectives.
    lines = models.JSONField(default=list, blank=True)
    pedagogical = models.TextField("appréciation pédagogique de la période", blank=True)
    tutor_appraisal = models.TextField("appréciation du tuteur", blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    tutor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    tutor_signed_at = models.DateTimeField("signé par le tuteur", null=True, blank=True)
    validated_at = models.DateTimeField("validé par le formateur", null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "bilan de période en entreprise"

    def __str__(self):
        return f"Bilan — {self.period}"
