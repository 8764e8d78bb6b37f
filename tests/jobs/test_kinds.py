"""The job kinds are registered by the apps above livret.jobs when Django loads them: the jobs
app names no module of a higher floor, and every registered kind points at a function."""

import re
from pathlib import Path

import pytest
from django.utils.module_loading import import_string

import livret
from livret import layers
from livret.jobs import kinds

ROOT = Path(livret.__file__).parent


def test_every_kind_is_registered_and_runs_a_function():
    assert set(kinds.KINDS) >= {
        "cohort_livrets",
        "session_documents",
        "session_minutes",
        "import_preview",
        "import_apply",
        "centre_alerts",
        "centre_archive",
        "attendance_month_end",
        "workshop_import",
    }
    for path in kinds.KINDS.values():
        assert callable(import_string(path))


def test_the_jobs_app_names_no_module_above_it():
    # (floor 0 is the top: a unit above the jobs app has a smaller number)
    floor = {".".join(m.split(".")[:2]): f for m, f in layers.check(ROOT).floors.items()}
    mine = floor["livret.jobs"]
    for path in (ROOT / "jobs").rglob("*.py"):
        for name in re.findall(r"livret(?:\.\w+)+", path.read_text()):
            unit = ".".join(name.split(".")[:2])
            if unit in floor:
                assert floor[unit] >= mine, f"{path.name} names {name}"


def test_a_kind_cannot_be_given_two_functions():
    kinds.register("cohort_livrets", kinds.KINDS["cohort_livrets"])  # the same again: harmless
    with pytest.raises(ValueError):
        kinds.register("cohort_livrets", "livret.elsewhere.run")
