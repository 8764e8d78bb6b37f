"""Comparing two versions: added, removed, renamed (same title, new code), moved, retitled."""

import copy

from livret.referentiels.compare import compare
from livret.referentiels.validator import validate_text

from .samples import MINIMAL


def test_compare_two_versions():
    old = validate_text(MINIMAL, "a.yaml").data
    new = copy.deepcopy(old)
    act = new["poles"][0]["activities"][0]
    act["competences"][0]["code"] = "A1.1C9"  # renamed: same title, new code
    act["competences"][1]["title"] = "Compétence deux, réécrite"  # retitled
    new["competences"] = []  # CX1 removed
    new["poles"].append(
        {
            "code": "P2",
            "title": "Pôle deux",
            "activities": [
                {
                    "code": "A2.1",
                    "title": "Activité deux",
                    "competences": [act["competences"].pop()],
                }
            ],
        }
    )  # A1.1C2 moved under A2.1
    new["units"].append({"code": "U9", "title": "Unité neuve"})  # added
    diff = compare(old, new)
    assert diff.renamed == [("competence", "A1.1C1", "A1.1C9", "Compétence un")]
    assert diff.removed == [("competence", "CX1", "Compétence hors pôle")]
    assert ("unit", "U9", "Unité neuve") in diff.added and ("pole", "P2", "Pôle deux") in diff.added
    assert diff.moved == [("competence", "A1.1C2")]
    assert diff.retitled == [
        ("competence", "A1.1C2", "Compétence deux", "Compétence deux, réécrite")
    ]
    assert compare(old, copy.deepcopy(old)).same
