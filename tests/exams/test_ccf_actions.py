"""The CCF situation's posted actions come from one table (rule + service per action): saving
the grid keeps it unproposed, an unknown action changes nothing and says so, and the exam office
(who may report) may not fill the trainer's grid."""

from django.urls import reverse

from livret.exams.models import CcfSituation
from tests.exams.test_ccf import _plan


def test_save_keeps_the_grid_without_proposing(client, world, exam):
    _plan(client, world, exam)
    s = CcfSituation.objects.get()
    url = reverse("ccf_situation", args=[s.pk])
    grid = {f"c{i}": f"Vu {i}" for i in range(5)}
    r = client.post(url, {**grid, "grade": "12", "action": "save"}, follow=True)
    assert "Grille enregistrée." in r.content.decode()
    s.refresh_from_db()
    assert s.appreciations[4]["text"] == "Vu 4" and s.proposed_at is None
    # No action named: the grid is saved, as the form's first button does.
    client.post(url, {**grid, "c0": "Revu 0", "grade": "12"})
    s.refresh_from_db()
    assert s.appreciations[0]["text"] == "Revu 0" and s.proposed_at is None


def test_an_unknown_action_changes_nothing(client, world, exam):
    _plan(client, world, exam)
    s = CcfSituation.objects.get()
    url = reverse("ccf_situation", args=[s.pk])
    r = client.post(url, {"c0": "X", "grade": "12", "action": "effacer"}, follow=True)
    assert r.redirect_chain == [(url, 302)] and "Action inconnue." in r.content.decode()
    s.refresh_from_db()
    assert s.appreciations[0]["text"] == "" and s.proposed_at is None


def test_the_exam_office_may_not_fill_the_grid(client, world, exam):
    _plan(client, world, exam)
    s = CcfSituation.objects.get()
    client.force_login(world.users["examens_a"])
    url = reverse("ccf_situation", args=[s.pk])
    assert client.post(url, {"grade": "12", "action": "propose"}).status_code == 403
    s.refresh_from_db()
    assert s.proposed_at is None
