"""Questionnaires of earlier versions, whose invitations said who had answered: the migration
moves that knowledge out of them — kept apart while open, counted then forgotten once closed."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("surveys", "0001_initial")]
# Through 0002 (the migration under test) to the app's latest: today's models read the rows.
AFTER = [("surveys", "0004_funders")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_answered_flags_become_participations_or_counts(world):
    from django.contrib.auth import get_user_model

    from livret.surveys.models import Invitation, Participation, Survey, Tally

    w = world
    old = get_user_model().objects.filter(username__in=["learner1", "learner2"])
    old.update(date_joined=timezone.now() - datetime.timedelta(days=60))
    try:
        old_apps = migrate(BEFORE)
        OldSurvey = old_apps.get_model("surveys", "Survey")
        OldInvitation = old_apps.get_model("surveys", "Invitation")
        now = timezone.now()
        surveys = {}
        for name, closed in (("ouvert", None), ("clos", now)):
            s = OldSurvey.objects.create(
                centre_id=w.cohort_a.centre_id,
                title=name,
                audience="learners",
                moment="other",
                questions=[{"label": "Utile ?", "kind": "scale"}],
                created_by_id=w.users["manager_a"].pk,
                sent_at=now,
                closed_at=closed,
            )
            s.cohorts.set([w.cohort_a.pk])
            for user, answered in (("learner1", True), ("learner2", False), ("tutor_x", True)):
                OldInvitation.objects.create(
                    survey=s, user_id=w.users[user].pk, cohort_id=w.cohort_a.pk, answered=answered
                )
            surveys[name] = s.pk
        migrate(AFTER)

        open_, closed = (
            Survey.objects.get(pk=surveys["ouvert"]),
            Survey.objects.get(pk=surveys["clos"]),
        )
        # Open: who answered is kept apart (no twice), off the invitation.
        assert set(Participation.objects.values_list("invitation__user__username", flat=True)) == {
            "learner1",
            "tutor_x",
        }
        assert not Participation.objects.exclude(invitation__survey=open_).exists()
        # Eligibility from the accounts' age: tutor_x's account is younger than the questionnaire.
        assert set(
            Invitation.objects.filter(survey=open_, eligible=True).values_list(
                "user__username", flat=True
            )
        ) == {"learner1", "learner2"}
        # Closed: the counts, and nobody's answer remembered.
        tally = Tally.objects.get(survey=closed)
        assert (tally.invited, tally.respondents, tally.eligible_respondents) == (3, 2, 1)
        assert not Tally.objects.filter(survey=open_).exists()
    finally:
        Survey.objects.all().delete()
        migrate(AFTER)
