"""Reads of the attendance pages, each in a fixed number of queries."""

from __future__ import annotations

from django.db.models import BooleanField, Case, Count, Max, Q, Value, When

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


def cohort_attendance(cohort) -> dict:
    """Per learner of the cohort: planned, attended, absent justified / not, rate, his current run
    of unjustified absences; the cohort's totals. Four queries, whatever the sizes.

    A year of a cohort's marks is tens of thousands of rows: the database counts them, grouped by
    learner and by what the sums depend on (the session's hours, the status, the minutes late or
    gone, the justificatif accepted or not) — a few groups per learner — and each group is summed
    as rules.Hours.add would sum its rows, times their number (excused marks count for nothing).
    The run is rules.absence_run's: the unjustified absences after the learner's last other mark,
    from each group's last date and the few unjustified absences themselves."""
    from livret.people.models import Learner

    learners = list(Learner.objects.filter(cohort=cohort).order_by("last_name", "first_name", "id"))
    marks = Attendance.objects.filter(
        session__cohort=cohort, session__state="planned", excused=False
    ).order_by()
    accepted = Q(justification__state=Justification.ACCEPTED)
    groups = (
        marks.annotate(
            ok=Case(
                When(accepted, then=Value(True)), default=Value(False), output_field=BooleanField()
            )
        )
        .values("learner_id", "session__start", "session__end", "status", "minutes", "ok")
        .annotate(n=Count("pk"), last=Max("session__date"))
    )
    hours: dict[int, rules.Hours] = {}
    last_break: dict[int, tuple] = {}
    for g in groups:
        lid, n = g["learner_id"], g["n"]
        planned = rules.minutes_between(g["session__start"], g["session__end"])
        done = rules.attended_minutes(planned, g["status"], g["minutes"])
        h = hours.setdefault(lid, rules.Hours())
        h.planned += planned * n
        h.attended += done * n
        if g["ok"]:
            h.absent_justified += (planned - done) * n
        else:
            h.absent_unjustified += (planned - done) * n
        if g["status"] != rules.ABSENT or g["ok"]:
            last_break[lid] = max(last_break.get(lid, ()), (g["last"], g["session__start"]))
    runs: dict[int, int] = {}
    for lid, day, start in (
        marks.filter(status=rules.ABSENT)
        .exclude(accepted)
        .values_list("learner_id", "session__date", "session__start")
    ):
        if (day, start) > last_break.get(lid, ()):
            runs[lid] = runs.get(lid, 0) + 1
    settings = CentreSettings.objects.filter(centre_id=cohort.centre_id).first()
    threshold, limit = (settings.threshold_percent, settings.absence_run) if settings else (80, 3)
    total = rules.Hours()
    out = []
    for lr in learners:
        h = hours.get(lr.pk, rules.Hours())
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
