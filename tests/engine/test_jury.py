"""The règlement d'examen engine: table tests built from the seeds, boundaries, properties.

BTS MOS coefficients (seed 001, règlement d'examen): E1 4, E21 2, E22 2, E3 6, E4 8, E51 5, E52 5,
E6 6; optional EF1–EF3 "seuls les points au-dessus de la moyenne sont pris en compte"; dispenses
(annexe II b): U1, U21, U22 for holders of another BTS/DUT/level-5 diploma, U3 for tertiary
BTS/DUT/licence with economics-law-management. BTS MCO (seed 004): E1 3, E21 1.5, E22 1.5, E3 3,
E41 3, E42 3, E5 3, E6 3; "Vous obtenez le BTS si vous avez une moyenne égale ou supérieure à 10/20".
"""

import re
from decimal import Decimal

import pytest
from django.conf import settings
from hypothesis import given
from hypothesis import strategies as st

from livret.engine.jury import (
    CONTROL,
    FAILED,
    PASSED,
    Candidate,
    InputError,
    check_candidate,
    compute,
    needed_grade,
    parse_grade,
    scheme_from_referentiel,
)
from livret.referentiels.files import referentiel_document

MOS_DOC = referentiel_document("bts-mos", settings.REFERENTIEL_DIR)
MOS = scheme_from_referentiel(MOS_DOC)
MCO = scheme_from_referentiel(referentiel_document("bts-mco", settings.REFERENTIEL_DIR))
MOS_UNITS = ["U1", "U21", "U22", "U3", "U4", "U51", "U52", "U6"]


def g(value):
    return parse_grade(value, "t", "u")


def cand(grades, optional=None, dispensed=(), control=None, cid="A"):
    return Candidate(
        cid,
        {k: g(v) for k, v in grades.items()},
        {k: g(v) for k, v in (optional or {}).items()},
        frozenset(dispensed),
        {k: g(v) for k, v in (control or {}).items()},
    )


def run(scheme, c):
    check_candidate(scheme, c)
    return compute(scheme, c)


TRAP = dict(
    zip(
        MOS_UNITS,
        ["11.68", "6.81", "10.63", "10.98", "6.85", "13.81", "5.93", "13.17"],
        strict=True,
    )
)


def all_mos(value, **override):
    return {u: override.get(u, value) for u in MOS_UNITS}


def test_coefficients_come_from_the_referentiel():
    assert {u: MOS.units[u].coef for u in MOS_UNITS} == {
        "U1": 400,
        "U21": 200,
        "U22": 200,
        "U3": 600,
        "U4": 800,
        "U51": 500,
        "U52": 500,
        "U6": 600,
    }
    assert MOS.units["UF1"].optional and MOS.units["UF1"].coef == 100  # no coefficient given: 1
    assert MCO.units["U21"].coef == 150 and MCO.units["U41"].coef == 300
    assert MOS.dispensable == {"U1", "U21", "U22", "U3"}


# name, scheme, candidate, decision, average
TABLE = [
    ("all 10s", MOS, cand(all_mos(10)), PASSED, 1000),
    # Exactly 10 (380/38) where a float sum gives 9.999999999999998.
    (
        "exact 10.00 that floats get wrong",
        MOS,
        cand(
            {
                "U1": "11.68",
                "U21": "6.81",
                "U22": "10.63",
                "U3": "10.98",
                "U4": "6.85",
                "U51": "13.81",
                "U52": "5.93",
                "U6": "13.17",
            }
        ),
        PASSED,
        1000,
    ),
    ("9.99 fails", MOS, cand(all_mos(10, U1="9.81")), CONTROL, 998),
    ("optional 10 adds nothing", MOS, cand(all_mos(10, U1=9), optional={"UF1": 10}), CONTROL, 989),
    (
        "optional 10.5 adds 0.5 point",
        MOS,
        cand(all_mos(10, U1="9.88"), optional={"UF1": "10.5"}),
        PASSED,
        1000,
    ),
    (
        "optional 14 lifts a 9.9",
        MOS,
        cand(all_mos(10, U4="9.5"), optional={"UF2": 14}),
        PASSED,
        1000,
    ),
    ("NV in E4 blocks an average of 15", MOS, cand(all_mos(15, U4="NV")), FAILED, 1184),
    # 12 × 36 / 38 = 11.368…: shown 11,36 (cut, never rounded up)
    ("ABS blocks", MOS, cand(all_mos(12, U21="ABS")), FAILED, 1136),
    # Σ = 380.00 / 38: exactly 10, admitted (a float sum says 9.999…)
    ("exactly 10", MOS, cand(TRAP), PASSED, 1000),
    # Σ = 379.96 / 38 = 9.9989…: ajourné, shown 9,99 — never « moyenne 10,00 inférieure à 10 »
    ("9.9989 is shown 9,99", MOS, cand({**TRAP, "U1": "11.67"}), FAILED, 999),
    (
        "dispensed U1, U21, U22",
        MOS,
        cand({"U3": 10, "U4": 10, "U51": 10, "U52": 10, "U6": 10}, dispensed=["U1", "U21", "U22"]),
        PASSED,
        1000,
    ),
    # (16 + 20 + 20 + 80 + 50 + 50 + 66) / 32 = 9.4375: U3's coefficient 6 is out of the denominator.
    (
        "dispensed U3 leaves the denominator",
        MOS,
        cand(
            {"U1": 4, "U21": 10, "U22": 10, "U4": 10, "U51": 10, "U52": 10, "U6": 11},
            dispensed=["U3"],
        ),
        CONTROL,
        943,
    ),
    ("below 8: no control", MOS, cand(all_mos(7)), FAILED, 700),
    ("8 to 10 but professional below 10: no control", MOS, cand(all_mos(9)), FAILED, 900),
    # 8 in the general units, 10 in the professional ones: (112 + 240) / 38 = 9.26.
    ("entitled to control", MOS, cand(all_mos(8, U4=10, U51=10, U52=10, U6=10)), CONTROL, 926),
    (
        "control grades lift to 10",
        MOS,
        cand(all_mos(8, U4=10, U51=10, U52=10, U6=10), control={"U3": 12, "U1": 11}),
        PASSED,
        1021,
    ),
    # U3 stays 11 (better than the control's 2), U1 rises to 12: (370 + 16) / 38 = 10.157…
    (
        "the better of the two grades counts",
        MOS,
        cand(all_mos(8, U3=11, U4=10, U51=10, U52=10, U6=10), control={"U3": 2, "U1": 12}),
        PASSED,
        1015,
    ),
    (
        "control not enough",
        MOS,
        cand(all_mos(8, U4=10, U51=10, U52=10, U6=10), control={"U21": 9}),
        FAILED,
        931,
    ),
    (
        "MCO exact 10 with 1.5 coefficients",
        MCO,
        cand(
            {
                "U1": 10,
                "U21": "9.5",
                "U22": "10.5",
                "U3": 10,
                "U41": 10,
                "U42": 10,
                "U5": 10,
                "U6": 10,
            }
        ),
        PASSED,
        1000,
    ),
]


@pytest.mark.parametrize(
    ("name", "scheme", "c", "decision", "average"), TABLE, ids=[t[0] for t in TABLE]
)
def test_table(name, scheme, c, decision, average):
    outcome = run(scheme, c)
    assert (outcome.decision, outcome.average) == (decision, average)


def test_the_float_trap_is_real():
    grades = [11.68, 6.81, 10.63, 10.98, 6.85, 13.81, 5.93, 13.17]
    coefs = [4, 2, 2, 6, 8, 5, 5, 6]
    assert (
        sum(x * c for x, c in zip(grades, coefs, strict=True)) / 38 < 10
    )  # what a spreadsheet might do


def test_reasons_are_spelled_out():
    outcome = run(MOS, cand(all_mos(15, U4="NV")))
    assert outcome.reasons[0] == "U4 : non valide (NV)"
    outcome = run(MOS, cand(all_mos(9)))
    assert (
        "moyenne 9,00 inférieure à 10" in outcome.reasons[0]
        and "moyenne des unités professionnelles 9,00" in outcome.reasons[1]
    )


def test_a_session_can_switch_control_exams_off():
    off = scheme_from_referentiel(MOS_DOC, control_exams=False)
    assert run(off, cand(all_mos(8, U4=10, U51=10, U52=10, U6=10))).decision == FAILED


@pytest.mark.parametrize(
    ("c", "message"),
    [
        (cand({**all_mos(10), "U9": 10}), "unité U9 inconnue"),
        (
            cand({u: 10 for u in MOS_UNITS if u != "U6"}),
            "unité obligatoire U6 ni notée ni dispensée",
        ),
        (cand(all_mos(10), dispensed=["U1"]), "unité U1 à la fois dispensée et notée"),
        (
            cand({u: 10 for u in MOS_UNITS if u != "U4"}, dispensed=["U4"]),
            "ne permet pas de dispense de U4",
        ),
        (
            cand(all_mos(8, U4=10, U51=10, U52=10, U6=10), control={"U4": 12}),
            "U4, qui n'est pas une unité du domaine général",
        ),
        (
            cand(all_mos(8, U4=10, U51=10, U52=10, U6=10), control={"U1": 12, "U21": 12, "U3": 12}),
            "au plus 2 épreuves de contrôle",
        ),
    ],
)
def test_bad_candidates(c, message):
    with pytest.raises(InputError, match=message):
        check_candidate(MOS, c)


@pytest.mark.parametrize("bad", [20.5, -1, "12.345", "douze", True, None])
def test_bad_grades(bad):
    with pytest.raises(InputError):
        parse_grade(bad, "candidat A", "U1")


def test_grade_spellings():
    assert [
        parse_grade(x, "a", "U1") for x in (12, 12.5, "12.50", "12,5", " abs ", "nv", 0, 20)
    ] == [1200, 1250, 1250, 1250, "ABS", "NV", 0, 2000]


def test_simulator():
    c = cand({"U1": 8, "U21": 10, "U22": 10, "U3": 9})
    need = needed_grade(MOS, c, ["U4", "U51", "U52", "U6"])
    # (380 − (32 + 20 + 20 + 54)) / 24 = 10.5833… → 10.59 in every professional unit
    assert need == 1059
    full = Candidate("A", {**c.grades, **dict.fromkeys(["U4", "U51", "U52", "U6"], need)})
    assert compute(MOS, full).decision == PASSED
    lower = Candidate("A", {**c.grades, **dict.fromkeys(["U4", "U51", "U52", "U6"], need - 1)})
    assert compute(MOS, lower).decision != PASSED
    # Zero everywhere but E4: even 20 in E4 (8 × 20 = 160 < 380) cannot save the year.
    assert needed_grade(MOS, cand(all_mos(0)), ["U4"]) is None
    assert needed_grade(MOS, cand({"U1": "NV", "U21": 20, "U22": 20, "U3": 20}), ["U4"]) is None


grades = st.integers(0, 2000)


@st.composite
def mos_candidates(draw):
    return Candidate(
        "P",
        {u: draw(grades) for u in MOS_UNITS},
        {"UF1": draw(grades)} if draw(st.booleans()) else {},
    )


@given(mos_candidates(), st.sampled_from(MOS_UNITS), st.integers(1, 2000))
def test_raising_a_grade_never_turns_admis_into_ajourne(c, unit, delta):
    before = compute(MOS, c)
    raised = Candidate(c.id, {**c.grades, unit: min(2000, c.grades[unit] + delta)}, c.optional)
    after = compute(MOS, raised)
    assert after.average >= before.average
    if before.decision == PASSED:
        assert after.decision == PASSED


@given(mos_candidates(), st.integers(0, 1000))
def test_an_optional_grade_at_or_below_10_changes_nothing(c, optional):
    plain = compute(MOS, Candidate(c.id, c.grades))
    with_optional = compute(MOS, Candidate(c.id, c.grades, {"UF1": optional}))
    assert (with_optional.decision, with_optional.average) == (plain.decision, plain.average)


@given(mos_candidates())
def test_average_matches_exact_decimal_arithmetic(c):
    coefs = {u: Decimal(MOS.units[u].coef) / 100 for u in MOS_UNITS}
    exact = sum(Decimal(c.grades[u]) / 100 * coefs[u] for u in MOS_UNITS)
    opt = c.optional.get("UF1")
    if opt is not None and opt > 1000:
        exact += (Decimal(opt) - 1000) / 100
    exact /= sum(coefs.values())
    outcome = compute(MOS, c)
    assert outcome.average == int((exact * 100).quantize(Decimal("1"), rounding="ROUND_DOWN"))
    assert (outcome.decision == PASSED) == (exact >= 10)


def reference_grade(text: str):
    """The rule, read with decimals only: 0–20, at most two decimals (trailing zeros allowed)."""
    from decimal import InvalidOperation

    try:
        d = Decimal(text.strip().replace(",", "."))
    except InvalidOperation:
        return None
    if not d.is_finite() or d < 0 or d > 20 or d != d.quantize(Decimal("0.01")):
        return None
    return int(d * 100)


@given(
    st.from_regex(r"\A[0-9]{1,3}([.,][0-9]{0,4})?\Z")
    | st.sampled_from(["20", "20.0", "20.01", "0,05", "7.5", "19,99", "00.5", "12.500"])
)
def test_the_fast_reading_of_grades_agrees_with_decimals(text):
    # Read twice: the second reading comes from the cache of grades already seen.
    for _ in range(2):
        expected = reference_grade(text)
        if expected is None:
            with pytest.raises(InputError):
                parse_grade(text, "candidat A", "U1")
        else:
            assert parse_grade(text, "candidat A", "U1") == expected


@given(
    st.floats(allow_nan=True, allow_infinity=True)
    | st.floats(-0.5, 20.5)
    | st.integers(-1, 2001).map(lambda h: h / 100)
    | st.integers(-1, 20001).map(lambda h: h / 1000)
)
def test_json_numbers_are_read_as_their_written_form(value):
    """A JSON number (a float) reads exactly as the Decimal of its shortest written form would:
    the fast reading (one multiplication, then a cache) agrees, read twice, and refuses the same."""
    expected = reference_grade(str(value))
    for _ in range(2):
        if expected is None:
            with pytest.raises(InputError):
                parse_grade(value, "candidat A", "U1")
        else:
            assert parse_grade(value, "candidat A", "U1") == expected


def test_a_whole_json_number_is_never_taken_for_a_boolean():
    assert parse_grade(1.0, "a", "U1") == 100 and parse_grade(0.5, "a", "U1") == 50
    for bad in (True, False):
        with pytest.raises(InputError):
            parse_grade(bad, "a", "U1")


@given(st.dictionaries(st.sampled_from([*MOS_UNITS, "UF1", "U9"]), st.integers(0, 2000)))
def test_the_usual_candidates_shortcut_checks_what_the_full_check_does(grades):
    """Only a candidate with exactly the compulsory units takes the shortcut; any other is read
    by the full check, which refuses a missing, unknown or misplaced unit."""
    c = Candidate("A", grades)
    if set(grades) == set(MOS_UNITS):
        check_candidate(MOS, c)
    else:
        with pytest.raises(InputError):
            check_candidate(MOS, c)


def test_a_failed_candidate_is_never_shown_10():
    outcome = run(MOS, cand({**TRAP, "U1": "11.67"}))
    assert outcome.reasons[0] == "moyenne 9,99 inférieure à 10"


@given(st.lists(st.integers(0, 2000), min_size=8, max_size=8))
def test_the_shown_average_never_says_more_than_the_exact_one(grades):
    from fractions import Fraction

    c = Candidate("P", dict(zip(MOS_UNITS, grades, strict=True)))
    outcome = run(MOS, c)
    weights = {code: coef for code, coef, _ in MOS.weights}
    exact = Fraction(
        sum(g * weights[u] for u, g in zip(MOS_UNITS, grades, strict=True)), sum(weights.values())
    )
    assert outcome.average <= exact < outcome.average + 1
    assert (outcome.average >= 1000) == (exact >= 1000)


@pytest.mark.parametrize(
    "grades, says",
    [
        (all_mos(12), "refusée, admis au premier groupe (moyenne 12,00)"),
        (all_mos(7), "refusée, non admis à les passer (moyenne 7,00"),
        (all_mos(9), "refusée, non admis à les passer (moyenne 9,00"),  # professional 9 < 10
        (all_mos(15, U4="NV"), "refusée (U4 : non valide (NV))"),
    ],
)
def test_control_grades_for_a_candidate_not_entitled_are_refused(grades, says):
    with pytest.raises(
        InputError, match=r"candidat A : épreuve de contrôle en U1 " + re.escape(says)
    ):
        check_candidate(MOS, cand(grades, control={"U1": 12}))


def test_control_grades_for_an_entitled_candidate_pass_the_checks():
    check_candidate(MOS, cand(all_mos(8, U4=10, U51=10, U52=10, U6=10), control={"U1": 12}))
