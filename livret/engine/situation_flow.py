"""A situation lived in company (livret électronique d'apprentissage) as a state machine (pure, no
Django import).

The apprentice declares what he did; his tutor validates it, or sends it back saying why; the
apprentice corrects it and sends it again. Once validated it is frozen: the apprentice no longer
changes it, and the trainer may turn it — once — into facts of the livret (one evaluation per
competence it mobilised). The tutor's comment is his own voice: he may add it at any step."""

from __future__ import annotations

from .flow import FlowError, Machine  # noqa: F401 (FlowError: what the services catch here)

NEW = "new"  # not declared yet
PENDING = "pending"
RETURNED = "returned"
VALIDATED = "validated"
EVALUATED = "evaluated"  # validated, and turned into evaluations of the livret
STATES = (NEW, PENDING, RETURNED, VALIDATED, EVALUATED)
DECLARED = (PENDING, RETURNED, VALIDATED, EVALUATED)
APPRENTICE, TUTOR, TRAINER = "apprentice", "tutor", "trainer"

TRANSITIONS: dict[tuple[str, str], tuple[str, tuple[str, ...]]] = {
    (NEW, "declare"): (PENDING, (APPRENTICE,)),
    (PENDING, "edit"): (PENDING, (APPRENTICE,)),
    (RETURNED, "edit"): (PENDING, (APPRENTICE,)),
    (PENDING, "validate"): (VALIDATED, (TUTOR,)),
    (PENDING, "return"): (RETURNED, (TUTOR,)),
    **{(state, "comment"): (state, (TUTOR,)) for state in DECLARED},
    (VALIDATED, "evaluate"): (EVALUATED, (TRAINER,)),
    # A situation declared without competences (a référentiel that gave none yet, Bac pro, CAP),
    # or with too few: its trainer attaches them, until it is turned into evaluations.
    **{(state, "attach"): (state, (TRAINER,)) for state in (PENDING, RETURNED, VALIDATED)},
}

LABELS = {
    "declare": "déclarer la situation",
    "edit": "modifier la situation",
    "validate": "valider la situation",
    "return": "renvoyer la situation à l'apprenti",
    "comment": "commenter la situation",
    "evaluate": "transformer la situation en évaluations",
    "attach": "rattacher des compétences à la situation",
}
STATE_LABELS = {
    NEW: "pas encore déclarée",
    PENDING: "à valider par le tuteur",
    RETURNED: "renvoyée à l'apprenti",
    VALIDATED: "validée par le tuteur",
    EVALUATED: "déjà transformée en évaluations",
}
_FROZEN = "Cette situation est validée par le tuteur : elle ne change plus."

MACHINE = Machine(
    subject="elle",
    states=STATES,
    initial=NEW,
    transitions=TRANSITIONS,
    labels=LABELS,
    state_labels=STATE_LABELS,
    whom={(APPRENTICE,): "à l'apprenti", (TUTOR,): "au tuteur", (TRAINER,): "au formateur"},
    refusals={
        (VALIDATED, "edit"): _FROZEN,
        (EVALUATED, "edit"): _FROZEN,
        (VALIDATED, "validate"): "Cette situation est déjà validée.",
        (EVALUATED, "validate"): "Cette situation est déjà validée.",
        (RETURNED, "validate"): "Cette situation est renvoyée à l'apprenti : elle se valide "
        "quand il l'a reprise et vous l'a renvoyée.",
        (EVALUATED, "evaluate"): "Cette situation a déjà été transformée en évaluations : "
        "ses faits sont au livret.",
        (PENDING, "evaluate"): "Cette situation n'est pas encore validée par le tuteur : "
        "elle ne devient une évaluation qu'une fois validée.",
        (RETURNED, "evaluate"): "Cette situation est renvoyée à l'apprenti : elle ne devient "
        "une évaluation qu'une fois validée par le tuteur.",
        (EVALUATED, "attach"): "Cette situation a déjà été transformée en évaluations : ses "
        "compétences ne changent plus.",
    },
)
next_state = MACHINE.next_state
allowed = MACHINE.allowed
may = MACHINE.may


def state_of(stored: str | None, turned: bool) -> str:
    """The state from what the database holds: the situation's own state (None before it is
    declared), and whether evaluations were made from it."""
    if stored is None:
        return NEW
    if stored == VALIDATED and turned:
        return EVALUATED
    return stored
