"""Attendance: a cohort's timetable of sessions (séances), the roll call and its signatures,
absences with their reasons and justificatifs.

A session belongs to a cohort. The expected learners of a session get one `Attendance` row each
when the roll is called (or when one signs). The trainer's `SheetSignature` locks the sheet: after
it, a mark changes only through a `Correction` (dated, attributed, with its reason). The signing
code's secret lives on the session, server-side only: no page, API or export shows it."""

import secrets
import uuid

from django.conf import settings
from django.db import models

from livret.bulletins.models import TeachingModule
from livret.engine import attendance as rules
from livret.people.models import Cohort, Learner, Organisation


def _secret():
    return secrets.token_bytes(32)


class CentreSettings(models.Model):
    """A centre's attendance settings: the assiduity alert threshold and the run of consecutive
    unjustified absences that raises a dropout alert."""

    centre = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="attendance_settings"
    )
    threshold_percent = models.PositiveSmallIntegerField(
        "seuil d'alerte d'assiduité (%)", default=80
    )
    absence_run = models.PositiveSmallIntegerField(
        "absences consécutives avant alerte de décrochage", default=3
    )

    class Meta:
        verbose_name = "réglages d'assiduité"

    def __str__(self):
        return f"{self.centre} — {self.threshold_percent} %, {self.absence_run} absences"


class AbsenceReason(models.Model):
    """A reason of absence from the centre's list (editable by its manager)."""

    centre = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="absence_reasons"
    )
    label = models.CharField("motif", max_length=120)
    active = models.BooleanField("proposé", default=True)

    DEFAULTS = [
        "Arrêt de travail",
        "Convocation officielle",
        "Maladie",
        "Raison familiale",
        "Examen ou concours",
        "Transport",
        "Autre",
    ]

    class Meta:
        ordering = ["label"]
        verbose_name = "motif d'absence"
        constraints = [
            models.UniqueConstraint(fields=["centre", "label"], name="absence_reason_unique")
        ]

    def __str__(self):
        return self.label


class WeeklyPattern(models.Model):
    """One slot of the week the manager types once; sessions are generated from it over the
    cohort's centre weeks."""

    WEEKDAYS = [(0, "lundi"), (1, "mardi"), (2, "mercredi"), (3, "jeudi"), (4, "vendredi")]
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="weekly_slots")
    weekday = models.PositiveSmallIntegerField("jour", choices=WEEKDAYS)
    start = models.TimeField("début")
    end = models.TimeField("fin")
    module = models.ForeignKey(
        TeachingModule, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    room = models.CharField("salle", max_length=60, blank=True)

    class Meta:
        ordering = ["weekday", "start"]
        verbose_name = "créneau de la semaine type"
        constraints = [
            models.CheckConstraint(condition=models.Q(end__gt=models.F("start")), name="slot_order")
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.start:%H:%M}–{self.end:%H:%M}"


class Session(models.Model):
    """A séance: one cohort, one date, a start and an end, a module, trainer(s), a room."""

    PLANNED, CANCELLED = "planned", "cancelled"
    STATES = [(PLANNED, "Prévue"), (CANCELLED, "Annulée")]
    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="sessions")
    date = models.DateField("date")
    start = models.TimeField("début")
    end = models.TimeField("fin")
    module = models.ForeignKey(
        TeachingModule,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name="module",
    )
    trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="attendance_sessions",
        blank=True,
        verbose_name="formateurs",
    )
    room = models.CharField("salle", max_length=60, blank=True)
    state = models.CharField("état", max_length=20, choices=STATES, default=PLANNED)
    cancel_reason = models.CharField("motif de l'annulation", max_length=300, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The signing code's key: server-side only (never in a page, the API or an export).
    signing_secret = models.BinaryField(default=_secret, editable=False)
    # Secret part of the public .ics address is the learner's calendar token; a session has none.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        ordering = ["date", "start", "id"]
        verbose_name = "séance"
        indexes = [models.Index(fields=["cohort", "date"], name="session_cohort_date")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="session_order"
            )
        ]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} {self.start:%H:%M}–{self.end:%H:%M}"

    @property
    def minutes(self) -> int:
        return rules.minutes_between(self.start, self.end)

    @property
    def half_day(self) -> str:
        return rules.half_day(self.start)


class SheetSignature(models.Model):
    """The trainer's signature of a session's sheet: from then on, only corrections."""

    session = models.OneToOneField(Session, on_delete=models.CASCADE, related_name="signature")
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField()

    class Meta:
        verbose_name = "signature de la feuille d'émargement"

    def __str__(self):
        return f"{self.session} — {self.trainer}"


class Justification(models.Model):
    """A justificatif of absence sent by the learner or his tutor, decided by the manager."""

    PENDING, ACCEPTED, REFUSED = "pending", "accepted", "refused"
    STATES = [(PENDING, "En attente"), (ACCEPTED, "Acceptée"), (REFUSED, "Refusée")]
    learner = models.ForeignKey(Learner, on_delete=models.PROTECT, related_name="justifications")
    first_day = models.DateField("du")
    last_day = models.DateField("au")
    reason = models.ForeignKey(
        AbsenceReason, on_delete=models.PROTECT, related_name="+", verbose_name="motif"
    )
    comment = models.TextField("commentaire", blank=True, max_length=2000)
    file = models.FileField("justificatif", upload_to="attendance/justifications/", blank=True)
    file_type = models.CharField(max_length=120, blank=True, editable=False)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField("décision", max_length=20, choices=STATES, default=PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.CharField("motif du refus", max_length=300, blank=True)

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = "justificatif d'absence"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(last_day__gte=models.F("first_day")), name="justification_order"
            )
        ]

    def __str__(self):
        return f"{self.learner} — {self.first_day:%d/%m/%Y}"


class Attendance(models.Model):
    """One learner at one session: his status, his signature (who, when, how)."""

    STATUSES = [
        (rules.PRESENT, "Présent"),
        (rules.ABSENT, "Absent"),
        (rules.LATE, "En retard"),
        (rules.LEFT_EARLY, "Parti avant la fin"),
    ]
    LEARNER_CODE, TRAINER_DEVICE, TRAINER = "learner_code", "trainer_device", "trainer"
    HOWS = [
        (LEARNER_CODE, "Signé par l'apprenant avec le code de la séance"),
        (TRAINER_DEVICE, "Signé par l'apprenant sur l'appareil du formateur"),
        (TRAINER, "Relevé par le formateur"),
    ]
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendances")
    learner = models.ForeignKey(Learner, on_delete=models.PROTECT, related_name="attendances")
    status = models.CharField("présence", max_length=20, choices=STATUSES, default=rules.PRESENT)
    minutes = models.PositiveSmallIntegerField("minutes manquées", default=0)
    excused = models.BooleanField("dispensé", default=False)
    signed_at = models.DateTimeField(null=True, blank=True)
    signed_how = models.CharField(max_length=20, choices=HOWS, blank=True)
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    justification = models.ForeignKey(
        Justification, on_delete=models.SET_NULL, null=True, blank=True, related_name="attendances"
    )
    # The day the employer was told of this unjustified absence (once).
    notified_on = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["session__date", "session__start"]
        verbose_name = "présence"
        constraints = [
            models.UniqueConstraint(
                fields=["session", "learner"], name="one_attendance_per_learner"
            )
        ]
        indexes = [models.Index(fields=["learner", "session"], name="attendance_learner")]

    def __str__(self):
        return f"{self.learner} — {self.session}"

    @property
    def justified(self) -> bool:
        return (
            self.justification_id is not None and self.justification.state == Justification.ACCEPTED
        )


class Correction(models.Model):
    """A change to a signed sheet: what was, what is, who, when and why."""

    attendance = models.ForeignKey(Attendance, on_delete=models.CASCADE, related_name="corrections")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    reason = models.CharField("motif de la correction", max_length=300)
    before = models.JSONField()
    after = models.JSONField()

    class Meta:
        ordering = ["at", "id"]
        verbose_name = "correction d'émargement"

    def __str__(self):
        return f"{self.attendance} — {self.at:%d/%m/%Y %H:%M}"


class LegalRepresentative(models.Model):
    """A minor learner's parent or legal guardian, told of his unjustified absences."""

    learner = models.ForeignKey(
        Learner, on_delete=models.CASCADE, related_name="legal_representatives"
    )
    name = models.CharField("nom", max_length=200)
    email = models.EmailField("courriel")

    class Meta:
        verbose_name = "représentant légal"

    def __str__(self):
        return self.name


class FeedToken(models.Model):
    """The secret of a user's sessions feed (.ics), as the alternance calendar's: the token is the
    only credential of an address calendar applications open without login; it is never shown to
    anyone but its owner, never exported, and renewed on demand (the old address then opens
    nothing)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attendance_feed"
    )
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        verbose_name = "agenda des séances"

    def __str__(self):
        return f"Agenda des séances de {self.user}"
