"""The bulletins' tables: how each leaves the platform and goes (see livret/personal_data.py)."""

from livret.personal_data import DELETE, Table

TABLES = [
    Table(
        "bulletins.TeachingModule",
        centre=("cohort__centre",),
        not_exported="a module of his promotion (named in his marks and appreciations)",
    ),
    Table(
        "bulletins.Assessment",
        centre=("module__cohort__centre",),
        not_exported="an assessment of his promotion (named in his marks)",
    ),
    Table(
        "bulletins.Mark",
        centre=("learner__centre",),
        learner="learner",
        export_as="module_marks",
        export=("assessment", "hundredths", "mark", "entered_at"),
    ),
    Table(
        "bulletins.Appreciation",
        centre=("learner__centre",),
        learner="learner",
        export_as="appreciations",
        export=("module", "semester", "text", "updated_at"),
        scrub={"text": ""},
        history=DELETE,
    ),
    Table(
        "bulletins.AriDecision",
        centre=("learner__centre",),
        learner="learner",
        export_as="intermediate_attestation",
        export=("granted", "reason", "decided_at"),
        scrub={"reason": ""},
        history=DELETE,
    ),
]

EXCLUDED = []
