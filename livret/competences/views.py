"""Livret pages. Rights come from livret.access: an object outside them is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from livret import access, exports
from livret import uploads as evidence_rules
from livret.access import can, require, visible_learners
from livret.engine import situation_flow, wording
from livret.jobs import services as jobs
from livret.privacy.services import log_access
from livret.referentiels import models as rm
from livret.web.actions import Action, perform
from livret.web.params import safe_next
from livret.web.pdf import pdf_response

from . import cells, printing, queries, rows, scopes, services, visas
from .forms import (
    AppraisalForm,
    AttachCompetencesForm,
    ColumnForm,
    EvaluationForm,
    SituationForm,
    TurnIntoEvaluationsForm,
    TutorForm,
)
from .models import CompetenceEvaluation, CompetenceStatus, Level, Situation


def _learner(user, pk):
    return access.get_learner_for_user(
        user, pk, related=("cohort__referentiel", "company", "tutor", "centre", "referent")
    )


def home(request):
    user = request.user
    if access.is_learner(user):
        return redirect("learner_home")
    if access.is_tutor(user):
        return redirect("tutor_home")
    if access.is_manager(user):
        return redirect("dashboard")
    if access.is_trainer(user) or access.is_admin(user):
        return redirect("cohort_list")
    if access.is_exam_admin(user):
        return redirect("exam_sessions")
    if access.is_certifier(user):
        return redirect("vae_certifier")
    return redirect("vae_home")  # a VAE candidate has no profile


# --- learner's livret -----------------------------------------------------------------------
def livret(request, pk):
    learner = _learner(request.user, pk)
    log_access(request, learner, "livret")
    fr = queries.frame(learner.cohort.referentiel)
    statuses = queries.statuses_of([learner]).get(learner.pk, {})
    situations, by_comp = queries.situations_by_competence(learner)
    view = "poles" if request.GET.get("vue") == "poles" else "blocs"
    by_id = fr.by_id
    progress = queries.progress(fr, statuses)
    tallies = {b.pk: t for b, t in progress.blocs}
    row = rows.Rows(
        learner,
        can(request.user, "livret.evaluate", learner),
        can(request.user, "livret.appraise", learner),
        queries.appraisals_of(learner),
    )
    signed = visas.latest(learner)
    return render(
        request,
        "livret/livret.html",
        {
            "learner": learner,
            "frame": fr,
            "statuses": statuses,
            "progress": progress,
            "situations": situations,
            "situations_by_comp": by_comp,
            "view": view,
            "bloc_rows": [
                (b, [by_id[c.pk] for c in b.competences.all()], tallies.get(b.pk)) for b in fr.blocs
            ],
            "rows": {
                c.pk: row(c, statuses.get(c.pk), len(by_comp.get(c.pk, ()))) for c in by_id.values()
            },
            "can_evaluate": row.can_evaluate,
            "visas": signed,
            "can_sign": visas.role_for(request.user, learner) is not None,
            "my_visa": visas.visa_of(request.user, learner, signed),
            "today": timezone.localdate(),
        },
    )


def history(request, pk, competence_id):
    learner = _learner(request.user, pk)
    log_access(request, learner, "historique d'une compétence")
    competence = get_object_or_404(
        rm.Competence, pk=competence_id, referentiel=learner.cohort.referentiel
    )
    facts = CompetenceEvaluation.objects.filter(
        learner=learner, competence=competence
    ).select_related("evaluator", "situation")
    context = {"learner": learner, "competence": competence, "facts": list(facts)}
    template = "livret/_history.html" if request.htmx else "livret/history_page.html"
    return render(request, template, context)


def livret_pdf(request, pk):
    learner = _learner(request.user, pk)
    log_access(request, learner, "livret imprimé (PDF)")
    context = printing.livret_context(learner)
    return pdf_response(request, "livret/print.html", context, f"livret-{learner.pk}.pdf")


@require_POST
def cohort_livrets(request, pk):
    """Every livret of the cohort as one ZIP of PDFs: long work, so a background job."""
    cohort = access.get_cohort_for_user(request.user, pk)
    job = jobs.start(
        request.user,
        cohort.centre,
        "cohort_livrets",
        f"Livrets de la promotion {cohort.name} (PDF)",
        {"cohort": cohort.pk},
    )
    return redirect("job", pk=job.pk)


@require_POST
def sign_livret(request, pk):
    """A visa: the signed-in person signs the livret in his own role (none for another)."""
    learner = _learner(request.user, pk)
    visa = visas.sign(learner, request.user)
    messages.success(
        request, f"Livret visé le {timezone.localtime(visa.signed_at):%d/%m/%Y à %H:%M}."
    )
    return redirect(reverse("livret", args=[learner.pk]) + "#visas")


@require_http_methods(["GET", "POST"])
def appraise(request, pk, competence_id):
    """The tutor's appraisal of one competence, beside (never instead of) the trainer's level."""
    learner = _learner(request.user, pk)
    require(request.user, "livret.appraise", learner)
    competence = get_object_or_404(
        rm.Competence, pk=competence_id, referentiel=learner.cohort.referentiel
    )
    form = AppraisalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.record_appraisal(
            learner=learner, competence=competence, tutor=request.user, **form.cleaned_data
        )
        messages.success(request, f"{competence.code} : votre appréciation est enregistrée.")
        return redirect(reverse("livret", args=[learner.pk]) + f"#row-{learner.pk}-{competence.pk}")
    return render(
        request,
        "livret/appraise.html",
        {
            "learner": learner,
            "competence": competence,
            "form": form,
            "status": CompetenceStatus.objects.filter(learner=learner, competence=competence)
            .select_related("latest__evaluator")
            .first(),
            "mine": learner.appraisals.filter(competence=competence).select_related("tutor"),
        },
        status=400 if form.errors else 200,
    )


# --- evaluating --------------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
def evaluate(request, pk, competence_id):
    learner = _learner(request.user, pk)
    require(request.user, "livret.evaluate", learner)
    competence = get_object_or_404(
        rm.Competence, pk=competence_id, referentiel=learner.cohort.referentiel
    )
    target = (
        "cell"
        if request.GET.get("cible") == "grille" or request.POST.get("target") == "cell"
        else "row"
    )
    form = EvaluationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.record_evaluation(
            learner=learner,
            competence=competence,
            level=data["level"],
            observed_on=data["observed_on"],
            evaluator=request.user,
            context=data["context"],
            comment=data["comment"],
            evidence=data.get("evidence"),
            evidence_type=form.evidence_type,
            notify=True,
        )
        status = CompetenceStatus.objects.select_related("latest__evaluator").get(
            learner=learner, competence=competence
        )
        if not request.htmx:
            messages.success(
                request, f"{competence.code} : {status.get_level_display().lower()} pour {learner}."
            )
            return redirect(safe_next(request, reverse("livret", args=[learner.pk])))
        return render(
            request,
            "livret/_evaluated.html",
            {
                "learner": learner,
                "c": competence,
                "status": status,
                "target": target,
                "can_evaluate": True,
                "row": rows.Rows(learner, True, False, queries.appraisals_of(learner))(
                    competence, status, oob=True
                ),
            },
        )
    status = CompetenceStatus.objects.filter(learner=learner, competence=competence).first()
    template = "livret/_evaluate_form.html" if request.htmx else "livret/evaluate_page.html"
    return render(
        request,
        template,
        {
            "learner": learner,
            "competence": competence,
            "form": form,
            "status": status,
            "target": target,
        },
        status=400 if form.errors else 200,
    )


def evidence(request, evaluation_id):
    fact = scopes.get_evaluation_for_user(request.user, evaluation_id)
    if not fact.evidence:
        raise Http404
    # The stored suffix was chosen from the sniffed content: the type and the name follow it,
    # never the uploaded name.
    kind = evidence_rules.type_for_name(fact.evidence.name)
    response = FileResponse(
        fact.evidence.open("rb"),
        as_attachment=True,
        filename=evidence_rules.download_name(fact.evidence_name, kind),
        content_type=kind,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- cohorts and the grid -------------------------------------------------------------------
def _grid_columns(fr, request):
    """Competences shown: one bloc or one épreuve (default: the first bloc)."""
    choice = request.GET.get("filtre") or (f"bloc:{fr.blocs[0].code}" if fr.blocs else "")
    kind, _, code = choice.partition(":")
    ids = None
    if kind == "bloc":
        bloc = next((b for b in fr.blocs if b.code == code), None)
        ids = [c.pk for c in bloc.competences.all()] if bloc else None
    elif kind == "epreuve":
        exam = next((e for e in fr.exams if e.code == code), None)
        ids = [c.pk for c in exam.competences.all()] if exam else None
    if ids is None:
        return "tout", fr.competences
    wanted = set(ids)
    return choice, [c for c in fr.competences if c.pk in wanted]


def grid(request, pk):
    cohort = access.get_cohort_for_user(request.user, pk)
    fr = queries.frame(cohort.referentiel)
    choice, columns = _grid_columns(fr, request)
    learners = list(
        cohort.learners.filter(pk__in=visible_learners(request.user)).order_by(
            "last_name", "first_name"
        )
    )
    statuses = queries.statuses_of(
        [lr.pk for lr in learners], [c.pk for c in columns], with_latest=False
    )
    can_evaluate = can(request.user, "livret.evaluate", learners[0]) if learners else False
    # Addresses by replacing the ids in one reversed address: 200 reverse() calls were a tenth
    # of a 120-learner grid.
    livret_url = reverse("livret", args=[111111111])
    column_url = reverse("evaluate_column", args=[cohort.pk, 222222222])
    rows = [
        {"learner": lr, "url": livret_url.replace("111111111", str(lr.pk)), "cells": html}
        for lr, html in zip(
            learners, cells.rows(learners, columns, statuses, can_evaluate), strict=True
        )
    ]
    heads = [(c, column_url.replace("222222222", str(c.pk))) for c in columns]
    return render(
        request,
        "livret/grid.html",
        {
            "cohort": cohort,
            "frame": fr,
            "columns": columns,
            "heads": heads,
            "rows": rows,
            "choice": choice,
            "can_evaluate": can_evaluate,
            # No competence in the file yet (Bac pro, CAP): the page says why and where to
            # complete it (the workshop, for those who may use it).
            "workshop_url": reverse("workshop_version", args=[cohort.referentiel_id])
            if not fr.competences and can(request.user, "livret.use_workshop")
            else "",
        },
    )


@require_http_methods(["GET", "POST"])
def evaluate_column(request, pk, competence_id):
    cohort = access.get_cohort_for_user(request.user, pk)
    competence = get_object_or_404(rm.Competence, pk=competence_id, referentiel=cohort.referentiel)
    learners = cohort.learners.filter(pk__in=visible_learners(request.user)).order_by(
        "last_name", "first_name"
    )
    first = learners.first()
    if first is None:
        raise Http404
    require(request.user, "livret.evaluate", first)
    form = ColumnForm(request.POST or None, learners=learners, initial={"learners": list(learners)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.evaluate_column(
            learners=data["learners"],
            competence=competence,
            level=data["level"],
            observed_on=data["observed_on"],
            evaluator=request.user,
            context=data["context"],
        )
        if not request.htmx:
            return redirect(reverse("grid", args=[cohort.pk]))
        statuses = CompetenceStatus.objects.filter(
            learner__in=data["learners"], competence=competence
        ).select_related("latest__evaluator", "learner")
        return render(
            request,
            "livret/_column_done.html",
            {"statuses": statuses, "c": competence, "count": len(data["learners"])},
        )
    template = "livret/_column_form.html" if request.htmx else "livret/column_page.html"
    return render(
        request,
        template,
        {"cohort": cohort, "competence": competence, "form": form},
        status=400 if form.errors else 200,
    )


# --- role homes -----------------------------------------------------------------------------
def learner_home(request):
    learner = (
        visible_learners(request.user)
        .filter(user=request.user)
        .select_related("cohort__referentiel", "company", "tutor", "referent")
        .first()
    )
    if learner is None:
        raise Http404("aucun livret")
    fr = queries.frame(learner.cohort.referentiel)
    statuses = queries.statuses_of([learner]).get(learner.pk, {})
    todo = [
        c
        for c in fr.competences
        if not c.module_unit_id and getattr(statuses.get(c.pk), "level", None) != Level.ACQUIRED
    ]
    situations, _ = queries.situations_by_competence(learner)
    return render(
        request,
        "livret/learner_home.html",
        {
            "learner": learner,
            "progress": queries.progress(fr, statuses),
            "todo": todo,
            "statuses": statuses,
            "situations": situations,
            "surveys_due": _surveys_due(request.user),
        },
    )


def _surveys_due(user):
    """The questionnaires waiting for this learner's or tutor's answer (one query)."""
    from livret.surveys.scopes import visible_survey_invitations

    return list(
        visible_survey_invitations(user)
        .filter(participation__isnull=True, survey__closed_at__isnull=True)
        .select_related("survey")
    )


def tutor_home(request):
    access.require_role(request.user, access.is_tutor)
    learners = list(
        visible_learners(request.user)
        .select_related("cohort__referentiel__diploma", "company", "referent")
        .defer("cohort__referentiel__document")  # 60 KB of JSON per apprentice otherwise
    )
    counts = {
        row["learner_id"]: row
        for row in CompetenceStatus.objects.filter(
            learner__in=learners, competence__module_unit__isnull=True
        )
        .values("learner_id")
        .annotate(
            acquired=Count("id", filter=Q(level=Level.ACQUIRED)),
            in_progress=Count("id", filter=Q(level=Level.IN_PROGRESS)),
        )
    }
    totals = {
        row["referentiel_id"]: row["n"]
        for row in rm.Competence.objects.filter(
            referentiel__in={lr.cohort.referentiel_id for lr in learners}, module_unit__isnull=True
        )
        .values("referentiel_id")
        .annotate(n=Count("id"))
    }
    apprentices = []
    for lr in learners:
        total = totals.get(lr.cohort.referentiel_id, 0)
        acquired = counts.get(lr.pk, {}).get("acquired", 0)
        apprentices.append(
            {
                "learner": lr,
                "acquired": acquired,
                "total": total,
                "percent": acquired * 100 // total if total else 0,
            }
        )
    pending = (
        scopes.visible_situations(request.user)
        .filter(state=Situation.PENDING)
        .select_related("learner")
        .prefetch_related("competences")
    )
    return render(
        request,
        "livret/tutor_home.html",
        {
            "apprentices": apprentices,
            "pending": pending,
            "surveys_due": _surveys_due(request.user),
        },
    )


# --- situations -----------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
def situation_new(request, pk):
    learner = _learner(request.user, pk)
    require(request.user, "livret.declare_situation", learner)
    form = SituationForm(
        request.POST or None, referentiel=learner.cohort.referentiel, learner=learner
    )
    if request.method == "POST" and form.is_valid():
        situation = services.declare_situation(form, learner, request.user)
        messages.success(
            request, "Situation enregistrée ; votre tuteur peut maintenant la valider."
        )
        return redirect("situation_detail", situation.pk)
    return render(
        request,
        "livret/situation_form.html",
        {"learner": learner, "form": form},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def situation_edit(request, pk):
    """The apprentice corrects a situation his tutor sent back (or one still waiting)."""
    situation = scopes.get_situation_for_user(request.user, pk)
    learner = situation.learner
    require(request.user, "livret.declare_situation", learner)
    try:  # the lifecycle says whether it may still change (a validated one is frozen)
        services.check_situation(situation, "edit", situation_flow.APPRENTICE)
        form = SituationForm(
            request.POST or None,
            instance=situation,
            referentiel=learner.cohort.referentiel,
            learner=learner,
        )
        if request.method == "POST" and form.is_valid():
            services.resubmit_situation(form, request.user)
            messages.success(request, "Situation modifiée ; votre tuteur peut la valider.")
            return redirect("situation_detail", situation.pk)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("situation_detail", situation.pk)
    return render(
        request,
        "livret/situation_form.html",
        {"learner": learner, "form": form, "situation": situation},
        status=400 if form.errors else 200,
    )


def situation_detail(request, pk):
    return _detail_page(request, scopes.get_situation_for_user(request.user, pk))


def _detail_page(request, situation, tutor_form=None, status=200):
    """The situation's page; with the tutor's form bound when a step of his was refused (its
    errors beside the reason, what he typed kept)."""
    learner = situation.learner
    state = services.situation_state(situation)
    can_validate = can(request.user, "livret.validate_situation", learner)
    can_turn = can(request.user, "livret.turn_situation_into_evaluations", learner)
    return render(
        request,
        "livret/situation_detail.html",
        {
            "situation": situation,
            "learner": learner,
            "steps": services.situation_steps(situation),
            "can_edit": situation_flow.may(state, "edit")
            and can(request.user, "livret.declare_situation", learner),
            "tutor_actions": situation_flow.allowed(state, situation_flow.TUTOR)
            if can_validate
            else [],
            "can_turn": can_turn and situation_flow.may(state, "evaluate"),
            "can_attach": can_turn and situation_flow.may(state, "attach"),
            "turn_later": can_turn and state in (situation_flow.PENDING, situation_flow.RETURNED),
            "turned": state == situation_flow.EVALUATED,
            "turn_form": TurnIntoEvaluationsForm(
                competences=situation.competences.order_by("position")
            ),
            "tutor_form": tutor_form or TutorForm(),
        },
        status=status,
    )


def _cleaned(form) -> dict:
    if not form.is_valid():
        raise ValidationError([e for errors in form.errors.values() for e in errors])
    return form.cleaned_data


def _tutor_step(service, done) -> Action:
    """The tutor's steps on one form: the comment is the validation's remark, the reason for
    sending back, or the comment itself."""

    def run(request, situation):
        form = TutorForm(request.POST)
        if form.is_valid():
            try:
                service(situation, request.user, form.cleaned_data["comment"])
                return done(situation) if callable(done) else done
            except ValidationError as exc:
                if not hasattr(exc, "error_dict"):
                    raise  # a refusal of the whole step: the page's message
                for errors in exc.message_dict.values():  # the reason, the form's one field
                    form.add_error("comment", errors)
        return _detail_page(request, situation, tutor_form=form, status=400)

    return Action(run, rule="livret.validate_situation", on=lambda s: s.learner)


def _turn(request, situation):
    form = TurnIntoEvaluationsForm(
        request.POST, competences=situation.competences.order_by("position")
    )
    level = _cleaned(form)["level"]
    facts = services.situation_to_evaluations(situation, request.user, level, form.levels())
    return f"{len(facts)} évaluation(s) enregistrée(s) à partir de la situation."


# action posted → (who may, what it does): the tutor's form, then the trainer's
TUTOR_ACTIONS = {
    "validate": _tutor_step(services.validate_situation, "Situation validée."),
    "return": _tutor_step(
        services.return_situation,
        lambda s: (
            f"Situation renvoyée {wording.word(s.learner.status, 'to_the_learner')}, "
            "avec votre motif."
        ),
    ),
    "comment": _tutor_step(services.comment_situation, "Commentaire enregistré."),
}
TRAINER_ACTIONS = {
    "evaluate": Action(
        _turn, rule="livret.turn_situation_into_evaluations", on=lambda s: s.learner
    ),
}


@require_POST
def situation_validate(request, pk):
    """The tutor's form: validate (the default button), send back, or comment."""
    situation = scopes.get_situation_for_user(request.user, pk)
    shown = perform(request, TUTOR_ACTIONS, request.POST.get("action") or "validate", situation)
    return shown or redirect("situation_detail", situation.pk)


@require_http_methods(["GET", "POST"])
def situation_competences(request, pk):
    """The trainer attaches competences to a situation (declared in free text while the
    référentiel gave none), until it is turned into evaluations."""
    situation = scopes.get_situation_for_user(request.user, pk)
    learner = situation.learner
    require(request.user, "livret.turn_situation_into_evaluations", learner)
    try:
        services.check_situation(situation, "attach", situation_flow.TRAINER)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("situation_detail", situation.pk)
    form = AttachCompetencesForm(
        request.POST if request.method == "POST" else None,  # none ticked: still a bound form
        referentiel=learner.cohort.referentiel,
        initial={"competences": list(situation.competences.values_list("pk", flat=True))},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.attach_competences(situation, form.cleaned_data["competences"], request.user)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, "Compétences rattachées à la situation.")
        return redirect("situation_detail", situation.pk)
    return render(
        request,
        "livret/situation_competences.html",
        {"situation": situation, "learner": learner, "form": form},
        status=400 if form.errors else 200,
    )


@require_POST
def situation_evaluate(request, pk):
    situation = scopes.get_situation_for_user(request.user, pk)
    perform(request, TRAINER_ACTIONS, "evaluate", situation)
    return redirect("situation_detail", situation.pk)


def grid_xlsx(request, pk):
    """The cohort's livret as a spreadsheet: learners × competences, level and date."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    cohort = access.get_cohort_for_user(request.user, pk)
    fr = queries.frame(cohort.referentiel)
    learners = list(
        cohort.learners.filter(pk__in=visible_learners(request.user)).order_by(
            "last_name", "first_name"
        )
    )
    statuses = queries.statuses_of([lr.pk for lr in learners], with_latest=False)
    wb = Workbook()
    ws = wb.active
    ws.title = "Livret"
    exports.append_row(ws, ["Nom", "Prénom", *[f"{c.code}" for c in fr.competences]])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    fills = {"acquired": "B8FEC9", "in_progress": "E8EDFF", "not_acquired": "FFE9E6"}
    labels = dict(Level.choices)
    for lr in learners:
        row = [lr.last_name, lr.first_name]
        for c in fr.competences:
            s = statuses.get(lr.pk, {}).get(c.pk)
            row.append(
                f"{labels[s.level]}{' le ' + s.acquired_on.strftime('%d/%m/%Y') if s and s.acquired_on else ''}"
                if s
                else ""
            )
        exports.append_row(ws, row)
        for cell, c in zip(ws[ws.max_row][2:], fr.competences, strict=True):
            s = statuses.get(lr.pk, {}).get(c.pk)
            if s:
                cell.fill = PatternFill("solid", fgColor=fills[s.level])
    legend = wb.create_sheet("Compétences")
    exports.append_row(legend, ["Code", "Intitulé"])
    for c in fr.competences:
        exports.append_row(legend, [c.code, c.title])
    response = HttpResponse(
        exports.xlsx_bytes(wb),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="livret-{cohort.pk}.xlsx"'
    return response


# --- the search for people -----------------------------------------------------------------------
def people_search(request):
    """Learners, tutors and companies by name, accents and case ignored, within the user's rights."""
    from livret.referentiels.text import normalize as fold

    access.require_role(request.user, access.is_manager | access.is_trainer | access.is_exam_admin)
    text = (request.GET.get("q") or "").strip()
    results = {"learners": [], "tutors": [], "companies": []}
    if len(text) >= 2:
        wanted = fold(text)

        def match(*parts):
            return wanted in fold(" ".join(p or "" for p in parts))

        learners = access.visible_learners(request.user).select_related("cohort", "company")
        results["learners"] = list(
            learners.filter(search_text__contains=wanted)
            .only("id", "first_name", "last_name", "email", "cohort__name", "company__name")
            .order_by("last_name", "first_name")[:50]
        )
        results["tutors"] = [
            t
            for t in access.visible_tutors(request.user).select_related("profile__organisation")
            if match(t.first_name, t.last_name, t.username)
        ][:50]
        results["companies"] = [
            c for c in access.visible_companies(request.user) if match(c.name, c.city, c.siret)
        ][:50]
    return render(request, "livret/people_search.html", {"q": text, "results": results})
