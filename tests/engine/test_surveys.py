"""Questionnaires: the questions as written, the answers checked, results only from 5 answers."""

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from livret.engine import surveys as s


def test_questions_one_per_line_with_their_kind():
    qs, errors = s.parse_questions(
        "La formation m'a plu.\n\n[oui/non] Je la recommande.\n[TEXTE]  Remarques ?\n[échelle] Rythme"
    )
    assert errors == []
    assert qs == [
        s.Question("La formation m'a plu.", s.SCALE),
        s.Question("Je la recommande.", s.YES_NO),
        s.Question("Remarques ?", s.TEXT),
        s.Question("Rythme", s.SCALE),
    ]


def test_every_faulty_line_is_named_at_once():
    _, errors = s.parse_questions("Bonne question\n[note] Mauvais préfixe\n[texte]\n" + "x" * 301)
    assert errors == [
        "ligne 2 : « [note] » inconnu (écrivez [texte], [oui/non] ou rien)",
        "ligne 3 : la question est vide",
        "ligne 4 : 301 caractères, 300 au plus",
    ]
    assert s.parse_questions(" \n ")[1] == ["aucune question : écrivez une question par ligne"]
    assert s.parse_questions("\n".join(f"Q{i}" for i in range(41)))[1] == [
        "41 questions, 40 au plus"
    ]


QS = [s.Question("Accord", s.SCALE), s.Question("Oui ?", s.YES_NO), s.Question("Libre", s.TEXT)]


@pytest.mark.parametrize(
    "raw, answers, errors",
    [
        ({0: "4", 1: "oui", 2: " Bien "}, {0: 4, 1: "oui", 2: "Bien"}, {}),
        ({0: "4", 1: "non"}, {0: 4, 1: "non"}, {}),  # free text may stay empty
        (
            {0: "6", 1: "peut-être"},
            {},
            {0: "choisissez une réponse de 1 à 5", 1: "répondez oui ou non"},
        ),
        ({}, {}, {0: "choisissez une réponse de 1 à 5", 1: "répondez oui ou non"}),
        ({0: "1", 1: "oui", 2: "x" * 2001}, {0: 1, 1: "oui"}, {2: "2 000 caractères au plus"}),
    ],
)
def test_answers_are_checked(raw, answers, errors):
    assert s.check_answers(QS, raw) == (answers, errors)


def test_under_five_respondents_only_their_number_is_given():
    four = [{0: 5, 1: "oui", 2: "Top"}] * 4
    r = s.results(QS, four)
    assert (r.respondents, r.shown, r.questions) == (4, False, [])
    r = s.results(QS, [*four, {0: 2, 1: "non"}])
    assert r.shown and r.respondents == 5
    scale, yes_no, text = r.questions
    assert scale.counts == {1: 0, 2: 1, 3: 0, 4: 0, 5: 4} and scale.mean == Fraction(22, 5)
    assert s.show_mean(scale.mean) == "4,40"
    assert yes_no.counts == {"oui": 4, "non": 1}
    assert text.texts == ["Top"] * 4 and text.answered == 4


answer = st.fixed_dictionaries(
    {0: st.integers(1, 5), 1: st.sampled_from(["oui", "non"])},
    optional={2: st.text(min_size=1, max_size=20)},
)


@given(st.lists(answer, max_size=12), st.randoms())
def test_results_do_not_depend_on_the_order_of_answers(answers, rnd):
    shuffled = list(answers)
    rnd.shuffle(shuffled)
    assert s.results(QS, answers) == s.results(QS, shuffled)


@given(st.lists(answer, min_size=5, max_size=30))
def test_counts_add_up_and_the_mean_lies_on_the_scale(answers):
    r = s.results(QS, answers)
    scale, yes_no, _ = r.questions
    assert sum(scale.counts.values()) == sum(yes_no.counts.values()) == len(answers)
    assert 1 <= scale.mean <= 5


@given(st.lists(answer, max_size=4))
def test_nothing_is_shown_under_five(answers):
    assert not s.results(QS, answers).shown
