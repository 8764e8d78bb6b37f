"""The attestation de réussite intermédiaire of a Bac pro cohort, from the première marks of its
modules (rule: livret.engine.ari). Première is the cohort's second school year: semesters 3 and 4
of the centre's calendar (livret.engine.marks.semester_of)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from fractions import Fraction

from django.core.exceptions import ValidationError
from django.db import transaction

from livret.engine import ari
from livret.engine import marks as engine
from livret.engine.families import BAC_PRO, family_of
from livret.people.models import Cohort, Learner

from .models import AriDecision, Assessment, Mark, TeachingModule

PREMIERE = (3, 4)


def applies(cohort: Cohort) -> bool:
    # The rule family as the exams read it (engine.families), not the diploma's kind a second way.
    return family_of(cohort.referentiel.document) == BAC_PRO and cohort.duration_years == 3


def eligible_establishment(centre) -> bool:
    return centre.public_sector or centre.under_contract


@dataclass
class Row:
    learner: Learner
    averages: dict  # module id → Fraction | None
    outcome: ari.Outcome
    decision: AriDecision | None
    pfmp: list = field(default_factory=list)  # première PFMP reviews: what the council reads

    @property
    def shown(self) -> str:
        return engine.show_average(self.outcome.average)

    @property
    def label(self) -> str:
        return ari.LABELS[self.outcome.decision]

    @property
    def council_band(self) -> bool:
        """Between 9 and 10: the head of the establishment decides after the conseil restreint."""
        avg = self.outcome.average
        return avg is not None and ari.COUNCIL_FLOOR <= avg < ari.PASS


def rows(cohort: Cohort) -> tuple[list[TeachingModule], list[Row]]:
    """Every learner's première averages per module and his attestation. Five queries."""
    order = {TeachingModule.SPECIALTY: 0, TeachingModule.TEACHING: 1, TeachingModule.CHEF_OEUVRE: 2}
    modules = sorted(
        TeachingModule.objects.filter(cohort=cohort), key=lambda m: (order[m.ari_role], m.title)
    )
    assessments = list(Assessment.objects.filter(module__cohort=cohort, semester__in=PREMIERE))
    by_learner: dict[int, dict[int, int | str | None]] = {}
    for lid, aid, hundredths, mark in Mark.objects.filter(
        assessment__in=[a.pk for a in assessments]
    ).values_list("learner_id", "assessment_id", "hundredths", "mark"):
        by_learner.setdefault(lid, {})[aid] = mark or hundredths
    learners = list(cohort.learners.order_by("last_name", "first_name"))
    decisions = {d.learner_id: d for d in AriDecision.objects.filter(learner__in=learners)}
    # The conseil restreint studies « l'appréciation pédagogique de la PFMP » of première.
    from livret.periods.models import PeriodReview

    reviews: dict[int, list] = {}
    for r in (
        PeriodReview.objects.filter(
            period__learner__in=learners,
            period__end__gte=datetime.date(cohort.start_year + 1, 9, 1),
            period__end__lte=datetime.date(cohort.start_year + 2, 8, 31),
        )
        .exclude(pedagogical="")
        .select_related("period__company")
        .order_by("period__start")
    ):
        reviews.setdefault(r.period.learner_id, []).append(r)
    eligible = eligible_establishment(cohort.centre)
    of_module = {m.pk: [a for a in assessments if a.module_id == m.pk] for m in modules}
    out = []
    for learner in learners:
        mine = by_learner.get(learner.pk, {})
        averages = {
            m.pk: engine.module_average((a.coefficient, mine.get(a.pk)) for a in of_module[m.pk])
            for m in modules
        }
        by_role: dict[str, list[Fraction | None]] = {}
        for m in modules:
            by_role.setdefault(m.ari_role, []).append(averages[m.pk])
        specialty = engine.average(
            engine.Weighted(Fraction(1), v) for v in by_role.get(TeachingModule.SPECIALTY, [])
        )
        chef = engine.average(
            engine.Weighted(Fraction(1), v) for v in by_role.get(TeachingModule.CHEF_OEUVRE, [])
        )
        decision = decisions.get(learner.pk)
        outcome = ari.decide(
            learner.status,
            eligible,
            by_role.get(TeachingModule.TEACHING, []),
            specialty,
            chef,
            decision.granted if decision else None,
        )
        out.append(Row(learner, averages, outcome, decision, reviews.get(learner.pk, [])))
    return modules, out


@transaction.atomic
def record_council(cohort: Cohort, learner: Learner, granted: bool, reason: str, user):
    """The head of the establishment's decision for a pupil between 9 and 10, after the conseil de
    classe restreint; refused for anyone else, and without the council's reasons."""
    if learner.cohort_id != cohort.pk:
        raise ValidationError("Cet élève n'est pas de cette promotion.")
    row = next(r for r in rows(cohort)[1] if r.learner.pk == learner.pk)
    if not row.council_band:
        raise ValidationError(
            "Le conseil de classe restreint ne statue que pour une moyenne d'au moins 9 et "
            f"inférieure à 10 (ici : {row.shown})."
        )
    if not reason.strip():
        raise ValidationError(
            "Indiquez l'avis du conseil (appréciation de la PFMP, engagement de l'élève)."
        )
    decision, _ = AriDecision.objects.update_or_create(
        learner=learner,
        defaults={"granted": granted, "reason": reason.strip(), "decided_by": user},
    )
    return decision
