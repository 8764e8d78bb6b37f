"""Every learner's calendar-feed token replaced: badges issued until now carried it as their
subject id, so each one was public. The old addresses of /calendrier/<token>.ics open nothing."""

import uuid

from django.db import migrations


def renew_calendar_tokens(apps, schema_editor):
    Learner = apps.get_model("people", "Learner")
    for learner in Learner.objects.only("pk").order_by("pk"):
        Learner.objects.filter(pk=learner.pk).update(calendar_token=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [("people", "0016_under_contract")]

    operations = [
        migrations.RunPython(renew_calendar_tokens, migrations.RunPython.noop),
    ]
