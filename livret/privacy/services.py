"""The access log: who consulted a learner's data, kept for his centre's chosen period.

Low-level: the pages of several apps write it. The export of everything held on a learner, the
anonymisation and the nightly purge span every app: livret.ops.rights."""

from __future__ import annotations

import datetime

from django.utils import timezone

from .models import AccessLog


def log_access(request, learner, what: str) -> None:
    """Record a view of a learner's data by anyone but the learner himself."""
    record_access(request.user, learner, what)


def record_access(user, learner, what: str) -> None:
    """The same, for work done on a user's behalf outside a request (a background job)."""
    if learner.user_id == user.pk:
        return
    AccessLog.objects.create(
        learner=learner,
        viewer=user,
        viewer_name=user.get_full_name() or user.username,
        what=what[:200],
    )


def purge_access_logs(now=None) -> int:
    """Delete each centre's logs older than its own retention period."""
    from livret.people.models import Organisation

    now = now or timezone.now()
    total = 0
    for centre in Organisation.objects.exclude(kind=Organisation.COMPANY):
        cutoff = now - datetime.timedelta(days=centre.access_log_days)
        total += AccessLog.objects.filter(learner__centre=centre, at__lt=cutoff).delete()[0]
    return total
