"""CCF situations as the trainer, the exam office and the learner use them: planned for an épreuve
in CCF form, the référentiel's grid filled, the grade proposed then reported, locked once the jury
signs; nobody else sees them."""

import datetime
import re

import pytest
from django.urls import reverse

from livret.exams.models import CcfSituation
from livret.exams.services import set_grade, sign_minutes


def _plan(client, world, exam, unit="U4"):
    c = exam.candidates.get(learner=world.learner1)
    client.force_login(world.users["trainer_a"])
    r = client.post(
        reverse("learner_ccf", args=[world.learner1.pk]),
        {
            "candidate": c.pk,
            "unit": unit,
            "held_on": "2027-03-15",
            "place": "Salle 12",
            "professional": "M. Roux, chef de poste",
        },
    )
    return c, r


def test_the_trainer_plans_fills_and_proposes_the_exam_office_reports(client, world, exam):
    c, r = _plan(client, world, exam)
    s = CcfSituation.objects.get()
    assert r.url == reverse("ccf_situation", args=[s.pk])
    assert (s.unit, s.number, s.assessor, s.held_on) == (
        "U4",
        1,
        world.users["trainer_a"],
        datetime.date(2027, 3, 15),
    )
    # The grid is the référentiel's criteria for E4 (five of them).
    assert len(s.appreciations) == 5
    assert s.appreciations[2]["criterion"] == "Le diagnostic de sécurité est pertinent."
    url = reverse("ccf_situation", args=[s.pk])
    grid = {f"c{i}": f"Observation {i}" for i in range(5)}
    # A grade out of range: nothing saved, the typed appreciations kept.
    r = client.post(url, {**grid, "grade": "21", "action": "propose"})
    assert r.status_code == 400 and "Observation 3" in r.content.decode()
    s.refresh_from_db()
    assert s.proposed_at is None and s.appreciations[3]["text"] == ""
    client.post(
        url, {**grid, "grade": "13,5", "comment": "Diagnostic solide.", "action": "propose"}
    )
    s.refresh_from_db()
    assert s.proposed_hundredths == 1350 and s.proposed_at is not None
    assert s.history.first().history_user == world.users["trainer_a"]
    # The trainer cannot report; the exam office can.
    assert client.post(url, {"action": "report"}).status_code == 403
    client.force_login(world.users["examens_a"])
    page = client.get(reverse("exam_ccf", args=[exam.pk])).content.decode()
    assert "13,5" in page and "à reporter" in page
    client.post(url, {"action": "report"})
    assert c.grades.get(unit="U4").hundredths == 1350
    # The convocation names the épreuve, the date and the panel.
    pdf = client.get(reverse("ccf_convocation", args=[s.pk]))
    assert pdf["Content-Type"] == "application/pdf"


def test_an_epreuve_in_two_situations_is_not_combined_by_guess(client, world, exam):
    # U22 (langue vivante, oral) is in CCF 2 situations for the approved column.
    c, _ = _plan(client, world, exam, unit="U22")
    s = CcfSituation.objects.get()
    url = reverse("ccf_situation", args=[s.pk])
    client.post(url, {"grade": "12", "action": "propose"})
    client.force_login(world.users["examens_a"])
    r = client.post(url, {"action": "report"}, follow=True)
    assert "se passe en 2 situations" in r.content.decode()
    assert not c.grades.filter(unit="U22").exists()


def test_only_the_regulations_situations_are_planned(client, world, exam):
    _plan(client, world, exam)
    _, r = _plan(client, world, exam)  # E4: one situation only
    assert CcfSituation.objects.count() == 1
    _, r = _plan(client, world, exam, unit="U1")  # U1 is written, not CCF
    assert CcfSituation.objects.count() == 1


def test_signed_minutes_lock_the_situations(client, world, exam):
    _plan(client, world, exam)
    s = CcfSituation.objects.get()
    for c in exam.candidates.all():
        for unit in ("U1", "U21", "U22", "U3", "U4", "U51", "U52", "U6"):
            set_grade(c, unit, "12", world.users["examens_a"])
    sign_minutes(exam, world.users["examens_a"])
    client.force_login(world.users["trainer_a"])
    r = client.post(
        reverse("ccf_situation", args=[s.pk]), {"grade": "15", "action": "propose"}, follow=True
    )
    assert "les notes sont verrouillées" in r.content.decode()
    s.refresh_from_db()
    assert s.proposed_hundredths is None
    assert "figé" in client.get(reverse("ccf_situation", args=[s.pk])).content.decode()


@pytest.mark.parametrize("who, status", [("learner1", 200), ("tutor_x", 200), ("manager_a", 200)])
def test_the_learner_his_tutor_and_manager_read_it(client, world, exam, who, status):
    _plan(client, world, exam)
    s = CcfSituation.objects.get()
    client.force_login(world.users[who])
    page = client.get(reverse("ccf_situation", args=[s.pk]))
    assert page.status_code == status and 'name="grade"' not in page.content.decode()
    assert client.post(reverse("ccf_situation", args=[s.pk]), {"grade": "2"}).status_code == 403


@pytest.mark.parametrize("who", ["learner2", "tutor_y", "trainer_b", "manager_b", "examens_b"])
def test_nobody_else_sees_it(client, world, exam, who):
    _plan(client, world, exam)
    s = CcfSituation.objects.get()
    client.force_login(world.users[who])
    assert client.get(reverse("ccf_situation", args=[s.pk])).status_code == 404
    assert client.get(reverse("ccf_convocation", args=[s.pk])).status_code == 404


def test_the_ccf_pages_cost_the_same_queries_for_2_and_32_candidates(client, world, exam):
    from livret.exams.services import register_cohort
    from livret.people.models import Learner
    from tests.queries import count_queries

    _plan(client, world, exam)
    urls = {
        "trainer_a": reverse("learner_ccf", args=[world.learner1.pk]),
        "examens_a": reverse("exam_ccf", args=[exam.pk]),
    }

    def counts():
        out = {}
        for who, url in urls.items():
            client.force_login(world.users[who])
            out[who] = count_queries(client, url)
        return out

    small = counts()
    for i in range(30):
        Learner.objects.create(
            cohort=world.cohort_a,
            centre=world.cohort_a.centre,
            first_name=f"P{i}",
            last_name="Plus",
            status=Learner.APPRENTICE,
        )
    register_cohort(exam, world.cohort_a, world.users["examens_a"])
    for c in exam.candidates.exclude(learner=world.learner1):
        CcfSituation.objects.create(
            candidate=c,
            unit="U4",
            held_on=datetime.date(2027, 3, 16),
            assessor=world.users["trainer_a"],
        )
    assert counts() == small == {"trainer_a": 17, "examens_a": 8}


def test_a_refused_grade_is_said_beside_it_and_in_the_summary_the_rest_kept(client, world, exam):
    _plan(client, world, exam)
    s = CcfSituation.objects.get()
    grid = {f"c{i}": f"Observation {i}" for i in range(5)}
    r = client.post(
        reverse("ccf_situation", args=[s.pk]),
        {**grid, "grade": "21", "comment": "Diagnostic à reprendre.", "action": "propose"},
    )
    assert r.status_code == 400
    text = r.content.decode()
    field = re.search(r'<input[^>]*id="id_grade"[^>]*>', text).group(0)
    assert 'aria-invalid="true"' in field and 'value="21"' in field
    described = re.search(r'aria-describedby="([^"]+)"', field).group(1)
    said = r.context["errors"]["grade"][0]
    assert re.search(rf'id="{described}"[^>]*>(?:<li>)?{re.escape(said)}', text)
    assert re.search(rf'href="#id_grade"[^>]*>[^<]*</a> : {re.escape(said)}', text)
    assert "Diagnostic à reprendre." in text and "Observation 4" in text
    s.refresh_from_db()
    assert s.proposed_at is None and s.comment == "" and s.appreciations[4]["text"] == ""
