"""Exam pages: sessions, the deliberation page, candidates, grade entry and import, minutes."""

from __future__ import annotations

import base64
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import capfirst
from django.views.decorators.http import require_http_methods, require_POST

from livret import access, exports
from livret.engine import jury
from livret.jobs import services as jobs
from livret.referentiels.models import Bloc
from livret.tables import MAX_BYTES, ImportError_, read_table
from livret.web.actions import Action, perform
from livret.web.forms import style
from livret.web.params import id_param, key_parts, parse_id
from livret.web.pdf import pdf_response

from . import families, importer, printing, scopes, services, titre
from .forms import SessionForm
from .models import Candidate, ExamSession


def _session(request, pk) -> ExamSession:
    return scopes.get_exam_session_for_user(request.user, pk)


def _manage(request, session):
    access.require(request.user, "livret.manage_exam_session", session)


_units = printing.units


def session_list(request):
    access.require_role(request.user, access.is_exam_admin | access.is_manager | access.is_admin)
    sessions = scopes.visible_exam_sessions(request.user).select_related(
        "referentiel__diploma", "organiser"
    )
    return render(
        request,
        "exams/session_list.html",
        {"sessions": sessions, "can_create": access.is_exam_admin(request.user)},
    )


@require_http_methods(["GET", "POST"])
def session_new(request):
    """The centre's exam office opens a session: a mock exam freely, an official one citing its
    jury's minutes; the cohorts are registered on the session's page next."""
    access.require_role(request.user, access.is_exam_admin | access.is_manager | access.is_admin)
    if not access.is_exam_admin(request.user):
        raise PermissionDenied  # the centre's exam office opens its sessions
    centre = access.centre_of(request.user)
    form = SessionForm(request.POST or None, centre=centre)
    if request.method == "POST" and form.is_valid():
        session = services.create_session(form, centre, request.user)
        messages.success(
            request,
            f"Session « {session.name} » créée. Inscrivez maintenant une promotion.",
        )
        return redirect("exam_deliberation", session.pk)
    return render(
        request,
        "exams/session_form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def session_edit(request, pk):
    session = _session(request, pk)
    _manage(request, session)
    try:
        services.check_edit(session)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("exam_deliberation", session.pk)
    form = SessionForm(request.POST or None, instance=session, centre=session.organiser)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_session(form, request.user)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, "Session modifiée.")
        return redirect("exam_deliberation", session.pk)
    return render(
        request,
        "exams/session_form.html",
        {"form": form, "session": session},
        status=400 if form.errors else 200,
    )


def _close(request, session):
    services.close_session(session, request.user)
    return "Session clôturée : elle reste consultable, plus rien n'y change."


def deliberation(request, pk):
    session = _session(request, pk)
    family = families.of(session)
    rows = family.results(session)
    wanted = request.GET.get("decision", "")
    can_manage = access.can(request.user, "livret.manage_exam_session", session)
    return render(
        request,
        family.deliberation_template,
        {
            "session": session,
            **family.deliberation_context(session, rows, wanted),
            "total": len(rows),
            "wanted": wanted,
            "current": session.current_deliberation(),
            "history": list(session.deliberations.all()),
            "can_manage": can_manage,
            "session_actions": services.deliberation_actions(session) if can_manage else [],
            "large": len(rows) > printing.LARGE_SESSION,
            **_cohorts_to_register(session, request.GET.get("promotion", "").strip()),
        },
    )


COHORTS_LISTED = 30


def _cohorts_to_register(session, text: str) -> dict:
    """The cohorts the drop-down offers: the organiser's, of the session's diploma, in training
    during the session's year (or with their exam in it); by name when there are more than
    COHORTS_LISTED (a centre of 10,000 learners has hundreds of cohorts: one drop-down of 334
    was neither usable nor light)."""
    year = session.year
    cohorts = (
        session.organiser.cohorts.filter(referentiel__diploma_id=session.referentiel.diploma_id)
        .filter(
            Q(start_year__lt=year, start_year__gte=year - F("duration_years"))
            | Q(exam_date__year=year)
        )
        .only("name", "centre_id")
        .order_by("name")
    )
    if text:
        cohorts = cohorts.filter(name__icontains=text)
    shown = list(cohorts[: COHORTS_LISTED + 1])
    return {
        "cohorts": shown[:COHORTS_LISTED],
        "cohorts_more": len(shown) > COHORTS_LISTED,
        "cohort_search": text,
    }


def export_csv(request, pk):
    session = _session(request, pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="resultats-{session.year}-{session.referentiel.diploma.slug}.csv"'
    )
    response.write("\ufeff")  # Excel opens UTF-8 CSV correctly with a BOM
    families.of(session).write_csv(session, exports.CsvWriter(response))
    return response


def candidate(request, pk, cid):
    session = _session(request, pk)
    c = get_object_or_404(services.candidates_qs(session), pk=cid)
    return _candidate_page(request, session, c)


def _candidate_page(request, session, c, typed=None, errors=None, status=200):
    """The candidate's page; after a refused save, what was typed and its errors."""
    typed, errors = typed or {}, errors or {}
    family = families.of(session)
    return render(
        request,
        family.candidate_template,
        {
            "session": session,
            "c": c,
            **family.candidate_context(session, c, typed, errors),
            "can_manage": access.can(request.user, "livret.manage_exam_session", session)
            and not session.locked,
            "errors": errors,
        },
        status=status,
    )


def _grades(request, at):
    typed = {
        key: raw
        for key, raw in request.POST.items()
        if key.startswith("grade-") or key.startswith("control-")
    }
    entries = {
        (key.split("-", 1)[1], key.startswith("control-")): raw for key, raw in typed.items()
    }
    try:
        services.set_grades(at.c, entries, request.user)
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        errors = exc.message_dict
        messages.error(
            request,
            f"Aucune note enregistrée : {len(errors)} valeur(s) à corriger, signalée(s) à côté de chaque épreuve.",
        )
        return _candidate_page(request, at.session, at.c, typed, errors, status=400)
    return "Notes enregistrées."


def _dispense(request, at):
    services.add_dispensation(
        at.c, request.POST.get("unit", ""), request.POST.get("ground", ""), request.user
    )
    return "Dispense enregistrée."


def _optional(request, at):
    services.set_optional_units(at.c, request.POST.getlist("optional"))
    return "Unités facultatives enregistrées."


def _report(request, at):
    services.set_report_date(at.c, request.POST.get("report_submitted_on") or "")
    return "Date de dépôt du rapport enregistrée."


def _carry(request, at):
    n = services.apply_carried_grades(at.c, request.user)
    return f"{n} note(s) reportée(s) au titre du bénéfice des notes."


def _jury(request, at):
    services.record_jury_decision(
        at.session,
        at.c,
        request.POST.get("decision", ""),
        request.POST.get("reason", ""),
        request.user,
    )
    return "Décision du jury enregistrée."


def _ccp(request, at):
    codes = titre.scheme_for(at.session).ccps
    typed = {k: v for k, v in request.POST.items() if k.startswith(("ccp-", "comment-"))}
    entries = {
        code: (typed.get(f"ccp-{code}", ""), typed.get(f"comment-{code}", ""))
        for code in codes
        if f"ccp-{code}" in typed
    }
    try:
        n = titre.set_decisions(at.c, entries, request.user)
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        messages.error(
            request, f"Aucune décision enregistrée : {len(exc.message_dict)} CCP à corriger."
        )
        return _candidate_page(request, at.session, at.c, typed, exc.message_dict, status=400)
    return f"Décisions du jury enregistrées ({n} CCP modifié(s))."


def _earlier(request, at):
    n = titre.apply_earlier(at.c, request.user)
    return f"{n} CCP acquis lors d'une session précédente repris."


@dataclass(frozen=True)
class _At:
    session: ExamSession
    c: Candidate


def _managed(fn) -> Action:
    return Action(fn, rule="livret.manage_exam_session", on=lambda at: at.session)


# action posted on a candidate's page → what it does, for whoever manages the session; the
# session's family says which of them its pages offer (families.Family.actions)
CANDIDATE_ACTIONS = {
    "grades": _managed(_grades),
    "dispense": _managed(_dispense),
    "optional": _managed(_optional),
    "report": _managed(_report),
    "carry": _managed(_carry),
    "jury": _managed(_jury),
    "ccp": _managed(_ccp),
    "earlier": _managed(_earlier),
}


@require_POST
def candidate_update(request, pk, cid):
    session = _session(request, pk)
    _manage(request, session)
    c = get_object_or_404(session.candidates, pk=cid)
    action = request.POST.get("action")
    if action not in families.of(session).actions:  # e.g. grades for a titre
        action = None
    page = perform(request, CANDIDATE_ACTIONS, action, _At(session, c))
    return page or redirect("exam_candidate", session.pk, c.pk)


@require_POST
def register(request, pk):
    session = _session(request, pk)
    _manage(request, session)
    # Any cohort of the session's own centre (exam administrators teach none of them).
    cohort = get_object_or_404(session.organiser.cohorts.all(), pk=id_param(request.POST, "cohort"))
    try:
        n = services.register_cohort(session, cohort, request.user)
        messages.success(request, f"{n} candidat(s) inscrit(s) depuis {cohort}.")
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return redirect("exam_deliberation", session.pk)


def _sign(request, session):
    d = services.sign_minutes(session, request.user)
    what = families.of(session).locked_what
    return f"Procès-verbal de la délibération n° {d.number} signé : les {what} sont verrouillées."


def _reopen(request, session):
    d = services.open_deliberation(session, request.user, request.POST.get("reason", ""))
    return f"Délibération n° {d.number} ouverte ; la précédente reste au procès-verbal."


# the deliberation's steps, each at its own address (engine/deliberation_flow says when)
DELIBERATION_ACTIONS = {
    "sign": Action(_sign, rule="livret.manage_exam_session"),
    "reopen": Action(_reopen, rule="livret.manage_exam_session"),
    "close": Action(_close, rule="livret.manage_exam_session"),
}


@require_POST
def sign(request, pk):
    session = _session(request, pk)
    perform(request, DELIBERATION_ACTIONS, "sign", session)
    return redirect("exam_deliberation", session.pk)


@require_POST
def reopen(request, pk):
    session = _session(request, pk)
    perform(request, DELIBERATION_ACTIONS, "reopen", session)
    return redirect("exam_deliberation", session.pk)


@require_POST
def close(request, pk):
    session = _session(request, pk)
    perform(request, DELIBERATION_ACTIONS, "close", session)
    return redirect("exam_deliberation", session.pk)


class GradesFileForm(forms.Form):
    """The grade import's upload (web/forms): a missing, unreadable or too large file is said
    beside it; the bytes and the table read are kept for the preview."""

    file = forms.FileField(
        label="Fichier de notes",
        help_text=f"CSV (séparateur ; ou ,) ou XLSX, {MAX_BYTES // 1024 // 1024} Mo au plus.",
        error_messages={"required": "Choisissez un fichier CSV ou XLSX."},
        widget=forms.FileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.raw = upload.read(MAX_BYTES + 1)
        try:
            self.table = read_table(self.raw, upload.name)
        except ImportError_ as exc:
            raise forms.ValidationError(capfirst(str(exc)) + ".") from None
        return upload


@require_http_methods(["GET", "POST"])
def grades_import(request, pk):
    session = _session(request, pk)
    _manage(request, session)
    if no_grades := families.of(session).no_grades:
        messages.info(request, no_grades)
        return redirect("exam_deliberation", session.pk)
    confirm = request.method == "POST" and request.POST.get("confirm")
    form = GradesFileForm(
        request.POST if request.method == "POST" and not confirm else None,
        request.FILES or None,
    )
    context = {"session": session, "locked": session.locked, "form": form}
    if confirm:
        raw = base64.b64decode(request.POST.get("payload", ""))
        filename = request.POST.get("filename", "notes.csv")
        try:
            n = importer.apply(session, raw, filename, request.user)
        except (importer.ImportError_, ValidationError) as exc:
            # Beside the file and in the summary: nothing saved, the file to choose again.
            said = str(exc) if isinstance(exc, importer.ImportError_) else exc.messages[0]
            form.cleaned_data = {}  # the upload form is unbound here: add_error needs it
            form.add_error(
                "file", f"{capfirst(said.rstrip('.'))}. Choisissez de nouveau le fichier."
            )
        else:
            messages.success(request, f"{n} note(s) importée(s).")
            return redirect("exam_deliberation", session.pk)
    elif request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        context.update(
            preview=importer.preview_table(session, form.table),
            payload=base64.b64encode(form.raw).decode(),
            filename=upload.name,
        )
    return render(request, "exams/import.html", context, status=400 if form.errors else 200)


# --- PDFs --------------------------------------------------------------------------------------
_pdf = pdf_response


def minutes_pdf(request, pk, number=None):
    session = _session(request, pk)
    family = families.of(session)
    return _pdf(
        request,
        family.minutes_template,
        family.minutes_context(session, number),
        f"pv-{session.year}-{session.referentiel.diploma.slug}.pdf",
    )


def transcript_pdf(request, pk, cid):
    session = _session(request, pk)
    c = get_object_or_404(services.candidates_qs(session), pk=cid)
    family = families.of(session)
    context = family.transcript_context(session, c)
    return _pdf(request, family.transcript_template, context, f"releve-{c.number}.pdf")


@require_POST
def minutes_job(request, pk, number=None):
    """The PV of a large session, made in the background (see printing.LARGE_SESSION)."""
    session = _session(request, pk)
    job = jobs.start(
        request.user,
        session.organiser,
        "session_minutes",
        f"Procès-verbal{f' n° {number}' if number else ''} — {session}",
        {"session": session.pk, "number": number},
    )
    return redirect("job", pk=job.pk)


@require_POST
def session_documents(request, pk):
    """The PV and every candidate's relevé as one ZIP: long work for a large session."""
    session = _session(request, pk)
    _manage(request, session)
    job = jobs.start(
        request.user,
        session.organiser,
        "session_documents",
        f"PV et relevés de notes — {session}",
        {"session": session.pk},
    )
    return redirect("job", pk=job.pk)


def blocs_attestation_pdf(request, pk, cid):
    """For a failed candidate: the blocs de compétences whose units he passed with ≥ 10."""
    session = _session(request, pk)
    c = get_object_or_404(services.candidates_qs(session), pk=cid)
    if no_blocs := families.of(session).no_blocs_attestation:
        messages.info(request, no_blocs)
        return redirect("exam_candidate", session.pk, c.pk)
    row = services.results(session, [c])[0]
    passed_units = {
        u for u, g in row.grades.items() if g.hundredths is not None and g.hundredths >= 1000
    }
    for u, g in row.control.items():
        if g.hundredths is not None and g.hundredths >= 1000:
            passed_units.add(u)
    blocs = [
        b
        for b in Bloc.objects.filter(
            referentiel=session.referentiel, optional=False
        ).select_related("unit")
        if b.unit and b.unit.code in passed_units
    ]
    if row.final != jury.FAILED:
        messages.error(request, "L'attestation de blocs est délivrée aux candidats ajournés.")
        return redirect("exam_candidate", session.pk, c.pk)
    return _pdf(
        request,
        "exams/blocs.html",
        {
            "session": session,
            "c": c,
            "blocs": blocs,
            "grades": row.grades,
            "today": timezone.localdate(),
        },
        f"attestation-blocs-{c.number}.pdf",
    )


@require_http_methods(["GET", "POST"])
def grades_grid(request, pk):
    """Every candidate × every compulsory unit on one page: type or paste a column of grades."""
    session = _session(request, pk)
    _manage(request, session)
    if no_grades := families.of(session).no_grades:
        messages.info(request, no_grades)
        return redirect("exam_deliberation", session.pk)
    compulsory, _ = _units(session)
    candidates = list(services.candidates_qs(session).order_by("number"))
    typed, errors = {}, {}
    if request.method == "POST":
        typed = {k: v for k, v in request.POST.items() if k.startswith("g-")}
        entries = {}
        for key, raw in typed.items():
            cid, unit = key_parts(key, "g", 2)  # g-<candidate>-<unit>
            entries[(parse_id(cid, key), unit)] = raw
        try:
            n = services.set_session_grades(session, entries, request.user)
            messages.success(request, f"{n} note(s) enregistrée(s).")
            return redirect("exam_grades", session.pk)
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                messages.error(request, exc.messages[0])
                return redirect("exam_deliberation", session.pk)
            errors = exc.message_dict
            messages.error(
                request,
                f"Aucune note enregistrée : {len(errors)} valeur(s) à corriger, signalée(s) dans la grille.",
            )
    rows = []
    for c in candidates:
        grades = {g.unit: g for g in c.grades.all() if not g.control}
        dispensed = {d.unit for d in c.dispensations.all()}
        cells = []
        for u in compulsory:
            name = f"g-{c.pk}-{u.code}"
            cells.append(
                {
                    "name": name,
                    "unit": u.code,
                    "dispensed": u.code in dispensed,
                    "value": typed.get(name, grades[u.code].display if u.code in grades else ""),
                    "errors": errors.get(name),
                }
            )
        rows.append({"c": c, "cells": cells})
    return render(
        request,
        "exams/grades_grid.html",
        {"session": session, "units": compulsory, "rows": rows, "errors": errors},
        status=400 if errors else 200,
    )


def grades_template(request, pk):
    """A CSV to fill in a spreadsheet: the session's candidates, one column per unit."""
    session = _session(request, pk)
    _manage(request, session)
    compulsory, optional = _units(session)
    units = [u.code for u in compulsory + optional]
    rows = [["numero", "nom", "prenom", *units]]
    for c in services.candidates_qs(session).order_by("number"):
        grades = {g.unit: g.display for g in c.grades.all() if not g.control}
        rows.append([c.number, c.last_name, c.first_name, *[grades.get(u, "") for u in units]])
    response = HttpResponse(
        "\ufeff" + exports.csv_text(rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="notes-{session.pk}.csv"'
    return response
