"""The graded families' data (BTS, Bac pro, CAP): units, grades as the engine reads them, the
rows of a session computed by the family's rule, and what the platform proposes (NV cases,
bénéfice des notes). Read-only: the writes are in services.py."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils import timezone

from livret.engine import jury
from livret.engine.families import Rule
from livret.engine.jury import InputError
from livret.engine.marks import show_hundredths

from .models import (
    Candidate,
    Dispensation,
    ExamSession,
    Grade,
    JuryDecision,
    grade_display,
)

CARRY_YEARS = 5


def fmt(hundredths) -> str:
    """An average or a grade in hundredths, as the pages and the documents write it (12,50)."""
    return show_hundredths(hundredths)


def units(session):
    """(compulsory, optional) units of the session's scheme."""
    scheme = scheme_for(session)
    return [u for u in scheme.units.values() if not u.optional], [
        u for u in scheme.units.values() if u.optional
    ]


def scheme_for(session: ExamSession) -> jury.Scheme:
    return jury.scheme_from_referentiel(session.referentiel.document, session.control_exams)


def exams_by_unit(session: ExamSession) -> dict[str, dict]:
    out = {}
    for exam in session.referentiel.document.get("exams") or []:
        for e in [exam, *(exam.get("parts") or [])]:
            if e.get("unit"):
                out[e["unit"]] = e
    return out


def form_for(exam: dict, status: str) -> dict:
    """The épreuve's form in the candidate's column of the règlement (or its single column)."""
    forms = exam.get("forms") or {}
    return forms.get(status) or forms.get("all") or {}


@dataclass(slots=True)
class GradeRow:
    """A grade as the tables read it, without a model instance (4,000 of them for 500
    candidates: building Grade objects was a third of the deliberation page)."""

    unit: str
    control: bool
    hundredths: int | None
    mark: str

    @property
    def value(self):
        return self.mark or self.hundredths

    @property
    def display(self) -> str:
        return grade_display(self.hundredths, self.mark)


def engine_candidate(c: Candidate, grade_list=None, dispensed=None) -> jury.Candidate:
    """Needs c.grades and c.dispensations prefetched, unless both are given."""
    grades, optional, control = {}, {}, {}
    if dispensed is None:
        dispensed = frozenset(d.unit for d in c.dispensations.all())
    for g in grade_list if grade_list is not None else c.grades.all():
        if g.control:
            if g.hundredths is not None:
                control[g.unit] = g.hundredths
        elif g.unit in c.optional_units:
            optional[g.unit] = g.value
        else:
            grades[g.unit] = g.value
    return jury.Candidate(c.number, grades, optional, frozenset(dispensed), control)


@dataclass
class Row:
    candidate: Candidate
    grades: dict  # unit → Grade (first group)
    control: dict  # unit → Grade (épreuves de contrôle)
    outcome: jury.Outcome | None
    problem: str
    jury_decision: JuryDecision | None
    dispensed: frozenset = frozenset()

    @property
    def final(self) -> str:
        if self.jury_decision:
            return self.jury_decision.decision
        return self.outcome.decision if self.outcome else ""


def candidates_qs(session):
    return session.candidates.select_related("learner").prefetch_related(
        Prefetch("grades", queryset=Grade.objects.order_by("unit")), "dispensations"
    )


def results(session: ExamSession, rule: Rule, candidates=None) -> list[Row]:
    """Every candidate's grades, outcome (by the family's rule) and jury decision.

    Given candidates must come from candidates_qs (grades and dispensations prefetched); without
    them, the whole session is read as plain rows, in three queries whatever its size."""
    scheme = scheme_for(session)
    deliberation = session.current_deliberation()
    decisions = {d.candidate_id: d for d in deliberation.decisions.all()} if deliberation else {}
    if candidates is None:
        candidates = list(session.candidates.order_by("last_name", "first_name", "number"))
        by_candidate: dict[int, list] = {c.pk: [] for c in candidates}
        for cid, *fields in (
            Grade.objects.filter(candidate__session=session)
            .order_by("unit")
            .values_list("candidate_id", "unit", "control", "hundredths", "mark")
        ):
            by_candidate[cid].append(GradeRow(*fields))
        dispensed: dict[int, set] = {c.pk: set() for c in candidates}
        for cid, unit in Dispensation.objects.filter(candidate__session=session).values_list(
            "candidate_id", "unit"
        ):
            dispensed[cid].add(unit)
        grade_lists = [(c, by_candidate[c.pk], frozenset(dispensed[c.pk])) for c in candidates]
    else:
        grade_lists = [
            (c, list(c.grades.all()), frozenset(d.unit for d in c.dispensations.all()))
            for c in candidates
        ]
    rows = []
    for c, grade_list, units_dispensed in grade_lists:
        ec = engine_candidate(c, grade_list, units_dispensed)
        outcome, problem = None, ""
        try:
            rule.check(scheme, ec)
            outcome = rule.compute(scheme, ec)
        except InputError as exc:
            problem = str(exc).split(" : ", 1)[-1]
        grades = {g.unit: g for g in grade_list if not g.control}
        control = {g.unit: g for g in grade_list if g.control}
        rows.append(Row(c, grades, control, outcome, problem, decisions.get(c.pk), units_dispensed))
    return rows


# --- proposals from what the platform knows ----------------------------------------------------
def nv_proposals(candidate: Candidate, today: datetime.date | None = None) -> list[tuple[str, str]]:
    """(unit, why) pairs where the référentiel's NV cases match the learner's data."""
    from livret.periods.compliance import compliance

    learner = candidate.learner
    by_unit = exams_by_unit(candidate.session)
    out = []
    result, _ = compliance(learner) if learner else (None, None)
    short = (
        result is not None
        and result.compliant is False
        and any(v.rule.startswith("total") for v in result.violations)
    )
    unsigned = [
        p
        for p in learner.periods.all()
        if p.end < (today or timezone.localdate())
        and not (p.attestation_received and p.attestation_signed)
    ]
    deadline = candidate.session.report_deadline
    submitted = candidate.report_submitted_on
    for unit, exam in by_unit.items():
        codes = {case["code"] for case in exam.get("not_valid_cases") or []}
        if deadline and codes & {"report_missing", "file_missing"}:
            if submitted is None and (today or timezone.localdate()) > deadline:
                out.append(
                    (unit, f"rapport ou dossier non déposé (date limite : {deadline:%d/%m/%Y})")
                )
            elif submitted and submitted > deadline:
                out.append(
                    (
                        unit,
                        f"rapport ou dossier déposé le {submitted:%d/%m/%Y}, après la date limite du {deadline:%d/%m/%Y}",
                    )
                )
        if short and "stage_too_short" in codes:
            out.append(
                (
                    unit,
                    f"durée de stage inférieure à la durée requise ({result.violations[0].message})",
                )
            )
        if unsigned and codes & {"report_unsigned", "file_unsigned"}:
            out.append(
                (unit, f"attestation de stage non reçue ou non signée ({unsigned[0].company.name})")
            )
    return out


def carried_grades(candidate: Candidate) -> list[tuple[str, str, int]]:
    """Bénéfice des notes: grades ≥ 10 of the same learner's failed sessions of the last 5 years.
    Only official sessions count: a mock exam (examen blanc) is the centre's practice, never a
    jury's grade."""
    if candidate.learner_id is None or candidate.renounces_carried_grades:
        return []
    year = candidate.session.year
    previous = (
        Candidate.objects.filter(
            learner_id=candidate.learner_id,
            session__referentiel__diploma=candidate.session.referentiel.diploma,
            session__year__lt=year,
            session__year__gte=year - CARRY_YEARS,
            session__kind=ExamSession.OFFICIAL,
        )
        .select_related("session")
        .order_by("-session__year")
    )
    out, seen = [], set()
    for old in previous:
        mine = old.signed_minutes_row()
        if not mine or mine["final"] != jury.FAILED:
            continue
        for g in old.grades.filter(control=False, mark="", hundredths__gte=1000):
            if g.unit not in seen:
                seen.add(g.unit)
                out.append((g.unit, old.session.name, g.hundredths))
    return out
