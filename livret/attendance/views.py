"""Attendance pages, phone first: the trainer's sessions, the roll call, the code shown in the
room, the learner's « Signer ma présence », a learner's attendance. Rights: scopes (who sees,
else 404) and scopes.marks_session (who calls the roll, else 403)."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from livret import access, exports
from livret.engine import attendance as rules
from livret.jobs import services as jobs
from livret.web import throttle
from livret.web.pdf import pdf_response

from . import documents, forms, ics, qr, queries, scopes, services
from .models import AbsenceReason, Attendance, Justification, Session, WeeklyPattern


@login_required
@require_GET
def my_sessions(request):
    """« Mes séances »: today's first, then the coming ones, then the last past ones."""
    today = timezone.localdate()
    qs = scopes.visible_sessions(request.user).select_related("cohort", "module", "signature")
    return render(
        request,
        "attendance/sessions.html",
        {
            "today": list(qs.filter(date=today)),
            "coming": list(qs.filter(date__gt=today)[:20]),
            "past": list(qs.filter(date__lt=today).order_by("-date", "-start")[:20]),
            "is_learner": access.is_learner(request.user),
            "calls_roll": access.is_manager(request.user) or access.is_trainer(request.user),
            "is_manager": access.is_manager(request.user),
            # The cohorts whose timetable the user plans (manager) or reads (trainer).
            "cohorts": (
                list(access.visible_cohorts(request.user).only("pk", "name")[:50])
                if access.is_manager(request.user) or access.is_trainer(request.user)
                else []
            ),
            # The feed's address is a credential: shown to its owner only, on his own page.
            "ics_url": (
                request.build_absolute_uri(
                    reverse("attendance_ics", args=[services.feed_of(request.user).token])
                )
                if scopes.has_feed(request.user)
                else None
            ),
        },
    )


def _markable(request, pk):
    return scopes.get_markable_session(request.user, pk)


@login_required
def roll_call(request, pk):
    session = _markable(request, pk)
    errors = []
    if request.method == "POST":
        marks = {}
        for key, value in request.POST.items():
            if key.startswith("s-"):
                try:
                    lid = int(key[2:])
                except ValueError:
                    continue
                marks[lid] = (value, request.POST.get(f"m-{lid}", 0))
        try:
            if request.POST.get("correct"):
                # A signed sheet changes only by a correction with its reason (who, when).
                row = Attendance.objects.get(session=session, pk=int(request.POST["correct"]))
                services.correct(
                    row,
                    request.user,
                    request.POST.get("status", ""),
                    request.POST.get("minutes", 0),
                    request.POST.get("reason", ""),
                )
                messages.success(request, "Correction enregistrée.")
            elif request.POST.get("device"):
                learner = services.expected_learners(session).get(pk=int(request.POST["device"]))
                services.sign_on_device(session, learner, request.user)
                messages.success(request, f"{learner.first_name} {learner.last_name} a signé.")
            else:
                services.call_roll(
                    session, request.user, marks, sign=bool(request.POST.get("sign"))
                )
                messages.success(
                    request,
                    "Feuille signée." if request.POST.get("sign") else "Appel enregistré.",
                )
            return redirect("attendance_roll_call", session.pk)
        except (ValidationError, ValueError) as exc:
            errors = getattr(exc, "messages", [str(exc)])
        except Exception as exc:  # learner not expected
            if exc.__class__.__name__ != "DoesNotExist":
                raise
            errors = ["Cet apprenant n'est pas attendu à cette séance."]
    # What was typed stays in the correction form that failed.
    typed = request.POST if errors and request.POST.get("correct") else {}
    rows = queries.roll(session)
    signature = queries.signature(session)
    return render(
        request,
        "attendance/roll_call.html",
        {
            "session": session,
            "rows": rows,
            "signature": signature,
            "statuses": Attendance.STATUSES,
            "errors": errors,
            "minutes": rules.format_minutes(session.minutes),
            "typed": typed,
            # The correction that failed stays open (its mark's id, as the form posted it).
            "open_correction": typed.get("correct", "") if typed else "",
            "corrections": queries.corrections(session) if signature else [],
        },
        status=400 if errors else 200,
    )


@login_required
@require_GET
def session_code(request, pk):
    session = _markable(request, pk)
    code = services.current_code(session)
    return render(
        request,
        "attendance/code.html",
        {"session": session, "code": code, "qr": qr.svg(request, session, code)},
    )


@login_required
@require_GET
def session_code_json(request, pk):
    session = _markable(request, pk)
    code = services.current_code(session)
    response = JsonResponse({"code": code, "qr": qr.svg(request, session, code)})
    response["Cache-Control"] = "no-store"
    return response


@login_required
def sign_presence(request, pk):
    """The learner signs his presence with the code shown in the room."""
    if not access.is_learner(request.user):
        raise Http404
    session = scopes.get_session_for_user(request.user, pk)
    learner = request.user.learner
    error, done = None, None
    if request.method == "POST":
        # A six-digit code: a learner not in the room may not try them all (livret.web.throttle).
        if not throttle.allowed(request, "attendance_sign", who=f"user-{request.user.pk}"):
            return throttle.refused(request, "attendance_sign")
        try:
            services.sign_with_code(session.pk, learner, request.POST.get("code", ""))
            messages.success(request, "Présence signée. Merci !")
            return redirect("attendance_sign", session.pk)
        except ValidationError as exc:
            error = exc.messages[0]
    done = Attendance.objects.filter(
        session=session, learner=learner, signed_at__isnull=False
    ).first()
    # Opened from the QR code: the code is typed in already (digits only, never echoed else).
    typed = "".join(
        ch for ch in request.POST.get("code", request.GET.get("code", ""))[:7] if ch.isdigit()
    )
    return render(
        request,
        "attendance/sign.html",
        {"session": session, "error": error, "done": done, "typed": typed},
        status=400 if error else 200,
    )


@login_required
@require_GET
def learner_attendance(request, pk):
    learner = access.get_learner_for_user(request.user, pk)
    data = queries.learner_summary(learner)
    return render(
        request,
        "attendance/learner.html",
        {
            "learner": learner,
            "may_send": access.can(request.user, "livret.send_justification", learner),
            **data,
        },
    )


@login_required
@require_GET
def sheet_pdf(request, pk):
    """The émargement sheet of a session (its trainer and his centre's manager)."""
    session = _markable(request, pk)
    return pdf_response(
        request,
        "attendance/sheet_pdf.html",
        documents.sheet_context(session),
        f"emargement-{session.date:%Y-%m-%d}-{session.start:%Hh%M}.pdf",
    )


@login_required
@require_GET
def certificate_pdf(request, pk):
    """A learner's monthly attendance certificate (?mois=AAAA-MM, else this month)."""
    learner = access.get_learner_for_user(request.user, pk, related=("cohort", "centre"))
    year, month = documents.parse_month(request.GET.get("mois"), timezone.localdate())
    return pdf_response(
        request,
        "attendance/certificate_pdf.html",
        documents.certificate_context(learner, year, month),
        f"assiduite-{learner.pk}-{year}-{month:02d}.pdf",
    )


@login_required
@require_GET
def cohort_month(request, pk, fmt):
    """A cohort's month of attendance as CSV or XLSX (inert cells), for its centre's staff."""
    cohort = scopes.get_planned_cohort(request.user, pk)
    year, month = documents.parse_month(request.GET.get("mois"), timezone.localdate())
    rows = documents.cohort_month_rows(cohort, year, month)
    name = f"assiduite-{cohort.pk}-{year}-{month:02d}"
    if fmt == "csv":
        response = HttpResponse(exports.csv_text(rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    if fmt != "xlsx":
        raise Http404
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = f"{year}-{month:02d}"
    for row in rows:
        exports.append_row(sheet, row)
    response = HttpResponse(
        exports.xlsx_bytes(book),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


# --- the manager's pages (a trainer of the centre reads the timetable) -------------------------
def _refused_errors(exc) -> list[str]:
    return getattr(exc, "messages", [str(exc)])


def _apply_errors(form, exc) -> None:
    """A service's ValidationError shown beside its field (or above the form)."""
    if hasattr(exc, "error_dict"):
        for field, errs in exc.error_dict.items():
            for e in errs:
                form.add_error(field if field in form.fields else None, e.message)
    else:
        for m in _refused_errors(exc):
            form.add_error(None, m)


@login_required
def cohort_pattern(request, pk):
    """The cohort's weekly pattern, typed once, and the sessions generated from it over the
    alternance calendar's centre weeks."""
    cohort = scopes.get_planned_cohort(request.user, pk, write=request.method == "POST")
    slot_form = forms.SlotForm(user=request.user, cohort=cohort)
    gen_form = forms.GenerateForm()
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "remove":
            try:
                services.remove_slot(cohort, int(request.POST.get("slot", "")))
            except ValueError:
                raise Http404 from None
            messages.success(request, "Créneau retiré de la semaine type.")
            return redirect("attendance_cohort_pattern", cohort.pk)
        if action == "generate":
            gen_form = forms.GenerateForm(request.POST)
            if gen_form.is_valid():
                try:
                    made = services.generate_sessions(
                        cohort,
                        request.user,
                        gen_form.cleaned_data["first"],
                        gen_form.cleaned_data["last"],
                    )
                    messages.success(request, f"{made} séance(s) créée(s).")
                    return redirect("attendance_cohort_timetable", cohort.pk)
                except ValidationError as exc:
                    _apply_errors(gen_form, exc)
            status = 400
        else:
            slot_form = forms.SlotForm(request.POST, user=request.user, cohort=cohort)
            if slot_form.is_valid():
                try:
                    services.add_slot(cohort, request.user, slot_form.save(commit=False))
                    messages.success(request, "Créneau ajouté à la semaine type.")
                    return redirect("attendance_cohort_pattern", cohort.pk)
                except ValidationError as exc:
                    _apply_errors(slot_form, exc)
            status = 400
    return render(
        request,
        "attendance/pattern.html",
        {
            "cohort": cohort,
            "slots": WeeklyPattern.objects.filter(cohort=cohort).select_related(
                "module", "trainer"
            ),
            "slot_form": slot_form,
            "gen_form": gen_form,
            "may_plan": access.can(request.user, "livret.plan_sessions", cohort),
        },
        status=status,
    )


@login_required
@require_GET
def cohort_timetable(request, pk):
    """A cohort's sessions, month by month (?mois=AAAA-MM), and its hours per module against the
    programme's."""
    cohort = scopes.get_planned_cohort(request.user, pk)
    year, month = documents.parse_month(request.GET.get("mois"), timezone.localdate())
    first = datetime.date(year, month, 1)
    after = (first + datetime.timedelta(days=32)).replace(day=1)
    before = (first - datetime.timedelta(days=1)).replace(day=1)
    sessions = (
        Session.objects.filter(cohort=cohort, date__gte=first, date__lt=after)
        .select_related("module", "signature")
        .prefetch_related("trainers")
    )
    return render(
        request,
        "attendance/timetable.html",
        {
            "cohort": cohort,
            "sessions": sessions,
            "month": first,
            "previous": before,
            "next": after,
            "hours": queries.timetable_hours(cohort),
            "may_plan": access.can(request.user, "livret.plan_sessions", cohort),
        },
    )


@login_required
def session_new(request, pk):
    """A session added by hand to the cohort's timetable (the manager)."""
    cohort = scopes.get_planned_cohort(request.user, pk, write=True)
    form = forms.SessionForm(request.POST or None, user=request.user, cohort=cohort)
    if request.method == "POST" and form.is_valid():
        session = form.save(commit=False)
        session.cohort = cohort
        try:
            services.save_session(session, request.user, form.cleaned_data["trainers"])
            messages.success(request, "Séance ajoutée.")
            return redirect(_month_url(session))
        except ValidationError as exc:
            _apply_errors(form, exc)
    return render(
        request,
        "attendance/session_form.html",
        {"cohort": cohort, "form": form, "session": None},
        status=400 if form.errors else 200,
    )


def _month_url(session) -> str:
    return (
        reverse("attendance_cohort_timetable", args=[session.cohort_id])
        + f"?mois={session.date:%Y-%m}"
    )


@login_required
def session_edit(request, pk):
    """Move a session (date, hours, module, trainers, room) or cancel it with its reason."""
    session = scopes.get_editable_session(request.user, pk)
    cohort = session.cohort
    form = forms.SessionForm(instance=session, user=request.user, cohort=cohort)
    cancel = forms.CancelForm()
    status = 200
    if request.method == "POST":
        status = 400
        if request.POST.get("action") == "cancel":
            cancel = forms.CancelForm(request.POST)
            if cancel.is_valid():
                try:
                    services.cancel_session(session, request.user, cancel.cleaned_data["reason"])
                    messages.success(request, "Séance annulée.")
                    return redirect(_month_url(session))
                except ValidationError as exc:
                    _apply_errors(cancel, exc)
        else:
            form = forms.SessionForm(
                request.POST, instance=session, user=request.user, cohort=cohort
            )
            if form.is_valid():
                try:
                    services.save_session(
                        form.save(commit=False), request.user, form.cleaned_data["trainers"]
                    )
                    messages.success(request, "Séance modifiée.")
                    return redirect(_month_url(session))
                except ValidationError as exc:
                    _apply_errors(form, exc)
    return render(
        request,
        "attendance/session_form.html",
        {
            "cohort": cohort,
            "form": form,
            "cancel": cancel,
            "session": session,
            "signed": queries.signature(session),
        },
        status=status,
    )


@login_required
@require_GET
def cohort_attendance(request, pk):
    """Per learner: planned, attended, absent justified or not, rate; the cohort's totals."""
    cohort = scopes.get_planned_cohort(request.user, pk)
    return render(
        request,
        "attendance/cohort.html",
        {"cohort": cohort, **queries.cohort_attendance(cohort)},
    )


@login_required
def justifications(request):
    """The centre's justificatifs: those to decide first (accept, or refuse with the reason)."""
    qs = scopes.decidable_justifications(request.user)
    errors = {}
    if request.method == "POST":
        try:
            j = qs.get(pk=int(request.POST.get("justification", "")))
        except (ValueError, Justification.DoesNotExist):
            raise Http404 from None
        accept = request.POST.get("decision") == "accept"
        try:
            services.decide_justification(j, request.user, accept, request.POST.get("reason", ""))
            messages.success(request, "Justificatif accepté." if accept else "Justificatif refusé.")
            return redirect("attendance_justifications")
        except ValidationError as exc:
            errors[j.pk] = _refused_errors(exc)
    related = qs.select_related("learner__cohort", "reason", "sent_by", "decided_by")
    return render(
        request,
        "attendance/justifications.html",
        {
            "pending": list(related.filter(state=Justification.PENDING).order_by("sent_at")),
            "decided": list(related.exclude(state=Justification.PENDING)[:30]),
            "errors": errors,
            "typed": request.POST,
        },
        status=400 if errors else 200,
    )


@login_required
@require_GET
def justification_file(request, pk):
    """A justificatif's file: its centre's manager, its learner and his tutor (who sent it)."""
    j = scopes.get_justification_for_user(request.user, pk)
    if not j.file:
        raise Http404
    response = FileResponse(j.file.open("rb"), content_type=j.file_type or "application/pdf")
    response["Content-Disposition"] = f'attachment; filename="justificatif-{j.pk}{_suffix(j)}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _suffix(j) -> str:
    from livret import uploads

    return uploads.suffix_for(j.file_type)


@login_required
def justification_send(request, pk):
    """The learner, or his tutor, sends a justificatif of absence."""
    learner = scopes.get_learner_for_justification(request.user, pk)
    form = forms.JustificationForm(
        request.POST or None, request.FILES or None, centre=learner.centre
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.send_justification(
                learner,
                request.user,
                d["reason"],
                d["first_day"],
                d["last_day"],
                d["comment"],
                d["file"],
            )
            messages.success(request, "Justificatif envoyé au centre.")
            return redirect("attendance_learner", learner.pk)
        except ValidationError as exc:
            _apply_errors(form, exc)
    return render(
        request,
        "attendance/justification_form.html",
        {
            "learner": learner,
            "form": form,
            "sent": Justification.objects.filter(learner=learner).select_related("reason")[:20],
        },
        status=400 if form.errors else 200,
    )


@login_required
def centre_settings(request):
    """The centre's assiduity threshold, run of absences, and list of absence reasons."""
    centre = scopes.require_settings(request.user)
    current = services.settings_of(centre)
    services.seed_reasons(centre)
    form = forms.SettingsForm(instance=current)
    reason_form = forms.ReasonForm()
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action in ("withdraw", "restore"):
            try:
                services.set_reason_active(
                    centre, int(request.POST.get("reason", "")), action == "restore"
                )
            except ValueError:
                raise Http404 from None
            return redirect("attendance_settings")
        if action == "reason":
            reason_form = forms.ReasonForm(request.POST)
            if reason_form.is_valid():
                try:
                    services.add_reason(centre, reason_form.cleaned_data["label"])
                    messages.success(request, "Motif ajouté.")
                    return redirect("attendance_settings")
                except ValidationError as exc:
                    _apply_errors(reason_form, exc)
        else:
            form = forms.SettingsForm(request.POST, instance=current)
            if form.is_valid():
                d = form.cleaned_data
                services.save_settings(centre, d["threshold_percent"], d["absence_run"])
                messages.success(request, "Réglages enregistrés.")
                return redirect("attendance_settings")
        status = 400
    return render(
        request,
        "attendance/settings.html",
        {
            "form": form,
            "reason_form": reason_form,
            "reasons": AbsenceReason.objects.filter(centre=centre),
            "month_form": forms.MonthForm(
                initial={"month": f"{_last_month(timezone.localdate()):%Y-%m}"}
            ),
        },
        status=status,
    )


@login_not_required
@require_GET
def sessions_ics(request, token):
    """The sessions feed: calendar applications subscribe without logging in (the token is the
    credential); from two months back to a year ahead."""
    owner = scopes.get_feed_owner(token)
    today = timezone.localdate()
    sessions = scopes.feed_sessions(owner).filter(
        date__gte=today - datetime.timedelta(days=61),
        date__lte=today + datetime.timedelta(days=366),
    )
    body = ics.calendar_for(owner.get_full_name() or owner.username, sessions)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="seances.ics"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def renew_feed(request):
    """A new address for the sessions feed (shared by mistake): the old one opens nothing."""
    if not scopes.has_feed(request.user):
        raise Http404
    services.renew_feed(request.user)
    messages.success(
        request,
        "Nouvelle adresse de l'agenda des séances : l'ancienne n'ouvre plus rien. Abonnez de "
        "nouveau vos applications d'agenda avec celle-ci.",
    )
    return redirect(reverse("attendance_sessions") + "#agenda")


@login_required
@require_POST
def month_end(request):
    """Month-end for the centre: every learner's certificate of the month in one ZIP (a job)."""
    centre = scopes.require_settings(request.user)
    form = forms.MonthForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choisissez un mois (AAAA-MM).")
        return redirect(reverse("attendance_settings") + "#fin-de-mois")
    year, month = form.cleaned_data["month"]
    job = jobs.start(
        request.user,
        centre,
        "attendance_month_end",
        f"Attestations d'assiduité de {month:02d}/{year} (PDF)",
        {"year": year, "month": month},
    )
    return redirect("job", pk=job.pk)


def _last_month(today):
    return (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
