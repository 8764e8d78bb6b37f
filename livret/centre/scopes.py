"""What of his centre's records a manager sees, kind by kind (livret.centre.kinds): another
role, or another kind, is a 404."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from livret import access

from .kinds import KINDS


def visible_records(user, kind: str):
    access.require_role(user, access.is_manager)
    if kind not in KINDS:
        raise Http404
    return KINDS[kind].scope(user)


def get_record_for_user(user, kind: str, pk):
    return get_object_or_404(visible_records(user, kind), pk=pk)
