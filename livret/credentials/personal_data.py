"""The badges' tables: how each leaves the platform and goes (see livret/personal_data.py)."""

from livret.personal_data import Table

TABLES = [
    Table(
        "credentials.IssuerKey",
        centre=("organisation",),
        # Only the public half moves: restored keys are retired (they verify, never sign).
        archive_omit=("private_key_encrypted", "active"),
        not_exported="the centre's signing key, not a person's data",
    ),
    Table(
        "credentials.Credential",
        centre=("issuer",),
        learner="learner",
        export_as="credentials",
        export=("uid", "bloc", "issued_at", "ground", "revoked_at", "revocation_reason"),
    ),
]

EXCLUDED = []
