"""The API's tables: how each leaves the platform and goes (see livret/personal_data.py)."""

from livret.personal_data import DELETE, Table

TABLES = [
    Table(
        "api.ApiToken",
        # A token is a credential: a restored account creates new ones.
        not_archived="a credential (its hash opens the API): never in an archive",
        user="user",
        export_as="api_tokens",
        export=("name", "created_at", "last_used_at", "revoked"),  # never the hash
        delete=True,
        history=DELETE,
    ),
]

EXCLUDED = []
