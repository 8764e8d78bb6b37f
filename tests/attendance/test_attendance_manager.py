"""Issue 22, the manager's pages: the weekly pattern typed once and the sessions generated from
it, the timetable edited session by session, hours per module against the programme, the cohort's
attendance, justificatifs sent by the tutor and decided by the manager, the centre's settings —
through the pages, as each role would, with the rights of each."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from livret.attendance import services
from livret.attendance.models import (
    AbsenceReason,
    Attendance,
    CentreSettings,
    Justification,
    Session,
    WeeklyPattern,
)
from livret.bulletins.models import TeachingModule

D = datetime.date
T = datetime.time
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def module(world):
    return TeachingModule.objects.create(cohort=world.cohort_a, title="E1 - Culture générale")


def test_pattern_typed_once_then_sessions_generated(client, world, module):
    client.force_login(world.users["manager_a"])
    url = reverse("attendance_cohort_pattern", args=[world.cohort_a.pk])
    r = client.post(
        url,
        {
            "weekday": 0,
            "start": "09:00",
            "end": "12:00",
            "module": module.pk,
            "trainer": world.users["trainer_a"].pk,
            "room": "B12",
        },
    )
    assert r.status_code == 302
    # A slot that overlaps: refused beside the field, what was typed kept, nothing saved.
    r = client.post(url, {"weekday": 0, "start": "11:00", "end": "10:00", "room": "Z9"})
    page = r.content.decode()
    assert r.status_code == 400
    assert "La fin doit suivre le début." in page and 'value="Z9"' in page
    assert WeeklyPattern.objects.filter(cohort=world.cohort_a).count() == 1
    r = client.post(url, {"action": "generate", "first": "2026-03-02", "last": "2026-03-15"})
    assert r.status_code == 302
    made = list(Session.objects.filter(cohort=world.cohort_a))
    # Rhythm CCEEE: the Mondays of 2 and 9 March only.
    assert [s.date for s in made] == [D(2026, 3, 2), D(2026, 3, 9)]
    assert all(list(s.trainers.all()) == [world.users["trainer_a"]] for s in made)
    # The timetable shows them, with the hours of the module against the programme's.
    world.cohort_a.programme_units = [["E1 - Culture générale", 80, 80]]
    world.cohort_a.save()
    page = client.get(
        reverse("attendance_cohort_timetable", args=[world.cohort_a.pk]) + "?mois=2026-03"
    ).content.decode()
    assert "lundi 02/03" in page and "lundi 09/03" in page
    assert "6 h" in page and "160 h" in page and "1350 h" in page


def test_trainer_reads_the_pattern_but_may_not_change_it(client, world):
    client.force_login(world.users["trainer_a"])
    url = reverse("attendance_cohort_pattern", args=[world.cohort_a.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Ajouter un créneau" not in page.content.decode()
    assert client.post(url, {"weekday": 0, "start": "09:00", "end": "12:00"}).status_code == 403
    assert not WeeklyPattern.objects.exists()


@pytest.mark.parametrize("who", ["manager_b", "trainer_b", "tutor_x", "learner1"])
def test_others_do_not_see_the_cohort_pages(client, world, who):
    client.force_login(world.users[who])
    for name in ("attendance_cohort_pattern", "attendance_cohort_timetable", "attendance_cohort"):
        assert client.get(reverse(name, args=[world.cohort_a.pk])).status_code == 404


def test_session_added_moved_then_cancelled_with_its_reason(client, world, module):
    manager = world.users["manager_a"]
    client.force_login(manager)
    r = client.post(
        reverse("attendance_session_new", args=[world.cohort_a.pk]),
        {
            "date": "2026-03-03",
            "start": "13:30",
            "end": "17:00",
            "module": module.pk,
            "room": "A1",
            "trainers": [world.users["trainer_a2"].pk],
        },
    )
    assert r.status_code == 302
    s = Session.objects.get(cohort=world.cohort_a)
    assert s.created_by == manager and list(s.trainers.all()) == [world.users["trainer_a2"]]
    edit = reverse("attendance_session_edit", args=[s.pk])
    r = client.post(
        edit,
        {"date": "2026-03-04", "start": "13:30", "end": "17:00", "module": module.pk, "room": "A2"},
    )
    assert r.status_code == 302
    s.refresh_from_db()
    assert s.date == D(2026, 3, 4) and s.room == "A2" and s.updated_by == manager
    # Cancelling needs its reason.
    r = client.post(edit, {"action": "cancel", "reason": ""})
    assert r.status_code == 400 and "Ce champ est obligatoire." in r.content.decode()
    r = client.post(edit, {"action": "cancel", "reason": "Formateur malade"})
    assert r.status_code == 302
    s.refresh_from_db()
    assert s.state == Session.CANCELLED and s.cancel_reason == "Formateur malade"
    assert s.cancelled_by == manager and s.cancelled_at is not None


def test_trainer_may_not_edit_a_session_other_centre_404(client, world):
    s = Session.objects.create(cohort=world.cohort_a, date=D(2026, 3, 2), start=T(9), end=T(12))
    s.trainers.set([world.users["trainer_a"]])
    url = reverse("attendance_session_edit", args=[s.pk])
    for who, status in (("trainer_a", 403), ("learner1", 403), ("manager_b", 404)):
        client.force_login(world.users[who])
        assert client.get(url).status_code == status


def test_cohort_attendance_per_learner_and_totals(client, world):
    s = Session.objects.create(cohort=world.cohort_a, date=D(2026, 3, 2), start=T(9), end=T(12))
    s.trainers.set([world.users["trainer_a"]])
    services.call_roll(
        s,
        world.users["trainer_a"],
        {world.learner1.pk: ("present", 0), world.learner2.pk: ("late", 30)},
        sign=False,
    )
    client.force_login(world.users["trainer_a"])
    page = client.get(reverse("attendance_cohort", args=[world.cohort_a.pk])).content.decode()
    # learner2: 3 h planned, 2 h 30 attended, 30 min unjustified; the cohort: 6 h, 5 h 30.
    assert "2 h 30" in page and "83,3 %" in page and "100,0 %" in page
    assert "5 h 30" in page and "91,7 %" in page


def test_tutor_sends_a_justificatif_the_manager_refuses_with_reason_then_accepts(client, world):
    services.seed_reasons(world.cohort_a.centre)
    reason = AbsenceReason.objects.get(centre=world.cohort_a.centre, label="Maladie")
    client.force_login(world.users["tutor_y"])
    url = reverse("attendance_justification_send", args=[world.learner2.pk])
    # Bad input: every problem at once, the comment kept, nothing saved.
    r = client.post(url, {"first_day": "2026-03-05", "last_day": "2026-03-02", "comment": "Fièvre"})
    page = r.content.decode()
    assert r.status_code == 400 and "La fin précède le début." in page
    assert "Ce champ est obligatoire." in page and "Fièvre" in page
    assert not Justification.objects.exists()
    upload = SimpleUploadedFile("arret.pdf", PDF, content_type="application/pdf")
    r = client.post(
        url,
        {
            "reason": reason.pk,
            "first_day": "2026-03-02",
            "last_day": "2026-03-02",
            "comment": "Fièvre",
            "file": upload,
        },
    )
    assert r.status_code == 302
    j = Justification.objects.get()
    assert j.sent_by == world.users["tutor_y"] and j.file_type == "application/pdf"
    # Another tutor's apprentice: 404; the trainer may not send one: 403.
    assert (
        client.get(reverse("attendance_justification_send", args=[world.learner1.pk])).status_code
        == 404
    )
    client.force_login(world.users["trainer_a"])
    assert client.get(url).status_code == 403
    # The manager sees it, opens the file, must give a reason to refuse.
    client.force_login(world.users["manager_a"])
    page = client.get(reverse("attendance_justifications")).content.decode()
    assert "Deux" in page and "Maladie" in page
    f = client.get(reverse("attendance_justification_file", args=[j.pk]))
    assert f.status_code == 200 and b"".join(f.streaming_content) == PDF
    r = client.post(
        reverse("attendance_justifications"), {"justification": j.pk, "decision": "refuse"}
    )
    assert r.status_code == 400 and "Indiquez le motif du refus." in r.content.decode()
    j.refresh_from_db()
    assert j.state == Justification.PENDING
    r = client.post(
        reverse("attendance_justifications"), {"justification": j.pk, "decision": "accept"}
    )
    j.refresh_from_db()
    assert j.state == Justification.ACCEPTED and j.decided_by == world.users["manager_a"]
    # Another centre's manager sees neither the list's item nor the file.
    client.force_login(world.users["manager_b"])
    assert "Deux" not in client.get(reverse("attendance_justifications")).content.decode()
    assert client.get(reverse("attendance_justification_file", args=[j.pk])).status_code == 404


def test_centre_settings_and_reasons(client, world):
    client.force_login(world.users["manager_a"])
    url = reverse("attendance_settings")
    r = client.post(url, {"threshold_percent": "120", "absence_run": "0"})
    page = r.content.decode()
    assert r.status_code == 400
    assert "Un pourcentage entre 0 et 100." in page or "inférieure ou égale à 100" in page
    assert not CentreSettings.objects.filter(threshold_percent=120).exists()
    assert client.post(url, {"threshold_percent": "75", "absence_run": "4"}).status_code == 302
    s = CentreSettings.objects.get(centre=world.cohort_a.centre)
    assert (s.threshold_percent, s.absence_run) == (75, 4)
    assert client.post(url, {"action": "reason", "label": "Panne de train"}).status_code == 302
    r = client.post(url, {"action": "reason", "label": "panne de train"})
    assert r.status_code == 400 and "déjà dans la liste" in r.content.decode()
    train = AbsenceReason.objects.get(label="Panne de train")
    client.post(url, {"action": "withdraw", "reason": train.pk})
    train.refresh_from_db()
    assert not train.active
    for who in ("trainer_a", "tutor_x", "learner1"):
        client.force_login(world.users[who])
        assert client.get(url).status_code == 404


def test_signed_session_is_not_edited(client, world):
    s = Session.objects.create(cohort=world.cohort_a, date=D(2026, 3, 2), start=T(9), end=T(12))
    s.trainers.set([world.users["trainer_a"]])
    services.call_roll(
        s,
        world.users["trainer_a"],
        {world.learner1.pk: ("present", 0), world.learner2.pk: ("present", 0)},
        sign=True,
    )
    client.force_login(world.users["manager_a"])
    url = reverse("attendance_session_edit", args=[s.pk])
    assert "ne se modifie plus" in client.get(url).content.decode()
    r = client.post(url, {"action": "cancel", "reason": "Erreur"})
    assert r.status_code == 400
    s.refresh_from_db()
    assert s.state == Session.PLANNED
    assert Attendance.objects.filter(session=s).count() == 2


def test_signed_sheet_corrected_on_the_page_with_its_reason(client, world):
    from livret.attendance.models import Correction

    s = Session.objects.create(cohort=world.cohort_a, date=D(2026, 3, 2), start=T(9), end=T(12))
    s.trainers.set([world.users["trainer_a"]])
    services.call_roll(
        s,
        world.users["trainer_a"],
        {world.learner1.pk: ("present", 0), world.learner2.pk: ("absent", 0)},
        sign=True,
    )
    row = Attendance.objects.get(session=s, learner=world.learner2)
    client.force_login(world.users["trainer_a"])
    url = reverse("attendance_roll_call", args=[s.pk])
    # Without a reason: refused in French, nothing changed, the form stays open.
    r = client.post(url, {"correct": row.pk, "status": "late", "minutes": "20", "reason": ""})
    assert r.status_code == 400 and "Indiquez le motif de la correction." in r.content.decode()
    row.refresh_from_db()
    assert row.status == "absent" and not Correction.objects.exists()
    r = client.post(
        url, {"correct": row.pk, "status": "late", "minutes": "20", "reason": "Arrivé à 9 h 20"}
    )
    assert r.status_code == 302
    row.refresh_from_db()
    assert (row.status, row.minutes) == ("late", 20)
    c = Correction.objects.get()
    assert c.author == world.users["trainer_a"] and c.before == {"status": "absent", "minutes": 0}
    page = client.get(url).content.decode()
    assert "Absent → En retard (20 min) — Arrivé à 9 h 20" in page
    # A learner of the session sees it but may not correct: 403.
    client.force_login(world.users["learner1"])
    r = client.post(url, {"correct": row.pk, "status": "present", "reason": "x"})
    assert r.status_code == 403
