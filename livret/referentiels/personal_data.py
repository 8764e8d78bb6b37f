"""The référentiels' tables and personal data (see livret/personal_data.py)."""

from livret.personal_data import Excluded

TABLES = []

EXCLUDED = [
    Excluded(
        "referentiels.Referentiel",
        "a diploma's version is shared data, not a person's: created_by and published_by only say "
        "which operator or manager wrote and froze it (kept with the version, never exported)",
    ),
]
