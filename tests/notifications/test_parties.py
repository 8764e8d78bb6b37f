"""The one helper behind « tell the learner / his tutor / his trainers »: who gets what, each
once, never the one who acted, and nobody who is not an account."""

import pytest

from livret.notifications import services
from livret.notifications.models import Notification


def received(kind="follow_up"):
    return sorted(
        Notification.objects.filter(kind=kind).values_list("recipient__username", "title")
    )


@pytest.mark.django_db
def test_the_whole_triangle_by_default_but_the_actor(world):
    services.notify_parties(
        world.learner1, "follow_up", "Visite prévue", "Sur site.", "/x/", but=world.users["tutor_x"]
    )
    assert received() == [
        ("learner1", "Visite prévue"),
        ("trainer_a", "Visite prévue"),
        ("trainer_a2", "Visite prévue"),
    ]
    assert set(Notification.objects.values_list("body", "url")) == {("Sur site.", "/x/")}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "to, expected",
    [
        ([services.LEARNER], ["learner1"]),
        ([services.TUTOR], ["tutor_x"]),
        ([services.TRAINERS], ["trainer_a", "trainer_a2"]),
        ([services.TUTOR, services.LEARNER], ["learner1", "tutor_x"]),
    ],
)
def test_only_the_named_parties(world, to, expected):
    services.notify_parties(world.learner1, "follow_up", "Titre", to=to)
    assert [name for name, _ in received()] == expected


@pytest.mark.django_db
def test_no_one_twice_when_one_person_holds_two_roles(world):
    # The tutor also teaches in the cohort: one notification, not two.
    world.cohort_a.trainers.add(world.users["tutor_x"])
    services.notify_parties(world.learner1, "follow_up", "Titre")
    assert [name for name, _ in received()] == ["learner1", "trainer_a", "trainer_a2", "tutor_x"]


@pytest.mark.django_db
def test_a_missing_party_is_skipped(world):
    # Centre B's learner has no tutor; a learner without an account hears nothing.
    assert services.notify_parties(world.learner_b, "follow_up", "T", to=[services.TUTOR]) == []
    world.learner2.user = None
    world.learner2.save()
    assert services.notify_parties(world.learner2, "follow_up", "T", to=[services.LEARNER]) == []
    assert received() == []


@pytest.mark.django_db
def test_an_inactive_account_is_not_told(world):
    world.users["trainer_a2"].is_active = False
    world.users["trainer_a2"].save()
    services.notify_parties(world.learner1, "follow_up", "T", to=[services.TRAINERS])
    assert [name for name, _ in received()] == ["trainer_a"]


def test_an_unknown_party_is_a_programming_error():
    with pytest.raises(ValueError):
        services.parties(None, to=["manager"])
