"""Issue 22: the signing code as a QR code (the sign page's address with the code, renewed with
it) and the sessions feed (.ics) of trainers and learners, whose secret token is the only right."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from livret.attendance import services
from livret.attendance.models import FeedToken, Session

D = datetime.date
T = datetime.time


@pytest.fixture
def today_session(world):
    s = Session.objects.create(
        cohort=world.cohort_a, date=timezone.localdate(), start=T(9), end=T(12), room="B12"
    )
    s.trainers.set([world.users["trainer_a"]])
    return s


def test_code_page_shows_a_qr_of_the_sign_page_with_the_code(client, world, today_session):
    client.force_login(world.users["trainer_a"])
    page = client.get(reverse("attendance_code", args=[today_session.pk])).content.decode()
    code = services.current_code(today_session)
    assert code in page and "<svg" in page and "attendance-qr" in page
    data = client.get(reverse("attendance_code_json", args=[today_session.pk])).json()
    assert data["code"] == code and data["qr"].startswith("<svg")
    assert bytes(today_session.signing_secret).hex() not in page + str(data)


def test_scanned_qr_opens_the_sign_page_with_the_code_typed(client, world, today_session):
    client.force_login(world.users["learner1"])
    url = reverse("attendance_sign", args=[today_session.pk])
    page = client.get(url + "?code=123456").content.decode()
    assert 'value="123456"' in page
    # Only digits are taken from the address.
    assert "<b>" not in client.get(url + "?code=<b>1").content.decode()


def _events(body):
    return [c for c in Calendar.from_ical(body).walk("VEVENT")]


def test_trainer_and_learner_feeds_then_renewed(client, world, today_session):
    other = Session.objects.create(
        cohort=world.cohort_a, date=timezone.localdate(), start=T(14), end=T(17)
    )
    other.trainers.set([world.users["trainer_a2"]])
    services.cancel_session(other, world.users["manager_a"], "Salle indisponible")
    client.force_login(world.users["trainer_a"])
    page = client.get(reverse("attendance_sessions")).content.decode()
    feed = FeedToken.objects.get(user=world.users["trainer_a"])
    assert str(feed.token) in page
    client.logout()
    r = client.get(reverse("attendance_ics", args=[feed.token]))
    assert r.status_code == 200 and r["Content-Type"].startswith("text/calendar")
    events = _events(r.content)
    # The trainer's feed: the session he gives, not his colleague's.
    assert len(events) == 1 and str(events[0]["location"]) == "Salle B12"
    # The learner's: his cohort's two, the cancelled one marked so.
    learner_feed = services.feed_of(world.users["learner1"])
    events = _events(client.get(reverse("attendance_ics", args=[learner_feed.token])).content)
    assert sorted(str(e.get("status", "")) for e in events) == ["", "CANCELLED"]
    # Renewed: the old address opens nothing.
    client.force_login(world.users["trainer_a"])
    assert client.post(reverse("attendance_ics_renew")).status_code == 302
    client.logout()
    assert client.get(reverse("attendance_ics", args=[feed.token])).status_code == 404


def test_tutor_and_manager_have_no_feed(client, world):
    for who in ("tutor_x", "manager_a"):
        client.force_login(world.users[who])
        assert (
            "Mes séances dans mon agenda"
            not in client.get(reverse("attendance_sessions")).content.decode()
        )
        assert client.post(reverse("attendance_ics_renew")).status_code == 404
    token = FeedToken.objects.create(user=world.users["manager_a"]).token
    client.logout()
    assert client.get(reverse("attendance_ics", args=[token])).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_month_end_for_the_centre_as_a_job_with_its_progress(client, world):
    import io
    import zipfile

    from livret.jobs.models import Job
    from tests.worker import follow

    for day in (D(2026, 3, 2), D(2026, 3, 3)):
        s = Session.objects.create(cohort=world.cohort_a, date=day, start=T(9), end=T(12))
        s.trainers.set([world.users["trainer_a"]])
        services.call_roll(
            s,
            world.users["trainer_a"],
            {world.learner1.pk: ("present", 0), world.learner2.pk: ("absent", 0)},
            sign=True,
        )
    client.force_login(world.users["manager_a"])
    page = client.get(reverse("attendance_settings")).content.decode()
    assert "Préparer les attestations" in page
    r = client.post(reverse("attendance_month_end"), {"month": "2026-03"})
    follow(client, r)
    job = Job.objects.get(kind="attendance_month_end")
    assert job.status == Job.DONE and job.done == job.total == 2
    names = zipfile.ZipFile(io.BytesIO(job.file.read())).namelist()
    assert len(names) == 2 and all(n.endswith(".pdf") and "2026-03" in n for n in names)
    # A month without any roll call: the job says so.
    follow(client, client.post(reverse("attendance_month_end"), {"month": "2026-05"}))
    failed = Job.objects.filter(kind="attendance_month_end").exclude(pk=job.pk).get()
    assert failed.status == Job.FAILED
    # Only the manager starts it.
    client.force_login(world.users["trainer_a"])
    assert client.post(reverse("attendance_month_end"), {"month": "2026-03"}).status_code == 404
