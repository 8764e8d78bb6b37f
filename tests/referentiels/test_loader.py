"""Loading référentiels: the BTS MOS counts from the seed, idempotency, versions, all-or-nothing."""

from decimal import Decimal

import pytest

from livret.referentiels import models as m
from livret.referentiels.loader import LoadError, load_bytes, load_files

from .samples import MINIMAL

ROW_MODELS = [
    m.Diploma,
    m.Referentiel,
    m.Pole,
    m.Activity,
    m.Task,
    m.Competence,
    m.Knowledge,
    m.Bloc,
    m.Unit,
    m.Exam,
]


def snapshot():
    return {model.__name__: model.objects.count() for model in ROW_MODELS} | {
        "bloc links": m.Bloc.competences.through.objects.count(),
        "exam links": m.Exam.competences.through.objects.count(),
    }


def mos():
    """The current BTS MOS (the newest version; older ones stay loaded beside it)."""
    return m.Referentiel.objects.filter(diploma__slug="bts-mos").order_by("-version").first()


def test_bts_mos_counts_match_the_seed(referentiels):
    ref = mos()
    assert ref.rncp_code == "RNCP41000"
    assert m.Pole.objects.filter(referentiel=ref).count() == 4
    # The seed's annexe I b has 11 activities (A1.1–A1.3, A2.1–A2.3, A3.1–A3.3, A4.1–A4.2);
    # the "10" is a miscount, the seed wins.
    assert m.Activity.objects.filter(referentiel=ref).count() == 11
    assert m.Task.objects.filter(referentiel=ref).count() == 48
    assert m.Competence.objects.filter(referentiel=ref, activity__isnull=False).count() == 52
    assert m.Knowledge.objects.filter(referentiel=ref).count() == 61
    assert m.Knowledge.objects.filter(referentiel=ref, limits="").count() == 0
    module = m.Competence.objects.filter(referentiel=ref, module_unit__code="UF2").order_by(
        "position"
    )
    assert module.count() == 30
    assert (module.first().code, module.last().code) == ("C1.1", "C5.4")
    blocs = m.Bloc.objects.filter(referentiel=ref)
    assert blocs.filter(optional=False).count() == 8
    assert blocs.filter(optional=True).count() == 3
    units = set(m.Unit.objects.filter(referentiel=ref).values_list("code", flat=True))
    assert units == {"U1", "U21", "U22", "U3", "U4", "U51", "U52", "U6", "UF1", "UF2", "UF3"}


def test_bts_mos_coefficients_and_forms(referentiels):
    exams = {e.code: e for e in m.Exam.objects.filter(referentiel=mos())}
    expected = {"E1": 4, "E21": 2, "E22": 2, "E3": 6, "E4": 8, "E51": 5, "E52": 5, "E6": 6}
    assert {code: exams[code].coefficient for code in expected} == {
        k: Decimal(v) for k, v in expected.items()
    }
    assert {"EF1", "EF2", "EF3"} <= set(exams) and all(
        exams[c].optional for c in ("EF1", "EF2", "EF3")
    )
    # E4: CCF in an approved centre, a 50-minute oral otherwise.
    assert exams["E4"].forms["approved"]["form"] == "ccf"
    assert exams["E4"].forms["other"] == {
        "form": "oral",
        "label": "Ponctuelle orale",
        "duration_minutes": 50,
        "note": "(2) 20 minutes de présentation et 30 minutes d'entretien",
    }
    assert exams["E1"].forms["continuing"]["situations"] == 3
    # Competences evaluated: all of pôle n for E4, E51, E52, E6; the module's for EF2.
    assert exams["E4"].competences.count() == 11
    assert exams["E51"].competences.count() == 17
    assert exams["E52"].competences.count() == 13
    assert exams["E6"].competences.count() == 11
    assert exams["EF2"].competences.count() == 30
    assert {c["code"] for c in exams["E4"].not_valid_cases} >= {"report_missing", "stage_too_short"}


def test_every_mos_competence_is_in_a_bloc(referentiels):
    assert not m.Competence.objects.filter(referentiel=mos(), blocs__isnull=True).exists()
    b1 = m.Bloc.objects.get(referentiel=mos(), code="B1")
    assert b1.unit.code == "U4" and b1.competences.count() == 11


def test_other_diplomas(referentiels):
    mco = {
        e.code: e.coefficient for e in m.Exam.objects.filter(referentiel__diploma__slug="bts-mco")
    }
    assert mco["E21"] == Decimal("1.5") and mco["E41"] == Decimal("3") and mco["E6"] == Decimal("3")
    tp = (
        m.Referentiel.objects.filter(diploma__slug="tp-operateur-videoprotection")
        .order_by("-version")
        .first()
    )
    assert [b.competences.count() for b in m.Bloc.objects.filter(referentiel=tp)] == [3, 5]
    assert tp.rncp_code == "RNCP37879"
    assert tp.document["certification"]["family"] == "titre_pro"
    partial = set(
        m.Referentiel.objects.filter(completeness="partial").values_list("diploma__slug", flat=True)
    )
    assert partial == {
        "bts-mco",
        "bacpro-metiers-securite",
        "cap-agent-securite",
        "tp-operateur-videoprotection",
    }
    bacpro = m.Referentiel.objects.filter(diploma__slug="bacpro-metiers-securite").latest("version")
    assert bacpro.document["work_placement"]["rules"][0]["min_total_weeks"] == 22
    # The law of today, not the seed's CAP in première (décret n° 2020-1277).
    assert bacpro.document["certification"]["intermediate"]["statuses"] == ["school"]
    cap = m.Referentiel.objects.filter(diploma__slug="cap-agent-securite").latest("version")
    assert cap.rncp_code == "RNCP38226" and "exams" not in cap.document


def test_loading_twice_changes_nothing(referentiels, referentiel_dir):
    before = snapshot()
    ids = set(m.Competence.objects.values_list("pk", flat=True))
    again = load_files(sorted(referentiel_dir.glob("*.yaml")))
    assert again and [item.created for item in again] == [False] * len(again)
    assert snapshot() == before
    assert set(m.Competence.objects.values_list("pk", flat=True)) == ids


def test_new_version_keeps_the_old_one(db):
    old = load_bytes(MINIMAL.encode(), "bts-test_2026-01-15.yaml").referentiel
    old_competences = list(
        m.Competence.objects.filter(referentiel=old).values_list("pk", "code", "title")
    )
    newer = MINIMAL.replace("version: 2026-01-15", "version: 2027-01-15").replace(
        "Compétence deux", "Compétence deux révisée"
    )
    new = load_bytes(newer.encode(), "bts-test_2027-01-15.yaml").referentiel
    assert new.pk != old.pk
    assert (
        list(m.Competence.objects.filter(referentiel=old).values_list("pk", "code", "title"))
        == old_competences
    )
    assert (
        m.Competence.objects.get(referentiel=new, code="A1.1C2").title == "Compétence deux révisée"
    )
    assert m.Diploma.objects.get(slug="bts-test").current() == new


def test_same_version_with_other_content_is_refused(db):
    load_bytes(MINIMAL.encode(), "bts-test.yaml")
    before = snapshot()
    with pytest.raises(LoadError) as exc:
        load_bytes(MINIMAL.replace("Compétence deux", "Autre").encode(), "bts-test.yaml")
    assert "déjà chargée avec un autre contenu" in str(exc.value)
    assert snapshot() == before


def test_a_bad_file_among_good_ones_loads_nothing(db, tmp_path, referentiel_dir):
    bad = tmp_path / "bad.yaml"
    bad.write_text(MINIMAL.replace("coefficient: 4", "coefficient: -1"), encoding="utf-8")
    with pytest.raises(LoadError) as exc:
        load_files([*sorted(referentiel_dir.glob("*.yaml")), bad])
    assert exc.value.faults[0].file == str(bad)
    assert all(count == 0 for count in snapshot().values())


def test_hostile_yaml_loads_nothing(db):
    for hostile in [
        MINIMAL.replace("sources: [seeds/001]", "sources: &x [seeds/001]\nnotes: *x"),
        "!!python/object/apply:os.system ['echo pwned']\n",
        "a: " + "[" * 2000,
        MINIMAL.replace("kind: bts", "kind: [bts]"),
    ]:
        with pytest.raises(LoadError):
            load_bytes(hostile.encode(), "hostile.yaml")
    assert all(count == 0 for count in snapshot().values())


def test_a_failure_midway_rolls_back(db, monkeypatch):
    """Even a database error after the first rows leaves nothing behind (one transaction)."""
    from livret.referentiels import loader

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(loader.m.Exam.competences.through.objects, "bulk_create", boom)
    with pytest.raises(RuntimeError):
        load_bytes(MINIMAL.encode(), "bts-test.yaml")
    assert all(count == 0 for count in snapshot().values())
