"""The words by status: a table from the texts (Code de l'éducation L. 124-1: PFMP for pupils,
stages for students; Code du travail L. 6221-1: the apprentice), and a property: a pupil's words
never say apprenti nor stage, an apprentice's never say élève nor PFMP."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from livret.engine import wording

TABLE = [
    ("school", "learner", "élève"),
    ("school", "learners", "élèves"),
    ("school", "period", "PFMP"),
    ("school", "the_learner", "l'élève"),
    ("school", "to_the_learner", "à l'élève"),
    ("continuing", "to_the_learner", "au stagiaire"),
    ("apprentice", "to_the_learner", "à l'apprenti"),
    ("apprentice", "learner", "apprenti"),
    ("apprentice", "period", "période en entreprise"),
    ("apprentice", "tutor", "maître d'apprentissage"),
    ("continuing", "learner", "stagiaire"),
    ("professionalisation", "learner", "alternant"),
    (None, "learner", "apprenant"),
]


@pytest.mark.parametrize("status, key, expected", TABLE)
def test_the_words_of_each_status(status, key, expected):
    assert wording.word(status, key) == expected


def test_an_unknown_word_is_a_mistake_not_a_blank():
    with pytest.raises(KeyError):
        wording.word("school", "stage")


STATUSES = st.sampled_from(["school", "apprentice", "professionalisation", "continuing"])


@given(st.lists(STATUSES, max_size=6))
def test_a_group_reads_its_own_words_or_neutral_ones(statuses):
    w = wording.words_for_all(statuses)
    text = " ".join(w.values()).lower()
    if set(statuses) == {"school"}:
        assert "apprenti" not in text and "stage" not in text.split()
    if "school" in statuses:
        assert "apprenti" not in text  # a pupil among them: never called an apprentice
    if statuses and "apprentice" in statuses and set(statuses) != {"apprentice"}:
        assert w["learner"] == "apprenant"
    if "school" not in statuses:
        assert "élève" not in text and "PFMP" not in " ".join(w.values())
