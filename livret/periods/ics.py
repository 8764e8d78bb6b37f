"""The alternance calendar as iCalendar (RFC 5545), with the well-kept `icalendar` library."""

from __future__ import annotations

import datetime

from icalendar import Calendar, Event

PLACES = {"C": "Centre de formation", "E": "Entreprise", "F": "Jour férié"}


def calendar_for(learner, plan, periods=()) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Livret//Calendrier d'alternance//FR")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"Alternance — {learner}")
    cal.add("x-wr-timezone", "Europe/Paris")
    stamp = datetime.datetime.now(datetime.UTC)
    for start, end, place in plan.blocks():
        event = Event()
        event.add("uid", f"livret-{learner.pk}-{start.isoformat()}-{place}@livret")
        event.add("dtstamp", stamp)
        event.add(
            "summary",
            f"{PLACES[place]}{' — ' + learner.company.name if place == 'E' and learner.company else ''}",
        )
        event.add("dtstart", start)
        event.add("dtend", end + datetime.timedelta(days=1))  # all-day events: DTEND is exclusive
        event.add("categories", [{"C": "centre", "E": "entreprise", "F": "férié"}[place]])
        cal.add_component(event)
    for p in periods:
        event = Event()
        event.add("uid", f"livret-period-{p.pk}@livret")
        event.add("dtstamp", stamp)
        event.add("summary", f"{p.get_kind_display()} — {p.company.name}")
        event.add("dtstart", p.start)
        event.add("dtend", p.end + datetime.timedelta(days=1))
        cal.add_component(event)
    return cal.to_ical()
