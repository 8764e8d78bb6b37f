"""Who sees which questionnaires: the centre's manager builds and reads them; a learner or a
tutor sees the invitations sent to him. The centre's funders and their contacts: its manager's
alone (another centre's are a 404, and never offered in a list)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from livret.access import centre_id_of, is_admin, is_learner, is_manager, is_trainer, is_tutor

from .models import Funder, FunderContact, Invitation, Survey


def visible_surveys(user):
    """Satisfaction questionnaires: built and read by the centre's manager only."""
    if is_admin(user):
        return Survey.objects.all()
    if is_manager(user):
        return Survey.objects.filter(centre_id=centre_id_of(user))
    return Survey.objects.none()


def visible_survey_invitations(user):
    """The questionnaires a learner, tutor (or company contact) or trainer was asked to answer,
    once sent."""
    if not (is_learner(user) or is_tutor(user) or is_trainer(user)):
        return Invitation.objects.none()
    return Invitation.objects.filter(user=user, survey__sent_at__isnull=False)


def visible_funders(user):
    """The funders recorded by the manager's own centre."""
    if is_manager(user):
        return Funder.objects.filter(centre_id=centre_id_of(user))
    return Funder.objects.none()


def visible_funder_contacts(user):
    """The contacts of the manager's own centre's funders."""
    if is_manager(user):
        return FunderContact.objects.filter(funder__centre_id=centre_id_of(user))
    return FunderContact.objects.none()


def get_survey_for_user(user, pk):
    return get_object_or_404(visible_surveys(user), pk=pk)


def get_survey_invitation_for_user(user, pk):
    return get_object_or_404(
        visible_survey_invitations(user).select_related("survey", "cohort"), pk=pk
    )
