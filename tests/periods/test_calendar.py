"""The alternance calendar and its .ics export, read back with the icalendar library."""

import datetime
from fractions import Fraction

import pytest
from django.urls import reverse
from icalendar import Calendar

from livret.engine.calendar import RhythmError, parse_rhythm, plan
from livret.periods import alerts
from livret.periods.models import Contract, Period

D = datetime.date


def test_weekly_rhythm_hours():
    # Seed 001: 16 h/week at the centre, 19 h/week in company. Four weeks of CCEEE.
    p = plan(D(2026, 9, 7), D(2026, 10, 2), "CCEEE", 16, 19)
    assert (p.centre_days, p.company_days) == (8, 12)
    assert (p.centre_hours, p.company_hours) == (64, 76)
    assert p.weeks()[0] == (D(2026, 9, 7), "CCEEE")


def test_alternate_weeks_and_closures():
    p = plan(D(2026, 9, 7), D(2026, 9, 18), "CCCCC/EEEEE", 35, 35)
    assert [w for _, w in p.weeks()] == ["CCCCC", "EEEEE"]
    closed = plan(
        D(2026, 12, 14), D(2026, 12, 25), "CCEEE", 16, 19, [(D(2026, 12, 21), D(2027, 1, 3))]
    )
    assert [w for _, w in closed.weeks()] == ["CCEEE", "EEEEE"]
    assert closed.centre_hours == 16


def test_programme_hours_over_two_years_are_comparable():
    p = plan(D(2025, 9, 1), D(2027, 5, 18), "CCEEE", 16, 19)
    assert Fraction(1300) < p.centre_hours < Fraction(1450)  # the 1350 h of seed 001, give or take


@pytest.mark.parametrize("bad", ["", "CCEE", "CCXEE", "CCEEEE"])
def test_bad_rhythm(bad):
    with pytest.raises(RhythmError):
        parse_rhythm(bad)


def test_rhythm_spelling_is_forgiving():
    assert parse_rhythm(" cceee / eeeee ") == ["CCEEE", "EEEEE"]


def test_ics_subscription_parses_back(client, world):
    learner = world.learner1
    learner.contract_start, learner.contract_end = D(2025, 9, 1), D(2027, 8, 31)
    learner.save()
    world.cohort_a.exam_date = D(2027, 5, 18)
    world.cohort_a.save()
    Period.objects.create(
        learner=learner, company=learner.company, start=D(2026, 1, 5), end=D(2026, 1, 30)
    )
    url = reverse("learner_ics", args=[learner.calendar_token])
    client.logout()
    response = client.get(url)  # no login: the token is the credential
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(response.content)
    events = list(cal.walk("VEVENT"))
    centre = [e for e in events if str(e["SUMMARY"]) == "Centre de formation"]
    company = [e for e in events if str(e["SUMMARY"]).startswith("Entreprise")]
    assert centre and company
    first = min(centre, key=lambda e: e.decoded("DTSTART"))
    assert first.decoded("DTSTART") == D(2025, 9, 1) and first.decoded("DTEND") == D(
        2025, 9, 3
    )  # Mon–Tue, DTEND exclusive
    assert max(e.decoded("DTEND") for e in events if e in centre or e in company) <= D(2027, 5, 19)
    assert any(str(e["SUMMARY"]) == "Stage — Entreprise X" for e in events)
    assert len({str(e["UID"]) for e in events}) == len(events)
    # A wrong token is a 404.
    assert client.get("/calendrier/00000000-0000-0000-0000-000000000000.ics").status_code == 404


def test_cohort_calendar_page(client, world):
    client.force_login(world.users["trainer_a"])
    html = client.get(reverse("cohort_calendar", args=[world.cohort_a.pk])).content.decode()
    assert "programme de <strong>1350 h</strong>" in html and "Centre" in html
    client.force_login(world.users["trainer_b"])
    assert client.get(reverse("cohort_calendar", args=[world.cohort_a.pk])).status_code == 404


def test_contracts_and_alerts(client, world):
    w = world
    w.cohort_a.exam_date = D(2027, 5, 18)
    w.cohort_a.save()
    Contract.objects.create(
        learner=w.learner1,
        kind=Contract.APPRENTICESHIP,
        company=w.learner1.company,
        start=D(2025, 9, 1),
        end=D(2027, 3, 31),
    )
    w.learner2.status = "school"
    w.learner2.save()
    Period.objects.create(
        learner=w.learner2, company=w.learner2.company, start=D(2025, 1, 6), end=D(2025, 1, 24)
    )  # outside the cohort's years
    Period.objects.create(
        learner=w.learner1, company=w.learner1.company, start=D(2026, 1, 5), end=D(2026, 1, 30)
    )
    alerts.refresh_stale(w.cohort_a.learners.all(), datetime.date.today())  # the daily run
    client.force_login(w.users["manager_a"])
    html = client.get(reverse("cohort_list")).content.decode()
    assert "Le contrat se termine le 31/03/2027, avant l&#x27;examen du 18/05/2027." in html
    assert "Attestation de stage non reçue (Entreprise X, fin le 30/01/2026)." in html
    assert "Périodes à corriger" in html and "aucune année scolaire" in html
    client.force_login(w.users["manager_b"])
    assert "Learner1" not in client.get(reverse("cohort_list")).content.decode()


def test_periods_page_rights(client, world):
    url = reverse("learner_periods", args=[world.learner1.pk])
    for role, status in [
        ("learner1", 200),
        ("tutor_x", 200),
        ("trainer_a", 200),
        ("manager_a", 200),
        ("learner2", 404),
        ("tutor_y", 404),
        ("trainer_b", 404),
        ("manager_b", 404),
    ]:
        client.force_login(world.users[role])
        assert client.get(url).status_code == status, role
    client.logout()
    assert client.get(url).status_code == 302


def test_programme_hours_per_unit_are_shown_with_their_total(client, world):
    from livret.ops.demo import PROGRAMME_UNITS

    world.cohort_a.programme_units = PROGRAMME_UNITS
    world.cohort_a.save()
    client.force_login(world.users["manager_a"])
    html = client.get(reverse("cohort_calendar", args=[world.cohort_a.pk])).content.decode()
    assert "E5.2 - Gestion de la relation client" in html
    assert html.count("<strong>680 h</strong>") == 2  # seed 001: 680 h each year


def test_recording_a_period_in_the_app(client, world):
    url = reverse("period_new", args=[world.learner1.pk])
    data = {
        "kind": "internship",
        "company": world.learner1.company.pk,
        "start": "2026-01-05",
        "end": "2026-01-30",
        "attestation_received": "on",
    }
    for role, status in [
        ("tutor_x", 403),
        ("learner1", 403),
        ("manager_b", 404),
        ("trainer_b", 404),
    ]:
        client.force_login(world.users[role])
        assert client.post(url, data).status_code == status, role
    assert not Period.objects.exists()
    client.force_login(world.users["trainer_a"])
    assert client.post(url, data).status_code == 302
    period = Period.objects.get()
    assert period.attestation_received and not period.attestation_signed
    # Overlapping and reversed periods are refused with the field named.
    html = client.post(url, {**data, "start": "2026-01-20", "end": "2026-02-13"}).content.decode()
    assert "Chevauche la période du 05/01/2026 au 30/01/2026" in html
    html = client.post(url, {**data, "start": "2026-03-13", "end": "2026-03-02"}).content.decode()
    assert "La fin précède le début" in html
    assert Period.objects.count() == 1
    # The manager signs off the attestation on the same form.
    client.force_login(world.users["manager_a"])
    edit = reverse("period_edit", args=[world.learner1.pk, period.pk])
    assert client.post(edit, {**data, "attestation_signed": "on"}).status_code == 302
    period.refresh_from_db()
    assert period.attestation_signed


# --- the .ics address is the learner's own secret --------------------------------------------


def test_only_the_learner_sees_his_calendar_address(client, world):
    learner = world.learner1
    token = str(learner.calendar_token)
    url = reverse("learner_periods", args=[learner.pk])
    # His trainers, his tutor, his manager and the platform admin read his periods, not his key.
    for role in ("trainer_a", "tutor_x", "manager_a", "admin"):
        client.force_login(world.users[role])
        html = client.get(url).content.decode()
        assert token not in html and "/calendrier/" not in html, role
        assert "L'apprenant trouve l'adresse de son agenda sur sa page." in html, role
        assert reverse("calendar_renew", args=[learner.pk]) not in html, role
    client.force_login(world.users["learner1"])
    html = client.get(url).content.decode()
    assert f"/calendrier/{token}.ics" in html
    assert reverse("calendar_renew", args=[learner.pk]) in html


def test_the_learner_renews_his_calendar_address(client, world):
    learner = world.learner1
    old = f"/calendrier/{learner.calendar_token}.ics"
    renew = reverse("calendar_renew", args=[learner.pk])
    # Nobody else renews it: his staff are refused, another centre does not see him.
    for role, status in [
        ("trainer_a", 403),
        ("tutor_x", 403),
        ("manager_a", 403),
        ("admin", 403),
        ("learner2", 404),
        ("manager_b", 404),
    ]:
        client.force_login(world.users[role])
        assert client.post(renew).status_code == status, role
    learner.refresh_from_db()
    assert f"/calendrier/{learner.calendar_token}.ics" == old
    client.force_login(world.users["learner1"])
    assert client.get(renew).status_code == 405
    response = client.post(renew, follow=True)
    assert response.status_code == 200
    assert "l&#x27;ancienne n&#x27;ouvre plus rien" in response.content.decode()
    learner.refresh_from_db()
    new = f"/calendrier/{learner.calendar_token}.ics"
    assert new != old and new in response.content.decode()
    client.logout()
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200


@pytest.mark.django_db
def test_learner_history_keeps_no_calendar_token(world):
    from django.db import connection

    from livret.people.models import Learner

    table = Learner.history.model._meta.db_table
    with connection.cursor() as cursor:
        columns = [c.name for c in connection.introspection.get_table_description(cursor, table)]
    assert "first_name" in columns and "calendar_token" not in columns
    world.learner1.first_name = "Renommé"
    world.learner1.save()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - a table name of ours
        rows = repr(cursor.fetchall())
    assert world.learner1.calendar_token.hex not in rows.replace("-", "")


def test_the_feed_dies_with_the_account(client, world):
    """The attack: a learner's calendar address, kept in a phone or a shared agenda, kept serving
    his name, company and periods after the centre closed his account."""
    learner = world.learner1
    Period.objects.create(
        learner=learner, company=learner.company, start=D(2026, 1, 5), end=D(2026, 1, 30)
    )
    url = reverse("learner_ics", args=[learner.calendar_token])
    client.logout()
    assert client.get(url).status_code == 200
    learner.user.is_active = False
    learner.user.save()
    assert client.get(url).status_code == 404
