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

Funders' contacts (`FunderContact`: an OPCO's, a Région's… person, recorded by the centre) have no
account: their invitation names the contact instead of a user, and they answer through an
`AnswerLink` e-mailed to them — a random token of which only a hash is stored, valid until the
invitation is answered or the questionnaire closes. Links are the system's alone like
participations: never shown, never archived, deleted at the answer and at closing.
"""

import hashlib
import secrets
import uuid

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from livret.engine import surveys as engine
from livret.people.models import Cohort, Organisation


class Survey(models.Model):
    LEARNERS, TUTORS, TRAINERS, EMPLOYERS, FUNDERS = (
        "learners",
        "tutors",
        "trainers",
        "employers",
        "funders",
    )
    # Qualiopi indicator 30: the appreciations of learners, pedagogical teams, companies and
    # funders.
    AUDIENCES = [
        (LEARNERS, "Les apprenants"),
        (TUTORS, "Les tuteurs et maîtres d'apprentissage"),
        (TRAINERS, "Les formateurs des promotions"),
        (EMPLOYERS, "Les entreprises d'accueil (leurs contacts)"),
        (FUNDERS, "Les financeurs (leurs contacts)"),
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


class Funder(models.Model):
    """Who pays for the centre's training (an OPCO, a Région, France Travail, an employer paying
    directly…), and the cohorts it finances: a questionnaire to the funders goes to the contacts
    of those financing its cohorts."""

    OPCO, REGION, FRANCE_TRAVAIL, EMPLOYER, STATE, OTHER = (
        "opco",
        "region",
        "france_travail",
        "employer",
        "state",
        "other",
    )
    KINDS = [
        (OPCO, "OPCO"),
        (REGION, "Région"),
        (FRANCE_TRAVAIL, "France Travail"),
        (EMPLOYER, "Employeur (financement direct)"),
        (STATE, "État ou autre organisme public"),
        (OTHER, "Autre financeur"),
    ]
    centre = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="funders")
    kind = models.CharField("sorte", max_length=20, choices=KINDS)
    name = models.CharField("nom", max_length=150)
    cohorts = models.ManyToManyField(
        Cohort, related_name="funders", blank=True, verbose_name="promotions financées"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = "financeur"

    def __str__(self):
        return f"{self.name} ({self.get_kind_display()})"


class FunderContact(models.Model):
    """A person to ask at a funder: no account in Livret, a name and an address."""

    funder = models.ForeignKey(Funder, on_delete=models.PROTECT, related_name="contacts")
    name = models.CharField("nom et prénom", max_length=150)
    email = models.EmailField("courriel", max_length=254)
    active = models.BooleanField(
        "interrogé", default=True, help_text="Décochez pour ne plus lui envoyer de questionnaire."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = "contact d'un financeur"

    def __str__(self):
        return f"{self.name} — {self.funder.name}"


class Invitation(models.Model):
    """Who was asked — an account, or a funder's contact — for which cohort (neither whether he
    answered, nor what, nor when)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="survey_invitations",
    )
    contact = models.ForeignKey(
        FunderContact,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="survey_invitations",
    )
    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="+")
    # Fixed at sending (engine.counts_for_threshold); False for anyone invited later.
    eligible = models.BooleanField(default=False, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "user", "cohort"], name="one_invitation_per_cohort"
            ),
            models.UniqueConstraint(
                fields=["survey", "contact", "cohort"],
                condition=models.Q(contact__isnull=False),
                name="one_contact_invitation_per_cohort",
            ),
            # An account or a funder's contact, never both nor neither.
            models.CheckConstraint(
                condition=models.Q(user__isnull=False, contact__isnull=True)
                | models.Q(user__isnull=True, contact__isnull=False),
                name="invitation_user_or_contact",
            ),
        ]

    def __str__(self):
        return f"{self.survey} — {self.user or self.contact}"

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


def link_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class AnswerLink(models.Model):
    """An answer link e-mailed to a funder's contact: only the hash of its token is kept (the
    token itself is in the e-mail alone). The system's only, like `Participation`: deleted when
    the invitation is answered (a link works once) and when the questionnaire closes (it expires
    then); a reminder e-mails a new one."""

    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="+")
    digest = models.CharField(max_length=64, unique=True, editable=False)

    def __str__(self):
        return "Lien de réponse (visible du seul système)"

    @classmethod
    def issue(cls, invitation) -> str:
        """A new link for the invitation; its token, to be put in the e-mail and nowhere else."""
        token = secrets.token_urlsafe(24)
        cls.objects.create(invitation=invitation, digest=link_digest(token))
        return token


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
