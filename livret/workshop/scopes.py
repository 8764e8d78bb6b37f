"""Which référentiel versions a user sees in the workshop: the platform's operators every one; a
centre's manager his centre's own (drafts included) and those published for all. Anything else
is a 404, never a 403 (a centre's draft does not exist for another centre)."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from livret import access
from livret.referentiels.models import Referentiel


def visible_versions(user) -> QuerySet[Referentiel]:
    qs = Referentiel.objects.select_related("diploma", "owner")
    if access.is_admin(user):
        return qs
    if access.is_manager(user):
        return qs.filter(
            Q(owner_id=access.centre_id_of(user))
            | Q(owner__isnull=True, status=Referentiel.PUBLISHED)
        )
    return qs.none()


def get_version_for_user(user, pk) -> Referentiel:
    return get_object_or_404(visible_versions(user), pk=pk)


def may_edit(user, ref: Referentiel) -> bool:
    """A draft is written by its owner: its centre's manager, or the platform's operators."""
    if ref.status != Referentiel.DRAFT:
        return False
    if access.is_admin(user):
        return True
    return ref.owner_id is not None and ref.owner_id == access.centre_id_of(user)


def owner_for(user):
    """Whose a new draft is: the manager's centre, or the platform (None) for an operator."""
    if access.is_admin(user):
        return None
    return access.get_centre_for_user(user)
