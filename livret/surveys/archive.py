"""What of the satisfaction questionnaires a centre archive may carry.

Called by livret.ops.archive (`archive_querysets(centre)`): the archive takes these rows, and
no other survey row, whole (every field of these models may go).

Why exactly these: an archive is read by the centre's manager, and two archives taken before and
after one person answers must not tell what he answered. So:
- `Survey` and `Invitation`: who was asked, for which cohort, whether his account counts towards
  the threshold. An invitation never changes once written (there is no « answered » flag on it),
  so two archives show the same invitations whoever answered in between.
- For a **closed** questionnaire, its `Tally` (counts per cohort, frozen at closing) and its
  `Response` rows, listed by their random key: no author, no date, no sequence — they all appeared
  together for the reader, at closing, so their order or presence tells nothing.
- For an **open** questionnaire, no response and no count: a new response row (or a count that
  moved) between two archives would point at whoever answered in between. Consequence, said on the
  questionnaire's page: an archive taken before the closing does not carry its answers (restored,
  the questionnaire is open with none yet).
- Never `Participation` (who answered an open questionnaire): the system's alone, deleted at
  closing.

Must not be carried, for the archive's writer: any survey row not returned here (notably
`Participation`, and `Response` of open questionnaires); the notifications of kind "survey" (a
reminder goes only to those who have not answered: carried, they would list who has); any order
of `Response` rows but by their key (do not rely on database order: on SQLite and PostgreSQL an
unordered scan returns rows in insertion order).
"""

from __future__ import annotations

from .models import Invitation, Response, Survey, Tally


def archive_querysets(centre) -> list:
    """The centre's survey rows an archive may carry, in dependency order."""
    closed = {"survey__centre": centre, "survey__closed_at__isnull": False}
    return [
        Survey.objects.filter(centre=centre).order_by("pk"),
        Invitation.objects.filter(survey__centre=centre).order_by("pk"),
        Tally.objects.filter(**closed).order_by("pk"),
        Response.objects.filter(**closed).order_by("id"),
    ]
