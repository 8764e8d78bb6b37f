"""The Bac pro and CAP families, table tests from the texts (each boundary), property tests.

Bac pro — Code de l'éducation D. 337-78: « admis » at 10; « ajournés » under 8; from 8 to under 10
with 10 at the épreuve d'évaluation de la pratique professionnelle (or dispensed of all of it):
the épreuve de contrôle. Arrêté du 6 janvier 2022, art. 12: after it, 10 « à l'issue de l'épreuve
de contrôle », « aucune mention ». Décret n° 2024-122: AB 12, B 14, TB 16, TB félicitations 18.
CAP — D. 337-16: the average both over all units and over the professional units; décret
n° 2024-122: AB 12, B 14, TB 16.
The real Bac pro and CAP files do not give their units and coefficients yet (listed as missing):
these schemes are built for the test, with the texts' rules.
"""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from livret.engine import families as f
from livret.engine.jury import CONTROL, FAILED, PASSED, Candidate, InputError, Scheme, UnitRule

# A Bac pro shaped like the texts: E1 (general, coef 2), E2 pratique professionnelle (coef 4),
# E3 (professional, coef 2), E5 (general, coef 2); an optional unit UF (coef 1).
BAC = Scheme(
    {
        "E1": UnitRule("E1", 200, False, "general"),
        "E2": UnitRule("E2", 400, False, "professional"),
        "E3": UnitRule("E3", 200, False, "professional"),
        "E5": UnitRule("E5", 200, False, "general"),
        "UF": UnitRule("UF", 100, True, ""),
    },
    frozenset({"E2"}),
)
PRACTICE = frozenset({"E2"})
CAP = Scheme(
    {
        "EP1": UnitRule("EP1", 400, False, "professional"),
        "EP2": UnitRule("EP2", 400, False, "professional"),
        "EG1": UnitRule("EG1", 300, False, "general"),
        "EG2": UnitRule("EG2", 200, False, "general"),
    },
    frozenset(),
)


def h(x):
    return round(x * 100)


def bac(e1, e2, e3, e5, control_average=None, optional=None, dispensed=()):
    grades = {k: h(v) for k, v in dict(E1=e1, E2=e2, E3=e3, E5=e5).items() if k not in dispensed}
    c = Candidate("B", grades, {k: h(v) for k, v in (optional or {}).items()}, frozenset(dispensed))
    c.control_average = None if control_average is None else h(control_average)
    return f.compute_bac_pro(BAC, c, PRACTICE, c.control_average)


@pytest.mark.parametrize(
    "grades, kw, decision, average, mention",
    [
        ((10, 10, 10, 10), {}, PASSED, 1000, ""),  # exactly 10: admis
        ((12, 12, 12, 12), {}, PASSED, 1200, "assez bien"),
        ((13.99, 13.99, 13.99, 13.99), {}, PASSED, 1399, "assez bien"),
        ((14, 14, 14, 14), {}, PASSED, 1400, "bien"),
        ((16, 16, 16, 16), {}, PASSED, 1600, "très bien"),
        ((18, 18, 18, 18), {}, PASSED, 1800, "très bien avec les félicitations du jury"),
        # only the points above 10 of the optional unit count: 96.4 + 3 = 99.4 → 9.94, still
        # under 10; with 14, 96.4 + 4 → 10.04, admis
        ((9.4, 10, 9.4, 9.4), {"optional": {"UF": 13}}, CONTROL, 994, ""),
        ((9.4, 10, 9.4, 9.4), {"optional": {"UF": 14}}, PASSED, 1004, ""),
        ((7.99, 7.99, 7.99, 7.99), {}, FAILED, 799, ""),  # under 8: ajourné
        # 8 to 10 with 10 at the practice (E2): épreuve de contrôle
        ((6, 10, 8, 8), {}, CONTROL, 840, ""),
        # 8 to 10 but 9.99 at the practice: ajourné
        ((8, 9.99, 9, 9), {}, FAILED, 919, ""),
        # dispensed of all of the practice: entitled
        ((8, None, 8, 9), {"dispensed": ("E2",)}, CONTROL, 833, ""),
        # after the control: 10 → admis, no mention even if the first group was near 10
        ((9, 10, 9, 9), {"control_average": 10}, PASSED, 1000, ""),
        ((9, 10, 9, 9), {"control_average": 9.99}, FAILED, 999, ""),
    ],
)
def test_bac_pro(grades, kw, decision, average, mention):
    out = bac(*grades, **kw)
    assert (out.decision, out.average, out.mention) == (decision, average, mention)


def test_bac_pro_leaves_to_the_jury_what_no_text_found_gives():
    c = Candidate("B", {"E1": "ABS", "E2": 1000, "E3": 1000, "E5": 1000})
    with pytest.raises(InputError, match="ce que vaut une absence au Bac pro n'est pas donné"):
        f.check_family(f.BAC_PRO, c)


@pytest.mark.parametrize(
    "grades, decision, mention",
    [
        ({"EP1": 10, "EP2": 10, "EG1": 10, "EG2": 10}, PASSED, ""),
        # 11.5 overall but 9.5 in the professional units: not delivered (D. 337-16)
        ({"EP1": 9.5, "EP2": 9.5, "EG1": 16, "EG2": 16}, FAILED, ""),
        # 10 in the professional units but 9.85 overall: not delivered
        ({"EP1": 10, "EP2": 10, "EG1": 9.5, "EG2": 9.5}, FAILED, ""),
        ({"EP1": 12, "EP2": 12, "EG1": 12, "EG2": 12}, PASSED, "assez bien"),
        ({"EP1": 14, "EP2": 14, "EG1": 14, "EG2": 14}, PASSED, "bien"),
        ({"EP1": 18, "EP2": 18, "EG1": 18, "EG2": 18}, PASSED, "très bien"),  # no félicitations
    ],
)
def test_cap(grades, decision, mention):
    out = f.compute_cap(CAP, Candidate("C", {k: h(v) for k, v in grades.items()}))
    assert (out.decision, out.mention) == (decision, mention)


def test_cap_not_every_unit_presented_is_not_delivered():
    out = f.compute_cap(CAP, Candidate("C", {"EP1": "ABS", "EP2": 1500, "EG1": 1500, "EG2": 1500}))
    assert out.decision == FAILED and "toutes les unités n'ont pas été présentées" in out.reasons


grade = st.integers(0, 2000)


@given(grade, grade, grade, grade)
def test_bac_pro_admitted_exactly_from_10_and_control_only_between_8_and_10(a, b, c, d):
    out = f.compute_bac_pro(BAC, Candidate("B", {"E1": a, "E2": b, "E3": c, "E5": d}), PRACTICE)
    total = 2 * a + 4 * b + 2 * c + 2 * d
    assert (out.decision == PASSED) == (total >= 1000 * 10)
    if out.decision == CONTROL:
        assert 800 * 10 <= total < 1000 * 10 and b >= 1000
    assert out.average <= total / 10 < out.average + 1  # shown cut, never more than exact


@given(grade, grade, grade, grade)
def test_cap_needs_both_averages(a, b, c, d):
    out = f.compute_cap(CAP, Candidate("C", {"EP1": a, "EP2": b, "EG1": c, "EG2": d}))
    overall = 4 * a + 4 * b + 3 * c + 2 * d >= 1000 * 13
    professional = 4 * a + 4 * b >= 1000 * 8
    assert (out.decision == PASSED) == (overall and professional)


@given(st.integers(0, 2000))
def test_mentions_rise_with_the_average(avg):
    order = ["", "assez bien", "bien", "très bien", "très bien avec les félicitations du jury"]
    m = f.mention(avg, 1, f.BAC_PRO)
    assert order.index(m) == sum(avg >= t for t in (1200, 1400, 1600, 1800))
