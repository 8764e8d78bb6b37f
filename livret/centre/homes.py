"""The homes of the centre's staff over all its cohorts: the cohort list (managers and trainers)
and the manager's dashboard. They gather the livret's progress (livret.competences) and the
periods' alerts (livret.periods), so they stand above both."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from livret import access
from livret.competences import dashboard as board
from livret.people.models import Learner
from livret.periods.scopes import cohort_alerts
from livret.web.params import id_param


def alerts_page(request) -> int:
    """The page of alerts asked for (?alertes=2), the first by default."""
    return id_param(request.GET, "alertes", required=False) or 1


def cohort_list(request):
    access.require_role(request.user, access.is_manager | access.is_trainer | access.is_admin)
    text = request.GET.get("q", "").strip()
    # Learners counted row by row, for the cohorts of the page only: a join grouped over all
    # of a centre's hundreds of cohorts cost more than the rest of the page.
    size = Learner.objects.filter(cohort=OuterRef("pk")).order_by().values("cohort")
    cohorts = (
        access.visible_cohorts(request.user)
        .select_related("referentiel__diploma", "centre")
        # What the list shows: not each référentiel's 60 KB document, nor the cohorts' calendars
        .only(
            "name",
            "start_year",
            "centre__name",
            "referentiel__diploma__short_title",
            "referentiel__diploma__title",
        )
        .annotate(n=Coalesce(Subquery(size.annotate(n=Count("pk")).values("n")), 0))
        .order_by("-start_year", "name")
    )
    if text:
        cohorts = cohorts.filter(name__icontains=text)
    page = Paginator(cohorts, 50).get_page(request.GET.get("page"))
    # Each row's three links by replacing the id in one reversed address (150 reverse() calls
    # were a sixth of the page).
    links = {
        name: reverse(name, args=[111111111])
        for name in ("grid", "cohort_calendar", "cohort_modules", "workshop_move")
    }
    for c in page.object_list:
        c.links = {name: url.replace("111111111", str(c.pk)) for name, url in links.items()}
    return render(
        request,
        "livret/cohort_list.html",
        {
            "cohorts": page.object_list,
            "page": page,
            "q": text,
            # Moving a cohort to another version of its référentiel: its centre's manager.
            "may_move": access.is_manager(request.user) or access.is_admin(request.user),
            "alerts": cohort_alerts(request.user, alerts_page(request)),
        },
    )


def dashboard(request):
    access.require_role(request.user, access.is_manager)
    text = request.GET.get("q", "").strip()
    cohorts = (
        access.visible_cohorts(request.user)
        .select_related("referentiel__diploma")
        .defer("referentiel__document")
        .order_by("-start_year", "name")
    )
    if text:
        cohorts = cohorts.filter(name__icontains=text)
    # A few charts per page: the cost follows the page, not the number of cohorts.
    page = Paginator(cohorts, 6).get_page(request.GET.get("page"))
    learners = access.visible_learners(request.user)
    return render(
        request,
        "livret/dashboard.html",
        {
            "page": page,
            "q": text,
            "charts": board.cohort_charts(page.object_list, timezone.localdate()),
            "waiting": board.waiting(learners),
            "alerts": cohort_alerts(request.user, alerts_page(request)),
            "colours": CHART_COLOURS,
        },
    )


# Distinguishable for colour-blind readers (Okabe–Ito), each line also named in the legend.
CHART_COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]
