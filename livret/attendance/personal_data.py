"""Attendance tables: how each leaves the platform and goes (see livret/personal_data.py)."""

from livret.personal_data import DELETE, Excluded, Table

TABLES = [
    Table(
        "attendance.Attendance",
        centre=("learner__centre",),
        learner="learner",
        export_as="attendance",
        export=(
            "id",
            "session",
            "status",
            "minutes",
            "excused",
            "signed_at",
            "signed_how",
            "signer",
            "justification",
            "notified_on",
        ),
        # The marks stay (funders' proof of the hours paid), tied to the anonymised learner.
    ),
    Table(
        "attendance.Correction",
        centre=("attendance__learner__centre",),
        learner="attendance__learner",
        export_as="attendance_corrections",
        export=("id", "attendance", "author", "at", "reason", "before", "after"),
        scrub={"reason": "Motif anonymisé"},
    ),
    Table(
        "attendance.Justification",
        centre=("learner__centre",),
        learner="learner",
        export_as="absence_justifications",
        export=(
            "id",
            "first_day",
            "last_day",
            "reason",
            "comment",
            "file",
            "file_type",
            "sent_by",
            "sent_at",
            "state",
            "decided_by",
            "decided_at",
            "decision_reason",
        ),
        scrub={"comment": "", "file": "", "file_type": "", "decision_reason": ""},
        files=("file",),
    ),
    Table(
        "attendance.LegalRepresentative",
        centre=("learner__centre",),
        learner="learner",
        export_as="legal_representatives",
        export=("id", "name", "email"),
        delete=True,
        history=DELETE,
    ),
    Table(
        "attendance.Session",
        centre=("cohort__centre",),
        # The signing code's key never leaves: a restored session draws a new one.
        archive_omit=("signing_secret",),
        not_exported="the cohort's timetable, not one learner's data (his marks carry the dates)",
    ),
    Table(
        "attendance.SheetSignature",
        centre=("session__cohort__centre",),
        not_exported="the trainer's signature of a whole sheet, not one learner's data",
    ),
    Table(
        "attendance.WeeklyPattern",
        centre=("cohort__centre",),
        not_exported="the cohort's week pattern, not one learner's data",
    ),
    Table(
        "attendance.FeedToken",
        # The token is the credential of the sessions feed: a restored account draws a new one.
        not_archived="a credential (the .ics address opens without login): never in an archive",
        user="user",
        not_exported="a secret address, not data: the export never carries a credential",
        delete=True,
        history=DELETE,
    ),
]

EXCLUDED: list[Excluded] = []
