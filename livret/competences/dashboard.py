"""The manager's dashboard: each cohort's progress by bloc over time, and what waits for whom.

Aggregated in SQL (counts per cohort, bloc and month), so the cost does not grow with the number
of learners; the chart itself is drawn by the pure engine (livret.engine.charts)."""

from __future__ import annotations

import datetime

from django.db.models import Count, Exists, Min, OuterRef
from django.db.models.functions import TruncMonth

from livret.engine.charts import cumulative_share, percent_series
from livret.people.models import Learner
from livret.referentiels.models import Bloc

from .models import CompetenceEvaluation, CompetenceStatus, Level, Situation


def months(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    out, d = [], start.replace(day=1)
    while d <= end:
        out.append(d)
        d = (d.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return out


def cohort_charts(cohorts, today: datetime.date) -> list[dict]:
    """Per cohort: one series per bloc, the share of its competences acquired month by month."""
    cohorts = list(cohorts)
    if not cohorts:
        return []
    learners_by_cohort = {
        row["cohort"]: row["n"]
        for row in Learner.objects.filter(cohort__in=cohorts)
        .values("cohort")
        .annotate(n=Count("id"))
    }
    blocs = list(
        Bloc.objects.filter(referentiel__in={c.referentiel_id for c in cohorts}, optional=False)
        .annotate(size=Count("competences"))
        .order_by("position")
    )
    acquired = (
        CompetenceStatus.objects.filter(
            learner__cohort__in=cohorts, level=Level.ACQUIRED, acquired_on__isnull=False
        )
        .annotate(month=TruncMonth("acquired_on"))
        .values("learner__cohort", "competence__blocs", "month")
        .annotate(n=Count("id"))
    )
    counts: dict[tuple, dict] = {}
    for row in acquired:
        key = (row["learner__cohort"], row["competence__blocs"])
        counts.setdefault(key, {})[row["month"]] = row["n"]
    out = []
    for cohort in cohorts:
        start = datetime.date(cohort.start_year, 9, 1)
        steps = months(
            start, min(today, datetime.date(cohort.start_year + cohort.duration_years, 8, 31))
        )
        learners = learners_by_cohort.get(cohort.pk, 0)
        series = []
        for bloc in (b for b in blocs if b.referentiel_id == cohort.referentiel_id and b.size):
            by_month = counts.get((cohort.pk, bloc.pk), {})
            early = sum(n for m, n in by_month.items() if m < steps[0]) if steps else 0
            per_step = [by_month.get(m, 0) for m in steps]
            if per_step:
                per_step[0] += early
            values = cumulative_share(per_step, learners * bloc.size)
            series.append(percent_series(bloc.code, values))
        out.append({"cohort": cohort, "learners": learners, "months": steps, "series": series})
    return out


def waiting(centre_learners) -> dict:
    """What waits for whom: situations the tutors have not validated yet, by tutor (with the
    oldest date); validated situations not yet turned into evaluations, by cohort."""
    pending = (
        Situation.objects.filter(learner__in=centre_learners, state=Situation.PENDING)
        .values("learner__tutor__first_name", "learner__tutor__last_name", "learner__tutor")
        .annotate(n=Count("id"), oldest=Min("occurred_on"))
        .order_by("oldest")
    )
    # NOT EXISTS rather than a left join counted DISTINCT: no sort of a centre's backlog.
    evaluated = CompetenceEvaluation.objects.filter(situation=OuterRef("pk"))
    to_evaluate = (
        Situation.objects.filter(learner__in=centre_learners, state=Situation.VALIDATED)
        .filter(~Exists(evaluated))
        .values("learner__cohort__name", "learner__cohort")
        .annotate(n=Count("id"))
        .order_by("learner__cohort__name")
    )
    return {"tutors": list(pending), "trainers": list(to_evaluate)}
