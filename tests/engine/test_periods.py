"""The periods engine, table tests written from the seeds' wording, and property tests.

BTS MOS (seed 001, annexe III b): "stages en entreprise d'une durée de 14 semaines … réparties sur
les deux années de formation, avec un minimum de 4 semaines consécutives durant chaque année
scolaire" ; "Cette durée cumulée ne peut être inférieure à 10 semaines". BTS MCO (seed 004):
"15 semaines … une période d'une durée minimale de 7 semaines consécutives en première année",
"le stage doit avoir lieu dans la même entreprise". Bac pro (seed 003): "22 semaines réparties sur
les 3 années".
"""

import datetime
from fractions import Fraction

import pytest
from django.conf import settings
from hypothesis import given
from hypothesis import strategies as st

from livret.engine.periods import Case, InputError, Period, SchoolYear, check, runs, working_days
from livret.referentiels.files import referentiel_document

D = datetime.date
Y1 = SchoolYear(D(2024, 9, 1), D(2025, 8, 31))
Y2 = SchoolYear(D(2025, 9, 1), D(2026, 8, 31))
Y3 = SchoolYear(D(2026, 9, 1), D(2027, 8, 31))


def rules(code):
    return referentiel_document(code, settings.REFERENTIEL_DIR)["work_placement"]["rules"]


MOS, MCO, BACPRO = rules("bts-mos"), rules("bts-mco"), rules("bacpro-metiers-securite")


def block(monday, weeks, company="ACME", extra_days=0):
    """`weeks` full weeks from a Monday, plus `extra_days` working days."""
    end = monday + datetime.timedelta(days=7 * weeks - 3)
    if extra_days:
        end = monday + datetime.timedelta(days=7 * weeks + extra_days - 1)
    if weeks == 0:
        end = monday + datetime.timedelta(days=extra_days - 1)
    return Period(monday, end, company)


def mos(periods, status="school", derogation=None, years=(Y1, Y2)):
    return check(
        Case(
            "L1", status, list(years), periods, None if derogation is None else Fraction(derogation)
        ),
        MOS,
    )


def rule_ids(result):
    return [v.rule for v in result.violations]


def test_working_days_count_monday_to_friday_and_holidays_still_count():
    assert working_days(D(2025, 1, 6), D(2025, 1, 10)) == 5
    assert working_days(D(2025, 1, 6), D(2025, 1, 12)) == 5  # weekend adds nothing
    # Easter Monday (21 April 2025) inside the period still counts.
    assert working_days(D(2025, 4, 21), D(2025, 4, 25)) == 5


# name, periods, expected compliant, expected failing rules, words expected in the messages
MOS_TABLE = [
    (
        "14 weeks, 7 consecutive each year",
        [block(D(2025, 1, 6), 7), block(D(2026, 1, 5), 7)],
        True,
        [],
        [],
    ),
    (
        "13.8 weeks is short by 0.2",
        [block(D(2025, 1, 6), 7), block(D(2026, 1, 5), 6, extra_days=4)],
        False,
        ["total-weeks"],
        ["13,8 semaines de stage sur 14 exigées", "0,2 semaine manquante en 2025-2026"],
    ),
    (
        "3 consecutive weeks in a year is not 4",
        [block(D(2025, 1, 6), 3), block(D(2025, 3, 3), 3), block(D(2026, 1, 5), 8)],
        False,
        ["consecutive-each-school-year"],
        ["2024-2025 : aucune période de 4 semaines consécutives (la plus longue : 3 semaines)"],
    ),
    (
        "4 consecutive weeks each year is enough",
        [block(D(2025, 1, 6), 4), block(D(2025, 3, 3), 3), block(D(2026, 1, 5), 7)],
        True,
        [],
        [],
    ),
    (
        "Friday → Monday across companies is one run",
        [block(D(2025, 1, 6), 2, "A"), block(D(2025, 1, 20), 2, "B"), block(D(2026, 1, 5), 10)],
        True,
        [],
        [],
    ),
    (
        "a weekday between two periods breaks the run",
        [
            Period(D(2025, 1, 6), D(2025, 1, 16), "A"),
            Period(D(2025, 1, 20), D(2025, 1, 31), "B"),
            block(D(2026, 1, 5), 11),
        ],
        False,
        ["consecutive-each-school-year"],
        ["2024-2025"],
    ),
    (
        "nothing at all",
        [],
        False,
        ["total-weeks", "consecutive-each-school-year", "consecutive-each-school-year"],
        ["14 semaines manquantes"],
    ),
]


@pytest.mark.parametrize(
    ("name", "periods", "compliant", "failing", "words"), MOS_TABLE, ids=[r[0] for r in MOS_TABLE]
)
def test_bts_mos_school(name, periods, compliant, failing, words):
    result = mos(periods)
    assert result.compliant is compliant
    assert rule_ids(result) == failing
    text = " ".join(v.message for v in result.violations)
    for w in words:
        assert w in text


def test_weeks_are_exact():
    result = mos([block(D(2025, 1, 6), 7), block(D(2026, 1, 5), 6, extra_days=4)])
    assert result.weeks == Fraction(69, 5)


@pytest.mark.parametrize(
    ("derogation", "weeks", "compliant"),
    [(12, 12, True), (12, 11, False), (10, 10, True), (14, 13, False)],
)
def test_derogation(derogation, weeks, compliant):
    half = weeks // 2
    result = mos(
        [block(D(2025, 1, 6), half), block(D(2026, 1, 5), weeks - half)], derogation=derogation
    )
    assert result.compliant is compliant


def test_derogation_below_ten_is_refused():
    with pytest.raises(
        InputError, match="derogation_weeks \\(9\\) inférieur au plancher de 10 semaines"
    ):
        mos([block(D(2025, 1, 6), 5), block(D(2026, 1, 5), 5)], derogation=9)


def test_apprentice_contract_replaces_periods_and_continuing_follows_the_stage_rules():
    assert mos([], status="apprentice").compliant
    assert not mos([], status="continuing").compliant


def test_perfecting_six_months_full_time_in_the_year_before_the_exam():
    ok = check(
        Case(
            "P",
            "perfecting",
            [Y2],
            [Period(D(2025, 9, 1), D(2026, 3, 15), "Vigilis")],
            exam_date=D(2026, 5, 18),
        ),
        MOS,
    )
    assert ok.compliant
    short = check(
        Case(
            "P",
            "perfecting",
            [Y2],
            [Period(D(2026, 1, 5), D(2026, 3, 15), "Vigilis")],
            exam_date=D(2026, 5, 18),
        ),
        MOS,
    )
    assert not short.compliant and "6 mois à temps plein" in short.violations[0].message
    part = check(
        Case(
            "P",
            "perfecting",
            [Y2],
            [Period(D(2024, 9, 1), D(2025, 12, 31), "Vigilis", "part_time")],
            exam_date=D(2026, 5, 18),
        ),
        MOS,
    )
    assert part.compliant  # one year part-time within the two years before the exam


MCO_TABLE = [
    (
        "15 weeks, 7 consecutive in year 1, one company",
        [block(D(2025, 1, 6), 8), block(D(2026, 1, 5), 7)],
        True,
        [],
    ),
    (
        "6 consecutive weeks in year 1",
        [block(D(2025, 1, 6), 6), block(D(2026, 1, 5), 9)],
        False,
        ["consecutive-first-year"],
    ),
    (
        "two companies",
        [block(D(2025, 1, 6), 8, "A"), block(D(2026, 1, 5), 7, "B")],
        False,
        ["same-company"],
    ),
    ("14 weeks", [block(D(2025, 1, 6), 7), block(D(2026, 1, 5), 7)], False, ["total-weeks"]),
]


@pytest.mark.parametrize(
    ("name", "periods", "compliant", "failing"), MCO_TABLE, ids=[r[0] for r in MCO_TABLE]
)
def test_bts_mco(name, periods, compliant, failing):
    result = check(Case("M", "school", [Y1, Y2], periods), MCO)
    assert result.compliant is compliant and rule_ids(result) == failing


def test_bac_pro_22_weeks_over_three_years():
    periods = [block(D(2025, 1, 6), 6), block(D(2026, 1, 5), 8), block(D(2027, 1, 4), 8)]
    assert check(Case("B", "school", [Y1, Y2, Y3], periods), BACPRO).compliant
    short = check(Case("B", "school", [Y1, Y2, Y3], periods[:2], placement="PFMP"), BACPRO)
    assert not short.compliant
    # The Bac pro's periods are PFMP, and the message says so.
    assert short.violations[0].message.startswith("14 semaines de PFMP sur 22 exigées")


@pytest.mark.parametrize(
    ("case", "message"),
    [
        (Case("L9", "intern", [Y1], []), "apprenant L9 : status « intern » inconnu"),
        (
            Case("L9", "school", [Y1], [Period(D(2025, 2, 1), D(2025, 1, 1))]),
            "apprenant L9 : periods[0] se termine",
        ),
        (
            Case("L9", "school", [Y1], [block(D(2025, 1, 6), 2), block(D(2025, 1, 13), 2)]),
            "periods[1] chevauche periods[0]",
        ),
        (
            Case("L9", "school", [Y1], [block(D(2023, 1, 9), 2)]),
            "periods[0] (2023-01-09 → 2023-01-20) n'est comprise dans aucune année scolaire",
        ),
    ],
)
def test_bad_input(case, message):
    with pytest.raises(InputError) as exc:
        check(case, MOS)
    assert message in str(exc.value)


# --- properties ---------------------------------------------------------------------------------
mondays = st.integers(0, 40).map(lambda i: D(2024, 9, 2) + datetime.timedelta(weeks=i))


@st.composite
def schedules(draw, company=False):
    """Non-overlapping whole-week periods inside 2024-2025 and 2025-2026."""
    out, cursor = [], D(2024, 9, 2)
    for _ in range(draw(st.integers(0, 5))):
        gap = draw(st.integers(1, 10))
        length = draw(st.integers(1, 8))
        start = cursor + datetime.timedelta(weeks=gap)
        end = start + datetime.timedelta(days=7 * length - 3)
        if end > D(2026, 8, 28) or (start <= Y1.end < end):
            break
        out.append(Period(start, end, draw(st.sampled_from(["A", "B"])) if company else "A"))
        cursor = end + datetime.timedelta(days=3)  # the next Monday
    return out


@given(schedules(), st.integers(1, 8))
def test_adding_a_period_in_the_same_company_never_breaks_compliance(periods, length):
    before = mos(periods)
    last = max((p.end for p in periods), default=D(2024, 9, 1))
    start = last + datetime.timedelta(days=(7 - last.weekday()) + 7)  # a Monday, a week after
    end = start + datetime.timedelta(days=7 * length - 3)
    if end > Y2.end or start <= Y1.end < end:
        return
    after = mos([*periods, Period(start, end, "A")])
    if before.compliant:
        assert after.compliant
    assert after.weeks == before.weeks + length


@given(schedules(company=True))
def test_splitting_a_run_only_breaks_the_consecutive_rule(periods):
    before = mos(periods)
    longest = max(periods, key=lambda p: working_days(p.start, p.end), default=None)
    if longest is None or working_days(longest.start, longest.end) < 10:
        return
    # Cut one working day out of the middle (a Wednesday): total -1 day, the run is split.
    wednesday = longest.start + datetime.timedelta(days=2)
    split = [p for p in periods if p is not longest] + [
        Period(longest.start, wednesday - datetime.timedelta(days=1), longest.company),
        Period(wednesday + datetime.timedelta(days=1), longest.end, longest.company),
    ]
    after = mos(split)
    assert after.weeks == before.weeks - Fraction(1, 5)
    assert len(runs(split)) == len(runs(periods)) + 1
    # Rules other than the two week counts break no more than before (a day less in company
    # never takes a summer rest away).
    counts = {"total-weeks", "consecutive-each-school-year"}
    assert {v.rule for v in after.violations} - counts <= {v.rule for v in before.violations}


# --- BTS MOS 2026-11-26: the rules exactly as section 2 of annexe III b gives them --------------
# 2.1 voie scolaire: « … sous réserve du respect d'une période de quatre semaines consécutives de
# repos pendant les vacances d'été » and « un minimum de 4 semaines consécutives durant chaque
# année scolaire »; 2.3 a formation continue: « La durée de stage est de 14 semaines. »
@pytest.mark.parametrize(
    "periods, status, broken",
    [
        # 14 weeks in one run of the first year: continuing, compliant (no per-year rule for it)
        ([block(D(2025, 1, 6), 14)], "continuing", []),
        # the same for a scolaire misses 4 consecutive weeks in the second year
        ([block(D(2025, 1, 6), 14)], "school", ["consecutive-each-school-year"]),
        # a summer stage from 30 June to 15 August leaves 16 days (2 weeks and 2 days) of rest: refused
        (
            [block(D(2025, 6, 30), 7), block(D(2026, 1, 5), 7)],
            "school",
            ["summer-rest"],
        ),
        # to 25 July: 37 days of rest, 5 weeks and 2 days — enough
        (
            [block(D(2025, 6, 30), 4), block(D(2026, 1, 5), 10)],
            "school",
            [],
        ),
        # the last summer, after the second year, is not between two school years: not checked
        ([block(D(2025, 1, 6), 4), block(D(2026, 6, 1), 10)], "school", []),
    ],
)
def test_mos_rules_per_status(periods, status, broken):
    assert rule_ids(mos(periods, status=status)) == broken


def test_the_summer_rest_message_says_how_much_rest_is_left():
    result = mos([block(D(2025, 6, 30), 7), block(D(2026, 1, 5), 7)])
    (v,) = result.violations
    assert v.message == (
        "Été 2025 : 2,29 semaines de repos consécutives au plus, 4 exigées pendant les vacances "
        "d'été ; raccourcir le stage d'été."
    )


@pytest.mark.parametrize(
    "names, companies",
    [
        (["ACME", "Acme ", "A.C.M.E.", "acme"], 1),
        (["Sécuritas", "SECURITAS"], 1),
        (["ACME", "Vigilis"], 2),
    ],
)
def test_same_company_ignores_case_accents_spaces_and_dots(names, companies):
    monday = D(2024, 10, 7)
    periods = [
        block(monday + datetime.timedelta(weeks=2 * i), 1, name) for i, name in enumerate(names)
    ]
    periods.append(block(D(2025, 1, 6), 8, names[0]))
    result = check(Case("M", "school", [Y1, Y2], periods), MCO)
    same = [v for v in result.violations if v.rule == "same-company"]
    assert len(same) == (0 if companies == 1 else 1)


def test_a_status_no_rule_names_is_not_applicable_never_compliant():
    result = check(Case("B", "continuing", [Y1, Y2, Y3], []), BACPRO)
    assert (result.applicable, result.compliant, result.violations) == (False, None, [])
