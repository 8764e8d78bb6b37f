"""The notifications' tables: how each leaves the platform and goes (see livret/personal_data.py)."""

from livret.personal_data import Table

NOT_ARCHIVED = "a person's messages and settings on this instance, not the centre's records"

TABLES = [
    Table(
        "notifications.Notification",
        not_archived=NOT_ARCHIVED,
        user="recipient",
        export_as="notifications",
        export=("kind", "title", "body", "created_at", "read_at"),
        delete=True,
    ),
    Table(
        "notifications.Digest",
        not_archived=NOT_ARCHIVED,
        user="recipient",
        not_exported="the e-mail that grouped his notifications (exported above)",
        delete=True,
    ),
    Table(
        "notifications.Preference",
        not_archived=NOT_ARCHIVED,
        user="user",
        export_as="notification_preferences",
        export=("kind", "mode"),
        delete=True,
    ),
]

EXCLUDED = []
