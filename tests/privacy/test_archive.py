"""Export → restore round trip on the demo centre, record by record; the cohort XLSX; backups."""

import io
import json
import sqlite3

import pytest
from django.apps import apps
from django.core import serializers
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from livret.ops import demo
from livret.ops.archive import backup, export_archive, restore_archive
from livret.people.models import Cohort, Organisation
from livret.privacy import registry
from livret.referentiels.loader import default_files, load_files


def snapshot(models) -> dict:
    """Each model's rows as serialised, without what deliberately never leaves (passwords, the
    calendar token, private keys… as each app declares it)."""
    out = {}
    for m in models:
        rows = json.loads(serializers.serialize("json", m.objects.order_by("pk")))
        table = registry.declared_for(m)
        for row in rows:
            for name in table.archive_omit if table else ():
                row["fields"].pop(name, None)
        out[m._meta.label] = rows
    return out


@pytest.mark.django_db(transaction=True)
def test_export_restore_round_trip_on_the_demo_centre():
    load_files(default_files())
    demo.create()
    centre = Organisation.objects.get(name=demo.CENTRE_NAME)
    # Some history to carry: a grade changed then deleted, a learner edited, a livret consulted.
    from livret.exams.models import Grade
    from livret.people.models import Learner
    from livret.privacy.models import AccessLog

    manager = centre.profiles.get(role="manager").user
    learner = Learner.objects.get(user__username="apprenti")
    learner._history_user = manager
    learner.email = "nouvelle.adresse@exemple.fr"
    learner.save()
    grade = Grade.objects.filter(candidate__session__organiser=centre).first()
    deleted_grade_pk = grade.pk
    grade.delete()
    AccessLog.objects.create(learner=learner, viewer=manager, viewer_name="Camille", what="livret")
    from livret.competences import visas

    visas.sign(learner, learner.tutor)  # a visa moves with the livret it signed
    archive = export_archive(centre)
    labels = {r["model"] for r in archive["records"]}
    # The demo centre, every table filled: still no credential-like field (see test_secrets).
    from tests.privacy.test_secrets import credential_fields

    assert not credential_fields(archive)
    for expected in (
        "people.learner",
        "competences.competenceevaluation",
        "competences.situation",
        "periods.period",
        "periods.contract",
        "exams.grade",
        "exams.deliberation",
        "auth.user",
        "referentiels.competence",
        # The audit trail moves with the centre.
        "people.historicallearner",
        "people.historicalcohort",
        "people.historicaluser",
        "exams.historicalgrade",
        "periods.historicalperiod",
        "privacy.accesslog",
        # The tutor's voice and the follow-up of the alternance.
        "competences.tutorappraisal",
        "competences.visa",
        "periods.followup",
        "periods.historicalfollowup",
        # The contrôle continu: modules, assessments, marks with who typed them, appreciations.
        "bulletins.teachingmodule",
        "bulletins.assessment",
        "bulletins.mark",
        "bulletins.historicalmark",
        "bulletins.appreciation",
        # The titre pro jury's decisions, CCP by CCP, and who entered them.
        "exams.ccpresult",
        "exams.historicalccpresult",
    ):
        assert expected in labels, expected
    # The lycée's archive carries its attestation decisions (the CFA has no Bac pro).
    lycee_labels = {
        r["model"]
        for r in export_archive(Organisation.objects.get(name=demo.LYCEE_NAME))["records"]
    }
    assert {"bulletins.aridecision", "bulletins.historicalaridecision"} <= lycee_labels
    history = [r for r in archive["records"] if r["model"] == "exams.historicalgrade"]
    # The past versions of a deleted grade are kept ('+' created, '-' deleted).
    assert {
        r["fields"]["history_type"] for r in history if r["fields"]["id"] == deleted_grade_pk
    } == {
        "+",
        "-",
    }
    # Nothing of the other demo centre (the lycée) is in the archive, history included.
    lycee = Organisation.objects.get(name=demo.LYCEE_NAME)
    assert not [
        r
        for r in archive["records"]
        if r["model"] in ("people.learner", "people.historicallearner")
        and r["fields"]["centre"] == lycee.pk
    ]
    models = [apps.get_model(label) for label in labels]
    before = snapshot(models)
    # The VAE certifier of the demo is another organisation: only the CFA's data is in the archive.
    assert "vae.vaeoffer" not in labels

    call_command("flush", interactive=False, verbosity=0)
    assert not Organisation.objects.exists()
    restored = restore_archive(json.loads(json.dumps(archive)))
    assert restored == len(archive["records"])
    after = snapshot(models)
    assert any(label.startswith("people.Historical") for label in before)
    for label in before:
        centre_rows = {r["pk"] for r in archive["records"] if r["model"] == label.lower()}
        kept = [r for r in before[label] if r["pk"] in centre_rows]
        assert after[label] == kept, label
    # Who changed the learner's address, and when, survived the move.
    edit = Learner.history.get(email="nouvelle.adresse@exemple.fr")
    assert edit.history_user.username == "responsable" and edit.history_date is not None
    assert AccessLog.objects.filter(viewer__username="responsable", what="livret").exists()
    # The application works on the restored data.
    from livret.competences.models import CompetenceEvaluation

    assert CompetenceEvaluation.objects.filter(learner__user__username="apprenti").exists()
    # Its alerts were computed again as the restore committed (a small centre: at once).
    from livret.periods.alerts import stale

    assert Learner.objects.exists()
    assert not stale(Learner.objects.all(), timezone.localdate()).exists()


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_that_is_not_empty():
    load_files(default_files())
    with pytest.raises(Exception, match="pas vide"):
        restore_archive({"format": "livret-archive/1", "records": []})
    with pytest.raises(Exception, match="format"):
        restore_archive({"format": "autre", "records": []})


def test_cohort_xlsx(client, world):
    from openpyxl import load_workbook

    client.force_login(world.users["trainer_a"])
    response = client.get(reverse("grid_xlsx", args=[world.cohort_a.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Nom", "Prénom", "A1.1C1")
    column = rows[0].index("A1.2C3")
    learner1 = [r for r in rows if r[1] == "Learner1"][0]
    assert learner1[column] == "En cours d'acquisition"
    client.force_login(world.users["trainer_b"])
    assert client.get(reverse("grid_xlsx", args=[world.cohort_a.pk])).status_code == 404


@pytest.mark.django_db(transaction=True)  # SQLite's backup waits for no open transaction
def test_backup(tmp_path):
    Cohort.objects.count()
    target = tmp_path / ("backup.sqlite3" if connection.vendor == "sqlite" else "backup.dump")
    backup(str(target))
    assert target.stat().st_size > 0
    if connection.vendor == "sqlite":
        tables = {
            r[0]
            for r in sqlite3.connect(target).execute(
                "select name from sqlite_master where type='table'"
            )
        }
        assert "people_learner" in tables
    else:
        assert target.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format
