"""Personal-data rights: access log, export of everything held on a learner, anonymisation."""

from __future__ import annotations

import datetime
import json

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from .models import AccessLog


def log_access(request, learner, what: str) -> None:
    """Record a view of a learner's data by anyone but the learner himself."""
    record_access(request.user, learner, what)


def record_access(user, learner, what: str) -> None:
    """The same, for work done on a user's behalf outside a request (a background job)."""
    if learner.user_id == user.pk:
        return
    AccessLog.objects.create(
        learner=learner,
        viewer=user,
        viewer_name=user.get_full_name() or user.username,
        what=what[:200],
    )


def purge_access_logs(now=None) -> int:
    """Delete each centre's logs older than its own retention period."""
    from livret.people.models import Organisation

    now = now or timezone.now()
    total = 0
    for centre in Organisation.objects.exclude(kind=Organisation.COMPANY):
        cutoff = now - datetime.timedelta(days=centre.access_log_days)
        total += AccessLog.objects.filter(learner__centre=centre, at__lt=cutoff).delete()[0]
    return total


def _rows(qs, *fields):
    return [{f: _plain(getattr(obj, f)) for f in fields} for obj in qs]


def _plain(value):
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if hasattr(value, "pk") and not isinstance(value, str | int | float | bool):
        return str(value)
    return value


def export_learner(learner) -> dict:
    """Everything the platform holds on one learner, machine-readable (RGPD art. 15 and 20)."""
    from livret.bulletins.models import Appreciation, AriDecision, Mark
    from livret.competences.models import CompetenceEvaluation, CompetenceStatus, Situation
    from livret.credentials.models import Credential
    from livret.exams.models import Candidate, CcpResult, Dispensation, Grade, JuryDecision
    from livret.people.models import Profile
    from livret.periods.models import Agreement, Contract, Period, PeriodReview

    user = learner.user
    data = {
        "exported_at": timezone.now().isoformat(),
        "learner": _rows(
            [learner],
            "id",
            "first_name",
            "last_name",
            "email",
            "birth_date",
            "status",
            "contract_start",
            "contract_end",
            "centre",
            "cohort",
            "company",
            "tutor",
        ),
        "account": _rows(
            [user], "username", "email", "first_name", "last_name", "date_joined", "last_login"
        )
        if user
        else [],
        "profiles": _rows(Profile.objects.filter(user=user), "role", "organisation")
        if user
        else [],
        "evaluations": _rows(
            CompetenceEvaluation.objects.filter(learner=learner).select_related(
                "competence", "evaluator"
            ),
            "id",
            "competence",
            "level",
            "observed_on",
            "evaluator",
            "context",
            "comment",
            "evidence",
            "evidence_name",
            "recorded_at",
        ),
        "competence_statuses": _rows(
            CompetenceStatus.objects.filter(learner=learner).select_related("competence"),
            "competence",
            "level",
            "acquired_on",
        ),
        "situations": _rows(
            Situation.objects.filter(learner=learner),
            "id",
            "occurred_on",
            "place",
            "title",
            "description",
            "state",
            "tutor_comment",
            "validated_at",
        ),
        "periods": _rows(
            Period.objects.filter(learner=learner).select_related("company"),
            "id",
            "kind",
            "company",
            "start",
            "end",
            "attestation_received",
            "attestation_file",
        ),
        "agreements": _rows(
            Agreement.objects.filter(period__learner=learner),
            "period",
            "signed_on",
            "activities",
            "information",
            "material_conditions",
            "tutoring",
            "exchanges",
            "joint_evaluation",
        ),
        "period_reviews": _rows(
            PeriodReview.objects.filter(period__learner=learner),
            "period",
            "lines",
            "pedagogical",
            "tutor_appraisal",
            "tutor_signed_at",
            "validated_at",
        ),
        "contracts": _rows(
            Contract.objects.filter(learner=learner).select_related("company"),
            "kind",
            "company",
            "start",
            "end",
        ),
        "exam_candidacies": _rows(
            Candidate.objects.filter(learner=learner).select_related("session"),
            "session",
            "number",
            "first_name",
            "last_name",
            "birth_date",
            "status",
            "optional_units",
            "report_submitted_on",
        ),
        "exam_grades": _rows(
            Grade.objects.filter(candidate__learner=learner).select_related("candidate"),
            "candidate",
            "unit",
            "control",
            "hundredths",
            "mark",
            "source",
        ),
        "exam_dispensations": _rows(
            Dispensation.objects.filter(candidate__learner=learner), "unit", "rule", "ground"
        ),
        "jury_decisions": _rows(
            JuryDecision.objects.filter(candidate__learner=learner),
            "decision",
            "reason",
            "decided_at",
        ),
        "ccp_results": _rows(
            CcpResult.objects.filter(candidate__learner=learner).select_related("candidate"),
            "candidate",
            "ccp",
            "decision",
            "earlier_session",
            "comment",
            "entered_at",
        ),
        "module_marks": _rows(
            Mark.objects.filter(learner=learner).select_related("assessment"),
            "assessment",
            "hundredths",
            "mark",
            "entered_at",
        ),
        "appreciations": _rows(
            Appreciation.objects.filter(learner=learner).select_related("module"),
            "module",
            "semester",
            "text",
            "updated_at",
        ),
        "intermediate_attestation": _rows(
            AriDecision.objects.filter(learner=learner), "granted", "reason", "decided_at"
        ),
        "credentials": _rows(
            Credential.objects.filter(learner=learner).select_related("bloc"),
            "uid",
            "bloc",
            "issued_at",
            "ground",
            "revoked_at",
            "revocation_reason",
        ),
        "access_log": _rows(AccessLog.objects.filter(learner=learner), "viewer_name", "what", "at"),
        "history": _rows(
            learner.history.all(),
            "history_date",
            "history_type",
            "first_name",
            "last_name",
            "email",
            "status",
        ),
    }
    if user:
        from livret.vae.models import Candidacy, Experience, VaeProfile

        data["vae_profile"] = _rows(
            VaeProfile.objects.filter(user=user), "phone", "city", "birth_date", "current_job"
        )
        data["vae_candidacies"] = _rows(
            Candidacy.objects.filter(candidate=user), "offer", "status", "motivation", "created_at"
        )
        data["vae_experiences"] = _rows(
            Experience.objects.filter(candidacy__candidate=user),
            "employer",
            "job_title",
            "start",
            "end",
            "time",
            "description",
        )
    return json.loads(json.dumps(data, default=str))


def retention_end(learner) -> datetime.date:
    cohort = learner.cohort
    end_of_training = datetime.date(cohort.start_year + cohort.duration_years, 8, 31)
    return end_of_training.replace(year=end_of_training.year + learner.centre.retention_years)


@transaction.atomic
def anonymise(learner, today: datetime.date | None = None):
    """Nothing identifies him afterwards; his evaluations stay countable in statistics."""
    from livret.competences.models import CompetenceEvaluation, Situation
    from livret.exams.models import Candidate, Deliberation
    from livret.periods.models import Period

    today = today or timezone.localdate()
    if today < retention_end(learner):
        raise ValidationError(
            f"Durée de conservation non écoulée : anonymisation possible à partir du {retention_end(learner):%d/%m/%Y}."
        )
    alias = f"Anonyme-{learner.pk}"
    old_names = {
        f"{learner.first_name} {learner.last_name.upper()}",
        f"{learner.first_name} {learner.last_name}",
    }
    for fact in CompetenceEvaluation.objects.filter(learner=learner).exclude(evidence=""):
        fact.evidence.delete(save=False)
    # Facts are append-only for people; scrubbing a file name is the one change the law requires here.
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            f"UPDATE {CompetenceEvaluation._meta.db_table} SET evidence = '', evidence_name = '', comment = '' WHERE learner_id = %s",
            [learner.pk],
        )
    Situation.objects.filter(learner=learner).update(
        place="", title="Situation anonymisée", description="", tutor_comment=""
    )
    # Free texts written about him (appreciations, opinions, the jury's observations) may name him.
    from livret.bulletins.models import Appreciation, AriDecision
    from livret.exams.models import CcpResult
    from livret.periods.models import PeriodReview

    for model, scope, fields in (
        (Appreciation, "learner", {"text": ""}),
        (AriDecision, "learner", {"reason": ""}),
        (CcpResult, "candidate__learner", {"comment": ""}),
        (PeriodReview, "period__learner", {"pedagogical": "", "tutor_appraisal": "", "lines": []}),
    ):
        rows = model.objects.filter(**{scope: learner})
        model.history.filter(id__in=list(rows.values_list("pk", flat=True))).delete()
        rows.update(**fields)
    for period in Period.objects.filter(learner=learner).exclude(attestation_file=""):
        period.attestation_file.delete(save=False)
    Period.objects.filter(learner=learner).update(attestation_file="")
    for c in Candidate.objects.filter(learner=learner):
        c.first_name, c.last_name, c.birth_date = "Anonyme", str(learner.pk), None
        c.save()
        c.history.all().delete()
        for d in Deliberation.objects.filter(session=c.session):
            for row in d.snapshot:
                if row.get("number") == c.number or row.get("name") in old_names:
                    row["name"] = alias
            Deliberation.objects.filter(pk=d.pk).update(snapshot=d.snapshot)
    user = learner.user
    learner.first_name, learner.last_name, learner.email, learner.birth_date, learner.user = (
        "Anonyme",
        str(learner.pk),
        "",
        None,
        None,
    )
    learner.save()
    learner.history.all().delete()
    AccessLog.objects.filter(learner=learner).delete()
    if user:
        from livret.vae.models import VaeProfile

        VaeProfile.objects.filter(user=user).update(
            phone="", city="", birth_date=None, current_job=""
        )
        user.username, user.email, user.first_name, user.last_name, user.is_active = (
            f"anonyme-{learner.pk}",
            "",
            "",
            "",
            False,
        )
        user.set_unusable_password()
        user.save()
    return learner
