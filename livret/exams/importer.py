"""Bulk grades from a CSV or XLSX sheet, in the shape centres use: one row per candidate, the
candidate number, then one column per unit (U1, U21 … or the épreuve code E1, E21 …).

Two steps: `preview` reads everything and lists every error (line, column, what is wrong) without
saving; `apply` saves every cell in one transaction, or nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from livret.engine import jury
from livret.engine.jury import InputError
from livret.tables import ImportError_, read_table
from livret.tables import normalize_header as _norm

from . import services
from .models import Grade

NUMBER_HEADERS = {
    "numero",
    "n°",
    "n° candidat",
    "numero candidat",
    "numero de candidat",
    "candidat",
}
IGNORED_HEADERS = {"nom", "prenom", "nom de naissance", "date de naissance"}


@dataclass
class Cell:
    unit: str
    raw: str
    value: object = None
    error: str = ""


@dataclass
class PreviewRow:
    line: int
    number: str
    candidate: object = None
    cells: list[Cell] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@dataclass
class Preview:
    units: list[str]
    rows: list[PreviewRow]
    errors: list[str]  # file-level

    @property
    def error_count(self) -> int:
        return len(self.errors) + sum(
            len(r.errors) + sum(1 for c in r.cells if c.error) for r in self.rows
        )

    @property
    def ok(self) -> bool:
        return self.error_count == 0 and bool(self.rows)


def preview(session, raw: bytes, filename: str) -> Preview:
    try:
        table = read_table(raw, filename)
    except ImportError_ as exc:
        return Preview([], [], [str(exc)])
    return preview_table(session, table)


def preview_table(session, table: list) -> Preview:
    """The preview of a file already read (the upload form reads it once to refuse it beside
    its field)."""
    if not table:
        return Preview([], [], ["fichier vide"])
    header = [_norm(h) for h in table[0]]
    scheme = services.scheme_for(session)
    epreuve_to_unit = {_norm(e["code"]): u for u, e in services.exams_by_unit(session).items()}
    unit_to_column: dict[str, int] = {}
    number_col = None
    errors = []
    for i, h in enumerate(header):
        if h in NUMBER_HEADERS:
            number_col = i
        elif h.upper() in scheme.units or h in epreuve_to_unit:
            unit = h.upper() if h.upper() in scheme.units else epreuve_to_unit[h]
            if unit in unit_to_column:
                errors.append(f"ligne 1, colonne {i + 1} : l'unité {unit} apparaît deux fois")
            unit_to_column[unit] = i
        elif h and h not in IGNORED_HEADERS:
            errors.append(
                f"ligne 1, colonne {i + 1} : en-tête « {table[0][i]} » inconnu (attendu : numero, nom, prenom, {', '.join(scheme.units)})"
            )
    if number_col is None:
        errors.append("ligne 1 : colonne « numero » (numéro de candidat) absente")
        return Preview(list(unit_to_column), [], errors)
    candidates = {c.number: c for c in session.candidates.all()}
    rows, seen = [], {}
    for line, values in enumerate(table[1:], start=2):
        if not any(str(v).strip() for v in values):
            continue
        number = str(values[number_col]).strip() if number_col < len(values) else ""
        row = PreviewRow(line, number, candidates.get(number))
        if not number:
            row.errors.append(f"ligne {line} : numéro de candidat vide")
        elif row.candidate is None:
            row.errors.append(f"ligne {line} : candidat n° {number} inconnu dans cette session")
        elif number in seen:
            row.errors.append(
                f"ligne {line} : candidat n° {number} déjà présent ligne {seen[number]}"
            )
        seen.setdefault(number, line)
        for unit, col in unit_to_column.items():
            raw_value = str(values[col]).strip() if col < len(values) else ""
            cell = Cell(unit, raw_value)
            if raw_value:
                try:
                    cell.value = jury.parse_grade(raw_value, "", unit)
                except InputError as exc:
                    cell.error = f"ligne {line}, colonne {unit} : {str(exc).split(' : ', 1)[-1]}"
                if (
                    row.candidate
                    and scheme.units[unit].optional
                    and unit not in row.candidate.optional_units
                ):
                    cell.error = f"ligne {line}, colonne {unit} : unité facultative non choisie par ce candidat"
            row.cells.append(cell)
        rows.append(row)
    if not rows and not errors:
        errors.append("aucune ligne de notes")
    return Preview(list(unit_to_column), rows, errors)


@transaction.atomic
def apply(session, raw: bytes, filename: str, user) -> int:
    """All or nothing: the preview again, then every cell saved in this one transaction."""
    services.ensure_open(session)
    result = preview(session, raw, filename)
    if not result.ok:
        raise ImportError_(f"{result.error_count} erreur(s) : rien n'a été enregistré")
    n = 0
    for row in result.rows:
        for cell in row.cells:
            if cell.raw:
                services.set_grade(row.candidate, cell.unit, cell.raw, user, source=Grade.IMPORT)
                n += 1
    return n
