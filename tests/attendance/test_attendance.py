"""Issue 22, items 1–4: timetable, roll call and signatures, absences told to the employer,
hours and assiduity — through the services and the pages, as each role would."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from livret.attendance import services
from livret.attendance.models import (
    AbsenceReason,
    Attendance,
    Correction,
    Justification,
    LegalRepresentative,
    Session,
    SheetSignature,
    WeeklyPattern,
)
from livret.engine import attendance as rules
from livret.notifications.models import Notification
from livret.periods.models import Period
from tests.mailbox import subject
from tests.worker import run_worker

D = datetime.date
T = datetime.time


def at(day, hour, minute=0):
    return timezone.make_aware(datetime.datetime.combine(day, T(hour, minute)))


@pytest.fixture
def session(world):
    s = Session.objects.create(
        cohort=world.cohort_a, date=D(2026, 3, 2), start=T(9), end=T(12), room="B12"
    )
    s.trainers.set([world.users["trainer_a"]])
    return s


def test_sessions_generated_on_centre_days_only(world):
    cohort = world.cohort_a  # rhythm CCEEE: Monday and Tuesday at the centre
    WeeklyPattern.objects.create(cohort=cohort, weekday=0, start=T(9), end=T(12))
    WeeklyPattern.objects.create(cohort=cohort, weekday=3, start=T(9), end=T(12))  # company
    made = services.generate_sessions(
        cohort, world.users["manager_a"], D(2026, 3, 2), D(2026, 3, 15)
    )
    assert made == 2
    assert [s.date for s in Session.objects.filter(cohort=cohort)] == [D(2026, 3, 2), D(2026, 3, 9)]
    # Run twice: nothing new.
    assert (
        services.generate_sessions(cohort, world.users["manager_a"], D(2026, 3, 2), D(2026, 3, 15))
        == 0
    )


def test_public_holiday_gets_no_session(world):
    cohort = world.cohort_a
    WeeklyPattern.objects.create(cohort=cohort, weekday=0, start=T(9), end=T(12))
    # Easter Monday 2026 is 6 April.
    services.generate_sessions(cohort, world.users["manager_a"], D(2026, 4, 6), D(2026, 4, 6))
    assert not Session.objects.filter(date=D(2026, 4, 6)).exists()


def test_learner_in_company_for_a_period_is_not_expected(world, session):
    Period.objects.create(
        learner=world.learner2,
        start=D(2026, 3, 1),
        end=D(2026, 3, 20),
        company=world.learner2.company,
    )
    assert list(services.expected_learners(session)) == [world.learner1]


def test_learner_between_two_company_periods_is_expected(world, session):
    """One period must cover the day: a past period's start and a coming period's end do not
    make a learner « in company » (the roll once left him off)."""
    for start, end in ((D(2026, 2, 2), D(2026, 2, 27)), (D(2026, 4, 1), D(2026, 4, 30))):
        Period.objects.create(
            learner=world.learner2, start=start, end=end, company=world.learner2.company
        )
    assert set(services.expected_learners(session)) == {world.learner1, world.learner2}


def test_learner_signs_with_the_current_code_not_an_old_one(world, session):
    now = at(session.date, 9, 5)
    code = services.current_code(session, now)
    row = services.sign_with_code(session.pk, world.learner1, code, now)
    assert (row.status, row.signed_how, row.signer) == (
        rules.PRESENT,
        Attendance.LEARNER_CODE,
        world.users["learner1"],
    )
    old = services.current_code(session, at(session.date, 9, 0))
    with pytest.raises(ValidationError, match="expiré"):
        services.sign_with_code(session.pk, world.learner2, old, at(session.date, 9, 3))
    assert not Attendance.objects.filter(learner=world.learner2).exists()


def test_signing_refused_outside_the_session(world, session):
    late = at(session.date, 12, 30)
    with pytest.raises(ValidationError, match="terminée"):
        services.sign_with_code(
            session.pk, world.learner1, services.current_code(session, late), late
        )


def test_roll_call_signed_then_only_corrections(world, session):
    u = world.users
    now = at(session.date, 9, 10)
    services.call_roll(
        session,
        u["trainer_a"],
        {world.learner1.pk: (rules.LATE, 20), world.learner2.pk: (rules.ABSENT, 0)},
        sign=True,
        now=now,
    )
    assert SheetSignature.objects.get(session=session).trainer == u["trainer_a"]
    with pytest.raises(ValidationError, match="correction"):
        services.call_roll(
            session, u["trainer_a"], {world.learner2.pk: (rules.PRESENT, 0)}, sign=False
        )
    row = Attendance.objects.get(session=session, learner=world.learner2)
    with pytest.raises(ValidationError, match="motif"):
        services.correct(row, u["manager_a"], rules.PRESENT, 0, "")
    services.correct(row, u["manager_a"], rules.LATE, 15, "Arrivé par le train suivant")
    c = Correction.objects.get(attendance=row)
    assert (c.author, c.before["status"], c.after) == (
        u["manager_a"],
        rules.ABSENT,
        {"status": rules.LATE, "minutes": 15},
    )


def test_a_bad_mark_changes_nothing(world, session):
    with pytest.raises(ValidationError):
        services.call_roll(
            session,
            world.users["trainer_a"],
            {world.learner1.pk: (rules.ABSENT, 0), world.learner2.pk: (rules.LATE, 999)},
            sign=True,
        )
    assert not Attendance.objects.exists() and not SheetSignature.objects.exists()


def test_unjustified_absence_notifies_tutor_and_company_not_excused(world, session):
    u = world.users
    Attendance.objects.create(
        session=session, learner=world.learner1, excused=True, status=rules.ABSENT
    )
    services.call_roll(
        session,
        u["trainer_a"],
        {world.learner1.pk: (rules.ABSENT, 0), world.learner2.pk: (rules.ABSENT, 0)},
        sign=True,
    )
    got = Notification.objects.filter(kind="absence")
    assert [n.recipient for n in got] == [u["tutor_y"]]
    assert "Deux" in got[0].title


def test_accepted_justification_stops_the_notice(world, session):
    u = world.users
    services.seed_reasons(world.cohort_a.centre)
    reason = AbsenceReason.objects.get(centre=world.cohort_a.centre, label="Maladie")
    j = services.send_justification(
        world.learner2, u["tutor_y"], reason, session.date, session.date, "", None
    )
    services.decide_justification(j, u["manager_a"], accept=True)
    services.call_roll(
        session,
        u["trainer_a"],
        {world.learner1.pk: (rules.PRESENT, 0), world.learner2.pk: (rules.ABSENT, 0)},
        sign=True,
    )
    assert not Notification.objects.filter(kind="absence").exists()
    assert Attendance.objects.get(learner=world.learner2).justification == j


def test_justificatif_type_read_from_content(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    services.seed_reasons(world.cohort_a.centre)
    reason = AbsenceReason.objects.filter(centre=world.cohort_a.centre).first()
    fake = SimpleUploadedFile("arret.pdf", b"<html>not a pdf</html>")
    with pytest.raises(ValidationError, match="non accepté"):
        services.send_justification(
            world.learner1, world.users["learner1"], reason, D(2026, 3, 2), D(2026, 3, 2), "", fake
        )
    assert not Justification.objects.exists()
    pdf = SimpleUploadedFile("arret.pdf", b"%PDF-1.4 a real enough pdf")
    j = services.send_justification(
        world.learner1, world.users["learner1"], reason, D(2026, 3, 2), D(2026, 3, 2), "", pdf
    )
    assert j.file_type == "application/pdf" and j.file.name.endswith(".pdf")


@pytest.mark.django_db(transaction=True)
def test_real_emails_for_an_unjustified_absence_minor_parents_included(world, smtp, session):
    u = world.users
    for name in ("tutor_x", "tutor_y"):
        u[name].email = f"{name}@exemple.fr"
        u[name].save()
    lr = world.learner1
    lr.birth_date = D(2010, 5, 1)  # 15 years old
    lr.save()
    LegalRepresentative.objects.create(learner=lr, name="Mère Un", email="parent@exemple.fr")
    services.call_roll(
        session,
        u["trainer_a"],
        {lr.pk: (rules.ABSENT, 0), world.learner2.pk: (rules.PRESENT, 0)},
        sign=True,
    )
    run_worker()
    assert len(smtp.to("tutor_x@exemple.fr")) == 1
    assert len(smtp.to("parent@exemple.fr")) == 1
    assert "Absence de Learner1 Un" in str(smtp.to("parent@exemple.fr")[0]["Subject"])
    assert not smtp.to("tutor_y@exemple.fr")  # learner2 was present


# --- pages ------------------------------------------------------------------------------------
def test_trainer_calls_the_roll_through_the_page(client, world, session):
    client.force_login(world.users["trainer_a"])
    url = reverse("attendance_roll_call", args=[session.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Learner1" in page.content.decode()
    r = client.post(
        url, {f"s-{world.learner1.pk}": "present", f"s-{world.learner2.pk}": "absent", "sign": "1"}
    )
    assert r.status_code == 302
    assert SheetSignature.objects.filter(session=session).exists()
    assert "Feuille signée par" in client.get(url).content.decode()


@pytest.mark.parametrize(
    "who, status",
    [
        ("trainer_a2", 404),
        ("trainer_b", 404),
        ("manager_b", 404),
        ("tutor_x", 403),
        ("learner1", 403),
        ("manager_a", 200),
    ],
)
def test_who_may_not_call_the_roll(client, world, session, who, status):
    client.force_login(world.users[who])
    assert client.get(reverse("attendance_roll_call", args=[session.pk])).status_code == status
    assert client.get(reverse("attendance_code_json", args=[session.pk])).status_code == status


def test_trainer_of_another_session_gets_404(client, world, session):
    # trainer_a2 teaches the cohort but not this session: he does not see it at all.
    client.force_login(world.users["trainer_a2"])
    assert client.get(reverse("attendance_code", args=[session.pk])).status_code in (403, 404)


def test_learner_sign_page_refuses_a_wrong_code_in_french(client, world, session):
    client.force_login(world.users["learner1"])
    url = reverse("attendance_sign", args=[session.pk])
    r = client.post(url, {"code": "000000"})
    assert r.status_code == 400
    body = r.content.decode()
    assert "terminée" in body or "expiré" in body or "pas encore" in body


def test_learner_of_another_centre_gets_404(client, world, session):
    client.force_login(world.users["learner_b"])
    assert client.get(reverse("attendance_sign", args=[session.pk])).status_code == 404
    assert client.get(reverse("attendance_learner", args=[world.learner1.pk])).status_code == 404


def test_learner_attendance_page_shows_hours_and_rate(client, world, session):
    services.call_roll(
        session,
        world.users["trainer_a"],
        {world.learner1.pk: (rules.LATE, 60), world.learner2.pk: (rules.PRESENT, 0)},
        sign=True,
    )
    client.force_login(world.users["tutor_x"])
    body = client.get(reverse("attendance_learner", args=[world.learner1.pk])).content.decode()
    assert "66,7 %" in body and "3 h" in body and "2 h" in body
    client.force_login(world.users["tutor_y"])
    assert client.get(reverse("attendance_learner", args=[world.learner1.pk])).status_code == 404


def test_code_never_shows_the_secret(client, world, session):
    client.force_login(world.users["trainer_a"])
    body = client.get(reverse("attendance_code", args=[session.pk])).content
    assert bytes(session.signing_secret).hex().encode() not in body
    assert services.current_code(session).encode() in body


# --- documents --------------------------------------------------------------------------------
def _signed(world, session):
    services.call_roll(
        session,
        world.users["trainer_a"],
        {world.learner1.pk: (rules.ABSENT, 0), world.learner2.pk: (rules.LATE, 15)},
        sign=True,
        now=at(session.date, 9, 20),
    )


def _pdf_text(content):
    import io

    from pypdf import PdfReader

    return "".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)


def test_emargement_sheet_pdf(client, world, session):
    _signed(world, session)
    client.force_login(world.users["trainer_a"])
    r = client.get(reverse("attendance_sheet_pdf", args=[session.pk]))
    assert r["Content-Type"] == "application/pdf"
    text = _pdf_text(r.content)
    for words in ("Feuille d'émargement", "02/03/2026", "matin", "UN Learner1", "Absent", "15 min"):
        assert words in text, words
    assert "Feuille signée par" in text
    client.force_login(world.users["learner1"])
    assert client.get(reverse("attendance_sheet_pdf", args=[session.pk])).status_code == 403


def test_monthly_certificate_pdf(client, world, session):
    _signed(world, session)
    client.force_login(world.users["tutor_y"])
    url = reverse("attendance_certificate", args=[world.learner2.pk]) + "?mois=2026-03"
    text = _pdf_text(client.get(url).content)
    assert "Attestation d'assiduité" in text and "2 h 45" in text and "91,7 %" in text


def test_cohort_month_csv_is_inert(client, world, session):
    world.learner1.last_name = "=HYPERLINK(1)"
    world.learner1.save()
    _signed(world, session)
    client.force_login(world.users["manager_a"])
    url = reverse("attendance_cohort_month", args=[world.cohort_a.pk, "csv"]) + "?mois=2026-03"
    text = client.get(url).content.decode()
    assert "'=HYPERLINK(1);Learner1;02/03/2026;09:00;12:00;;Absent;0;non" in text
    xlsx = client.get(
        reverse("attendance_cohort_month", args=[world.cohort_a.pk, "xlsx"]) + "?mois=2026-03"
    )
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(xlsx.content)).active
    assert sheet.cell(2, 1).data_type == "s" and sheet.cell(2, 1).value in ("=HYPERLINK(1)", "Deux")
    client.force_login(world.users["tutor_x"])
    assert client.get(url).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_real_emails_tell_the_sender_the_managers_decision(world, smtp):
    """The tutor who sent a justificatif reads the refusal and its reason; the learner who sent
    his own reads that it was accepted; nobody else is written to."""
    u = world.users
    for name in ("tutor_y", "learner1", "tutor_x", "learner2", "manager_a"):
        u[name].email = f"{name}@exemple.fr"
        u[name].save()
    services.seed_reasons(world.cohort_a.centre)
    reason = AbsenceReason.objects.get(centre=world.cohort_a.centre, label="Maladie")
    by_tutor = services.send_justification(
        world.learner2, u["tutor_y"], reason, D(2026, 3, 2), D(2026, 3, 3), "", None
    )
    by_learner = services.send_justification(
        world.learner1, u["learner1"], reason, D(2026, 3, 4), D(2026, 3, 4), "", None
    )
    services.decide_justification(by_tutor, u["manager_a"], False, "Certificat illisible")
    services.decide_justification(by_learner, u["manager_a"], True)
    run_worker()
    (refused,) = smtp.to("tutor_y@exemple.fr")
    text = refused.get_body(("plain",)).get_content()
    assert "Justificatif refusé : absence de Learner2 Deux du 02/03/2026 au 03/03/2026" in (
        subject(refused)
    )
    assert "Motif du refus : Certificat illisible" in text
    assert f"/assiduite/{world.learner2.pk}/" in text
    (accepted,) = smtp.to("learner1@exemple.fr")
    assert "Justificatif accepté : absence de Learner1 Un du 04/03/2026" in subject(accepted)
    assert "accepté" in accepted.get_body(("plain",)).get_content()
    # Neither the learner of the tutor's justificatif, nor the other tutor, nor the manager.
    for other in ("learner2", "tutor_x", "manager_a"):
        assert not smtp.to(f"{other}@exemple.fr"), other
    assert Notification.objects.filter(kind="justification").count() == 2


def test_the_signing_code_cannot_be_guessed(client, world, settings):
    """The attack: a learner at home posts 000000, 000001… until one matches the code shown in
    the room. After ten tries in ten minutes he is held back (429), even with the right code and
    from another address; his classmate in the room is not."""
    from livret.attendance.models import Attendance

    settings.PUBLIC_THROTTLES = {}
    now = timezone.localtime()
    session = Session.objects.create(
        cohort=world.cohort_a, date=now.date(), start=T(0), end=datetime.time(23, 59)
    )
    session.trainers.set([world.users["trainer_a"]])
    code = services.current_code(session)
    url = reverse("attendance_sign", args=[session.pk])
    client.force_login(world.users["learner1"])
    wrong = [f"{n:06d}" for n in range(20) if f"{n:06d}" != code][:10]
    for guess in wrong:
        assert client.post(url, {"code": guess}).status_code == 400
    held = client.post(url, {"code": code}, REMOTE_ADDR="10.9.9.9")
    assert held.status_code == 429 and held["Retry-After"] == "600"
    assert "deviner le code" in held.content.decode()
    assert not Attendance.objects.filter(session=session, signed_at__isnull=False).exists()
    client.force_login(world.users["learner2"])
    assert client.post(url, {"code": services.current_code(session)}).status_code == 302
    assert Attendance.objects.get(session=session, signed_at__isnull=False).learner == (
        world.learner2
    )
