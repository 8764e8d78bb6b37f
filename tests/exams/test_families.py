"""A Bac pro and a CAP session deliberated in the app give exactly what `livret jury compute`
gives on the same grades: decision, average, reasons and mention (each family's own rule, never
the BTS's). The shipped Bac pro and CAP files have no units yet: these files are made for the test,
shaped like the texts (the Bac pro's pratique professionnelle unit E2, the CAP's EP units)."""

import csv
import io
import json

import pytest
from django.urls import reverse

from livret.exams.models import Candidate, ExamSession
from livret.jury_cli import run_document
from livret.people.models import Profile
from livret.referentiels.loader import load_bytes
from tests.world import make_user

HEAD = """\
format: 1
version: 2026-01-15
rncp: {{}}
completeness: complete
sources: [seeds/001]
id: {id}
title: {title}
kind: {kind}
certification: {{family: {kind}}}
"""

BAC_PRO = (
    HEAD.format(id="bacpro-test", title="Bac pro de test", kind="bac_pro")
    + """\
units:
  - {code: E1, title: Épreuve générale un, domain: general}
  - {code: E2, title: Pratique professionnelle, domain: professional, practice: true}
  - {code: E3, title: Épreuve professionnelle, domain: professional}
  - {code: E5, title: Épreuve générale deux, domain: general}
exams:
  - {code: XE1, title: Épreuve générale un, unit: E1, coefficient: 2}
  - {code: XE2, title: Pratique professionnelle, unit: E2, coefficient: 4}
  - {code: XE3, title: Épreuve professionnelle, unit: E3, coefficient: 2}
  - {code: XE5, title: Épreuve générale deux, unit: E5, coefficient: 2}
"""
)

CAP = (
    HEAD.format(id="cap-test", title="CAP de test", kind="cap")
    + """\
units:
  - {code: EP1, title: Professionnelle un, domain: professional}
  - {code: EP2, title: Professionnelle deux, domain: professional}
  - {code: EG1, title: Générale un, domain: general}
  - {code: EG2, title: Générale deux, domain: general}
exams:
  - {code: XEP1, title: Professionnelle un, unit: EP1, coefficient: 4}
  - {code: XEP2, title: Professionnelle deux, unit: EP2, coefficient: 4}
  - {code: XEG1, title: Générale un, unit: EG1, coefficient: 3}
  - {code: XEG2, title: Générale deux, unit: EG2, coefficient: 2}
"""
)

# Candidate → grades, in the units' order. Each line is a case where the BTS rule says otherwise.
BAC_PRO_GRADES = {
    "B1": ["14", "14", "14", "14"],  # bien (the BTS rule: no mention)
    "B2": ["18", "18", "18", "18"],  # très bien avec les félicitations du jury
    "B3": ["9", "12", "8", "8"],  # 9,80 and 12 in pratique professionnelle: épreuve de contrôle
    "B4": ["9", "9", "9", "9"],  # 9 but 9 in pratique professionnelle: ajourné
    "B5": ["7", "7", "7", "7"],  # under 8: ajourné
    "B6": ["12,5", "13", "12", "11,75"],  # assez bien
}
CAP_GRADES = {
    "C1": ["14", "14", "14", "14"],  # bien
    "C2": ["8", "8", "16", "16"],  # 11,08 overall, 8 in the EP units: not delivered (BTS: admis)
    "C3": ["12", "12", "12", "12"],  # assez bien
    "C4": ["9", "9", "9", "9"],  # ajourné
    "C5": ["16", "16", "16", "16"],  # très bien
}


@pytest.fixture
def examens_a(world, django_user_model):
    return make_user(django_user_model, "examens_a", Profile.EXAM_ADMIN, world.cohort_a.centre)


def _session(world, text, grades):
    ref = load_bytes(text.encode(), "test.yaml").referentiel
    session = ExamSession.objects.create(
        referentiel=ref, organiser=world.cohort_a.centre, year=2027, name=f"Session {ref}"
    )
    for i, number in enumerate(grades):
        Candidate.objects.create(
            session=session, number=number, first_name="Candidat", last_name=f"N{i}"
        )
    return session


def _web(client, session, units, grades) -> dict:
    """Type every grade in the session's grid, then read the results back from the CSV export."""
    by_number = {c.number: c.pk for c in session.candidates.all()}
    typed = {
        f"g-{by_number[number]}-{unit}": value
        for number, values in grades.items()
        for unit, value in zip(units, values, strict=True)
    }
    response = client.post(reverse("exam_grades", args=[session.pk]), typed)
    assert response.status_code == 302, response.content.decode()[:2000]
    text = client.get(reverse("exam_csv", args=[session.pk])).content.decode("utf-8-sig")
    return {row["numero"]: row for row in csv.DictReader(io.StringIO(text), delimiter=";")}


def _cli(session, units, grades) -> dict:
    """`livret jury compute` on the same file and the same grades, as typed."""
    payload = {
        "candidates": [
            {"id": number, "grades": dict(zip(units, values, strict=True))}
            for number, values in grades.items()
        ]
    }
    out = run_document("test", session.referentiel.document, json.dumps(payload))
    return {r["id"]: r for r in out["results"]}


@pytest.mark.parametrize(
    "text, units, grades",
    [
        (BAC_PRO, ["E1", "E2", "E3", "E5"], BAC_PRO_GRADES),
        (CAP, ["EP1", "EP2", "EG1", "EG2"], CAP_GRADES),
    ],
    ids=["bac_pro", "cap"],
)
def test_the_session_page_and_the_cli_give_the_same_results(
    client, world, examens_a, text, units, grades
):
    session = _session(world, text, grades)
    client.force_login(examens_a)
    web = _web(client, session, units, grades)
    cli = _cli(session, units, grades)
    assert web.keys() == cli.keys()
    for number, expected in cli.items():
        got = web[number]
        assert (
            got["decision_calculee"],
            got["moyenne"].replace(",", "."),
            got["mention"],
            got["motifs"],
        ) == (
            expected["decision"],
            expected["average"],
            expected["mention"],
            " ; ".join(expected["reasons"]),
        ), number


def test_a_bac_pro_candidate_with_14_everywhere_is_admitted_with_bien(client, world, examens_a):
    session = _session(world, BAC_PRO, BAC_PRO_GRADES)
    client.force_login(examens_a)
    web = _web(client, session, ["E1", "E2", "E3", "E5"], BAC_PRO_GRADES)
    assert (web["B1"]["decision_calculee"], web["B1"]["mention"]) == ("admis", "bien")
    assert web["B3"]["decision_calculee"] == "rattrapage"
    # The deliberation page and the signed minutes say the same.
    page = client.get(reverse("exam_deliberation", args=[session.pk])).content.decode()
    assert "Admis — bien" in page and "très bien avec les félicitations du jury" in page


def test_a_cap_candidate_under_10_in_the_professional_units_is_not_delivered(
    client, world, examens_a
):
    session = _session(world, CAP, CAP_GRADES)
    client.force_login(examens_a)
    web = _web(client, session, ["EP1", "EP2", "EG1", "EG2"], CAP_GRADES)
    assert web["C2"]["decision_calculee"] == "ajourne"
    assert "unités professionnelles 8,00 inférieure à 10" in web["C2"]["motifs"].replace(".", ",")
    r = client.post(reverse("exam_sign", args=[session.pk]))
    assert r.status_code == 302
    snapshot = {row["number"]: row for row in session.current_deliberation().snapshot}
    assert (snapshot["C2"]["final"], snapshot["C1"]["mention"]) == ("ajourne", "bien")


@pytest.mark.parametrize(
    "code, family",
    [
        ("bts-mos", "bts"),
        ("bacpro-metiers-securite", "bac_pro"),
        ("cap-agent-securite", "cap"),
        ("tp-operateur-videoprotection", "titre_pro"),
    ],
)
def test_each_shipped_file_has_its_family(code, family):
    from livret.engine.families import family_of
    from livret.exams.families import FAMILIES
    from livret.referentiels.files import referentiel_document

    assert family_of(referentiel_document(code)) == family
    assert FAMILIES[family].code == family


def test_the_exams_modules_import_in_no_circle():
    """Relative and absolute imports between livret/exams modules, function-level ones included."""
    import ast
    from pathlib import Path

    import livret.exams

    root = Path(livret.exams.__file__).parent
    deps = {}
    for f in root.glob("*.py"):
        found = set()
        for n in ast.walk(ast.parse(f.read_text())):
            if isinstance(n, ast.ImportFrom):
                if n.level == 1:
                    found |= {n.module.split(".")[0]} if n.module else {a.name for a in n.names}
                elif (n.module or "").startswith("livret.exams."):
                    found.add(n.module.split(".")[2])
                elif n.module == "livret.exams":
                    found |= {a.name for a in n.names}
        deps[f.stem] = found

    def reach(m, seen):
        for d in deps.get(m, ()):
            if d not in seen:
                seen.add(d)
                reach(d, seen)
        return seen

    assert [m for m in deps if m in reach(m, set())] == []
