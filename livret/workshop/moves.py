"""Moving a cohort to another version of its référentiel: preview, then apply, all or nothing.

Facts are never rewritten: each evaluation and tutor appraisal on a competence carried to the new
version (same code, or mapped: renamed, split) is copied onto the new version's competence — same
level, date, author, comment, evidence, situation — and the learner's status recomputed; the
originals stay, under the old version, in the learner's history, as do the facts on dropped codes.
Exam sessions keep the version they were opened with (signed minutes are never touched).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from livret.competences import services as competence_services
from livret.competences.models import CompetenceEvaluation, CompetenceStatus, TutorAppraisal
from livret.people.models import Cohort
from livret.referentiels.models import Competence, Referentiel
from livret.referentiels.text import normalize

from .models import CohortMove


class MoveError(ValueError):
    """A refused move; `by_code` says, for each old code whose mapping is wrong, what is wrong
    (the move page puts it beside that code's input)."""

    def __init__(self, message: str, by_code: dict[str, str] | None = None):
        super().__init__(message)
        self.by_code = by_code or {}


def propose_mapping(old: Referentiel, new: Referentiel) -> dict[str, list[str]]:
    """Old competence code → new codes: the same code when kept, else the competences of
    identical title (a renamed code); [] when nothing matches (dropped, editable)."""
    new_rows = list(Competence.objects.filter(referentiel=new).values_list("code", "title"))
    new_codes = {code for code, _ in new_rows}
    by_title: dict[str, list[str]] = {}
    for code, title in new_rows:
        by_title.setdefault(normalize(title), []).append(code)
    mapping = {}
    for code, title in Competence.objects.filter(referentiel=old).values_list("code", "title"):
        if code in new_codes:
            mapping[code] = [code]
        else:
            mapping[code] = by_title.get(normalize(title), [])
    return mapping


@dataclass
class Preview:
    cohort: Cohort
    old: Referentiel
    new: Referentiel
    mapping: dict[str, list[str]]
    facts: dict[str, int] = field(default_factory=dict)  # old code → facts of the cohort on it
    carried: int = 0
    kept: int = 0
    dropped_with_facts: list[str] = field(default_factory=list)


def _check(cohort: Cohort, new: Referentiel, mapping: dict[str, list[str]]) -> None:
    if new.status != Referentiel.PUBLISHED:
        raise MoveError("une promotion ne passe qu'à une version publiée")
    if new.owner_id is not None and new.owner_id != cohort.centre_id:
        raise MoveError("cette version n'est pas proposée à ce centre")
    if new.pk == cohort.referentiel_id:
        raise MoveError("la promotion utilise déjà cette version")
    if new.diploma_id != cohort.referentiel.diploma_id:
        raise MoveError("la nouvelle version doit être du même diplôme")
    new_codes = set(Competence.objects.filter(referentiel=new).values_list("code", flat=True))
    by_code = {}
    for old_code, targets in mapping.items():
        unknown = [t for t in targets if t not in new_codes]
        if unknown:
            absent = "code absent" if len(unknown) == 1 else "codes absents"
            by_code[old_code] = (
                f"{old_code} → {', '.join(unknown)} : {absent} de la nouvelle version"
            )
    if by_code:
        raise MoveError(next(iter(by_code.values())), by_code)


def facts(cohort: Cohort, old: Referentiel) -> dict[str, int]:
    """Old code → the cohort's facts on it (evaluations and tutor appraisals)."""
    counts: dict[str, int] = {}
    for model in (CompetenceEvaluation, TutorAppraisal):
        for code in model.objects.filter(
            learner__cohort=cohort, competence__referentiel=old
        ).values_list("competence__code", flat=True):
            counts[code] = counts.get(code, 0) + 1
    return counts


def preview(
    cohort: Cohort, new: Referentiel, mapping: dict[str, list[str]] | None = None
) -> Preview:
    old = cohort.referentiel
    mapping = propose_mapping(old, new) if mapping is None else mapping
    _check(cohort, new, mapping)
    p = Preview(cohort, old, new, mapping)
    p.facts = counts = facts(cohort, old)
    for code, n in counts.items():
        targets = mapping.get(code) or []
        if targets:
            p.carried += n * len(targets)
        else:
            p.kept += n
            p.dropped_with_facts.append(code)
    return p


@transaction.atomic
def apply(cohort: Cohort, new: Referentiel, mapping: dict[str, list[str]], user) -> CohortMove:
    """All or nothing: the copies, the statuses, the cohort's version and the history row."""
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    p = preview(cohort, new, mapping)
    targets = {
        c.code: c
        for c in Competence.objects.filter(
            referentiel=new, code__in={t for ts in mapping.values() for t in ts}
        )
    }
    touched = set()
    evaluations = CompetenceEvaluation.objects.filter(
        learner__cohort=cohort, competence__referentiel=p.old
    ).select_related("competence")
    copies = []
    for fact in evaluations:
        for code in mapping.get(fact.competence.code) or []:
            copies.append(
                CompetenceEvaluation(
                    learner_id=fact.learner_id,
                    competence=targets[code],
                    level=fact.level,
                    observed_on=fact.observed_on,
                    evaluator_id=fact.evaluator_id,
                    context=fact.context,
                    comment=fact.comment,
                    evidence=fact.evidence.name,
                    evidence_name=fact.evidence_name,
                    evidence_type=fact.evidence_type,
                    situation_id=fact.situation_id,
                )
            )
            touched.add((fact.learner_id, targets[code].pk))
    CompetenceEvaluation.objects.bulk_create(copies)
    appraisals = []
    for fact in TutorAppraisal.objects.filter(
        learner__cohort=cohort, competence__referentiel=p.old
    ).select_related("competence"):
        for code in mapping.get(fact.competence.code) or []:
            appraisals.append(
                TutorAppraisal(
                    learner_id=fact.learner_id,
                    competence=targets[code],
                    level=fact.level,
                    observed_on=fact.observed_on,
                    tutor_id=fact.tutor_id,
                    comment=fact.comment,
                )
            )
    TutorAppraisal.objects.bulk_create(appraisals)
    learners = {lr.pk: lr for lr in cohort.learners.all()}
    competences = {c.pk: c for c in targets.values()}
    for learner_id, competence_id in sorted(touched):
        learner, competence = learners[learner_id], competences[competence_id]
        status = (
            CompetenceStatus.objects.select_for_update()
            .filter(learner=learner, competence=competence)
            .first()
        )
        competence_services._refresh(status, learner, competence)
    cohort.referentiel = new
    cohort._history_user = user
    cohort.save(update_fields=["referentiel"])
    return CohortMove.objects.create(
        cohort=cohort,
        from_version=p.old,
        to_version=new,
        mapping=mapping,
        carried=len(copies) + len(appraisals),
        kept_in_history=p.kept,
        moved_by=user,
    )
