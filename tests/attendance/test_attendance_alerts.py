"""Issue 22, item 4: the centre's threshold and run of consecutive unjustified absences raise a
dropout alert in the manager's and the trainers' alerts (the homes' stored alerts, computed again
as the sheet is signed, a justificatif accepted, the settings changed; and by the scheduler)."""

import datetime
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from livret.attendance import services
from livret.attendance.models import AbsenceReason, Session
from livret.notifications.models import Notification
from livret.periods.models import LearnerAlert

T = datetime.time
RUN = "3 absences consécutives non justifiées : risque de décrochage."


def _signed_days(world, days, absent_pk):
    for day in days:
        s = Session.objects.create(cohort=world.cohort_a, date=day, start=T(9), end=T(12))
        s.trainers.set([world.users["trainer_a"]])
        services.call_roll(
            s,
            world.users["trainer_a"],
            {
                world.learner1.pk: ("present", 0),
                world.learner2.pk: ("absent", 0) if absent_pk else ("present", 0),
            },
            sign=True,
        )


@pytest.mark.django_db(transaction=True)
def test_three_unjustified_absences_raise_the_dropout_alert_then_a_justificatif_lifts_it(
    client, world
):
    today = timezone.localdate()
    days = [today - datetime.timedelta(days=n) for n in (3, 2, 1)]
    _signed_days(world, days[:2], absent_pk=True)
    assert not LearnerAlert.objects.filter(learner=world.learner2, message=RUN).exists()
    _signed_days(world, days[2:], absent_pk=True)
    found = set(
        LearnerAlert.objects.filter(learner=world.learner2, kind="attendance").values_list(
            "message", flat=True
        )
    )
    assert found == {RUN, "Assiduité 0,0 %, sous le seuil de 80 %."}
    assert not LearnerAlert.objects.filter(learner=world.learner1, kind="attendance").exists()
    # In the trainer's and the manager's alerts, and on the manager's home.
    for who in ("trainer_a", "manager_a"):
        assert Notification.objects.filter(
            recipient=world.users[who], kind="alert", body__contains="risque de décrochage"
        ).exists()
    client.force_login(world.users["manager_a"])
    assert RUN in unescape(client.get(reverse("cohort_list")).content.decode())
    # The manager accepts a justificatif of those days: the run is justified, the alert goes
    # (the rate, attended hours only, stays under the threshold).
    services.seed_reasons(world.cohort_a.centre)
    j = services.send_justification(
        world.learner2,
        world.users["tutor_y"],
        AbsenceReason.objects.get(centre=world.cohort_a.centre, label="Maladie"),
        days[0],
        days[2],
        "",
        None,
    )
    services.decide_justification(j, world.users["manager_a"], accept=True)
    messages = set(
        LearnerAlert.objects.filter(learner=world.learner2, kind="attendance").values_list(
            "message", flat=True
        )
    )
    assert messages == {"Assiduité 0,0 %, sous le seuil de 80 %."}
    # The centre lowers its threshold to 0 %: no alert left.
    services.save_settings(world.cohort_a.centre, 0, 3)
    assert not LearnerAlert.objects.filter(learner=world.learner2, kind="attendance").exists()
