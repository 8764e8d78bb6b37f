"""The thread's tables: how each leaves the platform and goes (see livret/personal_data.py)."""

from livret.personal_data import SCRUB, Table

TABLES = [
    Table(
        "threads.Message",
        centre=("learner__centre",),
        learner="learner",
        export_as="thread_messages",
        export=(
            "id",
            "author",
            "author_role",
            "text",
            "competence",
            "situation",
            "period",
            "created_at",
        ),
        # The words go (his and those written to him); that a message was sent, and when, stays.
        scrub={"text": "Message anonymisé"},
        history=SCRUB,
    ),
    Table(
        "threads.ReadMark",
        centre=("learner__centre",),
        learner="learner",
        not_exported="where each reader stopped in the thread: a reading position, not his data",
        delete=True,
    ),
]

EXCLUDED = []
