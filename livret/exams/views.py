"""Exam pages: sessions, the deliberation page, candidates, grade entry and import, minutes."""

from __future__ import annotations

import base64

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from livret import access, exports
from livret.engine import jury
from livret.jobs import services as jobs
from livret.referentiels.models import Bloc
from livret.tables import MAX_BYTES
from livret.web.params import id_param, key_parts, parse_id
from livret.web.pdf import pdf_response

from . import families, importer, printing, scopes, services, titre
from .models import ExamSession


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
    return render(request, "exams/session_list.html", {"sessions": sessions})


def deliberation(request, pk):
    session = _session(request, pk)
    family = families.of(session)
    rows = family.results(session)
    wanted = request.GET.get("decision", "")
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
            "can_manage": access.can(request.user, "livret.manage_exam_session", session),
            "large": len(rows) > printing.LARGE_SESSION,
            "cohorts": session.organiser.cohorts.filter(
                referentiel__diploma=session.referentiel.diploma
            ),
        },
    )


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


@require_POST
def candidate_update(request, pk, cid):
    session = _session(request, pk)
    _manage(request, session)
    c = get_object_or_404(session.candidates, pk=cid)
    action = request.POST.get("action")
    if action not in families.of(session).actions:  # e.g. grades for a titre: nothing to do
        return redirect("exam_candidate", session.pk, c.pk)
    try:
        if action == "grades":
            typed = {
                key: raw
                for key, raw in request.POST.items()
                if key.startswith("grade-") or key.startswith("control-")
            }
            entries = {
                (key.split("-", 1)[1], key.startswith("control-")): raw
                for key, raw in typed.items()
            }
            try:
                services.set_grades(c, entries, request.user)
            except ValidationError as exc:
                if not hasattr(exc, "error_dict"):
                    raise
                errors = exc.message_dict
                messages.error(
                    request,
                    f"Aucune note enregistrée : {len(errors)} valeur(s) à corriger, signalée(s) à côté de chaque épreuve.",
                )
                return _candidate_page(request, session, c, typed, errors, status=400)
            messages.success(request, "Notes enregistrées.")
        elif action == "dispense":
            services.add_dispensation(
                c, request.POST.get("unit", ""), request.POST.get("ground", ""), request.user
            )
            messages.success(request, "Dispense enregistrée.")
        elif action == "optional":
            services.set_optional_units(c, request.POST.getlist("optional"))
            messages.success(request, "Unités facultatives enregistrées.")
        elif action == "report":
            services.set_report_date(c, request.POST.get("report_submitted_on") or "")
            messages.success(request, "Date de dépôt du rapport enregistrée.")
        elif action == "carry":
            n = services.apply_carried_grades(c, request.user)
            messages.success(request, f"{n} note(s) reportée(s) au titre du bénéfice des notes.")
        elif action == "jury":
            services.record_jury_decision(
                session,
                c,
                request.POST.get("decision", ""),
                request.POST.get("reason", ""),
                request.user,
            )
            messages.success(request, "Décision du jury enregistrée.")
        elif action == "ccp":
            codes = titre.scheme_for(session).ccps
            typed = {k: v for k, v in request.POST.items() if k.startswith(("ccp-", "comment-"))}
            entries = {
                code: (typed.get(f"ccp-{code}", ""), typed.get(f"comment-{code}", ""))
                for code in codes
                if f"ccp-{code}" in typed
            }
            try:
                n = titre.set_decisions(c, entries, request.user)
            except ValidationError as exc:
                if not hasattr(exc, "error_dict"):
                    raise
                messages.error(
                    request,
                    f"Aucune décision enregistrée : {len(exc.message_dict)} CCP à corriger.",
                )
                return _candidate_page(request, session, c, typed, exc.message_dict, status=400)
            messages.success(request, f"Décisions du jury enregistrées ({n} CCP modifié(s)).")
        elif action == "earlier":
            n = titre.apply_earlier(c, request.user)
            messages.success(request, f"{n} CCP acquis lors d'une session précédente repris.")
    except ValidationError as exc:
        for m in exc.messages:
            messages.error(request, m)
    return redirect("exam_candidate", session.pk, c.pk)


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


@require_POST
def sign(request, pk):
    session = _session(request, pk)
    _manage(request, session)
    try:
        d = services.sign_minutes(session, request.user)
        what = families.of(session).locked_what
        messages.success(
            request,
            f"Procès-verbal de la délibération n° {d.number} signé : les {what} sont verrouillées.",
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return redirect("exam_deliberation", session.pk)


@require_POST
def reopen(request, pk):
    session = _session(request, pk)
    _manage(request, session)
    try:
        d = services.open_deliberation(session, request.user, request.POST.get("reason", ""))
        messages.success(
            request, f"Délibération n° {d.number} ouverte ; la précédente reste au procès-verbal."
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return redirect("exam_deliberation", session.pk)


@require_http_methods(["GET", "POST"])
def grades_import(request, pk):
    session = _session(request, pk)
    _manage(request, session)
    if no_grades := families.of(session).no_grades:
        messages.info(request, no_grades)
        return redirect("exam_deliberation", session.pk)
    context = {"session": session, "locked": session.locked}
    if request.method == "POST":
        if request.POST.get("confirm"):
            raw = base64.b64decode(request.POST.get("payload", ""))
            filename = request.POST.get("filename", "notes.csv")
            try:
                n = importer.apply(session, raw, filename, request.user)
                messages.success(request, f"{n} note(s) importée(s).")
                return redirect("exam_deliberation", session.pk)
            except (importer.ImportError_, ValidationError) as exc:
                messages.error(
                    request, str(exc) if isinstance(exc, importer.ImportError_) else exc.messages[0]
                )
        upload = request.FILES.get("file")
        if upload is not None:
            raw = upload.read(MAX_BYTES + 1)
            context.update(
                preview=importer.preview(session, raw, upload.name),
                payload=base64.b64encode(raw).decode(),
                filename=upload.name,
            )
    return render(request, "exams/import.html", context)


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
