"""Two people record overlapping periods for one learner at the same moment: the learner's row
is locked and the overlap re-checked, so exactly one is saved. Real threads and transactions,
so only on PostgreSQL (SQLite serialises writers with a file lock)."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from livret.people.models import Cohort, Learner, Organisation
from livret.periods import services
from livret.periods.models import Period

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL row locks (run with DATABASE_URL=postgres://…)",
    ),
]


def test_two_overlapping_periods_saved_at_once_keep_one(mos):
    centre = Organisation.objects.create(name="CFA", kind=Organisation.CFA)
    company = Organisation.objects.create(name="Ent.", kind=Organisation.COMPANY, centre=centre)
    cohort = Cohort.objects.create(centre=centre, referentiel=mos, name="C", start_year=2025)
    learner = Learner.objects.create(
        cohort=cohort, centre=centre, first_name="A", last_name="B", status="school"
    )
    barrier = threading.Barrier(2)
    outcomes = []

    def save(start):
        try:
            barrier.wait(timeout=10)
            period = Period(company=company, start=start, end=start + datetime.timedelta(days=25))
            services.save_period(learner, period)
            outcomes.append("saved")
        except ValidationError as exc:
            outcomes.append(exc.message_dict["start"][0])
        except Exception as exc:  # noqa: BLE001 - reported below
            outcomes.append(repr(exc))
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=save, args=(day,))
        for day in (datetime.date(2026, 1, 5), datetime.date(2026, 1, 12))
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcomes)[1] == "saved" and outcomes.count("saved") == 1, outcomes
    assert [o for o in outcomes if o != "saved"][0].startswith("Chevauche la période du")
    assert Period.objects.filter(learner=learner).count() == 1
