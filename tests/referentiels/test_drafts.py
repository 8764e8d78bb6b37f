"""Versions as drafts: never offered to cohorts, a centre's own seen by that centre only, and a
published version's document and rows that never change."""

import datetime

import pytest

from livret.centre.forms import CohortForm
from livret.people.models import Organisation
from livret.referentiels import models as m
from livret.referentiels import services
from livret.referentiels.loader import load_bytes
from livret.referentiels.services import NotPublishable, PublishedVersionError
from livret.referentiels.validator import validate_text

from .samples import MINIMAL


def minimal_doc():
    return validate_text(MINIMAL, "bts-test.yaml").data


def test_loaded_files_are_published_for_all(referentiels):
    refs = m.Referentiel.objects.all()
    assert refs.count() == len(referentiels)
    assert all(r.status == m.Referentiel.PUBLISHED and r.owner is None for r in refs)
    assert all(r.published_at is not None for r in refs)


def test_a_draft_has_no_rows_and_publishing_writes_them(db):
    centre = Organisation.objects.create(name="CFA A", kind=Organisation.CFA)
    draft = services.create_draft(minimal_doc(), owner=centre)
    assert draft.status == m.Referentiel.DRAFT and draft.owner == centre
    assert not m.Competence.objects.filter(referentiel=draft).exists()

    services.publish(draft)
    draft.refresh_from_db()
    assert draft.status == m.Referentiel.PUBLISHED and draft.published_at
    assert sorted(
        m.Competence.objects.filter(referentiel=draft).values_list("code", flat=True)
    ) == [
        "A1.1C1",
        "A1.1C2",
        "CX1",
    ]
    assert m.Exam.objects.get(referentiel=draft, code="E1").coefficient == 4


def test_an_invalid_draft_is_not_published_and_stays_a_draft(db):
    doc = minimal_doc()
    doc["exams"][0]["coefficient"] = 0
    draft = services.create_draft(doc)
    with pytest.raises(NotPublishable) as err:
        services.publish(draft)
    assert "exams[0].coefficient: le coefficient doit être strictement positif" in str(err.value)
    draft.refresh_from_db()
    assert draft.status == m.Referentiel.DRAFT
    assert not m.Unit.objects.filter(referentiel=draft).exists()


def test_a_published_version_never_changes(db):
    ref = load_bytes(MINIMAL.encode(), "bts-test_2026-01-15.yaml").referentiel
    document = ref.document
    with pytest.raises(PublishedVersionError):
        services.save_document(ref, {**document, "title": "Autre titre"})
    with pytest.raises(PublishedVersionError):
        services.publish(ref)
    with pytest.raises(PublishedVersionError):
        services.delete_draft(ref)
    # Its rows refuse any write through the ORM as well: update, delete, or a new row.
    competence = m.Competence.objects.get(referentiel=ref, code="A1.1C1")
    competence.title = "Changé"
    with pytest.raises(PublishedVersionError):
        competence.save()
    with pytest.raises(PublishedVersionError):
        m.Unit.objects.get(referentiel=ref, code="U1").delete()
    with pytest.raises(PublishedVersionError):
        m.Unit.objects.create(referentiel=ref, code="U9", title="Nouvelle")
    ref.refresh_from_db()
    assert ref.document == document and ref.title == "BTS de test"
    assert m.Competence.objects.get(referentiel=ref, code="A1.1C1").title == "Compétence un"
    assert not m.Unit.objects.filter(referentiel=ref, code="U9").exists()


def test_a_correction_is_a_new_version_beside_the_old_one(db):
    ref = load_bytes(MINIMAL.encode(), "bts-test_2026-01-15.yaml").referentiel
    draft = services.draft_from(ref)
    assert draft.version > ref.version and draft.diploma == ref.diploma
    doc = dict(draft.document)
    doc["title"] = "BTS de test (rectifié)"
    services.save_document(draft, doc)
    services.publish(draft)
    assert m.Referentiel.objects.filter(diploma=ref.diploma).count() == 2
    ref.diploma.refresh_from_db()
    assert ref.diploma.title == "BTS de test (rectifié)"
    ref.refresh_from_db()
    assert ref.title == "BTS de test"


def test_drafts_are_never_offered_and_a_centres_own_only_to_it(db, django_user_model):
    from livret.people.models import Profile
    from tests.world import make_user

    centre_a = Organisation.objects.create(name="CFA A", kind=Organisation.CFA)
    centre_b = Organisation.objects.create(name="CFA B", kind=Organisation.CFA)
    manager_a = make_user(django_user_model, "manager_a", Profile.MANAGER, centre_a)
    manager_b = make_user(django_user_model, "manager_b", Profile.MANAGER, centre_b)
    platform = load_bytes(MINIMAL.encode(), "bts-test_2026-01-15.yaml").referentiel
    draft = services.create_draft(minimal_doc(), owner=centre_a)
    own = services.publish(services.create_draft(minimal_doc(), owner=centre_a))

    def offered(user):
        return set(CohortForm(user=user).fields["referentiel"].queryset)

    assert offered(manager_a) == {platform, own}
    assert offered(manager_b) == {platform}
    assert draft not in offered(manager_a)
    # The public pages show the platform's published versions only.
    assert set(m.Referentiel.objects.public()) == {platform}

    services.publish_for_all(own)
    assert offered(manager_b) == {platform, own}
    assert own.version > platform.version


def test_version_dates_stay_unique(db):
    ref = load_bytes(MINIMAL.encode(), "bts-test_2026-01-15.yaml").referentiel
    first = services.draft_from(ref)
    second = services.draft_from(ref)
    assert first.version < second.version
    assert first.version >= max(ref.version, datetime.date.today())
