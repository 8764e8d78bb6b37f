"""A lifecycle as data (pure, no Django import): its states, which action leads from which state
to which, who may take it, and the French words that say why an action is refused.

Each object with a lifecycle has its machine in an `*_flow.py` module beside this one (the VAE
journey, a situation in company, a period's review, an exam session's deliberation, a
satisfaction questionnaire); its services ask the machine before they write anything."""

from __future__ import annotations

from dataclasses import dataclass, field

Transitions = dict[tuple[str, str], tuple[str, tuple[str, ...]]]


class FlowError(ValueError):
    """An action that may not follow, or not by this person: the message says why, in French."""

    def __init__(self, message: str, *, state: str = "", action: str = "", role: str = ""):
        super().__init__(message)
        self.message, self.state, self.action, self.role = message, state, action, role


def de(label: str) -> str:
    """« de » before a phrase, elided before a vowel: d'envoyer, de valider."""
    return ("d'" if label[:1] in "aeéêiou" else "de ") + label


@dataclass(frozen=True)
class Machine:
    """`transitions` maps (state, action) to (next state, the roles that may take it).

    `subject` names the object in a refusal (« le dossier », « la situation »); `whom` says to
    whom an action falls, for each tuple of roles (« au tuteur »); `refusals` gives a plainer
    message for a refused (state, action) than the general « Impossible de … : … est « … » »."""

    subject: str
    states: tuple[str, ...]
    initial: str
    transitions: Transitions
    labels: dict[str, str]
    state_labels: dict[str, str]
    whom: dict[tuple[str, ...], str]
    refusals: dict[tuple[str, str], str] = field(default_factory=dict)

    def __post_init__(self):
        # The machine is checked as it is built: a typo in a table fails at import, not in use.
        named = {s for s, _ in self.transitions} | {t for t, _ in self.transitions.values()}
        faults = [
            *(f"état inconnu : {s}" for s in sorted(named - set(self.states))),
            *(
                f"état initial inconnu : {self.initial}"
                for _ in [1]
                if self.initial not in self.states
            ),
            *(f"action sans libellé : {a}" for a in sorted(set(self.actions) - set(self.labels))),
            *(f"état sans libellé : {s}" for s in self.states if s not in self.state_labels),
            *(
                f"rôles sans mots : {who}"
                for who in {who for _, who in self.transitions.values()}
                if who not in self.whom
            ),
        ]
        if faults:
            raise ValueError("; ".join(faults))

    @property
    def actions(self) -> tuple[str, ...]:
        return tuple(sorted({a for _, a in self.transitions}))

    @property
    def roles(self) -> tuple[str, ...]:
        return tuple(sorted({r for _, who in self.transitions.values() for r in who}))

    @property
    def terminal(self) -> frozenset[str]:
        """The states no action leaves (an action may still keep them where they are)."""
        return frozenset(
            s
            for s in self.states
            if all(t == s for (f, _), (t, _) in self.transitions.items() if f == s)
        )

    def next_state(self, state: str, action: str, role: str) -> str:
        """The state this action leads to, or FlowError saying why not."""
        step = self.transitions.get((state, action))
        label = de(self.labels.get(action, action))
        if step is None:
            message = self.refusals.get((state, action)) or (
                f"Impossible {label} : {self.subject} est "
                f"« {self.state_labels.get(state, state)} »."
            )
            raise FlowError(message, state=state, action=action, role=role)
        target, who = step
        if role not in who:
            raise FlowError(
                f"Il revient {self.whom[who]} {label}.", state=state, action=action, role=role
            )
        return target

    def may(self, state: str, action: str, role: str | None = None) -> bool:
        step = self.transitions.get((state, action))
        return step is not None and (role is None or role in step[1])

    def allowed(self, state: str, role: str) -> list[str]:
        """The actions this person may take now (for the pages' buttons)."""
        return [a for (s, a), (_, who) in self.transitions.items() if s == state and role in who]
