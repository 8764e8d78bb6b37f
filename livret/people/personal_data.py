"""The people app's tables: how each leaves the platform and goes (see livret/personal_data.py)."""

from livret.personal_data import DELETE, Excluded, Table

TABLES = [
    Table(
        "people.EmailChange",
        # Its token hash confirms the address: a credential. A pending change is not worth keeping.
        not_archived="a credential (its hash confirms an address): never in an archive",
        user="user",
        export_as="pending_email_change",
        export=("address", "created_at"),  # never the hash
        delete=True,
    ),
    Table(
        "auth.User",
        # The centre's people: its staff, its companies' tutors, its learners. Anyone else a row
        # points at is written as a neutral label, never as an account.
        centre=("profile__organisation", "profile__organisation__centre", "learner__centre"),
        # Credentials and platform rights are the instance's, never the centre's data: a
        # restored account chooses a new password through an e-mailed link.
        archive_omit=(
            "password",
            "last_login",
            "is_superuser",
            "is_staff",
            "groups",
            "user_permissions",
        ),
        user="pk",
        export_as="account",
        export=("username", "email", "first_name", "last_name", "date_joined"),
        scrub={
            "username": "anonyme-{pk}",
            "email": "",
            "first_name": "",
            "last_name": "",
            "is_active": False,
        },
        history=DELETE,
        custom="account",  # an unusable password, no session
    ),
    Table(
        "people.Profile",
        centre=("organisation", "organisation__centre"),
        user="user",
        export_as="profiles",
        export=("role", "organisation", "diploma", "experience_years"),
    ),
    Table(
        "people.Learner",
        centre=("centre",),
        # The calendar token opens his calendar without a login: a secret. Restored learners get
        # a fresh one from the field's default; stored alerts are computed again.
        archive_omit=("calendar_token", "alerts_on"),
        learner="pk",
        export_as="learner",
        export=(
            "id",
            "first_name",
            "last_name",
            "email",
            "birth_date",
            "status",
            "contract_start",
            "contract_end",
            "centre",
            "cohort",
            "company",
            "tutor",
            "referent",
        ),
        scrub={
            "first_name": "Anonyme",
            "last_name": "{pk}",
            "email": "",
            "birth_date": None,
            "user": None,
            "alerts_on": None,
        },
        history=DELETE,
        custom="learner",  # his search text folded again; his own past versions exported
    ),
    Table(
        "people.Cohort",
        centre=("centre",),
        not_exported="a promotion, not a person's data (its name is in the learner's export)",
    ),
    Table(
        "people.Organisation",
        centre=("id", "centre"),
        not_exported="the centre and its companies, not a person's data",
    ),
]

EXCLUDED = [
    Excluded(
        "admin.LogEntry",
        "the platform administrator's own journal of /admin/ (the operator's, never a centre's): "
        "not archived, not exported",
    ),
]
