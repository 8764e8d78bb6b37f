"""The feasibility file as the 2025 model asks (arrêté du 3 juillet 2025 relatif aux modalités
d'accompagnement et au modèle de dossier de recevabilité): formations and certifications already
held, how the candidate meets the certification's prerequisites when it has some, and the
accompagnateur's formal avis de faisabilité (favourable or réservé, with its reasons)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from livret.engine import vae_flow
from livret.notifications.services import notify

from .models import Candidacy, FeasibilityOpinion, PriorLearning
from .services import _check


def _year(raw: str, errors: dict) -> int | None:
    try:
        year = int((raw or "").strip())
    except ValueError:
        errors["year"] = "Un nombre à quatre chiffres, par exemple 2019."
        return None
    if not 1940 <= year <= timezone.localdate().year:
        errors["year"] = f"Entre 1940 et {timezone.localdate().year}."
        return None
    return year


@transaction.atomic
def add_prior(candidacy: Candidacy, kind: str, title: str, organisation: str, year: str):
    """A formation followed or a certification held; every problem said at once, each under
    the field it concerns (the page shows it beside that field)."""
    _check(candidacy, "edit")
    errors = {}
    if kind not in dict(PriorLearning.KINDS):
        errors["kind"] = "Choisissez : formation suivie ou certification obtenue."
    title, organisation = (title or "").strip(), (organisation or "").strip()
    if not title:
        errors["title"] = "Obligatoire."
    elif len(title) > 200:
        errors["title"] = "200 caractères au plus."
    if len(organisation) > 200:
        errors["organisation"] = "200 caractères au plus."
    when = _year(year, errors)
    if errors:
        raise ValidationError(errors)
    return PriorLearning.objects.create(
        candidacy=candidacy, kind=kind, title=title, organisation=organisation, year=when
    )


@transaction.atomic
def remove_prior(candidacy: Candidacy, prior_id) -> None:
    _check(candidacy, "edit")
    if not candidacy.prior_learning.filter(pk=prior_id).delete()[0]:
        raise ValidationError("Formation ou certification inconnue.")


@transaction.atomic
def save_prerequisites(candidacy: Candidacy, text: str) -> None:
    _check(candidacy, "edit")
    text = (text or "").strip()
    if len(text) > 4000:
        raise ValidationError({"prerequisites": "4 000 caractères au plus."})
    candidacy.prerequisites = text
    candidacy.save(update_fields=["prerequisites", "updated_at"])


@transaction.atomic
def give_opinion(candidacy: Candidacy, author, opinion: str, reasons: str) -> FeasibilityOpinion:
    """The accompagnateur's avis; never edited, a new one follows. Réservé or favourable, it
    says why (the model asks for the reasons)."""
    _check(candidacy, "opinion", vae_flow.GUIDE)
    errors = {}
    if opinion not in dict(FeasibilityOpinion.CHOICES):
        errors["opinion"] = "Favorable ou réservé."
    reasons = (reasons or "").strip()
    if not reasons:
        errors["reasons"] = "Obligatoires : le modèle de dossier demande pourquoi."
    elif len(reasons) > 4000:
        errors["reasons"] = "4 000 caractères au plus."
    if errors:
        raise ValidationError(errors)
    made = FeasibilityOpinion.objects.create(
        candidacy=candidacy, opinion=opinion, reasons=reasons, author=author
    )
    notify(
        [candidacy.candidate],
        "vae",
        f"Avis de faisabilité de votre accompagnateur : {made.get_opinion_display().lower()} — "
        f"{candidacy.offer.referentiel.title}",
        reasons[:300],
        reverse("vae_dossier", args=[candidacy.pk]),
    )
    return made
