"""Visits and entretiens de progrès: planned by the trainer, reported, countersigned by the
tutor and the apprentice each for himself; overdue at the rhythm the centre sets."""

import datetime

import pytest
from django.urls import reverse

from livret.notifications.models import Notification
from livret.periods import alerts
from livret.periods.models import FollowUp


def test_plan_report_and_countersign(client, world):
    w = world
    url = reverse("follow_ups", args=[w.learner1.pk])
    client.force_login(w.users["tutor_x"])  # reads, does not plan
    assert client.get(url).status_code == 200
    assert client.post(url, {"kind": "visit", "planned_on": "2026-12-03"}).status_code == 403
    client.force_login(w.users["trainer_a"])
    bad = client.post(url, {"kind": "visite", "planned_on": ""})
    assert bad.status_code == 400 and "Date prévue" in bad.content.decode()
    client.post(
        url, {"kind": "visit", "planned_on": "2026-12-03", "mode": "site", "place": "Vigilis"}
    )
    fu = FollowUp.objects.get()
    assert (fu.learner, fu.planned_by, fu.place) == (w.learner1, w.users["trainer_a"], "Vigilis")
    told = set(
        Notification.objects.filter(kind="follow_up").values_list("recipient__username", flat=True)
    )
    assert told == {"tutor_x", "learner1", "trainer_a2"}  # not the one who planned it
    # The tutor cannot countersign before the report exists.
    detail = reverse("follow_up", args=[fu.pk])
    client.force_login(w.users["tutor_x"])
    client.post(detail, {"action": "countersign"})
    fu.refresh_from_db()
    assert fu.tutor_signed_at is None
    client.force_login(w.users["trainer_a"])
    future = client.post(detail, {"held_on": "2099-01-01", "report": "x"})
    assert future.status_code == 400 and "visite ou un entretien passé" in future.content.decode()
    client.post(
        detail,
        {
            "held_on": "2026-11-20",
            "attendees": "Tuteur, apprenti, formateur",
            "report": "Bonne intégration.",
            "objectives": "Rédiger les consignes de poste.",
            "competences": [w.competence.pk],
        },
    )
    fu.refresh_from_db()
    assert fu.reported_by == w.users["trainer_a"] and list(fu.competences.all()) == [w.competence]
    for name, field in (("tutor_x", "tutor_signed_at"), ("learner1", "apprentice_signed_at")):
        client.force_login(w.users[name])
        page = client.get(detail).content.decode()
        assert "Bonne intégration." in page and "je le contresigne" in page
        client.post(detail, {"action": "countersign"})
        fu.refresh_from_db()
        assert getattr(fu, field) is not None
    # Nobody countersigns for another: the trainer cannot, another centre sees nothing.
    client.force_login(w.users["trainer_a"])
    assert client.post(detail, {"action": "countersign"}).status_code == 403
    client.force_login(w.users["trainer_b"])
    assert client.get(detail).status_code == 404
    assert client.get(url).status_code == 404


def computed(learners, today):
    """What the scheduler's daily run leaves for these learners, then what a home shows."""
    alerts.refresh_stale(learners, today)
    return alerts.visible_alerts(learners)


@pytest.mark.django_db
def test_an_overdue_visit_shows_in_the_alerts_at_the_centres_rhythm(world):
    w = world
    learner = w.learner1
    learner.status, learner.contract_start = "apprentice", datetime.date(2026, 9, 1)
    learner.save()
    centre = w.cohort_a.centre
    today = datetime.date(2026, 11, 26)
    visible = w.cohort_a.learners.all()
    assert not [a for a in computed(visible, today) if a.kind == "follow_up"]
    centre.visit_every_weeks = 8
    centre.save()  # every learner of the centre is stale: computed again by the next run
    found = [a for a in computed(visible, today) if a.kind == "follow_up"]
    assert [(a.learner_id, a.message) for a in found] == [
        (
            learner.pk,
            "Visite en entreprise en retard : aucune depuis le début du contrat, le 01/09/2026 "
            "(le centre en prévoit une toutes les 8 semaines).",
        )
    ]
    # A visit held on 20 November: nothing due any more.
    FollowUp.objects.create(
        learner=learner,
        kind=FollowUp.VISIT,
        planned_on=datetime.date(2026, 11, 20),
        held_on=datetime.date(2026, 11, 20),
        planned_by=w.users["trainer_a"],
    )
    assert not [a for a in computed(visible, today) if a.kind == "follow_up"]


@pytest.mark.parametrize(
    "weeks, since, today, due",
    [
        (8, "2026-09-01", "2026-10-27", False),  # 56 days: exactly 8 weeks, not late yet
        (8, "2026-09-01", "2026-10-28", True),  # 57 days
        (None, "2026-01-01", "2026-11-26", False),  # no rhythm set: no alert
    ],
)
def test_the_rhythm_boundary(world, weeks, since, today, due):
    from livret.periods.follow_ups import overdue

    w = world
    learner = w.learner1
    learner.status, learner.contract_start = "apprentice", datetime.date.fromisoformat(since)
    learner.centre.visit_every_weeks = weeks
    assert bool(overdue(learner, datetime.date.fromisoformat(today))) is due


@pytest.mark.django_db
def test_a_new_alert_is_sent_once_to_the_centres_managers_and_the_learners_trainers(world):
    from livret.notifications.models import Notification

    w = world
    learner = w.learner1
    learner.status, learner.contract_start = "apprentice", datetime.date(2026, 9, 1)
    learner.save()
    today = datetime.date(2026, 11, 26)
    visible = w.cohort_a.learners.all()
    computed(visible, today)
    assert not Notification.objects.filter(kind="alert").exists()
    centre = w.cohort_a.centre
    centre.visit_every_weeks = 8
    centre.save()
    computed(visible, today)
    sent = Notification.objects.filter(kind="alert")
    assert {n.recipient.username for n in sent} == {"manager_a", "trainer_a", "trainer_a2"}
    note = sent.get(recipient=w.users["trainer_a"])
    assert note.title == "Nouvelle alerte : Learner1 Un"
    assert "UN Learner1 — Visite en entreprise en retard" in note.body
    assert note.url == f"/livrets/{learner.pk}/periodes/"
    assert note.mode == "digest"  # the default: in the day's digest
    # Computed again (his record changed) with the same alert: nothing sent twice.
    learner.email = "autre@exemple.fr"
    learner.save()
    computed(visible, today)
    assert Notification.objects.filter(kind="alert").count() == 3


def _beside(html: str, field_id: str) -> str:
    """The error list rendered beside a field (web/forms/field_errors.html)."""
    import re
    from html import unescape

    found = re.search(rf'<ul[^>]*id="{field_id}_error"[^>]*>(.*?)</ul>', html, re.S)
    return unescape(re.sub(r"<[^>]+>", " ", found.group(1))) if found else ""


def _control(html: str, field_id: str) -> str:
    import re

    found = re.search(rf'<(?:input|textarea|select)[^>]*id="{field_id}"[^>]*>', html)
    return found.group(0) if found else ""


def test_a_refused_plan_says_each_error_beside_its_field_and_keeps_what_was_typed(client, world):
    """Issue 25, item 8: planning a visit without its date showed the errors only in a banner."""
    client.force_login(world.users["trainer_a"])
    url = reverse("follow_ups", args=[world.learner1.pk])
    r = client.post(url, {"kind": "visit", "planned_on": "", "mode": "site", "place": "Vigilis"})
    html = r.content.decode()
    assert r.status_code == 400
    assert "obligatoire" in _beside(html, "id_planned_on")
    control = _control(html, "id_planned_on")
    assert 'aria-invalid="true"' in control and "id_planned_on_error" in control
    assert 'href="#id_planned_on"' in html  # the summary links to the field
    assert 'value="Vigilis"' in _control(html, "id_place")
    assert not FollowUp.objects.exists()


def test_a_refused_report_says_each_error_beside_its_field_and_keeps_what_was_typed(client, world):
    """Issue 25, item 8: the visit's report without its date showed the errors only in a banner."""
    w = world
    fu = FollowUp.objects.create(
        learner=w.learner1,
        kind="visit",
        planned_on=datetime.date(2026, 11, 20),
        mode="site",
        planned_by=w.users["trainer_a"],
    )
    client.force_login(w.users["trainer_a"])
    r = client.post(
        reverse("follow_up", args=[fu.pk]),
        {"held_on": "", "attendees": "Tuteur", "report": "", "objectives": "Rédiger"},
    )
    html = r.content.decode()
    assert r.status_code == 400
    for name in ("held_on", "report"):
        assert "obligatoire" in _beside(html, f"id_{name}")
        control = _control(html, f"id_{name}")
        assert 'aria-invalid="true"' in control and f"id_{name}_error" in control
    assert 'value="Tuteur"' in _control(html, "id_attendees") and "Rédiger</textarea>" in html
    fu.refresh_from_db()
    assert fu.reported_at is None
