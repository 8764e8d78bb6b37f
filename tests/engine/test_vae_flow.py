"""The VAE journey of décret n° 2023-1275: every allowed and every refused transition, by role."""

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from livret.engine import vae_flow as f

ACTIONS = sorted({a for _, a in f.TRANSITIONS})
ROLES = (f.CANDIDATE, f.CERTIFIER, f.GUIDE, f.SYSTEM)

ALLOWED = [
    (f.DRAFT, "submit", f.CANDIDATE, f.SENT),
    (f.INCOMPLETE, "submit", f.CANDIDATE, f.SENT),
    # R. 6412-3: the person who accompanies the candidate may deposit the feasibility file
    (f.DRAFT, "submit", f.GUIDE, f.SENT),
    (f.INCOMPLETE, "submit", f.GUIDE, f.SENT),
    (f.SENT, "admissible", f.CERTIFIER, f.ADMISSIBLE),
    (f.SENT, "inadmissible", f.CERTIFIER, f.INADMISSIBLE),
    (f.SENT, "incomplete", f.CERTIFIER, f.INCOMPLETE),
    # L. 6412-2: two months of silence, and the daily clocks record the file recevable
    (f.SENT, "implicit", f.SYSTEM, f.ADMISSIBLE),
    # France VAE's actualisation: the candidate (or his accompagnateur) confirms; without it
    # the daily clocks record the lapse
    (f.ADMISSIBLE, "actualise", f.CANDIDATE, f.ADMISSIBLE),
    (f.ADMISSIBLE, "actualise", f.GUIDE, f.ADMISSIBLE),
    (f.ADMISSIBLE, "lapse", f.SYSTEM, f.LAPSED),
    # the accompagnateur's avis de faisabilité (arrêté du 3 juillet 2025), before the decision
    *((s, "opinion", f.GUIDE, s) for s in (f.DRAFT, f.INCOMPLETE, f.SENT)),
    (f.ADMISSIBLE, "send_validation", f.CANDIDATE, f.VALIDATION_SENT),
    (f.VALIDATION_SENT, "jury", f.CERTIFIER, f.JURY_DONE),
    # D. 6412-6: the certifier composes the jury and convenes, once recevable; a recorded
    # decision is corrected only by a new, reasoned one (the file stays « jury passé »)
    *((s, "compose", f.CERTIFIER, s) for s in (f.ADMISSIBLE, f.VALIDATION_SENT)),
    (f.JURY_DONE, "correct_jury", f.CERTIFIER, f.JURY_DONE),
    # a titre professionnel's candidate, once recevable, sits the titre session's épreuves
    *((s, "titre_session", f.CERTIFIER, s) for s in (f.ADMISSIBLE, f.VALIDATION_SENT)),
    (f.DRAFT, "withdraw", f.CANDIDATE, f.WITHDRAWN),
    (f.SENT, "withdraw", f.CANDIDATE, f.WITHDRAWN),
    (f.INCOMPLETE, "withdraw", f.CANDIDATE, f.WITHDRAWN),
    (f.ADMISSIBLE, "withdraw", f.CANDIDATE, f.WITHDRAWN),
    (f.INADMISSIBLE, "withdraw", f.CANDIDATE, f.WITHDRAWN),
    (f.VALIDATION_SENT, "withdraw", f.CANDIDATE, f.WITHDRAWN),
    # What keeps the file where it is: the feasibility file changes while it is the
    # candidate's to send, the validation file while the certifier waits for it, the
    # accompagnateur until the end.
    (f.DRAFT, "edit", f.CANDIDATE, f.DRAFT),
    (f.INCOMPLETE, "edit", f.CANDIDATE, f.INCOMPLETE),
    (f.ADMISSIBLE, "write", f.CANDIDATE, f.ADMISSIBLE),
    *((s, "choose_guide", f.CANDIDATE, s) for s in f.OPEN),
]


@pytest.mark.parametrize("state, action, role, target", ALLOWED)
def test_allowed_transitions(state, action, role, target):
    assert f.next_state(state, action, role) == target


REFUSED = [
    (s, a, r)
    for s, a, r in itertools.product(f.STATES, ACTIONS, ROLES)
    if (s, a, r) not in {(s2, a2, r2) for s2, a2, r2, _ in ALLOWED}
]


@pytest.mark.parametrize("state, action, role", REFUSED)
def test_every_other_transition_is_refused(state, action, role):
    with pytest.raises(f.FlowError):
        f.next_state(state, action, role)


def test_refusals_say_why_in_french():
    with pytest.raises(
        f.FlowError, match="Il revient au certificateur de déclarer le dossier recevable"
    ):
        f.next_state(f.SENT, "admissible", f.CANDIDATE)
    with pytest.raises(
        f.FlowError,
        match="Impossible d'envoyer le dossier de faisabilité : le dossier est « jury passé »",
    ):
        f.next_state(f.JURY_DONE, "submit", f.CANDIDATE)
    with pytest.raises(f.FlowError, match="Il revient au candidat d'abandonner la candidature"):
        f.next_state(f.SENT, "withdraw", f.CERTIFIER)
    with pytest.raises(
        f.FlowError, match="Il revient au candidat ou à son accompagnateur d'envoyer le dossier"
    ):
        f.next_state(f.DRAFT, "submit", f.CERTIFIER)


def test_the_accompagnateur_only_deposits_the_feasibility_file():
    assert {a for s in f.STATES for a in f.allowed(s, f.GUIDE)} == {
        "submit",
        "actualise",
        "opinion",
    }


def test_the_clocks_only_record_silence_and_lapse():
    assert {a for s in f.STATES for a in f.allowed(s, f.SYSTEM)} == {"implicit", "lapse"}


@given(st.lists(st.tuples(st.sampled_from(ACTIONS), st.sampled_from(ROLES)), max_size=20))
def test_any_walk_stays_in_the_states_and_ends_nowhere_after_the_jury(steps):
    state = f.DRAFT
    for action, role in steps:
        try:
            state = f.next_state(state, action, role)
        except f.FlowError:
            continue
        assert state in f.STATES
    if state in (f.JURY_DONE, f.WITHDRAWN, f.LAPSED):
        assert not f.allowed(state, f.CANDIDATE) and not f.allowed(state, f.CERTIFIER)


def test_the_ends_are_the_jury_the_withdrawal_and_the_lapse():
    assert f.MACHINE.terminal == {f.JURY_DONE, f.WITHDRAWN, f.LAPSED}


def test_a_sent_file_no_longer_changes():
    with pytest.raises(
        f.FlowError,
        match="Impossible de modifier le dossier de faisabilité : le dossier est « dossier de "
        "faisabilité envoyé »",
    ):
        f.next_state(f.SENT, "edit", f.CANDIDATE)


@pytest.mark.parametrize(
    "state, has_experience, says",
    [
        (f.DRAFT, False, "Ajoutez une première expérience"),
        (f.DRAFT, True, "envoyez votre dossier de faisabilité"),
        (f.INCOMPLETE, True, "selon les motifs du certificateur"),
        (f.SENT, True, "Le certificateur étudie votre dossier de faisabilité"),
        (f.ADMISSIBLE, True, "Rédigez votre dossier professionnel (DP), CCP par CCP"),
        (f.VALIDATION_SENT, True, "Le jury va se réunir"),
        (f.JURY_DONE, True, "lettre de décision"),
    ],
)
def test_the_next_step_in_plain_french(state, has_experience, says):
    assert says in f.next_step(state, has_experience, "Dossier professionnel (DP)", "CCP")


def test_the_progress_bar_never_goes_back_along_the_journey():
    path = [f.DRAFT, f.SENT, f.ADMISSIBLE, f.VALIDATION_SENT, f.JURY_DONE]
    values = [f.PROGRESS[s] for s in path]
    assert values == sorted(values) and values[-1] == f.STEPS
