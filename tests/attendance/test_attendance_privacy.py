"""Attendance is the learner's data: exported with him, carried by the centre's archive and
restored whole (marks, signatures, corrections, justificatifs, legal representatives), the
signing secret never in the archive; anonymisation scrubs what he wrote and deletes his file."""

import datetime
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from livret.attendance import services
from livret.attendance.models import (
    AbsenceReason,
    Attendance,
    Correction,
    Justification,
    LegalRepresentative,
    Session,
    SheetSignature,
)
from livret.engine import attendance as rules
from livret.ops import rights
from livret.ops.archive import export_archive, restore_archive
from livret.people.models import Organisation

D = datetime.date
T = datetime.time


def _attendance(world):
    u = world.users
    s = Session.objects.create(cohort=world.cohort_a, date=D(2026, 3, 2), start=T(9), end=T(12))
    s.trainers.set([u["trainer_a"]])
    services.call_roll(
        s,
        u["trainer_a"],
        {world.learner1.pk: (rules.ABSENT, 0), world.learner2.pk: (rules.LATE, 10)},
        sign=True,
    )
    row = Attendance.objects.get(session=s, learner=world.learner2)
    services.correct(row, u["manager_a"], rules.PRESENT, 0, "Bus en retard, prévenu")
    services.seed_reasons(world.cohort_a.centre)
    reason = AbsenceReason.objects.get(centre=world.cohort_a.centre, label="Maladie")
    services.send_justification(
        world.learner1,
        u["learner1"],
        reason,
        s.date,
        s.date,
        "Fièvre du lundi",
        SimpleUploadedFile("a.pdf", b"%PDF-1.4 certificat"),
    )
    LegalRepresentative.objects.create(learner=world.learner1, name="Mère Un", email="m@ex.fr")
    # A session cancelled with its reason, a justificatif refused with its reason, a feed token.
    other = Session.objects.create(cohort=world.cohort_a, date=D(2026, 3, 3), start=T(9), end=T(12))
    services.cancel_session(other, u["manager_a"], "Formateur absent")
    refused = services.send_justification(
        world.learner1, u["tutor_x"], reason, D(2026, 2, 2), D(2026, 2, 2), "", None
    )
    services.decide_justification(refused, u["manager_a"], accept=False, reason="Hors délai")
    services.feed_of(u["learner1"])
    return s


@pytest.mark.django_db
def test_the_export_carries_his_attendance(world):
    _attendance(world)
    data = rights.export_learner(world.learner1)
    assert [r["status"] for r in data["attendance"]] == ["absent"]
    assert data["absence_justifications"][0]["comment"] == "Fièvre du lundi"
    assert data["legal_representatives"][0]["email"] == "m@ex.fr"
    assert {j["decision_reason"] for j in data["absence_justifications"]} == {"", "Hors délai"}
    dump = json.dumps(data, ensure_ascii=False)
    assert "Bus en retard" not in dump  # learner2's correction


@pytest.mark.django_db(transaction=True)
def test_the_centre_archive_carries_attendance_and_restores_it(world):
    session = _attendance(world)
    secret = bytes(session.signing_secret)
    centre = Organisation.objects.get(name="CFA A")

    def snapshot():
        return (
            list(Session.objects.order_by("pk").values("pk", "cohort_id", "date", "start", "end")),
            list(Session.trainers.through.objects.values_list("session_id", "user_id")),
            list(
                Attendance.objects.order_by("pk").values(
                    "learner_id", "status", "minutes", "signed_at", "signed_how", "signer_id"
                )
            ),
            list(SheetSignature.objects.values("session_id", "trainer_id", "signed_at")),
            list(Correction.objects.values("attendance_id", "author_id", "reason", "before")),
            list(
                Justification.objects.order_by("pk").values(
                    "learner_id", "comment", "state", "file_type", "decision_reason"
                )
            ),
            list(
                Session.objects.order_by("pk").values(
                    "state", "cancel_reason", "cancelled_by_id", "cancelled_at"
                )
            ),
            list(LegalRepresentative.objects.values("learner_id", "name", "email")),
        )

    archive = export_archive(centre)
    text = json.dumps(archive, ensure_ascii=False, default=str)
    assert secret.hex() not in text
    # The sessions feed's token is a credential: never in the archive.
    from livret.attendance.models import FeedToken

    assert str(FeedToken.objects.get().token) not in text
    labels = {r["model"] for r in archive["records"]}
    assert {"attendance.attendance", "attendance.sheetsignature", "attendance.correction"} <= labels
    before = snapshot()
    assert len(before[2]) == 2 and len(before[4]) == 1
    call_command("flush", interactive=False, verbosity=0)
    assert not Attendance.objects.exists()
    restore_archive(json.loads(json.dumps(archive)))
    assert snapshot() == before
    # A restored session has a fresh signing secret: old codes do not come back.
    assert bytes(Session.objects.get(pk=session.pk).signing_secret) != secret


@pytest.mark.django_db
def test_anonymisation_scrubs_and_deletes_his_file(world):
    _attendance(world)
    learner = world.learner1
    j = Justification.objects.exclude(file="").get(learner=learner)
    path = j.file.path
    rights.anonymise(learner, D(2033, 1, 1))
    j.refresh_from_db()
    assert j.comment == "" and not j.file
    import os

    assert not os.path.exists(path)
    assert not LegalRepresentative.objects.filter(learner=learner).exists()
    # His sessions feed goes with his account's secrets; the refusal's reason is scrubbed.
    from livret.attendance.models import FeedToken

    assert not FeedToken.objects.filter(user=world.users["learner1"]).exists()
    assert set(
        Justification.objects.filter(learner=learner).values_list("decision_reason", flat=True)
    ) == {""}
    # His marks stay (the funders' proof), tied to the anonymised learner.
    assert Attendance.objects.filter(learner=learner).count() == 1
