"""Import a fiche of France compétences' open data as a draft version (livret.referentiels.rncp
reads the file; this module finds the référentiel and writes the draft, in one transaction)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from . import models as m
from . import rncp, services


@dataclass
class Imported:
    referentiel: m.Referentiel
    created: bool


def preview(stream, name: str, number: str, owner=None) -> tuple[dict, m.Referentiel | None]:
    """The document the import would create, and the version it starts from (None: a new référentiel)."""
    fiche = rncp.read_fiche(stream, name, number)
    base = _base(fiche.number, owner)
    if base is not None:
        slug = base.diploma.slug
    else:  # a référentiel so far only drafted from this fiche keeps its identifier
        drafted = (
            m.Referentiel.objects.filter(rncp_code__iexact=fiche.number, owner=owner)
            .select_related("diploma")
            .first()
        )
        slug = drafted.diploma.slug if drafted else _free_slug(fiche)
    doc = rncp.to_document(fiche, name, slug=slug, base=base.document if base else None)
    return doc, base


def _base(number: str, owner) -> m.Referentiel | None:
    """The newest version, visible to the owner, of the référentiel whose RNCP code matches."""
    qs = m.Referentiel.objects.filter(rncp_code__iexact=number)
    qs = qs.offered(owner) if owner is not None else qs.published()
    return qs.select_related("diploma").order_by("-version").first()


def _free_slug(fiche: rncp.Fiche) -> str:
    slug = rncp.slug_of(fiche.title)
    if m.Diploma.objects.filter(slug=slug).exists():
        slug = rncp.slug_of(f"{slug} {fiche.number}")
    return slug


@transaction.atomic
def import_fiche(stream, name: str, number: str, *, owner=None, user=None) -> Imported:
    """A draft of the fiche; run twice with the same file, the same draft is returned unchanged."""
    doc, _base_ref = preview(stream, name, number, owner)
    return create_from_preview(doc, name, owner=owner, user=user)


@transaction.atomic
def create_from_preview(doc: dict, name: str, *, owner=None, user=None) -> Imported:
    """The draft a preview described (a big file's preview is kept by its background job);
    the same preview confirmed twice gives the same draft, unchanged."""
    sha = services.content_sha(doc)
    same = m.Referentiel.objects.filter(
        diploma__slug=doc["id"], status=m.Referentiel.DRAFT, owner=owner, sha256=sha
    ).first()
    if same is not None:
        return Imported(same, created=False)
    return Imported(
        services.create_draft(doc, owner=owner, user=user, source_name=name), created=True
    )
