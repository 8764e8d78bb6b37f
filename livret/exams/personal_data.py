"""The exams' tables: how each leaves the platform and goes (see livret/personal_data.py)."""

from livret.personal_data import DELETE, SCRUB, Table

TABLES = [
    Table(
        "exams.ExamSession",
        centre=("organiser",),
        not_exported="the session itself (his candidacy names it)",
    ),
    Table(
        "exams.Candidate",
        centre=("session__organiser",),
        learner="learner",
        # A titre pro candidate by VAE sits a session without a learner record: his row is his.
        user="vae_registration__candidacy__candidate",
        export_as="exam_candidacies",
        export=(
            "session",
            "number",
            "first_name",
            "last_name",
            "birth_date",
            "status",
            "optional_units",
            "report_submitted_on",
        ),
        scrub={"first_name": "Anonyme", "last_name": "{pk}", "birth_date": None},
        history=DELETE,
    ),
    Table(
        "exams.Grade",
        centre=("candidate__session__organiser",),
        learner="candidate__learner",
        export_as="exam_grades",
        export=("candidate", "unit", "control", "hundredths", "mark", "source"),
    ),
    Table(
        "exams.Dispensation",
        centre=("candidate__session__organiser",),
        learner="candidate__learner",
        export_as="exam_dispensations",
        export=("unit", "rule", "ground"),
    ),
    Table(
        "exams.JuryDecision",
        centre=("deliberation__session__organiser",),
        learner="candidate__learner",
        export_as="jury_decisions",
        export=("decision", "reason", "decided_at"),
    ),
    Table(
        "exams.CcfSituation",
        centre=("candidate__session__organiser",),
        learner="candidate__learner",
        export_as="ccf_situations",
        export=(
            "candidate",
            "unit",
            "number",
            "held_on",
            "place",
            "assessor",
            "professional",
            "appreciations",
            "proposed_hundredths",
            "comment",
            "proposed_at",
            "reported_at",
        ),
        # The proposed mark stays; the panel's words about him go.
        scrub={"appreciations": [], "comment": ""},
        history=SCRUB,
    ),
    Table(
        "exams.CcpResult",
        centre=("candidate__session__organiser",),
        learner="candidate__learner",
        export_as="ccp_results",
        export=("candidate", "ccp", "decision", "earlier_session", "comment", "entered_at"),
        scrub={"comment": ""},
        history=DELETE,
    ),
    Table(
        "exams.Deliberation",
        centre=("session__organiser",),
        not_exported="the session's minutes: his row is in jury_decisions and exam_grades",
        # An official session's signed minutes are the certifier's legal record: kept whole.
        custom="minutes",
    ),
]

EXCLUDED = []
