"""Import from France compétences' open data: both exports, every HTML list shape, entities, BOM,
accented member names, inactive and absent fiches, truncated files; drafts, idempotency."""

import io
import json
import unicodedata
import zipfile
from pathlib import Path

import pytest

from livret.cli import main
from livret.referentiels import models as m
from livret.referentiels.loader import load_bytes
from livret.referentiels.rncp import RncpError, html_items, read_fiche
from livret.referentiels.services import validate_document

from .samples import MINIMAL

FIXTURES = Path(__file__).parent / "fixtures"
XML = FIXTURES / "rncp-v4-1.xml"


def csv_zip(tmp_path, form="NFC", flag=True, truncate=0):
    """The CSV export as France compétences zips it; member names in NFC or NFD, with or without
    the zip's UTF-8 flag."""
    path = tmp_path / "export-fiches-csv-2026-12-01.zip"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for part, fixture in [
            ("Standard", "csv_Standard.csv"),
            ("Blocs_De_Compétences", "csv_Blocs_De_Competences.csv"),
            ("Certificateurs", "csv_Certificateurs.csv"),
        ]:
            name = unicodedata.normalize(form, f"export_fiches_CSV_{part}_2026_12_01.csv")
            info = zipfile.ZipInfo(name)
            data = (FIXTURES / fixture).read_bytes()
            if not flag:  # a tool that writes UTF-8 names without saying so
                info = zipfile.ZipInfo(name.encode("utf-8").decode("cp437"))
            zf.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
    raw = buffer.getvalue()
    path.write_bytes(raw[: len(raw) - truncate] if truncate else raw)
    return path


def read(path, number):
    with open(path, "rb") as stream:
        return read_fiche(stream, path.name, number)


# --- HTML lists -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "fragment, items",
    [
        ("<ul><li>Un</li><li>Deux <em>et</em> trois</li></ul>", ["Un", "Deux et trois"]),
        ("<p>Intro :</p><ul><li>Un</li></ul>", ["Un"]),
        ("<p>- Un<br>- Deux<br/>– Trois</p>", ["Un", "Deux", "Trois"]),
        ("Titre\n- Un\n- Deux", ["Un", "Deux"]),
        ("<p>Un<br>Deux</p><p>Trois</p>", ["Un", "Deux", "Trois"]),
        (
            "<p>L&rsquo;accueil &amp; l&#39;orientation&nbsp;du public</p>",
            ["L’accueil & l'orientation du public"],
        ),
        ("&lt;li&gt;Échappé deux fois&lt;/li&gt;", ["Échappé deux fois"]),
        ("", []),
    ],
)
def test_competence_lists_of_each_shape(fragment, items):
    assert html_items(fragment) == items


# --- XML V4.1 -------------------------------------------------------------------------------
def test_xml_fiche_read_with_its_blocs_and_competences():
    fiche = read(XML, "RNCP99901")
    assert fiche.title == "BTS - Gestion des espaces d'accueil" and fiche.level == 5
    assert fiche.end_of_registration.isoformat() == "2029-08-31"
    assert fiche.certifiers == ["MINISTERE DE L'ENSEIGNEMENT SUPERIEUR ET DE LA RECHERCHE"]
    assert [(b.code, b.competences) for b in fiche.blocs] == [
        (
            "RNCP99901BC01",
            ["Accueillir le public & l’orienter", "Identifier la demande d'un visiteur"],
        ),
        (
            "RNCP99901BC02",
            ["Contrôler les accès", "Tenir le registre des entrées", "Signaler une anomalie"],
        ),
        (
            "RNCP99901BC03",
            ["Rédiger une main courante", "Transmettre les consignes", "Alerter sa hiérarchie"],
        ),
    ]
    assert fiche.blocs[0].evaluation == "Contrôle en cours de formation\nou épreuve orale"
    for bloc in fiche.blocs:
        assert not any("<" in c or "&" in c.replace(" & ", "") for c in bloc.competences)


def test_xml_fiche_nested_deeper_is_found_too():
    assert read(XML, "99999").title == "BTS de test (fiche rénovée)"


def test_inactive_absent_and_truncated_xml_are_refused(tmp_path):
    with pytest.raises(RncpError, match=r"rncp-v4-1.xml : la fiche RNCP99902 est inactive"):
        read(XML, "RNCP99902")
    with pytest.raises(
        RncpError, match=r"rncp-v4-1.xml : fiche RNCP12345 absente \(3 fiche\(s\) lue\(s\)\)"
    ):
        read(XML, "RNCP12345")
    truncated = tmp_path / "tronque.xml"
    text = XML.read_text(encoding="utf-8")
    truncated.write_text(text[: text.index("<FICHE>", text.index("<LOT>"))], encoding="utf-8")
    # The fiche wanted comes before the cut: the file is refused all the same.
    with pytest.raises(
        RncpError, match=r"tronque.xml, ligne \d+, colonne \d+ : XML mal formé ou tronqué"
    ):
        read(truncated, "RNCP99901")


# --- CSV zip --------------------------------------------------------------------------------
@pytest.mark.parametrize("form, flag", [("NFC", True), ("NFD", True), ("NFC", False)])
def test_csv_zip_with_bom_quotes_and_accented_member_names(tmp_path, form, flag):
    fiche = read(csv_zip(tmp_path, form, flag), "RNCP99910")
    assert fiche.title == 'Titre professionnel Agent d\'accueil; sûreté "niveau 3"'
    assert fiche.abbreviation == "TP" and fiche.level == 3
    assert fiche.end_of_registration.isoformat() == "2028-09-15"
    assert [(b.code, b.title, b.competences) for b in fiche.blocs] == [
        ("RNCP99910BC01", "Accueillir; orienter", []),
        ("RNCP99910BC02", "Assurer la sûreté", []),
    ]
    assert fiche.certifiers == ["MINISTERE DU TRAVAIL DU PLEIN EMPLOI ET DE L'INSERTION"]


def test_csv_inactive_and_truncated_zip_refused(tmp_path):
    with pytest.raises(RncpError, match="la fiche RNCP99911 est inactive"):
        read(csv_zip(tmp_path), "RNCP99911")
    with pytest.raises(RncpError, match="archive zip illisible ou tronquée"):
        read(csv_zip(tmp_path, truncate=40), "RNCP99910")


# --- the command ----------------------------------------------------------------------------
def snapshot():
    return (m.Diploma.objects.count(), m.Referentiel.objects.count(), m.Competence.objects.count())


def test_import_creates_a_draft_shown_like_a_loaded_file(db, capsys):
    assert main(["referentiel", "import-rncp", str(XML), "--fiche", "RNCP99901"]) == 0
    out = json.loads(capsys.readouterr().out)
    ref = m.Referentiel.objects.get(diploma__slug=out["id"])
    assert out == {"id": "bts-gestion-des-espaces-d-accueil", "version": ref.version.isoformat()}
    assert ref.status == m.Referentiel.DRAFT and ref.owner is None
    assert not m.Competence.objects.filter(referentiel=ref).exists()  # a draft has no rows

    assert main(["referentiel", "show", out["id"], "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["status"] == "draft"
    assert doc["kind"] == "bts" and doc["level"] == 5
    assert doc["rncp"] == {
        "code": "RNCP99901",
        "valid_until": "2029-08-31",
        "certifier": "MINISTERE DE L'ENSEIGNEMENT SUPERIEUR ET DE LA RECHERCHE",
    }
    assert [b["code"] for b in doc["blocs"]] == ["RNCP99901BC01", "RNCP99901BC02", "RNCP99901BC03"]
    assert doc["blocs"][1]["competences"] == [
        "RNCP99901BC02.1",
        "RNCP99901BC02.2",
        "RNCP99901BC02.3",
    ]
    assert doc["competences"][2] == {"code": "RNCP99901BC02.1", "title": "Contrôler les accès"}
    assert doc["blocs"][0]["evaluation"] == "Contrôle en cours de formation\nou épreuve orale"
    assert doc["completeness"] == "partial" and any("épreuves" in x for x in doc["missing"])
    # Apart from the draft marker, the shape of a file: it validates as one.
    del doc["status"]
    assert validate_document(doc).faults == []

    # Run twice: nothing changes.
    before = snapshot()
    assert main(["referentiel", "import-rncp", str(XML), "--fiche", "RNCP99901"]) == 0
    assert json.loads(capsys.readouterr().out) == out
    assert snapshot() == before


def test_import_into_the_referentiel_whose_rncp_code_matches(db, capsys):
    published = load_bytes(MINIMAL.encode(), "bts-test_2026-01-15.yaml").referentiel
    assert main(["referentiel", "import-rncp", str(XML), "--fiche", "RNCP99999"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["id"] == "bts-test" and out["version"] > "2026-01-15"
    draft = m.Referentiel.objects.get(diploma__slug="bts-test", status=m.Referentiel.DRAFT)
    doc = draft.document
    assert doc["title"] == "BTS de test (fiche rénovée)"
    blocs = {b["code"]: b for b in doc["blocs"]}
    # Bloc un matched by its title: its structure kept, the fiche's list as its skills.
    assert blocs["B1"]["competences"] == ["A1.1C1", "A1.1C2"]
    assert blocs["B1"]["skills"] == ["Compétence un, libellé RNCP"]
    assert blocs["RNCP99999BC03"]["competences"] == ["RNCP99999BC03.1"]
    assert doc["exams"] == published.document["exams"]  # what the fiche does not give is kept
    assert validate_document(doc).faults == []
    published.refresh_from_db()
    assert published.status == m.Referentiel.PUBLISHED and published.title == "BTS de test"


def test_csv_import_makes_blocs_without_competences(db, tmp_path, capsys):
    assert (
        main(["referentiel", "import-rncp", str(csv_zip(tmp_path, "NFD")), "--fiche", "RNCP99910"])
        == 0
    )
    out = json.loads(capsys.readouterr().out)
    doc = m.Referentiel.objects.get(diploma__slug=out["id"]).document
    assert doc["kind"] == "titre_pro"
    assert [(b["code"], b["title"]) for b in doc["blocs"]] == [
        ("RNCP99910BC01", "Accueillir; orienter"),
        ("RNCP99910BC02", "Assurer la sûreté"),
    ]
    assert any("compétences de chaque bloc" in x for x in doc["missing"])


@pytest.mark.parametrize(
    "fiche, message",
    [
        ("RNCP99902", "rncp-v4-1.xml : la fiche RNCP99902 est inactive"),
        ("RNCP12345", "rncp-v4-1.xml : fiche RNCP12345 absente"),
        ("abc", "numéro de fiche « abc » invalide"),
    ],
)
def test_refused_imports_exit_2_and_load_nothing(db, capsys, fiche, message):
    before = snapshot()
    assert main(["referentiel", "import-rncp", str(XML), "--fiche", fiche]) == 2
    err = capsys.readouterr().err
    assert message in err and "Rien n'a été chargé." in err
    assert snapshot() == before


def test_a_broken_file_exits_2_naming_where(db, tmp_path, capsys):
    broken = tmp_path / "export.xml"
    broken.write_bytes(XML.read_bytes()[:1500])
    before = snapshot()
    assert main(["referentiel", "import-rncp", str(broken), "--fiche", "RNCP99901"]) == 2
    assert "export.xml, ligne " in capsys.readouterr().err
    assert snapshot() == before
