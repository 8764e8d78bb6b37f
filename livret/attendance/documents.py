"""The documents auditors and funders ask for: the émargement sheet of a session, a learner's
monthly attendance certificate, a cohort's month as rows (CSV/XLSX through livret/exports)."""

from __future__ import annotations

import calendar
import datetime

from livret.engine import attendance as rules

from . import queries
from .models import Attendance, Justification, Session, SheetSignature


def month_bounds(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, month, 1), datetime.date(
        year, month, calendar.monthrange(year, month)[1]
    )


def parse_month(text: str | None, today: datetime.date) -> tuple[int, int]:
    """« 2026-03 » → (2026, 3); anything else: the current month."""
    try:
        y, m = (int(x) for x in (text or "").split("-"))
        datetime.date(y, m, 1)
        return y, m
    except (ValueError, TypeError):
        return today.year, today.month


def sheet_context(session: Session) -> dict:
    rows = queries.roll(session)
    signature = SheetSignature.objects.filter(session=session).select_related("trainer").first()
    return {
        "session": session,
        "rows": rows,
        "signature": signature,
        "trainers": list(session.trainers.all()),
        "half_day": session.half_day,
        "duration": rules.format_minutes(session.minutes),
    }


def certificate_context(learner, year: int, month: int) -> dict:
    first, last = month_bounds(year, month)
    rows = list(
        Attendance.objects.filter(
            learner=learner, session__state=Session.PLANNED, session__date__range=(first, last)
        )
        .select_related("session__module", "justification")
        .order_by("session__date", "session__start")
    )
    summary = rules.summarise(queries.records(rows))
    return {
        "learner": learner,
        "month": first,
        "total": queries._row("Total", summary.total),
        "modules": [
            queries._row(n or "Sans module", h) for n, h in sorted(summary.by_module.items())
        ],
        "absences": [a for a in rows if a.status != rules.PRESENT],
    }


HEADER = [
    "Nom",
    "Prénom",
    "Date",
    "Début",
    "Fin",
    "Module",
    "Présence",
    "Minutes manquées",
    "Justifiée",
    "Signé le",
    "Mode de signature",
]


def cohort_month_rows(cohort, year: int, month: int) -> list[list]:
    first, last = month_bounds(year, month)
    out = [HEADER]
    qs = (
        Attendance.objects.filter(
            session__cohort=cohort,
            session__state=Session.PLANNED,
            session__date__range=(first, last),
        )
        .select_related("learner", "session__module", "justification")
        .order_by("learner__last_name", "learner__first_name", "session__date", "session__start")
    )
    for a in qs:
        s = a.session
        out.append(
            [
                a.learner.last_name,
                a.learner.first_name,
                s.date.strftime("%d/%m/%Y"),
                s.start.strftime("%H:%M"),
                s.end.strftime("%H:%M"),
                str(s.module) if s.module_id else "",
                a.get_status_display(),
                a.minutes,
                "oui"
                if a.justification_id and a.justification.state == Justification.ACCEPTED
                else "non",
                a.signed_at.strftime("%d/%m/%Y %H:%M") if a.signed_at else "",
                a.get_signed_how_display(),
            ]
        )
    return out
