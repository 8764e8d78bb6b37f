"""Contrôle continu: modules of a cohort, the marks grid, appreciations, the semester bulletin."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from livret import access
from livret.engine import ari as engine_ari
from livret.engine.marks import show_mark
from livret.privacy.services import log_access
from livret.web.params import id_param, key_parts, parse_id
from livret.web.pdf import pdf_response

from . import ari, queries, scopes, services
from .forms import AssessmentForm, ModuleForm


def _semester(request, cohort) -> int:
    raw = request.GET.get("semestre", "")
    count = queries.semester_count(cohort)
    if raw.isascii() and raw.isdigit() and 1 <= int(raw) <= count:
        return int(raw)
    return queries.current_semester(cohort, timezone.localdate())


@require_http_methods(["GET", "POST"])
def cohort_modules(request, pk):
    """The cohort's modules; the manager adds one and says who teaches it."""
    cohort = access.get_cohort_for_user(request.user, pk)
    can_manage = access.can(request.user, "livret.manage_modules", cohort)
    form = ModuleForm(request.POST or None, cohort=cohort) if can_manage else None
    if request.method == "POST":
        access.require(request.user, "livret.manage_modules", cohort)
        if form.is_valid():
            module = services.save_module(form, cohort)
            messages.success(request, f"Module « {module} » créé.")
            return redirect("cohort_modules", cohort.pk)
    modules = cohort.modules.prefetch_related("trainers").order_by("title")
    return render(
        request,
        "bulletins/modules.html",
        {"cohort": cohort, "modules": modules, "form": form, "user_id": request.user.pk},
        status=400 if form is not None and form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def module_edit(request, pk):
    module = scopes.get_module_for_user(request.user, pk)
    access.require(request.user, "livret.manage_modules", module.cohort)
    form = ModuleForm(request.POST or None, instance=module, cohort=module.cohort)
    if request.method == "POST" and form.is_valid():
        services.save_module(form, module.cohort)
        messages.success(request, "Module enregistré.")
        return redirect("cohort_modules", module.cohort_id)
    return render(
        request,
        "bulletins/module_form.html",
        {"module": module, "cohort": module.cohort, "form": form},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def module_grid(request, pk):
    """Learners × the semester's assessments: type or paste a column of marks, all or nothing."""
    module = scopes.get_module_for_user(request.user, pk)
    cohort = module.cohort
    semester = _semester(request, cohort)
    can_mark = access.can(request.user, "livret.mark_module", module)
    typed, errors, to_delete = {}, {}, {}
    if request.method == "POST":
        access.require(request.user, "livret.mark_module", module)
        typed = {k: v for k, v in request.POST.items() if k.startswith("m-")}
        entries = {}
        for key, raw in typed.items():
            learner, assessment = key_parts(key, "m", 2)  # m-<learner>-<assessment>
            entries[(parse_id(learner, key), parse_id(assessment, key))] = raw
        try:
            saved = services.set_marks(
                module,
                entries,
                request.user,
                confirm_deletions=request.POST.get("effacer") == "oui",
            )
            messages.success(request, _saved_message(saved))
            return redirect(f"{request.path}?semestre={semester}")
        except services.DeletionsToConfirm as exc:
            to_delete = exc.fields
            n = len(to_delete)
            what = (
                "1 case vidée effacerait une note"
                if n == 1
                else f"{n} cases vidées effaceraient des notes"
            )
            messages.warning(
                request,
                f"Rien n'est enregistré : {what}. "
                "Cochez « Effacer ces notes » pour confirmer, ou retapez-les.",
            )
        except ValidationError as exc:
            errors = exc.message_dict
            messages.error(
                request,
                f"Aucune note enregistrée : {len(errors)} valeur(s) à corriger, "
                "signalée(s) dans la grille.",
            )
    assessments, rows = queries.module_grid(module, semester)
    table = []
    for row in rows:
        cells = []
        for a in assessments:
            name = f"m-{row.learner.pk}-{a.pk}"
            cells.append(
                {
                    "name": name,
                    "assessment": a,
                    "value": typed.get(name, show_mark(row.values[a.pk])),
                    "errors": errors.get(name),
                    "deletes": to_delete.get(name),
                }
            )
        table.append({"row": row, "cells": cells})
    return render(
        request,
        "bulletins/grid.html",
        {
            "module": module,
            "cohort": cohort,
            "semester": semester,
            "semesters": queries.semester_choices(cohort),
            "assessments": assessments,
            "table": table,
            "can_mark": can_mark,
            "can_manage": access.can(request.user, "livret.manage_modules", cohort),
            "errors": errors,
            "to_delete": to_delete,
        },
        status=400 if errors else 200,
    )


@require_http_methods(["GET", "POST"])
def assessment_form(request, pk, assessment_id=None):
    module = scopes.get_module_for_user(request.user, pk)
    access.require(request.user, "livret.mark_module", module)
    instance = (
        scopes.get_assessment_for_user(request.user, module, assessment_id)
        if assessment_id
        else None
    )
    cohort = module.cohort
    initial = {}
    if instance is None:
        today = timezone.localdate()
        initial = {"held_on": today, "semester": queries.current_semester(cohort, today)}
    form = AssessmentForm(
        request.POST or None,
        instance=instance,
        initial=initial,
        semesters=queries.semester_choices(cohort),
    )
    if request.method == "POST" and form.is_valid():
        a = services.save_assessment(form, module, request.user)
        messages.success(request, f"Évaluation « {a.title} » enregistrée.")
        return redirect(f"{_grid_url(module)}?semestre={a.semester}")
    return render(
        request,
        "bulletins/assessment_form.html",
        {"module": module, "cohort": cohort, "form": form, "assessment": instance},
        status=400 if form.errors else 200,
    )


def _grid_url(module):
    return reverse("module_grid", args=[module.pk])


@require_http_methods(["GET", "POST"])
def appreciations(request, pk):
    """The module's trainers write each learner's appreciation for the semester's bulletin."""
    module = scopes.get_module_for_user(request.user, pk)
    access.require(request.user, "livret.mark_module", module)
    cohort = module.cohort
    semester = _semester(request, cohort)
    learners = list(cohort.learners.order_by("last_name", "first_name", "pk"))
    current = {a.learner_id: a.text for a in module.appreciations.filter(semester=semester)}
    errors = {}
    if request.method == "POST":
        texts = {parse_id(k[2:], k): v for k, v in request.POST.items() if k.startswith("a-")}
        try:
            n = services.save_appreciations(module, semester, texts, request.user)
            messages.success(request, f"{n} appréciation(s) enregistrée(s).")
            return redirect(f"{request.path}?semestre={semester}")
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
            current.update(texts)
            messages.error(request, "Aucune appréciation enregistrée : voir les cases signalées.")
    rows = [
        {
            "learner": lr,
            "name": f"a-{lr.pk}",
            "text": current.get(lr.pk, ""),
            "errors": errors.get(f"a-{lr.pk}"),
        }
        for lr in learners
    ]
    return render(
        request,
        "bulletins/appreciations.html",
        {
            "module": module,
            "cohort": cohort,
            "semester": semester,
            "semesters": queries.semester_choices(cohort),
            "rows": rows,
        },
        status=400 if errors else 200,
    )


def _bulletin(request, pk):
    learner = access.get_learner_for_user(request.user, pk)
    return learner, queries.bulletin(learner, _semester(request, learner.cohort))


def bulletin(request, pk):
    """The learner's semester bulletin: read by him, his tutor, his trainers, his manager."""
    learner, b = _bulletin(request, pk)
    log_access(request, learner, f"bulletin du semestre {b.semester}")
    return render(
        request,
        "bulletins/bulletin.html",
        {"learner": learner, "b": b, "semesters": queries.semester_choices(learner.cohort)},
    )


def bulletin_pdf(request, pk):
    learner, b = _bulletin(request, pk)
    log_access(request, learner, f"bulletin du semestre {b.semester} (PDF)")
    return pdf_response(
        request,
        "bulletins/bulletin_pdf.html",
        {"learner": learner, "b": b, "today": timezone.localdate()},
        f"bulletin-{learner.pk}-S{b.semester}.pdf",
    )


def _ari_cohort(request, pk):
    cohort = access.get_cohort_for_user(request.user, pk)
    if not ari.applies(cohort):
        raise Http404("L'attestation de réussite intermédiaire concerne le Bac pro en trois ans.")
    return cohort


@require_http_methods(["GET", "POST"])
def cohort_ari(request, pk):
    """The attestation de réussite intermédiaire at the end of première: each pupil's average
    from the première marks; the head of the establishment decides between 9 and 10."""
    cohort = _ari_cohort(request, pk)
    can_decide = access.can(request.user, "livret.decide_ari", cohort)
    if request.method == "POST":
        access.require(request.user, "livret.decide_ari", cohort)
        learner = get_object_or_404(cohort.learners, pk=id_param(request.POST, "learner"))
        try:
            ari.record_council(
                cohort,
                learner,
                request.POST.get("granted") == "1",
                request.POST.get("reason", ""),
                request.user,
            )
            messages.success(request, f"Décision enregistrée pour {learner.full_name}.")
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        return redirect("cohort_ari", cohort.pk)
    modules, rows = ari.rows(cohort)
    return render(
        request,
        "bulletins/ari.html",
        {
            "cohort": cohort,
            "modules": modules,
            "rows": rows,
            "can_decide": can_decide,
            "eligible": ari.eligible_establishment(cohort.centre),
            "delivered": sum(1 for r in rows if r.outcome.decision == engine_ari.DELIVERED),
            "council": engine_ari.COUNCIL,
        },
    )


def cohort_ari_pdf(request, pk):
    """The final list of the pupils who receive it, for the head of the establishment to sign."""
    cohort = _ari_cohort(request, pk)
    _modules, rows = ari.rows(cohort)
    return pdf_response(
        request,
        "bulletins/ari_pdf.html",
        {
            "cohort": cohort,
            "rows": [r for r in rows if r.outcome.decision == engine_ari.DELIVERED],
            "pending": [r for r in rows if r.outcome.decision == engine_ari.COUNCIL],
            "today": timezone.localdate(),
        },
        f"attestation-intermediaire-{cohort.pk}.pdf",
    )


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _saved_message(saved) -> str:
    """What the save did, deletions counted as such (« 1 note effacée », not « enregistrée »)."""
    if not saved.written and not saved.deleted:
        return "Aucune note modifiée."
    parts = []
    if saved.written:
        parts.append(_count(saved.written, "note enregistrée", "notes enregistrées"))
    if saved.deleted:
        parts.append(_count(saved.deleted, "note effacée", "notes effacées"))
    return ", ".join(parts).capitalize() + "."
