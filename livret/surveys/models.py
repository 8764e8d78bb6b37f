"""Satisfaction questionnaires (seed 001: « questionnaire de satisfaction apprenant en fin de
parcours »; Qualiopi asks a centre to collect its stakeholders' appreciations).

Anonymous by construction, and over time — two reads (pages, exports, centre archives) taken before
and after one person answers must not tell what he answered:
- an `Invitation` says who was asked, for which cohort, and whether his account counts towards the
  threshold; it never changes once written (no « answered » flag to flip);
- a `Participation` is the system's own knowledge that an invitation was answered (no twice, and
  reminders to the others). Never shown to a manager, never archived, deleted when the
  questionnaire closes: its counts are kept in `Tally`;
- a `Response` holds the answers with only the cohort they count for — no user, no date, no
  sequence (a random key, listed in key order): it is read, shown and archived only once the
  questionnaire is closed, all at once.
"""

import uuid

from django.conf import settings
from django.db import models

from livret.engine import surveys as engine
from livret.people.models import Cohort, Organisation


class Survey(models.Model):
    LEARNERS, TUTORS, TRAINERS, EMPLOYERS = "learners", "tutors", "trainers", "employers"
    # Qualiopi indicator 30: the appreciations of learners, pedagogical teams, companies (and
    # funders, not held here: see the README).
    AUDIENCES = [
        (LEARNERS, "Les apprenants"),
        (TUTORS, "Les tuteurs et maîtres d'apprentissage"),
        (TRAINERS, "Les formateurs des promotions"),
        (EMPLOYERS, "Les entreprises d'accueil (leurs contacts)"),
    ]
    END_OF_COURSE, END_OF_PERIOD, OTHER = "end_of_course", "end_of_period", "other"
    MOMENTS = [
        (END_OF_COURSE, "Fin de parcours"),
        (END_OF_PERIOD, "Fin de période en entreprise"),
        (OTHER, "Autre moment"),
    ]
    centre = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="surveys")
    title = models.CharField("titre", max_length=150)
    audience = models.CharField("destinataires", max_length=20, choices=AUDIENCES)
    moment = models.CharField("moment", max_length=20, choices=MOMENTS)
    cohorts = models.ManyToManyField(Cohort, related_name="surveys", verbose_name="promotions")
    questions = models.JSONField("questions", default=list)  # [{"label": …, "kind": …}]
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField("envoyé le", null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="envoyé par",
    )
    closed_at = models.DateTimeField("clos le", null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="clos par",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "questionnaire de satisfaction"

    def __str__(self):
        return self.title

    @property
    def parsed(self) -> list[engine.Question]:
        return [engine.Question(q["label"], q["kind"]) for q in self.questions]

    @property
    def is_open(self):
        return self.sent_at is not None and self.closed_at is None


class Invitation(models.Model):
    """Who was asked, for which cohort (neither whether he answered, nor what, nor when)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="survey_invitations"
    )
    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="+")
    # Fixed at sending (engine.counts_for_threshold); False for anyone invited later.
    eligible = models.BooleanField(default=False, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "user", "cohort"], name="one_invitation_per_cohort"
            )
        ]

    def __str__(self):
        return f"{self.survey} — {self.user}"

    @property
    def answered(self) -> bool:
        """For the invited person himself (his own pages); select_related("participation")."""
        try:
            return self.participation is not None
        except Participation.DoesNotExist:
            return False


class Participation(models.Model):
    """This invitation was answered, while the questionnaire is open. Only the system reads it
    (answer once; remind the others); deleted when the questionnaire closes."""

    invitation = models.OneToOneField(
        Invitation, on_delete=models.CASCADE, primary_key=True, related_name="participation"
    )

    def __str__(self):
        return "Participation (visible du seul système)"


class Tally(models.Model):
    """A closed questionnaire's counts for one cohort, frozen at closing (the participations are
    then forgotten)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="tallies")
    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="+")
    invited = models.PositiveIntegerField()
    respondents = models.PositiveIntegerField()
    # Respondents whose invitation was eligible: the threshold counts these only.
    eligible_respondents = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survey", "cohort"], name="one_tally_per_cohort")
        ]

    def __str__(self):
        return f"{self.survey} — {self.cohort_id} : {self.respondents}/{self.invited}"


class Response(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="+")
    answers = models.JSONField(default=list)  # one entry per question, None when left empty

    class Meta:
        # The random key: no listing gives the order in which answers came.
        ordering = ["id"]

    def __str__(self):
        return f"Réponse anonyme — {self.survey}"
