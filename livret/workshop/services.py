"""The workshop's edits: each one reads the draft's document, changes one part, and saves it
through livret.referentiels.services (which refuses any write to a published version)."""

from __future__ import annotations

import copy
from decimal import Decimal, InvalidOperation

from django.db import transaction

from livret.referentiels import services as ref_services
from livret.referentiels.models import Referentiel


class EditError(ValueError):
    """A value the form cannot take (the validator speaks for the rest)."""


def _number(text: str):
    try:
        value = Decimal(str(text).replace(",", ".").strip())
    except InvalidOperation:
        raise EditError(f"coefficient « {text} » : un nombre est attendu") from None
    return int(value) if value == value.to_integral_value() else float(value)


def _doc(ref: Referentiel) -> dict:
    return copy.deepcopy(ref.document)


@transaction.atomic
def set_unit(
    ref: Referentiel,
    *,
    code: str,
    title: str,
    domain: str = "",
    practice: bool = False,
    exam_code: str = "",
    coefficient: str = "",
) -> Referentiel:
    """Add or update a unit and the épreuve that evaluates it (with its coefficient)."""
    code, title = code.strip(), title.strip()
    if not code or not title:
        raise EditError("une unité a un code et un intitulé")
    doc = _doc(ref)
    units = doc.setdefault("units", [])
    unit = next((u for u in units if u.get("code") == code), None)
    if unit is None:
        unit = {"code": code}
        units.append(unit)
    unit["title"] = title
    for key, value in (("domain", domain), ("practice", practice)):
        if value:
            unit[key] = value
        else:
            unit.pop(key, None)
    exams = doc.setdefault("exams", [])
    exam = next((e for e in _all_exams(exams) if e.get("unit") == code), None)
    if exam is None:
        exam = {"code": exam_code.strip() or _exam_code(code), "title": title, "unit": code}
        exams.append(exam)
    elif exam_code.strip():
        exam["code"] = exam_code.strip()
    if str(coefficient).strip():
        exam["coefficient"] = _number(coefficient)
    else:
        exam.pop("coefficient", None)
    return ref_services.save_document(ref, doc)


def _exam_code(unit_code: str) -> str:
    return "E" + unit_code[1:] if unit_code.upper().startswith("U") else f"E-{unit_code}"


def _all_exams(exams: list) -> list:
    return [x for e in exams for x in [e, *(e.get("parts") or [])]]


@transaction.atomic
def set_bloc(
    ref: Referentiel, *, code: str, title: str, unit: str = "", competences: str = ""
) -> Referentiel:
    """Add or update a bloc: its title, its unit, its competences (codes, one per line)."""
    code, title = code.strip(), title.strip()
    if not code or not title:
        raise EditError("un bloc a un code et un intitulé")
    doc = _doc(ref)
    blocs = doc.setdefault("blocs", [])
    bloc = next((b for b in blocs if b.get("code") == code), None)
    if bloc is None:
        bloc = {"code": code}
        blocs.append(bloc)
    bloc["title"] = title
    if unit.strip():
        bloc["unit"] = unit.strip()
    else:
        bloc.pop("unit", None)
    codes = [c.strip() for c in competences.replace(",", "\n").splitlines() if c.strip()]
    if codes:
        bloc["competences"] = codes
    return ref_services.save_document(ref, doc)


@transaction.atomic
def set_header(
    ref: Referentiel, *, title: str, kind: str, completeness: str, missing: str
) -> Referentiel:
    doc = _doc(ref)
    doc["title"] = title.strip()
    if kind:
        doc["kind"] = kind
    doc["completeness"] = completeness
    lines = [line.strip() for line in missing.splitlines() if line.strip()]
    if lines:
        doc["missing"] = lines
    else:
        doc.pop("missing", None)
    return ref_services.save_document(ref, doc)


@transaction.atomic
def set_competence(
    ref: Referentiel, *, code: str, title: str, activity: str = "", bloc: str = ""
) -> Referentiel:
    """Add or retitle a competence: under an activity of the tree when one is named, else among
    the free-standing competences; listed in a bloc when one is named."""
    code, title, activity, bloc = code.strip(), title.strip(), activity.strip(), bloc.strip()
    if not code or not title:
        raise EditError("une compétence a un code et un intitulé")
    doc = _doc(ref)
    places = [doc.setdefault("competences", [])]
    target = None
    for pole in doc.get("poles") or []:
        for act in pole.get("activities") or []:
            places.append(
                act.setdefault("competences", [])
                if act.get("code") == activity
                else act.get("competences") or []
            )
            if act.get("code") == activity:
                target = act["competences"]
    if activity and target is None:
        raise EditError(f"activité « {activity} » inexistante dans ce référentiel")
    existing = next((c for place in places for c in place if c.get("code") == code), None)
    if existing is not None:
        existing["title"] = title
    else:
        (target if target is not None else places[0]).append({"code": code, "title": title})
    if not doc["competences"]:
        doc.pop("competences")
    if bloc:
        found = next((b for b in doc.get("blocs") or [] if b.get("code") == bloc), None)
        if found is None:
            raise EditError(f"bloc « {bloc} » inexistant dans ce référentiel")
        if code not in (found.get("competences") or []):
            found.setdefault("competences", []).append(code)
    return ref_services.save_document(ref, doc)
