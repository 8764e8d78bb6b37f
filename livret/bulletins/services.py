"""Contrôle continu: one atomic function per action; every change keeps its history."""

from __future__ import annotations

from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import transaction

from livret.engine import marks as engine

from .models import Appreciation, Assessment, Mark, TeachingModule


@transaction.atomic
def save_module(form, cohort) -> TeachingModule:
    module = form.save(commit=False)
    module.cohort = cohort
    module.save()
    form.save_m2m()
    return module


@transaction.atomic
def save_assessment(form, module: TeachingModule, user) -> Assessment:
    assessment = form.save(commit=False)
    assessment.module = module
    if assessment.created_by_id is None:
        assessment.created_by = user
    assessment.save()
    return assessment


class Saved(NamedTuple):
    written: int
    deleted: int


class DeletionsToConfirm(Exception):
    """Emptied cells would delete marks: nothing is written until the user confirms them."""

    def __init__(self, fields: dict[str, str]):
        super().__init__(f"{len(fields)} note(s) à effacer")
        self.fields = fields  # field name → the mark it would delete, as shown


@transaction.atomic
def set_marks(
    module: TeachingModule,
    entries: dict[tuple[int, int], str],
    user,
    *,
    confirm_deletions: bool = False,
) -> Saved:
    """The module's grid (learners × assessments) as typed: every change saved, or none.

    `entries` maps (learner id, assessment id) to the typed value. Unchanged values write
    nothing. An emptied cell deletes the mark (its history keeps it) only when the user
    confirmed it: a cell cleared by a slip must not silently lose a mark. Each faulty value is
    reported under its field name `m-<learner>-<assessment>`, all at once.
    """
    learners = set(module.cohort.learners.values_list("pk", flat=True))
    assessments = set(module.assessments.values_list("pk", flat=True))
    current = {
        (m.learner_id, m.assessment_id): m
        for m in Mark.objects.filter(assessment__module=module, learner_id__in=learners)
    }
    errors: dict[str, list[str]] = {}
    writes: list[tuple[tuple[int, int], int | str | None]] = []
    for (lid, aid), raw in entries.items():
        field = f"m-{lid}-{aid}"
        if lid not in learners or aid not in assessments:
            errors[field] = ["case inconnue dans ce module"]
            continue
        try:
            value = engine.parse_mark(raw)
        except engine.MarkError as exc:
            errors[field] = [str(exc)]
            continue
        mark = current.get((lid, aid))
        if (mark.value if mark else None) != value:
            writes.append(((lid, aid), value))
    if errors:
        raise ValidationError(errors)
    deletions = {
        f"m-{lid}-{aid}": current[(lid, aid)].display for (lid, aid), v in writes if v is None
    }
    if deletions and not confirm_deletions:
        raise DeletionsToConfirm(deletions)
    for (lid, aid), value in writes:
        mark = current.get((lid, aid))
        if value is None:
            mark._change_reason = "effacée"
            mark.delete()
            continue
        if mark is None:
            mark = Mark(assessment_id=aid, learner_id=lid)
        mark.hundredths = value if isinstance(value, int) else None
        mark.mark = value if isinstance(value, str) else ""
        mark.entered_by = user
        mark._history_user = user
        mark.save()
    return Saved(written=len(writes) - len(deletions), deleted=len(deletions))


@transaction.atomic
def save_appreciations(module: TeachingModule, semester: int, texts: dict[int, str], user) -> int:
    """One appreciation per learner of the cohort; an emptied box removes it."""
    learners = set(module.cohort.learners.values_list("pk", flat=True))
    unknown = [lid for lid in texts if lid not in learners]
    if unknown:
        raise ValidationError("Apprenant inconnu dans ce module.")
    too_long = [lid for lid, t in texts.items() if len(t) > 1000]
    if too_long:
        raise ValidationError({f"a-{lid}": ["1 000 caractères au plus"] for lid in too_long})
    current = {
        a.learner_id: a
        for a in module.appreciations.filter(semester=semester, learner_id__in=learners)
    }
    changed = 0
    for lid, text in texts.items():
        text = text.strip()
        existing = current.get(lid)
        if existing is None and not text or existing is not None and existing.text == text:
            continue
        changed += 1
        if not text:
            existing.delete()
            continue
        if existing is None:
            existing = Appreciation(learner_id=lid, module=module, semester=semester)
        existing.text, existing.author = text, user
        existing.save()
    return changed
