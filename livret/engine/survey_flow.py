"""A satisfaction questionnaire as a state machine (pure, no Django import).

The centre's manager writes it (a draft he may change), sends it — then it no longer changes —,
reminds those who have not answered, and closes it; the people asked answer while it is open.
Closed is the end: the counts are frozen and who answered is forgotten."""

from __future__ import annotations

from .flow import FlowError, Machine  # noqa: F401 (FlowError: what the services catch here)

NEW = "new"  # not saved yet
DRAFT = "draft"
OPEN = "open"
CLOSED = "closed"
STATES = (NEW, DRAFT, OPEN, CLOSED)
MANAGER, RESPONDENT = "manager", "respondent"

TRANSITIONS: dict[tuple[str, str], tuple[str, tuple[str, ...]]] = {
    (NEW, "save"): (DRAFT, (MANAGER,)),
    (DRAFT, "save"): (DRAFT, (MANAGER,)),
    (DRAFT, "send"): (OPEN, (MANAGER,)),
    (OPEN, "remind"): (OPEN, (MANAGER,)),
    (OPEN, "answer"): (OPEN, (RESPONDENT,)),
    (OPEN, "close"): (CLOSED, (MANAGER,)),
}

LABELS = {
    "save": "enregistrer le questionnaire",
    "send": "envoyer le questionnaire",
    "remind": "envoyer un rappel",
    "answer": "répondre au questionnaire",
    "close": "clore le questionnaire",
}
STATE_LABELS = {NEW: "pas encore enregistré", DRAFT: "brouillon", OPEN: "ouvert", CLOSED: "clos"}
_NOT_OPEN = "Ce questionnaire n'est pas ouvert."
_SENT = "Un questionnaire envoyé ne se modifie plus."

MACHINE = Machine(
    subject="le questionnaire",
    states=STATES,
    initial=NEW,
    transitions=TRANSITIONS,
    labels=LABELS,
    state_labels=STATE_LABELS,
    whom={(MANAGER,): "au responsable du centre", (RESPONDENT,): "aux personnes interrogées"},
    refusals={
        (OPEN, "save"): _SENT,
        (CLOSED, "save"): _SENT,
        (OPEN, "send"): "Ce questionnaire a déjà été envoyé.",
        (CLOSED, "send"): "Ce questionnaire a déjà été envoyé.",
        (DRAFT, "remind"): _NOT_OPEN,
        (CLOSED, "remind"): _NOT_OPEN,
        (DRAFT, "close"): _NOT_OPEN,
        (CLOSED, "close"): _NOT_OPEN,
        (CLOSED, "answer"): "Ce questionnaire est clos.",
        (DRAFT, "answer"): _NOT_OPEN,
    },
)
next_state = MACHINE.next_state
allowed = MACHINE.allowed
may = MACHINE.may


def state_of(saved: bool, sent: bool, closed: bool) -> str:
    if closed:
        return CLOSED
    if sent:
        return OPEN
    return DRAFT if saved else NEW
