"""The attestation de réussite intermédiaire of the Bac pro: table tests from the texts (each
boundary) and property tests. Texts: Code de l'éducation D. 337-59; arrêté du 16 décembre 2020
(pupils of EPLE and private establishments under contract; apprentices are not recipients,
answer to QE n° 11564); the average a) teachings coef 1, b) the specialty coef 4, c) the
chef-d'œuvre coef 1; 10 or more delivered, 9 to under 10 after the conseil de classe restreint."""

from fractions import Fraction as F

import pytest
from hypothesis import given
from hypothesis import strategies as st

from livret.engine import ari

# Three teachings at 8, the specialty at 11, the chef-d'œuvre at 12:
# (8 + 8 + 8 + 4 × 11 + 12) / (3 + 4 + 1) = 80 / 8 = 10.
TEACHINGS = [F(8), F(8), F(8)]


@pytest.mark.parametrize(
    "specialty, chef, council, decision, avg",
    [
        (F(11), F(12), None, ari.DELIVERED, F(10)),  # exactly 10: delivered
        # Just under 10 (specialty 10.99…): the conseil restreint, never shown 10,00.
        (F(1099, 100), F(12), None, ari.COUNCIL, F(7996, 800)),
        (F(1099, 100), F(12), True, ari.DELIVERED, F(7996, 800)),
        (F(1099, 100), F(12), False, ari.REFUSED, F(7996, 800)),
        # Exactly 9: (24 + 4s + 12) / 8 = 9 → s = 9.
        (F(9), F(12), None, ari.COUNCIL, F(9)),
        # Just under 9: refused, whatever a council said.
        (F(899, 100), F(12), True, ari.REFUSED, F(7196, 800)),
        # No chef-d'œuvre mark: it does not count (24 + 44) / 7.
        (F(11), None, None, ari.COUNCIL, F(68, 7)),
    ],
)
def test_the_thresholds_of_the_arrete(specialty, chef, council, decision, avg):
    out = ari.decide("school", True, TEACHINGS, specialty, chef, council)
    assert (out.decision, out.average) == (decision, avg)


def test_the_specialty_weighs_four_teachings():
    # One teaching at 20 and the specialty at 0: (20 + 0) / 5 = 4; swapped: (0 + 80) / 5 = 16.
    assert ari.average([F(20)], F(0)) == F(4)
    assert ari.average([F(0)], F(20)) == F(16)


@pytest.mark.parametrize(
    "status, establishment, why",
    [
        ("apprentice", True, "pas aux apprentis"),
        ("continuing", True, "statut scolaire"),
        ("school", False, "ni public ni privé sous contrat"),
    ],
)
def test_who_is_not_concerned(status, establishment, why):
    out = ari.decide(status, establishment, TEACHINGS, F(15), F(15))
    assert out.decision == ari.NOT_CONCERNED and why in out.reasons[0]


def test_without_the_specialtys_average_nothing_is_decided():
    out = ari.decide("school", True, TEACHINGS, None, F(15))
    assert out.decision == ari.INCOMPLETE and out.average is None


marks = st.fractions(min_value=0, max_value=20, max_denominator=100)


@given(st.lists(st.one_of(st.none(), marks), max_size=12), marks, st.one_of(st.none(), marks))
def test_the_average_is_a_mean_within_the_marks_and_decides_monotonically(teachings, spec, chef):
    avg = ari.average(teachings, spec, chef)
    values = [v for v in [*teachings, chef] if v is not None] + [spec]
    assert min(values) <= avg <= max(values)
    out = ari.decide("school", True, teachings, spec, chef)
    assert out.average == avg
    assert (out.decision == ari.DELIVERED) == (avg >= 10)
    assert (out.decision == ari.COUNCIL) == (9 <= avg < 10)
    # A better specialty average never turns a delivered attestation into another decision.
    better = ari.decide("school", True, teachings, min(F(20), spec + 1), chef)
    if out.decision == ari.DELIVERED:
        assert better.decision == ari.DELIVERED
