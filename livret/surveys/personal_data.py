"""The questionnaires' tables: how each leaves the platform and goes (see livret/personal_data.py).

What a centre's archive holds of them is the questionnaires' own decision (who answered never,
an open questionnaire's responses never): livret.surveys.archive.archive_querysets.

The centre's funders and their contacts (a name and an address at an OPCO, a Région…: people
without an account) are the centre's records: its archive carries them with their past versions
(who changed what, when); no learner's export holds them, and a learner's anonymisation leaves
them (they are nobody's of his). A contact the centre no longer works with is forgotten by
livret.surveys.services.forget_contact (name and address gone, past versions too), which the
contact's page offers; answer links (`AnswerLink`) are never archived (the system's only,
deleted at the answer and at closing)."""

from livret.personal_data import Table

# The function giving the querysets the centre archive carries for this app.
ARCHIVE_QUERYSETS = "livret.surveys.archive.archive_querysets"
BY_SURVEYS = "what the archive holds is chosen by livret.surveys.archive.archive_querysets"

TABLES = [
    Table(
        "surveys.Survey",
        not_archived=BY_SURVEYS,
        not_exported="the centre's questionnaire, not a person's data",
    ),
    Table(
        "surveys.Invitation",
        not_archived=BY_SURVEYS,
        user="user",
        export_as="survey_invitations",
        export=("survey", "cohort"),  # never whether or what he answered: nobody keeps that
        delete=True,
    ),
    Table(
        "surveys.Funder",
        centre=("centre",),
        not_exported="a funder of the centre (an OPCO, a Région…), not a person's data",
    ),
    Table(
        "surveys.FunderContact",
        centre=("funder__centre",),
        not_exported="a funder's contact, no learner's nor account's data: in the centre's archive",
    ),
]

EXCLUDED = []
