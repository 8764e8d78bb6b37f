"""The validator's fault table: each kind of fault, its message and its location (file:line + path)."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from livret.referentiels.validator import validate_bytes, validate_file, validate_text

from .samples import MINIMAL, line_of

F = "sample.yaml"


def faults(text):
    return validate_text(text, F).faults


def test_minimal_sample_is_valid():
    result = validate_text(MINIMAL, F)
    assert result.ok, [str(f) for f in result.faults]
    assert result.data["id"] == "bts-test"


def test_every_shipped_referentiel_is_valid(referentiel_dir):
    files = sorted(referentiel_dir.glob("*.yaml"))
    assert {f.name.split("_")[0] for f in files} == {
        "bts-mos",
        "bts-mco",
        "bacpro-metiers-securite",
        "cap-agent-securite",
        "tp-operateur-videoprotection",
    }
    for path in files:
        result = validate_file(str(path))
        assert result.ok, [str(f) for f in result.faults]


# (name, change to the sample, the line's marker in the changed text, expected path, words in the message)
FAULT_TABLE = [
    (
        "yaml syntax",
        lambda t: t.replace("title: Pôle un", "title: [Pôle un"),
        "activities:",
        "",
        "syntaxe YAML invalide",
    ),
    (
        "unknown key",
        lambda t: t.replace(
            "        title: Activité un\n", "        title: Activité un\n        colour: bleu\n"
        ),
        "colour: bleu",
        "poles[0].activities[0].colour",
        "clé inconnue « colour »",
    ),
    (
        "duplicate code",
        lambda t: t.replace(
            "{code: A1.1C2, title: Compétence deux}", "{code: A1.1C1, title: Compétence deux}"
        ).replace("[A1.1C1, A1.1C2]", "[A1.1C1]"),
        "title: Compétence deux",
        "poles[0].activities[0].competences[1].code",
        "code « A1.1C1 » en double",
    ),
    (
        "reference to a missing competence",
        lambda t: t.replace("    competences: [A1.1C1]\n", "    competences: [A1.1C9]\n"),
        "competences: [A1.1C9]",
        "exams[0].competences[0]",
        "compétence « A1.1C9 » inexistant",
    ),
    (
        "reference to a missing unit",
        lambda t: t.replace("    unit: U1\n    coefficient: 4", "    unit: U7\n    coefficient: 4"),
        "unit: U7",
        "exams[0].unit",
        "unité « U7 » inexistant",
    ),
    (
        "competence in no bloc",
        lambda t: t.replace("[A1.1C1, A1.1C2]", "[A1.1C1]"),
        "Compétence deux",
        "poles[0].activities[0].competences[1].code",
        "« A1.1C2 » n'appartient à aucun bloc",
    ),
    (
        "coefficient zero",
        lambda t: t.replace("coefficient: 4", "coefficient: 0"),
        "coefficient: 0",
        "exams[0].coefficient",
        "strictement positif",
    ),
    (
        "coefficient negative",
        lambda t: t.replace("coefficient: 4", "coefficient: -2"),
        "coefficient: -2",
        "exams[0].coefficient",
        "strictement positif",
    ),
    (
        "coefficient not a number",
        lambda t: t.replace("coefficient: 4", "coefficient: quatre"),
        "coefficient: quatre",
        "exams[0].coefficient",
        "doit être un nombre",
    ),
    (
        "hour grid total",
        lambda t: t.replace("{weekly: 6, annual: 216}", "{weekly: 7, annual: 216}"),
        "{weekly: 7, annual: 216}",
        "hour_grid.total.years[0].weekly",
        "total déclaré 7, somme des lignes 6",
    ),
    (
        "sub-épreuves do not add up",
        lambda t: t.replace("    coefficient: 3\n", "    coefficient: 5\n"),
        "coefficient: 5",
        "exams[1].coefficient",
        "diffère de la somme de ses sous-épreuves (3.0)",
    ),
    (
        "missing required key",
        lambda t: t.replace("title: BTS de test\n", ""),
        "format: 1",
        "",
        "clé obligatoire « title » absente",
    ),
    (
        "unknown exam form",
        lambda t: t.replace(
            "{form: oral, duration_minutes: 30}", "{form: telepathy, duration_minutes: 30}"
        ),
        "form: telepathy",
        "exams[0].forms.other.form",
        "valeurs permises : ccf, written",
    ),
    (
        "undeclared candidate status",
        lambda t: t.replace("      other: {form: oral", "      remote: {form: oral"),
        "remote: {form: oral",
        "exams[0].forms.remote",
        "statut de candidat « remote » non déclaré",
    ),
    (
        "duplicate key",
        lambda t: t.replace("title: Bloc un\n", "title: Bloc un\n    title: Bloc deux\n"),
        "title: Bloc deux",
        "blocs[0].title",
        "clé « title » en double",
    ),
    (
        "anchors and aliases",
        lambda t: t.replace("sources: [seeds/001]", "sources: &s [seeds/001]\nnotes: *s"),
        "sources: &s",
        "",
        "ancres et alias YAML",
    ),
    (
        "partial without missing list",
        lambda t: t.replace("completeness: complete", "completeness: partial"),
        "completeness: partial",
        "completeness",
        "doit lister ce qui manque",
    ),
]


@pytest.mark.parametrize(
    ("name", "change", "marker", "path", "message"),
    FAULT_TABLE,
    ids=[row[0] for row in FAULT_TABLE],
)
def test_fault_table(name, change, marker, path, message):
    text = change(MINIMAL)
    assert text != MINIMAL, "the change must apply to the sample"
    found = faults(text)
    matching = [f for f in found if message in f.message]
    assert matching, f"expected « {message} » among {[str(f) for f in found]}"
    fault = matching[0]
    assert fault.file == F
    assert fault.path == path
    assert fault.line == line_of(text, marker)
    # The printed form carries file:line and the path.
    assert str(fault).startswith(f"{F}:{fault.line}: ")


def test_every_fault_is_listed_not_just_the_first():
    text = MINIMAL.replace("coefficient: 4", "coefficient: 0").replace(
        "[A1.1C1, A1.1C2]", "[A1.1C1]"
    )
    text = text.replace("    competences: [A1.1C1]\n", "    competences: [A1.1C9]\n")
    messages = " | ".join(f.message for f in faults(text))
    assert "strictement positif" in messages
    assert "n'appartient à aucun bloc" in messages
    assert "« A1.1C9 » inexistant" in messages


def test_too_large_file_is_refused_before_parsing():
    raw = MINIMAL.encode() + b"#" * 5000
    result = validate_bytes(raw, F, max_bytes=4000)
    assert not result.ok
    assert "fichier trop gros" in result.faults[0].message


def test_billion_laughs_is_refused_quickly():
    bomb = 'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n'
    bomb += "".join(f"d{i}: &d{i} [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n" for i in range(8))
    found = faults(bomb)
    assert len(found) == 1 and "ancres et alias" in found[0].message


def test_not_utf8_is_refused():
    result = validate_bytes("title: Sécurité".encode("latin-1"), F, max_bytes=10_000)
    assert "UTF-8" in result.faults[0].message


def test_wrong_types_are_named():
    text = MINIMAL.replace("version: 2026-01-15", "version: demain").replace("level", "level")
    fault = [f for f in faults(text) if f.path == "version"][0]
    assert "date AAAA-MM-JJ" in fault.message and "demain" in fault.message


def test_empty_file():
    assert "vide" in faults("")[0].message


def _grid(lines: list[list[int]], totals: list[int]) -> str:
    out = ["hour_grid:", "  lines:"]
    for i, years in enumerate(lines):
        out.append(f"    - subject: Matière {i}")
        out.append("      years: [" + ", ".join(f"{{weekly: {w}}}" for w in years) + "]")
    out.append("  total:")
    out.append("    years: [" + ", ".join(f"{{weekly: {w}}}" for w in totals) + "]")
    grid = "\n".join(out) + "\n"
    return MINIMAL.split("hour_grid:")[0] + grid


@given(
    st.lists(st.lists(st.integers(0, 40), min_size=2, max_size=2), min_size=1, max_size=8),
    st.integers(-5, 5),
    st.integers(-5, 5),
)
def test_hour_grid_property(lines, delta1, delta2):
    totals = [sum(line[0] for line in lines) + delta1, sum(line[1] for line in lines) + delta2]
    found = [f for f in faults(_grid(lines, totals)) if f.path.startswith("hour_grid")]
    # Exactly one fault per year whose declared total differs from the sum of its lines.
    assert len(found) == (delta1 != 0) + (delta2 != 0)


@given(
    st.lists(
        st.decimals(min_value=Decimal("0.5"), max_value=Decimal("10"), places=1),
        min_size=2,
        max_size=2,
    )
)
def test_exam_parts_property(coefs):
    text = MINIMAL.replace(
        "coefficient: 1.5}\n      - {code: E22", f"coefficient: {coefs[0]}}}\n      - {{code: E22"
    )
    text = text.replace("unit: U22, coefficient: 1.5}", f"unit: U22, coefficient: {coefs[1]}}}")
    found = [f for f in faults(text) if "sous-épreuves" in f.message]
    assert bool(found) == (sum(coefs) != 3)


def test_a_summer_window_must_be_two_month_day_dates():
    from django.conf import settings

    text = (settings.REFERENTIEL_DIR / "bts-mos_2026-11-26.yaml").read_text(encoding="utf-8")
    bad = text.replace('summer_window: ["07-01", "08-31"]', 'summer_window: ["juillet", "08-31"]')
    faults = validate_text(bad, "bts-mos.yaml").faults
    assert [f.message for f in faults] == [
        'summer_window : deux dates « MM-JJ » attendues, ex. ["07-01", "08-31"]'
    ]
