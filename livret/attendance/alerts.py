"""The dropout alert: a learner's attendance rate under his centre's threshold, or a run of
consecutive unjustified absences at least its limit (engine.attendance.alerts), stored with the
other alerts of the homes (livret.periods.alerts: its SOURCES, refreshed by the scheduler and
after each write that changes them)."""

from __future__ import annotations

from livret.engine import attendance as rules

from .models import Attendance, CentreSettings, Justification

KIND = "attendance"


def dropout_alerts(ids, today) -> list[tuple[int, str, str]]:
    """(learner id, kind, message) for these learners: two queries, whatever their number."""
    ids = list(ids)
    per: dict[int, list] = {}
    centre_of: dict[int, int] = {}
    rows = (
        Attendance.objects.filter(
            learner_id__in=ids, session__state="planned", session__date__lte=today
        )
        .order_by("learner_id", "session__date", "session__start")
        .values_list(
            "learner_id",
            "learner__centre_id",
            "session__date",
            "session__start",
            "session__end",
            "status",
            "minutes",
            "excused",
            "justification__state",
        )
    )
    for lid, centre, day, start, end, status, missed, excused, jstate in rows.iterator(2000):
        centre_of[lid] = centre
        per.setdefault(lid, []).append(
            rules.Record(
                day,
                "",
                rules.minutes_between(start, end),
                status,
                missed,
                jstate == Justification.ACCEPTED,
                excused,
            )
        )
    if not per:
        return []
    settings = {
        s.centre_id: (s.threshold_percent, s.absence_run)
        for s in CentreSettings.objects.filter(centre_id__in=set(centre_of.values()))
    }
    out = []
    for lid, recs in per.items():
        threshold, limit = settings.get(centre_of[lid], (80, 3))
        for message in rules.alerts(
            rules.summarise(recs), rules.absence_run(recs), threshold, limit
        ):
            out.append((lid, KIND, message))
    return out


def register() -> None:
    from livret.periods import alerts

    if dropout_alerts not in alerts.SOURCES:
        alerts.SOURCES.append(dropout_alerts)


def changed(learner_ids) -> None:
    """Attendance of these learners changed: their stored alerts are computed again."""
    from livret.periods import alerts

    alerts.learners_changed(learner_ids)
