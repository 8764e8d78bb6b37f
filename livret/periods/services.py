"""Writing periods in company: one function per action, in one transaction, attributed and dated."""

from __future__ import annotations

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
