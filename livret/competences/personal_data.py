"""The livret's tables: how each leaves the platform and goes (see livret/personal_data.py)."""

from livret.personal_data import SCRUB, Table

TABLES = [
    Table(
        "competences.CompetenceEvaluation",
        centre=("learner__centre",),
        learner="learner",
        export_as="evaluations",
        export=(
            "id",
            "competence",
            "level",
            "observed_on",
            "evaluator",
            "context",
            "comment",
            "evidence",
            "evidence_name",
            "recorded_at",
        ),
        # Facts stay countable in statistics; only what may name him goes.
        scrub={"evidence": "", "evidence_name": "", "comment": ""},
        files=("evidence",),
        raw=True,
    ),
    Table(
        "competences.CompetenceStatus",
        centre=("learner__centre",),
        learner="learner",
        export_as="competence_statuses",
        export=("competence", "level", "acquired_on"),
    ),
    Table(
        "competences.Situation",
        centre=("learner__centre",),
        learner="learner",
        export_as="situations",
        export=(
            "id",
            "occurred_on",
            "place",
            "title",
            "description",
            "state",
            "tutor_comment",
            "return_reason",
            "validated_at",
        ),
        scrub={
            "place": "",
            "title": "Situation anonymisée",
            "description": "",
            "tutor_comment": "",
            "return_reason": "",
        },
        history=SCRUB,
    ),
    Table(
        "competences.TutorAppraisal",
        centre=("learner__centre",),
        learner="learner",
        export_as="tutor_appraisals",
        export=("competence", "level", "observed_on", "tutor", "comment", "recorded_at"),
        scrub={"comment": ""},
        raw=True,
    ),
    Table(
        "competences.Visa",
        centre=("learner__centre",),
        archive_names={"signer_name": "signer"},
        learner="learner",
        export_as="visas",
        export=("signer_name", "role", "signed_at", "fingerprint"),
        custom="visas",  # his own signature's name goes; the others' stay
    ),
]

EXCLUDED = []
