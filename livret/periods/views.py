"""Periods pages: a learner's periods and compliance, the cohort calendar, the .ics subscription."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.db.models.functions import ExtractYear
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from livret import access
from livret.access import visible_learners
from livret.engine import dates, review_flow, ruptures, wording
from livret.people.models import Learner
from livret.privacy.services import log_access
from livret.web.actions import Action, perform
from livret.web.forms import DATE, Styled, check_dates_in_order, style

from . import compliance, holidays, ics, reviews, scopes, services
from . import follow_ups as follow_up_services
from .models import Contract, FollowUp, Period, PeriodContact


def centre_trainers_of(centre_id):
    from django.contrib.auth.models import User

    from livret.people.models import Profile

    return User.objects.filter(
        profile__role=Profile.TRAINER, profile__organisation_id=centre_id, is_active=True
    ).order_by("last_name", "first_name")


def _with_periods(qs, cohort="cohort__referentiel"):
    return qs.select_related(cohort, "centre", "company", "tutor").prefetch_related(
        Prefetch(
            "periods",
            queryset=Period.objects.select_related("company", "agreement", "review", "referent"),
        ),
        Prefetch("contracts", queryset=Contract.objects.select_related("company", "rupture")),
    )


def learner_periods(request, pk):
    learner = get_object_or_404(_with_periods(visible_learners(request.user)), pk=pk)
    log_access(request, learner, "périodes en entreprise")
    today = timezone.localdate()
    result, problem = compliance.compliance(learner)
    the_plan = compliance.learner_plan(learner)
    period_rules = compliance.rules_of(learner.cohort)
    # The .ics address is a credential: shown to its learner only, never to his trainers.
    own_calendar = access.can(request.user, "livret.own_calendar", learner)
    return render(
        request,
        "periods/learner.html",
        {
            "learner": learner,
            "result": result,
            "problem": problem,
            "alerts": compliance.alerts(learner, today),
            "rules": [
                r for r in period_rules if compliance.ENGINE_STATUS[learner.status] in r["statuses"]
            ],
            "plan": the_plan,
            "ics_url": request.build_absolute_uri(
                reverse("learner_ics", args=[learner.calendar_token])
            )
            if own_calendar
            else "",
            "today": today,
            "can_record": access.can(request.user, "livret.record_periods", learner),
            "without_employer": services.employer_state(learner, today),
        },
    )


def cohort_calendar(request, pk):
    cohort = access.get_cohort_for_user(request.user, pk)
    the_plan = compliance.cohort_plan(cohort)
    weeks = the_plan.weeks()
    zone = cohort.centre.holiday_zone
    by_day, school = {}, []
    if weeks:
        start, end = weeks[0][0], weeks[-1][0] + datetime.timedelta(days=4)
        by_day, school = holidays.days_off(zone, start, end)
    # Each week: its school holiday, if a weekday of it is one.
    weeks = [
        (
            monday,
            places,
            next(
                (
                    by_day[monday + datetime.timedelta(days=i)]
                    for i in range(5)
                    if monday + datetime.timedelta(days=i) in by_day
                ),
                "",
            ),
        )
        for monday, places in weeks
    ]
    years = sorted({h.school_year for h in school})
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
            "zone": zone,
            "school_years": years,
            "school_source": school[0].source if school else "",
            "units_total": [
                sum(row[i] for row in cohort.programme_units)
                for i in range(1, 1 + cohort.duration_years)
            ]
            if cohort.programme_units
            else [],
        },
    )


@require_POST
def renew_calendar(request, pk):
    """The learner replaces his calendar address (shared by mistake, seen on a screen): the old
    one then opens nothing."""
    learner = access.get_learner_for_user(request.user, pk)
    access.require(request.user, "livret.own_calendar", learner)
    # update(): no history row for a secret that history does not keep.
    Learner.objects.filter(pk=learner.pk).update(calendar_token=uuid.uuid4())
    messages.success(
        request,
        "Nouvelle adresse de votre agenda : l'ancienne n'ouvre plus rien. Abonnez de nouveau "
        "vos applications d'agenda avec celle-ci.",
    )
    return redirect(reverse("learner_periods", args=[learner.pk]) + "#agenda")


@login_not_required
def learner_ics(request, token):
    # The token is the credential: calendar applications subscribe without logging in. It dies
    # with the account: a closed (or anonymised, hence detached) account's feed is a 404.
    learner = get_object_or_404(
        Learner.objects.select_related("cohort", "company").prefetch_related("periods__company"),
        calendar_token=token,
        user__is_active=True,
    )
    body = ics.calendar_for(learner, compliance.learner_plan(learner), learner.periods.all())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="alternance-{learner.pk}.ics"'
    return response


class PeriodForm(forms.ModelForm):
    class Meta:
        model = Period
        fields = [
            "kind",
            "company",
            "start",
            "end",
            "referent",
            "attestation_received",
            "attestation_signed",
        ]
        widgets = {"start": DATE, "end": DATE}

    def __init__(self, *args, user, learner, **kwargs):
        self.learner_centre = learner.centre_id
        self.learner = learner
        super().__init__(*args, **kwargs)
        style(self)
        # Only the companies of the user's own centre can be chosen.
        self.fields["company"].queryset = access.visible_companies(user)
        # The enseignant référent: a trainer of the learner's centre.
        self.fields["referent"].queryset = centre_trainers_of(self.learner_centre)
        self.fields["referent"].label_from_instance = lambda u: u.get_full_name() or u.username

    def clean(self):
        data = super().clean()
        check_dates_in_order(self, data, "start", "end")
        # Inside the learner's training (a sense check: 01/01/1900 is a typing slip).
        lr = self.learner
        bounds = dates.training(
            lr.contract_start, lr.contract_end, lr.cohort.start_year, lr.cohort.duration_years
        )
        for name, message in dates.period_errors(
            data.get("start"), data.get("end"), bounds
        ).items():
            self.add_error(name, message)
        return data


@require_http_methods(["GET", "POST"])
def period_edit(request, pk, period_id=None):
    """Trainers and the manager record a learner's periods (and their attestations) in the app."""
    learner = access.get_learner_for_user(request.user, pk)
    access.require(request.user, "livret.record_periods", learner)
    instance = get_object_or_404(learner.periods, pk=period_id) if period_id else None
    form = PeriodForm(request.POST or None, instance=instance, user=request.user, learner=learner)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_period(learner, form.save(commit=False))
            messages.success(request, "Période enregistrée.")
            return redirect("learner_periods", learner.pk)
        except ValidationError as exc:
            for field, errors in exc.error_dict.items():
                for e in errors:
                    form.add_error(field, e)
    return render(
        request,
        "periods/period_form.html",
        {"learner": learner, "form": form, "instance": instance},
        status=400 if form.errors else 200,
    )


# --- visits and entretiens de progrès ----------------------------------------------------------
class PlanForm(forms.ModelForm):
    class Meta:
        model = FollowUp
        fields = ["kind", "planned_on", "mode", "place"]
        widgets = {"planned_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)


class ReportForm(forms.ModelForm):
    class Meta:
        model = FollowUp
        fields = ["held_on", "attendees", "report", "objectives", "competences"]
        widgets = {
            "held_on": DATE,
            "report": forms.Textarea(attrs={"rows": 5}),
            "objectives": forms.Textarea(attrs={"rows": 3}),
            "competences": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from livret.referentiels.models import Competence

        self.fields["held_on"].required = True
        self.fields["report"].required = True
        self.fields["competences"].queryset = Competence.objects.filter(
            referentiel=self.instance.learner.cohort.referentiel
        ).order_by("position")
        style(self)

    def clean_held_on(self):
        day = self.cleaned_data["held_on"]
        if day > timezone.localdate():
            raise ValidationError("Un compte rendu porte sur une visite ou un entretien passé.")
        return day


@require_http_methods(["GET", "POST"])
def follow_ups(request, pk):
    """A learner's visits and interviews; his trainers plan the next one."""
    learner = access.get_learner_for_user(request.user, pk)
    log_access(request, learner, "visites et entretiens")
    can_plan = access.can(request.user, "livret.follow_up", learner)
    form = PlanForm(request.POST or None)
    if request.method == "POST":
        access.require(request.user, "livret.follow_up", learner)
        if form.is_valid():
            fu = follow_up_services.plan(form, learner, request.user)
            said = wording.words(learner.status)
            messages.success(
                request,
                f"{fu} : prévu ; le {said['tutor']} et {said['the_learner']} sont prévenus.",
            )
            return redirect("follow_ups", learner.pk)
    return render(
        request,
        "periods/follow_ups.html",
        {
            "learner": learner,
            "items": learner.follow_ups.select_related("planned_by", "reported_by"),
            "form": form if can_plan else None,
            "centre": learner.centre,
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def follow_up(request, pk):
    fu = scopes.get_follow_up_for_user(request.user, pk)
    learner = fu.learner
    can_report = access.can(request.user, "livret.follow_up", learner)
    form = ReportForm(request.POST or None, instance=fu) if can_report else None
    if request.method == "POST":
        if request.POST.get("action") == "countersign":
            access.require(request.user, "livret.countersign_follow_up", learner)
            try:
                follow_up_services.countersign(fu, request.user)
                messages.success(request, "Compte rendu contresigné.")
            except ValidationError as exc:
                messages.error(request, exc.messages[0])
            return redirect("follow_up", fu.pk)
        access.require(request.user, "livret.follow_up", learner)
        if form.is_valid():
            follow_up_services.report(form, request.user)
            messages.success(
                request, "Compte rendu enregistré ; le tuteur et l'apprenti le liront."
            )
            return redirect("follow_up", fu.pk)
    return render(
        request,
        "periods/follow_up.html",
        {
            "fu": fu,
            "learner": learner,
            "form": form,
            "can_countersign": access.can(request.user, "livret.countersign_follow_up", learner),
        },
        status=400 if form is not None and form.errors else 200,
    )


def _typed(post) -> dict:
    return {k: v for k, v in post.items() if k.startswith(("level-", "note-"))}


def _or_the_page(write):
    """A step whose form errors show on the page again (400), with what was typed."""

    def run(request, at):
        try:
            return write(request, at)
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                raise
            # (the summary above the form says it: no banner message besides)
            return _review_page(request, at, _typed(request.POST), exc.message_dict)

    return run


def _save_review(request, at):
    typed = _typed(request.POST)
    reviews.save(
        at.period,
        request.user,
        {k.removeprefix("level-"): v for k, v in typed.items() if k.startswith("level-")},
        {k.removeprefix("note-"): v for k, v in typed.items() if k.startswith("note-")},
        request.POST.get("pedagogical", ""),
    )
    return "Bilan enregistré."


def _appraise_review(request, at):
    reviews.appraise(at.period, request.user, request.POST.get("tutor_appraisal", ""))
    return "Appréciation enregistrée et signée."


def _validate_review(request, at):
    n = reviews.validate(at.period, request.user)
    return f"Bilan validé : {n} niveau(x) porté(s) au livret."


@dataclass(frozen=True)
class _At:
    learner: Learner
    period: Period


# action posted → (who may, what it does); the trainer's form posts no action: « save »
REVIEW_ACTIONS = {
    "save": Action(_or_the_page(_save_review), rule="livret.follow_up", on=lambda at: at.learner),
    "appraise": Action(
        _or_the_page(_appraise_review), rule="livret.appraise_period", on=lambda at: at.period
    ),
    "validate": Action(_validate_review, rule="livret.follow_up", on=lambda at: at.learner),
}


@require_http_methods(["GET", "POST"])
def period_review(request, pk, period_id):
    """The review of one period: the trainer's grid and pedagogical appraisal, the tutor's
    appraisal, then the trainer's validation, which writes the levels into the livret."""
    learner = access.get_learner_for_user(request.user, pk)
    period = get_object_or_404(
        learner.periods.select_related("company", "agreement", "learner__tutor"), pk=period_id
    )
    log_access(request, learner, f"bilan de période ({period.company})")
    if request.method == "POST":
        at = _At(learner, period)
        page = perform(request, REVIEW_ACTIONS, request.POST.get("action") or "save", at)
        return page or redirect("period_review", learner.pk, period.pk)
    return _review_page(request, _At(learner, period))


_REVIEW_LABELS = {
    "pedagogical": "Appréciation pédagogique de la période",
    "tutor_appraisal": "Appréciation du tuteur",
}


def _review_page(request, at, typed=None, errors=None):
    learner, period = at.learner, at.period
    typed, errors = typed or {}, errors or {}
    can_rate = access.can(request.user, "livret.follow_up", learner)
    can_appraise = access.can(request.user, "livret.appraise_period", period)
    review = reviews.review_of(period)
    state = reviews.review_state(review)
    lines = [
        {
            **line,
            "level": typed.get(f"level-{line['code']}", line["level"]),
            "comment": typed.get(f"note-{line['code']}", line["comment"]),
            "errors": errors.get(f"level-{line['code']}"),
        }
        for line in review.lines
    ]
    return render(
        request,
        "periods/review.html",
        {
            "learner": learner,
            "period": period,
            "review": review,
            "lines": lines,
            "levels": reviews.LEVELS,
            "can_rate": can_rate and review_flow.may(state, "save"),
            "can_appraise": can_appraise and review_flow.may(state, "appraise"),
            "can_validate": can_rate and review_flow.may(state, "validate"),
            "pedagogical": request.POST.get("pedagogical", review.pedagogical)
            if errors
            else review.pedagogical,
            "tutor_text": request.POST.get("tutor_appraisal", review.tutor_appraisal),
            "errors": errors,
            # the summary: each error linked to its control (as web/forms/errors.html)
            "summary": [
                (f"id_{key}", _REVIEW_LABELS.get(key) or key.removeprefix("level-"), e)
                for key, said in errors.items()
                for e in said
            ],
        },
        status=400 if errors else 200,
    )


# --- contract ruptures (issue 22, item 6) -----------------------------------------------------
class RuptureForm(Styled, forms.Form):
    date = forms.DateField(label="Date de la rupture", widget=DATE)
    initiative = forms.ChoiceField(label="Rompu par", choices=[("", "—"), *ruptures.INITIATIVES])
    reason = forms.CharField(label="Motif", widget=forms.Textarea(attrs={"rows": 3}))


@require_http_methods(["GET", "POST"])
def contract_rupture(request, pk):
    """A contract's rupture: the manager records it (or corrects it); its six months show."""
    # Only the centre's manager (or an admin) sees contracts: anyone else, 404.
    contract = scopes.get_contract_for_user(request.user, pk)
    rupture = getattr(contract, "rupture", None)
    initial = (
        {"date": rupture.date, "initiative": rupture.initiative, "reason": rupture.reason}
        if rupture
        else {}
    )
    form = RuptureForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            rupture, warning = services.record_rupture(
                contract, request.user, data["date"], data["initiative"], data["reason"]
            )
            messages.success(
                request,
                f"Rupture enregistrée : {contract.learner.full_name} reste inscrit(e), sans "
                f"employeur, et suit sa formation au centre jusqu'au "
                f"{rupture.window.until:%d/%m/%Y}.",
            )
            if warning:
                messages.warning(request, warning)
            return redirect("contract_rupture", contract.pk)
        except ValidationError as exc:
            for field, errors in exc.error_dict.items():
                for e in errors:
                    form.add_error(field, e)
    history = (
        rupture.history.select_related("history_user").order_by("-history_date") if rupture else []
    )
    return render(
        request,
        "periods/rupture.html",
        {
            "contract": contract,
            "rupture": rupture,
            "form": form,
            "history": history,
            "alert_days": ruptures.ALERT_DAYS,
        },
        status=400 if form.errors else 200,
    )


def rupture_rates(request):
    """The rupture rate per cohort and year the contracts began (the manager's Qualiopi figures)."""
    access.require_role(request.user, access.is_manager | access.is_admin)
    rows = (
        scopes.visible_contracts(request.user)
        .annotate(year=ExtractYear("start"))
        .values_list("learner__cohort__name", "year", "rupture")
    )
    rates = ruptures.rates(
        ruptures.Row(cohort, year, broken is not None) for cohort, year, broken in rows
    )
    total = ruptures.Rate("", 0, sum(r.contracts for r in rates), sum(r.broken for r in rates))
    return render(
        request,
        "periods/rupture_rates.html",
        {"rates": rates, "total": total},
    )


# --- the enseignant référent's contacts with the tutor (issue 22, item 7) ----------------------
class ContactForm(Styled, forms.ModelForm):
    class Meta:
        model = PeriodContact
        fields = ["day", "mode", "note"]
        widgets = {"day": DATE, "note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, period, **kwargs):
        self.period = period
        super().__init__(*args, **kwargs)

    def clean_day(self):
        day = self.cleaned_data["day"]
        if day > timezone.localdate():
            raise ValidationError("Un contact s'enregistre une fois eu (date à venir).")
        if not self.period.start <= day <= self.period.end:
            raise ValidationError(
                f"Le contact se situe pendant la période, du {self.period.start:%d/%m/%Y} au "
                f"{self.period.end:%d/%m/%Y}."
            )
        return day


@require_http_methods(["GET", "POST"])
def period_contacts(request, pk, period_id):
    """The enseignant référent's contacts with the tutor during one period (Code de l'éducation
    L124-1): whoever reads the livret reads them; the référent and the learner's trainers write."""
    learner = access.get_learner_for_user(request.user, pk)
    period = get_object_or_404(
        learner.periods.select_related("company", "referent", "learner__tutor"), pk=period_id
    )
    may_write = access.can(request.user, "livret.record_periods", learner) or (
        period.referent_id is not None and period.referent_id == request.user.pk
    )
    form = ContactForm(request.POST or None, period=period, user=request.user)
    if request.method == "POST":
        if not may_write:
            raise PermissionDenied
        if form.is_valid():
            services.record_contact(period, form, request.user)
            messages.success(request, "Contact enregistré.")
            return redirect("period_contacts", learner.pk, period.pk)
    return render(
        request,
        "periods/contacts.html",
        {
            "learner": learner,
            "period": period,
            "contacts": period.contacts.select_related("recorded_by"),
            "form": form if may_write else None,
        },
        status=400 if form.errors else 200,
    )
