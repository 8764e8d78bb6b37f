"""The titre's capitalisation window in a session and in `livret jury compute`: a CCP obtained at
an earlier official session completes the titre until one year after the titre's end of validity
(15 September 2026 for the vidéoprotection titre, so until 15 September 2027; arrêté du
22 décembre 2015, art. 3), and past it the pages and the command say why it no longer does."""

import datetime as dt
import json

import pytest
from django.urls import reverse

from livret.exams import titre
from livret.exams.models import CcpResult
from livret.exams.services import register_cohort, sign_minutes
from tests.exams.test_cli import run
from tests.exams.test_titre_sessions import _another, _decide
from tests.exams.test_titre_sessions import tp as tp  # noqa: F401 (the fixture)

T3 = {"id": "T3", "ccp": {"CCP2": "acquis"}, "acquired_before": ["CCP1"]}


def test_jury_compute_inside_the_window_counts_the_ccp_held():
    result = run({"session_date": "2027-09-15", "candidates": [T3]}, "tp-operateur-videoprotection")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    r = out["results"][0]
    assert (r["decision"], r["ccp_acquired"], r["ccp_lapsed"]) == ("titre", ["CCP1", "CCP2"], [])
    assert "peut le compléter par capitalisation jusqu'au 15/09/2027" in out["titre"]


def test_jury_compute_past_the_window_says_why_the_ccp_no_longer_counts():
    result = run({"session_date": "2027-09-16", "candidates": [T3]}, "tp-operateur-videoprotection")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    r = out["results"][0]
    assert (r["decision"], r["ccp_acquired"], r["ccp_missing"], r["ccp_lapsed"]) == (
        "partiel",
        ["CCP2"],
        ["CCP1"],
        ["CCP1"],
    )
    assert r["reasons"][0].startswith("CCP acquis auparavant (CCP1) ne complète plus le titre")
    assert "fin de validité du titre le 15/09/2026" in r["reasons"][0]
    assert "fenêtre de capitalisation close le 15/09/2027" in out["titre"]


def test_jury_compute_while_the_titre_is_valid_adds_nothing():
    result = run({"session_date": "2026-06-30", "candidates": [T3]}, "tp-operateur-videoprotection")
    out = json.loads(result.stdout)
    assert "titre" not in out and out["results"][0]["decision"] == "titre"


@pytest.mark.parametrize("bad", ["15/09/2027", 20270915, "2027-13-01"])
def test_jury_compute_refuses_a_bad_session_date(bad):
    result = run({"session_date": bad, "candidates": [T3]}, "tp-operateur-videoprotection")
    assert result.returncode == 2 and result.stdout == ""
    assert "session_date : date AAAA-MM-JJ attendue" in result.stderr


@pytest.fixture
def held(world, tp, monkeypatch):
    """Inès obtained CCP1 (not CCP2) at the official session 2026, carried to the 2027 one."""
    session, cohort = tp
    user = world.users["examens_a"]
    ines = session.candidates.get(last_name="Alaoui")
    earlier = _another(session, 2026, "Session titre TP 2026", "PV DREETS 2026-112")
    register_cohort(earlier, cohort, user)
    for c in earlier.candidates.all():
        CcpResult.objects.create(candidate=c, ccp="CCP1", decision="acquis", entered_by=user)
        CcpResult.objects.create(candidate=c, ccp="CCP2", decision="non_acquis", entered_by=user)
    sign_minutes(earlier, user)
    titre.apply_earlier(ines, user)
    return session, ines


def _at(monkeypatch, day):
    monkeypatch.setattr(titre, "today", lambda: day)


def test_inside_the_window_the_session_still_counts_it(client, world, held, monkeypatch):
    session, ines = held
    _at(monkeypatch, dt.date(2027, 9, 15))
    client.force_login(world.users["examens_a"])
    page = client.get(reverse("exam_deliberation", args=[session.pk])).content.decode()
    assert "peut le compléter par capitalisation jusqu&#x27;au 15/09/2027" in page
    r = _decide(client, session, ines, CCP1="acquis", CCP2="acquis")
    assert r.status_code == 400 and "il ne se repasse pas" in r.content.decode()
    _decide(client, session, ines, CCP2="acquis")
    assert titre.results(session, [ines])[0].final == "titre"


def test_past_the_window_the_pages_say_why_and_the_jury_decides_anew(
    client, world, held, monkeypatch
):
    session, ines = held
    _at(monkeypatch, dt.date(2027, 9, 16))
    client.force_login(world.users["examens_a"])
    _decide(client, session, ines, CCP2="acquis")
    row = titre.results(session, [ines])[0]
    assert row.final == "partiel" and row.outcome.missing == ["CCP1"]
    page = client.get(reverse("exam_candidate", args=[session.pk, ines.pk])).content.decode()
    assert "CCP acquis auparavant (CCP1) ne complète plus le titre" in page
    assert "fenêtre de capitalisation close le 15/09/2027" in page
    assert 'name="ccp-CCP1"' in page  # the jury may decide it again
    page = client.get(reverse("exam_deliberation", args=[session.pk])).content.decode()
    assert "les CCP acquis auparavant ne le complètent plus" in page
    # Decided again, CCP1 replaces the one held before and completes the titre.
    r = _decide(client, session, ines, CCP1="acquis", CCP2="acquis")
    assert r.status_code == 302
    assert ines.ccp_results.get(ccp="CCP1").earlier_session == ""
    assert titre.results(session, [ines])[0].final == "titre"


def test_past_the_window_a_learner_holding_every_ccp_is_registered_again(world, tp, monkeypatch):
    session, cohort = tp
    user = world.users["examens_a"]
    earlier = _another(session, 2026, "Session titre TP 2026", "PV DREETS 2026-112")
    register_cohort(earlier, cohort, user)
    for c in earlier.candidates.all():
        for ccp in ("CCP1", "CCP2"):
            CcpResult.objects.create(candidate=c, ccp=ccp, decision="acquis", entered_by=user)
    sign_minutes(earlier, user)
    later = _another(session, 2028, "Session titre TP 2028", "PV DREETS 2028-001")
    _at(monkeypatch, dt.date(2027, 9, 15))
    register_cohort(later, cohort, user)
    assert later.candidates.count() == 0  # every CCP held: nothing to sit
    _at(monkeypatch, dt.date(2027, 9, 16))
    later = type(later).objects.get(pk=later.pk)
    register_cohort(later, cohort, user)
    assert later.candidates.count() == 2
