"""Rule families stay honest: a Bac pro file must mark its pratique professionnelle units, and a
control_average for a candidate not entitled to the épreuve de contrôle is refused, naming him."""

import json

import pytest

from livret.jury_cli import InputError, run_document
from livret.referentiels.validator import validate_text
from tests.exams.test_families import BAC_PRO


def test_a_bac_pro_without_a_practice_unit_is_refused():
    assert validate_text(BAC_PRO, "bacpro.yaml").ok
    text = BAC_PRO.replace(", practice: true", "")
    faults = [str(f) for f in validate_text(text, "bacpro.yaml").faults]
    assert len(faults) == 1
    assert faults[0].startswith("bacpro.yaml:")
    assert (
        "units: un Bac pro marque les unités de l'épreuve de pratique professionnelle" in faults[0]
    )


def test_a_bac_pro_file_without_units_yet_stays_valid():
    head = BAC_PRO.split("units:")[0]
    assert validate_text(head, "bacpro.yaml").ok


def results(candidates):
    doc = validate_text(BAC_PRO, "bacpro.yaml").data
    return run_document("bacpro-test", doc, json.dumps({"candidates": candidates}))["results"]


def cand(cid, e1, e2, e3, e5, **extra):
    return {"id": cid, "grades": {"E1": e1, "E2": e2, "E3": e3, "E5": e5}, **extra}


def test_control_average_for_an_entitled_candidate_is_used():
    [r] = results([cand("ok", 9, 10, 8, 9, control_average="10")])
    assert r["decision"] == "admis"


@pytest.mark.parametrize(
    "grades, why",
    [
        ((12, 12, 12, 12), "admis au premier groupe (moyenne 12,00)"),
        ((7, 8, 7, 7), "moyenne 7,40 inférieure à 8"),
        ((10, 9, 9, 9), "9,00 à l'épreuve de pratique professionnelle, il faut au moins 10"),
    ],
)
def test_control_average_for_a_candidate_not_entitled_names_him(grades, why):
    with pytest.raises(InputError) as err:
        results([cand("ok", 9, 10, 8, 9), cand("Durand", *grades, control_average="11")])
    assert str(err.value).startswith("candidat Durand : control_average refusé")
    assert why in str(err.value)
