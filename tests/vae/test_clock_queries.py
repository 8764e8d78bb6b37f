"""The certifier's list of VAE files, sorted by what falls due first, costs the same number of
SQL queries with 3 files as with 30 (every step represented), and no more than its figure."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from livret.vae.models import (
    AdmissibilityDecision,
    Candidacy,
    CandidacyEvent,
    JuryResult,
)
from tests.queries import count_queries

# Session, user and profile, the certifier's settings, the files with their clocks' dates (one
# query, subqueries inside), the header's centre and unread notifications.
PINNED = 10
STEPS = [
    Candidacy.SENT,
    Candidacy.ADMISSIBLE,
    Candidacy.VALIDATION_SENT,
    Candidacy.JURY_DONE,
    Candidacy.INCOMPLETE,
    Candidacy.LAPSED,
]


def grow(vae, candidate, n, guide=None):
    now = timezone.now()
    for i in range(n):
        status = STEPS[i % len(STEPS)]
        c = Candidacy.objects.create(
            candidate=candidate,
            offer=vae["offer"],
            guide=guide,
            status=status,
            submitted_at=now - datetime.timedelta(days=10 + i),
            actualised_at=now - datetime.timedelta(days=i),
        )
        if status != Candidacy.SENT:
            AdmissibilityDecision.objects.create(
                candidacy=c, decision=Candidacy.ADMISSIBLE, reasons="", decided_by=vae["staff"]
            )
        if status in (Candidacy.VALIDATION_SENT, Candidacy.JURY_DONE):
            CandidacyEvent.objects.create(
                candidacy=c,
                action="send_validation",
                from_status=Candidacy.ADMISSIBLE,
                to_status=Candidacy.VALIDATION_SENT,
                actor=candidate,
            )
        if status == Candidacy.JURY_DONE:
            JuryResult.objects.create(
                candidacy=c,
                result=JuryResult.REFUSED,
                jury_date=timezone.localdate(),
                decided_by=vae["staff"],
            )


@pytest.mark.django_db
def test_the_certifiers_list_does_not_grow_with_the_files(client, vae, candidate):
    client.force_login(vae["staff"])
    url = reverse("vae_certifier")
    counts = {}
    for size, more in ((3, 3), (30, 27)):
        grow(vae, candidate, more)
        counts[size] = count_queries(client, url)
    assert counts[3] == counts[30], counts
    assert counts[30] <= PINNED, counts


@pytest.mark.django_db
def test_the_accompagnateurs_list_does_not_grow_with_the_files(
    client, vae, candidate, django_user_model
):
    from livret.people.models import Organisation, Profile
    from tests.world import make_user

    aap = Organisation.objects.create(name="AAP", kind=Organisation.TRAINING_BODY)
    guide = make_user(django_user_model, "guide", Profile.VAE_GUIDE, aap)
    client.force_login(guide)
    url = reverse("vae_home")
    counts = {}
    for size, more in ((3, 3), (30, 27)):
        grow(vae, candidate, more, guide)
        counts[size] = count_queries(client, url)
    assert counts[3] == counts[30], counts
    assert counts[30] <= PINNED, counts
