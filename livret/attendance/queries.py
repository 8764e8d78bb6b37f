"""Reads of the attendance pages, each in a fixed number of queries."""

from __future__ import annotations

from livret.engine import attendance as rules

from .models import Attendance, CentreSettings, Justification, SheetSignature
from .services import expected_learners


def roll(session) -> list[dict]:
    """The expected learners with their mark (or none yet): two queries."""
    marks = {a.learner_id: a for a in Attendance.objects.filter(session=session)}
    return [{"learner": lr, "mark": marks.get(lr.pk)} for lr in expected_learners(session)]


def signature(session):
    return SheetSignature.objects.filter(session=session).select_related("trainer").first()


def records(rows):
    for a in rows:
        s = a.session
        yield rules.Record(
            s.date,
            str(s.module) if s.module_id else "",
            s.minutes,
            a.status,
            a.minutes,
            a.justification_id is not None and a.justification.state == Justification.ACCEPTED,
            a.excused,
        )


def learner_summary(learner) -> dict:
    """A learner's hours, rate, absences and alerts (fixed number of queries)."""
    rows = list(
        Attendance.objects.filter(learner=learner, session__state="planned")
        .select_related("session__module", "justification")
        .order_by("session__date", "session__start")
    )
    recs = list(records(rows))
    summary = rules.summarise(recs)
    run = rules.absence_run(recs)
    settings = CentreSettings.objects.filter(centre_id=learner.centre_id).first()
    threshold, limit = (settings.threshold_percent, settings.absence_run) if settings else (80, 3)
    return {
        "summary": summary,
        "rate": rules.format_rate(summary.total.rate),
        "total": _row("Total", summary.total),
        "modules": [
            _row(name or "Sans module", h) for name, h in sorted(summary.by_module.items())
        ],
        "absences": [a for a in rows if a.status != rules.PRESENT][::-1][:50],
        "alerts": rules.alerts(summary, run, threshold, limit),
    }


def _row(name, h) -> dict:
    f = rules.format_minutes
    return {
        "name": name,
        "planned": f(h.planned),
        "attended": f(h.attended),
        "justified": f(h.absent_justified),
        "unjustified": f(h.absent_unjustified),
        "rate": rules.format_rate(h.rate),
    }
