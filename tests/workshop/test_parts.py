"""Each part of a diploma edited by its workshop form (livret.workshop.parts), on the small valid
référentiel of the validator's tests: what lands in the document, and which field the validator's
message is shown beside (services.faults_by_field)."""

import copy

import pytest
import yaml

from livret.referentiels.services import jsonable, validate_document
from livret.workshop import parts
from livret.workshop.services import faults_by_field
from tests.referentiels.samples import MINIMAL

BASE = jsonable(yaml.safe_load(MINIMAL))


def edit(part, **data):
    doc = copy.deepcopy(BASE)
    anchors = parts.EDITS[part](doc, **data)
    return doc, faults_by_field(validate_document(doc).faults, anchors)


def test_the_sample_is_valid():
    assert validate_document(copy.deepcopy(BASE)).faults == []


def test_a_pole_and_an_activity():
    doc, found = edit("pole", code="P2", title="Pôle deux")
    assert doc["poles"][1] == {"code": "P2", "title": "Pôle deux"} and found == {}
    doc, found = edit("activity", pole="P1", code="A1.1", title="Activité un, retitrée")
    assert doc["poles"][0]["activities"][0]["title"] == "Activité un, retitrée" and found == {}
    with pytest.raises(parts.EditError) as exc:
        edit("activity", pole="P9", code="A9", title="X")
    assert exc.value.field == "pole" and "pôle « P9 » inexistant" in str(exc.value)


def test_a_duplicate_code_is_shown_beside_the_code():
    # A new pole coded like an existing activity: the validator names the double code.
    _, found = edit("pole", code="A1.1", title="Doublon")
    assert [m for m in found["code"] if "en double" in m]


def test_a_competence_outside_every_bloc_is_said_beside_its_code():
    doc, found = edit("competence", code="A1.1C3", title="Compétence trois", activity="A1.1")
    assert {"code": "A1.1C3", "title": "Compétence trois"} in doc["poles"][0]["activities"][0][
        "competences"
    ]
    assert found == {"code": ["la compétence « A1.1C3 » n'appartient à aucun bloc de compétences"]}
    _, found = edit(
        "competence", code="A1.1C3", title="Compétence trois", activity="A1.1", bloc="B1"
    )
    assert found == {}


def test_a_savoir_under_its_activity():
    doc, found = edit("knowledge", activity="A1.1", code="A1.1S2", title="Savoir deux", limits="")
    assert doc["poles"][0]["activities"][0]["knowledge"][1] == {
        "code": "A1.1S2",
        "title": "Savoir deux",
    }
    assert found == {}


def test_a_bloc_naming_an_unknown_competence():
    _, found = edit("bloc", code="B1", title="Bloc un", unit="U1", competences="A1.1C1\nZZ9")
    assert found == {"competences": ["compétence « ZZ9 » inexistant(e) dans ce référentiel"]}
    doc, _ = edit("bloc", code="B1", title="Bloc un, retitré", unit="U1")  # competences kept
    assert doc["blocs"][0]["competences"] == ["A1.1C1", "A1.1C2"]
    doc, _ = edit("bloc", code="B1", title="Bloc un", unit="U1", competences="", activities="")
    assert doc["blocs"][0]["competences"] == ["A1.1C1", "A1.1C2"]  # an empty field keeps them
    doc, found = edit("bloc", code="B1", title="Bloc un", unit="U1", competences="-")
    assert "competences" not in doc["blocs"][0]
    assert "la compétence « A1.1C1 » n'appartient à aucun bloc de compétences" in str(
        validate_document(doc).faults
    )


def test_a_unit_with_a_zero_coefficient():
    doc, found = edit("unit", code="U3", title="Unité trois", coefficient="0")
    assert doc["exams"][-1] == {
        "code": "E3",
        "title": "Unité trois",
        "unit": "U3",
        "coefficient": 0,
    }
    assert found == {"coefficient": ["le coefficient doit être strictement positif (reçu : 0)"]}
    with pytest.raises(parts.EditError) as exc:
        edit("unit", code="U3", title="Unité trois", coefficient="trois")
    assert exc.value.field == "coefficient"


def test_an_exam_with_its_form_per_candidate_status():
    doc, found = edit(
        "exam",
        code="E1",
        title="Épreuve un",
        unit="U1",
        coefficient="4",
        competences="A1.1C1",
        forms={
            "approved": {"form": "ccf", "situations": "2", "label": "CCF 2 situations"},
            "other": {"form": "written", "duration_minutes": "240"},
        },
    )
    assert doc["exams"][0]["forms"] == {
        "approved": {"form": "ccf", "situations": 2, "label": "CCF 2 situations"},
        "other": {"form": "written", "duration_minutes": 240},
    }
    assert found == {}
    # A CCF given a duration and no number of situations: beside that status's form.
    _, found = edit(
        "exam",
        code="E1",
        title="Épreuve un",
        unit="U1",
        coefficient="4",
        forms={"approved": {"form": "ccf", "duration_minutes": "60", "situations": ""}},
    )
    assert found == {
        "form_approved": ["un CCF se décrit par son nombre de situations (situations)"]
    }


def test_an_exam_edit_keeps_what_its_form_does_not_carry():
    doc = copy.deepcopy(BASE)
    doc["exams"][0]["forms"]["other"]["note"] = "(2) selon la note du règlement"
    doc["exams"][0]["criteria"] = ["Le diagnostic est pertinent."]
    parts.exam(
        doc,
        code="E1",
        title="Épreuve un",
        unit="U1",
        coefficient="4",
        competences="A1.1C1",
        forms={"other": {"form": "oral", "label": "", "duration_minutes": "40", "situations": ""}},
    )
    assert doc["exams"][0]["forms"]["other"] == {
        "form": "oral",
        "duration_minutes": 40,
        "note": "(2) selon la note du règlement",
    }
    assert doc["exams"][0]["criteria"] == ["Le diagnostic est pertinent."]


def test_a_sub_exam_whose_coefficient_breaks_the_sum():
    _, found = edit(
        "exam", code="E21", title="Sous-épreuve un", unit="U21", parent="E2", coefficient="2"
    )
    assert found == {
        "parent": ["le coefficient 3 de l'épreuve diffère de la somme de ses sous-épreuves (3.5)"]
    }


def test_the_pass_rule_family():
    doc, found = edit("pass_rule", family="bac_pro", min_average="10", control_exams=True)
    assert doc["pass_rule"] == {"min_average": 10, "control_exams": True}
    assert doc["certification"]["family"] == "bac_pro"
    # A Bac pro with no practice unit: the validator's message concerns the units.
    assert not found and "practice: true" in str(validate_document(doc).faults)
    _, found = edit("pass_rule", family="titre_pro", min_average="10")
    assert found == {"ccps": ["un titre professionnel liste ses CCP (ccps)"]}


def test_a_period_rule():
    doc, found = edit(
        "period_rule",
        placement_kind="stage",
        id="total-weeks",
        title="Durée totale",
        statuses=["school"],
        min_total_weeks="8",
        derogation_floor_weeks="10",
    )
    assert doc["work_placement"]["rules"][0]["min_total_weeks"] == 8
    assert found == {
        "derogation_floor_weeks": ["le plancher de dérogation (10) dépasse la durée exigée (8)"]
    }
    with pytest.raises(parts.EditError) as exc:
        edit("period_rule", id="x", title="X", statuses=[])
    assert exc.value.field == "placement_kind"


def test_an_hour_line_and_the_declared_total():
    doc, found = edit(
        "hour_line", section="lines", subject="Matière un", years="2 ; ; ; 72\n4 ; ; ; 144"
    )
    assert doc["hour_grid"]["lines"][0]["years"] == [
        {"weekly": 2, "annual": 72},
        {"weekly": 4, "annual": 144},
    ]
    assert found == {
        "years": [
            "année 2, horaire hebdomadaire : total déclaré 4, somme des lignes 5",
            "année 2, volume annuel : total déclaré 144, somme des lignes 180",
        ]
    }
    with pytest.raises(parts.EditError) as exc:
        edit("hour_line", section="lines", subject="Matière un", years="2 ; x")
    assert exc.value.field == "years" and "année 1 : « x » n'est pas un nombre" in str(exc.value)


def test_remove_leaves_the_validator_to_point_at_what_names_it():
    doc, _ = edit("remove", code="A1.1C2")
    assert [c["code"] for c in doc["poles"][0]["activities"][0]["competences"]] == ["A1.1C1"]
    assert "compétence « A1.1C2 » inexistant(e)" in str(validate_document(doc).faults)
