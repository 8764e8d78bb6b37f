"""Reads of the threads: a fixed number of queries whatever the length of a thread or the number
of apprentices."""

from __future__ import annotations

from django.db.models import Count, F, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from livret.competences.models import Situation
from livret.people.models import Cohort
from livret.periods.models import Period

from .models import Message, ReadMark

PAGE = 30  # messages shown at once; older ones one link away


def page(learner, before: int | None = None, size: int = PAGE) -> tuple[list[Message], bool]:
    """The `size` messages before `before` (the latest ones by default), oldest first, and
    whether older ones exist."""
    qs = Message.objects.filter(learner=learner).select_related(
        "author", "competence", "situation", "period__company"
    )
    if before:
        qs = qs.filter(id__lt=before)
    rows = list(qs.order_by("-id")[: size + 1])
    return rows[:size][::-1], len(rows) > size


def read_up_to(learner, user) -> int:
    mark = (
        ReadMark.objects.filter(learner=learner, user=user)
        .values_list("read_up_to", flat=True)
        .first()
    )
    return mark or 0


def unread_counts(user, learner_ids) -> dict[int, int]:
    """Messages written by others after the user's read mark, per learner (one query)."""
    mark = ReadMark.objects.filter(user=user, learner=OuterRef("learner")).values("read_up_to")
    rows = (
        Message.objects.filter(learner_id__in=list(learner_ids))
        .exclude(author=user)
        .annotate(mark=Coalesce(Subquery(mark[:1]), Value(0)))
        .filter(id__gt=F("mark"))
        .values("learner_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {r["learner_id"]: r["n"] for r in rows}


def trainers_by_cohort(cohort_ids) -> dict[int, list]:
    """The trainers (formateurs référents) of each cohort, by name (one query)."""
    out: dict[int, list] = {}
    rows = (
        Cohort.trainers.through.objects.filter(cohort_id__in=list(cohort_ids))
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user_id")
    )
    for row in rows:
        out.setdefault(row.cohort_id, []).append(row.user)
    return out


def subjects(learner) -> tuple[list, list, list]:
    """What a message may be about: the competences of his référentiel, his situations, his
    periods in company (two queries; the référentiel's frame is built once per process)."""
    from livret.competences import queries as livret_queries

    frame = livret_queries.frame(learner.cohort.referentiel)
    situations = list(
        Situation.objects.filter(learner=learner)
        .only("pk", "title", "occurred_on", "learner_id")
        .order_by("-occurred_on", "-pk")
    )
    periods = list(Period.objects.filter(learner=learner).select_related("company"))
    return frame.competences, situations, periods
