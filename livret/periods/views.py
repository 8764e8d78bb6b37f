"""Periods pages: a learner's periods and compliance, the cohort calendar, the .ics subscription."""

from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_not_required
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from livret.people.access import visible_cohorts, visible_learners
from livret.people.models import Learner
from livret.privacy.services import log_access

from . import compliance, ics
from .models import Contract, Period


def _with_periods(qs):
    return qs.select_related("cohort__referentiel", "company", "tutor").prefetch_related(
        Prefetch("periods", queryset=Period.objects.select_related("company", "agreement")),
        Prefetch("contracts", queryset=Contract.objects.select_related("company")),
    )


def learner_periods(request, pk):
    learner = get_object_or_404(_with_periods(visible_learners(request.user)), pk=pk)
    log_access(request, learner, "périodes en entreprise")
    today = timezone.localdate()
    result, problem = compliance.compliance(learner)
    the_plan = compliance.learner_plan(learner)
    rules = compliance.rules_of(learner.cohort)
    return render(
        request,
        "periods/learner.html",
        {
            "learner": learner,
            "result": result,
            "problem": problem,
            "alerts": compliance.alerts(learner, today),
            "rules": [
                r for r in rules if compliance.ENGINE_STATUS[learner.status] in r["statuses"]
            ],
            "plan": the_plan,
            "ics_url": request.build_absolute_uri(f"/calendrier/{learner.calendar_token}.ics"),
            "today": today,
        },
    )


def cohort_calendar(request, pk):
    cohort = get_object_or_404(visible_cohorts(request.user).select_related("referentiel"), pk=pk)
    the_plan = compliance.cohort_plan(cohort)
    weeks = the_plan.weeks()
    return render(
        request,
        "periods/cohort_calendar.html",
        {
            "cohort": cohort,
            "plan": the_plan,
            "weeks": weeks,
            "difference": round(float(the_plan.centre_hours) - cohort.programme_hours, 1),
            "centre_hours": round(float(the_plan.centre_hours), 1),
            "company_hours": round(float(the_plan.company_hours), 1),
            "units": cohort.programme_units,
            "units_total": [
                sum(row[i] for row in cohort.programme_units)
                for i in range(1, 1 + cohort.duration_years)
            ]
            if cohort.programme_units
            else [],
        },
    )


@login_not_required
def learner_ics(request, token):
    # The token is the credential: calendar applications subscribe without logging in.
    learner = get_object_or_404(
        Learner.objects.select_related("cohort", "company").prefetch_related("periods__company"),
        calendar_token=token,
    )
    body = ics.calendar_for(learner, compliance.learner_plan(learner), learner.periods.all())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="alternance-{learner.pk}.ics"'
    return response


def cohort_alerts(user, today: datetime.date | None = None):
    """Alerts for every learner the user may see in his cohorts (manager and trainer pages)."""
    today = today or timezone.localdate()
    learners = _with_periods(visible_learners(user).filter(cohort__in=visible_cohorts(user)))
    out = []
    for learner in learners:
        out += [a for a in compliance.alerts(learner, today) if a.kind != "weeks-pending"]
    return out
