"""Writing periods in company: one function per action, in one transaction, attributed and dated."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from livret.people.models import Learner

from .models import Contract, Period


@transaction.atomic
def save_period(learner: Learner, period: Period) -> Period:
    """Record a period unless it overlaps another of the learner's.

    The learner's row is locked first (SELECT … FOR UPDATE on PostgreSQL), so two saves at once are
    serialised and the second one sees the first one's period when it checks for an overlap.
    """
    Learner.objects.select_for_update().get(pk=learner.pk)
    overlapping = (
        Period.objects.filter(learner=learner, start__lte=period.end, end__gte=period.start)
        .exclude(pk=period.pk)
        .order_by("start")
        .first()
    )
    if overlapping is not None:
        raise ValidationError(
            {
                "start": f"Chevauche la période du {overlapping.start:%d/%m/%Y} au "
                f"{overlapping.end:%d/%m/%Y}."
            }
        )
    period.learner = learner
    period.save()
    return period


@transaction.atomic
def save_contract(learner: Learner, contract: Contract) -> Contract:
    Learner.objects.select_for_update().get(pk=learner.pk)
    contract.learner = learner
    contract.save()
    return contract


# --- contract ruptures -------------------------------------------------------------------------
def planned_company_days(contract: Contract, before) -> int | None:
    """The days in company the cohort's alternance calendar foresaw from the contract's start to
    the day before `before` (None when the calendar cannot be computed)."""
    from livret.engine.calendar import RhythmError

    from . import compliance

    if before <= contract.start:
        return 0
    try:
        plan = compliance.cohort_plan(
            contract.learner.cohort, contract.start, before - datetime.timedelta(days=1)
        )
    except (RhythmError, ValueError):
        return None
    return sum(1 for d in plan.days if d.place == "E")


@transaction.atomic
def record_rupture(contract: Contract, user, date, initiative: str, reason: str):
    """Record (or correct) a contract's rupture: checked all at once, attributed and dated.
    The apprentice stays enrolled, « sans employeur »: his company and tutor of this contract are
    taken off his record (the tutor no longer follows him). → (rupture, warning)."""
    from django.utils import timezone

    from livret.engine import ruptures
    from livret.lifecycle import attribute

    from .models import Rupture

    contract = (
        Contract.objects.select_for_update().select_related("learner__cohort").get(pk=contract.pk)
    )
    errors = ruptures.check(initiative, date, contract.start, contract.end, timezone.localdate())
    if not (reason or "").strip():
        errors["reason"] = "Indiquez le motif de la rupture."
    if errors:
        raise ValidationError({k: [v] for k, v in errors.items()})
    rupture = Rupture.objects.filter(contract=contract).first() or Rupture(contract=contract)
    rupture.date, rupture.initiative, rupture.reason = date, initiative, reason.strip()
    rupture.recorded_by, rupture.recorded_at = user, timezone.now()
    attribute(rupture, user).save()
    learner = Learner.objects.select_for_update().get(pk=contract.learner_id)
    later = learner.contracts.filter(start__gt=date).exclude(pk=contract.pk).exists()
    if not later and learner.company_id == contract.company_id:
        learner.company, learner.tutor = None, None
        attribute(learner, user).save(update_fields=["company", "tutor"])
    else:
        # His alerts computed again all the same (the rupture's own window).
        Learner.objects.filter(pk=learner.pk).update(alerts_on=None)
    return rupture, ruptures.trial_warning(initiative, planned_company_days(contract, date))


def employer_state(learner, today):
    """« Sans employeur » since a rupture, with the six-month window, when his latest contract was
    broken and none began since; None otherwise. Needs learner.contracts with their rupture."""
    from livret.engine import ruptures

    contracts = sorted(learner.contracts.all(), key=lambda c: c.start)
    broken = [c for c in contracts if getattr(c, "rupture", None) is not None]
    if not broken:
        return None
    last = max(broken, key=lambda c: c.rupture.date)
    if any(c.start > last.rupture.date for c in contracts):
        return None
    return ruptures.window(last.rupture.date, today)


@transaction.atomic
def record_contact(period: Period, form, user):
    """A contact of the enseignant référent with the tutor, attributed and dated."""
    from django.utils import timezone

    from livret.lifecycle import attribute

    Period.objects.select_for_update().get(pk=period.pk)
    contact = form.save(commit=False)
    contact.period, contact.recorded_by, contact.recorded_at = period, user, timezone.now()
    attribute(contact, user).save()
    return contact
