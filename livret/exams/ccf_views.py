"""CCF situations: the learner's épreuves in CCF, each situation's grid and convocation, and the
exam office's list of proposed grades."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from livret import access
from livret.privacy.services import log_access
from livret.web.actions import Action, perform
from livret.web.params import id_param
from livret.web.pdf import pdf_response

from . import ccf, scopes
from .models import CcfSituation


@require_http_methods(["GET", "POST"])
def learner_ccf(request, pk):
    """A learner's épreuves in CCF, session by session; his trainers plan the situations."""
    learner = access.get_learner_for_user(request.user, pk)
    log_access(request, learner, "situations de CCF")
    can_run = access.can(request.user, "livret.run_ccf", learner)
    candidacies = list(
        learner.candidacies.select_related("session__referentiel").prefetch_related(
            "ccf_situations__assessor"
        )
    )
    if request.method == "POST":
        access.require(request.user, "livret.run_ccf", learner)
        candidate = get_object_or_404(
            learner.candidacies.select_related("session__referentiel"),
            pk=id_param(request.POST, "candidate"),
        )
        try:
            held_on = datetime.date.fromisoformat(request.POST.get("held_on", ""))
        except ValueError:
            messages.error(request, "Date de la situation invalide (AAAA-MM-JJ).")
            return redirect("learner_ccf", learner.pk)
        try:
            situation = ccf.plan(
                candidate,
                request.POST.get("unit", ""),
                held_on,
                request.POST.get("place", ""),
                request.POST.get("professional", ""),
                request.user,
            )
            messages.success(request, f"Situation prévue : {situation}.")
            return redirect("ccf_situation", situation.pk)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
            return redirect("learner_ccf", learner.pk)
    sessions = []
    for c in candidacies:
        situations = list(c.ccf_situations.all())
        sessions.append(
            {
                "candidate": c,
                "epreuves": [
                    {**e, "planned": [s for s in situations if s.unit == e["unit"]]}
                    for e in ccf.ccf_epreuves(c)
                ],
            }
        )
    return render(
        request,
        "exams/ccf_learner.html",
        {
            "learner": learner,
            "sessions": sessions,
            "can_run": can_run,
            "today": timezone.localdate(),
        },
    )


def _report(request, s) -> str:
    ccf.report(s, request.user)
    return f"Note de {s.unit} reportée dans la session."


def _grid(propose: bool):
    """Save the situation's grid, or save it and propose its grade to the exam office."""

    def run(request, s):
        texts = [request.POST.get(f"c{i}", "") for i in range(len(s.appreciations))]
        try:
            ccf.save_grid(
                s,
                texts,
                request.POST.get("grade", ""),
                request.POST.get("comment", ""),
                propose=propose,
            )
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                raise
            # Every problem beside its field, what was typed kept, nothing saved.
            # (the summary above the form says it: no banner message besides)
            for i, a in enumerate(s.appreciations):
                a["text"] = texts[i]
            s.comment = request.POST.get("comment", "")
            return _situation_page(request, s, exc.message_dict)
        return "Note proposée au service des examens." if propose else "Grille enregistrée."

    return run


def _learner_of(s):
    return s.candidate.learner


# Each posted action: the rule that allows it, on what, and the one service it calls.
SITUATION_ACTIONS = {
    "save": Action(_grid(propose=False), rule="livret.run_ccf", on=_learner_of),
    "propose": Action(_grid(propose=True), rule="livret.run_ccf", on=_learner_of),
    "report": Action(_report, rule="livret.manage_exam_session", on=lambda s: s.candidate.session),
}


@require_http_methods(["GET", "POST"])
def situation(request, pk):
    s = scopes.get_ccf_situation_for_user(request.user, pk)
    if request.method == "POST":
        done = perform(request, SITUATION_ACTIONS, request.POST.get("action", "save"), s)
        return done or redirect("ccf_situation", s.pk)
    return _situation_page(request, s)


def _situation_page(request, s, errors=None):
    learner, session = s.candidate.learner, s.candidate.session
    can_run = learner is not None and access.can(request.user, "livret.run_ccf", learner)
    can_report = access.can(request.user, "livret.manage_exam_session", session)
    return render(
        request,
        "exams/ccf_situation.html",
        {
            "s": s,
            "session": session,
            "learner": learner,
            "can_run": can_run and not session.locked and not s.reported_at,
            "can_report": can_report and not session.locked,
            "typed_grade": request.POST.get("grade") if errors else None,
            "errors": errors or {},
        },
        status=400 if errors else 200,
    )


def convocation(request, pk):
    s = scopes.get_ccf_situation_for_user(request.user, pk)
    if s.candidate.learner:
        log_access(request, s.candidate.learner, f"convocation CCF {s.unit}")
    exam = ccf.exams_by_unit(s.candidate.session).get(s.unit, {})
    return pdf_response(
        request,
        "exams/ccf_convocation.html",
        {"s": s, "exam": exam, "today": timezone.localdate()},
        f"convocation-{s.unit}-{s.candidate.number}.pdf",
    )


def session_ccf(request, pk):
    """The exam office's view: every situation of the session, the proposed grades to report."""
    session = scopes.get_exam_session_for_user(request.user, pk)
    situations = (
        CcfSituation.objects.filter(candidate__session=session)
        .select_related("candidate", "assessor")
        .order_by("unit", "candidate__number", "number")
    )
    return render(
        request,
        "exams/ccf_session.html",
        {
            "session": session,
            "situations": situations,
            "can_report": access.can(request.user, "livret.manage_exam_session", session)
            and not session.locked,
        },
    )
