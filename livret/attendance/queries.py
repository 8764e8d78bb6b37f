"""Reads of the attendance pages, each in a fixed number of queries."""

from __future__ import annotations

from django.db.models import Case, F, IntegerField, Max, Q, Sum, Value, When
from django.db.models.functions import (
    ExtractDay,
    ExtractHour,
    ExtractMinute,
    ExtractMonth,
    ExtractYear,
    Greatest,
)

from livret.engine import attendance as rules

from .models import Attendance, CentreSettings, Justification, SheetSignature
from .services import expected_learners


def roll(session) -> list[dict]:
    """The expected learners with their mark (or none yet): two queries."""
    marks = {a.learner_id: a for a in Attendance.objects.filter(session=session)}
    return [{"learner": lr, "mark": marks.get(lr.pk)} for lr in expected_learners(session)]


def corrections(session) -> list:
    """The corrections of a signed sheet, oldest first (who, when, why, before and after)."""
    from .models import Correction

    labels = dict(Attendance.STATUSES)
    found = list(
        Correction.objects.filter(attendance__session=session).select_related(
            "author", "attendance__learner"
        )
    )
    for c in found:
        c.before_label = labels.get(c.before.get("status"), "")
        c.after_label = labels.get(c.after.get("status"), "")
    return found


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


def _unit_hours(cohort) -> dict[str, int]:
    """The programme's planned hours per unit (cohort.programme_units: [name, h year 1, …])."""
    out = {}
    for row in cohort.programme_units or []:
        if row and isinstance(row[0], str):
            out[row[0].strip().casefold()] = sum(h for h in row[1:] if isinstance(h, int | float))
    return out


def timetable_hours(cohort) -> dict:
    """Hours of the timetable per module (cancelled sessions left out) against the programme's
    planned hours (a unit of the same title), and the total against the programme's hours."""
    from .models import Session

    minutes: dict[str, int] = {}
    for title, start, end in Session.objects.filter(
        cohort=cohort, state=Session.PLANNED
    ).values_list("module__title", "start", "end"):
        key = title or ""
        minutes[key] = minutes.get(key, 0) + rules.minutes_between(start, end)
    units = _unit_hours(cohort)
    f = rules.format_minutes
    rows = [
        {
            "name": name or "Sans module",
            "timetabled": f(m),
            "planned": (
                f"{units[name.casefold()]} h" if name and name.casefold() in units else "—"
            ),
        }
        for name, m in sorted(minutes.items())
    ]
    total = sum(minutes.values())
    return {
        "rows": rows,
        "total": f(total),
        "programme": f"{cohort.programme_hours} h",
        "over": total > cohort.programme_hours * 60,
    }


def _clock(field: str):
    """Minutes since midnight of a session's time (start or end), in the database."""
    return ExtractHour(f"session__{field}") * 60 + ExtractMinute(f"session__{field}")


def _order_key():
    """A session's place in time as one integer (YYYYMMDDhhmm), in the database: what orders a
    learner's sessions for his run of absences."""
    day = (ExtractYear("session__date") * 100 + ExtractMonth("session__date")) * 100
    day = day + ExtractDay("session__date")
    return day * 10000 + ExtractHour("session__start") * 100 + ExtractMinute("session__start")


def cohort_attendance(cohort) -> dict:
    """Per learner of the cohort: planned, attended, absent justified / not, rate, his current run
    of unjustified absences; the cohort's totals. Summed by the database (a year of a cohort's
    marks is tens of thousands of rows): four queries, whatever the sizes.

    The sums are rules.Hours.add's, row by row: an excused mark counts for nothing; an absence
    attends nothing, a presence the whole session, a late arrival or early leave the session less
    its minutes (never below zero); what was not attended is justified when the mark's
    justificatif was accepted. The run is rules.absence_run's: the unjustified absences after
    the learner's last mark that is not one (excused marks skipped)."""
    from livret.people.models import Learner

    learners = list(Learner.objects.filter(cohort=cohort).order_by("last_name", "first_name", "id"))
    marks = Attendance.objects.filter(
        session__cohort=cohort, session__state="planned", excused=False
    ).order_by()
    planned = _clock("end") - _clock("start")
    attended = Case(
        When(status=rules.ABSENT, then=Value(0)),
        When(status=rules.PRESENT, then=planned),
        default=Greatest(Value(0), planned - F("minutes")),
        output_field=IntegerField(),
    )
    accepted = Q(justification__state=Justification.ACCEPTED)
    unjustified_absence = Q(status=rules.ABSENT) & ~Q(
        justification__state=Justification.ACCEPTED, justification__isnull=False
    )
    sums = {
        row["learner_id"]: row
        for row in marks.values("learner_id").annotate(
            planned=Sum(planned),
            attended=Sum(attended),
            justified=Sum(planned - attended, filter=accepted),
            missed=Sum(planned - attended),
            last_break=Max(_order_key(), filter=~unjustified_absence),
        )
    }
    # The unjustified absences after each learner's last other mark (one mark in twenty or so).
    runs: dict[int, int] = {}
    for lid, key in marks.filter(unjustified_absence).values_list("learner_id", _order_key()):
        last = sums[lid]["last_break"]
        if last is None or key > last:
            runs[lid] = runs.get(lid, 0) + 1
    settings = CentreSettings.objects.filter(centre_id=cohort.centre_id).first()
    threshold, limit = (settings.threshold_percent, settings.absence_run) if settings else (80, 3)
    total = rules.Hours()
    out = []
    for lr in learners:
        h = _hours(sums.get(lr.pk))
        for name in ("planned", "attended", "absent_justified", "absent_unjustified"):
            setattr(total, name, getattr(total, name) + getattr(h, name))
        out.append(
            {
                "learner": lr,
                **_row(f"{lr.last_name} {lr.first_name}", h),
                "alerts": rules.alerts(
                    rules.Summary(total=h), runs.get(lr.pk, 0), threshold, limit
                ),
            }
        )
    return {"learners": out, "total": _row("Promotion", total)}


def _hours(row) -> rules.Hours:
    """rules.Hours from a learner's sums (PostgreSQL's EXTRACT gives numerics: made ints)."""
    if row is None:
        return rules.Hours()
    justified = int(row["justified"] or 0)
    return rules.Hours(
        planned=int(row["planned"] or 0),
        attended=int(row["attended"] or 0),
        absent_justified=justified,
        absent_unjustified=int(row["missed"] or 0) - justified,
    )
