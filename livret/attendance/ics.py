"""A user's sessions as iCalendar (RFC 5545), with the `icalendar` library as the alternance
calendar's feed (livret.periods.ics): a trainer's the sessions he gives, a learner's his cohort's.
A cancelled session stays in the feed with STATUS:CANCELLED, so calendars strike it."""

from __future__ import annotations

import datetime

from django.utils import timezone
from icalendar import Calendar, Event


def calendar_for(owner_name: str, sessions) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Livret//Séances//FR")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"Séances — {owner_name}")
    cal.add("x-wr-timezone", "Europe/Paris")
    stamp = datetime.datetime.now(datetime.UTC)
    tz = timezone.get_current_timezone()
    for s in sessions:
        event = Event()
        event.add("uid", f"livret-seance-{s.uid}@livret")
        event.add("dtstamp", stamp)
        event.add("summary", f"{s.module.title if s.module_id else 'Séance'} — {s.cohort.name}")
        event.add("dtstart", datetime.datetime.combine(s.date, s.start, tzinfo=tz))
        event.add("dtend", datetime.datetime.combine(s.date, s.end, tzinfo=tz))
        if s.room:
            event.add("location", f"Salle {s.room}")
        if s.state == "cancelled":
            event.add("status", "CANCELLED")
        cal.add_component(event)
    return cal.to_ical()
