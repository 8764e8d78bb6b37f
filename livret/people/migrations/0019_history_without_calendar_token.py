"""The learner's calendar token leaves his history: each save copied the secret of
/calendrier/<token>.ics into a row that every history reader kept. The token was also shown to
his trainers and managers on his periods page: every token is renewed once more, so the
addresses they saw open nothing."""

import uuid

from django.db import migrations


def renew_calendar_tokens(apps, schema_editor):
    Learner = apps.get_model("people", "Learner")
    for pk in Learner.objects.order_by("pk").values_list("pk", flat=True):
        Learner.objects.filter(pk=pk).update(calendar_token=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0018_local_holidays"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="historicallearner",
            name="calendar_token",
        ),
        migrations.RunPython(renew_calendar_tokens, migrations.RunPython.noop),
    ]
