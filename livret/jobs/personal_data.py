"""The jobs' table: how it leaves the platform and goes (see livret/personal_data.py)."""

from livret.personal_data import Table

TABLES = [
    Table(
        "jobs.Job",
        not_archived="work asked on this instance; its files expire (JOB_FILES_DAYS)",
        user="requested_by",
        not_exported="his own downloads, gone after JOB_FILES_DAYS",
        delete=True,
        files=("file", "upload"),
    ),
]

EXCLUDED = []
