"""The workshop's tables and personal data (see livret/personal_data.py)."""

from livret.personal_data import Excluded

TABLES = []

EXCLUDED = [
    Excluded(
        "workshop.CohortMove",
        "the history of a cohort's référentiel versions: moved_by says which manager or operator "
        "moved it and when (an audit row of the cohort, not the mover's data; not exported)",
    ),
]
