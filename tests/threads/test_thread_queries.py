"""The thread page costs the same number of SQL queries with 5 messages as with 50 (authors,
subjects and read marks grown alongside), and no more than its pinned figure."""

import datetime

import pytest
from django.urls import reverse

from livret.periods.models import Period
from livret.threads import services
from tests.queries import count_queries

# Session, user and profile, the learner, the access log, the trainers, the read mark, the
# messages, the situations and periods to choose from (for those who write), and the header's
# centre and unread notifications. Coming back after new messages adds two writes (the read
# mark moves, the thread's notifications are read).
# A tutor's pages pay one query for his learners' statuses, which choose his menu's words.
PINNED = {"learner1": 12, "tutor_x": 13, "trainer_a": 12, "manager_a": 10}


def grow(world, n):
    """`n` messages from the three parties, a third of them about something of his."""
    w, learner = world, world.learner1
    period = Period.objects.filter(learner=learner).first() or Period.objects.create(
        learner=learner,
        company=learner.company,
        start=datetime.date(2026, 1, 5),
        end=datetime.date(2026, 1, 30),
    )
    subjects = [
        ("competence", w.competence),
        ("situation", w.situation),
        ("period", period),
    ]
    writers = [w.users["learner1"], w.users["tutor_x"], w.users["trainer_a"], w.users["trainer_a2"]]
    for i in range(n):
        services.post_message(
            learner, writers[i % 4], f"Message {i}", subjects[i % 3] if i % 3 == 0 else None
        )


@pytest.mark.django_db
def test_the_thread_page_does_not_grow_with_the_thread(client, world):
    url = reverse("thread", args=[world.learner1.pk])
    readers = ("learner1", "tutor_x", "trainer_a", "manager_a")
    counts = {}
    for size, more in (("5", 5), ("50", 45)):
        grow(world, more)
        for reader in readers:
            client.force_login(world.users[reader])
            counts[(size, reader)] = count_queries(client, url)
            # A new message from someone else since his last visit.
            other = "trainer_a2" if reader != "trainer_a2" else "tutor_x"
            services.post_message(world.learner1, world.users[other], f"Pour {reader}")
            counts[(size, reader, "new")] = count_queries(client, url, warm=False)
    for reader in readers:
        assert counts[("5", reader)] == counts[("50", reader)], (reader, counts)
        assert counts[("5", reader, "new")] == counts[("50", reader, "new")], (reader, counts)
        assert counts[("50", reader)] <= PINNED[reader], (reader, counts)
        # The read mark moves and the notifications are read (in a transaction).
        assert counts[("50", reader, "new")] <= PINNED[reader] + 4, (reader, counts)
