# Who answered leaves the invitation (it flipped between two reads): kept apart while open
# (Participation), counted then forgotten at closing (Tally). Eligibility fixed at sending.

import datetime

import django.db.models.deletion
from django.db import migrations, models

# engine.surveys.ACCOUNT_AGE at the time of this migration (a migration keeps its own copy).
ACCOUNT_AGE = datetime.timedelta(days=7)


def split_answered(apps, schema_editor):
    Invitation = apps.get_model("surveys", "Invitation")
    Participation = apps.get_model("surveys", "Participation")
    Tally = apps.get_model("surveys", "Tally")
    Survey = apps.get_model("surveys", "Survey")
    for survey in Survey.objects.filter(sent_at__isnull=False).iterator():
        invitations = list(
            Invitation.objects.filter(survey=survey).select_related("user").order_by("pk")
        )
        for inv in invitations:
            # Nothing recorded who was invited after the sending: the account's age decides.
            inv.eligible = inv.user.date_joined <= survey.created_at - ACCOUNT_AGE
        Invitation.objects.bulk_update(invitations, ["eligible"])
        if survey.closed_at is None:
            Participation.objects.bulk_create(
                Participation(invitation=inv) for inv in invitations if inv.answered
            )
            continue
        counts = {c: [0, 0, 0] for c in survey.cohorts.values_list("pk", flat=True)}
        for inv in invitations:
            c = counts.setdefault(inv.cohort_id, [0, 0, 0])
            c[0] += 1
            c[1] += inv.answered
            c[2] += inv.answered and inv.eligible
        Tally.objects.bulk_create(
            Tally(survey=survey, cohort_id=k, invited=a, respondents=b, eligible_respondents=e)
            for k, (a, b, e) in sorted(counts.items())
        )


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0012_follow_ups"),
        ("surveys", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="Participation",
            fields=[
                (
                    "invitation",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="participation",
                        serialize=False,
                        to="surveys.invitation",
                    ),
                ),
            ],
        ),
        migrations.AlterModelOptions(
            name="response",
            options={"ordering": ["id"]},
        ),
        migrations.AddField(
            model_name="invitation",
            name="eligible",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.CreateModel(
            name="Tally",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("invited", models.PositiveIntegerField()),
                ("respondents", models.PositiveIntegerField()),
                ("eligible_respondents", models.PositiveIntegerField()),
                (
                    "cohort",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="people.cohort",
                    ),
                ),
                (
                    "survey",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="tallies",
                        to="surveys.survey",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("survey", "cohort"), name="one_tally_per_cohort"
                    )
                ],
            },
        ),
        migrations.RunPython(split_answered, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="invitation",
            name="answered",
        ),
    ]
