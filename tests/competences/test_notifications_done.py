"""A notification that asks for an act is read once the act is done (issue 25, item 7): « à
valider » once the tutor validated or sent back the situation, « à reprendre » once the apprentice
sent it back corrected, « à votre tour » once that person signed — each one's inbox stops
saying « nouveau » for it, without his having opened it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from livret.competences.models import Situation

pytestmark = pytest.mark.django_db


def _new(client, user, title):
    """The notifications' lines of the user's inbox still marked « nouveau » that name title."""
    client.force_login(user)
    page = client.get(reverse("notifications")).content.decode()
    items = page.split('<ul class="list-unstyled notifications">')[1].split("</ul>")[0]
    return [li for li in items.split("<li")[1:] if title in li and "nouveau" in li]


def _situation_data(world, title, **extra):
    return {
        "occurred_on": "2026-04-02",
        "place": "Chantier Nord",
        "title": title,
        "description": "J'ai préparé la ronde de nuit.",
        "competences": [world.competence.pk],
        **extra,
    }


def test_situation_notifications_are_read_once_acted_on(client, world):
    u, learner = world.users, world.learner1
    client.force_login(u["learner1"])
    response = client.post(
        reverse("situation_new", args=[learner.pk]), _situation_data(world, "Ronde de nuit")
    )
    assert response.status_code == 302
    situation = Situation.objects.get(title="Ronde de nuit")
    assert len(_new(client, u["tutor_x"], "Situation à valider : Ronde de nuit")) == 1

    # The tutor sends it back without opening his notification: it is read all the same.
    client.force_login(u["tutor_x"])
    client.post(
        reverse("situation_validate", args=[situation.pk]),
        {"action": "return", "comment": "Précisez l'heure."},
    )
    assert _new(client, u["tutor_x"], "Ronde de nuit") == []
    assert len(_new(client, u["learner1"], "Situation à reprendre : Ronde de nuit")) == 1

    # The apprentice corrects it: his « à reprendre » is read, the tutor is asked again.
    client.force_login(u["learner1"])
    response = client.post(
        reverse("situation_edit", args=[situation.pk]),
        _situation_data(world, "Ronde de nuit", description="Ronde de 22 h à 23 h."),
    )
    assert response.status_code == 302
    assert _new(client, u["learner1"], "Ronde de nuit") == []
    assert len(_new(client, u["tutor_x"], "Situation reprise, à valider : Ronde de nuit")) == 1

    client.force_login(u["tutor_x"])
    client.post(reverse("situation_validate", args=[situation.pk]), {"action": "validate"})
    assert _new(client, u["tutor_x"], "Ronde de nuit") == []
    # What only informs (« validée ») stays new until read: nothing was asked of the apprentice.
    assert len(_new(client, u["learner1"], "Situation validée par")) == 1


def test_a_visa_turn_is_read_by_each_one_as_he_signs(client, world):
    u, learner = world.users, world.learner1
    turn = "à votre tour"
    client.force_login(u["trainer_a"])
    assert client.post(reverse("sign_livret", args=[learner.pk])).status_code == 302
    assert len(_new(client, u["tutor_x"], turn)) == 1
    assert len(_new(client, u["learner1"], turn)) == 1

    client.force_login(u["tutor_x"])
    assert client.post(reverse("sign_livret", args=[learner.pk])).status_code == 302
    assert _new(client, u["tutor_x"], turn) == []
    # The apprentice has not signed: his turn is still new (and told once more by the tutor's).
    assert len(_new(client, u["learner1"], turn)) == 2

    client.force_login(u["learner1"])
    assert client.post(reverse("sign_livret", args=[learner.pk])).status_code == 302
    assert _new(client, u["learner1"], turn) == []
