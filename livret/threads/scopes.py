"""Who may open a learner's thread (le fil du livret): his centre's manager, his cohort's trainers,
his tutor and the learner himself. Nobody else, the platform administrator included (he has the
admin site): a thread outside one's rights is a 404, like any object one may not see."""

from __future__ import annotations

from django.db.models import QuerySet

from livret import access
from livret.people.models import Learner


def visible_threads(user) -> QuerySet[Learner]:
    """The learners whose thread `user` may read (the same people as the livret's readers, less
    the platform administrator)."""
    if access.is_admin(user):
        return Learner.objects.none()
    return access.visible_learners(user)


def get_thread_for_user(user, pk) -> Learner:
    return access._get(
        visible_threads(user).select_related("cohort__referentiel", "centre", "tutor", "company"),
        pk=pk,
    )
