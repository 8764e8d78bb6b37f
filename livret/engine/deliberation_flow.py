"""An exam session's deliberation as a state machine (pure, no Django import).

Grades are entered and the jury's own decisions recorded while no minutes are signed (the
first decision opens deliberation n° 1). Signing the minutes (procès-verbal) freezes every grade
and decision of the session. Only a new deliberation, with its reason written, reopens them; the
signed minutes stay as they were, and the new deliberation is signed in its turn.

The session's own particulars (name, jury, deadline) change with its grades, while no minutes
are signed. Once the minutes are signed the exam office may close the session: it is then
archived as it stands, nothing changes any more (no new deliberation either)."""

from __future__ import annotations

from .flow import FlowError, Machine  # noqa: F401 (FlowError: what the services catch here)

NONE = "none"  # no deliberation yet
OPEN = "open"  # deliberation n° 1, minutes not signed
SIGNED = "signed"
REOPENED = "reopened"  # a new, reasoned deliberation after signed minutes, not signed yet
CLOSED = "closed"  # signed, then closed by the exam office: read only, for good
STATES = (NONE, OPEN, SIGNED, REOPENED, CLOSED)
UNSIGNED = (NONE, OPEN, REOPENED)
EXAM_OFFICE = "exam_office"

TRANSITIONS: dict[tuple[str, str], tuple[str, tuple[str, ...]]] = {
    **{(state, "grade"): (state, (EXAM_OFFICE,)) for state in UNSIGNED},
    (NONE, "decide"): (OPEN, (EXAM_OFFICE,)),
    (OPEN, "decide"): (OPEN, (EXAM_OFFICE,)),
    (REOPENED, "decide"): (REOPENED, (EXAM_OFFICE,)),
    **{(state, "sign"): (SIGNED, (EXAM_OFFICE,)) for state in UNSIGNED},
    (SIGNED, "reopen"): (REOPENED, (EXAM_OFFICE,)),
    **{(state, "edit"): (state, (EXAM_OFFICE,)) for state in UNSIGNED},
    (SIGNED, "close"): (CLOSED, (EXAM_OFFICE,)),
}

LABELS = {
    "grade": "modifier les notes",
    "decide": "enregistrer une décision du jury",
    "sign": "signer le procès-verbal",
    "reopen": "ouvrir une nouvelle délibération",
    "edit": "modifier la session",
    "close": "clôturer la session",
}
STATE_LABELS = {
    NONE: "pas encore délibérée",
    OPEN: "délibération ouverte",
    SIGNED: "procès-verbal signé",
    REOPENED: "nouvelle délibération ouverte",
    CLOSED: "session clôturée",
}
LOCKED = (
    "Le procès-verbal est signé : les notes sont verrouillées. Ouvrez une nouvelle délibération "
    "motivée pour les modifier."
)
CLOSED_MESSAGE = "La session est clôturée : elle reste consultable, plus rien n'y change."
_NOT_SIGNED = (
    "La délibération en cours n'est pas signée : modifiez-la, puis signez son procès-verbal."
)

MACHINE = Machine(
    subject="la session",
    states=STATES,
    initial=NONE,
    transitions=TRANSITIONS,
    labels=LABELS,
    state_labels=STATE_LABELS,
    whom={(EXAM_OFFICE,): "au service des examens"},
    refusals={
        (SIGNED, "grade"): LOCKED,
        (SIGNED, "decide"): LOCKED,
        (SIGNED, "sign"): "Le procès-verbal de cette délibération est déjà signé.",
        (NONE, "reopen"): "Aucun procès-verbal n'est signé : il n'y a rien à rouvrir.",
        (OPEN, "reopen"): _NOT_SIGNED,
        (REOPENED, "reopen"): _NOT_SIGNED,
        (SIGNED, "edit"): "Le procès-verbal est signé : la session ne se modifie plus. Ouvrez une "
        "nouvelle délibération motivée pour la modifier.",
        **{
            (state, "close"): "Signez d'abord le procès-verbal : une session se clôture une fois "
            "ses résultats arrêtés."
            for state in UNSIGNED
        },
        **{(CLOSED, a): CLOSED_MESSAGE for a in LABELS},
    },
)
next_state = MACHINE.next_state
allowed = MACHINE.allowed
may = MACHINE.may


def state_of(number: int | None, signed: bool, closed: bool = False) -> str:
    """From the current (last) deliberation: its number (None: there is none) and whether its
    minutes are signed; and whether the session was closed."""
    if closed:
        return CLOSED
    if number is None:
        return NONE
    if signed:
        return SIGNED
    return OPEN if number == 1 else REOPENED
