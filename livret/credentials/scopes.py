"""Who sees which badges: those of the learners he may see (livret.access)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from livret.access import visible_learners

from .models import Credential


def visible_credentials(user):
    return Credential.objects.filter(learner__in=visible_learners(user))


def get_credential_for_user(user, uid):
    return get_object_or_404(visible_credentials(user).select_related("learner", "bloc"), uid=uid)
