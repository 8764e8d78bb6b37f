"""How each table holding personal data leaves the platform, and how it goes: declarations only.

Each app says once, beside its models (its own `personal_data.py`, a `TABLES` list and an
`EXCLUDED` list), for every table with a key to a learner or a user account:
- how it moves with its centre's archive (the lookup from a row to its centre's id), and which
  fields never leave (secrets, derived caches: restored from the field's default);
- what of it a learner's personal-data export carries (fields, under which key);
- what anonymisation does to it (fields replaced, files deleted, rows deleted, past versions
  deleted or scrubbed).
`livret.privacy.registry` reads them all (autodiscovery); livret.ops assembles the export, the
anonymisation, the archive and the retention; a test fails on a table with such a key that is in
neither list.

Plain data: this module imports nothing of the apps (a floor below them all).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

# What anonymisation does to a table's past versions (simple_history's twin).
KEEP, DELETE, SCRUB = "keep", "delete", "scrub"


@dataclass(frozen=True)
class Table:
    model: str  # "app_label.ModelName"
    # --- centre archive ---
    # Lookups from a row to its centre's id (any of them matches); empty: not in the archive, and
    # `not_archived` says why.
    centre: tuple[str, ...] = ()
    not_archived: str = ""
    # Fields never written in the archive (credentials, secrets, derived values).
    archive_omit: tuple[str, ...] = ()
    # A text field naming the user of a key: {"viewer_name": "viewer"}; when that user is outside
    # the centre, the archive writes the neutral label instead of his name.
    archive_names: Mapping[str, str] = field(default_factory=dict)
    # --- whose data it is ---
    learner: str = ""  # lookup from a row to the learner's id ("pk" for the learner himself)
    user: str = ""  # lookup from a row to a person's account id (VAE, notifications…)
    # --- personal-data export ---
    export_as: str = ""  # key in the export; empty: not exported, and `not_exported` says why
    export: tuple[str, ...] = ()
    not_exported: str = ""
    # --- anonymisation ---
    # Field → replacement; a string may name the learner's or the account's id: "{pk}".
    scrub: Mapping[str, object] = field(default_factory=dict)
    files: tuple[str, ...] = ()  # file fields whose files are deleted (and the field emptied)
    delete: bool = False  # the rows themselves go
    history: str = KEEP  # past versions: KEEP, DELETE or SCRUB (the same replacement)
    # The table's rows are append-only facts: scrubbed with one SQL UPDATE, never through the ORM.
    raw: bool = False
    # Something the declarations cannot say, done by a named step of livret.ops.rights.
    custom: str = ""


@dataclass(frozen=True)
class Excluded:
    """A table with a key to a learner or a user that is deliberately none of the above."""

    model: str
    reason: str


def scrub_value(value, pk):
    """A declared replacement, with the person's id put in ("Anonyme-{pk}")."""
    return value.format(pk=pk) if isinstance(value, str) else value
