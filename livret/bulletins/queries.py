"""Reads of the contrôle continu, in a fixed number of queries whatever the cohort's size."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from livret.engine import marks as engine

from .models import Appreciation, Assessment, Mark, TeachingModule


def semester_count(cohort) -> int:
    return max(cohort.duration_years, 1) * 2


def semester_choices(cohort) -> list[tuple[int, str]]:
    return [(n, f"Semestre {n}") for n in range(1, semester_count(cohort) + 1)]


def current_semester(cohort, today) -> int:
    return engine.semester_of(cohort.start_year, today, semester_count(cohort))


@dataclass
class GridRow:
    learner: object
    values: dict[int, int | str | None]
    average: Fraction | None

    @property
    def shown(self):
        return engine.show_average(self.average)


def module_grid(module: TeachingModule, semester: int):
    """(assessments of the semester, one row per learner with his marks and module average).
    Three queries: assessments, learners, marks."""
    assessments = list(module.assessments.filter(semester=semester))
    learners = list(module.cohort.learners.order_by("last_name", "first_name", "pk"))
    by_cell = {
        (lid, aid): mark or hundredths
        for lid, aid, hundredths, mark in Mark.objects.filter(
            assessment__in=[a.pk for a in assessments]
        ).values_list("learner_id", "assessment_id", "hundredths", "mark")
    }
    rows = []
    for learner in learners:
        values = {a.pk: by_cell.get((learner.pk, a.pk)) for a in assessments}
        avg = engine.module_average((a.coefficient, values[a.pk]) for a in assessments)
        rows.append(GridRow(learner, values, avg))
    return assessments, rows


@dataclass
class BulletinModule:
    module: TeachingModule
    lines: list[tuple[Assessment, int | str | None]] = field(default_factory=list)
    average: Fraction | None = None
    cohort_average: Fraction | None = None
    appreciation: Appreciation | None = None

    @property
    def shown(self):
        return engine.show_average(self.average)

    @property
    def cohort_shown(self):
        return engine.show_average(self.cohort_average)

    @property
    def trainers(self):
        return ", ".join(t.get_full_name() or t.username for t in self.module.trainers.all())


@dataclass
class Bulletin:
    learner: object
    semester: int
    modules: list[BulletinModule]
    average: Fraction | None

    @property
    def shown(self):
        return engine.show_average(self.average)

    @property
    def marks_count(self):
        return sum(1 for m in self.modules for _, v in m.lines if v is not None)


def bulletin(learner, semester: int) -> Bulletin:
    """The learner's semester: each module with its assessments, his marks, his average, the
    cohort's average and the trainers' appreciation; the semester's average. Five queries."""
    modules = list(
        TeachingModule.objects.filter(cohort_id=learner.cohort_id).prefetch_related("trainers")
    )
    assessments = list(
        Assessment.objects.filter(module__cohort_id=learner.cohort_id, semester=semester)
    )
    marks = Mark.objects.filter(assessment__in=[a.pk for a in assessments]).values_list(
        "learner_id", "assessment_id", "hundredths", "mark"
    )
    by_learner: dict[int, dict[int, int | str | None]] = {}
    for lid, aid, hundredths, mark in marks:
        by_learner.setdefault(lid, {})[aid] = mark or hundredths
    appreciations = {
        a.module_id: a
        for a in Appreciation.objects.filter(learner=learner, semester=semester).select_related(
            "author"
        )
    }
    out = []
    for module in modules:
        own = [a for a in assessments if a.module_id == module.pk]
        if not own and module.pk not in appreciations:
            continue
        mine = by_learner.get(learner.pk, {})
        lines = [(a, mine.get(a.pk)) for a in own]
        peers = [
            engine.module_average((a.coefficient, values.get(a.pk)) for a in own)
            for values in by_learner.values()
        ]
        out.append(
            BulletinModule(
                module,
                lines,
                engine.module_average((a.coefficient, v) for a, v in lines),
                engine.average(engine.Weighted(Fraction(1), p) for p in peers),
                appreciations.get(module.pk),
            )
        )
    avg = engine.semester_average((m.module.coefficient, m.average) for m in out)
    return Bulletin(learner, semester, out, avg)
