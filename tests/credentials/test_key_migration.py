"""The clear private keys of earlier versions: encrypted by the migration, or dropped (the key
retired, its public half kept) when the instance has no key-encryption key."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from livret.credentials import keystore
from livret.engine import badges

BEFORE = [("credentials", "0004_issuer_keys_encrypted")]
AFTER = [("credentials", "0006_no_clear_private_key")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    # The other apps stay where they are (their latest): the old models are read with today's
    # people tables, whose new columns (NOT NULL, no database default) must be filled.
    others = [
        node
        for node in executor.loader.graph.leaf_nodes()
        if node[0] not in {app for app, _ in targets}
    ]
    executor.migrate(targets)
    return executor.loader.project_state([*targets, *others]).apps


def old_key(old_apps, name):
    Organisation = old_apps.get_model("people", "Organisation")
    IssuerKey = old_apps.get_model("credentials", "IssuerKey")
    org = Organisation.objects.create(name=name, kind="cfa")
    private, public = badges.new_key()
    IssuerKey.objects.create(
        organisation=org,
        kid=f"https://livret.example/badges/emetteurs/{org.pk}#cle-1",
        private_pem=private,
        public_pem=public,
    )
    return org.pk, private, public


@pytest.mark.django_db(transaction=True)
def test_the_migration_encrypts_each_clear_key_or_retires_it(settings):
    from livret.credentials.models import IssuerKey

    try:
        org, private, public = old_key(migrate(BEFORE), "CFA avec KEK")
        migrate(AFTER)
        key = IssuerKey.objects.get(organisation_id=org)
        assert key.active and not key.retired and key.public_pem == public
        assert private not in key.private_key_encrypted
        assert keystore.decrypt(key.private_key_encrypted, key.kid) == private
        IssuerKey.objects.all().delete()

        settings.KEY_ENCRYPTION_KEY = None  # an instance migrated before it had a KEK
        org, private, public = old_key(migrate(BEFORE), "CFA sans KEK")
        migrate(AFTER)
        key = IssuerKey.objects.get(organisation_id=org)
        assert key.retired and not key.active and key.retired_at is not None
        assert key.private_key_encrypted == "" and key.public_pem == public
    finally:
        IssuerKey.objects.all().delete()
        migrate(AFTER)
