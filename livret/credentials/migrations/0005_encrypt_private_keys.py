"""The clear private keys encrypted under the KEK (or dropped, the key retired, without one).

Alone in its migration: PostgreSQL refuses to alter a table with pending trigger events, so the
schema changes around it run in their own transactions."""

from django.db import migrations
from django.utils import timezone


def encrypt_private_keys(apps, schema_editor):
    """Every clear private key encrypted under the instance's KEK; without a KEK the clear key is
    dropped all the same and the key retired (its public half still verifies earlier badges)."""
    from livret.credentials import keystore

    IssuerKey = apps.get_model("credentials", "IssuerKey")
    can_encrypt = keystore.available()
    for key in IssuerKey.objects.order_by("pk"):
        key.name = f"o{key.organisation_id}-k{key.pk}"
        if key.private_pem and can_encrypt:
            key.private_key_encrypted = keystore.encrypt(key.private_pem, key.kid)
            key.active = True
        else:
            key.private_key_encrypted = ""
            key.active = False
            key.retired_at = timezone.now()
        key.private_pem = ""
        key.save()


class Migration(migrations.Migration):
    dependencies = [("credentials", "0004_issuer_keys_encrypted")]

    operations = [
        migrations.RunPython(encrypt_private_keys, migrations.RunPython.noop),
    ]
