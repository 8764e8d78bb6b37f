"""The VAE's tables: how each leaves the platform and goes (see livret/personal_data.py).

A VAE dossier belongs to the candidate and his certifier, not to a training centre: none moves
with a centre's archive. A candidate who is not a learner is anonymised on his own retention
path (livret.ops.rights.vae_retention_end)."""

from livret.personal_data import DELETE, Excluded, Table

NOT_ARCHIVED = "a VAE dossier is the candidate's and his certifier's, not a centre's"

TABLES = [
    Table(
        "vae.VaeProfile",
        not_archived=NOT_ARCHIVED,
        user="user",
        export_as="vae_profile",
        export=("phone", "city", "birth_date", "current_job"),
        scrub={"phone": "", "city": "", "birth_date": None, "current_job": ""},
        history=DELETE,
    ),
    Table(
        "vae.Candidacy",
        not_archived=NOT_ARCHIVED,
        user="candidate",
        export_as="vae_candidacies",
        export=("offer", "status", "motivation", "guide", "created_at", "submitted_at"),
        scrub={"motivation": ""},
        history=DELETE,
    ),
    Table(
        "vae.Experience",
        not_archived=NOT_ARCHIVED,
        user="candidacy__candidate",
        export_as="vae_experiences",
        export=("kind", "employer", "job_title", "start", "end", "time", "description"),
        scrub={"employer": "", "job_title": "", "description": ""},
        history=DELETE,
    ),
    Table(
        "vae.AdmissibilityDecision",
        not_archived=NOT_ARCHIVED,
        user="candidacy__candidate",
        export_as="vae_admissibility",
        export=("decision", "reasons", "decided_at"),
        scrub={"reasons": ""},
        history=DELETE,
    ),
    Table(
        "vae.BlocNarrative",
        not_archived=NOT_ARCHIVED,
        user="candidacy__candidate",
        export_as="vae_narratives",
        export=("bloc", "text", "updated_at"),
        scrub={"text": ""},
        history=DELETE,
    ),
    Table(
        "vae.JuryResult",
        not_archived=NOT_ARCHIVED,
        user="candidacy__candidate",
        export_as="vae_jury_results",
        export=("result", "jury_date", "comment"),
        # The decision and its date stay (the blocs he holds); the jury's words go.
        scrub={"comment": ""},
        history=DELETE,
    ),
    Table(
        "vae.ValidatedBloc",
        not_archived=NOT_ARCHIVED,
        user="person",
        export_as="vae_validated_blocs",
        export=("bloc", "validated_on"),
    ),
    Table(
        "vae.GuideComment",
        not_archived=NOT_ARCHIVED,
        user="candidacy__candidate",
        export_as="vae_guide_comments",
        export=("author", "text", "created_at"),
        scrub={"text": ""},
    ),
    Table(
        "vae.CandidacyEvent",
        not_archived=NOT_ARCHIVED,
        user="candidacy__candidate",
        export_as="vae_events",
        export=("action", "from_status", "to_status", "at"),
    ),
    # The jury (D. 6412-6): the certifier's record of who judged and how; the candidate reads
    # it in his export; anonymising him leaves it (it names the members, not his words), the
    # jury's words about him go.
    Table(
        "vae.JuryMember",
        not_archived=NOT_ARCHIVED,
        user="candidacy__candidate",
        export_as="vae_jury_members",
        export=("name", "quality", "qualified", "declared_no_link_at"),
    ),
    Table(
        "vae.JuryConvocation",
        not_archived=NOT_ARCHIVED,
        user="candidacy__candidate",
        export_as="vae_jury_convocations",
        export=("at", "place", "modalities", "sent_at"),
    ),
    Table(
        "vae.JuryDecisionDetail",
        not_archived=NOT_ARCHIVED,
        user="result__candidacy__candidate",
        export_as="vae_jury_decisions",
        export=("casting_vote", "replaces", "reason", "decided_at"),
        scrub={"replaces": None},
    ),
    Table(
        "vae.JuryRecommendation",
        not_archived=NOT_ARCHIVED,
        user="result__candidacy__candidate",
        export_as="vae_jury_recommendations",
        export=("bloc", "kind", "text"),
        scrub={"text": ""},
        history=DELETE,
    ),
    # His registrations to titre sessions (the exam side keeps his candidate row and results).
    Table(
        "vae.TitreRegistration",
        not_archived=NOT_ARCHIVED,
        user="candidacy__candidate",
        export_as="vae_titre_registrations",
        export=("exam_candidate", "registered_at"),
    ),
    # The feasibility file of the 2025 model (arrêté du 3 juillet 2025).
    Table(
        "vae.PriorLearning",
        not_archived=NOT_ARCHIVED,
        user="candidacy__candidate",
        export_as="vae_prior_learning",
        export=("kind", "title", "organisation", "year"),
        scrub={"title": "", "organisation": ""},
        history=DELETE,
    ),
    Table(
        "vae.FeasibilityOpinion",
        not_archived=NOT_ARCHIVED,
        user="candidacy__candidate",
        export_as="vae_feasibility_opinions",
        export=("opinion", "reasons", "author", "created_at"),
        # The avis itself (favourable / réservé) stays with the file; its words about him go.
        scrub={"reasons": ""},
    ),
]

EXCLUDED = [
    Excluded(
        "vae.VaeSettings",
        "a certifier's own figures (actualisation period, alert days, retention): no person's "
        "data; its past versions name only the staff who changed them",
    ),
]
