"""A text where a list is expected is a fault beside its line, never a crash of the validator
(the dictionary of type checks read an enum's values on every kind: a text in a list of texts
raised TypeError, a 500 on upload)."""

import re

import pytest
from django.conf import settings

from livret.referentiels.validator import validate_text

FILES = sorted(settings.REFERENTIEL_DIR.glob("*.yaml"))


@pytest.mark.parametrize("path", FILES[:3], ids=lambda p: p.name)
def test_a_text_instead_of_the_list_of_sources(path):
    text = re.sub(r"sources:\n(  - .*\n)+", "sources: un texte\n", path.read_text(), count=1)
    result = validate_text(text, path.name)
    assert not result.ok
    assert any(
        f.path == "sources" and "doit être une liste" in f.message and "un texte" in f.message
        for f in result.faults
    ), [str(f) for f in result.faults]


def test_an_enum_still_refuses_an_unknown_value():
    text = re.sub(r"(?m)^completeness: .*$", "completeness: presque", FILES[0].read_text())
    result = validate_text(text, FILES[0].name)
    assert any("presque" in f.message and "valeurs permises" in f.message for f in result.faults)
