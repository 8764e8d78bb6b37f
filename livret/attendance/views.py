"""Attendance pages, phone first: the trainer's sessions, the roll call, the code shown in the
room, the learner's « Signer ma présence », a learner's attendance. Rights: scopes (who sees,
else 404) and scopes.marks_session (who calls the roll, else 403)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from livret import access, exports
from livret.engine import attendance as rules
from livret.web.pdf import pdf_response

from . import documents, queries, scopes, services
from .models import Attendance


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
        },
    )


def _markable(request, pk):
    session = scopes.get_session_for_user(request.user, pk)
    if not scopes.marks_session(request.user, session):
        raise PermissionDenied
    return session


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
            if request.POST.get("device"):
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
    rows = queries.roll(session)
    return render(
        request,
        "attendance/roll_call.html",
        {
            "session": session,
            "rows": rows,
            "signature": queries.signature(session),
            "statuses": Attendance.STATUSES,
            "errors": errors,
            "minutes": rules.format_minutes(session.minutes),
        },
        status=400 if errors else 200,
    )


@login_required
@require_GET
def session_code(request, pk):
    session = _markable(request, pk)
    return render(
        request,
        "attendance/code.html",
        {"session": session, "code": services.current_code(session)},
    )


@login_required
@require_GET
def session_code_json(request, pk):
    session = _markable(request, pk)
    response = JsonResponse({"code": services.current_code(session)})
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
        try:
            services.sign_with_code(session.pk, learner, request.POST.get("code", ""))
            messages.success(request, "Présence signée. Merci !")
            return redirect("attendance_sign", session.pk)
        except ValidationError as exc:
            error = exc.messages[0]
    done = Attendance.objects.filter(
        session=session, learner=learner, signed_at__isnull=False
    ).first()
    return render(
        request,
        "attendance/sign.html",
        {"session": session, "error": error, "done": done},
        status=400 if error else 200,
    )


@login_required
@require_GET
def learner_attendance(request, pk):
    learner = access.get_learner_for_user(request.user, pk)
    data = queries.learner_summary(learner)
    return render(request, "attendance/learner.html", {"learner": learner, **data})


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
    if not (access.is_manager(request.user) or access.is_trainer(request.user)):
        raise Http404
    cohort = access.get_cohort_for_user(request.user, pk, related=("centre",))
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
