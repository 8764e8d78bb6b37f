"""The facts corrected from the official texts (../shared/SOURCES.md), read from the loaded
référentiels: the BTS MCO's règlement d'examen of 2018 (arrêté du 15 octobre 2018, annexe II c) and
its blocs (annexe I b), the 2024 règlement as a second version that computes nothing it has not
read, the titre professionnel's end of validity, the Bac pro's RNCP code from a secondary source."""

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings

from livret.engine import candidates
from livret.jury_cli import InputError, run_document
from livret.referentiels import models as m
from livret.referentiels.loader import load_files

DIR = settings.REFERENTIEL_DIR


@pytest.fixture
def mco(db):
    return load_files([DIR / "bts-mco_2026-12-04.yaml"])[0].referentiel


@pytest.fixture
def mco_2024(db):
    return load_files([DIR / "bts-mco_2026-12-03.yaml"])[0].referentiel


def _exam(ref, code):
    return m.Exam.objects.get(referentiel=ref, code=code)


def test_e21_is_a_two_hour_written_test(mco):
    forms = _exam(mco, "E21").forms
    assert forms["approved"]["duration_minutes"] == 120
    assert forms["other"]["duration_minutes"] == 120
    assert forms["extended_ccf"] == {
        "form": "ccf",
        "label": "CCF 2 situations d'évaluation",
        "situations": 2,
    }


def test_the_three_columns_of_the_reglement(mco):
    statuses = mco.document["candidate_statuses"]
    assert [s["code"] for s in statuses] == ["approved", "extended_ccf", "other"]
    assert statuses[1]["title"] == (
        "Formation professionnelle continue dans les établissements publics habilités à "
        "pratiquer le CCF étendu"
    )
    assert "3 ans d'expérience professionnelle" in statuses[2]["title"]


@pytest.mark.parametrize("code", ["E41", "E22"])
def test_ccf_in_the_first_column_ponctual_in_the_third(mco, code):
    forms = _exam(mco, code).forms
    assert forms["approved"]["form"] == "ccf"
    assert forms["extended_ccf"]["form"] == "ccf"
    assert forms["other"]["form"] == "oral"


def test_e41_is_a_30_minute_oral_only_for_the_third_column(mco):
    forms = _exam(mco, "E41").forms
    assert forms["other"]["duration_minutes"] == 30
    assert "duration_minutes" not in forms["approved"]


@pytest.mark.parametrize("code", ["E42", "E5", "E6", "EF1", "EF2", "EF3"])
def test_rows_not_read_declare_no_form(mco, code):
    assert _exam(mco, code).forms == {}
    exams = mco.document["exams"]
    flat = {e["code"]: e for x in exams for e in [x, *(x.get("parts") or [])]}
    assert "Formes par colonne non lues" in flat[code]["note"]
    assert any("E42, E5, E6" in line for line in mco.document["missing"])


def test_coefficients_unchanged(mco):
    coefficients = {
        e.code: e.coefficient for e in m.Exam.objects.filter(referentiel=mco, optional=False)
    }
    assert coefficients == {
        "E1": Decimal(3),
        "E2": Decimal(3),
        "E21": Decimal("1.5"),
        "E22": Decimal("1.5"),
        "E3": Decimal(3),
        "E4": Decimal(6),
        "E41": Decimal(3),
        "E42": Decimal(3),
        "E5": Decimal(3),
        "E6": Decimal(3),
    }


def test_a_learner_falls_in_the_column_the_reglement_gives_him(mco):
    codes = [s["code"] for s in mco.document["candidate_statuses"]]
    assert candidates.column(codes, "apprentice", habilitated=True, public=False) == "approved"
    # « formation professionnelle continue dans les établissements publics habilités »: column 1,
    # unless the centre is habilitated for the extended CCF (chosen at registration).
    assert candidates.column(codes, "continuing", habilitated=True, public=True) == "approved"
    assert candidates.column(codes, "school", habilitated=False, public=False) == "other"


def test_blocs_1_and_2_with_their_competences(mco):
    blocs = {b.code: b for b in m.Bloc.objects.filter(referentiel=mco).select_related("unit")}
    titles = {code: [c.title for c in b.competences.order_by("code")] for code, b in blocs.items()}
    assert blocs["B1"].title == "Développer la relation client et assurer la vente conseil"
    assert blocs["B1"].unit.code == "U41"
    assert titles["B1"] == [
        "Assurer la veille informationnelle",
        "Réaliser des études commerciales",
        "Vendre",
        "Entretenir la relation client",
    ]
    assert blocs["B2"].title == "Animer et dynamiser l'offre commerciale"
    assert blocs["B2"].unit.code == "U42"
    assert titles["B2"] == [
        "Élaborer et adapter en continu l'offre de produits et de services",
        "Organiser l'espace commercial",
        "Développer les performances de l'espace commercial",
        "Concevoir et mettre en place la communication commerciale",
        "Évaluer l'action commerciale",
    ]


def test_blocs_3_and_4_titles_only(mco):
    blocs = {b.code: b for b in m.Bloc.objects.filter(referentiel=mco).select_related("unit")}
    assert (blocs["B3"].title, blocs["B3"].unit.code) == ("Assurer la gestion opérationnelle", "U5")
    assert (blocs["B4"].title, blocs["B4"].unit.code) == ("Manager l'équipe commerciale", "U6")
    assert blocs["B3"].competences.count() == blocs["B4"].competences.count() == 0
    assert any("blocs 3" in line for line in mco.document["missing"])


def test_the_2024_reglement_is_a_second_version_that_says_what_it_lacks(mco, mco_2024):
    versions = m.Referentiel.objects.filter(diploma__slug="bts-mco").values_list(
        "version", flat=True
    )
    assert set(versions) == {dt.date(2026, 12, 3), dt.date(2026, 12, 4)}
    doc = mco_2024.document
    assert doc["short_title"] == "BTS MCO (règlement 2024)"
    assert any(line.startswith("première session") for line in doc["missing"])
    assert any(line.startswith("E5 Développement de la relation client") for line in doc["notes"])
    assert not m.Exam.objects.filter(referentiel=mco_2024).exists()
    # Nothing is computed on a règlement not read in full: the engine says what is missing.
    with pytest.raises(InputError, match="ne donne pas de règlement d'examen.*première session"):
        run_document("bts-mco", doc, '{"candidates": []}')


def test_the_titre_pro_ends_on_15_september_2026_and_says_how_long_ccps_count(db):
    tp = load_files([DIR / "tp-operateur-videoprotection_2026-12-04.yaml"])[0].referentiel
    assert tp.document["rncp"]["valid_until"] == "2026-09-15"
    assert any("art. 3" in s for s in tp.document["certification"]["sources"])
    assert not any("durée de validité d'un CCP" in line for line in tp.document["missing"])


def test_the_bac_pro_rncp_code_is_marked_secondary(db):
    bacpro = load_files([DIR / "bacpro-metiers-securite_2026-12-04.yaml"])[0].referentiel
    assert bacpro.rncp_code == "RNCP19114"
    assert any(
        "RNCP19114" in line and "source secondaire" in line for line in bacpro.document["missing"]
    )


def test_the_page_lists_what_is_missing_and_who_can_complete_it(logged_client, mco, mco_2024):
    from django.urls import reverse

    url = reverse("exams", args=["bts-mco"])
    html = logged_client.get(url, {"version": "2026-12-03"}).content.decode()
    assert "première session à laquelle ce règlement d&#x27;examen s&#x27;applique" in html
    assert "dans l'atelier des référentiels" in html
    html = logged_client.get(url).content.decode()  # the current version: the 2018 règlement
    assert "Formation continue, établissement public habilité au CCF étendu" in html
