"""A titre professionnel session as its jury runs it: no grade and no average, a decision per CCP
(arrêté du 22 décembre 2015, art. 8), the titre once every CCP is acquired, a CCP obtained at an
earlier official session kept; minutes, CSV and relevé say the same; nobody else sees it."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from livret.exams import titre
from livret.exams.models import CcpResult, ExamSession
from livret.exams.services import register_cohort, sign_minutes
from livret.people.models import Cohort, Learner, Profile
from livret.referentiels.loader import load_files
from tests.queries import count_queries
from tests.world import make_user


@pytest.fixture
def tp(world, django_user_model, monkeypatch):
    """Centre A's titre pro cohort (two learners) registered at its official session 2027, its
    jury held on 30 June 2027 (inside the titre's capitalisation window, whatever today is)."""
    monkeypatch.setattr(titre, "today", lambda: datetime.date(2027, 6, 30))
    w = world
    ref = load_files([settings.REFERENTIEL_DIR / "tp-operateur-videoprotection_2026-11-26.yaml"])[
        0
    ].referentiel
    centre = w.cohort_a.centre
    w.users["examens_a"] = make_user(django_user_model, "examens_a", Profile.EXAM_ADMIN, centre)
    w.users["examens_b"] = make_user(
        django_user_model, "examens_b", Profile.EXAM_ADMIN, w.cohort_b.centre
    )
    cohort = Cohort.objects.create(centre=centre, referentiel=ref, name="TP A", start_year=2026)
    for first, last in [("Inès", "Alaoui"), ("Bruno", "Berger")]:
        Learner.objects.create(
            cohort=cohort,
            centre=centre,
            first_name=first,
            last_name=last,
            status=Learner.CONTINUING,
        )
    session = ExamSession.objects.create(
        referentiel=ref,
        organiser=centre,
        year=2027,
        name="Session titre TP 2027",
        kind=ExamSession.OFFICIAL,
        official_reference="PV DREETS 2027-041",
        jury_members=[["M. Jury", "professionnel"], ["Mme Jury", "professionnelle"]],
    )
    register_cohort(session, cohort, w.users["examens_a"])
    return session, cohort


def _another(session, year, name, official_reference=""):
    """Another session of the same titre at the same centre: official when it cites its PV."""
    return ExamSession.objects.create(
        referentiel=session.referentiel,
        organiser=session.organiser,
        year=year,
        name=name,
        kind=ExamSession.OFFICIAL if official_reference else ExamSession.MOCK,
        official_reference=official_reference,
    )


def _decide(client, session, c, **decisions):
    return client.post(
        reverse("exam_candidate_update", args=[session.pk, c.pk]),
        {"action": "ccp", **{f"ccp-{k}": v for k, v in decisions.items()}},
    )


def test_the_jury_decides_ccp_by_ccp_and_the_titre_needs_every_one(client, world, tp):
    session, _ = tp
    ines, bruno = session.candidates.order_by("last_name")
    client.force_login(world.users["examens_a"])
    _decide(client, session, ines, CCP1="acquis", CCP2="acquis")
    r = _decide(client, session, bruno, CCP1="acquis", CCP2="non_acquis")
    assert r.status_code == 302
    page = client.get(reverse("exam_deliberation", args=[session.pk])).content.decode()
    assert "pas de note ni de moyenne" in page
    assert "Titre obtenu (1)" in page and "Validation partielle (CCP obtenus) (1)" in page
    assert "Moyenne" not in page
    rows = {r.candidate.last_name: r for r in titre.results(session)}
    assert rows["Alaoui"].final == "titre"
    assert rows["Berger"].final == "partiel" and rows["Berger"].outcome.missing == ["CCP2"]
    # The candidate's page says what remains.
    page = client.get(reverse("exam_candidate", args=[session.pk, bruno.pk])).content.decode()
    assert "reste à acquérir : CCP2" in page
    # Each decision records who made it.
    assert (
        bruno.ccp_results.get(ccp="CCP2").history.first().history_user == world.users["examens_a"]
    )


def test_a_bad_decision_saves_nothing_and_keeps_what_was_typed(client, world, tp):
    session, _ = tp
    c = session.candidates.first()
    client.force_login(world.users["examens_a"])
    r = client.post(
        reverse("exam_candidate_update", args=[session.pk, c.pk]),
        {
            "action": "ccp",
            "ccp-CCP1": "acquis",
            "comment-CCP1": "Très bonne mise en situation.",
            "ccp-CCP2": "admis",
        },
    )
    assert r.status_code == 400
    text = r.content.decode()
    assert "décision « admis » inconnue" in text and "Très bonne mise en situation." in text
    assert not CcpResult.objects.exists()


def test_a_ccp_from_an_earlier_official_session_stays_acquired(client, world, tp):
    session, cohort = tp
    ines = session.candidates.get(last_name="Alaoui")
    earlier = _another(session, 2026, "Session titre TP 2026", "PV DREETS 2026-112")
    register_cohort(earlier, cohort, world.users["examens_a"])
    before = earlier.candidates.get(learner=ines.learner)
    CcpResult.objects.create(
        candidate=before, ccp="CCP1", decision="acquis", entered_by=world.users["examens_a"]
    )
    CcpResult.objects.create(
        candidate=before, ccp="CCP2", decision="non_acquis", entered_by=world.users["examens_a"]
    )
    other = earlier.candidates.exclude(pk=before.pk).get()
    CcpResult.objects.create(
        candidate=other, ccp="CCP1", decision="non_acquis", entered_by=world.users["examens_a"]
    )
    sign_minutes(earlier, world.users["examens_a"])

    client.force_login(world.users["examens_a"])
    page = client.get(reverse("exam_candidate", args=[session.pk, ines.pk])).content.decode()
    assert "CCP1 — Session titre TP 2026" in page
    client.post(reverse("exam_candidate_update", args=[session.pk, ines.pk]), {"action": "earlier"})
    kept = ines.ccp_results.get(ccp="CCP1")
    assert kept.earlier_session == "Session titre TP 2026"
    # It is not decided again…
    r = _decide(client, session, ines, CCP1="non_acquis", CCP2="acquis")
    assert r.status_code == 400 and "il ne se repasse pas" in r.content.decode()
    # …and CCP2 alone completes the titre.
    _decide(client, session, ines, CCP2="acquis")
    row = titre.results(session, [ines])[0]
    assert row.final == "titre" and row.outcome.acquired_now == ["CCP2"]
    csv = client.get(reverse("exam_csv", args=[session.pk])).content.decode()
    assert "acquis (Session titre TP 2026)" in csv and "Titre obtenu" in csv


def test_a_mock_session_never_carries_a_ccp(world, tp):
    session, cohort = tp
    mock = _another(session, 2026, "Examen blanc TP 2026")
    register_cohort(mock, cohort, world.users["examens_a"])
    for c in mock.candidates.all():
        for ccp in ("CCP1", "CCP2"):
            CcpResult.objects.create(
                candidate=c, ccp=ccp, decision="acquis", entered_by=world.users["examens_a"]
            )
    sign_minutes(mock, world.users["examens_a"])
    assert all(titre.earlier_ccps(c) == [] for c in session.candidates.all())


def test_signing_needs_every_candidate_decided_then_locks(client, world, tp):
    session, _ = tp
    ines, bruno = session.candidates.order_by("last_name")
    client.force_login(world.users["examens_a"])
    _decide(client, session, ines, CCP1="acquis", CCP2="acquis")
    r = client.post(reverse("exam_sign", args=[session.pk]), follow=True)
    assert "Décisions du jury manquantes pour : Bruno BERGER" in r.content.decode()
    assert not session.locked
    _decide(client, session, bruno, CCP1="non_acquis", CCP2="non_acquis")
    client.post(reverse("exam_sign", args=[session.pk]))
    assert session.locked
    snap = session.current_deliberation().snapshot
    assert [(s["name"], s["final"]) for s in snap] == [
        ("Inès ALAOUI", "titre"),
        ("Bruno BERGER", "non_obtenu"),
    ]
    r = _decide(client, session, bruno, CCP1="acquis")
    assert bruno.ccp_results.get(ccp="CCP1").decision == "non_acquis"
    pdf = client.get(reverse("exam_pv", args=[session.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    relevé = client.get(reverse("exam_transcript", args=[session.pk, ines.pk]))
    assert relevé["Content-Type"] == "application/pdf"
    # The grade grid and import have no object for a titre: they say so.
    r = client.get(reverse("exam_grades", args=[session.pk]), follow=True)
    assert "ne se note pas" in r.content.decode()


def test_the_minutes_template_names_each_ccp_decision(world, tp):
    from livret.exams import printing

    session, _ = tp
    ines, bruno = session.candidates.order_by("last_name")
    user = world.users["examens_a"]
    titre.set_decisions(ines, {"CCP1": ("acquis", ""), "CCP2": ("acquis", "")}, user)
    titre.set_decisions(bruno, {"CCP1": ("acquis", ""), "CCP2": ("non_acquis", "")}, user)
    from django.template.loader import render_to_string

    html = render_to_string(printing.minutes_template(session), printing.minutes_context(session))
    assert "Validation partielle (CCP obtenus)</strong> — CCP obtenus : CCP1" in html
    assert "document provisoire" in html and "PV DREETS 2027-041" in html
    assert timezone.localdate().strftime("%d/%m/%Y") in html


def test_nobody_else_sees_or_decides(client, world, tp):
    session, _ = tp
    c = session.candidates.first()
    urls = [
        reverse("exam_deliberation", args=[session.pk]),
        reverse("exam_candidate", args=[session.pk, c.pk]),
        reverse("exam_csv", args=[session.pk]),
        reverse("exam_pv", args=[session.pk]),
    ]
    client.force_login(world.users["examens_b"])
    assert [client.get(u).status_code for u in urls] == [404] * 4
    assert _decide(client, session, c, CCP1="acquis").status_code == 404
    client.force_login(world.users["trainer_a"])
    assert client.get(urls[0]).status_code in (403, 404)
    assert _decide(client, session, c, CCP1="acquis").status_code in (403, 404)
    assert not CcpResult.objects.exists()


def test_the_deliberation_page_costs_the_same_queries_at_two_sizes(client, world, tp):
    session, cohort = tp
    client.force_login(world.users["examens_a"])
    url = reverse("exam_deliberation", args=[session.pk])
    user = world.users["examens_a"]
    for c in session.candidates.all():
        titre.set_decisions(c, {"CCP1": ("acquis", "")}, user)
    small = count_queries(client, url)
    for i in range(20):
        Learner.objects.create(
            cohort=cohort,
            centre=cohort.centre,
            first_name=f"L{i}",
            last_name=f"N{i}",
            status=Learner.CONTINUING,
        )
    register_cohort(session, cohort, user)
    for c in session.candidates.all():
        titre.set_decisions(c, {"CCP1": ("acquis", ""), "CCP2": ("non_acquis", "")}, user)
    assert session.candidates.count() == 22
    assert count_queries(client, url) == small


def test_a_ccp_acquired_at_the_signed_official_session_grounds_its_bloc_credential(world, tp):
    from livret.credentials.models import Credential
    from livret.credentials.services import ground_for
    from livret.referentiels.models import Bloc

    session, _ = tp
    ines, bruno = session.candidates.order_by("last_name")
    user = world.users["examens_a"]
    titre.set_decisions(ines, {"CCP1": ("acquis", ""), "CCP2": ("non_acquis", "")}, user)
    titre.set_decisions(bruno, {"CCP1": ("non_acquis", "")}, user)
    ccp1 = Bloc.objects.get(referentiel=session.referentiel, code="CCP1")
    assert ground_for(ines.learner, ccp1) is None  # minutes not signed yet
    sign_minutes(session, user)
    kind, why = ground_for(ines.learner, ccp1)
    assert kind == Credential.BLOC and "PV DREETS 2027-041" in why
    ccp2 = Bloc.objects.get(referentiel=session.referentiel, code="CCP2")
    assert ground_for(ines.learner, ccp2) is None
    assert ground_for(bruno.learner, ccp1) is None


def test_a_holder_of_the_titre_is_not_registered_again(world, tp):
    session, cohort = tp
    user = world.users["examens_a"]
    for c in session.candidates.all():
        titre.set_decisions(c, {"CCP1": ("acquis", ""), "CCP2": ("acquis", "")}, user)
    bruno = session.candidates.get(last_name="Berger")
    titre.set_decisions(bruno, {"CCP2": ("non_acquis", "")}, user)
    sign_minutes(session, user)
    later = _another(session, 2028, "Session titre TP 2028", "PV DREETS 2028-002")
    assert register_cohort(later, cohort, user) == 1
    c = later.candidates.get()
    assert c.last_name == "Berger"
    assert {(r.ccp, r.earlier_session) for r in c.ccp_results.all()} == {
        ("CCP1", "Session titre TP 2027")
    }


def test_the_api_gives_the_ccp_decisions_to_whoever_sees_the_session(client, world, tp):
    from livret.api.models import ApiToken

    session, _ = tp
    ines = session.candidates.get(last_name="Alaoui")
    titre.set_decisions(ines, {"CCP1": ("acquis", "Très sûr.")}, world.users["examens_a"])
    url = f"/api/v1/exam-sessions/{session.pk}/ccp-results"
    _, token = ApiToken.issue(world.users["examens_a"], "test")
    r = client.get(url, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert r.status_code == 200
    assert r.json()["items"] == [
        {
            "candidate": ines.number,
            "ccp": "CCP1",
            "decision": "acquis",
            "earlier_session": "",
            "comment": "Très sûr.",
        }
    ]
    _, other = ApiToken.issue(world.users["examens_b"], "test")
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {other}").status_code == 404
