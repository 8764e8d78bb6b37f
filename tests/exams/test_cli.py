"""`livret jury compute`: the documented JSON shape, and exit 2 on bad input with no partial result."""

import json
import subprocess
import sys

import pytest

GOOD = {
    "id": "A0",
    "grades": {"U1": 10, "U21": 10, "U22": 10, "U3": 10, "U4": 10, "U51": 10, "U52": 10, "U6": 10},
}


def run(payload, code="bts-mos"):
    return subprocess.run(
        [sys.executable, "-m", "livret", "jury", "compute", "--referentiel", code, "--input", "-"],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_documented_shape():
    payload = {
        "candidates": [
            {
                "id": "A1",
                "grades": {
                    "U1": 12.5,
                    "U21": "9",
                    "U22": 11,
                    "U3": 10,
                    "U4": 10,
                    "U51": 10,
                    "U52": 10,
                    "U6": "ABS",
                },
                "optional": {"UF1": 14},
                "dispensed": [],
            },
            {
                "id": "A2",
                "grades": {
                    "U1": 6,
                    "U21": 8,
                    "U22": 8,
                    "U3": 8,
                    "U4": 11,
                    "U51": 10,
                    "U52": 10,
                    "U6": "9.5",
                },
            },
            {
                "id": "A3",
                "grades": {
                    "U1": 6,
                    "U21": 8,
                    "U22": 8,
                    "U3": 8,
                    "U4": 11,
                    "U51": 10,
                    "U52": 10,
                    "U6": "9.5",
                },
                "control": {"U1": 12, "U3": 11},
            },
            {
                "id": "A4",
                "grades": {"U4": 12, "U51": 12, "U52": 12, "U6": 12},
                "dispensed": ["U1", "U21", "U22", "U3"],
            },
        ]
    }
    result = run(payload)
    assert result.returncode == 0, result.stderr
    out = {r["id"]: r for r in json.loads(result.stdout)["results"]}
    assert (
        out["A1"]["decision"] == "ajourne"
        and out["A1"]["average"] == "8.78"  # 333.8 / 38 = 8.784…, cut
        and out["A1"]["reasons"][0] == "U6 : absent"
    )
    assert (out["A2"]["decision"], out["A2"]["average"]) == ("rattrapage", "9.18")
    assert (out["A3"]["decision"], out["A3"]["average"]) == (
        "admis",
        "10.28",
    )  # (349 + 24 + 18) / 38 = 10.289…, cut
    assert (out["A4"]["decision"], out["A4"]["average"], out["A4"]["reasons"]) == (
        "admis",
        "12.00",
        [],
    )


def test_mco_units_named_after_their_epreuves():
    grades = {
        "U1": 10,
        "U21": "9.5",
        "U22": "10.5",
        "U3": 10,
        "U41": 10,
        "U42": 10,
        "U5": 10,
        "U6": 10,
    }
    out = json.loads(run({"candidates": [{"id": "M", "grades": grades}]}, code="bts-mco").stdout)[
        "results"
    ][0]
    assert (out["decision"], out["average"]) == ("admis", "10.00")


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"id": "B1", "grades": {**GOOD["grades"], "U7": 10}}, "candidat B1 : unité U7 inconnue"),
        (
            {"id": "B1", "grades": GOOD["grades"], "control": {"U1": 12}},
            "candidat B1 : épreuve de contrôle en U1 refusée, admis au premier groupe (moyenne 10,00)",
        ),
        (
            {"id": "B1", "grades": {k: v for k, v in GOOD["grades"].items() if k != "U52"}},
            "candidat B1 : unité obligatoire U52 ni notée ni dispensée",
        ),
        (
            {"id": "B1", "grades": {**GOOD["grades"], "U4": 21}},
            "candidat B1 : note de U4 hors de 0–20",
        ),
        (
            {"id": "B1", "grades": {**GOOD["grades"], "U4": "12.345"}},
            "candidat B1 : note de U4 avec plus de deux décimales",
        ),
        (
            {"id": "B1", "grades": GOOD["grades"], "dispensed": ["U3"]},
            "candidat B1 : unité U3 à la fois dispensée et notée",
        ),
        (
            {
                "id": "B1",
                "grades": {k: v for k, v in GOOD["grades"].items() if k != "U6"},
                "dispensed": ["U6"],
            },
            "candidat B1 : le référentiel ne permet pas de dispense de U6",
        ),
    ],
)
def test_bad_input(bad, message):
    result = run({"candidates": [GOOD, bad]})
    assert result.returncode == 2 and result.stdout == "" and message in result.stderr


def test_partial_referentiel_without_exam_table():
    result = run({"candidates": []}, code="cap-agent-securite")
    assert result.returncode == 2 and "ne donne pas de règlement d'examen" in result.stderr


def test_unknown_referentiel():
    result = run({"candidates": []}, code="bts-inconnu")
    assert (
        result.returncode == 2
        and "référentiel « bts-inconnu » inconnu" in result.stderr
        and result.stdout == ""
    )


def test_titre_pro_the_jury_decides_ccp_by_ccp():
    payload = {
        "session_date": "2027-06-30",  # inside the titre's capitalisation window
        "candidates": [
            {"id": "T1", "ccp": {"CCP1": "acquis", "CCP2": "acquis"}},
            {"id": "T2", "ccp": {"CCP1": "acquis", "CCP2": "non_acquis"}},
            {"id": "T3", "ccp": {"CCP2": "acquis"}, "acquired_before": ["CCP1"]},
        ],
    }
    result = run(payload, code="tp-operateur-videoprotection")
    assert result.returncode == 0, result.stderr
    out = {r["id"]: r for r in json.loads(result.stdout)["results"]}
    assert (out["T1"]["decision"], out["T1"]["ccp_missing"]) == ("titre", [])
    assert (out["T2"]["decision"], out["T2"]["ccp_acquired"], out["T2"]["ccp_missing"]) == (
        "partiel",
        ["CCP1"],
        ["CCP2"],
    )
    assert (out["T3"]["decision"], out["T3"]["ccp_acquired_now"]) == ("titre", ["CCP2"])
    assert "average" not in out["T1"]  # no average in this family


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"id": "T9", "ccp": {"CCP3": "acquis"}}, "candidat T9 : CCP3 n'est pas un CCP du titre"),
        ({"id": "T9", "ccp": {"CCP1": "oui"}}, "candidat T9 : décision « oui » pour CCP1"),
        ({"id": "T9", "grades": {"U1": 12}}, "candidat T9 : champ(s) inconnu(s) grades"),
    ],
)
def test_titre_pro_bad_input_exits_2_with_no_partial_result(bad, message):
    good = {"id": "T1", "ccp": {"CCP1": "acquis", "CCP2": "acquis"}}
    result = run({"candidates": [good, bad]}, code="tp-operateur-videoprotection")
    assert result.returncode == 2 and result.stdout == ""
    assert message in result.stderr


@pytest.mark.parametrize("code", ["bacpro-metiers-securite", "cap-agent-securite"])
def test_a_file_without_its_reglement_says_what_is_missing(code):
    result = run({"candidates": [{"id": "X1", "grades": {"U1": 12}}]}, code=code)
    assert result.returncode == 2 and result.stdout == ""
    assert f"le référentiel {code} ne donne pas de règlement d'examen (manquant :" in result.stderr
    assert "règlement d'examen" in result.stderr.split("(manquant :", 1)[1]
