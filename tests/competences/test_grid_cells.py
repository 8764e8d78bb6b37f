"""The grid page builds its rows with cells.rows (what repeats escaped and formatted once), the HTMX
answers one cell with cells.cell: the same HTML, cell by cell, whoever reads it."""

import datetime
from dataclasses import dataclass

import pytest

from livret.competences import cells
from livret.competences.queries import Mark


@dataclass
class Person:
    pk: int
    name: str

    def __str__(self):
        return self.name


@dataclass
class Column:
    pk: int
    code: str


LEARNERS = [Person(7, "Léa MARTIN"), Person(12, 'Zoé "Z" O\'Brien <x>'), Person(31, "Sans Note")]
COLUMNS = [Column(101, "A1.2C3"), Column(102, "C<4>&"), Column(250, "B2")]
STATUSES = {
    7: {
        101: Mark("acquired", datetime.date(2026, 3, 2)),
        102: Mark("in_progress", None),
        250: Mark("not_acquired", None),
    },
    12: {101: Mark("acquired", datetime.date(2025, 11, 30)), 250: Mark("acquired", None)},
}


@pytest.mark.parametrize("can_evaluate", [True, False])
def test_a_row_is_its_cells_one_by_one(can_evaluate):
    built = cells.rows(LEARNERS, COLUMNS, STATUSES, can_evaluate)
    one_by_one = [
        "".join(
            cells.cell(lr.pk, str(lr), c, STATUSES.get(lr.pk, {}).get(c.pk), can_evaluate)
            for c in COLUMNS
        )
        for lr in LEARNERS
    ]
    assert built == one_by_one
    assert "<x>" not in "".join(built)
    if can_evaluate:
        assert "C&lt;4&gt;&amp; — Léa MARTIN" in built[0]
        assert "A1.2C3 — Léa MARTIN : Acquise, acquise le 02/03/2026. Évaluer" in built[0]
        assert 'hx-get="/livrets/12/competences/250/evaluer/"' in built[1]
    else:
        assert '<span title="Acquise, acquise le 30/11/2025">A</span>' in built[1]
        assert "button" not in built[1]
