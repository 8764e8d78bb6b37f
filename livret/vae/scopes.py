"""Who sees which VAE candidacies, and the accompagnateurs a candidate may choose."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404

from livret.access import centre_id_of, is_admin, is_certifier, is_vae_guide
from livret.people.models import Profile

from .models import Candidacy


def visible_candidacies(user):
    """A VAE candidate sees his own dossiers; certifier staff those of their diplomas."""
    if is_admin(user):
        return Candidacy.objects.all()
    if is_certifier(user):
        return Candidacy.objects.filter(offer__certifier_id=centre_id_of(user)).exclude(
            status=Candidacy.DRAFT
        )
    if is_vae_guide(user):
        return Candidacy.objects.filter(guide=user)
    if user.is_authenticated:
        return Candidacy.objects.filter(candidate=user)
    return Candidacy.objects.none()


def get_candidacy_for_user(user, pk):
    return get_object_or_404(
        visible_candidacies(user).select_related(
            "offer__referentiel__diploma", "offer__certifier", "candidate"
        ),
        pk=pk,
    )


def vae_guides():
    """The accompagnateurs a candidate may choose: a public directory (name and organisation)."""
    return (
        get_user_model()
        .objects.filter(profile__role=Profile.VAE_GUIDE, is_active=True)
        .select_related("profile__organisation")
        .order_by("last_name", "first_name")
    )
