"""The questionnaires' tables: how each leaves the platform and goes (see livret/personal_data.py).

What a centre's archive holds of them is the questionnaires' own decision (who answered never,
an open questionnaire's responses never): livret.surveys.archive.archive_querysets."""

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
]

EXCLUDED = []
