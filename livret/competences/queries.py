"""Read models for the livret pages: a fixed number of queries whatever the size of the cohort."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db.models import Prefetch

from livret.engine.progress import Tally, tally
from livret.referentiels import models as rm

from .models import CompetenceStatus, Situation


@dataclass
class Frame:
    """The parts of a référentiel a livret shows, fetched once."""

    referentiel: rm.Referentiel
    poles: list
    extra_groups: list  # module groups and free-standing competences: [(title, [competence])]
    blocs: list
    exams: list
    competences: list = field(default_factory=list)

    @property
    def by_id(self):
        return {c.pk: c for c in self.competences}


# A référentiel version never changes once loaded (the loader refuses another content for the same
# version), so its frame is built once per process. The key includes the load time: a database
# rebuilt with the same primary keys (tests, a restore) never meets a stale frame.
_FRAMES: dict[tuple, Frame] = {}
_FRAMES_MAX = 32


def frame(referentiel) -> Frame:
    key = (referentiel.pk, referentiel.sha256, referentiel.loaded_at)
    cached = _FRAMES.get(key)
    if cached is None:
        if len(_FRAMES) >= _FRAMES_MAX:
            _FRAMES.pop(next(iter(_FRAMES)))
        cached = _FRAMES[key] = _build_frame(referentiel)
    return cached


def _build_frame(referentiel) -> Frame:
    competences = list(
        rm.Competence.objects.filter(referentiel=referentiel)
        .select_related("activity", "module_unit")
        .order_by("position")
    )
    activities = list(
        rm.Activity.objects.filter(referentiel=referentiel)
        .select_related("pole")
        .order_by("position")
    )
    by_activity: dict[int, list] = {}
    extra: dict[tuple, list] = {}
    for c in competences:
        if c.activity_id:
            by_activity.setdefault(c.activity_id, []).append(c)
        else:
            title = f"{c.group_code} {c.group_title}".strip() or "Compétences"
            unit = c.module_unit.title if c.module_unit else ""
            extra.setdefault((unit, title), []).append(c)
    poles: list[dict] = []
    for a in activities:
        if not poles or poles[-1]["pole"].pk != a.pole_id:
            poles.append({"pole": a.pole, "activities": []})
        poles[-1]["activities"].append({"activity": a, "competences": by_activity.get(a.pk, [])})
    blocs = list(
        rm.Bloc.objects.filter(referentiel=referentiel)
        .select_related("unit")
        .prefetch_related(Prefetch("competences", queryset=rm.Competence.objects.only("id")))
    )
    exams = [
        e
        for e in rm.Exam.objects.filter(referentiel=referentiel).prefetch_related(
            Prefetch("competences", queryset=rm.Competence.objects.only("id"))
        )
        if e.competences.all()
    ]
    groups = [
        {"unit": unit, "title": title, "competences": comps}
        for (unit, title), comps in extra.items()
    ]
    return Frame(referentiel, poles, groups, blocs, exams, competences)


def statuses_of(
    learners, competence_ids=None, with_latest=True
) -> dict[int, dict[int, CompetenceStatus]]:
    """learner id → competence id → current status, in one query.

    The grid and the spreadsheet ask only for the level and its date (with_latest=False): they
    read a few thousand rows, as plain (level, acquired_on) pairs — a model instance each was
    a third of the grid."""
    out: dict[int, dict[int, CompetenceStatus]] = {}
    qs = CompetenceStatus.objects.filter(learner__in=learners)
    if competence_ids is not None:
        qs = qs.filter(competence_id__in=competence_ids)
    if not with_latest:
        for learner_id, competence_id, level, acquired_on in qs.values_list(
            "learner_id", "competence_id", "level", "acquired_on"
        ):
            out.setdefault(learner_id, {})[competence_id] = Mark(level, acquired_on)
        return out
    for s in qs.select_related("latest__evaluator"):
        out.setdefault(s.learner_id, {})[s.competence_id] = s
    return out


class Mark(NamedTuple):
    """A current status as the grid shows it: its level and the date it was acquired."""

    level: str
    acquired_on: datetime.date | None


@dataclass
class Progress:
    overall: Tally
    blocs: list  # [(bloc, Tally)]
    exams: list  # [(exam, Tally)]


def progress(fr: Frame, statuses: dict[int, CompetenceStatus]) -> Progress:
    levels = {cid: s.level for cid, s in statuses.items()}
    return Progress(
        overall=tally(levels, [c.pk for c in fr.competences if not c.module_unit_id]),
        blocs=[
            (b, tally(levels, [c.pk for c in b.competences.all()]))
            for b in fr.blocs
            if b.competences.all()
        ],
        exams=[(e, tally(levels, [c.pk for c in e.competences.all()])) for e in fr.exams],
    )


def situations_by_competence(learner) -> tuple[list, dict[int, list]]:
    situations = list(
        Situation.objects.filter(learner=learner)
        .prefetch_related(
            Prefetch("competences", queryset=rm.Competence.objects.only("id", "code", "title")),
            "tasks",
        )
        .select_related("validated_by")
    )
    by_comp: dict[int, list] = {}
    for s in situations:
        for c in s.competences.all():
            by_comp.setdefault(c.pk, []).append(s)
    return situations, by_comp


def appraisals_of(learner) -> dict[int, object]:
    """competence id → the tutor's latest appraisal of it, in one query."""
    from .models import TutorAppraisal

    out = {}
    for a in TutorAppraisal.objects.filter(learner=learner).select_related("tutor"):
        out[a.competence_id] = a  # ordered by date: the last one wins
    return out
