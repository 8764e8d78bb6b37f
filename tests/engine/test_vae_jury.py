"""The VAE jury's composition (Code du travail, art. D. 6412-6, from décret n° 2024-332 du
10 avril 2024): at least two members, one qualified for the certification, a president with a
casting vote, no member linked to the candidate or who accompanied him; balance shown."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from livret.engine import vae_jury as j
from livret.engine.vae_jury import Member

P, T, PRO = j.PRESIDENT, j.TEACHER, j.PROFESSIONAL


def m(name, quality=PRO, qualified=False, gender="", declared=True, accompanied=False):
    return Member(name, quality, qualified, gender, declared, accompanied)


# (members, the kinds of problem expected) — each line one sentence of the article.
CASES = [
    ([], {j.MEMBERS, j.PRESIDENCY}),
    ([m("Ana", P, True)], {j.MEMBERS}),  # « au moins deux personnes »
    ([m("Ana", P, True), m("Bo")], set()),  # the smallest jury that may sit
    ([m("Ana", T, True), m("Bo")], {j.PRESIDENCY}),  # « un président … est désigné »
    ([m("Ana", P), m("Bo", P, True)], {j.PRESIDENCY}),  # one president only
    ([m("Ana", P), m("Bo")], {j.QUALIFIED}),  # « au moins une personne qualifiée »
    ([m("Ana", P, True), m("Guy", accompanied=True)], {j.ACCOMPANIED}),  # « ni avoir accompagné »
    ([m("Ana", P, True), m("Bo", declared=False)], {j.LINK}),  # « aucune relation … »
    (
        [m("Guy", T, accompanied=True, declared=False)],
        {j.MEMBERS, j.PRESIDENCY, j.QUALIFIED, j.ACCOMPANIED, j.LINK},
    ),  # every problem at once
    ([m("Ana", P, True, "F"), m("Bo", T, False, "M"), m("Cy", PRO, True, "F")], set()),
]


@pytest.mark.parametrize("members,expected", CASES)
def test_composition_table(members, expected):
    assert {what for what, _ in j.problems(members)} == expected


def test_messages_name_the_member_and_the_article():
    found = j.problems([m("Ana", P, True), m("Guy Martin", accompanied=True, declared=False)])
    texts = [t for _, t in found]
    assert any("Guy Martin a accompagné le candidat" in t and "D. 6412-6" in t for t in texts)
    assert any("Guy Martin n'a pas déclaré" in t for t in texts)


@pytest.mark.parametrize(
    "genders,balanced",
    [("FM", True), ("FFM", True), ("FFF", False), ("FFMM", True), ("FFFM", False), ("", False)],
)
def test_balance_is_shown(genders, balanced):
    members = [m(str(i), gender=g) for i, g in enumerate(genders)]
    assert j.balanced(members) is balanced
    counts = j.balance(members)
    assert counts["F"] == genders.count("F") and counts["M"] == genders.count("M")


@pytest.mark.parametrize(
    "yes,no,president,expected",
    [
        (3, 1, False, (True, False)),
        (1, 3, True, (False, False)),
        (2, 2, True, (True, True)),
        (2, 2, False, (False, True)),
        (0, 0, True, (True, True)),
    ],
)
def test_the_president_decides_only_a_tie(yes, no, president, expected):
    assert j.outcome(yes, no, president) == expected


members = st.builds(
    Member,
    name=st.text(min_size=1, max_size=5),
    quality=st.sampled_from([P, T, PRO]),
    qualified=st.booleans(),
    gender=st.sampled_from(["F", "M", ""]),
    declared_no_link=st.booleans(),
    accompanied=st.booleans(),
)


@given(st.lists(members, max_size=8))
def test_property_a_jury_sits_exactly_when_every_condition_holds(jury):
    sits = not j.problems(jury)
    assert sits == (
        len(jury) >= 2
        and sum(x.quality == P for x in jury) == 1
        and any(x.qualified for x in jury)
        and all(x.declared_no_link and not x.accompanied for x in jury)
    )


@given(st.lists(members, max_size=8), members)
def test_property_adding_the_accompagnateur_never_makes_a_jury_valid(jury, extra):
    guide = Member(extra.name, extra.quality, extra.qualified, extra.gender, True, True)
    assert j.problems(jury + [guide])
