"""Le fil du livret: short messages between an apprentice, his trainers and his tutor.

There is one thread per learner (no row of its own: a message names its learner). A message is
written once and never edited (there is no service to edit one); its past versions are kept like
the rest of the learner's data, so that anonymisation can scrub them too. Each reader's position
in a thread is one `ReadMark` row: what came after it, written by someone else, is unread."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from livret.competences.models import Situation
from livret.people.models import Learner
from livret.periods.models import Period
from livret.referentiels.models import Competence

MAX_LENGTH = 2000


class Message(models.Model):
    TRAINER, TUTOR, LEARNER = "trainer", "tutor", "learner"
    ROLES = [(TRAINER, "Formateur"), (TUTOR, "Tuteur"), (LEARNER, "Apprenant")]

    learner = models.ForeignKey(Learner, on_delete=models.PROTECT, related_name="thread_messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The author's part in the thread when he wrote (his account may change role later).
    author_role = models.CharField("rôle", max_length=20, choices=ROLES)
    text = models.TextField("message", max_length=MAX_LENGTH)
    # What the message is about, at most one of them, always of this learner.
    competence = models.ForeignKey(
        Competence, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    situation = models.ForeignKey(
        Situation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    period = models.ForeignKey(
        Period, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = "message du fil du livret"
        indexes = [models.Index(fields=["learner", "id"], name="thread_message_learner")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(competence__isnull=True, situation__isnull=True)
                    | models.Q(competence__isnull=True, period__isnull=True)
                    | models.Q(situation__isnull=True, period__isnull=True)
                ),
                name="thread_message_one_subject",
            )
        ]

    def __str__(self):
        return f"{self.learner} — {self.created_at:%d/%m/%Y %H:%M}"


class ReadMark(models.Model):
    """Where one reader stopped in one learner's thread: the last message id he has seen."""

    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_up_to = models.PositiveBigIntegerField(default=0)
    read_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["learner", "user"], name="one_read_mark_per_reader")
        ]

    def __str__(self):
        return f"{self.user} → {self.learner} #{self.read_up_to}"
