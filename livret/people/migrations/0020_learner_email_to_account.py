"""One address per person: a learner's account without an address takes the one his centre typed
on his record (the mailer reads the account's)."""

from django.db import migrations


def copy(apps, schema_editor):
    Learner = apps.get_model("people", "Learner")
    User = apps.get_model("auth", "User")
    for learner in (
        Learner.objects.filter(user__isnull=False, user__email="")
        .exclude(email="")
        .only("user_id", "email")
    ):
        User.objects.filter(pk=learner.user_id, email="").update(email=learner.email)


class Migration(migrations.Migration):
    dependencies = [("people", "0019_history_without_calendar_token")]
    operations = [migrations.RunPython(copy, migrations.RunPython.noop)]
