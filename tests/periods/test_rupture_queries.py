"""The rupture rates and a period's contacts cost the same queries at two data sizes."""

import datetime

from livret.people.models import Learner
from livret.periods import services
from livret.periods.models import Contract, Period, PeriodContact
from tests.queries import count_queries

D = datetime.date


def _grow(w, n):
    """n more apprentices of cohort A, each with a contract, one in two broken."""
    for i in range(n):
        learner = Learner.objects.create(
            centre=w.cohort_a.centre,
            cohort=w.cohort_a,
            first_name=f"Ap{i}",
            last_name="Prenti",
            status=Learner.APPRENTICE,
            company=w.learner1.company,
        )
        contract = Contract.objects.create(
            learner=learner,
            kind=Contract.APPRENTICESHIP,
            company=learner.company,
            start=D(2024 + i % 3, 9, 1),
            end=D(2027, 8, 31),
        )
        if i % 2:
            services.record_rupture(contract, w.users["manager_a"], D(2026, 11, 2), "other", "x")


def _contacts(w, period, n):
    for i in range(n):
        PeriodContact.objects.create(
            period=period,
            day=D(2026, 11, 3 + i % 10),
            mode="phone",
            note=f"Contact {i}",
            recorded_by=w.users["trainer_a" if i % 2 else "trainer_a2"],
            recorded_at=datetime.datetime(2026, 11, 20, tzinfo=datetime.UTC),
        )


def test_same_queries_for_2_and_30_contracts_and_contacts(client, world):
    w = world
    period = Period.objects.create(
        learner=w.learner1,
        kind=Period.PFMP,
        company=w.learner1.company,
        start=D(2026, 11, 2),
        end=D(2026, 12, 18),
        referent=w.users["trainer_a"],
    )
    contacts_url = f"/livrets/{w.learner1.pk}/periodes/{period.pk}/contacts/"
    client.force_login(w.users["manager_a"])
    _grow(w, 2)
    _contacts(w, period, 2)
    small = (count_queries(client, "/ruptures/"), count_queries(client, contacts_url))
    _grow(w, 28)
    _contacts(w, period, 28)
    large = (count_queries(client, "/ruptures/"), count_queries(client, contacts_url))
    assert small == large
