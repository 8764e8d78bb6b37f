"""REST API v1 (django-ninja): OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs.

Rights are the pages' rights: every list and detail goes through the same visible_* querysets,
so another centre's learner is a 404 here too. Writing an evaluation appends a fact, exactly as
the grid does.
"""

from __future__ import annotations

import datetime
from typing import Any, Literal

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, NinjaAPI, Query, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.security import HttpBearer
from ninja.throttling import AuthRateThrottle

from livret import access
from livret.access import visible_cohorts, visible_learners
from livret.competences import services as livret_services
from livret.competences.models import CompetenceEvaluation, Context, Level
from livret.competences.scopes import visible_situations
from livret.exams.scopes import visible_exam_sessions
from livret.privacy.services import log_access
from livret.referentiels.models import Competence, Referentiel

from .models import ApiToken, digest

# An id a database column can hold: a larger one is a 422 naming the parameter, not a 500 (SQLite
# refuses to bind it, and Django's overflow guard covers `pk=` but not a foreign key's `_id=`).
MAX_ID = 2**63 - 1


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        found = (
            ApiToken.objects.select_related("user__profile")
            .filter(key_hash=digest(token), revoked=False)
            .first()
        )
        if found is None or not found.user.is_active:
            return None
        # A token issued before its owner's role stopped getting tokens (tutors, learners) opens
        # nothing: the right is read at each use, not only when the token was made.
        if not access.uses_api_tokens(found.user):
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.user
        return found.user


api = NinjaAPI(
    title="Livret API",
    version="1.0.0",
    description="Référentiels, promotions, apprenants, évaluations, situations, périodes et notes. "
    "Authentification : jeton personnel (en-tête `Authorization: Bearer lvt_…`), avec exactement les droits de son titulaire.",
    auth=TokenAuth(),
    throttle=[AuthRateThrottle("120/min")],
    urls_namespace="api-v1",
)


class Error(Schema):
    detail: str | list[dict[str, Any]] = Field(
        ..., description="message, or the list of invalid fields"
    )


# Every operation can answer these: no or bad token, invalid parameters, too many requests.
ANSWERS = {401: Error, 422: Error, 429: Error}


class ReferentielOut(Schema):
    id: str = Field(..., description="identifiant court, ex. bts-mos")
    version: datetime.date
    title: str
    rncp_code: str
    completeness: Literal["complete", "partial"]


class CompetenceOut(Schema):
    id: int
    code: str
    title: str


class CohortOut(Schema):
    id: int
    name: str
    start_year: int
    referentiel: str
    referentiel_version: datetime.date


class LearnerOut(Schema):
    id: int
    first_name: str
    last_name: str
    status: str
    cohort_id: int
    company: str | None


class EvaluationOut(Schema):
    id: int
    competence: str
    level: Literal["acquired", "in_progress", "not_acquired"]
    observed_on: datetime.date
    evaluator: str
    context: str
    comment: str
    recorded_at: datetime.datetime


class EvaluationIn(Schema):
    competence: str = Field(
        ..., min_length=1, max_length=40, description="code de la compétence, ex. A1.2C3"
    )
    level: Literal["acquired", "in_progress", "not_acquired"]
    observed_on: datetime.date
    context: Literal["course", "ccf", "company"] = "course"
    comment: str = Field("", max_length=2000)


class SituationOut(Schema):
    id: int
    occurred_on: datetime.date
    place: str
    title: str
    state: str
    competences: list[str]


class PeriodOut(Schema):
    id: int
    kind: str
    company: str
    start: datetime.date
    end: datetime.date
    attestation_received: bool


class GradeOut(Schema):
    candidate: str
    unit: str
    control: bool
    grade: str


class CcpResultOut(Schema):
    candidate: str
    ccp: str
    decision: str  # acquis | non_acquis
    earlier_session: str  # the earlier session where it was obtained, or ""
    comment: str


def _ref_out(r: Referentiel) -> dict:
    return {
        "id": r.diploma.slug,
        "version": r.version,
        "title": r.title,
        "rncp_code": r.rncp_code,
        "completeness": r.completeness,
    }


@api.get(
    "/referentiels",
    response={200: list[ReferentielOut], **ANSWERS},
    tags=["référentiels"],
)
@paginate(LimitOffsetPagination)
def list_referentiels(request):
    return [
        _ref_out(r)
        for r in Referentiel.objects.public()
        .select_related("diploma")
        .order_by("diploma__slug", "-version")
    ]


@api.get(
    "/referentiels/{slug}/competences",
    response={200: list[CompetenceOut], 404: Error, **ANSWERS},
    tags=["référentiels"],
)
@paginate(LimitOffsetPagination)
def list_competences(request, slug: str):
    ref = Referentiel.objects.public().filter(diploma__slug=slug).order_by("-version").first()
    if ref is None:
        raise HttpError(404, "référentiel inconnu")
    return (
        Competence.objects.filter(referentiel=ref)
        .order_by("position")
        .values("id", "code", "title")
    )


@api.get("/cohorts", response={200: list[CohortOut], **ANSWERS}, tags=["promotions"])
@paginate(LimitOffsetPagination)
def list_cohorts(request):
    return [
        {
            "id": c.pk,
            "name": c.name,
            "start_year": c.start_year,
            "referentiel": c.referentiel.diploma.slug,
            "referentiel_version": c.referentiel.version,
        }
        for c in visible_cohorts(request.user).select_related("referentiel__diploma").order_by("pk")
    ]


def _learner_out(lr) -> dict:
    return {
        "id": lr.pk,
        "first_name": lr.first_name,
        "last_name": lr.last_name,
        "status": lr.status,
        "cohort_id": lr.cohort_id,
        "company": lr.company.name if lr.company else None,
    }


@api.get("/learners", response={200: list[LearnerOut], **ANSWERS}, tags=["apprenants"])
@paginate(LimitOffsetPagination)
def list_learners(request, cohort: int | None = Query(None, ge=1, le=MAX_ID)):
    qs = visible_learners(request.user).select_related("company").order_by("pk")
    if cohort is not None:
        qs = qs.filter(cohort_id=cohort)
    return [_learner_out(lr) for lr in qs]


def _learner(request, learner_id: int):
    learner = get_object_or_404(
        visible_learners(request.user).select_related("company", "cohort__referentiel"),
        pk=learner_id,
    )
    log_access(request, learner, f"API {request.method} {request.path}")
    return learner


@api.get(
    "/learners/{learner_id}", response={200: LearnerOut, 404: Error, **ANSWERS}, tags=["apprenants"]
)
def get_learner(request, learner_id: int):
    return _learner_out(_learner(request, learner_id))


def _eval_out(e) -> dict:
    return {
        "id": e.pk,
        "competence": e.competence.code,
        "level": e.level,
        "observed_on": e.observed_on,
        "evaluator": e.evaluator.get_full_name() or e.evaluator.username,
        "context": e.context,
        "comment": e.comment,
        "recorded_at": e.recorded_at,
    }


@api.get(
    "/learners/{learner_id}/evaluations",
    response={200: list[EvaluationOut], 404: Error, **ANSWERS},
    tags=["évaluations"],
)
@paginate(LimitOffsetPagination)
def list_evaluations(request, learner_id: int):
    learner = _learner(request, learner_id)
    return [
        _eval_out(e)
        for e in CompetenceEvaluation.objects.filter(learner=learner)
        .select_related("competence", "evaluator")
        .order_by("id")
    ]


@api.post(
    "/learners/{learner_id}/evaluations",
    response={201: EvaluationOut, 403: Error, 404: Error, **ANSWERS},
    tags=["évaluations"],
)
def create_evaluation(request, learner_id: int, payload: EvaluationIn):
    """Append an evaluation (a fact: nothing is overwritten; the current level is derived)."""
    learner = _learner(request, learner_id)
    if not access.can(request.user, "livret.evaluate", learner):
        raise HttpError(403, "vous ne pouvez pas évaluer cet apprenant")
    competence = Competence.objects.filter(
        referentiel=learner.cohort.referentiel, code=payload.competence
    ).first()
    if competence is None:
        raise HttpError(422, f"compétence {payload.competence} inconnue pour ce diplôme")
    if payload.observed_on > timezone.localdate() or payload.observed_on < datetime.date(
        2000, 1, 1
    ):
        raise HttpError(422, "observed_on : date hors de la période admise")
    fact = livret_services.record_evaluation(
        learner=learner,
        competence=competence,
        level=Level(payload.level),
        observed_on=payload.observed_on,
        evaluator=request.user,
        context=Context(payload.context),
        comment=payload.comment,
        notify=True,
    )
    return Status(201, _eval_out(fact))


@api.get(
    "/learners/{learner_id}/situations",
    response={200: list[SituationOut], 404: Error, **ANSWERS},
    tags=["situations"],
)
@paginate(LimitOffsetPagination)
def list_situations(request, learner_id: int):
    learner = _learner(request, learner_id)
    return [
        {
            "id": s.pk,
            "occurred_on": s.occurred_on,
            "place": s.place,
            "title": s.title,
            "state": s.state,
            "competences": [c.code for c in s.competences.all()],
        }
        for s in visible_situations(request.user)
        .filter(learner=learner)
        .prefetch_related("competences")
        .order_by("pk")
    ]


@api.get(
    "/learners/{learner_id}/periods",
    response={200: list[PeriodOut], 404: Error, **ANSWERS},
    tags=["périodes"],
)
@paginate(LimitOffsetPagination)
def list_periods(request, learner_id: int):
    learner = _learner(request, learner_id)
    return [
        {
            "id": p.pk,
            "kind": p.kind,
            "company": p.company.name,
            "start": p.start,
            "end": p.end,
            "attestation_received": p.attestation_received,
        }
        for p in learner.periods.select_related("company").order_by("pk")
    ]


@api.get(
    "/exam-sessions/{session_id}/grades",
    response={200: list[GradeOut], 404: Error, **ANSWERS},
    tags=["notes"],
)
@paginate(LimitOffsetPagination)
def list_grades(request, session_id: int):
    from livret.exams.models import Grade

    session = get_object_or_404(visible_exam_sessions(request.user), pk=session_id)
    return [
        {"candidate": g.candidate.number, "unit": g.unit, "control": g.control, "grade": g.display}
        for g in Grade.objects.filter(candidate__session=session)
        .select_related("candidate")
        .order_by("pk")
    ]


@api.get(
    "/exam-sessions/{session_id}/ccp-results",
    response={200: list[CcpResultOut], 404: Error, **ANSWERS},
    tags=["notes"],
)
@paginate(LimitOffsetPagination)
def list_ccp_results(request, session_id: int):
    """A titre professionnel session: the jury's decision on each CCP of each candidate."""
    from livret.exams.models import CcpResult

    session = get_object_or_404(visible_exam_sessions(request.user), pk=session_id)
    return [
        {
            "candidate": r.candidate.number,
            "ccp": r.ccp,
            "decision": r.decision,
            "earlier_session": r.earlier_session,
            "comment": r.comment,
        }
        for r in CcpResult.objects.filter(candidate__session=session)
        .select_related("candidate")
        .order_by("pk")
    ]
