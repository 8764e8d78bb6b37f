"""The titre professionnel's capitalisation window: CCPs are acquired while the titre is valid
(Code de l'éducation, art. R. 338-5) and a candidate holding CCPs has one year after the end of
the titre's validity to complete it (arrêté du 22 décembre 2015, art. 3); past that year, a CCP
held no longer completes the titre."""

import datetime as dt

import pytest
from django.conf import settings
from hypothesis import given
from hypothesis import strategies as st

from livret.engine import titre_pro as t
from livret.referentiels.files import referentiel_document

D = dt.date
TP = t.scheme_from_referentiel(
    referentiel_document("tp-operateur-videoprotection", settings.REFERENTIEL_DIR)
)


def test_the_titres_end_of_validity_comes_from_its_file():
    # Arrêté du 4 juillet 2024: registered for two years from 16 September 2024.
    assert TP.valid_until == D(2026, 9, 15)
    assert t.capitalisation_end(TP.valid_until) == D(2027, 9, 15)


def test_a_loaded_document_gives_the_same_date_as_text():
    doc = referentiel_document("tp-operateur-videoprotection", settings.REFERENTIEL_DIR)
    doc = {**doc, "rncp": {**doc["rncp"], "valid_until": "2026-09-15"}}
    assert t.scheme_from_referentiel(doc).valid_until == D(2026, 9, 15)


@pytest.mark.parametrize(
    "on, decision, held, missing, lapsed",
    [
        # while the titre is valid, CCP1 from before and CCP2 now make the titre
        (D(2026, 6, 30), "titre", ["CCP1", "CCP2"], [], []),
        (D(2026, 9, 15), "titre", ["CCP1", "CCP2"], [], []),
        # in the year after the end of validity, it can still be completed
        (D(2026, 9, 16), "titre", ["CCP1", "CCP2"], [], []),
        (D(2027, 9, 15), "titre", ["CCP1", "CCP2"], [], []),
        # the day after the window closes, CCP1 no longer completes it
        (D(2027, 9, 16), "partiel", ["CCP2"], ["CCP1"], ["CCP1"]),
        (D(2030, 1, 1), "partiel", ["CCP2"], ["CCP1"], ["CCP1"]),
        # no date given: no window applied
        (None, "titre", ["CCP1", "CCP2"], [], []),
    ],
)
def test_table(on, decision, held, missing, lapsed):
    c = t.Candidate("T", {"CCP2": "acquis"}, frozenset({"CCP1"}), on)
    t.check_candidate(TP, c)
    out = t.compute(TP, c)
    assert (out.decision, out.acquired, out.missing, out.lapsed) == (
        decision,
        held,
        missing,
        lapsed,
    )


def test_the_reason_names_the_ccp_and_the_dates():
    out = t.compute(TP, t.Candidate("T", {"CCP2": "acquis"}, frozenset({"CCP1"}), D(2027, 9, 16)))
    assert out.reasons[0] == (
        "CCP acquis auparavant (CCP1) ne complète plus le titre : la capitalisation était "
        "possible jusqu'au 15/09/2027, un an après la fin de validité du titre le 15/09/2026 "
        "(arrêté du 22 décembre 2015, art. 3)"
    )
    assert out.reasons[-1] == "reste à acquérir : CCP1"


def test_past_the_window_a_lapsed_ccp_may_be_decided_again():
    late = t.Candidate("T", {"CCP1": "acquis", "CCP2": "acquis"}, frozenset({"CCP1"}))
    with pytest.raises(t.InputError, match="CCP1 est déjà acquis"):
        t.check_candidate(TP, late)  # no date: CCP1 still counts, it is not sat again
    late.on = D(2027, 9, 16)
    t.check_candidate(TP, late)
    assert t.compute(TP, late).decision == "titre"


def test_a_titre_without_an_end_of_validity_applies_no_window():
    scheme = t.Scheme(("CCP1", "CCP2"))
    c = t.Candidate("T", {"CCP2": "acquis"}, frozenset({"CCP1"}), D(2099, 1, 1))
    assert t.compute(scheme, c).decision == "titre"
    assert t.lapsed(scheme, D(2099, 1, 1)) == "" and t.window_note(scheme, D(2099, 1, 1)) == ""


def test_one_year_from_29_february_ends_on_28_february():
    assert t.capitalisation_end(D(2028, 2, 29)) == D(2029, 2, 28)


@pytest.mark.parametrize(
    "on, says",
    [
        (D(2026, 9, 15), ""),
        (D(2026, 9, 16), "peut le compléter par capitalisation jusqu'au 15/09/2027"),
        (D(2027, 9, 16), "fenêtre de capitalisation close le 15/09/2027"),
    ],
)
def test_the_page_says_where_the_titre_stands(on, says):
    note = t.window_note(TP, on)
    assert (says in note) if says else note == ""


dates = st.dates(min_value=D(2000, 1, 1), max_value=D(2090, 12, 31))
states = st.fixed_dictionaries(
    {
        "CCP1": st.sampled_from(["acquis", "non_acquis", "avant", "absent"]),
        "CCP2": st.sampled_from(["acquis", "non_acquis", "avant", "absent"]),
    }
)


@given(dates, dates, states)
def test_a_ccp_held_counts_exactly_until_one_year_after_the_end_of_validity(until, on, s):
    scheme = t.Scheme(("CCP1", "CCP2"), valid_until=until)
    end = t.capitalisation_end(until)
    assert 365 <= (end - until).days <= 366
    decisions = {k: v for k, v in s.items() if v in ("acquis", "non_acquis")}
    before = frozenset(k for k, v in s.items() if v == "avant")
    c = t.Candidate("P", decisions, before, on)
    try:
        t.check_candidate(scheme, c)
    except t.InputError:
        return
    out = t.compute(scheme, c)
    if on <= end:
        assert before <= set(out.acquired) and out.lapsed == []
    else:
        assert not before & set(out.acquired) and out.lapsed == sorted(before)
    # The titre is exactly every CCP held: acquired now, or before and still inside the window.
    counted = {k for k, v in s.items() if v == "acquis" or (v == "avant" and on <= end)}
    assert (out.decision == "titre") == (counted == {"CCP1", "CCP2"})
