"""The floors of the code (livret.layers): every import points down a floor or within one, and no
two units import each other, even round about. No database: the files are read with `ast`."""

from pathlib import Path

import livret
from livret import layers

ROOT = Path(livret.__file__).parent


def test_no_import_points_up_and_no_circle():
    report = layers.check(ROOT)
    assert not report.unplaced, layers.describe(report)
    assert not report.up, layers.describe(report)
    assert not report.circles, layers.describe(report)
    # The walk really read the project: function-level imports included.
    assert len(report.edges) > 400
    assert any(
        a.source == "livret.ops.archive" and a.target == "livret.access" for a in report.edges
    )


def _write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root / "pkg"


FLOORS = [
    ("top", ("pkg.shell",)),
    ("middle", ("pkg.app_a", "pkg.app_b")),
    ("ground", ("pkg.base",)),
]


def test_the_checker_sees_an_arrow_up_inside_a_function_and_through_a_relative_import(tmp_path):
    root = _write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/shell.py": "from pkg.app_a import views\n",
            "pkg/app_a/__init__.py": "",
            "pkg/app_a/views.py": "from ..base import helpers\n",
            "pkg/app_b/__init__.py": "",
            "pkg/base/__init__.py": "",
            "pkg/base/helpers.py": "def f():\n    from pkg.app_a import views\n    return views\n",
            "pkg/base/migrations/0001_initial.py": "from pkg.shell import x\n",  # not read
        },
    )
    report = layers.check(root, "pkg", FLOORS)
    assert [(a.source, a.target, a.line) for a in report.up] == [
        ("pkg.base.helpers", "pkg.app_a.views", 2)
    ]
    # base → app_a → base: a circle between units, reported with the imports that make it.
    assert report.circles == [["pkg.app_a", "pkg.base"]]
    assert {(a.source, a.target) for a in report.circle_arrows[0]} == {
        ("pkg.app_a.views", "pkg.base.helpers"),
        ("pkg.base.helpers", "pkg.app_a.views"),
    }
    assert not report.ok
    text = layers.describe(report)
    assert "arrow up: pkg/base/helpers.py:2: pkg.base.helpers → pkg.app_a.views" in text
    assert "circle between pkg.app_a, pkg.base:" in text


def test_the_checker_sees_a_circle_within_one_floor_and_a_module_of_no_floor(tmp_path):
    root = _write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/app_a/__init__.py": "from pkg.app_b import models\n",
            "pkg/app_b/__init__.py": "",
            "pkg/app_b/models.py": "import pkg.app_a\n",
            "pkg/stray.py": "",
        },
    )
    report = layers.check(root, "pkg", FLOORS)
    assert report.up == []  # both apps stand on the same floor
    assert report.circles == [["pkg.app_a", "pkg.app_b"]]
    assert report.unplaced == ["pkg.stray"]


def test_a_clean_package_passes(tmp_path):
    root = _write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/shell.py": "from pkg import app_a\nfrom pkg.base import helpers\n",
            "pkg/app_a/__init__.py": "from . import views\n",
            "pkg/app_a/views.py": "from pkg.app_b import x\nfrom ..base.helpers import f\n",
            "pkg/app_b/__init__.py": "x = 1\n",
            "pkg/base/__init__.py": "",
            "pkg/base/helpers.py": "def f():\n    return 1\n",
        },
    )
    report = layers.check(root, "pkg", FLOORS)
    assert report.ok, layers.describe(report)
    assert len(report.edges) == 5


def test_the_command_prints_the_count_and_exits_0():
    assert layers.main() == 0
