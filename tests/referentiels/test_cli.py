"""The `livret` command: exit statuses, messages, and the JSON tree."""

import json
import subprocess
import sys

from livret.cli import main

from .samples import MINIMAL, line_of


def run(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "livret", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
    )


def test_validate_exit_status(tmp_path, referentiel_dir):
    good = run("referentiel", "validate", *map(str, sorted(referentiel_dir.glob("*.yaml"))))
    assert good.returncode == 0, good.stderr
    assert (
        "bts-mos_2026-11-22.yaml: valide (4 pôles, 11 activités, 48 tâches, 82 compétences, 61 savoirs, 5 groupes de module, 11 blocs, 11 unités, 13 épreuves)"
        in good.stdout
    )

    bad = tmp_path / "bad.yaml"
    bad.write_text(
        MINIMAL.replace("coefficient: 4", "coefficient: 0").replace("[A1.1C1, A1.1C2]", "[A1.1C1]"),
        encoding="utf-8",
    )
    result = run("referentiel", "validate", str(bad))
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    line = line_of(MINIMAL, "coefficient: 4")
    assert (
        f"{bad}:{line}: exams[0].coefficient: le coefficient doit être strictement positif (reçu : 0)"
        in lines
    )
    assert any("n'appartient à aucun bloc" in line for line in lines)
    assert lines[-1] == f"{bad}: 2 erreur(s)"


def test_show_json_is_the_whole_tree(referentiels, capsys):
    assert main(["referentiel", "show", "bts-mos", "--format", "json"]) == 0
    tree = json.loads(capsys.readouterr().out)
    assert tree["id"] == "bts-mos" and tree["rncp"]["code"] == "RNCP41000"
    competences = [c for p in tree["poles"] for a in p["activities"] for c in a["competences"]]
    assert len(competences) == 52 and all(c["code"] and c["title"] for c in competences)
    coefficients = {
        e["code"]: e.get("coefficient") for x in tree["exams"] for e in [x, *x.get("parts", [])]
    }
    assert coefficients["E4"] == 8 and coefficients["E21"] == 2


def test_show_text_and_list(referentiels, capsys):
    assert main(["referentiel", "show", "bts-mco", "--format", "text"]) == 0
    out = capsys.readouterr().out
    assert (
        "Référentiel partiel" in out
        and "Épreuve E41 Développement de la relation client et vente conseil coef. 3" in out
    )
    assert main(["referentiel", "list"]) == 0
    out = capsys.readouterr().out
    assert "bts-mos" in out and "RNCP41000" in out and "82 compétences" in out


def test_show_unknown(db, capsys):
    assert main(["referentiel", "show", "bts-inconnu"]) == 1
    assert "introuvable" in capsys.readouterr().err


def test_load_bad_file_exit_1(db, tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: 1\nid: [\n", encoding="utf-8")
    assert main(["referentiel", "load", str(bad)]) == 1
    assert "Rien n'a été chargé." in capsys.readouterr().err
