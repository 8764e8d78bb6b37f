"""`livret periods check`: JSON in, JSON out; bad input exits 2 naming the learner and the field."""

import json
import subprocess
import sys

import pytest

SY = [{"start": "2024-09-01", "end": "2025-08-31"}, {"start": "2025-09-01", "end": "2026-08-31"}]


def run(payload, code="bts-mos", raw=None):
    return subprocess.run(
        [sys.executable, "-m", "livret", "periods", "check", "--referentiel", code, "--input", "-"],
        input=raw if raw is not None else json.dumps(payload),
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_results_in_the_documented_shape():
    payload = {
        "learners": [
            {
                "id": "L1",
                "status": "school",
                "school_years": SY,
                "periods": [
                    {"start": "2025-01-06", "end": "2025-02-14", "company": "ACME"},
                    {"start": "2026-01-05", "end": "2026-02-13", "company": "ACME"},
                ],
                "derogation_weeks": 12,
            },
            {
                "id": "L2",
                "status": "school",
                "school_years": SY,
                "periods": [
                    {"start": "2025-01-06", "end": "2025-02-14", "company": "ACME"},
                    {"start": "2026-01-05", "end": "2026-02-13", "company": "ACME"},
                ],
            },
            {"id": "L3", "status": "apprentice", "school_years": SY, "periods": []},
        ]
    }
    result = run(payload)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)["results"]
    assert out[0] == {
        "id": "L1",
        "applicable": True,
        "compliant": True,
        "weeks": 12,
        "violations": [],
    }
    assert out[1]["compliant"] is False and out[1]["weeks"] == 12
    assert out[1]["violations"] == [
        {
            "rule": "total-weeks",
            "message": "12 semaines de stage sur 14 exigées : 2 semaines manquantes en 2025-2026 ; prévoir 2 semaines de stage de plus.",
        }
    ]
    # The apprentice's contract stands in for the stages: a rule applies, and is met.
    assert out[2] == {
        "id": "L3",
        "applicable": True,
        "compliant": True,
        "weeks": 0,
        "violations": [],
    }


def test_a_status_without_a_rule_is_not_applicable_never_compliant():
    # The titre professionnel's file gives no stage rule.
    learner = {"id": "T", "status": "school", "school_years": SY, "periods": []}
    result = run({"learners": [learner]}, code="tp-operateur-videoprotection")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)["results"][0]
    assert (out["applicable"], out["compliant"], out["violations"]) == (False, None, [])


def test_file_input(tmp_path):
    path = tmp_path / "in.json"
    path.write_text(
        json.dumps(
            {"learners": [{"id": "A", "status": "school", "school_years": SY, "periods": []}]}
        ),
        encoding="utf-8",
    )
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "livret",
            "periods",
            "check",
            "--referentiel",
            "bts-mco",
            "--input",
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0 and json.loads(result.stdout)["results"][0]["compliant"] is False


GOOD = {"id": "OK", "status": "school", "school_years": SY, "periods": []}


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (
            {"id": "L7", "status": "stagiaire", "school_years": SY, "periods": []},
            "apprenant L7 : status « stagiaire » inconnu",
        ),
        (
            {
                "id": "L7",
                "status": "school",
                "school_years": SY,
                "periods": [{"start": "2025-02-14", "end": "2025-01-06"}],
            },
            "apprenant L7 : periods[0] se termine",
        ),
        (
            {
                "id": "L7",
                "status": "school",
                "school_years": SY,
                "periods": [
                    {"start": "2025-01-06", "end": "2025-02-14"},
                    {"start": "2025-02-10", "end": "2025-03-14"},
                ],
            },
            "apprenant L7 : periods[1] chevauche periods[0]",
        ),
        (
            {
                "id": "L7",
                "status": "school",
                "school_years": SY,
                "periods": [],
                "derogation_weeks": 9,
            },
            "apprenant L7 : derogation_weeks (9) inférieur au plancher de 10 semaines",
        ),
        (
            {
                "id": "L7",
                "status": "school",
                "school_years": SY,
                "periods": [{"start": "2023-01-09", "end": "2023-01-20"}],
            },
            "apprenant L7 : periods[0] (2023-01-09 → 2023-01-20) n'est comprise dans aucune année scolaire",
        ),
        (
            {
                "id": "L7",
                "status": "school",
                "school_years": SY,
                "periods": [{"start": "9 janvier", "end": "2025-01-20"}],
            },
            "apprenant L7 : periods[0].start doit être une date AAAA-MM-JJ",
        ),
        (
            {"id": "L7", "status": "school", "school_years": SY, "periods": [], "colour": "blue"},
            "apprenant L7 : champ(s) inconnu(s) colour",
        ),
    ],
)
def test_bad_input_exits_2_and_prints_no_partial_result(bad, message):
    result = run({"learners": [GOOD, bad]})
    assert result.returncode == 2
    assert result.stdout == ""
    assert message in result.stderr


def test_unknown_referentiel_and_broken_json():
    result = run({"learners": []}, code="bts-inconnu")
    assert result.returncode == 2 and "référentiel « bts-inconnu » inconnu" in result.stderr
    result = run(None, raw='{"learners": [')
    assert result.returncode == 2 and "JSON invalide ligne 1" in result.stderr
