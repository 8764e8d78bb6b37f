"""Personal-data rights: access log and its purge, full export, anonymisation after retention."""

import datetime
import json

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from livret.ops import rights
from livret.privacy import services
from livret.privacy.models import AccessLog

D = datetime.date


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
    with pytest.raises(rights.ValidationError, match="Durée de conservation non écoulée"):
        rights.anonymise(learner, D(2027, 1, 1))
    evidence_path = fact.evidence.path
    facts_before = learner.evaluations.count()
    old_feed = learner.calendar_token
    rights.anonymise(learner, D(2033, 1, 1))  # cohort 2025 + 2 years + 5 years of retention
    learner.refresh_from_db()
    # His calendar's old address opens nothing (a new token, and no account behind it).
    assert learner.calendar_token != old_feed
    assert client.get(reverse("learner_ics", args=[old_feed])).status_code == 404
    dump = json.dumps(rights.export_learner(learner), ensure_ascii=False)
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

    assert {c.last_name for c in Candidate.objects.filter(learner=learner)} == {str(learner.pk)}
    old_user = w.users["learner1"]
    old_user.refresh_from_db()
    assert not old_user.is_active and old_user.username.startswith("anonyme-")
    from livret.vae.models import VaeProfile

    assert VaeProfile.objects.get(user=old_user).phone == ""
