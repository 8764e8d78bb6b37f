"""Demo dates for the VAE clocks: the demo files at each step (vae/demo.py) get the dates of a
journey in progress, so that the certifier's list and each file show their deadlines — a
recevabilité answer due within days, an actualisation due soon, a jury to hold within the three
months, a result notified in time."""

from __future__ import annotations

import datetime

from django.utils import timezone

from livret.engine.vae_clocks import add_months

from .models import AdmissibilityDecision, Candidacy


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _days(today, n):
    return today - datetime.timedelta(days=n)


def seed(certifier, today: datetime.date) -> None:
    """Dates by step for the certifier's demo files (each moved as a whole, events included)."""
    for c in Candidacy.objects.filter(offer__certifier=certifier).select_related("jury_result"):
        submitted = decided = sent = None
        if c.status == Candidacy.SENT:
            submitted = _days(today, 50)  # the answer falls due within eleven days or so
        elif c.status == Candidacy.ADMISSIBLE:
            decided = add_months(today, -6) + datetime.timedelta(days=8)  # actualise soon
            submitted = decided - datetime.timedelta(days=25)
        elif c.status == Candidacy.VALIDATION_SENT:
            sent, decided = _days(today, 60), _days(today, 120)
            submitted = decided - datetime.timedelta(days=30)
        elif c.status == Candidacy.JURY_DONE:
            sent, decided = _days(today, 70), _days(today, 130)
            submitted = decided - datetime.timedelta(days=40)
        if submitted is None:
            continue
        Candidacy.objects.filter(pk=c.pk).update(
            submitted_at=_at(submitted),
            actualised_at=_at(decided) if decided else None,
            validation_sent_at=_at(sent) if sent else None,
        )
        c.events.filter(action="submit").update(at=_at(submitted))
        if decided:
            AdmissibilityDecision.objects.filter(candidacy=c).update(decided_at=_at(decided))
            c.events.filter(action="admissible").update(at=_at(decided))
        if sent:
            c.events.filter(action="send_validation").update(at=_at(sent))
