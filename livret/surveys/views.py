"""Satisfaction questionnaires: the manager builds and sends them and reads the results; the
learners or tutors asked answer them, anonymously."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from livret import access, exports
from livret.engine import survey_flow
from livret.engine import surveys as engine
from livret.web.actions import Action, perform

from . import queries, scopes, services
from .forms import SurveyForm


@require_http_methods(["GET", "POST"])
def surveys(request):
    """The manager's questionnaires (and a new one); a learner's or tutor's invitations."""
    if (
        access.is_learner(request.user)
        or access.is_tutor(request.user)
        or access.is_trainer(request.user)
    ):
        invitations = scopes.visible_survey_invitations(request.user).select_related(
            "survey", "cohort", "participation"
        )
        return render(request, "surveys/mine.html", {"invitations": invitations})
    centre = access.get_centre_for_user(request.user)  # a manager's page; 404 for others
    form = SurveyForm(request.POST or None, cohorts=access.visible_cohorts(request.user))
    if request.method == "POST" and form.is_valid():
        survey = services.save(form, centre, request.user)
        messages.success(request, f"Questionnaire « {survey} » créé : relisez-le, puis envoyez-le.")
        return redirect("survey", survey.pk)
    items = scopes.visible_surveys(request.user).prefetch_related("cohorts")
    return render(
        request,
        "surveys/list.html",
        {"surveys": items, "form": form, "defaults": form.fields["questions_text"].initial},
        status=400 if form.errors else 200,
    )


def _send(request, survey):
    n = services.send(survey, by=request.user)
    return f"Questionnaire envoyé à {n} destinataire(s)."


def _remind(request, survey):
    n = services.remind(survey)
    # A number only: who has not answered stays the system's to know.
    return f"Rappel envoyé par courriel aux {n} personne(s) sans réponse."


def _close(request, survey):
    services.close(survey, by=request.user)
    return "Questionnaire clos : plus aucune réponse n'est reçue."


def _save(request, survey):
    services.check_survey(survey, "save")  # a sent questionnaire: its form is not read at all
    form = SurveyForm(request.POST, instance=survey, cohorts=access.visible_cohorts(request.user))
    if not form.is_valid():
        return _survey_page(request, survey, form)
    services.save(form, survey.centre, request.user)
    return "Questionnaire enregistré."


# action posted → what it does (fetching the questionnaire for this manager was the right); the
# questionnaire's own form posts no action: « save »
SURVEY_ACTIONS = {
    "send": Action(_send),
    "remind": Action(_remind),
    "close": Action(_close),
    "save": Action(_save),
}


@require_http_methods(["GET", "POST"])
def survey(request, pk):
    survey = scopes.get_survey_for_user(request.user, pk)
    if request.method == "POST":
        page = perform(request, SURVEY_ACTIONS, request.POST.get("action") or "save", survey)
        return page or redirect("survey", survey.pk)
    return _survey_page(request, survey)


def _survey_page(request, survey, form=None):
    if form is None and survey_flow.may(services.survey_state(survey), "save"):
        form = SurveyForm(instance=survey, cohorts=access.visible_cohorts(request.user))
    rows, together = queries.results(survey) if survey.sent_at else ([], None)
    answers = sum(r.result.respondents for r in rows)
    return render(
        request,
        "surveys/detail.html",
        {
            "survey": survey,
            "form": form,
            "rows": rows,
            "together": together,
            "answers": answers,
            "minimum": engine.MIN_RESPONDENTS,
            "account_days": engine.ACCOUNT_AGE.days,
            "scale": engine.SCALE_LABELS,
        },
        status=400 if form is not None and form.errors else 200,
    )


def survey_export(request, pk, fmt):
    survey = scopes.get_survey_for_user(request.user, pk)
    rows = queries.export_rows(survey)
    name = f"questionnaire-{survey.pk}"
    if fmt == "csv":
        response = HttpResponse(
            "\ufeff" + exports.csv_text(rows), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    if fmt != "xlsx":
        raise Http404
    from openpyxl import Workbook

    wb = Workbook()
    sheet = wb.active
    sheet.title = "Résultats"
    for row in rows:
        exports.append_row(sheet, row)
    response = HttpResponse(
        exports.xlsx_bytes(wb),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


@require_http_methods(["GET", "POST"])
def survey_answer(request, pk):
    invitation = scopes.get_survey_invitation_for_user(request.user, pk)
    survey = invitation.survey
    questions = survey.parsed
    typed, errors = {}, {}
    if request.method == "POST" and not invitation.answered:
        typed = {i: request.POST.get(f"q{i}", "") for i in range(len(questions))}
        try:
            services.answer(invitation, typed)
            messages.success(request, "Merci : vos réponses sont enregistrées, sans votre nom.")
            return redirect("surveys")
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                # Each beside its question and in the page's summary (web/forms' way).
                errors = {k: v[0] for k, v in exc.message_dict.items()}
            else:
                messages.error(request, exc.messages[0])
                return redirect("surveys")
    items = services.answer_items(questions, typed, errors)
    return render(
        request,
        "surveys/answer.html",
        {
            "invitation": invitation,
            "survey": survey,
            "items": items,
            "errors": errors,
            "scale": engine.SCALE_LABELS,
            "yes_no": engine.YES_NO_LABELS,
            "minimum": engine.MIN_RESPONDENTS,
        },
        status=400 if errors else 200,
    )
