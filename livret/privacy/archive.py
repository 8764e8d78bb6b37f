"""A centre's full data as one JSON archive, and its restoration into an empty database.

The archive holds every row the centre owns (cohorts, learners, livrets, periods, exams, badges,
access log…) and every row those point at (users, companies, the référentiels), in dependency order,
with their primary keys: restoring into a freshly migrated database gives back the same records.
Also: online backups of the whole database (SQLite backup API, or pg_dump).
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
from collections import defaultdict

from django.apps import apps
from django.core import serializers
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.management.color import no_style
from django.db import connection, transaction

FORMAT = "livret-archive/1"


def _seeds(centre):
    from livret.bulletins.models import Appreciation, AriDecision, Assessment, Mark, TeachingModule
    from livret.competences.models import (
        CompetenceEvaluation,
        CompetenceStatus,
        Situation,
        TutorAppraisal,
        Visa,
    )
    from livret.credentials.models import Credential, IssuerKey
    from livret.exams.models import (
        Candidate,
        CcfSituation,
        CcpResult,
        Deliberation,
        Dispensation,
        ExamSession,
        Grade,
        JuryDecision,
    )
    from livret.people.models import Cohort, Learner, Organisation, Profile
    from livret.periods.models import Agreement, Contract, FollowUp, Period, PeriodReview
    from livret.privacy.models import AccessLog
    from livret.referentiels import models as rm
    from livret.surveys.models import Invitation, Response, Survey

    return [
        Organisation.objects.filter(pk=centre.pk),
        Profile.objects.filter(organisation=centre),
        Cohort.objects.filter(centre=centre),
        Learner.objects.filter(centre=centre),
        CompetenceEvaluation.objects.filter(learner__centre=centre),
        CompetenceStatus.objects.filter(learner__centre=centre),
        Situation.objects.filter(learner__centre=centre),
        TutorAppraisal.objects.filter(learner__centre=centre),
        Visa.objects.filter(learner__centre=centre),
        FollowUp.objects.filter(learner__centre=centre),
        Period.objects.filter(learner__centre=centre),
        TeachingModule.objects.filter(cohort__centre=centre),
        Assessment.objects.filter(module__cohort__centre=centre),
        Mark.objects.filter(learner__centre=centre),
        Appreciation.objects.filter(learner__centre=centre),
        AriDecision.objects.filter(learner__centre=centre),
        Survey.objects.filter(centre=centre),
        Invitation.objects.filter(survey__centre=centre),
        Response.objects.filter(survey__centre=centre),
        Agreement.objects.filter(period__learner__centre=centre),
        PeriodReview.objects.filter(period__learner__centre=centre),
        Contract.objects.filter(learner__centre=centre),
        ExamSession.objects.filter(organiser=centre),
        Candidate.objects.filter(session__organiser=centre),
        Grade.objects.filter(candidate__session__organiser=centre),
        Dispensation.objects.filter(candidate__session__organiser=centre),
        CcfSituation.objects.filter(candidate__session__organiser=centre),
        CcpResult.objects.filter(candidate__session__organiser=centre),
        Deliberation.objects.filter(session__organiser=centre),
        JuryDecision.objects.filter(deliberation__session__organiser=centre),
        IssuerKey.objects.filter(organisation=centre),
        Credential.objects.filter(issuer=centre),
        AccessLog.objects.filter(learner__centre=centre),
        # Référentiels are public data, and every livret points into them: take them whole.
        rm.Diploma.objects.all(),
        rm.Referentiel.objects.all(),
        rm.Pole.objects.all(),
        rm.Activity.objects.all(),
        rm.Task.objects.all(),
        rm.Knowledge.objects.all(),
        rm.Unit.objects.all(),
        rm.Competence.objects.all(),
        rm.Bloc.objects.all(),
        rm.Exam.objects.all(),
    ]


def _history_model(model):
    """simple_history's table of past versions for `model`, if it keeps one."""
    from simple_history.models import registered_models

    if model._meta.db_table not in registered_models:
        return None
    return model.history.model


def _history_rows(centre, found) -> list:
    """Every past version of what the archive holds, including versions of rows since deleted
    (a grade removed, then entered again): who changed what, and when, moves with the centre."""
    rows = []
    for model, objects in list(found.items()):
        history = _history_model(model)
        if history is not None:
            rows += list(history.objects.filter(id__in=list(objects)))
    for qs in _seeds(centre):
        history = _history_model(qs.model)
        if history is not None:
            kept = list(found.get(qs.model, {}))
            rows += list(_scoped_history(history, qs.model, centre).exclude(id__in=kept))
    return rows


# How a past version of a centre's row is recognised once the row itself is gone.
_HISTORY_SCOPES = {
    "people.Profile": "organisation_id",
    "people.Cohort": "centre_id",
    "people.Learner": "centre_id",
    "competences.Situation": "learner__centre",
    "periods.Period": "learner__centre",
    "periods.Contract": "learner__centre",
    "periods.FollowUp": "learner__centre",
    "periods.Agreement": "period__learner__centre",
    "periods.PeriodReview": "period__learner__centre",
    "bulletins.TeachingModule": "cohort__centre",
    "bulletins.Assessment": "module__cohort__centre",
    "bulletins.Mark": "learner__centre",
    "bulletins.Appreciation": "learner__centre",
    "bulletins.AriDecision": "learner__centre",
    "exams.ExamSession": "organiser_id",
    "exams.Candidate": "session__organiser",
    "exams.Grade": "candidate__session__organiser",
    "exams.Dispensation": "candidate__session__organiser",
    "exams.CcfSituation": "candidate__session__organiser",
    "exams.CcpResult": "candidate__session__organiser",
    "exams.JuryDecision": "deliberation__session__organiser",
    "credentials.Credential": "issuer_id",
}


def _scoped_history(history, model, centre):
    field = _HISTORY_SCOPES.get(model._meta.label)
    if field is None:
        return history.objects.none()
    return history.objects.filter(**{field: centre.pk})


def _collect(centre) -> dict:
    """The seeds, closed over foreign keys and many-to-many targets (users, companies…), then
    the past versions of all of it."""
    found = _closure([obj for qs in _seeds(centre) for obj in qs])
    return _closure(_history_rows(centre, found), found)


def _closure(queue, found=None) -> dict:
    from livret.people.models import Profile

    found = found if found is not None else defaultdict(dict)
    while queue:
        obj = queue.pop()
        model = obj._meta.concrete_model
        if obj.pk in found[model]:
            continue
        found[model][obj.pk] = obj
        for f in model._meta.concrete_fields:
            if f.is_relation and f.many_to_one or (f.is_relation and f.one_to_one):
                try:
                    target = getattr(obj, f.name, None)
                except ObjectDoesNotExist:
                    continue  # a past version may point at a row deleted since
                if target is not None and target.pk not in found[target._meta.concrete_model]:
                    queue.append(target)
        for f in model._meta.many_to_many:
            queue.extend(
                t for t in getattr(obj, f.name).all() if t.pk not in found[t._meta.concrete_model]
            )
        if model._meta.label == "auth.User":
            queue.extend(Profile.objects.filter(user=obj))  # a tutor's profile, at his company
    return found


def _encode(value):
    if hasattr(value, "isoformat"):
        return value.isoformat()  # datetimes keep their microseconds
    return str(value)  # Decimal, UUID


def export_archive(centre) -> dict:
    found = _collect(centre)
    app_list = defaultdict(list)
    for model in found:
        app_list[model._meta.app_config].append(model)
    ordered = serializers.sort_dependencies(app_list.items())
    records = []
    for model in ordered:
        rows = sorted(found[model].values(), key=lambda o: str(o.pk))
        records += serializers.serialize("python", rows)
    # Full precision: Django's JSON encoder would cut datetimes to the millisecond.
    records = json.loads(json.dumps(records, default=_encode))
    return {"format": FORMAT, "centre": centre.name, "records": records}


def archive_job(job, progress) -> None:
    """Background job: the centre's archive as a JSON file; every learner's access log says so."""
    from django.utils.text import slugify

    from livret import access
    from livret.jobs.runner import JobFailed, save_file
    from livret.people.models import Learner

    from .models import AccessLog

    user = job.requested_by
    if not access.is_manager(user) or access.centre_id_of(user) != job.centre_id:
        raise JobFailed("Vous ne gérez plus ce centre : aucune archive préparée.")
    progress(0, 2, force=True)
    archive = export_archive(job.centre)
    progress(1, 2, force=True)
    content = json.dumps(archive, ensure_ascii=False).encode()
    name = user.get_full_name() or user.username
    AccessLog.objects.bulk_create(
        AccessLog(learner_id=pk, viewer=user, viewer_name=name, what="archive du centre exportée")
        for pk in Learner.objects.filter(centre=job.centre).values_list("pk", flat=True)
    )
    save_file(job, f"archive-{slugify(job.centre.name) or job.centre.pk}.json", content)
    progress(2, 2, force=True)


def restore_archive(archive: dict) -> int:
    """Load an archive into an empty (freshly migrated) database, all or nothing."""
    if archive.get("format") != FORMAT:
        raise ValidationError(f"format d'archive inconnu (attendu : {FORMAT})")
    from livret.people.models import Organisation
    from livret.referentiels.models import Referentiel

    if Organisation.objects.exists() or Referentiel.objects.exists():
        raise ValidationError(
            "la base n'est pas vide : restaurez dans une base neuve (manage.py migrate seulement)"
        )
    n = 0
    with transaction.atomic():
        for obj in serializers.deserialize("python", archive["records"]):
            obj.save()
            n += 1
        _reset_sequences({apps.get_model(r["model"]) for r in archive["records"]})
        # Stored alerts are not carried (they are derived): compute them again on first view.
        from livret.people.models import Learner

        Learner.objects.update(alerts_on=None)
    return n


def _reset_sequences(models) -> None:
    """PostgreSQL: move each id sequence past the restored primary keys."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(models))
    with connection.cursor() as cur:
        for sql in statements:
            cur.execute(sql)


def backup(destination: str) -> str:
    """An online backup of the whole database: SQLite's backup API, or pg_dump (custom format)."""
    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(destination)
        with target:
            connection.connection.backup(target)
        target.close()
        return destination
    if connection.vendor == "postgresql":
        if shutil.which("pg_dump") is None:
            raise RuntimeError(
                "pg_dump introuvable : installez le client PostgreSQL (paquet postgresql-client)"
            )
        env = {"PGPASSWORD": settings_dict.get("PASSWORD") or ""}
        cmd = [
            "pg_dump",
            "--format=custom",
            "--file",
            destination,
            "--host",
            settings_dict.get("HOST") or "localhost",
            "--port",
            str(settings_dict.get("PORT") or 5432),
            "--username",
            settings_dict.get("USER") or "postgres",
            settings_dict["NAME"],
        ]
        subprocess.run(
            cmd, check=True, env={**os.environ, **env}, capture_output=True, timeout=3600
        )
        return destination
    raise RuntimeError(f"sauvegarde non prise en charge pour {connection.vendor}")
