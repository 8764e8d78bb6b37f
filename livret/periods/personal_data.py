"""The periods' tables: how each leaves the platform and goes (see livret/personal_data.py)."""

from livret.personal_data import DELETE, SCRUB, Table

from .models import Agreement

TABLES = [
    Table(
        "periods.Period",
        centre=("learner__centre",),
        learner="learner",
        export_as="periods",
        export=(
            "id",
            "kind",
            "company",
            "tutor",
            "start",
            "end",
            "attestation_received",
            "attestation_signed",
            "attestation_file",
            "referent",
        ),
        scrub={"attestation_file": ""},
        files=("attestation_file",),
    ),
    Table(
        "periods.Agreement",
        centre=("period__learner__centre",),
        learner="period__learner",
        export_as="agreements",
        export=("period", "signed_on", *Agreement.TERMS),
    ),
    Table(
        "periods.PeriodReview",
        centre=("period__learner__centre",),
        learner="period__learner",
        export_as="period_reviews",
        export=(
            "period",
            "lines",
            "pedagogical",
            "tutor_appraisal",
            "written_by",
            "tutor",
            "tutor_signed_at",
            "validated_at",
        ),
        scrub={"pedagogical": "", "tutor_appraisal": "", "lines": []},
        history=DELETE,
    ),
    Table(
        "periods.Contract",
        centre=("learner__centre",),
        learner="learner",
        export_as="contracts",
        export=("id", "kind", "company", "start", "end"),
    ),
    Table(
        "periods.Rupture",
        centre=("contract__learner__centre",),
        learner="contract__learner",
        export_as="contract_ruptures",
        export=("contract", "date", "initiative", "reason", "recorded_by", "recorded_at"),
        # The fact stays (the centre's rupture rate counts it); why it broke goes.
        scrub={"reason": ""},
        history=SCRUB,
    ),
    Table(
        "periods.PeriodContact",
        centre=("period__learner__centre",),
        learner="period__learner",
        export_as="period_contacts",
        export=("period", "day", "mode", "note", "recorded_by", "recorded_at"),
        scrub={"note": ""},
        history=SCRUB,
    ),
    Table(
        "periods.FollowUp",
        centre=("learner__centre",),
        learner="learner",
        export_as="follow_ups",
        export=(
            "kind",
            "planned_on",
            "mode",
            "place",
            "planned_by",
            "held_on",
            "attendees",
            "report",
            "objectives",
            "reported_by",
            "reported_at",
            "tutor_signed_at",
            "apprentice_signed_at",
        ),
        # The visit or interview stays (dates, who held it); what was said and who was there go.
        scrub={"place": "", "attendees": "", "report": "", "objectives": ""},
        history=SCRUB,
    ),
    Table(
        "periods.LearnerAlert",
        not_archived="derived: computed again on the restored data",
        learner="learner",
        export_as="alerts",
        export=("kind", "message"),
        delete=True,  # computed again, from the anonymised record
    ),
]

EXCLUDED = []
