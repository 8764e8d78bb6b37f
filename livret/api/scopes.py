"""A user sees his own API tokens, and no one else's."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from .models import ApiToken


def visible_api_tokens(user):
    return ApiToken.objects.filter(user=user) if user.is_authenticated else ApiToken.objects.none()


def get_api_token_for_user(user, pk):
    return get_object_or_404(visible_api_tokens(user), pk=pk)
