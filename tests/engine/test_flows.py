"""The lifecycles of a situation in company, a period's review, a session's deliberation and a
questionnaire: every allowed step written out here, every other (state, action, role) refused
with a reason in French, and random walks that never leave the machine's rules."""

from __future__ import annotations

import itertools
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from livret.engine import deliberation_flow as d
from livret.engine import review_flow as r
from livret.engine import situation_flow as s
from livret.engine import survey_flow as q
from livret.engine.flow import FlowError, Machine

# (machine, state, action, role, next state): the rules, as the seeds and the issue say them.
ALLOWED = {
    "situation": [
        (s.NEW, "declare", s.APPRENTICE, s.PENDING),
        (s.PENDING, "edit", s.APPRENTICE, s.PENDING),
        (s.RETURNED, "edit", s.APPRENTICE, s.PENDING),
        (s.PENDING, "validate", s.TUTOR, s.VALIDATED),
        (s.PENDING, "return", s.TUTOR, s.RETURNED),
        (s.PENDING, "comment", s.TUTOR, s.PENDING),
        (s.RETURNED, "comment", s.TUTOR, s.RETURNED),
        (s.VALIDATED, "comment", s.TUTOR, s.VALIDATED),
        (s.EVALUATED, "comment", s.TUTOR, s.EVALUATED),
        (s.VALIDATED, "evaluate", s.TRAINER, s.EVALUATED),
        (s.PENDING, "attach", s.TRAINER, s.PENDING),
        (s.RETURNED, "attach", s.TRAINER, s.RETURNED),
        (s.VALIDATED, "attach", s.TRAINER, s.VALIDATED),
    ],
    "review": [
        (r.NEW, "save", r.TRAINER, r.OPEN),
        (r.OPEN, "save", r.TRAINER, r.OPEN),
        (r.NEW, "appraise", r.TUTOR, r.OPEN),
        (r.OPEN, "appraise", r.TUTOR, r.OPEN),
        (r.OPEN, "validate", r.TRAINER, r.VALIDATED),
    ],
    "deliberation": [
        (d.NONE, "grade", d.EXAM_OFFICE, d.NONE),
        (d.OPEN, "grade", d.EXAM_OFFICE, d.OPEN),
        (d.REOPENED, "grade", d.EXAM_OFFICE, d.REOPENED),
        (d.NONE, "decide", d.EXAM_OFFICE, d.OPEN),
        (d.OPEN, "decide", d.EXAM_OFFICE, d.OPEN),
        (d.REOPENED, "decide", d.EXAM_OFFICE, d.REOPENED),
        (d.NONE, "sign", d.EXAM_OFFICE, d.SIGNED),
        (d.OPEN, "sign", d.EXAM_OFFICE, d.SIGNED),
        (d.REOPENED, "sign", d.EXAM_OFFICE, d.SIGNED),
        (d.SIGNED, "reopen", d.EXAM_OFFICE, d.REOPENED),
        (d.NONE, "edit", d.EXAM_OFFICE, d.NONE),
        (d.OPEN, "edit", d.EXAM_OFFICE, d.OPEN),
        (d.REOPENED, "edit", d.EXAM_OFFICE, d.REOPENED),
        (d.SIGNED, "close", d.EXAM_OFFICE, d.CLOSED),
    ],
    "survey": [
        (q.NEW, "save", q.MANAGER, q.DRAFT),
        (q.DRAFT, "save", q.MANAGER, q.DRAFT),
        (q.DRAFT, "send", q.MANAGER, q.OPEN),
        (q.OPEN, "remind", q.MANAGER, q.OPEN),
        (q.OPEN, "answer", q.RESPONDENT, q.OPEN),
        (q.OPEN, "close", q.MANAGER, q.CLOSED),
    ],
}
MODULES = {"situation": s, "review": r, "deliberation": d, "survey": q}


def _machine(name) -> Machine:
    return MODULES[name].MACHINE


ALLOWED_CASES = [(name, *row) for name, rows in ALLOWED.items() for row in rows]
REFUSED_CASES = [
    (name, state, action, role)
    for name in ALLOWED
    for state, action, role in itertools.product(
        _machine(name).states, _machine(name).actions, _machine(name).roles
    )
    if (state, action, role) not in {(a, b, c) for a, b, c, _ in ALLOWED[name]}
]


@pytest.mark.parametrize("name, state, action, role, target", ALLOWED_CASES)
def test_allowed_steps(name, state, action, role, target):
    assert MODULES[name].next_state(state, action, role) == target
    assert action in MODULES[name].allowed(state, role)


@pytest.mark.parametrize("name, state, action, role", REFUSED_CASES)
def test_every_other_step_is_refused_with_a_reason_in_french(name, state, action, role):
    with pytest.raises(FlowError) as refused:
        MODULES[name].next_state(state, action, role)
    message = refused.value.message
    assert message.endswith(".") and message[0].isupper()
    # No code of the machine leaks into what the user reads.
    codes = set(_machine(name).states) | set(_machine(name).actions) | set(_machine(name).roles)
    assert not codes & set(re.findall(r"\w+", message)), message
    assert action not in MODULES[name].allowed(state, role)


def test_the_ends():
    assert s.MACHINE.terminal == {s.EVALUATED}
    assert r.MACHINE.terminal == {r.VALIDATED}
    # signed minutes may be reopened, reasoned, until the session is closed
    assert d.MACHINE.terminal == {d.CLOSED}
    assert q.MACHINE.terminal == {q.CLOSED}


def test_refusals_say_what_to_do():
    with pytest.raises(FlowError, match="validée par le tuteur : elle ne change plus"):
        s.next_state(s.VALIDATED, "edit", s.APPRENTICE)
    with pytest.raises(FlowError, match="déjà été transformée en évaluations"):
        s.next_state(s.EVALUATED, "evaluate", s.TRAINER)
    with pytest.raises(FlowError, match="pas encore validée par le tuteur"):
        s.next_state(s.PENDING, "evaluate", s.TRAINER)
    with pytest.raises(FlowError, match="Il revient au tuteur de valider la situation"):
        s.next_state(s.PENDING, "validate", s.TRAINER)
    with pytest.raises(FlowError, match="Il revient au formateur de valider le bilan"):
        r.next_state(r.OPEN, "validate", r.TUTOR)
    with pytest.raises(FlowError, match="déjà signé"):
        d.next_state(d.SIGNED, "sign", d.EXAM_OFFICE)
    with pytest.raises(FlowError, match="Ce questionnaire est clos"):
        q.next_state(q.CLOSED, "answer", q.RESPONDENT)


def test_states_read_from_the_database_fields():
    assert s.state_of(None, False) == s.NEW
    assert s.state_of("pending", True) == s.PENDING  # (evaluations of a pending one: old data)
    assert s.state_of("validated", False) == s.VALIDATED
    assert s.state_of("validated", True) == s.EVALUATED
    assert [r.state_of(a, b) for a, b in [(False, False), (True, False), (True, True)]] == [
        r.NEW,
        r.OPEN,
        r.VALIDATED,
    ]
    assert d.state_of(None, False) == d.NONE
    assert d.state_of(1, False) == d.OPEN
    assert d.state_of(3, True) == d.SIGNED
    assert d.state_of(2, False) == d.REOPENED
    assert d.state_of(2, True, closed=True) == d.CLOSED
    assert q.state_of(False, False, False) == q.NEW
    assert q.state_of(True, False, False) == q.DRAFT
    assert q.state_of(True, True, False) == q.OPEN
    assert q.state_of(True, True, True) == q.CLOSED


def test_a_review_is_validated_once_written_and_the_period_over():
    import datetime

    june = datetime.date(2026, 6, 30)
    assert "appréciation pédagogique" in r.validation_blocker("  ", june, june)
    assert "pas finie (elle finit le 30/06/2026)" in r.validation_blocker(
        "Bien.", june, datetime.date(2026, 6, 29)
    )
    assert r.validation_blocker("Bien.", june, june) is None


def test_a_faulty_table_fails_as_it_is_built():
    with pytest.raises(ValueError, match="état inconnu : nulle part"):
        Machine(
            "x",
            ("a",),
            "a",
            {("a", "go"): ("nulle part", ("r",))},
            {"go": "aller"},
            {"a": "ici"},
            {("r",): "à r"},
        )


# --- random walks -------------------------------------------------------------------------------
def _walk(machine: Machine, steps):
    """Take each (action, role) in turn from the initial state; refused ones change nothing.
    Returns the states visited and the steps taken."""
    state, states, taken = machine.initial, [machine.initial], []
    for action, role in steps:
        try:
            state = machine.next_state(state, action, role)
        except FlowError:
            continue
        states.append(state)
        taken.append(action)
    return states, taken


def _steps(machine: Machine):
    return st.lists(
        st.tuples(st.sampled_from(machine.actions), st.sampled_from(machine.roles)), max_size=30
    )


@pytest.mark.parametrize("name", sorted(MODULES))
def test_any_walk_stays_in_the_states_and_a_terminal_state_stays(name):
    machine = _machine(name)

    @given(_steps(machine))
    def check(steps):
        states, _ = _walk(machine, steps)
        assert set(states) <= set(machine.states)
        for i, state in enumerate(states):
            if state in machine.terminal:
                assert set(states[i:]) == {state}

    check()


@given(_steps(s.MACHINE))
def test_a_validated_situation_is_frozen_and_turned_once(steps):
    states, taken = _walk(s.MACHINE, steps)
    if s.VALIDATED in states:
        after = states[states.index(s.VALIDATED) :]
        assert set(after) <= {s.VALIDATED, s.EVALUATED}
        assert "edit" not in taken[states.index(s.VALIDATED) - 1 :]
    assert taken.count("evaluate") <= 1
    assert taken.count("declare") <= 1


@given(_steps(r.MACHINE))
def test_a_review_is_validated_at_most_once_and_then_unchanged(steps):
    states, taken = _walk(r.MACHINE, steps)
    assert taken.count("validate") <= 1
    if "validate" in taken:
        assert taken[-1] == "validate"


@given(_steps(d.MACHINE))
def test_signed_minutes_change_only_through_a_new_deliberation(steps):
    states, taken = _walk(d.MACHINE, steps)
    for before, action, after in zip(states[:-1], taken, states[1:], strict=True):
        if before == d.SIGNED:
            assert (action, after) in (("reopen", d.REOPENED), ("close", d.CLOSED))
        if action == "close":
            assert before == d.SIGNED  # a session closes with its results decided
        if action == "sign":
            assert before != d.SIGNED
    # Each signature is followed by a reopening before the next one.
    signs = [i for i, a in enumerate(taken) if a == "sign"]
    for a, b in itertools.pairwise(signs):
        assert "reopen" in taken[a:b]


@given(_steps(q.MACHINE))
def test_a_questionnaire_is_answered_only_between_its_sending_and_its_closing(steps):
    states, taken = _walk(q.MACHINE, steps)
    for before, action in zip(states[:-1], taken, strict=True):
        if action in ("answer", "remind", "close"):
            assert before == q.OPEN
        if action == "save":
            assert before in (q.NEW, q.DRAFT)
    assert taken.count("send") <= 1 and taken.count("close") <= 1
