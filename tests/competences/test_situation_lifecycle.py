"""A situation in company follows its lifecycle (engine/situation_flow): validated once, turned
into evaluations once and only once validated, frozen once validated; each refusal writes
nothing and tells why in French; each step is attributed in the history; mails leave only
after the step has committed."""

from __future__ import annotations

from html import unescape

import pytest
from django.db import transaction
from django.urls import reverse

from livret.competences import services
from livret.competences.forms import SituationForm
from livret.competences.models import CompetenceEvaluation, CompetenceStatus, Situation
from livret.lifecycle import Refused
from livret.notifications.models import Notification


def _validated(world):
    return services.validate_situation(world.situation, world.users["tutor_x"], "Bien vu.")


def _facts(situation):
    return CompetenceEvaluation.objects.filter(situation=situation).count()


def test_validate_twice_is_refused_and_the_first_validation_stays(world):
    first = _validated(world)
    told = Notification.objects.filter(kind="situation_validated").count()
    with pytest.raises(Refused, match="déjà validée"):
        services.validate_situation(world.situation, world.users["tutor_y"], "Autre avis")
    situation = Situation.objects.get(pk=world.situation.pk)
    assert situation.validated_by == world.users["tutor_x"]
    assert situation.validated_at == first.validated_at
    assert situation.tutor_comment == "Bien vu."
    assert Notification.objects.filter(kind="situation_validated").count() == told


@pytest.mark.parametrize("state", [Situation.PENDING, Situation.RETURNED])
def test_a_situation_not_validated_is_not_turned_into_evaluations(world, state):
    Situation.objects.filter(pk=world.situation.pk).update(state=state)
    status_before = list(CompetenceStatus.objects.values_list("pk", "level", "evaluations"))
    with pytest.raises(Refused, match="qu'une fois validée"):
        services.situation_to_evaluations(world.situation, world.users["trainer_a"], "acquired")
    assert _facts(world.situation) == 0
    assert list(CompetenceStatus.objects.values_list("pk", "level", "evaluations")) == (
        status_before
    )
    assert not Notification.objects.filter(kind="evaluation").exists()


def test_a_validated_situation_is_turned_once(world):
    _validated(world)
    made = services.situation_to_evaluations(world.situation, world.users["trainer_a"], "acquired")
    assert len(made) == 1 and _facts(world.situation) == 1
    with pytest.raises(Refused, match="déjà été transformée en évaluations"):
        services.situation_to_evaluations(
            world.situation, world.users["trainer_a2"], "not_acquired"
        )
    assert _facts(world.situation) == 1
    status = CompetenceStatus.objects.get(learner=world.learner1, competence=world.competence)
    assert status.level == "acquired"  # the second trainer's level was not written
    steps = services.situation_steps(world.situation)
    assert [s["label"] for s in steps][-1] == "Transformée en évaluations du livret"
    assert steps[-1]["who"] == "Trainer_a Test"


def test_a_returned_situation_waits_for_the_apprentice_before_validation(world):
    services.return_situation(world.situation, world.users["tutor_x"], "Précisez l'heure.")
    with pytest.raises(Refused, match="renvoyée à l'apprenti"):
        services.validate_situation(world.situation, world.users["tutor_x"])
    assert Situation.objects.get(pk=world.situation.pk).state == Situation.RETURNED


def _edit_form(situation, world, **changes):
    data = {
        "occurred_on": "2026-04-01",
        "place": "Site",
        "title": "Ronde",
        "description": "J'ai fait la ronde.",
        "competences": [world.competence.pk],
        **changes,
    }
    form = SituationForm(data, instance=situation, referentiel=world.ref)
    assert form.is_valid(), form.errors
    return form


def test_a_validated_situation_is_frozen_in_the_service_itself(world):
    _validated(world)
    situation = Situation.objects.get(pk=world.situation.pk)
    form = _edit_form(situation, world, title="Autre chose")
    with pytest.raises(Refused, match="validée par le tuteur : elle ne change plus"):
        services.resubmit_situation(form, world.users["learner1"])
    fresh = Situation.objects.get(pk=world.situation.pk)
    assert fresh.title == "Ronde" and fresh.state == Situation.VALIDATED


def test_each_step_is_attributed_in_the_history_without_a_request(world):
    services.return_situation(world.situation, world.users["tutor_x"], "Précisez l'heure.")
    form = _edit_form(Situation.objects.get(pk=world.situation.pk), world, place="Quai B")
    services.resubmit_situation(form, world.users["learner1"])
    _validated(world)
    history = list(world.situation.history.order_by("history_date", "history_id"))
    assert [(h.state, h.history_user.username) for h in history[1:]] == [
        ("returned", "tutor_x"),
        ("pending", "learner1"),
        ("validated", "tutor_x"),
    ]
    assert (
        Notification.objects.get(recipient=world.users["tutor_x"], kind="situation_declared").title
        == "Situation reprise, à valider : Ronde"
    )


def test_mails_leave_after_the_commit_and_not_at_all_when_it_fails(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    world.users["learner1"].email = "learner1@example.org"
    world.users["learner1"].save()

    class Boom(Exception):
        pass

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Boom),
        transaction.atomic(),
    ):
        services.return_situation(world.situation, world.users["tutor_x"], "Précisez.")
        raise Boom
    assert callbacks == [] and mailoutbox == []
    assert not Notification.objects.filter(kind="situation_returned").exists()
    assert Situation.objects.get(pk=world.situation.pk).state == Situation.PENDING
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.return_situation(world.situation, world.users["tutor_x"], "Précisez.")
        assert mailoutbox == []  # nothing sent inside the step
    assert len(callbacks) == 1


# --- the pages: a refused step answers a message in French, never a 500 -------------------------
def test_the_pages_refuse_in_french(client, world):
    situation = world.situation
    client.force_login(world.users["trainer_a"])
    r = client.post(
        reverse("situation_evaluate", args=[situation.pk]), {"level": "acquired"}, follow=True
    )
    assert r.status_code == 200
    assert "n'est pas encore validée par le tuteur" in unescape(r.content.decode())
    assert _facts(situation) == 0
    client.force_login(world.users["tutor_x"])
    validate = reverse("situation_validate", args=[situation.pk])
    client.post(validate, {"action": "validate"})
    r = client.post(validate, {"action": "validate"}, follow=True)
    assert r.status_code == 200 and "Cette situation est déjà validée." in unescape(
        r.content.decode()
    )
    r = client.post(validate, {"action": "bogus"}, follow=True)
    assert r.status_code == 200 and "Action inconnue." in r.content.decode()
    client.force_login(world.users["trainer_a"])
    client.post(reverse("situation_evaluate", args=[situation.pk]), {"level": "acquired"})
    r = client.post(
        reverse("situation_evaluate", args=[situation.pk]), {"level": "acquired"}, follow=True
    )
    page = unescape(r.content.decode())
    assert r.status_code == 200 and "déjà été transformée en évaluations" in page
    assert _facts(situation) == 1
    # The page no longer offers what the lifecycle refuses.
    assert "Créer les évaluations" not in page
    client.force_login(world.users["learner1"])
    r = client.get(reverse("situation_edit", args=[situation.pk]), follow=True)
    assert "elle ne change plus" in unescape(r.content.decode())
