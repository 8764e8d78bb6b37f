"""The shell around the engine's lifecycles (engine/*_flow.py): what every service of a step
shares.

A step the machine refuses is one domain error, `Refused` — a ValidationError, so every view
and command that already shows a ValidationError's message shows its French reason, and none
answers 500. The step's row is written with who took it (`attribute`: the history row names
him, from a page as from the command line). Notifications are rows of the step's own
transaction (they vanish with it if it fails); what leaves the machine — an e-mail, a task —
waits for the commit (`after_commit`)."""

from __future__ import annotations

from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction

from livret.engine.flow import FlowError, Machine


class Refused(ValidationError):
    """A step the object's lifecycle does not allow now, or not to this person."""

    def __init__(self, message: str, *, state: str = "", action: str = ""):
        super().__init__(message, code="refused")
        self.state, self.action = state, action


def step(machine: Machine, state: str, action: str, role: str) -> str:
    """The state the action leads to, or Refused with the machine's reason."""
    try:
        return machine.next_state(state, action, role)
    except FlowError as exc:
        raise Refused(exc.message, state=state, action=action) from None


def check(machine: Machine, state: str, action: str, role: str) -> None:
    """Refused unless the action may be taken now (a page asks before it shows a form)."""
    step(machine, state, action, role)


def attribute(obj, user):
    """The history row of the coming save names who acted (not only the request's user)."""
    if user is not None:
        obj._history_user = user
    return obj


def after_commit(fn, *args, **kwargs) -> None:
    transaction.on_commit(partial(fn, *args, **kwargs))
