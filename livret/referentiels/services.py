"""Versions as drafts: every write to a référentiel version goes through here.

A draft holds its document only (no rows: no cohort may use it, nothing points at it); it may be
edited, validated, exported. Publishing validates the document, writes its rows and freezes it:
from then on its document and rows never change (`PublishedVersionError`), a correction is a
new version. A centre's own version is seen by that centre only until the platform publishes it
for all.
"""

from __future__ import annotations

import datetime
import hashlib
import json

import yaml
from django.db import transaction
from django.utils import timezone

from . import models as m
from .loader import create_items, mark_published
from .validator import Result, validate_text

PublishedVersionError = m.PublishedVersionError


def _as_date(value):
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def to_file_data(doc: dict) -> dict:
    """The stored document (dates as ISO strings) back as a file's data (dates as dates)."""
    data = json.loads(json.dumps(doc))
    if "version" in data:
        data["version"] = _as_date(data["version"])
    rncp = data.get("rncp")
    if isinstance(rncp, dict) and "valid_until" in rncp:
        rncp["valid_until"] = _as_date(rncp["valid_until"])
    return data


def to_yaml(doc: dict) -> str:
    """The document as a file of data/referentiels/ (same keys, same order)."""
    return yaml.safe_dump(
        to_file_data(doc), allow_unicode=True, sort_keys=False, width=100, default_flow_style=False
    )


def file_name(doc: dict) -> str:
    return f"{doc.get('id', 'referentiel')}_{doc.get('version', '')}.yaml"


def validate_document(doc: dict) -> Result:
    return validate_text(to_yaml(doc), file_name(doc))


def jsonable(data: object) -> object:
    return json.loads(json.dumps(data, default=lambda v: v.isoformat()))


def content_sha(doc: dict) -> str:
    """The content of a draft, its version date aside (an import run twice finds itself)."""
    body = {k: v for k, v in jsonable(doc).items() if k != "version"}
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


def ensure_draft(ref: m.Referentiel) -> None:
    if ref.status != m.Referentiel.DRAFT:
        raise PublishedVersionError(ref.pk)


def free_version(diploma: m.Diploma | None, wanted: datetime.date) -> datetime.date:
    """`wanted`, or the day after the diploma's newest version if that is later (versions are unique)."""
    if diploma is None or diploma.pk is None:
        return wanted
    newest = diploma.referentiels.order_by("-version").values_list("version", flat=True).first()
    if newest is not None and newest >= wanted:
        return newest + datetime.timedelta(days=1)
    return wanted


@transaction.atomic
def create_draft(doc: dict, *, owner=None, user=None, source_name: str = "") -> m.Referentiel:
    """A new draft version of the diploma `doc["id"]` (created if new), its version date made free."""
    data = jsonable(doc)
    diploma, _ = m.Diploma.objects.get_or_create(
        slug=data["id"],
        defaults={
            "title": data.get("title", data["id"]),
            "short_title": data.get("short_title", ""),
            "kind": data.get("kind", ""),
        },
    )
    wanted = _as_date(data.get("version")) or timezone.localdate()
    if not isinstance(wanted, datetime.date):
        wanted = timezone.localdate()
    version = free_version(diploma, wanted)
    data["version"] = version.isoformat()
    return m.Referentiel.objects.create(
        diploma=diploma,
        version=version,
        title=data.get("title", ""),
        rncp_code=(data.get("rncp") or {}).get("code", ""),
        completeness=data.get("completeness", m.Referentiel.PARTIAL),
        document=data,
        sha256=content_sha(data),
        source_name=source_name,
        status=m.Referentiel.DRAFT,
        owner=owner,
        created_by=user,
    )


def draft_from(ref: m.Referentiel, *, owner=None, user=None) -> m.Referentiel:
    """A new draft starting from an existing version's document (a correction, a new règlement)."""
    doc = dict(ref.document)
    doc.pop("version", None)
    return create_draft(doc, owner=owner, user=user, source_name=f"copie de {ref}")


@transaction.atomic
def save_document(ref: m.Referentiel, doc: dict) -> m.Referentiel:
    """Replace a draft's document (the workshop's forms write through here)."""
    ref = m.Referentiel.objects.select_for_update().get(pk=ref.pk)
    ensure_draft(ref)
    data = jsonable(doc)
    data["id"] = ref.diploma.slug
    data["version"] = ref.version.isoformat()
    ref.document = data
    ref.title = data.get("title", "")
    ref.rncp_code = (data.get("rncp") or {}).get("code", "")
    ref.completeness = data.get("completeness", m.Referentiel.PARTIAL)
    ref.sha256 = content_sha(data)
    ref.save(update_fields=["document", "title", "rncp_code", "completeness", "sha256"])
    return ref


class NotPublishable(Exception):
    def __init__(self, result: Result):
        super().__init__("\n".join(str(f) for f in result.faults))
        self.faults = result.faults


@transaction.atomic
def publish(ref: m.Referentiel, user=None) -> m.Referentiel:
    """Validate the draft, write its rows, freeze it. All or nothing."""
    ref = m.Referentiel.objects.select_for_update().get(pk=ref.pk)
    ensure_draft(ref)
    text = to_yaml(ref.document)
    result = validate_text(text, file_name(ref.document))
    if not result.ok:
        raise NotPublishable(result)
    ref.sha256 = hashlib.sha256(text.encode()).hexdigest()
    ref.save(update_fields=["sha256"])
    create_items(ref, result.data)
    mark_published(ref, user)
    return ref


@transaction.atomic
def publish_for_all(ref: m.Referentiel, user=None) -> m.Referentiel:
    """The platform shares a centre's published version with every centre."""
    ref = m.Referentiel.objects.select_for_update().get(pk=ref.pk)
    if ref.status != m.Referentiel.PUBLISHED:
        raise ValueError("seule une version publiée peut être partagée avec tous les centres")
    ref.owner = None
    ref.save(update_fields=["owner"])
    from .loader import follow_newest

    follow_newest(ref.diploma)
    return ref


@transaction.atomic
def delete_draft(ref: m.Referentiel) -> None:
    ref = m.Referentiel.objects.select_for_update().get(pk=ref.pk)
    ensure_draft(ref)
    diploma = ref.diploma
    ref.delete()
    if not diploma.referentiels.exists():
        diploma.delete()
