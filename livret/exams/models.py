"""Exam sessions, candidates, grades, deliberations (with their signed minutes).

Grades are locked once the current deliberation's minutes (PV) are signed; changing them needs a
new deliberation with a reason, and the signed one keeps its snapshot of every result.
"""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from livret.engine.marks import WHOLE, show_hundredths
from livret.people.models import Learner, Organisation
from livret.referentiels.models import Referentiel


class ExamSession(models.Model):
    referentiel = models.ForeignKey(
        Referentiel, on_delete=models.PROTECT, related_name="exam_sessions"
    )
    organiser = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="exam_sessions",
        verbose_name="organisateur",
    )
    year = models.PositiveIntegerField("session")
    name = models.CharField("intitulé", max_length=200)
    # A centre's own session is a mock exam (examen blanc): its results never validate a bloc.
    # An official session carries the certifier's jury decision, transcribed by the platform's
    # operators (Django admin) with the reference of the jury's minutes.
    MOCK, OFFICIAL = "mock", "official"
    KINDS = [
        (MOCK, "Examen blanc (évaluation du centre)"),
        (OFFICIAL, "Session officielle (décision du jury de l'autorité certificatrice)"),
    ]
    kind = models.CharField("nature", max_length=10, choices=KINDS, default=MOCK)
    official_reference = models.CharField(
        "référence du procès-verbal du jury officiel", max_length=200, blank=True
    )
    control_exams = models.BooleanField("épreuves de contrôle", default=True)
    report_deadline = models.DateField(
        "date limite de dépôt des rapports et dossiers", null=True, blank=True
    )
    jury_members = models.JSONField(
        "membres du jury", default=list, blank=True, help_text='[["Nom", "qualité"], …]'
    )
    # Who opened the session and who closed it, and when (its history keeps every change between).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name="créée par",
    )
    created_at = models.DateTimeField("créée le", null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name="clôturée par",
    )
    closed_at = models.DateTimeField("clôturée le", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "name"]
        verbose_name = "session d'examen"
        constraints = [
            # One official session a year per diploma and centre; a centre may hold as many
            # mock exams (examens blancs) as it wishes.
            models.UniqueConstraint(
                fields=["referentiel", "organiser", "year"],
                condition=models.Q(kind="official"),
                name="one_official_session_per_year",
                violation_error_message="Le centre a déjà une session officielle de ce diplôme "
                "cette année-là.",
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.kind == self.OFFICIAL and not self.official_reference.strip():
            raise ValidationError(
                {
                    "official_reference": "Une session officielle cite le procès-verbal ou la "
                    "convocation de son jury."
                }
            )

    def current_deliberation(self):
        return self.deliberations.order_by("-number").first()

    @property
    def locked(self):
        current = self.current_deliberation()
        return bool(current and current.signed_at) or self.closed_at is not None

    @property
    def mock(self) -> bool:
        return self.kind == self.MOCK


class Candidate(models.Model):
    # The column of the règlement d'examen: one of the référentiel's candidate_statuses codes
    # (approved, continuing, other; all when the règlement has one column).
    APPROVED, CONTINUING, OTHER = "approved", "continuing", "other"
    session = models.ForeignKey(ExamSession, on_delete=models.PROTECT, related_name="candidates")
    learner = models.ForeignKey(
        Learner, on_delete=models.PROTECT, related_name="candidacies", null=True, blank=True
    )
    number = models.CharField("numéro de candidat", max_length=20)
    first_name = models.CharField("prénom", max_length=100)
    last_name = models.CharField("nom", max_length=100)
    birth_date = models.DateField("date de naissance", null=True, blank=True)
    status = models.CharField("statut", max_length=20, default=APPROVED)
    optional_units = models.JSONField("unités facultatives choisies", default=list, blank=True)
    renounces_carried_grades = models.BooleanField("renonce au bénéfice des notes", default=False)
    report_submitted_on = models.DateField("rapport ou dossier déposé le", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = "candidat"
        constraints = [
            models.UniqueConstraint(fields=["session", "number"], name="candidate_number_unique")
        ]

    def __str__(self):
        return f"{self.first_name} {self.last_name.upper()}"

    @property
    def status_label(self) -> str:
        """The règlement's own words for the candidate's column."""
        for s in self.session.referentiel.document.get("candidate_statuses") or []:
            if s.get("code") == self.status:
                return s.get("short_title") or s.get("title") or self.status
        return self.status

    @property
    def dispensed_units(self):
        return {d.unit for d in self.dispensations.all()}

    def signed_minutes_row(self) -> dict | None:
        """His row in his session's last signed minutes (what the jury decided), or None."""
        signed = self.session.deliberations.exclude(signed_at=None).order_by("-number").first()
        if signed is None:
            return None
        return next((row for row in signed.snapshot if row["number"] == self.number), None)


class Dispensation(models.Model):
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="dispensations")
    unit = models.CharField("unité", max_length=20)
    rule = models.CharField("règle de dispense", max_length=60)
    ground = models.CharField("motif", max_length=60)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["candidate", "unit"], name="one_dispensation_per_unit")
        ]

    def __str__(self):
        from .grounds import label

        return f"{self.candidate} dispensé de {self.unit} ({label(self.ground)})"


class Grade(models.Model):
    ENTRY, IMPORT, CARRIED = "entry", "import", "carried"
    SOURCES = [(ENTRY, "saisie"), (IMPORT, "import"), (CARRIED, "bénéfice des notes")]
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="grades")
    unit = models.CharField("unité", max_length=20)
    control = models.BooleanField("épreuve de contrôle", default=False)
    hundredths = models.PositiveIntegerField("note (centièmes)", null=True, blank=True)
    mark = models.CharField(
        "mention",
        max_length=3,
        blank=True,
        choices=[("", "note"), ("ABS", "absent"), ("NV", "non valide")],
    )
    source = models.CharField(max_length=10, choices=SOURCES, default=ENTRY)
    carried_from = models.PositiveIntegerField("session d'origine", null=True, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "unit", "control"], name="one_grade_per_unit"
            )
        ]

    def __str__(self):
        return (
            f"{self.candidate} {self.unit}{' (contrôle)' if self.control else ''} : {self.display}"
        )

    @property
    def value(self):
        """As the engine takes it: hundredths, or "ABS" / "NV"."""
        return self.mark or self.hundredths

    @property
    def display(self):
        return grade_display(self.hundredths, self.mark)


def grade_display(hundredths, mark) -> str:
    """1250 → "12,50", 1200 → "12", or the mark (ABS, NV)."""
    if mark:
        return mark
    return show_hundredths(hundredths, WHOLE)


class Deliberation(models.Model):
    session = models.ForeignKey(ExamSession, on_delete=models.PROTECT, related_name="deliberations")
    number = models.PositiveIntegerField(default=1)
    reason = models.TextField("motif (nouvelle délibération)", blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    signed_at = models.DateTimeField("PV signé le", null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    # Every candidate's grades, average and decisions at signature: the minutes never change.
    snapshot = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["session", "number"], name="deliberation_number_unique")
        ]

    def __str__(self):
        return f"{self.session} — délibération n° {self.number}"


class JuryDecision(models.Model):
    """The jury's own decision for a candidate, kept beside the computed one, with its reason."""

    deliberation = models.ForeignKey(
        Deliberation, on_delete=models.PROTECT, related_name="decisions"
    )
    candidate = models.ForeignKey(
        Candidate, on_delete=models.PROTECT, related_name="jury_decisions"
    )
    decision = models.CharField(max_length=20, choices=[("admis", "Admis"), ("ajourne", "Ajourné")])
    reason = models.TextField("motif")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["deliberation", "candidate"], name="one_jury_decision")
        ]

    def __str__(self):
        return f"{self.candidate} : {self.decision} ({self.reason})"


class CcfSituation(models.Model):
    """One dated situation of an épreuve in CCF form: its panel (the trainer and a professional),
    the référentiel's criteria with the panel's appreciation of each, the grade it proposes.
    The proposed grade goes to the exam administrator, who reports it among the session's grades;
    once the jury signs, nothing changes."""

    candidate = models.ForeignKey(
        Candidate, on_delete=models.CASCADE, related_name="ccf_situations"
    )
    unit = models.CharField("unité", max_length=20)
    number = models.PositiveSmallIntegerField("situation n°", default=1)
    held_on = models.DateField("date")
    place = models.CharField("lieu", max_length=200, blank=True)
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="formateur",
    )
    professional = models.CharField(
        "professionnel de la commission (nom, qualité)", max_length=200, blank=True
    )
    appreciations = models.JSONField(default=list, blank=True)  # [{"criterion", "text"}]
    proposed_hundredths = models.PositiveIntegerField("note proposée", null=True, blank=True)
    comment = models.TextField("observations", blank=True)
    proposed_at = models.DateTimeField(null=True, blank=True)
    reported_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["unit", "number"]
        verbose_name = "situation de CCF"
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "unit", "number"], name="one_ccf_situation_number"
            )
        ]

    def __str__(self):
        return f"{self.unit} — situation {self.number} — {self.candidate}"

    @property
    def proposed_display(self):
        if self.proposed_hundredths is None:
            return ""
        return grade_display(self.proposed_hundredths, "")


class CcpResult(models.Model):
    """The jury's decision on one CCP of a titre professionnel for one candidate (arrêté du 22
    décembre 2015, art. 8), or a CCP he obtained at an earlier session, which stays acquired."""

    ACQUIRED, NOT_ACQUIRED = "acquis", "non_acquis"
    DECISIONS = [(ACQUIRED, "Acquis"), (NOT_ACQUIRED, "Non acquis")]
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="ccp_results")
    ccp = models.CharField("CCP", max_length=20)
    decision = models.CharField("décision du jury", max_length=12, choices=DECISIONS)
    # Obtained before this session (session CCP, earlier session titre): kept, never re-decided.
    earlier_session = models.CharField("acquis lors de la session", max_length=200, blank=True)
    comment = models.TextField("observations du jury", blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["ccp"]
        verbose_name = "résultat de CCP"
        constraints = [
            models.UniqueConstraint(fields=["candidate", "ccp"], name="one_result_per_ccp")
        ]

    def __str__(self):
        return f"{self.candidate} {self.ccp} : {self.get_decision_display()}"

    @property
    def earlier(self) -> bool:
        return bool(self.earlier_session)
