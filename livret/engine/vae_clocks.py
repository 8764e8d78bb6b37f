"""The VAE journey's clocks (pure, no Django import): each step's deadline from its date, and how
urgent it is today.

The texts count in calendar months (« dans un délai de deux mois », « avant la fin du troisième
mois »): a date plus N months is the same day N months later, clamped to the last day of a
shorter month (31 December + 2 months = 28 or 29 February). Holidays do not count.

- Recevabilité: the certifier answers within two months of receiving the feasibility file;
  silence means recevable (Code du travail, art. L. 6412-2).
- Jury: the candidate goes before the jury before the end of the third month that follows the
  deposit of his dossier de validation; the result is notified to him and to the person who
  accompanies him within fifteen days of the jury (Code du travail, art. R. 6412-5, décret
  n° 2023-1275 du 27 décembre 2023 — read in a secondary summary, see the README's VAE section).
- Actualisation: France VAE, the national service, asks a recevable candidate to confirm his
  candidacy every six months or it lapses. This is a practice of the service, not a text: the
  period is each certifier's setting (six months by default).
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass

# (states mirror engine/vae_flow's; repeated here as plain strings to keep this module alone)
SENT = "feasibility_sent"
INCOMPLETE = "feasibility_incomplete"
ADMISSIBLE = "feasibility_admissible"
VALIDATION_SENT = "validation_sent"
JURY_DONE = "jury_done"
AFTER_VALIDATION = (VALIDATION_SENT, JURY_DONE)
ADMISSIBLE_ON = (ADMISSIBLE, VALIDATION_SENT, JURY_DONE)

ADMISSIBILITY_MONTHS = 2
JURY_MONTHS = 3
NOTIFICATION_DAYS = 15
ACTUALISATION_MONTHS = 6  # default; France VAE's practice, each certifier may set his own
ALERT_DAYS = 15  # default: « due soon » within this many days

SOURCES = {
    "admissibility": "Code du travail, art. L. 6412-2 : deux mois à compter de la réception ; "
    "le silence vaut recevabilité.",
    "jury": "Code du travail, art. R. 6412-5 (décret n° 2023-1275) : passage devant le jury "
    "avant la fin du troisième mois suivant le dépôt du dossier de validation.",
    "notification": "Code du travail, art. R. 6412-5 (décret n° 2023-1275) : résultat notifié au "
    "candidat et à son accompagnateur dans les quinze jours suivant le jury.",
    "actualisation": "Pratique du service public France VAE (aucun texte) : confirmer sa "
    "candidature tous les six mois, sinon elle devient caduque ; durée fixée par le certificateur.",
}
PRACTICE = frozenset({"actualisation"})  # what is a practice, not a text

LABELS = {
    "admissibility": "Réponse sur la recevabilité",
    "jury": "Passage devant le jury",
    "notification": "Notification du résultat",
    "actualisation": "Actualisation de la candidature",
}
# Whose move it is: the certifier's clocks alert him; the candidate's alert the candidate.
OWNER = {
    "admissibility": "certifier",
    "jury": "certifier",
    "notification": "certifier",
    "actualisation": "candidate",
}


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` calendar months later, clamped to the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def end_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def admissibility_due(received: datetime.date) -> datetime.date:
    """The last day of the two months: from the next day, silence means recevable."""
    return add_months(received, ADMISSIBILITY_MONTHS)


def jury_due(validation_sent: datetime.date) -> datetime.date:
    """« Avant la fin du troisième mois qui suit le dépôt »: read as three calendar months from
    the deposit (10 January → 10 April), the earlier of the two possible readings — a certifier
    who meets it meets the other (the end of the third month after the month of deposit)."""
    return add_months(validation_sent, JURY_MONTHS)


def notification_due(jury: datetime.date) -> datetime.date:
    return jury + datetime.timedelta(days=NOTIFICATION_DAYS)


def actualisation_due(
    last_confirmed: datetime.date, months: int = ACTUALISATION_MONTHS
) -> datetime.date:
    return add_months(last_confirmed, months)


def implicit_admissible(received: datetime.date, today: datetime.date) -> bool:
    """The two months are over with no answer: the file is recevable by silence."""
    return today > admissibility_due(received)


def lapsed(last_confirmed: datetime.date, today: datetime.date, months: int) -> bool:
    return today > actualisation_due(last_confirmed, months)


@dataclass(frozen=True)
class Deadline:
    kind: str  # admissibility, jury, notification, actualisation
    start: datetime.date
    due: datetime.date
    done: datetime.date | None = None  # when it was met (None: still running)

    @property
    def label(self) -> str:
        return LABELS[self.kind]

    @property
    def source(self) -> str:
        return SOURCES[self.kind]

    @property
    def practice(self) -> bool:
        return self.kind in PRACTICE

    @property
    def owner(self) -> str:
        return OWNER[self.kind]

    def days_left(self, today: datetime.date) -> int:
        return (self.due - today).days

    def level(self, today: datetime.date, alert_days: int = ALERT_DAYS) -> str:
        """done, late (met after its day or overdue), soon (within alert_days) or ok."""
        if self.done is not None:
            return "late" if self.done > self.due else "done"
        left = self.days_left(today)
        if left < 0:
            return "overdue"
        return "soon" if left <= alert_days else "ok"


@dataclass(frozen=True)
class Dates:
    """What a candidacy's clocks start from (dates, local)."""

    status: str
    received: datetime.date | None = None  # the (complete) feasibility file, last sent
    decided: datetime.date | None = None  # the recevabilité decision
    confirmed: datetime.date | None = None  # the last actualisation (or recevabilité)
    validation_sent: datetime.date | None = None
    jury: datetime.date | None = None
    notified: datetime.date | None = None


def deadlines(d: Dates, actualisation_months: int = ACTUALISATION_MONTHS) -> list[Deadline]:
    """The clocks of a candidacy in its state: the running ones, and the ones met, in order."""
    out = []
    # Past the recevabilité, its clock shows only with the decision's day (never a false alarm).
    decided = d.status == SENT or d.decided is not None
    if d.received is not None and decided and d.status in (SENT, *ADMISSIBLE_ON):
        done = None if d.status == SENT else d.decided
        out.append(Deadline("admissibility", d.received, admissibility_due(d.received), done))
    if d.status == ADMISSIBLE:
        start = d.confirmed or d.decided
        if start is not None:
            due = actualisation_due(start, actualisation_months)
            out.append(Deadline("actualisation", start, due))
    if d.validation_sent is not None and d.status in (VALIDATION_SENT, JURY_DONE):
        done = d.jury if d.status == JURY_DONE else None
        out.append(Deadline("jury", d.validation_sent, jury_due(d.validation_sent), done))
    if d.jury is not None and d.status == JURY_DONE:
        out.append(Deadline("notification", d.jury, notification_due(d.jury), d.notified))
    return out


def next_due(items: list[Deadline]) -> Deadline | None:
    """The running deadline that falls first (None: nothing is running)."""
    running = [x for x in items if x.done is None]
    return min(running, key=lambda x: x.due) if running else None
