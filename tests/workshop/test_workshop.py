"""The référentiel workshop: import a fiche (upload, preview, confirm), edit units and blocs with
the validator's messages beside them, publish, export the YAML; a centre's draft is its own."""

import copy
import re
from pathlib import Path

import pytest
from django.urls import reverse

from livret.referentiels import models as m
from livret.referentiels import services
from livret.referentiels.loader import load_bytes
from livret.referentiels.validator import validate_text

FIXTURES = Path(__file__).parents[1] / "referentiels" / "fixtures"


def login(client, user):
    client.force_login(user)
    return client


def import_through_the_page(client, fiche="RNCP99901", status=200):
    url = reverse("workshop_import")
    with open(FIXTURES / "rncp-v4-1.xml", "rb") as fh:
        page = client.post(url, {"file": fh, "fiche": fiche})
    assert page.status_code == status
    return page


@pytest.fixture
def draft(world, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    login(client, world.users["manager_a"])
    page = import_through_the_page(client)
    text = page.content.decode()
    assert "Aperçu de ce qui sera créé" in text and "Accueillir et orienter le public" in text
    assert "Identifier la demande d&#x27;un visiteur" in text
    assert not m.Referentiel.objects.filter(status=m.Referentiel.DRAFT).exists()  # preview only
    token = page.context["preview"]["token"]
    done = client.post(reverse("workshop_import"), {"token": token})
    ref = m.Referentiel.objects.get(status=m.Referentiel.DRAFT)
    assert done.status_code == 302 and done["Location"] == reverse(
        "workshop_version", args=[ref.pk]
    )
    return ref


def test_an_import_makes_a_draft_of_the_centre(world, draft):
    assert draft.owner == world.cohort_a.centre and draft.created_by == world.users["manager_a"]
    assert draft.document["rncp"]["code"] == "RNCP99901"


def test_a_refused_fiche_says_why_and_loads_nothing(world, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    login(client, world.users["manager_a"])
    page = import_through_the_page(client, "RNCP99902", status=400)
    text = page.content.decode()
    assert "la fiche RNCP99902 est inactive" in text
    assert "Rien n'est enregistré" in text
    assert not m.Referentiel.objects.filter(status=m.Referentiel.DRAFT).exists()
    # Beside its field (marked, described by the error) and in the summary linking to it.
    field = re.search(r"<input[^>]*id=\"id_fiche\"[^>]*>", text).group(0)
    assert 'aria-invalid="true"' in field and 'value="RNCP99902"' in field
    described = re.search(r'aria-describedby="([^"]+)"', field).group(1).split()
    assert any(
        re.search(rf'id="{i}"[^>]*>(?:<li>)?[^<]*la fiche RNCP99902 est inactive', text)
        for i in described
    )
    assert re.search(r'href="#id_fiche"[^>]*>[^<]*</a> : [^<]*RNCP99902 est inactive', text)


def test_a_centres_draft_is_invisible_to_another_centre(world, draft, client):
    url = reverse("workshop_version", args=[draft.pk])
    client.logout()
    login(client, world.users["manager_b"])
    assert client.get(url).status_code == 404
    assert client.get(reverse("workshop_export", args=[draft.pk])).status_code == 404
    assert client.post(reverse("workshop_publish", args=[draft.pk])).status_code == 404
    assert draft.title not in client.get(reverse("workshop")).content.decode()
    client.logout()
    login(client, world.users["trainer_a"])
    assert client.get(url).status_code == 404
    assert client.get(reverse("workshop")).status_code == 404
    client.logout()
    login(client, world.users["admin"])
    assert client.get(url).status_code == 200


def test_add_a_unit_see_the_validator_beside_it_then_publish(world, draft, client):
    url = reverse("workshop_version", args=[draft.pk])
    page = client.get(url).content.decode()
    assert "Ce qui manque encore" in page
    # A unit with a coefficient 0: the validator's message shows on the unit's own row.
    client.post(
        url, {"part": "unit", "unit-code": "U1", "unit-title": "Accueil", "unit-coefficient": "0"}
    )
    page = client.get(url)
    [row] = page.context["units"]
    assert row["exam"] == {"code": "E1", "title": "Accueil", "unit": "U1", "coefficient": 0}
    assert row["faults"] == ["le coefficient doit être strictement positif (reçu : 0)"]
    assert "le coefficient doit être strictement positif (reçu : 0)" in page.content.decode()
    # Publishing is refused while the validator objects; the draft stays a draft, without rows.
    client.post(reverse("workshop_publish", args=[draft.pk]))
    draft.refresh_from_db()
    assert (
        draft.status == m.Referentiel.DRAFT
        and not m.Unit.objects.filter(referentiel=draft).exists()
    )

    client.post(
        url, {"part": "unit", "unit-code": "U1", "unit-title": "Accueil", "unit-coefficient": "3,5"}
    )
    client.post(
        url,
        {
            "part": "bloc",
            "bloc-code": "RNCP99901BC01",
            "bloc-title": "Accueillir et orienter le public",
            "bloc-unit": "U1",
        },
    )
    page = client.get(url)
    assert page.context["units"][0]["faults"] == [] and page.context["faults"] == []
    client.post(reverse("workshop_publish", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == m.Referentiel.PUBLISHED
    assert m.Exam.objects.get(referentiel=draft, code="E1").coefficient == 3.5
    assert m.Bloc.objects.get(referentiel=draft, code="RNCP99901BC01").unit.code == "U1"
    # Published: the forms are gone and a write is refused.
    assert "Enregistrer l&#x27;unité" not in client.get(url).content.decode()
    assert (
        client.post(url, {"part": "unit", "unit-code": "U2", "unit-title": "X"}).status_code == 404
    )
    draft.refresh_from_db()
    assert [u["code"] for u in draft.document["units"]] == ["U1"]


def test_a_new_version_from_an_existing_one(world, client):
    login(client, world.users["manager_a"])
    response = client.post(reverse("workshop_copy", args=[world.ref.pk]))
    draft = m.Referentiel.objects.get(status=m.Referentiel.DRAFT)
    assert response["Location"] == reverse("workshop_version", args=[draft.pk])
    assert draft.owner == world.cohort_a.centre and draft.diploma == world.ref.diploma
    assert draft.document["blocs"] == world.ref.document["blocs"]


ITEM_MODELS = [m.Pole, m.Activity, m.Task, m.Competence, m.Knowledge, m.Bloc, m.Unit, m.Exam]


def rows(ref):
    out = {}
    for model in ITEM_MODELS:
        fields = [
            f.name for f in model._meta.fields if f.name not in {"id", "referentiel", "position"}
        ]
        values = []
        for obj in model.objects.filter(referentiel=ref).order_by("position"):
            row = {}
            for f in fields:
                v = getattr(obj, f)
                row[f] = v.code if isinstance(v, m.Item) else v
            values.append(row)
        out[model.__name__] = values
    out["bloc links"] = sorted(
        m.Bloc.competences.through.objects.filter(bloc__referentiel=ref).values_list(
            "bloc__code", "competence__code"
        )
    )
    out["exam links"] = sorted(
        m.Exam.competences.through.objects.filter(exam__referentiel=ref).values_list(
            "exam__code", "competence__code"
        )
    )
    return out


def test_yaml_export_round_trip_gives_the_same_rows(world, client):
    login(client, world.users["admin"])
    response = client.get(reverse("workshop_export", args=[world.ref.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="bts-mos_2026-11-22.yaml"'
    text = response.content.decode()
    assert validate_text(text, "export.yaml").ok
    assert validate_text(text, "export.yaml").data == services.to_file_data(world.ref.document)
    again = load_bytes(
        text.replace("version: 2026-11-22", "version: 2026-11-23", 1).encode(), "x.yaml"
    )
    assert again.created
    assert rows(again.referentiel) == rows(world.ref)


def test_compare_page_names_the_renamed_code(world, client):
    doc = copy.deepcopy(world.ref.document)
    doc["poles"][0]["activities"][0]["competences"][0]["code"] = "NOUVEAU1"
    code = world.ref.document["poles"][0]["activities"][0]["competences"][0]["code"]
    for bloc in doc["blocs"]:
        if "competences" in bloc:
            bloc["competences"] = ["NOUVEAU1" if c == code else c for c in bloc["competences"]]
    draft = services.create_draft(doc, owner=world.cohort_a.centre)
    client.force_login(world.users["manager_a"])
    page = client.get(reverse("workshop_compare", args=[draft.pk]), {"avec": world.ref.pk})
    assert page.status_code == 200
    assert page.context["diff"].renamed[0][1:3] == (code, "NOUVEAU1")
    assert f"{code} → NOUVEAU1" in page.content.decode()
    client.force_login(world.users["manager_b"])
    assert client.get(reverse("workshop_compare", args=[draft.pk])).status_code == 404


def test_add_a_competence_to_a_bloc(world, draft, client):
    url = reverse("workshop_version", args=[draft.pk])
    client.post(
        url,
        {
            "part": "competence",
            "competence-code": "C-NEW",
            "competence-title": "Tenir une main courante numérique",
            "competence-bloc": "RNCP99901BC03",
        },
    )
    draft.refresh_from_db()
    assert {"code": "C-NEW", "title": "Tenir une main courante numérique"} in draft.document[
        "competences"
    ]
    bloc = next(b for b in draft.document["blocs"] if b["code"] == "RNCP99901BC03")
    assert bloc["competences"][-1] == "C-NEW"
    page = client.post(
        url,
        {
            "part": "competence",
            "competence-code": "C-X",
            "competence-title": "X",
            "competence-activity": "A9",
        },
    )
    assert "activité « A9 » inexistante dans ce référentiel" in page.content.decode()


def test_the_validator_speaks_beside_the_field_as_one_types_and_nothing_is_saved(
    world, draft, client
):
    """The htmx endpoint answers each field's messages (swapped in place, out of band)."""
    before = copy.deepcopy(draft.document)
    url = reverse("workshop_validate", args=[draft.pk])
    answer = client.post(
        url, {"part": "unit", "unit-code": "U1", "unit-title": "Accueil", "unit-coefficient": "0"}
    )
    text = answer.content.decode()
    assert answer.status_code == 200
    assert 'id="unit-coefficient-msgs"' in text and 'hx-swap-oob="true"' in text
    coefficient = text.split('id="unit-coefficient-msgs"')[1].split("</div></div>")[0]
    assert "le coefficient doit être strictement positif (reçu : 0)" in coefficient
    # A value the form cannot take is said beside its own field too.
    text = client.post(
        url, {"part": "unit", "unit-code": "U1", "unit-title": "Accueil", "unit-coefficient": "x"}
    ).content.decode()
    assert "« x » : un nombre est attendu" in text.split('id="unit-coefficient-msgs"')[1]
    draft.refresh_from_db()
    assert draft.document == before
    # Another centre's manager: the draft does not exist for him.
    client.force_login(world.users["manager_b"])
    assert client.post(url, {"part": "unit"}).status_code == 404


def test_edit_a_bloc_and_an_exam_with_its_forms_then_the_form_comes_back_filled(
    world, draft, client
):
    url = reverse("workshop_version", args=[draft.pk])
    client.post(
        url,
        {
            "part": "candidate_status",
            "candidate_status-code": "approved",
            "candidate_status-title": "Scolaires et apprentis d'établissements habilités",
        },
    )
    client.post(url, {"part": "unit", "unit-code": "U1", "unit-title": "Accueil"})
    done = client.post(
        url,
        {
            "part": "exam",
            "exam-code": "E1",
            "exam-title": "Accueil du public",
            "exam-unit": "U1",
            "exam-coefficient": "4",
            "exam-form_approved": "ccf",
            "exam-situations_approved": "2",
        },
    )
    assert done.status_code == 302 and done["Location"].endswith("?modifier=exam:E1#exam")
    draft.refresh_from_db()
    exam = next(e for e in draft.document["exams"] if e["code"] == "E1")
    assert exam["coefficient"] == 4 and exam["forms"] == {
        "approved": {"form": "ccf", "situations": 2}
    }
    page = client.get(done["Location"])
    assert page.context["forms"]["exam"]["coefficient"].value() == "4"
    # A bloc edited: its unit unknown, the message beside the « unit » field once saved.
    client.post(
        url,
        {
            "part": "bloc",
            "bloc-code": "RNCP99901BC01",
            "bloc-title": "Accueillir et orienter le public",
            "bloc-unit": "U9",
        },
    )
    page = client.get(url, {"modifier": "bloc:RNCP99901BC01"})
    form = page.context["forms"]["bloc"]
    assert form["unit"].validator_messages == ["unité « U9 » inexistant(e) dans ce référentiel"]
    assert "unité « U9 » inexistant(e) dans ce référentiel" in page.content.decode()


def test_a_refused_value_keeps_what_was_typed_and_saves_nothing(world, draft, client):
    before = copy.deepcopy(draft.document)
    page = client.post(
        reverse("workshop_version", args=[draft.pk]),
        {
            "part": "hour_line",
            "hour_line-section": "lines",
            "hour_line-subject": "Culture générale",
            "hour_line-years": "2 ; 1 ; 1 ; 72\ndeux",
        },
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert "année 2 : « deux » n&#x27;est pas un nombre" in text
    assert "Culture générale" in text and "deux</textarea>" in text
    draft.refresh_from_db()
    assert draft.document == before


def test_a_centres_published_version_is_its_own_until_the_platform_shares_it(world, client):
    doc = copy.deepcopy(world.ref.document)
    doc.pop("version", None)
    own = services.publish(services.create_draft(doc, owner=world.cohort_a.centre))
    url = reverse("workshop_version", args=[own.pk])
    client.force_login(world.users["manager_b"])
    assert client.get(url).status_code == 404
    assert own not in m.Referentiel.objects.offered(world.cohort_b.centre)
    client.force_login(world.users["admin"])
    client.post(reverse("workshop_publish", args=[own.pk]), {"for_all": "1"})
    client.force_login(world.users["manager_b"])
    assert client.get(url).status_code == 200
    assert own in m.Referentiel.objects.offered(world.cohort_b.centre)
