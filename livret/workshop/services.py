"""The workshop's edits: each one reads the draft's document, changes one part (livret.workshop.parts),
and saves it through livret.referentiels.services (which refuses any write to a published version).
`check` runs the same edit on a copy and says what the validator would answer, field by field,
without saving anything (the forms call it as one types)."""

from __future__ import annotations

import copy

from django.db import transaction

from livret.referentiels import services as ref_services
from livret.referentiels.models import Referentiel

from .parts import EDITS, EditError

__all__ = ["EditError", "check", "faults_by_field", "save_part"]


def _edited(ref: Referentiel, part: str, data: dict) -> tuple[dict, dict]:
    doc = copy.deepcopy(ref.document)
    anchors = EDITS[part](doc, **data)
    return doc, anchors


@transaction.atomic
def save_part(ref: Referentiel, part: str, data: dict) -> Referentiel:
    """Write one part into the draft (all or nothing: an EditError leaves the draft as it was)."""
    ref = Referentiel.objects.select_for_update().get(pk=ref.pk)
    ref_services.ensure_draft(ref)
    doc, _ = _edited(ref, part, data)
    return ref_services.save_document(ref, doc)


def _under(path: str, anchor: str) -> bool:
    return path == anchor or path.startswith(anchor + ".") or path.startswith(anchor + "[")


def faults_by_field(faults, anchors: dict) -> dict[str, list[str]]:
    """Each fault beside the field whose path holds it (the most precise one); those under the
    part's root but no field go to `""` (shown at the top of the form); the others elsewhere."""
    out: dict[str, list[str]] = {}
    for fault in faults:
        best, length = None, -1
        for field, paths in anchors.items():
            for anchor in paths if isinstance(paths, tuple) else (paths,):
                if anchor and _under(fault.path, anchor) and len(anchor) > length:
                    best, length = field, len(anchor)
        if best is not None:
            out.setdefault(best, [])
            if fault.message not in out[best]:
                out[best].append(fault.message)
    return out


def check(ref: Referentiel, part: str, data: dict) -> dict[str, list[str]]:
    """What the validator would say of the draft once this part is written, field by field."""
    try:
        doc, anchors = _edited(ref, part, data)
    except EditError as exc:
        return {exc.field or "": [str(exc)]}
    return faults_by_field(ref_services.validate_document(doc).faults, anchors)
