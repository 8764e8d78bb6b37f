"""The access log: how it leaves the platform and goes (see livret/personal_data.py)."""

from livret.personal_data import Table

TABLES = [
    Table(
        "privacy.AccessLog",
        centre=("learner__centre",),
        archive_names={"viewer_name": "viewer"},
        learner="learner",
        export_as="access_log",
        export=("viewer_name", "what", "at"),
        delete=True,
    ),
]

EXCLUDED = []
