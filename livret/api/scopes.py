"""A user sees his own API tokens, and no one else's."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from .models import ApiToken

# Who uses the API, through a tool of his own: the staff roles (a centre's team, the certifier,
# the VAE guide, the platform's administrator). Apprentices, tutors and VAE candidates do not.
TOKEN_ROLES = {"manager", "trainer", "exam_admin", "certifier", "vae_guide", "admin"}


def uses_api_tokens(user) -> bool:
    from livret import access

    return access.role_of(user) in TOKEN_ROLES


def visible_api_tokens(user):
    return ApiToken.objects.filter(user=user) if user.is_authenticated else ApiToken.objects.none()


def get_api_token_for_user(user, pk):
    return get_object_or_404(visible_api_tokens(user), pk=pk)
