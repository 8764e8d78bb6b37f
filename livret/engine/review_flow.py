"""The review (bilan) of a period in company as a state machine (pure, no Django import).

The trainer rates the agreement's objectives and writes the pedagogical appraisal; the tutor
writes and signs his own, in either order and as often as they need. The trainer then validates
it — once the period is over and his appraisal written —: its levels enter the livret, and the
review no longer changes."""

from __future__ import annotations

import datetime

from .flow import FlowError, Machine  # noqa: F401 (FlowError: what the services catch here)

NEW = "new"  # nothing saved yet
OPEN = "open"
VALIDATED = "validated"
STATES = (NEW, OPEN, VALIDATED)
TRAINER, TUTOR = "trainer", "tutor"

TRANSITIONS: dict[tuple[str, str], tuple[str, tuple[str, ...]]] = {
    (NEW, "save"): (OPEN, (TRAINER,)),
    (OPEN, "save"): (OPEN, (TRAINER,)),
    (NEW, "appraise"): (OPEN, (TUTOR,)),
    (OPEN, "appraise"): (OPEN, (TUTOR,)),
    (OPEN, "validate"): (VALIDATED, (TRAINER,)),
}

LABELS = {
    "save": "enregistrer le bilan",
    "appraise": "signer l'appréciation du tuteur",
    "validate": "valider le bilan",
}
STATE_LABELS = {NEW: "pas encore commencé", OPEN: "en cours", VALIDATED: "validé"}
_FROZEN = "Le bilan est validé : il ne se modifie plus."

MACHINE = Machine(
    subject="le bilan",
    states=STATES,
    initial=NEW,
    transitions=TRANSITIONS,
    labels=LABELS,
    state_labels=STATE_LABELS,
    whom={(TRAINER,): "au formateur", (TUTOR,): "au tuteur"},
    refusals={
        (NEW, "validate"): "Rien à valider : enregistrez d'abord le bilan.",
        (VALIDATED, "validate"): "Le bilan est déjà validé.",
        (VALIDATED, "save"): _FROZEN,
        (VALIDATED, "appraise"): _FROZEN,
    },
)
next_state = MACHINE.next_state
allowed = MACHINE.allowed
may = MACHINE.may


def state_of(saved: bool, validated: bool) -> str:
    return VALIDATED if validated else OPEN if saved else NEW


def validation_blocker(pedagogical: str, end: datetime.date, today: datetime.date) -> str | None:
    """What still stands in the way of validating an open review, in French (None: nothing)."""
    if not pedagogical.strip():
        return "L'appréciation pédagogique de la période est à écrire avant."
    if end > today:
        return f"La période n'est pas finie (elle finit le {end:%d/%m/%Y})."
    return None
