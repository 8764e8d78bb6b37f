"""CCF situations: planned by a learner's trainer, the référentiel's grid filled by the panel,
the grade proposed, then reported by the exam office; nothing changes once the jury has signed."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from livret.engine import jury
from livret.engine.marks import show_hundredths

from .models import CcfSituation, Grade
from .services import ensure_open, exams_by_unit, form_for, set_grade


def ccf_epreuves(candidate) -> list[dict]:
    """The candidate's épreuves in CCF form (for his column of the règlement), with their
    number of situations and the référentiel's criteria."""
    out = []
    for unit, exam in exams_by_unit(candidate.session).items():
        form = form_for(exam, candidate.status)
        if form.get("form") == "ccf":
            out.append(
                {
                    "unit": unit,
                    "exam": exam,
                    "situations": int(form.get("situations") or 1),
                    "criteria": exam.get("criteria") or [],
                }
            )
    return sorted(out, key=lambda e: e["unit"])


def _epreuve(candidate, unit: str) -> dict | None:
    return next((e for e in ccf_epreuves(candidate) if e["unit"] == unit), None)


@transaction.atomic
def plan(candidate, unit: str, held_on, place: str, professional: str, user) -> CcfSituation:
    ensure_open(candidate.session)
    epreuve = _epreuve(candidate, unit)
    if epreuve is None:
        raise ValidationError(f"{unit} n'est pas une épreuve en CCF pour ce candidat.")
    taken = set(candidate.ccf_situations.filter(unit=unit).values_list("number", flat=True))
    free = [n for n in range(1, epreuve["situations"] + 1) if n not in taken]
    if not free:
        raise ValidationError(
            f"Le règlement prévoit {epreuve['situations']} situation(s) en {unit} : toutes sont déjà prévues."
        )
    return CcfSituation.objects.create(
        candidate=candidate,
        unit=unit,
        number=free[0],
        held_on=held_on,
        place=place,
        professional=professional,
        assessor=user,
        appreciations=[{"criterion": c, "text": ""} for c in epreuve["criteria"]],
    )


@transaction.atomic
def save_grid(
    situation: CcfSituation, texts: list[str], raw_grade: str, comment: str, propose: bool
):
    """The panel's appreciation of each criterion, and the grade it proposes (0–20, two
    decimals); every problem named, nothing saved then."""
    ensure_open(situation.candidate.session)
    if situation.reported_at:
        raise ValidationError("La note est déjà reportée par le service des examens.")
    errors = {}
    grade = None
    if raw_grade.strip():
        try:
            grade = jury.parse_grade(raw_grade.strip(), "", situation.unit)
        except jury.InputError as exc:
            errors["grade"] = [str(exc).split(" : ", 1)[-1]]
        else:
            if not isinstance(grade, int):
                errors["grade"] = ["une note de 0 à 20 est attendue"]
    if propose and grade is None and "grade" not in errors:
        errors["grade"] = ["la note proposée est à saisir avant de la transmettre"]
    criteria = [a["criterion"] for a in situation.appreciations]
    if len(texts) != len(criteria):
        errors["grid"] = ["la grille ne correspond plus au référentiel : rechargez la page"]
    if errors:
        raise ValidationError(errors)
    situation.appreciations = [
        {"criterion": c, "text": t.strip()[:2000]} for c, t in zip(criteria, texts, strict=True)
    ]
    situation.proposed_hundredths = grade
    situation.comment = comment.strip()
    if propose:
        situation.proposed_at = timezone.now()
    situation.save()
    return situation


@transaction.atomic
def report(situation: CcfSituation, user) -> Grade | None:
    """The exam office takes the proposed grade among the session's grades. An épreuve in
    several situations is not combined here: how its situations weigh is not in the file (the
    épreuve's definition), so its grade is typed in the session's grid."""
    ensure_open(situation.candidate.session)
    if situation.proposed_at is None:
        raise ValidationError("Aucune note proposée par la commission.")
    epreuve = _epreuve(situation.candidate, situation.unit)
    if epreuve and epreuve["situations"] > 1:
        raise ValidationError(
            f"{situation.unit} se passe en {epreuve['situations']} situations : la note de "
            "l'épreuve se saisit dans la grille des notes de la session (la pondération des "
            "situations n'est pas dans le référentiel)."
        )
    value = situation.proposed_hundredths
    grade = set_grade(situation.candidate, situation.unit, show_hundredths(value, sep="."), user)
    situation.reported_at = timezone.now()
    situation.save(update_fields=["reported_at"])
    return grade
