"""The database cache's table (API rate limit, login device counts, cached sessions), created with
the schema so that `migrate` is the only set-up step, on SQLite and PostgreSQL alike."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = []
    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
