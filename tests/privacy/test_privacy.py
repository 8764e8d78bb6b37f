"""Personal-data rights: access log and its purge, full export, anonymisation after retention."""

import datetime
import json

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from livret.competences.services import record_evaluation
from livret.credentials import services as badges
from livret.exams.models import ExamSession
from livret.exams.services import register_cohort, set_grade
from livret.periods.models import Agreement, Contract, Period
from livret.privacy import services
from livret.privacy.models import AccessLog
from livret.referentiels.models import Bloc

D = datetime.date


@pytest.fixture
def rich(world, settings, tmp_path):
    """learner1 with a value in every table that holds personal data."""
    w = world
    l1 = w.learner1
    l1.email, l1.birth_date = "learner1@exemple.fr", D(2004, 3, 9)
    l1.save()
    fact = record_evaluation(
        learner=l1,
        competence=w.competence,
        level="acquired",
        observed_on=D(2026, 5, 2),
        evaluator=w.users["trainer_a"],
        comment="Très bonne analyse",
        evidence=SimpleUploadedFile("preuve.pdf", b"%PDF-1.4 x"),
        evidence_type="application/pdf",
    )
    period = Period.objects.create(
        learner=l1,
        company=l1.company,
        start=D(2026, 1, 5),
        end=D(2026, 1, 30),
        attestation_file=SimpleUploadedFile("att.pdf", b"%PDF-1.4 a"),
    )
    Agreement.objects.create(period=period, activities="Rondes de nuit")
    Contract.objects.create(
        learner=l1,
        kind=Contract.APPRENTICESHIP,
        company=l1.company,
        start=D(2025, 9, 1),
        end=D(2027, 8, 31),
    )
    session = ExamSession.objects.create(
        referentiel=w.ref, organiser=l1.centre, year=2026, name="Session"
    )
    register_cohort(session, w.cohort_a, w.users["admin"])
    set_grade(session.candidates.get(learner=l1), "U4", "13.5", w.users["admin"])
    bloc = Bloc.objects.get(referentiel=w.ref, code="B1")
    for comp in bloc.competences.all():
        record_evaluation(
            learner=l1,
            competence=comp,
            level="acquired",
            observed_on=D(2026, 5, 3),
            evaluator=w.users["trainer_a"],
        )
    badges.issue(l1, bloc, w.users["manager_a"], "https://x")
    from livret.bulletins.models import Appreciation, Assessment, Mark, TeachingModule

    module = TeachingModule.objects.create(cohort=w.cohort_a, title="E4 - Prévention")
    assessment = Assessment.objects.create(
        module=module,
        title="Écrit",
        held_on=D(2026, 3, 2),
        semester=2,
        created_by=w.users["trainer_a"],
    )
    Mark.objects.create(
        assessment=assessment, learner=l1, hundredths=1425, entered_by=w.users["trainer_a"]
    )
    Appreciation.objects.create(
        learner=l1,
        module=module,
        semester=2,
        text="Learner1 progresse nettement.",
        author=w.users["trainer_a"],
    )
    from livret.exams.services import add_dispensation, record_jury_decision
    from livret.vae.models import Candidacy, Experience, VaeOffer, VaeProfile

    candidate = session.candidates.get(learner=l1)
    add_dispensation(candidate, "U1", "other_bts", w.users["admin"])
    record_jury_decision(session, candidate, "admis", "Dossier exemplaire", w.users["admin"])
    VaeProfile.objects.create(user=l1.user, phone="06 12 34 56 78")
    offer = VaeOffer.objects.create(certifier=l1.centre, referentiel=w.ref)
    candidacy = Candidacy.objects.create(
        candidate=l1.user, offer=offer, motivation="Devenir chef de site"
    )
    Experience.objects.create(
        candidacy=candidacy, employer="Vigilis", job_title="Agent", start=D(2020, 1, 1)
    )
    return w, fact


def test_views_by_others_are_logged_not_by_the_learner(client, world):
    url = reverse("livret", args=[world.learner1.pk])
    client.force_login(world.users["learner1"])
    client.get(url)
    assert not AccessLog.objects.exists()
    client.force_login(world.users["tutor_x"])
    client.get(url)
    client.get(reverse("history", args=[world.learner1.pk, world.competence.pk]))
    logs = list(AccessLog.objects.values_list("viewer_name", "what"))
    assert ("Tutor_x Test", "livret") in logs and (
        "Tutor_x Test",
        "historique d'une compétence",
    ) in logs


def test_purge_keeps_each_centres_period(world):
    log = AccessLog.objects.create(
        learner=world.learner1, viewer=world.users["tutor_x"], viewer_name="x", what="livret"
    )
    AccessLog.objects.filter(pk=log.pk).update(at=timezone.now() - datetime.timedelta(days=400))
    recent = AccessLog.objects.create(
        learner=world.learner1, viewer=world.users["tutor_x"], viewer_name="x", what="livret"
    )
    assert services.purge_access_logs() == 1
    assert list(AccessLog.objects.values_list("pk", flat=True)) == [recent.pk]


PERSONAL_TABLES = {
    "people.learner": "learner",
    "auth.user": "account",
    "people.profile": "profiles",
    "competences.competenceevaluation": "evaluations",
    "competences.competencestatus": "competence_statuses",
    "competences.situation": "situations",
    "periods.period": "periods",
    "periods.agreement": "agreements",
    "periods.contract": "contracts",
    "exams.candidate": "exam_candidacies",
    "exams.grade": "exam_grades",
    "bulletins.mark": "module_marks",
    "bulletins.appreciation": "appreciations",
    "credentials.credential": "credentials",
    "privacy.accesslog": "access_log",
    "people.historicallearner": "history",
}


def test_export_has_a_value_from_every_table_with_personal_data(client, rich):
    w, fact = rich
    client.force_login(w.users["manager_a"])  # the manager does it for him (and is logged doing so)
    response = client.get(reverse("personal_data", args=[w.learner1.pk]))
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    for table, key in PERSONAL_TABLES.items():
        assert apps.get_model(table)  # the table exists
        assert data[key], f"{table} is missing from the export"
    assert (
        data["learner"][0]["email"] == "learner1@exemple.fr"
        and data["learner"][0]["birth_date"] == "2004-03-09"
    )
    assert any(e["comment"] == "Très bonne analyse" for e in data["evaluations"])
    assert data["exam_grades"][0]["hundredths"] == 1350
    assert data["agreements"][0]["activities"] == "Rondes de nuit"
    assert (
        data["vae_profile"][0]["phone"] == "06 12 34 56 78"
        and data["jury_decisions"][0]["reason"] == "Dossier exemplaire"
    )
    client.force_login(w.users["learner1"])
    assert client.get(reverse("personal_data", args=[w.learner1.pk])).status_code == 200
    for role in ("tutor_x", "trainer_a"):
        client.force_login(w.users[role])
        assert client.get(reverse("personal_data", args=[w.learner1.pk])).status_code == 403
    client.force_login(w.users["manager_b"])
    assert client.get(reverse("personal_data", args=[w.learner1.pk])).status_code == 404


def test_anonymisation_after_retention(client, rich):
    w, fact = rich
    learner = w.learner1
    with pytest.raises(services.ValidationError, match="Durée de conservation non écoulée"):
        services.anonymise(learner, D(2027, 1, 1))
    evidence_path = fact.evidence.path
    facts_before = learner.evaluations.count()
    services.anonymise(learner, D(2033, 1, 1))  # cohort 2025 + 2 years + 5 years of retention
    learner.refresh_from_db()
    dump = json.dumps(services.export_learner(learner), ensure_ascii=False)
    for identifying in (
        "Learner1",
        "learner1@exemple.fr",
        "2004-03-09",
        "Un",
        "preuve.pdf",
        "Très bonne analyse",
    ):
        assert identifying not in dump.replace("Anonyme", ""), identifying
    assert not __import__("os").path.exists(evidence_path)
    # Still countable in statistics.
    assert learner.evaluations.count() == facts_before
    assert learner.statuses.filter(level="acquired").exists()
    from livret.exams.models import Candidate

    assert Candidate.objects.get(learner=learner).last_name == str(learner.pk)
    old_user = w.users["learner1"]
    old_user.refresh_from_db()
    assert not old_user.is_active and old_user.username.startswith("anonyme-")
    from livret.vae.models import VaeProfile

    assert VaeProfile.objects.get(user=old_user).phone == ""
