"""The VAE journey as a state machine (pure, no Django import): which step may follow which, and
who takes it.

Décret n° 2023-1275 du 28 décembre 2023 (in force 1 January 2024; Code du travail, art. R. 6412-1
and following): the candidate sends his feasibility file (dossier de faisabilité) to the
certifier, who decides on it — recevable, non recevable, or incomplete (the candidate completes
it and sends it again); once recevable, the candidate sends his validation file (dossier de
validation) and goes before the jury, which decides (total or partial validation, or refusal).
The candidate may give up at any step before the jury's decision.
"""

from __future__ import annotations

DRAFT = "draft"
SENT = "feasibility_sent"
INCOMPLETE = "feasibility_incomplete"
ADMISSIBLE = "feasibility_admissible"
INADMISSIBLE = "feasibility_inadmissible"
VALIDATION_SENT = "validation_sent"
JURY_DONE = "jury_done"
WITHDRAWN = "withdrawn"
STATES = (DRAFT, SENT, INCOMPLETE, ADMISSIBLE, INADMISSIBLE, VALIDATION_SENT, JURY_DONE, WITHDRAWN)
CANDIDATE, CERTIFIER = "candidate", "certifier"

# (state, action) → (next state, who takes it)
TRANSITIONS: dict[tuple[str, str], tuple[str, str]] = {
    (DRAFT, "submit"): (SENT, CANDIDATE),
    (INCOMPLETE, "submit"): (SENT, CANDIDATE),
    (SENT, "admissible"): (ADMISSIBLE, CERTIFIER),
    (SENT, "inadmissible"): (INADMISSIBLE, CERTIFIER),
    (SENT, "incomplete"): (INCOMPLETE, CERTIFIER),
    (ADMISSIBLE, "send_validation"): (VALIDATION_SENT, CANDIDATE),
    (VALIDATION_SENT, "jury"): (JURY_DONE, CERTIFIER),
    **{
        (state, "withdraw"): (WITHDRAWN, CANDIDATE)
        for state in (DRAFT, SENT, INCOMPLETE, ADMISSIBLE, INADMISSIBLE, VALIDATION_SENT)
    },
}

LABELS = {
    "submit": "envoyer le dossier de faisabilité",
    "admissible": "déclarer le dossier recevable",
    "inadmissible": "déclarer le dossier non recevable",
    "incomplete": "déclarer le dossier incomplet",
    "send_validation": "envoyer le dossier de validation",
    "jury": "enregistrer la décision du jury",
    "withdraw": "abandonner la candidature",
}
STATE_LABELS = {
    DRAFT: "projet en cours",
    SENT: "dossier de faisabilité envoyé",
    INCOMPLETE: "dossier de faisabilité incomplet",
    ADMISSIBLE: "recevable",
    INADMISSIBLE: "non recevable",
    VALIDATION_SENT: "dossier de validation envoyé",
    JURY_DONE: "jury passé",
    WITHDRAWN: "abandonné",
}


class FlowError(ValueError):
    """A step that may not follow, or not by this person: the message says why, in French."""


def next_state(state: str, action: str, role: str) -> str:
    step = TRANSITIONS.get((state, action))
    label = LABELS.get(action, action)
    if step is None:
        raise FlowError(
            f"Impossible de {label} : le dossier est « {STATE_LABELS.get(state, state)} »."
        )
    target, who = step
    if role != who:
        whom = "au candidat" if who == CANDIDATE else "au certificateur"
        raise FlowError(f"Il revient {whom} de {label}.")
    return target


def allowed(state: str, role: str) -> list[str]:
    """The actions this person may take now (for the pages' buttons)."""
    return [a for (s, a), (_, who) in TRANSITIONS.items() if s == state and who == role]
