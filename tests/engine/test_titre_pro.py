"""The titre professionnel's family, from the arrêté du 22 décembre 2015: the jury decides CCP by
CCP; the titre once every CCP is acquired (one session, or capitalisation); a CCP acquired stays
acquired and counts at a later session; partial validation."""

import re

import pytest
from django.conf import settings
from hypothesis import given
from hypothesis import strategies as st

from livret.engine import titre_pro as t
from livret.referentiels.files import referentiel_document

TP = t.scheme_from_referentiel(
    referentiel_document("tp-operateur-videoprotection", settings.REFERENTIEL_DIR)
)


def test_the_titres_ccps_come_from_its_file():
    assert TP.ccps == ("CCP1", "CCP2")
    assert TP.titles["CCP1"].startswith("Sécuriser des personnes, des lieux et des biens")


@pytest.mark.parametrize(
    "decisions, before, decision, held, missing",
    [
        # session titre: both CCPs granted → the titre
        ({"CCP1": "acquis", "CCP2": "acquis"}, [], "titre", ["CCP1", "CCP2"], []),
        # the jury grants part of the titre
        ({"CCP1": "acquis", "CCP2": "non_acquis"}, [], "partiel", ["CCP1"], ["CCP2"]),
        ({"CCP1": "non_acquis", "CCP2": "non_acquis"}, [], "non_obtenu", [], ["CCP1", "CCP2"]),
        # capitalisation: CCP1 from an earlier session counts, CCP2 now → the titre
        ({"CCP2": "acquis"}, ["CCP1"], "titre", ["CCP1", "CCP2"], []),
        # a session CCP failed: what was acquired before stays acquired
        ({"CCP2": "non_acquis"}, ["CCP1"], "partiel", ["CCP1"], ["CCP2"]),
        # a session CCP for one CCP only
        ({"CCP1": "acquis"}, [], "partiel", ["CCP1"], ["CCP2"]),
    ],
)
def test_table(decisions, before, decision, held, missing):
    c = t.Candidate("T", decisions, frozenset(before))
    t.check_candidate(TP, c)
    out = t.compute(TP, c)
    assert (out.decision, out.acquired, out.missing) == (decision, held, missing)


@pytest.mark.parametrize(
    "decisions, before, says",
    [
        ({"CCP3": "acquis"}, [], "CCP3 n'est pas un CCP du titre (CCP1, CCP2)"),
        ({"CCP1": "admis"}, [], "décision « admis » pour CCP1"),
        ({"CCP1": "acquis"}, ["CCP1"], "CCP1 est déjà acquis (session précédente)"),
        ({}, [], "aucune décision du jury"),
        ({}, ["CCP9"], "CCP9 n'est pas un CCP du titre"),
    ],
)
def test_bad_input_names_the_candidate_and_the_ccp(decisions, before, says):
    with pytest.raises(t.InputError, match=re.escape(f"candidat T : {says}")):
        t.check_candidate(TP, t.Candidate("T", decisions, frozenset(before)))


def test_a_bts_file_is_not_of_this_family():
    assert (
        t.scheme_from_referentiel(referentiel_document("bts-mos", settings.REFERENTIEL_DIR)) is None
    )


ccp_states = st.fixed_dictionaries(
    {
        "CCP1": st.sampled_from(["acquis", "non_acquis", "avant", "absent"]),
        "CCP2": st.sampled_from(["acquis", "non_acquis", "avant", "absent"]),
    }
)


def _candidate(states):
    decisions = {k: v for k, v in states.items() if v in ("acquis", "non_acquis")}
    before = frozenset(k for k, v in states.items() if v == "avant")
    return t.Candidate("P", decisions, before)


@given(ccp_states)
def test_the_titre_is_exactly_every_ccp_held(states):
    c = _candidate(states)
    try:
        t.check_candidate(TP, c)
    except t.InputError:
        return
    out = t.compute(TP, c)
    assert (out.decision == "titre") == all(v in ("acquis", "avant") for v in states.values())
    assert set(out.acquired) | set(out.missing) == set(TP.ccps)
    assert not set(out.acquired) & set(out.missing)


@given(ccp_states)
def test_a_ccp_acquired_before_is_never_lost(states):
    c = _candidate(states)
    try:
        t.check_candidate(TP, c)
    except t.InputError:
        return
    assert c.acquired_before <= set(t.compute(TP, c).acquired)
