"""The column of the règlement d'examen, from its three headers (BTS MOS, seed 001) and the single
column of the BTS MCO (seed 004)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from livret.engine.candidates import column

MOS = ["approved", "continuing", "other"]
STATUSES = ["school", "apprentice", "professionalisation", "continuing"]


@pytest.mark.parametrize(
    "status, habilitated, public, expected",
    [
        # « Voie scolaire dans un établissement public ou privé sous contrat, CFA … habilité »
        ("school", True, True, "approved"),
        ("school", True, False, "approved"),
        ("apprentice", True, False, "approved"),
        # « … CFA ou section d'apprentissage non habilité … » → the third column
        ("apprentice", False, False, "other"),
        ("school", False, True, "other"),
        # « Formation professionnelle continue dans les établissements publics habilités »
        ("continuing", True, True, "continuing"),
        ("professionalisation", True, True, "continuing"),
        # « … formation professionnelle continue dans un établissement privé » → third column
        ("continuing", True, False, "other"),
        ("professionalisation", False, True, "other"),
    ],
)
def test_bts_mos_columns(status, habilitated, public, expected):
    assert column(MOS, status, habilitated, public) == expected


@given(st.sampled_from(STATUSES), st.booleans(), st.booleans())
def test_a_single_column_takes_everyone(status, habilitated, public):
    assert column(["all"], status, habilitated, public) == "all"


@given(st.sampled_from(STATUSES), st.booleans())
def test_without_habilitation_nobody_sits_the_ccf_forms(status, public):
    assert column(MOS, status, False, public) == "other"


def test_a_file_without_the_needed_column_says_so():
    assert column(["approved"], "continuing", True, False) is None
    assert column(["approved"], "continuing", True, True) == "approved"
