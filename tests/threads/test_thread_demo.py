"""The demo as installed shows the thread: the CFA's demo apprentice, his tutor and his trainer
have written to each other, and the last message is still unread by the apprentice and the tutor."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from livret.ops import demo
from livret.people.models import Learner
from livret.referentiels.loader import default_files, load_files
from livret.threads import queries
from livret.threads.models import Message


@pytest.mark.django_db
def test_the_demo_apprentice_has_a_thread(client):
    load_files(default_files())
    demo.create(today=datetime.date(2026, 11, 26))
    learner = Learner.objects.select_related("tutor").get(user__username="apprenti")
    roles = list(Message.objects.filter(learner=learner).values_list("author_role", flat=True))
    assert roles == ["tutor", "learner", "trainer", "trainer"]
    assert Message.objects.count() == 4  # no other thread in the demo
    users = {
        u.username: u
        for u in get_user_model().objects.filter(
            username__in=["apprenti", "formateur", "responsable"]
        )
    }
    users["tuteur"] = learner.tutor
    unread = {
        name: queries.unread_counts(u, [learner.pk]).get(learner.pk, 0) for name, u in users.items()
    }
    assert unread == {"apprenti": 1, "tuteur": 1, "formateur": 0, "responsable": 4}
    client.force_login(users["apprenti"])
    page = client.get(reverse("learner_home")).content.decode()
    assert "Fil du livret" in page and '1<span class="visually-hidden"> message non lu' in page
